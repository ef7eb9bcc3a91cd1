import cyc.nq_a  # noqa: IMC301
