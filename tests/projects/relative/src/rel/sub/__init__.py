from .. import sub  # expect: IMC201
from ..sub import mod  # noqa: IMC201
