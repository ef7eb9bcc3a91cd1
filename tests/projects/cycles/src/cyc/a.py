import cyc.b  # expect: IMC301
