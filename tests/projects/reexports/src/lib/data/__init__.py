"""The data package: a facade over its modules."""

import lib.core
import lib.core as core_module
from lib.data.loader import load  # expect: IMC101
from . import loader
from .loader import batches  # expect: IMC101
from lib.core import helper as helper  # expect: IMC101
from lib.core import other  # expect: IMC101
from lib.core import CONSTANT  # expect: IMC101
from os import path
from json import dumps

__all__ = ["load", "loader", "path", "dumps"]
__all__ += ["batches"]


def use() -> int:
    return other() + core_module.CONSTANT
