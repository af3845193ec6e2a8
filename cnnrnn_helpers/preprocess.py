"""Turn a photo of a handwritten digit into an MNIST-like 28x28 input.

MNIST digits are white ink on black, cropped to the ink, scaled so that the
longer side of the ink is 20 pixels (aspect ratio kept, anti-aliased), and
placed in a 28x28 field so that their centre of mass is in the middle.  A
photo of a digit on paper is the opposite: dark ink on light paper, uneven
lighting, sensor noise, lots of empty margin.  :func:`preprocess_digit` walks
through the same steps as MNIST:

1. grayscale in [0, 1] (RGB by luminance, RGBA composited on white paper);
2. shrink large photos (longest side at most ``work_size`` pixels) and blur
   the sensor noise a little;
3. estimate the paper (background) with a morphological closing, so that a
   lighting gradient does not count as ink, and keep ``ink = paper - image``
   (the difference is already "inverted": ink bright, paper black); light ink
   on a dark background is handled the other way round;
4. threshold the ink map (Otsu), drop tiny specks, crop to the ink;
5. resize so that the longer side is 20 pixels, keeping the aspect ratio;
6. paste into 28x28 with the centre of mass at the centre.

Run ``python -m cnnrnn_helpers.preprocess --make-sample`` to (re)create the
photo-like sample ``data/samples/digit_photo.png`` shipped with the pack.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import ndimage

from ._args import check_int, check_seed

__all__ = [
    "MAX_PIXELS",
    "SAMPLE_DIGIT",
    "DigitSteps",
    "make_sample",
    "preprocess_digit",
    "sample_photo_path",
    "synthetic_digit_photo",
    "to_grayscale",
]

#: Largest accepted image (pixels); a 40-megapixel photo is far beyond phones.
MAX_PIXELS = 40_000_000
#: The digit drawn on the shipped sample photo.
SAMPLE_DIGIT = 4
_SAMPLE_NAME = "digit_photo.png"
_PIL_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16", "F")


class DigitSteps(NamedTuple):
    """Intermediate images of :func:`preprocess_digit` (all float, 2-D).

    Attributes
    ----------
    gray
        The input as grayscale in [0, 1] (after shrinking), shape (h, w).
    background
        Estimated paper brightness, shape (h, w), in [0, 1].
    ink
        Ink strength, bright ink on black, shape (h, w), in [0, 1].
    cropped
        ``ink`` cut to the bounding box of the ink, with specks removed.
    fitted
        ``cropped`` resized so that its longer side is 20 pixels.
    result
        The final (28, 28) float32 image in [0, 1], centre of mass in the middle.
    inverted
        True if the input had dark ink on light paper.
    """

    gray: np.ndarray
    background: np.ndarray
    ink: np.ndarray
    cropped: np.ndarray
    fitted: np.ndarray
    result: np.ndarray
    inverted: bool


def _open_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file with Pillow, checking its size before decoding it."""
    from PIL import Image

    with Image.open(path) as img:  # lazy: only the header is read here
        w, h = img.size
        if w * h > MAX_PIXELS:
            raise ValueError(
                f"{path}: image of {w}x{h} = {w * h / 1e6:.1f} megapixels is too "
                f"large (at most {MAX_PIXELS / 1e6:.0f} megapixels); shrink it first"
            )
        if img.mode not in _PIL_MODES:
            raise ValueError(
                f"{path}: image mode {img.mode!r} is not supported; expected one "
                f"of {', '.join(_PIL_MODES)} (e.g. convert CMYK to RGB first)"
            )
        if img.mode in ("1", "P", "LA"):
            img = img.convert("RGBA")
        if img.mode in ("I", "I;16", "F"):
            arr = np.asarray(img, dtype=np.float64)
            top = 65535.0 if img.mode.startswith("I") else 1.0
            return arr / top
        return np.asarray(img)


def to_grayscale(image: Any) -> np.ndarray:
    """Load an image (file path or array) as a float64 grayscale array in [0, 1].

    Parameters
    ----------
    image
        A path to an image file Pillow can read, or an array of shape (h, w),
        (h, w, 1), (h, w, 3) (RGB) or (h, w, 4) (RGBA).  Arrays are ``uint8``
        in [0, 255], ``uint16`` in [0, 65535], ``bool``, or float in [0, 1].

    Returns
    -------
    numpy.ndarray
        float64 array of shape (h, w) with values in [0, 1].  RGB is turned
        into luminance (0.299 R + 0.587 G + 0.114 B); RGBA is first
        composited on white paper, so transparent pixels count as paper.

    Raises
    ------
    TypeError
        If ``image`` is neither a path nor an array of a supported dtype.
    ValueError
        If the shape is not one of the above, the image is smaller than
        8x8 or larger than :data:`MAX_PIXELS`, values are not finite or
        out of range, or the file cannot be read.
    """
    if isinstance(image, (str, os.PathLike)):
        if not Path(image).is_file():
            raise ValueError(f"no image file at {image}")
        try:
            arr = _open_image(image)
        except (OSError, SyntaxError) as err:  # Pillow's "cannot identify image"
            raise ValueError(f"{image}: cannot read the image ({err})") from err
    elif isinstance(image, np.ndarray):
        arr = image
    else:
        raise TypeError(
            "image must be a file path or a numpy array (h, w), (h, w, 3) or "
            f"(h, w, 4), got {type(image).__name__}"
        )
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] not in (3, 4)):
        raise ValueError(
            "image must have shape (h, w), (h, w, 1), (h, w, 3) or (h, w, 4), got "
            f"{arr.shape}"
        )
    h, w = arr.shape[:2]
    if h * w > MAX_PIXELS:
        raise ValueError(
            f"image of {w}x{h} = {w * h / 1e6:.1f} megapixels is too large (at "
            f"most {MAX_PIXELS / 1e6:.0f} megapixels); shrink it first"
        )
    if min(h, w) < 8:
        raise ValueError(f"image of {w}x{h} pixels is too small (at least 8x8)")
    if arr.dtype == np.uint8:
        x = arr.astype(np.float64) / 255.0
    elif arr.dtype == np.uint16:
        x = arr.astype(np.float64) / 65535.0
    elif arr.dtype == np.bool_:
        x = arr.astype(np.float64)
    elif np.issubdtype(arr.dtype, np.floating):
        x = arr.astype(np.float64)
        if not np.all(np.isfinite(x)):
            raise ValueError("image contains NaN or infinite values")
        if x.min() < 0.0 or x.max() > 1.0:
            raise ValueError(
                f"float images must have values in [0, 1], got [{x.min():.3g}, "
                f"{x.max():.3g}] (divide 0..255 images by 255)"
            )
    else:
        raise TypeError(
            f"image dtype {arr.dtype} is not supported: expected uint8, uint16, "
            "bool or float"
        )
    if x.ndim == 2:
        return x
    gray = x[..., 0] * 0.299 + x[..., 1] * 0.587 + x[..., 2] * 0.114
    if x.shape[-1] == 4:  # alpha: transparent pixels are white paper
        alpha = x[..., 3]
        gray = gray * alpha + (1.0 - alpha)
    return gray


def _resize(img: np.ndarray, height: int, width: int) -> np.ndarray:
    """Anti-aliased resize of a float image (Pillow, mode "F")."""
    from PIL import Image

    pil = Image.fromarray(img.astype(np.float32))  # mode "F"
    out = pil.resize((width, height), Image.Resampling.LANCZOS)
    return np.asarray(out, dtype=np.float64)


def _otsu(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold of a 1-D sample: maximises the between-class variance."""
    hist, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight0 = np.cumsum(hist)
    weight1 = weight0[-1] - weight0
    mean0 = np.cumsum(hist * centres) / np.maximum(weight0, 1)
    total = np.sum(hist * centres)
    mean1 = (total - np.cumsum(hist * centres)) / np.maximum(weight1, 1)
    between = weight0 * weight1 * (mean0 - mean1) ** 2
    return float(centres[int(np.argmax(between))])


def preprocess_digit(
    image: Any,
    *,
    invert: bool | None = None,
    work_size: int = 400,
    box: int = 20,
    size: int = 28,
    return_steps: bool = False,
) -> np.ndarray | DigitSteps:
    """Turn a photo of one handwritten digit into an MNIST-like image.

    Parameters
    ----------
    image
        File path or array, see :func:`to_grayscale` for the accepted shapes
        and dtypes.  One digit, roughly upright, anywhere in the picture.
    invert
        ``True`` for dark ink on light paper (the usual photo), ``False`` for
        light ink on a dark background (MNIST style); ``None`` decides from the
        median brightness (paper covers most of the picture).
    work_size
        Larger photos are first shrunk so that their longer side has this many
        pixels (faster, and it averages away sensor noise).
    box
        Longer side of the digit after resizing (MNIST: 20).
    size
        Side of the square output (MNIST: 28).
    return_steps
        Return a :class:`DigitSteps` with every intermediate image instead of
        just the result.

    Returns
    -------
    numpy.ndarray or DigitSteps
        float32 array of shape (size, size), values in [0, 1], ink bright on
        black, maximum 1.0, centre of mass within half a pixel of the centre
        (unless the digit would have to leave the field).  Add the batch and
        channel axes for a Keras model: ``x[None, ..., None]``.

    Raises
    ------
    ValueError
        For an unreadable, wrongly shaped, too large or non-finite image, and
        for an image without ink (blank, or contrast too low to see a digit).
    TypeError
        If ``image`` is not a path or an array.
    """
    size = check_int(size, "size", minimum=4, maximum=4096)
    box = check_int(box, "box", minimum=4, maximum=size)
    work_size = check_int(work_size, "work_size", minimum=32, maximum=10**5)
    gray = to_grayscale(image)
    h, w = gray.shape
    if max(h, w) > work_size:
        scale = work_size / max(h, w)
        gray = _resize(gray, max(8, round(h * scale)), max(8, round(w * scale)))
        gray = np.clip(gray, 0.0, 1.0)
    h, w = gray.shape
    if float(gray.max() - gray.min()) < 0.05:
        raise ValueError(
            "no ink found: the image is (almost) uniform "
            f"(values in [{gray.min():.3f}, {gray.max():.3f}])"
        )
    smooth = ndimage.gaussian_filter(gray, sigma=max(0.7, max(h, w) / 400))
    if invert is None:
        invert = bool(np.median(smooth) > 0.5)
    # The paper: a closing (max then min filter) erases dark strokes narrower
    # than the window but follows slow changes of the lighting.
    window = max(15, max(h, w) // 5)
    if invert:
        background = ndimage.grey_closing(smooth, size=(window, window))
        ink = background - smooth
    else:
        background = ndimage.grey_opening(smooth, size=(window, window))
        ink = smooth - background
    background = ndimage.uniform_filter(background, size=window)
    ink = np.clip(ink, 0.0, None)
    top = float(np.percentile(ink, 99.9))
    if top < 0.05:
        raise ValueError(
            "no ink found: the strongest stroke differs from the paper by only "
            f"{top:.3f} (on a 0..1 scale)"
        )
    ink = np.clip(ink / top, 0.0, 1.0)
    threshold = _otsu(ink[ink > 0.02]) if np.any(ink > 0.02) else 0.5
    threshold = float(np.clip(threshold, 0.15, 0.6))
    mask = ink > threshold
    labels, n = ndimage.label(mask)
    if n == 0:
        raise ValueError("no ink found: nothing is darker than the paper around it")
    areas = ndimage.sum_labels(mask, labels, index=np.arange(1, n + 1))
    keep_ids = np.flatnonzero(areas >= 0.1 * areas.max()) + 1
    keep = np.isin(labels, keep_ids)
    # keep the soft (anti-aliased) edge around the kept strokes, drop the rest
    near = ndimage.binary_dilation(keep, iterations=2)
    soft = np.clip((ink - threshold / 2) / (1 - threshold / 2), 0.0, 1.0)
    clean = np.where(near, soft, 0.0)
    rows = np.flatnonzero(keep.any(axis=1))
    cols = np.flatnonzero(keep.any(axis=0))
    cropped = clean[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    ch, cw = cropped.shape
    scale = box / max(ch, cw)
    fh, fw = max(1, round(ch * scale)), max(1, round(cw * scale))
    fitted = np.clip(_resize(cropped, fh, fw), 0.0, None)
    if fitted.max() <= 0:
        raise ValueError("no ink found after cropping")
    fitted = fitted / fitted.max()
    # centre of mass to the middle of the field (integer shift, as MNIST)
    com_r, com_c = ndimage.center_of_mass(fitted)
    middle = (size - 1) / 2
    top_row = int(np.clip(round(middle - com_r), 0, size - fh))
    left_col = int(np.clip(round(middle - com_c), 0, size - fw))
    result = np.zeros((size, size), dtype=np.float32)
    result[top_row : top_row + fh, left_col : left_col + fw] = fitted
    if not return_steps:
        return result
    return DigitSteps(gray, background, ink, cropped, fitted, result, bool(invert))


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

    height = check_int(height, "height", minimum=32, maximum=4096)
    width = check_int(width, "width", minimum=32, maximum=4096)
    seed = check_seed(seed)
    if not all(-0.3 <= s <= 0.3 for s in shift):
        raise ValueError(f"shift must be in [-0.3, 0.3] each, got {shift}")
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
    from PIL import Image

    from . import config

    if path is None:
        root = config.repo_root()
        folder = root / "data" / "samples" if root else config.data_home() / "samples"
        path = folder / _SAMPLE_NAME
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    img = synthetic_digit_photo(
        SAMPLE_DIGIT,
        height=150,
        width=200,
        angle=8.0,
        shift=(0.06, -0.1),
        noise=0.025,
        seed=2020,
    )
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(img).save(tmp, optimize=True)
    tmp.replace(path)
    return path


def sample_photo_path() -> Path:
    """Path of the shipped sample photo, creating it if it is missing.

    A checkout ships ``data/samples/digit_photo.png``; an installed copy
    (e.g. on Colab) creates the same image under ``<data home>/samples``.
    """
    from . import config

    root = config.repo_root()
    if root is not None:
        shipped = root / "data" / "samples" / _SAMPLE_NAME
        if shipped.is_file():
            return shipped
    target = config.data_home() / "samples" / _SAMPLE_NAME
    return target if target.is_file() else make_sample(target)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m cnnrnn_helpers.preprocess --make-sample``."""
    parser = argparse.ArgumentParser(
        prog="python -m cnnrnn_helpers.preprocess",
        description="Photo of a handwritten digit -> MNIST-like 28x28 image.",
    )
    parser.add_argument(
        "--make-sample", action="store_true", help="(re)write data/samples/..."
    )
    parser.add_argument("image", nargs="?", help="show the 28x28 result as text")
    args = parser.parse_args(argv)
    if args.make_sample:
        out = make_sample()
        print(f"wrote {out} ({out.stat().st_size / 1000:.1f} kB)")
    if args.image:
        result = preprocess_digit(args.image)
        for row in result:
            print("".join(" .:-=+*#%@"[min(9, int(v * 10))] for v in row))
    if not (args.make_sample or args.image):
        parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


#: File name of the shipped handwriting-based sample.
_HANDWRITTEN_NAME = "handwritten_digit_photo.png"


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
    if height < 32 or width < 32:
        raise ValueError(f"height and width must be at least 32, got {height}x{width}")
    if not all(-0.3 <= s <= 0.3 for s in shift):
        raise ValueError(f"shift must be in [-0.3, 0.3] each, got {shift}")
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
    from PIL import Image

    from . import config

    if path is None:
        root = config.repo_root()
        folder = root / "data" / "samples" if root else config.data_home() / "samples"
        path = folder / _HANDWRITTEN_NAME
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    img = handwritten_digit_photo(
        SAMPLE_DIGIT, angle=8.0, shift=(0.06, -0.1), noise=0.025, seed=2020
    )
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(img).save(tmp, optimize=True)
    tmp.replace(path)
    return path


def handwritten_sample_path() -> Path:
    """Path of the handwriting-based sample photo, creating it if it is missing."""
    from . import config

    root = config.repo_root()
    if root is not None:
        shipped = root / "data" / "samples" / _HANDWRITTEN_NAME
        if shipped.is_file():
            return shipped
    target = config.data_home() / "samples" / _HANDWRITTEN_NAME
    return target if target.is_file() else make_handwritten_sample(target)


def sheet_recipe(image: Any, *, blur: int = 7, size: int = 28) -> np.ndarray:
    """The sheet's "make your own digits" recipe: box blur, resize, invert.

    The sheet loads the photo as grayscale, smooths it with a ``blur`` x
    ``blur`` averaging kernel (``cv2.filter2D`` with ``ones((7, 7)) / 49``,
    whose default border mirrors the image without repeating the edge), shrinks
    the whole picture to ``size`` x ``size`` and takes ``1 - image``.  Here the
    blur is :func:`scipy.ndimage.uniform_filter` with ``mode="mirror"`` (the
    same border rule) and the resize is Pillow's bilinear one (scikit-image's
    ``resize`` in the sheet, which also interpolates).

    Parameters
    ----------
    image
        Path, PIL image or array (2-D grayscale or RGB, uint8 or float in
        [0, 1]).
    blur
        Width of the averaging kernel, an odd int >= 1.
    size
        Side of the output, >= 1.

    Returns
    -------
    numpy.ndarray
        float32 (size, size) in [0, 1]; dark ink on light paper becomes
        bright ink on a dark-grey field.  No cropping or centring.
    """
    from PIL import Image

    for name, val in (("blur", blur), ("size", size)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)):
            raise TypeError(f"{name} must be an int, got {type(val).__name__}")
    if blur < 1 or blur % 2 == 0:
        raise ValueError(f"blur must be an odd int >= 1, got {blur}")
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    gray = to_grayscale(image).astype(np.float32)
    blurred = ndimage.uniform_filter(gray, size=int(blur), mode="mirror")
    small = Image.fromarray(blurred).resize((int(size), int(size)), Image.BILINEAR)
    return (1.0 - np.asarray(small, dtype=np.float32)).clip(0.0, 1.0)
