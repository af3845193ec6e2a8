"""Length-grouped batches (s01 task 6) and the sequence plots of s01 tasks 5-6."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import viz
from cnnrnn_helpers.data.batching import (
    count_length_batches,
    length_batched_dataset,
    length_batches,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sequences() -> tuple[list[np.ndarray], np.ndarray]:
    """Lengths 2, 2, 2, 3, 3, 5; sequence k holds the values k, k, ... ."""
    lengths = [2, 3, 2, 5, 3, 2]
    seqs = [np.full(n, float(k), dtype=np.float32) for k, n in enumerate(lengths)]
    return seqs, np.arange(len(seqs), dtype=np.int64)


def test_batches_have_one_length_and_cover_every_sequence_once():
    seqs, labels = _sequences()
    batches = list(length_batches(seqs, labels, batch_size=2, seed=0))
    # length 2: 3 sequences -> 2 batches; length 3: 1 batch; length 5: 1 batch
    assert len(batches) == 4 == count_length_batches(seqs, batch_size=2)
    seen = []
    for x, y in batches:
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert x.ndim == 3 and x.shape[2] == 1 and len(x) == len(y) <= 2
        for row, label in zip(x[:, :, 0], y):
            # every row is its own sequence, labelled with its own label
            assert np.array_equal(row, seqs[label])
        seen += y.tolist()
    assert sorted(seen) == [0, 1, 2, 3, 4, 5]
    assert sorted(len(x[0]) for x, _ in batches) == [2, 2, 3, 5]


def test_same_seed_same_batches_other_seed_other_order():
    seqs, labels = _sequences()
    a = [y.tolist() for _, y in length_batches(seqs, labels, 1, seed=3)]
    b = [y.tolist() for _, y in length_batches(seqs, labels, 1, seed=3)]
    orders = {
        tuple(tuple(y.tolist()) for _, y in length_batches(seqs, labels, 1, seed=s))
        for s in range(6)
    }
    assert a == b
    assert len(orders) > 1


def test_dataset_declares_open_shapes_and_reshuffles_per_epoch():
    seqs, labels = _sequences()
    ds = length_batched_dataset(seqs, labels, batch_size=1, seed=0)
    assert int(ds.cardinality()) == 6
    assert ds.element_spec[0].shape.as_list() == [None, None, 1]
    first = [int(y.numpy()[0]) for _, y in ds]
    second = [int(y.numpy()[0]) for _, y in ds]
    assert sorted(first) == sorted(second) == [0, 1, 2, 3, 4, 5]
    expected = [int(y[0]) for _, y in length_batches(seqs, labels, 1, seed=0)]
    assert first == expected
    assert second == [int(y[0]) for _, y in length_batches(seqs, labels, 1, seed=1)]


def test_batching_rejects_bad_input():
    seqs, labels = _sequences()
    with pytest.raises(ValueError, match="batch_size"):
        list(length_batches(seqs, labels, batch_size=0))
    with pytest.raises(TypeError, match="batch_size"):
        list(length_batches(seqs, labels, batch_size=2.0))
    with pytest.raises(ValueError, match="labels"):
        list(length_batches(seqs, labels[:3]))
    with pytest.raises(ValueError, match="1-D"):
        list(length_batches([np.zeros((2, 2))], [0]))
    with pytest.raises(ValueError, match="empty"):
        list(length_batches([], []))
    # NumPy integers are accepted like Python ones
    assert len(list(length_batches(seqs, labels, batch_size=np.int64(6)))) == 3


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


def test_plot_sequences_draws_n_curves_and_the_length_counts():
    seqs, labels = _sequences()
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
