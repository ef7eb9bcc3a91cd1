"""__all__ in every spelling."""

from lib.core import Engine  # expect: IMC101
from lib.core import helper  # expect: IMC101
from lib.core import other  # expect: IMC101
from lib.core import CONSTANT  # expect: IMC101
from lib.data import loader as data_loader
from lib.data.loader import load  # expect: IMC101

__all__ = ("Engine",)
__all__ += ["helper"]
__all__.extend(["other"])
__all__.append("CONSTANT")
__all__ += data_loader.__all__ if False else []


def local() -> int:
    return load()[0] + helper() + other() + CONSTANT + len([Engine])
