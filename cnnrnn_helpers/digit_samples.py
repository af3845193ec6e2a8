"""Sample photos of digits to try :func:`.digit_photos.preprocess_digit` on.

:func:`synthetic_digit_photo` draws a digit in a font on lit paper;
:func:`handwritten_digit_photo` renders one of scikit-learn's bundled
handwritten digits the same way.  The pack ships one of each in
``data/samples/``: :func:`make_sample` (re)writes ``digit_photo.png`` and
:func:`make_handwritten_sample` ``handwritten_digit_photo.png``;
:func:`sample_photo_path` and :func:`handwritten_sample_path` find them (and
make them where they are missing, e.g. on Colab).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from ._args import check_int, check_seed

__all__ = [
    "SAMPLE_DIGIT",
    "handwritten_digit_photo",
    "handwritten_sample_path",
    "make_handwritten_sample",
    "make_sample",
    "sample_photo_path",
    "synthetic_digit_photo",
]


#: The digit drawn on the shipped sample photo.
SAMPLE_DIGIT = 4


_SAMPLE_NAME = "digit_photo.png"


#: File name of the shipped handwriting-based sample.
_HANDWRITTEN_NAME = "handwritten_digit_photo.png"


def _check_canvas(
    height: int, width: int, shift: tuple[float, float], seed: int
) -> tuple[int, int, int]:
    """Check the picture size (32..4096 pixels), the ``shift`` and the seed."""
    height = check_int(height, "height", minimum=32, maximum=4096)
    width = check_int(width, "width", minimum=32, maximum=4096)
    if not all(-0.3 <= s <= 0.3 for s in shift):
        raise ValueError(f"shift must be in [-0.3, 0.3] each, got {shift}")
    return height, width, check_seed(seed)


def _photograph(
    stroke: np.ndarray, *, seed: int, noise: float, dark_ink: bool
) -> np.ndarray:
    """Ink ``stroke`` (float (h, w) in [0, 1], 1 = ink) on lit paper, as an RGB photo.

    A lighting gradient, dark ink on warm paper (or light chalk on a dark
    board), and smoothed sensor grain of standard deviation ``noise``.
    Returns uint8 (h, w, 3) in 0..255.
    """
    height, width = stroke.shape
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    light = 0.93 - 0.22 * (yy / height + xx / width) / 2  # lighting gradient
    if dark_ink:
        paper = light[..., None] * np.array([1.0, 0.97, 0.9])  # warm paper
        ink_rgb = np.array([0.12, 0.14, 0.3])  # blue-black pen
        alpha = 0.9 * stroke[..., None]
    else:
        paper = (1 - light)[..., None] * np.array([0.3, 0.3, 0.35])
        ink_rgb = np.array([0.95, 0.95, 0.9])
        alpha = stroke[..., None]
    img = paper * (1 - alpha) + ink_rgb * alpha
    grain = ndimage.gaussian_filter(rng.normal(0.0, noise, size=(height, width)), 0.6)
    img = img + grain[..., None] * 1.6
    return np.clip(np.round(img * 255), 0, 255).astype(np.uint8)


def synthetic_digit_photo(
    digit: int | str = SAMPLE_DIGIT,
    *,
    height: int = 180,
    width: int = 240,
    angle: float = 0.0,
    shift: tuple[float, float] = (0.0, 0.0),
    font_size: float | None = None,
    dark_ink: bool = True,
    noise: float = 0.03,
    seed: int = 0,
) -> np.ndarray:
    """Draw a digit on a photo-like background (for tests and demos).

    The digit is Matplotlib text (DejaVu Sans, bold), rotated by ``angle``
    degrees and moved by ``shift``; the paper is slightly tinted with a
    lighting gradient (brighter at the top left) and Gaussian sensor noise.

    Parameters
    ----------
    digit
        The character to draw, usually 0-9.
    height, width
        Size of the picture in pixels (at least 32 each).
    angle
        Rotation in degrees (counter-clockwise).
    shift
        (down, right) offset of the digit from the picture centre, as a
        fraction of the height and width, each in [-0.3, 0.3].
    font_size
        Height of the text in pixels (default 55% of the height).
    dark_ink
        Dark ink on light paper (a photo) or light ink on dark (MNIST style).
    noise
        Standard deviation of the noise on a 0..1 scale.
    seed
        Seed of the noise.

    Returns
    -------
    numpy.ndarray
        uint8 RGB image of shape (height, width, 3).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height, width, seed = _check_canvas(height, width, shift, seed)
    dpi = 100
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    size_px = font_size if font_size is not None else 0.55 * height
    fig.text(
        0.5 + shift[1],
        0.5 - shift[0],
        str(digit),
        fontsize=size_px * 72 / dpi,
        fontweight="bold",
        family="DejaVu Sans",
        rotation=angle,
        ha="center",
        va="center",
        color="black",
    )
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba(), dtype=np.float64)[:height, :width]
    stroke = 1.0 - rgba[..., 0] / 255.0  # 1 where the text is
    return _photograph(stroke, seed=seed, noise=noise, dark_ink=dark_ink)


def _sample_target(path: str | os.PathLike | None, name: str) -> Path:
    """``path``, or ``data/samples/<name>`` in a checkout, else in the data home."""
    from . import config

    if path is None:
        root = config.repo_root()
        folder = root / "data" / "samples" if root else config.data_home() / "samples"
        path = folder / name
    return Path(path)


def _write_png(image: np.ndarray, path: Path) -> Path:
    """Write ``image`` (uint8) as an optimised PNG, atomically; return ``path``."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(image).save(tmp, optimize=True)
    tmp.replace(path)
    return path


def _find_sample(name: str, make: Any) -> Path:
    """The shipped sample ``name`` of a checkout, else the data home's (made once)."""
    from . import config

    root = config.repo_root()
    if root is not None:
        shipped = root / "data" / "samples" / name
        if shipped.is_file():
            return shipped
    target = config.data_home() / "samples" / name
    return target if target.is_file() else make(target)


def make_sample(path: str | os.PathLike | None = None) -> Path:
    """Write the photo-like sample digit PNG and return its path.

    The image is :func:`synthetic_digit_photo` of :data:`SAMPLE_DIGIT`,
    rotated by 8 degrees, off-centre, 200x150 pixels (about 40 kB).

    Parameters
    ----------
    path
        Target file; default ``data/samples/digit_photo.png`` in a checkout
        (``<data home>/samples/`` for an installed copy).
    """
    img = synthetic_digit_photo(
        SAMPLE_DIGIT,
        height=150,
        width=200,
        angle=8.0,
        shift=(0.06, -0.1),
        noise=0.025,
        seed=2020,
    )
    return _write_png(img, _sample_target(path, _SAMPLE_NAME))


def sample_photo_path() -> Path:
    """Path of the shipped sample photo, creating it if it is missing.

    A checkout ships ``data/samples/digit_photo.png``; an installed copy
    (e.g. on Colab) creates the same image under ``<data home>/samples``.
    """
    return _find_sample(_SAMPLE_NAME, make_sample)


def handwritten_digit_photo(
    digit: int = SAMPLE_DIGIT,
    *,
    index: int = 0,
    height: int = 150,
    width: int = 200,
    angle: float = 0.0,
    shift: tuple[float, float] = (0.0, 0.0),
    dark_ink: bool = True,
    noise: float = 0.03,
    seed: int = 0,
) -> np.ndarray:
    """A real handwritten digit, rendered as a photo of ink on paper.

    The digit is one of scikit-learn's bundled handwritten digits (the UCI
    "optical recognition of handwritten digits" set: 1797 scans by 43
    writers, 8x8 pixels with 17 grey levels; no download needed), enlarged
    with cubic interpolation to about 60 % of the picture height, its edges
    sharpened into pen strokes, rotated by ``angle`` and moved by ``shift``,
    then drawn as blue-black ink on slightly tinted paper with a lighting
    gradient and Gaussian sensor noise (the same paper as
    :func:`synthetic_digit_photo`).  Because the scans have only 8x8 pixels,
    the strokes are smooth and rounded: handwriting-like, not a real photo.

    Parameters
    ----------
    digit
        Which digit, 0-9.
    index
        Which of the bundled examples of that digit (taken modulo their
        number, about 180).
    height, width
        Size of the picture in pixels (at least 32 each).
    angle
        Rotation in degrees (counter-clockwise).
    shift
        (down, right) offset from the picture centre as a fraction of the
        height and width, each in [-0.3, 0.3].
    dark_ink
        Dark ink on light paper (a photo) or light ink on dark.
    noise
        Standard deviation of the noise on a 0..1 scale, >= 0.
    seed
        Seed of the noise.

    Returns
    -------
    numpy.ndarray
        uint8 RGB image of shape (height, width, 3).

    Raises
    ------
    ValueError
        If ``digit`` is not in 0-9, the size is below 32 or ``shift`` or
        ``noise`` is out of range.
    """
    from sklearn.datasets import load_digits

    if isinstance(digit, bool) or not isinstance(digit, (int, np.integer)):
        raise TypeError(f"digit must be an int 0-9, got {type(digit).__name__}")
    if not 0 <= int(digit) <= 9:
        raise ValueError(f"digit must be in 0-9, got {digit}")
    height, width, seed = _check_canvas(height, width, shift, seed)
    if not float(noise) >= 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    bundled = load_digits()
    rows = np.flatnonzero(bundled.target == int(digit))
    scan = bundled.images[rows[int(index) % len(rows)]] / 16.0  # (8, 8) in [0, 1]
    glyph = ndimage.zoom(np.pad(scan, 1), 0.6 * height / 8, order=3)
    glyph = np.clip((glyph - 0.25) / 0.35, 0.0, 1.0)  # soft edges -> pen strokes
    glyph = ndimage.rotate(glyph, angle, reshape=True, order=1)
    stroke = np.zeros((height, width))
    gh, gw = min(glyph.shape[0], height), min(glyph.shape[1], width)
    top = round((height - gh) / 2 + shift[0] * height)
    left = round((width - gw) / 2 + shift[1] * width)
    top, left = min(max(top, 0), height - gh), min(max(left, 0), width - gw)
    stroke[top : top + gh, left : left + gw] = glyph[:gh, :gw]
    stroke = ndimage.gaussian_filter(stroke, 0.8)
    return _photograph(stroke, seed=seed, noise=noise, dark_ink=dark_ink)


def make_handwritten_sample(path: str | os.PathLike | None = None) -> Path:
    """Write the handwriting-based sample photo PNG and return its path.

    :func:`handwritten_digit_photo` of :data:`SAMPLE_DIGIT` (the first
    bundled example of that digit), rotated by 8 degrees, off-centre,
    200x150 pixels.

    Parameters
    ----------
    path
        Target file; default ``data/samples/handwritten_digit_photo.png`` in a
        checkout (``<data home>/samples/`` for an installed copy).
    """
    img = handwritten_digit_photo(
        SAMPLE_DIGIT, angle=8.0, shift=(0.06, -0.1), noise=0.025, seed=2020
    )
    return _write_png(img, _sample_target(path, _HANDWRITTEN_NAME))


def handwritten_sample_path() -> Path:
    """Path of the handwriting-based sample photo, creating it if it is missing."""
    return _find_sample(_HANDWRITTEN_NAME, make_handwritten_sample)
