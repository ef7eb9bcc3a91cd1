X = 1  # expect: IMC401
