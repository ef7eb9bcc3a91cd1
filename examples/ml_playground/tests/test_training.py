from unittest import mock

from ml_playground.config import TrainConfig
from ml_playground.ema import EMA
from ml_playground.training.checkpointing.checkpoint import SAVED
from ml_playground.training.trainer import Trainer


def test_ema_averages() -> None:
    ema = EMA(0.5)
    ema.update(2.0)
    assert ema.update(4.0) == 3.0


def test_trainer_saves_a_checkpoint() -> None:
    loss = Trainer(TrainConfig(steps=2)).run()
    assert SAVED[-1].step == 2
    assert loss > 0


def test_patch_by_name() -> None:
    with mock.patch("ml_playground.ema.EMA.update", return_value=1.0):
        assert EMA(0.5).update(3.0) == 1.0
