"""Sliding windows over a multivariate time series (sheet s01 task 5, EEG).

A recurrent network classifies a short stretch of a recording.  These helpers
cut a series ``x`` (time, features) with per-step labels ``y`` (time,) into
overlapping windows of ``length`` consecutive rows with
:func:`keras.utils.timeseries_dataset_from_array`, and label each window with
the label of its **last** row: the window ``x[i : i + length]`` gets
``y[i + length - 1]``.  The network thus sees the present reading and the
``length - 1`` readings before it, never a later one.

Cut the training and the test part separately (after a chronological split):
a window that straddled the boundary would put test rows into training.

Import as ``from cnnrnn_helpers.data.windows import make_windows``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._args import check_bool, check_float, check_int, check_seed

__all__ = ["make_windows", "minmax_scale", "window_arrays"]


def _check_series(x: ArrayLike, y: ArrayLike, length: int) -> tuple[np.ndarray, ...]:
    length = check_int(length, "length", minimum=1)
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D (time, features), got shape {x.shape}")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (time,), got shape {y.shape}")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    if len(x) < length:
        raise ValueError(
            f"the series has {len(x)} rows, fewer than one window of {length}"
        )
    return x, y


def make_windows(
    x: ArrayLike,
    y: ArrayLike,
    length: int = 10,
    *,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int | None = None,
) -> Any:
    """Batches of overlapping windows, each labelled by its last row.

    Parameters
    ----------
    x
        The series, shape (n, features), ordered in time (converted to
        float32), e.g. 14 scaled EEG channels.
    y
        One label per row, shape (n,), e.g. uint8 0/1.
    length
        Rows per window, 1 <= length <= n (the sheet: 10).
    batch_size
        Windows per batch.
    shuffle
        Shuffle the order of the windows (not the rows inside a window), as
        wanted for training; keep ``False`` for evaluation.
    seed
        Seed of the shuffling.

    Returns
    -------
    tf.data.Dataset
        ``n - length + 1`` windows in batches: inputs float32
        (batch, length, features), the window length known statically, with
        ``inputs[j] = x[i : i + length]`` for window ``i``, and targets
        (batch,) with ``y[i + length - 1]`` (dtype of ``y``).  Consecutive
        windows share ``length - 1`` rows.
    """
    import keras
    import tensorflow as tf

    x, y = _check_series(x, y, length)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    shuffle = check_bool(shuffle, "shuffle")
    seed = None if seed is None else check_seed(seed)
    dataset = keras.utils.timeseries_dataset_from_array(
        data=x,
        targets=y[length - 1 :],
        sequence_length=int(length),
        sequence_stride=1,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
    )
    # Keras leaves the window axis unknown (None); state it, so that layers
    # such as TimeDistributed see a fixed number of time steps.
    shape = (None, int(length), x.shape[1])
    return dataset.map(
        lambda inputs, targets: (tf.ensure_shape(inputs, shape), targets)
    )


def window_arrays(
    x: ArrayLike, y: ArrayLike, length: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """All windows of :func:`make_windows` as two NumPy arrays, in time order.

    Returns
    -------
    windows : numpy.ndarray
        float32, shape (n - length + 1, length, features).
    targets : numpy.ndarray
        shape (n - length + 1,), ``targets[i] = y[i + length - 1]``.
    """
    dataset = make_windows(x, y, length, batch_size=1024, shuffle=False)
    inputs, targets = zip(*((a.numpy(), b.numpy()) for a, b in dataset))
    return np.concatenate(inputs), np.concatenate(targets)


def minmax_scale(
    x_train: ArrayLike,
    x_test: ArrayLike,
    *,
    clip_quantile: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Scale every column to [0, 1] using the training part only.

    Each feature ``j`` is mapped by ``(x - lo_j) / (hi_j - lo_j)`` where
    ``lo_j`` and ``hi_j`` come from ``x_train`` alone, so no statistic of the
    test data leaks into training.  With ``clip_quantile=q > 0`` they are the
    ``q`` and ``1 - q`` quantiles instead of the minimum and maximum, and
    values outside are clipped first: a few extreme spikes (as in the EEG
    recording) then cannot squeeze all ordinary readings into a tiny band.

    Parameters
    ----------
    x_train, x_test
        Arrays (n_train, features) and (n_test, features), any real dtype.
    clip_quantile
        In [0, 0.5).  0 gives the plain min-max scaling.

    Returns
    -------
    train, test : numpy.ndarray
        float32, same shapes.  ``train`` lies in [0, 1]; ``test`` does too
        when clipping is on, otherwise it may go slightly outside.
    """
    train = np.asarray(x_train, dtype=np.float64)
    test = np.asarray(x_test, dtype=np.float64)
    if train.ndim != 2 or test.ndim != 2 or train.shape[1] != test.shape[1]:
        raise ValueError(
            "x_train and x_test must be 2-D with the same number of columns, got "
            f"{train.shape} and {test.shape}"
        )
    clip_quantile = check_float(
        clip_quantile, "clip_quantile", low=0.0, high=0.5, high_open=True
    )
    if len(train) == 0:
        raise ValueError("x_train is empty")
    lo = np.quantile(train, clip_quantile, axis=0)
    hi = np.quantile(train, 1.0 - clip_quantile, axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)

    def scale(a: np.ndarray) -> np.ndarray:
        if clip_quantile > 0:
            a = np.clip(a, lo, hi)
        return ((a - lo) / span).astype(np.float32)

    return scale(train), scale(test)
