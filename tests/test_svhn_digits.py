"""Builders of sheet s02: the SVHN CNN and the MNIST digit classifier."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import models


def _conv_and_pool_shapes(model) -> list[tuple]:
    return [
        tuple(layer.output.shape[1:])
        for layer in model.layers
        if type(layer).__name__ in ("Conv2D", "MaxPooling2D")
    ]


def test_svhn_cnn_layers_shapes_and_params():
    model = models.svhn_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D"] * 3 + ["Flatten", "Dense"]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [9, 36, 49]
    assert all(tuple(c.kernel_size) == (3, 3) for c in convs)
    pools = [layer for layer in model.layers if "Pooling" in type(layer).__name__]
    assert all(tuple(p.pool_size) == (3, 3) for p in pools)
    assert _conv_and_pool_shapes(model) == [
        (32, 32, 9), (16, 16, 9), (16, 16, 36), (8, 8, 36), (8, 8, 49), (4, 4, 49)
    ]
    # 3*3*3*9+9, 3*3*9*36+36, 3*3*36*49+49, 4*4*49*10+10
    assert models.count_params(model) == 252 + 2952 + 15925 + 7850 == 26979
    out = model(np.zeros((2, 32, 32, 3), dtype="float32"))
    assert tuple(out.shape) == (2, 10)
    np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)


def test_svhn_cnn_with_keras_default_pool_stride():
    model = models.svhn_cnn(pool_strides=3)
    assert _conv_and_pool_shapes(model)[1::2] == [(11, 11, 9), (4, 4, 36), (2, 2, 49)]
    assert models.count_params(model) == 252 + 2952 + 15925 + (2 * 2 * 49 * 10 + 10)


def test_svhn_cnn_rejects_bad_arguments():
    with pytest.raises(ValueError, match="three positive"):
        models.svhn_cnn((9, 36))
    with pytest.raises(ValueError, match="pool_strides"):
        models.svhn_cnn(pool_strides=4)


def test_digit_cnn_shapes_params_and_dropout():
    model = models.digit_cnn()
    assert tuple(model.layers[0].output.shape) == (None, 28, 28, 32)
    # 320 + 18,496 + 3136*128+128 + 128*10+10
    assert models.count_params(model) == 320 + 18496 + 401536 + 1290 == 421642
    x = np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32")
    probs = np.asarray(model(x, training=False))
    assert probs.shape == (3, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    # dropout is only active in training
    np.testing.assert_allclose(np.asarray(model(x, training=False)), probs)
    rates = [layer.rate for layer in model.layers if "Dropout" in type(layer).__name__]
    assert rates == [0.3, 0.3]
    with pytest.raises(ValueError, match="dropout"):
        models.digit_cnn(dropout=1.0)


def test_digit_cnn_round_trips_through_h5_and_keras(tmp_path):
    model = models.digit_cnn()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).random((4, 28, 28, 1)).astype("float32")
    expected = model.predict(x, verbose=0)
    for name in ("digits.h5", "digits.keras"):
        model.save(tmp_path / name)
        again = keras.models.load_model(tmp_path / name, compile=False)
        np.testing.assert_allclose(again.predict(x, verbose=0), expected, rtol=1e-6)


def test_feature_map_grids_shows_every_filter_grouped_by_layer():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cnnrnn_helpers import viz

    model = models.svhn_cnn()
    images = np.random.default_rng(2).random((2, 32, 32, 3)).astype("float32")
    fig, acts = viz.feature_maps_by_image(model, images, row_labels=["a", "b"])
    try:
        assert len(fig.axes) == 2 * 4  # input + 3 conv layers per image
        assert [a.shape for a in acts[1]] == [(32, 32, 9), (16, 16, 36), (8, 8, 49)]
        titles = [ax.get_title() for ax in fig.axes[:4]]
        assert titles[1:] == [
            "Conv2D 1\n9 maps 32x32",
            "Conv2D 2\n36 maps 16x16",
            "Conv2D 3\n49 maps 8x8",
        ]
        # the activations are the conv layer's own output for that image
        direct = np.asarray(model.layers[0](images))[1]
        np.testing.assert_allclose(acts[1][0], direct, rtol=1e-5, atol=1e-6)
        # 49 maps of 8x8 tile a 7x7 grid with 1-pixel gaps: 7*8 + 6 = 62
        mosaic = viz._mosaic(acts[0][2])
        assert mosaic.shape == (62, 62)
        assert np.isnan(mosaic[8]).all()  # the gap row after the first tile row
        assert np.nanmax(mosaic) <= 1.0 and np.nanmin(mosaic) >= 0.0
        with pytest.raises(ValueError, match="row labels"):
            viz.feature_maps_by_image(model, images, row_labels=["a"])
    finally:
        plt.close("all")
