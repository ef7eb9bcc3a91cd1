import cyc.ign_a
