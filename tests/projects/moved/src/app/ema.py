"""The old home of app.ema, kept for compatibility."""  # expect: IMC002, IMC003

VALUE = 1
