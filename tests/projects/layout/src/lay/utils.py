"""Stray."""  # expect: IMC401
