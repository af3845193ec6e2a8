"""cnnrnn_helpers.digit_photos: photo of a digit -> MNIST-like 28x28 (geometry,
inversion, robustness, errors), the sheet's blur recipe and the text view."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from cnnrnn_helpers import digit_photos, digit_samples, preprocess
from cnnrnn_helpers.digit_photos import preprocess_digit
from cnnrnn_helpers.digit_samples import synthetic_digit_photo


def test_sheet_recipe_blurs_resizes_and_inverts():
    img = np.ones((70, 70))
    img[20:50, 30:40] = 0.0  # a dark bar on white paper
    out = digit_photos.sheet_recipe(img)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() == pytest.approx(0.0, abs=1e-6)  # paper -> black
    assert 0.5 < out[14, 14] <= 1.0  # the bar -> bright
    box = ndimage.convolve(img, np.ones((7, 7)) / 49, mode="mirror")
    np.testing.assert_allclose(
        ndimage.uniform_filter(img, 7, mode="mirror"), box, atol=1e-12
    )
    with pytest.raises(ValueError, match="blur"):
        digit_photos.sheet_recipe(img, blur=4)
    with pytest.raises(TypeError, match="size"):
        digit_photos.sheet_recipe(img, size=2.5)


def _ink_box(result: np.ndarray) -> tuple[int, int]:
    rows, cols = np.nonzero(result)
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


@pytest.mark.parametrize(
    ("digit", "angle", "shift"),
    [
        (0, 0.0, (0.0, 0.0)),
        (3, 12.0, (0.15, -0.2)),
        (4, -10.0, (-0.1, 0.25)),
        (7, 5.0, (0.2, 0.1)),
        (8, -15.0, (-0.2, -0.25)),
    ],
)
def test_generated_photo_becomes_mnist_like(shifted_corr, digit, angle, shift):
    photo = synthetic_digit_photo(digit, angle=angle, shift=shift, seed=digit)
    assert photo.dtype == np.uint8
    assert photo.shape == (180, 240, 3)
    out = preprocess_digit(photo)
    assert out.shape == (28, 28)
    assert out.dtype == np.float32
    assert out.min() == 0.0
    assert out.max() == pytest.approx(1.0)
    com = np.array(ndimage.center_of_mass(out))
    assert np.all(np.abs(com - 14.0) <= 1.0), com
    height, width = _ink_box(out)
    assert max(height, width) == 20  # longer side scaled to 20 pixels
    assert min(height, width) >= 8  # aspect ratio kept (digits are not slivers)
    # the border of the 28x28 field stays black, as in MNIST
    assert out[:2].max() == 0 and out[-2:].max() == 0
    # the same digit drawn without noise, lighting or shift gives the same picture
    clean = synthetic_digit_photo(digit, angle=angle, noise=0.0)
    assert shifted_corr(out, preprocess_digit(clean)) > 0.9


def test_dark_and_light_ink_agree_and_invert_is_detected(shifted_corr):
    dark_photo = synthetic_digit_photo(5, dark_ink=True)
    light_photo = synthetic_digit_photo(5, dark_ink=False)
    dark = preprocess_digit(dark_photo, return_steps=True)
    light = preprocess_digit(light_photo, return_steps=True)
    assert dark.inverted is True
    assert light.inverted is False
    assert shifted_corr(dark.result, light.result) > 0.95
    # forcing the wrong polarity reads the paper as ink: a very different image
    wrong = preprocess_digit(synthetic_digit_photo(5), invert=False)
    assert shifted_corr(dark.result, wrong) < 0.6


def test_steps_have_consistent_shapes_and_ranges():
    photo = synthetic_digit_photo(2, height=120, width=160)
    steps = preprocess_digit(photo, return_steps=True)
    assert steps.gray.shape == steps.background.shape == steps.ink.shape == (120, 160)
    for img in (steps.gray, steps.ink):
        assert img.min() >= 0.0 and img.max() <= 1.0
    assert max(steps.fitted.shape) == 20
    assert steps.cropped.shape[0] / steps.cropped.shape[1] == pytest.approx(
        steps.fitted.shape[0] / steps.fitted.shape[1], abs=0.1
    )
    np.testing.assert_array_equal(steps.result, preprocess_digit(photo))


def test_bar_on_paper_exact_geometry():
    """A vertical dark bar, 60 x 12 pixels: 20 x 4 after scaling, centred."""
    paper = np.full((100, 100), 230, dtype=np.uint8)
    paper[20:80, 44:56] = 20
    out = preprocess_digit(paper)
    rows = np.flatnonzero(out.max(axis=1) > 0.5)
    cols = np.flatnonzero(out.max(axis=0) > 0.5)
    assert len(rows) == 20
    assert 3 <= len(cols) <= 5
    com = ndimage.center_of_mass(out)
    assert com == pytest.approx((13.5, 13.5), abs=0.51)


def test_lighting_gradient_is_not_ink(shifted_corr):
    """A strong left-to-right gradient must not move the crop off the digit."""
    photo = synthetic_digit_photo(1, noise=0.0).astype(np.float64) / 255
    ramp = np.linspace(0.55, 1.0, photo.shape[1])[None, :, None]
    shaded = np.clip(photo * ramp, 0, 1)
    assert shifted_corr(preprocess_digit(shaded), preprocess_digit(photo)) > 0.95


def test_accepts_paths_gray_rgba_uint16_and_float(shifted_corr, tmp_path):
    rgb = synthetic_digit_photo(6)
    reference = preprocess_digit(rgb)
    path = tmp_path / "six.png"
    Image.fromarray(rgb).save(path)
    np.testing.assert_allclose(preprocess_digit(path), reference, atol=1e-6)
    np.testing.assert_allclose(preprocess_digit(str(path)), reference, atol=1e-6)
    gray = np.asarray(Image.fromarray(rgb).convert("L"))
    assert shifted_corr(preprocess_digit(gray[..., None]), reference) > 0.97
    assert (
        shifted_corr(preprocess_digit(gray.astype(np.uint16) * 257), reference) > 0.97
    )
    assert shifted_corr(preprocess_digit(gray / 255.0), reference) > 0.97
    # RGBA from a drawing app: black ink, transparent everywhere else
    rgba = np.zeros((*gray.shape, 4), dtype=np.uint8)
    rgba[..., 3] = 255 - gray
    assert shifted_corr(preprocess_digit(rgba), reference) > 0.9
    rgba_path = tmp_path / "six_rgba.png"
    Image.fromarray(rgba).save(rgba_path)
    assert shifted_corr(preprocess_digit(rgba_path), reference) > 0.9


def test_large_photo_is_shrunk_first(shifted_corr):
    big = synthetic_digit_photo(9, height=900, width=1200, noise=0.05, seed=1)
    steps = preprocess_digit(big, return_steps=True)
    assert max(steps.gray.shape) == 400
    small = preprocess_digit(synthetic_digit_photo(9, noise=0.0))
    assert shifted_corr(steps.result, small) > 0.9


@pytest.mark.parametrize(
    ("image", "error", "match"),
    [
        (np.zeros(10, dtype=np.uint8), ValueError, "shape"),
        (np.zeros((2, 20, 20, 3), dtype=np.uint8), ValueError, "shape"),
        (np.zeros((20, 20, 2), dtype=np.uint8), ValueError, "shape"),
        (np.zeros((4, 4), dtype=np.uint8), ValueError, "too small"),
        (np.full((50, 50), 200, dtype=np.uint8), ValueError, "no ink"),
        (np.full((50, 50), np.nan), ValueError, "NaN"),
        (np.full((50, 50), 2.0), ValueError, r"\[0, 1\]"),
        (np.zeros((50, 50), dtype=np.int64), TypeError, "dtype"),
        ([[0, 1], [1, 0]], TypeError, "numpy array"),
        (np.broadcast_to(np.uint8(255), (7000, 6000)), ValueError, "megapixels"),
    ],
    ids=[
        "1d",
        "4d",
        "2-channels",
        "tiny",
        "blank",
        "nan",
        "range",
        "int64",
        "list",
        "huge",
    ],
)
def test_bad_images_raise_clear_errors(image, error, match):
    with pytest.raises(error, match=match):
        preprocess_digit(image)


def test_faint_noise_only_is_no_ink():
    rng = np.random.default_rng(0)
    noisy = np.clip(0.8 + rng.normal(0, 0.01, (80, 80)), 0, 1)
    with pytest.raises(ValueError, match="no ink"):
        preprocess_digit(noisy)


def test_bad_files_raise_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="no image file"):
        preprocess_digit(tmp_path / "missing.png")
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(ValueError, match="cannot read"):
        preprocess_digit(text)
    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (40, 40)).save(cmyk)
    with pytest.raises(ValueError, match="mode 'CMYK'"):
        preprocess_digit(cmyk)
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(huge)  # 48 megapixels, a tiny file
    with pytest.raises(ValueError, match="megapixels"):
        preprocess_digit(huge)


def test_digit_as_text_draws_the_result_as_28_lines():
    result = preprocess_digit(digit_samples.sample_photo_path())
    lines = digit_photos.digit_as_text(result).splitlines()
    assert len(lines) == 28
    assert all(len(line) == 28 for line in lines)
    assert lines[0].strip() == "" and "@" in "".join(lines)

    with pytest.raises(ValueError, match="2-D"):
        digit_photos.digit_as_text(np.zeros((2, 2, 2)))


def test_the_earlier_module_name_still_has_every_name():
    """``from cnnrnn_helpers import preprocess`` (the notebooks) keeps working."""
    for module in (digit_photos, digit_samples):
        for name in module.__all__:
            assert getattr(preprocess, name) is getattr(module, name)
    assert sorted(preprocess.__all__) == sorted(
        [*digit_photos.__all__, *digit_samples.__all__]
    )
