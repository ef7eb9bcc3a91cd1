try:
    from lib.core import helper  # expect: IMC101
except ImportError:
    from lib.data.loader import load as helper

__all__ = ["helper"]
