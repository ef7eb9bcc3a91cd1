import lib.data as data
from lib.data.loader import *  # expect: IMC101

__all__ = ["extra"] + data.__all__


def extra() -> None:
    pass
