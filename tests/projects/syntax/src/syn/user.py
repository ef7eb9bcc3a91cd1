from syn.old import X  # expect: IMC001
import syn.cyc_b
