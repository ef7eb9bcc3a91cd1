import cyc.def_b
