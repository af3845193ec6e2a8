"""The handwriting-based sample photo, the sheet's blur recipe, the sample network."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from cnnrnn_helpers import models, preprocess


def test_handwritten_photo_is_deterministic_and_preprocesses_to_mnist_like():
    a = preprocess.handwritten_digit_photo(4, seed=1)
    b = preprocess.handwritten_digit_photo(4, seed=1)
    assert a.shape == (150, 200, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    steps = preprocess.preprocess_digit(a, return_steps=True)
    assert steps.inverted  # dark ink on light paper
    assert max(steps.fitted.shape) == 20
    com = ndimage.center_of_mass(steps.result)
    assert abs(com[0] - 13.5) < 1.0 and abs(com[1] - 13.5) < 1.0
    light = preprocess.handwritten_digit_photo(7, dark_ink=False)
    assert light.mean() < a.mean()
    with pytest.raises(ValueError, match="digit"):
        preprocess.handwritten_digit_photo(12)
    with pytest.raises(ValueError, match="shift"):
        preprocess.handwritten_digit_photo(3, shift=(0.5, 0.0))


def test_shipped_handwritten_sample_matches_the_generator(tmp_path):
    shipped = preprocess.handwritten_sample_path()
    made = preprocess.make_handwritten_sample(tmp_path / "again.png")
    from PIL import Image

    np.testing.assert_array_equal(
        np.asarray(Image.open(shipped)), np.asarray(Image.open(made))
    )


def test_sheet_recipe_blurs_resizes_and_inverts():
    img = np.ones((70, 70))
    img[20:50, 30:40] = 0.0  # a dark bar on white paper
    out = preprocess.sheet_recipe(img)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() == pytest.approx(0.0, abs=1e-6)  # paper -> black
    assert 0.5 < out[14, 14] <= 1.0  # the bar -> bright
    box = ndimage.convolve(img, np.ones((7, 7)) / 49, mode="mirror")
    np.testing.assert_allclose(
        ndimage.uniform_filter(img, 7, mode="mirror"), box, atol=1e-12
    )
    with pytest.raises(ValueError, match="blur"):
        preprocess.sheet_recipe(img, blur=4)
    with pytest.raises(TypeError, match="size"):
        preprocess.sheet_recipe(img, size=2.5)


def test_sample_dense_mnist_has_the_sheets_203530_parameters():
    model = models.sample_dense_mnist()
    assert models.count_params(model) == 203_530
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes == [(None, 784), (None, 256), (None, 10)]
    with pytest.raises(ValueError, match="units"):
        models.sample_dense_mnist(0)
