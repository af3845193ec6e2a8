"""viz.plot_series and viz.plot_rnn_nodes (the lab's RNN plots)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import models, viz


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
