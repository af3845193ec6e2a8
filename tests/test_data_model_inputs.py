"""cnnrnn_helpers.data.model_inputs: flat MNIST inputs and the fixed probe batch."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers import data
from cnnrnn_helpers.data import Dataset


def _ds():
    x = np.arange(6 * 4, dtype=np.uint8).reshape(6, 2, 2) * 10
    return Dataset(
        "toy",
        x,
        np.array([0, 1, 2, 0, 1, 2]),
        x[:2],
        np.array([2, 0]),
        ("a", "b", "c"),
        "stand-in",
    )


def test_flat_images_scales_flattens_and_one_hots():
    flat = data.flat_images(_ds())
    assert flat.x_train.shape == (6, 4) and flat.x_train.dtype == np.float32
    np.testing.assert_allclose(flat.x_train[1], np.array([40, 50, 60, 70]) / 255.0)
    assert flat.x_train.max() == pytest.approx(230 / 255)
    np.testing.assert_array_equal(flat.y_test, [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(flat.labels_train, [0, 1, 2, 0, 1, 2])
    assert data.flat_images(_ds(), n_classes=np.int64(5)).y_train.shape == (6, 5)


def test_flat_images_rejects_bad_input():
    with pytest.raises(TypeError, match="x_train"):
        data.flat_images(object())
    with pytest.raises(ValueError, match="n_classes"):
        data.flat_images(_ds(), n_classes=1)
    with pytest.raises(ValueError, match="y_train"):
        data.flat_images(_ds(), n_classes=2)


def test_probe_batch_is_fixed_and_distinct():
    x, y = np.arange(100).reshape(50, 2), np.arange(50)
    a = data.probe_batch(x, y, 8, seed=0)
    b = data.probe_batch(x, y, np.int64(8), seed=0)
    np.testing.assert_array_equal(a.index, b.index)
    assert len(set(a.index.tolist())) == 8
    np.testing.assert_array_equal(a.x, x[a.index])
    np.testing.assert_array_equal(a.y, y[a.index])
    expected = np.random.default_rng(0).choice(50, size=8, replace=False)
    np.testing.assert_array_equal(a.index, expected)
    with pytest.raises(ValueError, match="size"):
        data.probe_batch(x, y, 51)
    with pytest.raises(ValueError, match="same length"):
        data.probe_batch(x, y[:3])
    with pytest.raises(TypeError, match="size"):
        data.probe_batch(x, y, 2.5)
