X = 1  # expect: IMC002
