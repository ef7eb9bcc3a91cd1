import typing

if typing.TYPE_CHECKING:
    import cyc.tc_a
