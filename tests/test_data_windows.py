"""cnnrnn_helpers.data.windows: sliding windows and train-only scaling (s01 task 5)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers.data.windows import make_windows, minmax_scale, window_arrays


def _series(n: int = 25, f: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """x[t, j] = 10 t + j (so every row says its time), y[t] = t % 2."""
    t = np.arange(n)
    x = (10 * t[:, None] + np.arange(f)[None, :]).astype(np.float32)
    return x, (t % 2).astype(np.uint8)


def test_window_contents_and_target_of_the_last_row():
    x, y = _series()
    windows, targets = window_arrays(x, y, length=4)
    assert windows.shape == (22, 4, 3) and windows.dtype == np.float32
    assert targets.shape == (22,) and targets.dtype == np.uint8
    # window i holds rows i..i+3 and is labelled with row i+3
    assert np.array_equal(windows[0, :, 0], [0, 10, 20, 30])
    assert np.array_equal(windows[21, :, 2], [212, 222, 232, 242])
    last_row_time = (windows[:, -1, 0] / 10).astype(int)
    assert np.array_equal(targets, y[last_row_time])
    assert np.array_equal(targets[:4], [1, 0, 1, 0])


def test_batches_and_shuffle_keep_pairs_together():
    x, y = _series(40)
    ds = make_windows(x, y, length=5, batch_size=8, shuffle=True, seed=3)
    sizes, firsts = [], []
    for inputs, targets in ds:
        inputs, targets = inputs.numpy(), targets.numpy()
        sizes.append(len(inputs))
        t_last = (inputs[:, -1, 0] / 10).astype(int)
        assert np.array_equal(targets, y[t_last])
        firsts += list(inputs[:, 0, 0] / 10)
    assert sizes == [8, 8, 8, 8, 4]  # 36 windows
    assert tuple(ds.element_spec[0].shape) == (None, 5, 3)  # static window length
    assert sorted(firsts) == list(range(36))
    assert firsts != sorted(firsts)  # shuffled


def test_length_one_and_bad_input():
    x, y = _series(5)
    windows, targets = window_arrays(x, y, length=1)
    assert windows.shape == (5, 1, 3) and np.array_equal(targets, y)
    with pytest.raises(ValueError, match="fewer than one window"):
        window_arrays(x, y, length=6)
    with pytest.raises(ValueError, match="rows but y has"):
        window_arrays(x, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        window_arrays(x[:, 0], y)
    with pytest.raises(TypeError, match="length"):
        window_arrays(x, y, length=2.0)


def test_minmax_scale_uses_training_statistics_only():
    train = np.array([[0.0, 10.0], [5.0, 20.0], [10.0, 30.0]])
    test = np.array([[20.0, 15.0]])
    a, b = minmax_scale(train, test)
    assert a.dtype == np.float32
    assert np.allclose(a, [[0, 0], [0.5, 0.5], [1, 1]])
    assert np.allclose(b, [[2.0, 0.25]])  # test may leave [0, 1] without clipping


def test_minmax_scale_clips_spikes():
    rng = np.random.default_rng(0)
    train = rng.uniform(4000, 4100, size=(1000, 1))
    train[10] = 300000.0  # one spike, as in the real EEG recording
    plain, _ = minmax_scale(train, train[:5])
    robust, test = minmax_scale(train, np.array([[5e5], [4050.0]]), clip_quantile=0.01)
    assert np.median(plain) < 0.001  # the spike squeezes everything else
    assert 0.4 < np.median(robust) < 0.6
    assert robust.min() == 0 and robust.max() == 1
    assert test[0, 0] == 1.0 and 0.4 < test[1, 0] < 0.6
    with pytest.raises(ValueError, match="clip_quantile"):
        minmax_scale(train, train, clip_quantile=0.5)
    with pytest.raises(ValueError, match="same number of columns"):
        minmax_scale(train, np.ones((2, 3)))
