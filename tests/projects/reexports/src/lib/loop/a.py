from lib.loop.b import thing  # expect: IMC103

__all__ = ["thing"]
