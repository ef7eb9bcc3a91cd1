try:
    from lib.core import other
except ImportError:

    def other() -> int:
        return 0


__all__ = ["other"]
