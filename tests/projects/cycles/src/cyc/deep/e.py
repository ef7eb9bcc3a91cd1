from cyc.deep.d import *
