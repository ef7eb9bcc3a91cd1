from lib.loop.a import thing  # expect: IMC103

__all__ = ["thing"]
