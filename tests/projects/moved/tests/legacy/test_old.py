from app.ema import VALUE


def test_old() -> None:
    assert "app.ema"  # expect: IMC003
