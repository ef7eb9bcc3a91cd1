from lib.data import load
