"""cnnrnn_helpers.training.fit: fit_and_evaluate / evaluate_fit, train_in_turns,
fastest_epoch, EpochTimer and accuracy."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import config, models, training


def _toy(n: int = 64, seed: int = 0):
    """Two well separated classes in 784 dimensions (learnable in 1 epoch)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(0.0, 0.1, size=(n, 784)).astype("float32")
    x[:, :50] += y[:, None] * 1.0
    return x, y


def test_fit_and_evaluate_returns_running_and_evaluated_accuracies():
    config.set_seed(0)
    x, y = _toy()
    xt, yt = _toy(32, seed=1)
    model = models.deep_mlp(1, 8, n_classes=2)
    scores = training.fit_and_evaluate(
        model,
        x,
        y,
        xt,
        yt,
        optimizer="adam",
        epochs=np.int64(3),
        batch_size=16,
        verbose=0,
    )
    hist = scores.history.history
    assert len(hist["accuracy"]) == 3
    assert scores.train_running == pytest.approx(hist["accuracy"][-1])
    assert scores.val_running == pytest.approx(hist["val_accuracy"][-1])
    # the evaluated test accuracy after the last epoch is what fit validated on
    assert scores.test_acc == pytest.approx(scores.val_running, abs=1e-6)
    manual = np.mean(model.predict(x, verbose=0).argmax(axis=1) == y)
    assert scores.train_acc == pytest.approx(manual, abs=1e-6)
    assert scores.gap == pytest.approx(scores.train_acc - scores.test_acc)
    assert scores.test_acc > 0.75  # separable toy data, 3 epochs


def test_fit_and_evaluate_without_validation_and_precompiled():
    config.set_seed(0)
    x, y = _toy()
    model = models.deep_mlp(1, 4, n_classes=2)
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    scores = training.fit_and_evaluate(
        model, x, y, x, y, epochs=1, batch_size=32, validation=False, verbose=0
    )
    assert scores.val_running is None
    assert "val_accuracy" not in scores.history.history
    assert scores.train_acc == pytest.approx(scores.test_acc)  # same data


def test_fit_and_evaluate_rejects_bad_input():
    x, y = _toy(8)
    with pytest.raises(ValueError, match="not compiled"):
        training.fit_and_evaluate(
            models.deep_mlp(1, 4, n_classes=2), x, y, x, y, epochs=1, batch_size=4
        )
    with pytest.raises(ValueError, match="8 inputs but 7 labels"):
        training.fit_and_evaluate(
            models.deep_mlp(1, 4, n_classes=2),
            x,
            y[:7],
            x,
            y,
            optimizer="SGD",
            epochs=1,
            batch_size=4,
        )
    with pytest.raises(ValueError, match="epochs"):
        training.fit_and_evaluate(
            models.deep_mlp(1, 4, n_classes=2),
            x,
            y,
            x,
            y,
            optimizer="SGD",
            epochs=0,
            batch_size=4,
        )
    with pytest.raises(TypeError, match="batch_size"):
        training.fit_and_evaluate(
            models.deep_mlp(1, 4, n_classes=2),
            x,
            y,
            x,
            y,
            optimizer="SGD",
            epochs=1,
            batch_size=2.5,
        )
    with pytest.raises(ValueError, match="History"):
        training.evaluate_fit(models.deep_mlp(1, 4, n_classes=2), {}, x, y, x, y)


def test_train_in_turns_times_every_epoch_and_builds_curves(capsys):
    config.set_seed(0)
    x, y = _toy()
    nets = {}
    for name in ("a", "bb"):
        nets[name] = models.deep_mlp(1, 4, n_classes=2)
        nets[name].compile(
            optimizer="adam",
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    timers, curves = training.train_in_turns(nets, x, y, x, y, epochs=2, batch_size=32)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["epoch", "1/2", "a"],
        ["epoch", "1/2", "bb"],
        ["epoch", "2/2", "a"],
        ["epoch", "2/2", "bb"],
    ]
    for name in nets:
        assert len(timers[name].times) == 2
        assert all(t > 0 for t in timers[name].times)
        assert set(curves[name]) == {"loss", "val_loss", "accuracy", "val_accuracy"}
        assert all(len(v) == 2 for v in curves[name].values())
        acc = np.mean(nets[name].predict(x, verbose=0).argmax(axis=1) == y)
        assert curves[name]["val_accuracy"][-1] == pytest.approx(acc, abs=1e-6)
    with pytest.raises(ValueError, match="at least one"):
        training.train_in_turns({}, x, y, x, y, epochs=1, batch_size=4)


def test_fastest_epoch_skips_the_first():
    assert training.fastest_epoch([5.0, 2.0, 3.0]) == 2.0
    assert training.fastest_epoch([1.0, 2.0, 3.0]) == 2.0
    assert training.fastest_epoch(np.array([4.0])) == 4.0
    timer = training.EpochTimer()
    timer.times = [3.0, 1.5]
    assert training.fastest_epoch(timer) == 1.5
    with pytest.raises(ValueError, match="no epoch"):
        training.fastest_epoch([])


def test_public_accuracy_on_a_model():
    # A fixed linear softmax model: class 1 wins exactly when x[0] > x[1].
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])
    model.layers[0].set_weights([np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2)])
    x = np.array([[2.0, 0.0], [0.0, 2.0], [3.0, 1.0], [1.0, 3.0]], dtype=np.float32)
    y = np.array([0, 1, 0, 0])  # the last item is misclassified
    assert training.accuracy(model, x, y, batch_size=3) == pytest.approx(0.75)
    assert training.accuracy(model, x, np.eye(2)[y]) == pytest.approx(0.75)
    assert training.accuracy(model, x, y, batch_size=np.int64(1)) == 0.75
    with pytest.raises(ValueError, match="items"):
        training.accuracy(model, x, y[:3])
    with pytest.raises(ValueError, match="batch_size"):
        training.accuracy(model, x, y, batch_size=0)
    with pytest.raises(TypeError, match="batch_size"):
        training.accuracy(model, x, y, batch_size=2.0)


def test_epoch_timer_records_each_epoch(tiny_cnn):
    model = tiny_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    timer = training.EpochTimer()
    x = np.zeros((8, 8, 8, 1), "float32")
    model.fit(x, np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.times) == 3
    assert all(t > 0 for t in timer.times)
    assert timer.mean == pytest.approx(sum(timer.times) / 3)
