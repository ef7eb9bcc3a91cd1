from top.beta import two  # expect: IMC302
