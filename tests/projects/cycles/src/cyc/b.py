import cyc.c
from cyc import a
