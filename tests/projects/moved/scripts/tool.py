import importlib

importlib.import_module("app.old_pkg")  # expect: IMC003
