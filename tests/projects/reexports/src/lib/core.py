import os.path
import json as _json


class Engine:
    pass


def helper() -> int:
    return 1


def other() -> int:
    return 2


CONSTANT = 3
