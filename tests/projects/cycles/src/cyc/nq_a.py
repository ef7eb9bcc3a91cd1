import cyc.nq_b
