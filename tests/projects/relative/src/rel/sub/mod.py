from . import other  # expect: IMC202
from .other import X  # expect: IMC202

VALUE = 1


def f() -> None:
    from ..sub import other  # expect: IMC202
