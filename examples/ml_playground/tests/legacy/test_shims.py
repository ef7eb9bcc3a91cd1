"""The legacy paths keep working until they are removed."""

from unittest.mock import sentinel

from ml_playground.lr_scheduler import constant


def test_constant() -> None:
    assert constant(0.1, 5) == 0.1
    assert sentinel.marker is sentinel.marker
