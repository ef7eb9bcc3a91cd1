from typing import TYPE_CHECKING

import cyc.tc_b

if TYPE_CHECKING:
    from cyc.deep import d
