from .other import X
