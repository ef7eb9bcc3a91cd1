from app.ema import VALUE  # expect: IMC001


def test_value() -> None:
    assert VALUE == 1
