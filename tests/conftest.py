"""Fixtures shared by the unit tests of the library (tests/test_*.py).

The session set-up (smoke profile, offline data, a temporary data home) is
the repository's top-level ``conftest.py``; this file holds what several
test modules use: closing figures, and small factories (a fixture returning
a function) for the models and data that more than one module builds.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every Matplotlib figure a test left open."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def tiny_cnn():
    """Factory: a small built CNN, (8, 8, 1) -> Conv2D(2) -> pool -> Dense(3)."""
    import keras

    def make():
        return keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                keras.layers.Conv2D(2, 3, activation="relu"),
                keras.layers.MaxPooling2D(2),
                keras.layers.Flatten(),
                keras.layers.Dense(3, activation="softmax"),
            ]
        )

    return make


@pytest.fixture
def summing_rnn():
    """Factory: a stateful linear SimpleRNN with h_t = h_{t-1} + x_t, output h_t."""
    from cnnrnn_helpers import models

    def make(batch_size=2, chunk=2):
        model = models.stateful_rnn(
            "simple", 1, batch_size=batch_size, chunk=chunk, activation="linear"
        )
        model.set_weights(
            [
                np.ones((1, 1)),
                np.ones((1, 1)),
                np.zeros(1),
                np.ones((1, 1)),
                np.zeros(1),
            ]
        )
        return model

    return make


@pytest.fixture
def make_sequences():
    """Factory: lengths 2, 3, 2, 5, 3, 2; sequence k holds the values k, k, ...."""

    def make() -> tuple[list[np.ndarray], np.ndarray]:
        lengths = [2, 3, 2, 5, 3, 2]
        seqs = [np.full(n, float(k), dtype=np.float32) for k, n in enumerate(lengths)]
        return seqs, np.arange(len(seqs), dtype=np.int64)

    return make


@pytest.fixture
def shifted_corr():
    """Best correlation of two images over shifts of up to one pixel."""

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        return max(
            float(
                np.corrcoef(np.roll(a, (dr, dc), axis=(0, 1)).ravel(), b.ravel())[0, 1]
            )
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
        )

    return corr


@pytest.fixture
def policy_restored():
    """Leave Keras' global policy float32 after the test, as the session uses."""
    import keras

    yield
    keras.mixed_precision.set_global_policy("float32")
