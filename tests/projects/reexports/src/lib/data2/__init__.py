from lib.core import helper as shadow  # expect: IMC101
