"""Every way to import a legacy path."""

import app.ema  # expect: IMC001
import app.ema as average  # expect: IMC001
import app.old_pkg.inner.thing  # expect: IMC001
from app.ema import VALUE  # expect: IMC001
from app.old_pkg.inner import thing  # expect: IMC001
from app import ema  # expect: IMC001
from app import old_pkg, new  # expect: IMC001
from .. import ema as relative_ema  # expect: IMC001
from ..old_pkg.inner import thing as t2  # expect: IMC001
from app.new import ema as fine
import app.emax_helpers_do_not_exist_but_are_not_legacy
from app.ema import (  # noqa: IMC001
    VALUE as V2,
)
from app.ema import (
    VALUE as V3,  # noqa: IMC0
)
from app.ema import VALUE as V4  # noqa
from app.ema import VALUE as V5  # noqa: IMC501  # expect: IMC001


def later() -> None:
    import app.ema  # expect: IMC001

    name = "app.ema"  # expect: IMC003
    other = "app.emax and app.new.ema and xapp.ema"
    # a comment that says app.ema is not reported
    dotted = f"prefix app.old_pkg.inner.thing suffix"  # expect: IMC003
    print(name, other, dotted)
