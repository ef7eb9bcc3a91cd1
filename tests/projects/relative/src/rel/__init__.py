from . import sub  # expect: IMC201
from .sub import mod  # expect: IMC201
from .sub.mod import (  # expect: IMC201
    VALUE,
)
from rel.sub import mod as absolute
