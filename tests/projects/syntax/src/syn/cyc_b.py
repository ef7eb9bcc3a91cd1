import syn.user  # expect: IMC301
