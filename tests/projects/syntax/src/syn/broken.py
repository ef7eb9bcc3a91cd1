from syn.old import (X  # expect: IMC900
