"""SVHN stand-in: house-number digits rendered with matplotlib's DejaVu fonts."""

from __future__ import annotations

import functools
import os

import numpy as np

from .._draw import Params, affine_coords, chunked, grid, sample_stack, stream
from ..dataset import DIGIT_CLASSES, Dataset
from ._common import labels, make_dataset

__all__ = ["standin_svhn"]

_SVHN_FONTS: tuple[str, ...] = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
)
_GLYPH = 64  # glyph canvas size in pixels


@functools.lru_cache(maxsize=1)
def _digit_glyphs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks of the digits 0-9 in matplotlib's bundled DejaVu fonts.

    Returns the masks float64 (len(fonts) * 10 + 1, 64, 64) in [0, 1] (glyph
    ``font * 10 + digit``; the last one empty), the centre of each glyph's
    bounding box (n, 2) as (row, col) and its (height, width) in pixels.
    """
    import matplotlib
    from PIL import Image, ImageDraw, ImageFont

    font_dir = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    masks = np.zeros((len(_SVHN_FONTS) * 10 + 1, _GLYPH, _GLYPH))
    centres = np.zeros((len(masks) - 1, 2))
    sizes = np.zeros((len(masks) - 1, 2))
    for f, name in enumerate(_SVHN_FONTS):
        font = ImageFont.truetype(os.path.join(font_dir, name), 44)
        for d in range(10):
            img = Image.new("L", (_GLYPH, _GLYPH), 0)
            ImageDraw.Draw(img).text(
                (_GLYPH / 2, _GLYPH / 2), str(d), fill=255, font=font, anchor="mm"
            )
            mask = np.asarray(img, dtype=np.float64) / 255.0
            rows = np.flatnonzero(mask.max(axis=1) > 0.5)
            cols = np.flatnonzero(mask.max(axis=0) > 0.5)
            g = f * 10 + d
            masks[g] = mask
            centres[g] = ((rows[0] + rows[-1] + 1) / 2, (cols[0] + cols[-1] + 1) / 2)
            sizes[g] = (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    return masks, centres, sizes


#: The random parameters of one SVHN stand-in item, in column order.
_SVHN_PARAMS = (
    "font",
    "height",
    "angle",
    "shear",
    "aspect",
    "centre_row",
    "centre_col",
    "left_digit",
    "right_digit",
    "unused",  # kept so that the other columns keep their random numbers
    "left_present",
    "right_present",
    "gap",
    "background_r",
    "background_g",
    "background_b",
    "ink_r",
    "ink_g",
    "ink_b",
    "light_angle",
    "light_strength",
    "background_colour",
    "ink_colour",
)


def _render_svhn(
    labels: np.ndarray,
    q: np.ndarray,
    noise_rng: np.random.Generator,
) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    p = Params(q, _SVHN_PARAMS)
    masks, centres, sizes = _digit_glyphs()
    m = len(labels)
    n_fonts = len(_SVHN_FONTS)
    font = np.minimum((p.raw("font") * n_fonts).astype(int), n_fonts - 1)
    height = 14.0 + 10.0 * p.raw("height")  # digit height in the 32x32 crop
    glyph = font * 10 + labels
    scale = height / sizes[glyph, 0]
    angle = np.deg2rad(20.0 * (p.raw("angle") - 0.5))
    shear = 0.5 * (p.raw("shear") - 0.5)
    aspect = 0.8 + 0.4 * p.raw("aspect")
    centre = np.stack(
        [
            16.0 + 3.0 * (p.raw("centre_row") - 0.5),
            16.0 + 3.0 * (p.raw("centre_col") - 0.5),
        ],
        1,
    )
    empty = len(masks) - 1
    rows, cols = affine_coords(
        m, 32, centres[glyph], centre, scale, angle, shear, aspect
    )
    mask = sample_stack(masks, glyph, rows, cols)
    # Moving one output column to the right moves the source point by
    # (d_row, d_col); neighbours are the same map shifted sideways.
    d_row, d_col = affine_coords(
        m, 2, np.zeros((m, 2)), np.zeros((m, 2)), scale, angle, shear, aspect
    )
    d_row, d_col = d_row[:, 0, 1], d_col[:, 0, 1]
    gap = 1.0 + 3.0 * p.raw("gap")
    for where, side in (("left", -1.0), ("right", 1.0)):
        # a neighbouring digit of the house number, cut by the border
        digit = np.minimum((p.raw(f"{where}_digit") * 10).astype(int), 9)
        other = font * 10 + digit
        present = p.raw(f"{where}_present") < 0.7
        other = np.where(present, other, empty)
        shift = side * (
            0.5 * (sizes[glyph, 1] + sizes[other % empty, 1]) * scale * aspect + gap
        )
        src_row = (
            rows
            - (shift * d_row)[:, None, None]
            + (centres[other % empty, 0] - centres[glyph, 0])[:, None, None]
        )
        src_col = (
            cols
            - (shift * d_col)[:, None, None]
            + (centres[other % empty, 1] - centres[glyph, 1])[:, None, None]
        )
        mask = np.maximum(mask, sample_stack(masks, other, src_row, src_col))
    mask = gaussian_filter(mask, sigma=(0, 0.7, 0.7))

    # Colours, desaturated towards grey by a random amount (SVHN is muted).
    def muted(rgb: np.ndarray, amount: np.ndarray) -> np.ndarray:
        grey = rgb.mean(axis=1, keepdims=True)
        return grey + amount[:, None] * (rgb - grey)

    rgb = p.columns("background_r", "background_g", "background_b")
    background = muted(rgb, 0.2 + 0.7 * p.raw("background_colour"))
    background = background.astype(np.float32)
    rgb = p.columns("ink_r", "ink_g", "ink_b")
    ink = muted(rgb, 0.2 + 0.7 * p.raw("ink_colour")).astype(np.float32)
    lum = lambda c: c @ np.array([0.299, 0.587, 0.114])  # noqa: E731
    close = np.abs(lum(ink) - lum(background)) < 0.35
    dark_bg = lum(background) < 0.5
    ink = np.where(
        (close & dark_bg)[:, None],
        0.65 + 0.35 * ink,
        np.where(close[:, None], 0.35 * ink, ink),
    )
    img = (
        background[:, None, None, :]
        + (ink - background)[:, None, None, :] * mask[..., None]
    )
    # uneven lighting across the crop
    u, v = grid(32, 16.0)
    phi = 2 * np.pi * p("light_angle")
    light = 1.0 + p("light_strength", 0.0, 0.3) * (np.cos(phi) * u + np.sin(phi) * v)
    img *= light[..., None].astype(np.float32)
    img += 0.035 * noise_rng.standard_normal((m, 32, 32, 3), dtype=np.float32)
    return img


def _make_svhn(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = labels(seed, split, n)
    q = stream(seed, split, 1).random((n, len(_SVHN_PARAMS)))
    x = chunked(_render_svhn, y, q, (stream(seed, split, 2),), (32, 32, 3))
    return x, y


def standin_svhn(n_train: int = 73257, n_test: int = 26032, seed: int = 0) -> Dataset:
    """Offline stand-in for SVHN (cropped digits): rendered house numbers.

    Digits drawn from matplotlib's bundled DejaVu fonts (sans and serif,
    regular and bold) with a random affine map (height 14-24 px, rotation
    +-10 degrees, shear, width), random background and ink colours with
    enough contrast, neighbouring digits cut by the left and right borders
    (as in SVHN's crops), a slight blur, uneven lighting and noise.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 73257 / 26032).
    seed
        Non-negative integer (deterministic; smaller splits are prefixes).

    Returns
    -------
    Dataset
        ``name="svhn"``, x uint8 (n, 32, 32, 3) in 0..255, y uint8 (n,) in
        0..9 (digit "0" is label 0), ``class_names`` "0".."9",
        ``source="stand-in"``.
    """
    return make_dataset(
        "svhn",
        _make_svhn,
        n_train,
        n_test,
        seed,
        DIGIT_CLASSES,
        "digits rendered with matplotlib's DejaVu fonts, random affine maps, "
        "colours, neighbouring digits at the borders, blur, lighting and noise",
    )
