"""cnnrnn_helpers.digit_samples: the drawn and the handwriting-based sample photos."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from cnnrnn_helpers import digit_samples
from cnnrnn_helpers.digit_photos import preprocess_digit
from cnnrnn_helpers.digit_samples import synthetic_digit_photo


def test_handwritten_photo_is_deterministic_and_preprocesses_to_mnist_like():
    a = digit_samples.handwritten_digit_photo(4, seed=1)
    b = digit_samples.handwritten_digit_photo(4, seed=1)
    assert a.shape == (150, 200, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    steps = preprocess_digit(a, return_steps=True)
    assert steps.inverted  # dark ink on light paper
    assert max(steps.fitted.shape) == 20
    com = ndimage.center_of_mass(steps.result)
    assert abs(com[0] - 13.5) < 1.0 and abs(com[1] - 13.5) < 1.0
    light = digit_samples.handwritten_digit_photo(7, dark_ink=False)
    assert light.mean() < a.mean()
    with pytest.raises(ValueError, match="digit"):
        digit_samples.handwritten_digit_photo(12)
    with pytest.raises(ValueError, match="shift"):
        digit_samples.handwritten_digit_photo(3, shift=(0.5, 0.0))


def test_shipped_handwritten_sample_matches_the_generator(tmp_path):
    shipped = digit_samples.handwritten_sample_path()
    made = digit_samples.make_handwritten_sample(tmp_path / "again.png")

    np.testing.assert_array_equal(
        np.asarray(Image.open(shipped)), np.asarray(Image.open(made))
    )


def test_sample_photo_is_small_deterministic_and_readable(shifted_corr, tmp_path):
    shipped = digit_samples.sample_photo_path()
    assert shipped.is_file()
    assert shipped.stat().st_size < 50_000
    made = digit_samples.make_sample(tmp_path / "again.png")
    assert made.read_bytes() == shipped.read_bytes()  # the script made the file
    out = preprocess_digit(shipped)
    com = np.array(ndimage.center_of_mass(out))
    assert np.all(np.abs(com - 14.0) <= 1.0)
    clean = preprocess_digit(
        synthetic_digit_photo(digit_samples.SAMPLE_DIGIT, angle=8.0)
    )
    assert shifted_corr(out, clean) > 0.9
