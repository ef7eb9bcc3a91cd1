"""Legacy facade."""  # expect: IMC002, IMC103

from lib.core import helper  # expect: IMC101

__all__ = ["helper"]
