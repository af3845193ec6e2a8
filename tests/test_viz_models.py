"""Plots return figures and reject bad input; model summary and timer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import models, training, viz


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_image_grid_shapes_and_titles():
    imgs = np.zeros((7, 28, 28), dtype=np.uint8)
    fig = viz.image_grid(imgs, titles=list("abcdefg"), ncols=4)
    assert len(fig.axes) == 8
    assert fig.axes[0].get_title() == "a"
    rgb = np.random.default_rng(0).random((2, 8, 8, 3))
    assert len(viz.image_grid(rgb).axes) == 2
    with pytest.raises(ValueError, match="titles"):
        viz.image_grid(imgs, titles=["x"])
    with pytest.raises(ValueError, match="an image must be"):
        viz.image_grid(np.zeros((2, 4, 4, 2)))


def test_image_table_and_confusion_matrix():
    fig = viz.image_table(
        [[np.zeros((4, 4)), np.ones((4, 4))]] * 3,
        row_labels=["a", "b", "c"],
        col_labels=["x", "y"],
    )
    assert len(fig.axes) == 6
    cm = np.array([[5, 1], [2, 7]])
    fig = viz.plot_confusion_matrix(cm, ["neg", "pos"], normalize=True)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["0.83", "0.17", "0.22", "0.78"]
    assert "accuracy=0.8000" in fig.axes[0].get_xlabel()
    fig = viz.plot_confusion_matrix(cm)
    assert [t.get_text() for t in fig.axes[0].texts] == ["5", "1", "2", "7"]
    with pytest.raises(ValueError, match="square"):
        viz.plot_confusion_matrix(np.zeros((2, 3)))


def test_plot_history_accepts_dicts_and_runs():
    hist = {
        "loss": [1.0, 0.5],
        "val_loss": [1.1, 0.7],
        "accuracy": [0.5, 0.8],
        "val_accuracy": [0.4, 0.7],
    }
    fig = viz.plot_history(hist)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2
    fig = viz.plot_history({"a": hist, "b": hist}, metrics=("accuracy",))
    assert len(fig.axes[0].lines) == 4
    with pytest.raises(TypeError, match="history"):
        viz.plot_history([1, 2, 3])


def test_prob_bars_marks_prediction():
    fig = viz.prob_bars(
        [0.1, 0.7, 0.2], ["a", "b", "c"], true_label=2, image=np.zeros((8, 8))
    )
    assert "predicted: b" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="class names"):
        viz.prob_bars([0.5, 0.5], ["a"])


def test_presenter_style_switches_fonts(monkeypatch):
    assert viz.presenter() is True
    assert plt.rcParams["font.size"] >= 16
    assert viz.presenter(False) is False
    assert plt.rcParams["font.size"] < 16
    monkeypatch.setenv("CNNRNN_PRESENT", "1")
    assert viz.use_style() is True
    monkeypatch.setenv("CNNRNN_PRESENT", "0")
    assert viz.use_style() is False


def _tiny_cnn():
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(2, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def test_summary_table_is_deterministic_and_counts():
    model = _tiny_cnn()
    text = models.summary_table(model)
    # conv: 3*3*1*2 + 2 = 20; dense: (3*3*2)*3 + 3 = 57
    assert "Conv2D" in text and "(None, 6, 6, 2)" in text
    assert "(None, 3, 3, 2)" in text
    assert text.splitlines()[-1] == "total params: 77 (trainable: 77)"
    assert models.count_params(model) == 77
    assert models.summary_table(_tiny_cnn()) == text  # no name counters


def test_feature_maps_shapes():
    model = _tiny_cnn()
    _fig, acts = viz.feature_maps_of_image(
        model, np.zeros((8, 8, 1)), layer_types=("Conv2D", "MaxPooling2D")
    )
    assert [a.shape for a in acts] == [(6, 6, 2), (3, 3, 2)]
    with pytest.raises(ValueError, match="no layers of type"):
        viz.feature_maps_of_image(model, np.zeros((8, 8)), layer_types=("LSTM",))


def test_epoch_timer_records_each_epoch():
    model = _tiny_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    timer = training.EpochTimer()
    x = np.zeros((8, 8, 8, 1), "float32")
    model.fit(x, np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.times) == 3
    assert all(t > 0 for t in timer.times)
    assert timer.mean == pytest.approx(sum(timer.times) / 3)


def test_plot_history_kinds_selects_curves():
    run = {"step": [100, 200], "accuracy": [0.5, 0.8], "test_accuracy": [0.4, 0.7]}
    fig = viz.plot_history({"a": run, "b": run}, ("accuracy",), x="step")
    assert len(fig.axes[0].lines) == 4
    fig = viz.plot_history(
        {"a": run, "b": run}, ("accuracy",), x="step", kinds=("test",)
    )
    lines = fig.axes[0].lines
    assert [line.get_label() for line in lines] == ["a", "b"]
    assert list(lines[0].get_xdata()) == [100, 200]
    assert list(lines[1].get_ydata()) == [0.4, 0.7]
    with pytest.raises(ValueError, match="kinds"):
        viz.plot_history(run, kinds=("training",))
    with pytest.raises(ValueError, match="kinds"):
        viz.plot_history(run, kinds=())
    plt.close("all")


def test_plot_prob_vs_value_draws_dots_and_lines():
    fig = viz.plot_prob_vs_value([90, 100, 130], [0.1, 0.6, 0.99], threshold=99.5)
    ax = fig.axes[0]
    assert ax.collections[0].get_offsets().shape == (3, 2)
    assert ax.lines[0].get_xdata()[0] == 99.5
    with pytest.raises(ValueError, match="equally long"):
        viz.plot_prob_vs_value([1, 2], [0.5])
    plt.close("all")
