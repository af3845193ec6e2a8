"""Builders of the Fashion-MNIST sheets: parameter counts and output shapes."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import models


def _output_shapes(model) -> list[tuple]:
    return [tuple(layer.output.shape) for layer in model.layers]


@pytest.mark.parametrize(("units", "expected"), [(10, 8070), (64, 55050)])
def test_dense_networks_of_sheet_s05(units, expected):
    # problem 1 of sheet s05 reuses deep_mlp: two hidden layers, 10 outputs
    model = models.deep_mlp(2, units)
    assert models.count_params(model) == expected
    assert expected == (784 * units + units) + (units * units + units) + (
        units * 10 + 10
    )
    probs = model(np.zeros((3, 784), dtype="float32"))
    assert probs.shape == (3, 10)
    np.testing.assert_allclose(np.asarray(probs).sum(axis=1), 1.0, rtol=1e-5)


def test_small_cnn_with_pooling_has_3330_parameters():
    model = models.small_cnn()
    assert models.count_params(model) == 3330
    per_layer = [layer.count_params() for layer in model.layers]
    assert per_layer == [160, 0, 1160, 0, 0, 2010]
    assert _output_shapes(model) == [
        (None, 26, 26, 16),
        (None, 13, 13, 16),
        (None, 11, 11, 8),
        (None, 5, 5, 8),
        (None, 200),
        (None, 10),
    ]


def test_small_cnn_with_strides_has_4210_parameters():
    model = models.small_cnn(strides=True)
    assert models.count_params(model) == 4210
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D",
        "Conv2D",
        "Flatten",
        "Dense",
    ]
    assert _output_shapes(model) == [
        (None, 13, 13, 16),
        (None, 6, 6, 8),
        (None, 288),
        (None, 10),
    ]
    out = model(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32))
    assert out.shape == (2, 10)


def test_fashion_cnn_without_pooling():
    model = models.fashion_cnn()
    assert _output_shapes(model) == [
        (None, 28, 28, 1),
        (None, 26, 26, 128),
        (None, 24, 24, 64),
        (None, 36864),
        (None, 64),
        (None, 10),
    ]
    per_layer = [layer.count_params() for layer in model.layers]
    assert per_layer == [0, 1280, 73792, 0, 2359360, 650]
    assert models.count_params(model) == 2435082


def test_fashion_cnn_with_pooling():
    model = models.fashion_cnn(pooling=True)
    assert _output_shapes(model) == [
        (None, 28, 28, 1),
        (None, 26, 26, 128),
        (None, 13, 13, 128),
        (None, 11, 11, 64),
        (None, 5, 5, 64),
        (None, 1600),
        (None, 64),
        (None, 10),
    ]
    assert models.count_params(model) == 178186
    probs = model(np.zeros((2, 28, 28), dtype="float32"))
    assert probs.shape == (2, 10)


def test_builders_return_fresh_uncompiled_models():
    a, b = models.small_cnn(), models.small_cnn()
    assert a is not b
    assert not a.compiled
    assert isinstance(a, keras.Sequential)


@pytest.mark.parametrize("builder", [models.fashion_cnn, models.small_cnn])
def test_builders_reject_bad_arguments(builder):
    with pytest.raises(TypeError, match="True or False"):
        builder("yes")
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        builder(n_classes=1)
    with pytest.raises(TypeError, match="n_classes must be an int"):
        builder(n_classes=2.0)
