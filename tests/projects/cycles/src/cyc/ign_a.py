import cyc.ign_b
