from cyc.deep import e  # expect: IMC301
