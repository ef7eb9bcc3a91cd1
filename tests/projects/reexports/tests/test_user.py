from lib.data import load  # expect: IMC102
