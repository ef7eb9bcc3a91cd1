from cyc.a import *
