from lib.data import load  # expect: IMC102
from lib.data import loader, other, use  # expect: IMC102
from lib.data import helper, path  # expect: IMC102
from lib.data import (  # expect: IMC102
    batches,
    CONSTANT,
)
from lib import Engine
from lib.api import helper as api_helper
from lib.data2 import shadow  # expect: IMC102
from lib.data2.shadow import VALUE
from lib.listing import load as listed_load  # expect: IMC102
from lib.extended import load as starred  # expect: IMC102
from lib.loop.a import thing
from lib.old import helper as old_helper  # expect: IMC001
from lib.defined_too import other as d_other
from lib.data import load as quiet  # noqa: IMC102
from lib.core import Engine as E2

print(load, loader, other, use, helper, path, batches, CONSTANT, Engine, api_helper)
print(shadow, VALUE, listed_load, starred, thing, old_helper, d_other, quiet, E2)
