from lib.core import helper
