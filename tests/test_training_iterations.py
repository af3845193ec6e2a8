"""cnnrnn_helpers.training.iterations: the iteration-based trainer of sheet s03."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import training, viz
from cnnrnn_helpers.training import _shared as training_shared


def _blobs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two separable 4-D Gaussian blobs: x float32 (n, 4), y (n,) in {0, 1}."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    x = rng.normal(size=(n, 4)) + 2.0 * y[:, None]
    return x.astype(np.float32), y.astype(np.int64)


def _model(seed: int = 1, dropout: float = 0.0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(2, activation="softmax"))
    return keras.Sequential(layers)


def _train(model=None, **kwargs) -> training.IterationHistory:
    x, y = _blobs(300)
    xt, yt = _blobs(100, seed=1)
    options = {"steps": 50, "batch_size": 20, "every": 10, "progress": False}
    options.update(kwargs)
    return training.train_iterations(
        model if model is not None else _model(),
        keras.optimizers.SGD(0.1),
        keras.losses.SparseCategoricalCrossentropy(),
        x,
        y,
        xt,
        yt,
        **options,
    )


@pytest.fixture(scope="module")
def run():
    """One run of 210 steps recorded every 50: (history, optimizer)."""
    optimizer = keras.optimizers.SGD(0.1)
    x, y = _blobs(300)
    xt, yt = _blobs(100, seed=1)
    h = training.train_iterations(
        _model(),
        optimizer,
        "sparse_categorical_crossentropy",
        x,
        y,
        xt,
        yt,
        steps=210,
        batch_size=20,
        every=50,
        progress=False,
    )
    return h, optimizer


def test_step_count_and_record_spacing(run):
    h, optimizer = run
    assert int(optimizer.iterations.numpy()) == 210
    assert h.steps == 210
    assert h.history["step"] == [50.0, 100.0, 150.0, 200.0, 210.0]
    assert len(h) == 5
    assert set(h.history) == set(training.IterationHistory.KEYS)
    assert all(len(v) == 5 for v in h.history.values())
    secs = h.history["seconds"]
    assert secs == sorted(secs)


def test_learns_separable_data_and_accuracy_is_a_fraction(run):
    h, _ = run
    test_acc = np.array(h.history["test_accuracy"])
    assert test_acc.min() >= 0 and test_acc.max() <= 1
    # blobs 2 standard deviations apart per axis: the Bayes accuracy is ~0.98
    assert h.final("test_accuracy") > 0.9
    assert h.history["loss"][-1] < h.history["loss"][0]
    # the curves use fixed subsets: by default all 300 training and 100 test
    # items here, so accuracies are multiples of 1/300 and 1/100
    assert (h.eval_train, h.eval_test) == (300, 100)
    assert all(abs(a * 300 - round(a * 300)) < 1e-6 for a in h.history["accuracy"])
    assert all(abs(a * 100 - round(a * 100)) < 1e-6 for a in test_acc)
    # ... and the last curve point is the whole-set figure after the last step
    assert h.history["accuracy"][-1] == h.final_train_accuracy
    assert h.history["test_accuracy"][-1] == h.final_test_accuracy
    assert h.history["test_loss"][-1] == pytest.approx(h.final_test_loss, rel=1e-5)
    with pytest.raises(ValueError, match="unknown metric"):
        h.final("val_accuracy")


def test_history_plots_with_viz(run):
    h, _ = run
    fig = viz.plot_history(h, ("accuracy",), x="step", xlabel="iteration")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["train", "test"]
    assert list(lines[0].get_xdata()) == h.history["step"]
    assert "step    210" in h.record_line()
    assert "final_test_accuracy=0.9" in repr(h)


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = _train(_model(dropout=0.3), seed=7, steps=30)
    b = _train(_model(dropout=0.3), seed=7, steps=30)
    c = _train(_model(dropout=0.3), seed=8, steps=30)
    for key in ("loss", "test_loss", "test_accuracy"):
        assert a.history[key] == b.history[key]
    assert a.history["loss"] != c.history["loss"]


def test_binary_targets_with_sigmoid_output():
    x, y = _blobs(200)
    keras.utils.set_random_seed(0)
    binary = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    h = training.train_iterations(
        binary,
        keras.optimizers.SGD(0.5),
        keras.losses.BinaryCrossentropy(),
        x,
        y.astype(np.float32),
        x[:100],
        y[:100],
        steps=100,
        batch_size=20,
        every=100,
        progress=False,
    )
    assert len(h) == 1
    assert h.final() > 0.9


def test_accuracy_helper_layouts():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert training_shared._accuracy(np.array([0, 1, 1]), probs) == pytest.approx(2 / 3)
    assert training_shared._accuracy(np.eye(2)[[0, 1, 0]], probs) == 1.0
    sig = np.array([[0.7], [0.2], [0.51]])
    assert training_shared._accuracy(np.array([1, 0, 0]), sig) == pytest.approx(2 / 3)


def test_progress_lines_without_carriage_return(capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    _train(steps=40, every=2, progress=True)
    out = capsys.readouterr()
    assert "\r" not in out.out + out.err
    lines = [line for line in out.out.splitlines() if line.startswith("step")]
    assert len(lines) == 10  # 20 records, one line per 2 records
    assert lines[-1].startswith("step     40")


def test_fixed_subsets_and_final_evaluation_on_the_whole_sets():
    x, y = _blobs(300)
    xt, yt = _blobs(100, seed=1)
    model = _model()
    h = _train(model, steps=60, eval_train=40, eval_test=30, eval_batch=7)
    assert (h.eval_train, h.eval_test) == (40, 30)
    assert all(abs(a * 40 - round(a * 40)) < 1e-6 for a in h.history["accuracy"])
    assert all(abs(a * 30 - round(a * 30)) < 1e-6 for a in h.history["test_accuracy"])
    probs = model.predict(xt, verbose=0)
    assert h.final_test_accuracy == pytest.approx(np.mean(probs.argmax(1) == yt))
    loss = keras.losses.SparseCategoricalCrossentropy()
    assert h.final_test_loss == pytest.approx(float(loss(yt, probs)), rel=1e-5)
    probs = model.predict(x, verbose=0)
    assert h.final_train_accuracy == pytest.approx(np.mean(probs.argmax(1) == y))
    assert h.eval_seconds > h.final_eval_seconds > 0
    # the same seed draws the same subsets: same curves; no final evaluation
    again = _train(_model(), steps=60, eval_train=40, eval_test=30, final_eval=False)
    assert again.history["test_accuracy"] == h.history["test_accuracy"]
    assert again.history["accuracy"] == h.history["accuracy"]
    assert np.isnan(again.final_test_accuracy)
    assert np.isnan(again.final_train_loss)
    assert again.final_eval_seconds == 0


def test_steps_follow_the_seeded_minibatch_order():
    """Weights after 23 SGD steps equal a plain loop over the documented order."""
    x, y = _blobs(300)
    start = _model().get_weights()
    trained = _model()
    _train(trained, steps=23, every=5, batch_size=40, seed=3)
    reference = _model()
    reference.set_weights(start)
    optimizer = keras.optimizers.SGD(0.1)
    loss = keras.losses.SparseCategoricalCrossentropy()
    reference.compile(optimizer=optimizer, loss=loss)
    rng = np.random.default_rng(3)
    order, position = rng.permutation(300), 0
    for _ in range(23):
        if position + 40 > 300:  # 300 = 7 * 40 + 20: reshuffle after 7 batches
            order, position = rng.permutation(300), 0
        index = order[position : position + 40]
        position += 40
        reference.train_on_batch(x[index], y[index].astype(np.float32))
    for got, want in zip(trained.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == 23


def test_xla_gives_the_same_run():
    plain = _train(_model(), steps=30, every=10)
    xla = _train(_model(), steps=30, every=10, jit_compile=True)
    np.testing.assert_allclose(xla.history["loss"], plain.history["loss"], rtol=1e-4)
    assert xla.history["test_accuracy"] == plain.history["test_accuracy"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"eval_train": 0}, ValueError),
        ({"eval_test": 2.5}, TypeError),
        ({"eval_batch": 0}, ValueError),
        ({"final_eval": "no"}, TypeError),
        ({"jit_compile": 1}, TypeError),
        ({"steps": 0}, ValueError),
        ({"steps": 2.5}, TypeError),
        ({"every": 0}, ValueError),
        ({"batch_size": 1000}, ValueError),
        ({"seed": -1}, ValueError),
        ({"progress": "yes"}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        _train(**kwargs)


def test_bad_model_optimizer_and_data():
    x, y = _blobs(50)
    loss = keras.losses.SparseCategoricalCrossentropy()
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="built"):
        training.train_iterations(
            unbuilt, keras.optimizers.SGD(), loss, x, y, x, y, steps=1, batch_size=5
        )
    with pytest.raises(TypeError, match="optimizer"):
        training.train_iterations(
            _model(), "sgd", loss, x, y, x, y, steps=1, batch_size=5
        )
    with pytest.raises(ValueError, match="y_train"):
        training.train_iterations(
            _model(),
            keras.optimizers.SGD(),
            loss,
            x,
            y[:-1],
            x,
            y,
            steps=1,
            batch_size=5,
        )
    with pytest.raises(ValueError, match="x_test is empty"):
        training.train_iterations(
            _model(),
            keras.optimizers.SGD(),
            loss,
            x,
            y,
            x[:0],
            y[:0],
            steps=1,
            batch_size=5,
        )
