"""viz.layer_outputs and viz.feature_maps_by_layer: one screen-sized figure a layer."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import models, viz


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
