import top.gamma.y  # expect: IMC302
