"""fit_and_evaluate / evaluate_fit, train_in_turns, fastest_epoch, multiply_adds,
marked_image_grid: the helpers behind the sheet-5 notebooks."""

from __future__ import annotations

import keras
import matplotlib
import numpy as np
import pytest

from cnnrnn_helpers import config, models, training, viz

matplotlib.use("Agg")


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


def test_multiply_adds_of_the_sheet_5_cnns():
    assert models.multiply_adds(models.small_cnn()) == [
        ("Conv2D", 26 * 26 * 16 * 9),
        ("MaxPooling2D", 0),
        ("Conv2D", 11 * 11 * 8 * 9 * 16),
        ("MaxPooling2D", 0),
        ("Flatten", 0),
        ("Dense", 200 * 10),
    ]
    strided = models.multiply_adds(models.small_cnn(strides=True))
    assert strided == [
        ("Conv2D", 13 * 13 * 16 * 9),
        ("Conv2D", 6 * 6 * 8 * 9 * 16),
        ("Flatten", 0),
        ("Dense", 288 * 10),
    ]
    assert sum(m for _, m in strided) == 68688
    assert models.multiply_adds(models.deep_mlp(2, 10)) == [
        ("Dense", 7840),
        ("Dense", 100),
        ("Dense", 100),
    ]
    with pytest.raises(TypeError, match="Keras model"):
        models.multiply_adds(np.zeros(3))


def test_marked_image_grid_frames_the_marked_images():
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    fig = viz.marked_image_grid(images, ["a", "b", "c"], [False, True, False], ncols=3)
    axes = fig.axes
    assert len(axes) == 3
    assert axes[1].title.get_color() == "red"
    assert axes[1].spines["left"].get_linewidth() == 4
    assert axes[0].title.get_color() != "red"
    with pytest.raises(ValueError, match="2 flags for 3 images"):
        viz.marked_image_grid(images, None, [True, False])
    matplotlib.pyplot.close("all")
