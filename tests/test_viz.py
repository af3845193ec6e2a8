"""cnnrnn_helpers.viz: every plot returns its figure and rejects bad input; the
feature-map figures; the presenter style."""

from __future__ import annotations

import keras
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import models, viz


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


def test_plot_gradient_grid():
    grads = {
        5: {"relu": [1e-2, 1e-3, 0.0], "tanh": [1e-1, 1e-2, 1e-3]},
        20: {"relu": np.ones(4)},
    }
    fig = viz.plot_gradient_grid(grads)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].get_title() == "5 hidden layers"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "relu (zeros not drawn)",
        "tanh",
    ]
    assert np.isnan(fig.axes[0].lines[0].get_ydata()[2])
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_xdata(), [1, 2, 3, 4])
    fig = viz.plot_gradient_grid({40: {"relu": np.zeros(3)}}, log=True)
    assert fig.axes[0].get_legend().get_texts()[0].get_text().endswith("not drawn)")
    with pytest.raises(ValueError, match=">= 0"):
        viz.plot_gradient_grid({5: {"relu": [-1.0]}})
    with pytest.raises(ValueError, match="non-empty"):
        viz.plot_gradient_grid({})


def test_plot_heatmap():
    values = np.array([[0.9, 0.5], [0.1, np.nan]])
    fig = viz.plot_heatmap(values, ["5", "20"], ["relu", "tanh"], fmt="{:.0%}")
    assert [t.get_text() for t in fig.axes[0].texts] == ["90%", "50%", "10%"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["relu", "tanh"]
    with pytest.raises(ValueError, match="labels"):
        viz.plot_heatmap(values, ["a"], ["b", "c"])


def test_plot_labelled_series_shades_the_label_and_marks_the_split():
    x = np.column_stack([np.arange(100.0), np.zeros(100)])
    y = (np.arange(100) >= 50).astype(np.uint8)
    fig = viz.plot_labelled_series(x, y, channel=0, split=80, label_name="closed")
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] <= 6.75  # fits a 16:9 presenter screen
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["channel 0 (clipped)", "closed", "train | test"]
    assert ax.lines[1].get_xdata()[0] == 80  # the split line
    curve = ax.lines[0].get_ydata()
    assert curve.min() == pytest.approx(0.99) and curve.max() == pytest.approx(98.01)
    with pytest.raises(ValueError, match="channel"):
        viz.plot_labelled_series(x, y, channel=2)
    with pytest.raises(ValueError, match="labels"):
        viz.plot_labelled_series(x, y[:10])
    with pytest.raises(TypeError, match="split"):
        viz.plot_labelled_series(x, y, split=1.5)


def test_plot_sequences_draws_n_curves_and_the_length_counts(make_sequences):
    seqs, labels = make_sequences()
    fig = viz.plot_sequences(seqs, labels + 1, n=4)
    left, right = fig.axes
    assert len(left.lines) == 4
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "label 1",
        "label 2",
        "label 3",
        "label 4",
    ]
    heights = [p.get_height() for p in right.patches]
    assert heights == [3, 2, 1]  # lengths 2, 3, 5
    assert fig.get_size_inches()[1] <= 6.75
    with pytest.raises(ValueError, match="n must be"):
        viz.plot_sequences(seqs, labels, n=0)
    with pytest.raises(ValueError, match="labels"):
        viz.plot_sequences(seqs, labels[:2])


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


def test_feature_maps_shapes(tiny_cnn):
    model = tiny_cnn()
    _fig, acts = viz.feature_maps_of_image(
        model, np.zeros((8, 8, 1)), layer_types=("Conv2D", "MaxPooling2D")
    )
    assert [a.shape for a in acts] == [(6, 6, 2), (3, 3, 2)]
    with pytest.raises(ValueError, match="no layers of type"):
        viz.feature_maps_of_image(model, np.zeros((8, 8)), layer_types=("LSTM",))


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


def test_one_figure_per_layer_no_taller_than_16_9():
    keras.utils.set_random_seed(0)
    model = models.svhn_cnn(pool_strides=3)
    images = np.random.default_rng(0).random((10, 32, 32, 3)).astype("float32")
    layers, outs = viz.layer_outputs(model, images)
    assert [o.shape for o in outs] == [
        (10, 32, 32, 9),
        (10, 11, 11, 36),
        (10, 4, 4, 49),
    ]
    assert [type(layer).__name__ for layer in layers] == ["Conv2D"] * 3
    figs, acts = viz.feature_maps_by_layer(
        model, images, titles=[str(d) for d in range(10)]
    )
    assert len(figs) == 4 and len(acts) == 10
    np.testing.assert_allclose(acts[3][1], outs[1][3])
    for fig in figs:
        w, h = fig.get_size_inches()
        assert w == pytest.approx(12.0) and h <= 6.75
        assert len([ax for ax in fig.axes if ax.axison]) == 10
    assert "36 maps of 11x11" in figs[2]._suptitle.get_text()
    plt.close("all")


def test_bad_arguments():
    model = models.svhn_cnn()
    x = np.zeros((2, 32, 32, 3), "float32")
    with pytest.raises(ValueError, match="titles"):
        viz.feature_maps_by_layer(model, x, titles=["a"])
    with pytest.raises(ValueError, match="ncols"):
        viz.feature_maps_by_layer(model, x, ncols=0)
    with pytest.raises(ValueError, match="no layers"):
        viz.layer_outputs(model, x, layer_types=("LSTM",))
    with pytest.raises(ValueError, match="batch"):
        viz.layer_outputs(model, np.zeros(5))
    plt.close("all")


def test_plot_series_panels_and_height_limit():
    t = np.arange(30)
    rows = [(f"row {i}", {"a": np.sin(t + i), "b": np.cos(t)}) for i in range(8)]
    fig = viz.plot_series(rows, title="x")
    assert len(fig.axes) == 8
    width, height = fig.get_size_inches()
    assert height <= width * 9 / 16 + 1e-9  # never taller than a 16:9 screen
    assert [len(ax.lines) for ax in fig.axes] == [2] * 8
    plt.close(fig)
    with pytest.raises(ValueError, match="rows"):
        viz.plot_series([])
    with pytest.raises(ValueError, match="1-D"):
        viz.plot_series([("bad", {"a": np.zeros((2, 3))})])


@pytest.mark.parametrize(("layers", "panels"), [(1, 3), (2, 4)])
def test_plot_rnn_nodes_shows_every_recurrent_layer(layers, panels):
    model = models.stateful_rnn(
        "gru", 3, layers=layers, units2=2, batch_size=2, chunk=10
    )
    x = np.zeros((3, 20), "float32")
    x[:, 2:5] = 0.7
    y = np.zeros((3, 20), "float32")
    fig, act = viz.plot_rnn_nodes(model, x, y, index=2)
    assert len(fig.axes) == panels  # input, output, one per recurrent layer
    assert act["rnn_1"].shape == (3, 20, 3)
    assert act["prediction"].shape == (3, 20, 1)
    if layers == 2:
        assert act["rnn_2"].shape == (3, 20, 2)
    last = fig.axes[panels - 1]
    labels = [line.get_label() for line in last.lines]
    assert len(labels) == (3 if layers == 1 else 2)
    assert all("w=" in label for label in labels)  # weights into the output
    plt.close(fig)


def test_plot_rnn_nodes_rejects_bad_input():
    model = models.stateful_rnn("simple", 2, batch_size=2, chunk=10)
    x = np.zeros((2, 20), "float32")
    with pytest.raises(ValueError, match="index"):
        viz.plot_rnn_nodes(model, x, x, index=2)
    with pytest.raises(TypeError, match="index"):
        viz.plot_rnn_nodes(model, x, x, index=1.0)
    with pytest.raises(ValueError, match="match"):
        viz.plot_rnn_nodes(model, x, x[:, :10])
    with pytest.raises(ValueError, match="recurrent"):
        viz.plot_rnn_nodes(models.lab_cnn(), x, x)


def test_the_earlier_feature_map_names_are_the_new_functions():
    assert viz.feature_maps is viz.feature_maps_of_image
    assert viz.feature_map_grids is viz.feature_maps_by_image
    assert viz.feature_map_figures is viz.feature_maps_by_layer
