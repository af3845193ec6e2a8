"""cnnrnn_helpers.training.histories: one history type for both trainers."""

from __future__ import annotations

import pytest

from cnnrnn_helpers import training


def _iteration_history() -> training.IterationHistory:
    h = training.IterationHistory(batch_size=10, every=5, seed=0)
    for step, acc in ((5, 0.5), (10, 0.75)):
        h.append(
            step=step,
            loss=1.0,
            accuracy=acc,
            train_loss=1.0,
            test_loss=1.0,
            test_accuracy=acc / 2,
            seconds=float(step),
        )
    return h


def test_both_trainers_return_a_recorded_history():
    iterations = _iteration_history()
    epochs = training.EpochHistory()
    epochs.append(epoch=1, error=0.5, val_error=0.25, mse=1.0, val_mse=2.0, seconds=3)
    for h in (iterations, epochs):
        assert isinstance(h, training.RecordedHistory)
        assert isinstance(h, training.TrainingHistory)
    assert len(iterations) == 2 and len(epochs) == 1
    assert iterations.final() == 0.375  # the fixed test subset, last record
    assert iterations.final("accuracy") == 0.75
    assert epochs.final() == 0.25
    assert iterations["step"] == [5.0, 10.0] and "loss" in iterations
    assert "test acc 0.3750" in iterations.record_line()


def test_records_need_every_key_and_final_names_the_metrics():
    h = training.IterationHistory(batch_size=10, every=5, seed=0)
    with pytest.raises(ValueError, match="nothing recorded"):
        h.final()
    with pytest.raises(ValueError, match="unknown metric"):
        h.final("val_error")
    with pytest.raises(ValueError, match="a record needs the keys"):
        h.append(step=1)
