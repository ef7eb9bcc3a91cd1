from os.path import join
from json import dumps

__all__ = ["join", "dumps"]
