def f() -> None:
    import cyc.def_a
