"""cnnrnn_helpers.data.generators against SPEC.md section 2 and the sheets."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers.data.generators import (
    CRT_CLASSES,
    R3_CLASSES,
    make_pulses,
    make_shapes,
    make_sum_series,
    make_variable_length_sequences,
)


@pytest.mark.parametrize("kind", ["crt", "r3"])
def test_shapes_layout_one_hot_and_balance(kind):
    x, y = make_shapes(kind, 500, seed=1)
    assert x.shape == (500, 64, 64, 1) and x.dtype == np.uint8
    assert y.shape == (500, 3) and y.dtype == np.float32
    np.testing.assert_array_equal(y.sum(axis=1), np.ones(500))
    assert set(np.unique(y)) == {0.0, 1.0}
    counts = y.sum(axis=0)
    assert counts.max() - counts.min() <= 1  # 167 / 167 / 166
    # bright shape on a dark background
    flat = x.reshape(500, -1).astype(float)
    assert np.all(np.percentile(flat, 99, axis=1) > 150)
    assert np.all(np.median(flat, axis=1) < 60)
    assert x.max() > 240
    assert len(CRT_CLASSES) == len(R3_CLASSES) == 3


@pytest.mark.parametrize("kind", ["crt", "r3"])
def test_shapes_deterministic_and_prefix(kind):
    x1, y1 = make_shapes(kind, 40, seed=5)
    x2, y2 = make_shapes(kind, 40, seed=5)
    x3, y3 = make_shapes(kind, 100, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(x1, x3[:40])
    np.testing.assert_array_equal(y1, y3[:40])
    x4, _ = make_shapes(kind, 40, seed=6)
    assert not np.array_equal(x1, x4)


def _masks(x: np.ndarray) -> np.ndarray:
    return x[..., 0] > 100


def test_r3_classes_follow_the_aspect_ratio():
    x, y = make_shapes("r3", 300, seed=2)
    labels = y.argmax(axis=1)
    masks = _masks(x)
    width = masks.any(axis=1).sum(axis=1)
    height = masks.any(axis=2).sum(axis=1)
    ratio = width / height
    # classes by construction: square 0.83..1.2, wide > 1.2, tall < 0.83
    # (measured on whole pixels, so allow a pixel of slack)
    assert np.all(ratio[labels == 1] > 1.05)
    assert np.all(ratio[labels == 2] < 0.95)
    assert np.all((ratio[labels == 0] > 0.7) & (ratio[labels == 0] < 1.4))
    # axis-aligned: a filled rectangle covers (almost) its bounding box
    fill = masks.sum(axis=(1, 2)) / (width * height)
    assert np.all(fill > 0.85)
    # and R3 is hard: some squares and rectangles are close to each other
    assert np.sum(np.abs(np.log(ratio)) < 0.25) > 30


def test_crt_shapes_differ_by_fill_of_the_bounding_circle():
    x, y = make_shapes("crt", 300, seed=3)
    labels = y.argmax(axis=1)
    masks = _masks(x)
    area = masks.sum(axis=(1, 2))
    # a circle fills pi/4 of its bounding box whatever the rotation
    width = masks.any(axis=1).sum(axis=1)
    height = masks.any(axis=2).sum(axis=1)
    fill = area / (width * height)
    assert abs(np.median(fill[labels == 0]) - np.pi / 4) < 0.05
    assert np.all(np.abs(width - height)[labels == 0] <= 2)  # round
    # triangles fill about half of their bounding box at most
    assert np.median(fill[labels == 2]) < 0.6
    # sizes overlap between the classes: area alone does not give the class
    lo = [np.percentile(area[labels == c], 25) for c in range(3)]
    hi = [np.percentile(area[labels == c], 75) for c in range(3)]
    assert max(lo) < min(hi)


def test_shapes_reject_bad_arguments():
    with pytest.raises(ValueError, match="kind"):
        make_shapes("squares", 10)
    with pytest.raises(ValueError, match=r"n must be in \[1, 100000000\], got 0"):
        make_shapes("crt", 0)
    with pytest.raises(ValueError, match="seed"):
        make_shapes("crt", 10, seed=-1)
    with pytest.raises(TypeError, match="n must be an int"):
        make_shapes("crt", 2.5)


def _runs(signal: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of non-zero values; ``end`` is exclusive."""
    on = np.concatenate([[0], (signal != 0).astype(int), [0]])
    edges = np.flatnonzero(np.diff(on))
    return list(zip(edges[::2], edges[1::2]))


def test_pulses_follow_the_rules():
    x, y = make_pulses(200, length=100, seed=4)
    assert x.shape == y.shape == (200, 100)
    assert x.dtype == y.dtype == np.float32
    n_checked = 0
    for xs, ys in zip(x, y):
        runs = _runs(xs)
        assert runs, "every series has at least one pulse"
        expected = np.zeros(100)
        for k, (start, end) in enumerate(runs):
            width, height = end - start, xs[start]
            np.testing.assert_allclose(xs[start:end], height)  # square pulse
            assert 0.2 <= height <= 1.0
            if end == 100:  # cut off by the end of the series
                continue
            assert 2 <= width <= 8
            if k + 1 < len(runs):  # gap before the next pulse >= 2 x width
                assert runs[k + 1][0] - end >= 2 * width
            steps = np.arange(end, min(end + 2 * width + 1, 100))
            ramp = height * (1 - np.abs(steps - end - width) / width)
            expected[steps] = ramp
            if end + width < 100:  # peak = pulse height, width steps later
                assert ys[end + width] == pytest.approx(height, abs=1e-6)
            assert ys[end] == 0.0  # the triangle starts when the pulse ends
            n_checked += 1
        np.testing.assert_allclose(ys, expected, atol=1e-6)
    assert n_checked > 500


def test_pulses_deterministic_prefix_and_arguments():
    x1, y1 = make_pulses(30, seed=7)
    x2, y2 = make_pulses(80, seed=7)
    np.testing.assert_array_equal(x1, x2[:30])
    np.testing.assert_array_equal(y1, y2[:30])
    assert make_pulses(5, length=250, seed=0)[0].shape == (5, 250)
    with pytest.raises(ValueError, match="length"):
        make_pulses(5, length=3)
    with pytest.raises(ValueError, match="n must be"):
        make_pulses(0)


def test_sum_series_labels_and_layout():
    x, y = make_sum_series()
    assert x.shape == (10000, 30) and x.dtype == np.int64
    assert y.shape == (10000,) and y.dtype == np.uint8
    assert x.min() == 0 and x.max() == 9
    np.testing.assert_array_equal(y, (x.sum(axis=1) >= 100).astype(np.uint8))
    # mean sum 135, sd about 15.7: roughly 98.6 % reach 100
    assert 0.975 < y.mean() < 0.995
    x_small, y_small = make_sum_series(n=100, seed=0)
    np.testing.assert_array_equal(x_small, x[:100])
    np.testing.assert_array_equal(y_small, y[:100])
    assert not np.array_equal(make_sum_series(n=100, seed=1)[0], x_small)
    with pytest.raises(ValueError, match="length"):
        make_sum_series(n=10, length=0)


def test_variable_length_sequences():
    seqs, targets = make_variable_length_sequences()
    assert len(seqs) == 1000 and targets.shape == (1000,)
    assert targets.dtype == np.int64
    assert set(np.unique(targets)) == {1, 2, 3, 4, 5}
    lengths = np.array([len(s) for s in seqs])
    assert set(np.unique(lengths)) == set(range(5, 11))
    assert all(s.dtype == np.float32 and s.ndim == 1 for s in seqs)
    values = np.concatenate(seqs)
    assert values.min() >= 0.0 and values.max() < 1.0
    short, short_targets = make_variable_length_sequences(n=50)
    for a, b in zip(short, seqs[:50]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(short_targets, targets[:50])
    fixed, _ = make_variable_length_sequences(n=20, min_len=7, max_len=7, seed=3)
    assert {len(s) for s in fixed} == {7}
    with pytest.raises(ValueError, match="max_len"):
        make_variable_length_sequences(min_len=6, max_len=5)
