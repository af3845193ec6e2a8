"""cnnrnn_helpers.training.tbptt: the truncated BPTT trainer (sheet s04, Q6-9)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import models, training
from cnnrnn_helpers.training import tbptt


def test_normalised_error_matches_a_hand_computation(summing_rnn):
    model = summing_rnn()
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, size=(4, 6)).astype("float32")
    y = rng.normal(size=(4, 6)).astype("float32")
    x_val = rng.integers(0, 3, size=(2, 6)).astype("float32")
    y_val = rng.normal(size=(2, 6)).astype("float32")
    hist = training.train_tbptt(
        model,
        x,
        y,
        x_val,
        y_val,
        epochs=2,
        batch_size=2,
        chunk=2,
        optimizer=keras.optimizers.SGD(0.0),
        verbose=False,
    )
    # with learning rate 0 the prediction is the running sum of each sequence
    want = np.mean((np.cumsum(x, axis=1) - y) ** 2) / np.var(y)
    want_val = np.mean((np.cumsum(x_val, axis=1) - y_val) ** 2) / np.var(y_val)
    np.testing.assert_allclose(hist["error"], [want, want], rtol=1e-5)
    np.testing.assert_allclose(hist["val_error"], [want_val, want_val], rtol=1e-5)
    np.testing.assert_allclose(hist["val_mse"][0], want_val * np.var(y_val), rtol=1e-5)
    assert len(hist["seconds"]) == 2


def test_gradients_stop_at_chunk_boundaries():
    # one SGD step on a single sequence of length 4, chunk 2: the chunk-2 loss
    # must not reach the input weight through time steps of chunk 1
    def one_step(chunk):
        model = models.stateful_rnn(
            "simple", 1, batch_size=1, chunk=chunk, activation="linear"
        )
        model.set_weights(
            [
                np.full((1, 1), 0.5),
                np.full((1, 1), 0.5),
                np.zeros(1),
                np.ones((1, 1)),
                np.zeros(1),
            ]
        )
        x = np.array([[1.0, 0.0, 0.0, 0.0]], "float32")
        y = np.array([[0.0, 0.0, 1.0, 1.0]], "float32")
        training.train_tbptt(
            model,
            x,
            y,
            x,
            y,
            epochs=1,
            batch_size=1,
            chunk=chunk,
            optimizer=keras.optimizers.SGD(1.0),
            verbose=False,
        )
        return model.get_weights()[0][0, 0]

    # chunk 2: the first chunk's loss pulls the input weight, the second
    # chunk cannot push it back; with chunk 4 the full gradient differs
    w_truncated, w_full = one_step(2), one_step(4)
    h = np.array([0.5, 0.25])  # hidden state in chunk 1
    grad_chunk1 = np.mean(2 * (h - 0.0) * np.array([1.0, 0.5]))
    assert w_truncated == pytest.approx(0.5 - grad_chunk1, rel=1e-5)
    assert abs(w_full - w_truncated) > 1e-3


def test_training_lowers_the_error():
    rng = np.random.default_rng(1)
    x = (rng.random((20, 20)) > 0.7).astype("float32")
    y = np.roll(x, 1, axis=1)  # output = input delayed by one step
    model = models.stateful_rnn("simple", 4, batch_size=10, chunk=10)
    hist = training.train_tbptt(
        model,
        x,
        y,
        x,
        y,
        epochs=8,
        batch_size=10,
        chunk=10,
        learning_rate=0.03,
        verbose=False,
    )
    assert hist["error"][-1] < 0.8 * hist["error"][0]
    assert hist["val_error"][-1] < 0.8 * hist["val_error"][0]


def test_train_tbptt_rejects_bad_shapes(summing_rnn):
    model = summing_rnn()
    x = np.ones((4, 6), "float32")
    with pytest.raises(ValueError, match="batch_size"):
        training.train_tbptt(model, x, x, x, x, epochs=1, batch_size=4, chunk=2)
    with pytest.raises(ValueError, match="chunk"):
        training.train_tbptt(model, x, x, x, x, epochs=1, batch_size=2, chunk=3)
    model4 = summing_rnn(chunk=4)
    with pytest.raises(ValueError, match="multiple"):
        training.train_tbptt(model4, x, x, x, x, epochs=1, batch_size=2, chunk=4)


def _sgd_run(model, optimizer=None, epochs=1):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, size=(4, 6)).astype("float32")
    y = rng.normal(size=(4, 6)).astype("float32")
    return training.train_tbptt(
        model,
        x,
        y,
        x,
        y,
        epochs=epochs,
        batch_size=2,
        chunk=2,
        optimizer=optimizer,
        verbose=False,
    )


def test_states_are_reset_to_zero_even_when_they_hold_nan(summing_rnn):
    model = summing_rnn()
    want = _sgd_run(model, keras.optimizers.SGD(0.0))["val_error"]
    for v in tbptt._stateful_variables(model):
        v.assign(np.full(v.shape, np.nan, "float32"))  # a blown-up state
    again = _sgd_run(model, keras.optimizers.SGD(0.0))
    assert np.isfinite(again["error"]).all()
    np.testing.assert_allclose(again["val_error"], want, rtol=1e-6)


def test_history_type_and_continuing_with_the_same_optimizer():
    model = models.stateful_rnn("simple", 2, batch_size=2, chunk=2)
    first = _sgd_run(model, epochs=2)
    assert isinstance(first, training.EpochHistory)
    assert isinstance(first, training.TrainingHistory)
    assert first["epoch"] == [1.0, 2.0] and len(first) == 2
    assert first.final() == first["val_error"][-1]
    assert "val_error" in first and next(iter(first.keys())) == "epoch"
    optimizer = first.optimizer
    assert isinstance(optimizer, keras.optimizers.Adam) and optimizer.built
    steps = int(optimizer.iterations)
    assert steps == 2 * 2 * 3  # 2 epochs x 2 mini-batches x 3 chunks
    second = _sgd_run(model, optimizer=optimizer)
    assert second.optimizer is optimizer
    assert int(optimizer.iterations) == steps + 2 * 3  # it continued counting
    history = training.IterationHistory(batch_size=1, every=1, seed=0)
    assert isinstance(history, training.TrainingHistory)


def test_train_tbptt_accepts_numpy_ints_and_refuses_bad_kinds():
    model = models.stateful_rnn("simple", 2, batch_size=np.int64(2), chunk=2)
    x = np.random.default_rng(0).random((2, 4)).astype("float32")
    kw = {"batch_size": 2, "chunk": 2, "verbose": False}
    hist = training.train_tbptt(model, x, x, x, x, epochs=np.int64(1), **kw)
    assert len(hist) == 1
    with pytest.raises(TypeError, match="epochs must be an int >= 1, got float"):
        training.train_tbptt(model, x, x, x, x, epochs=1.0, **kw)
    with pytest.raises(TypeError, match="optimizer must be None or a keras"):
        training.train_tbptt(model, x, x, x, x, epochs=1, optimizer="adam", **kw)
