"""A photo of a handwritten digit -> an MNIST-like 28x28 input.

(The notebooks import it, with :mod:`.digit_samples`, under the earlier
name ``cnnrnn_helpers.preprocess``.)

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

:func:`digit_as_text` draws the 28x28 result as 28 lines of text, and
:func:`sheet_recipe` is the sheet's own, simpler recipe (blur, resize,
invert) for comparison.  Sample photos to try it on: :mod:`.digit_samples`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import ndimage

from ._args import check_int

__all__ = [
    "MAX_PIXELS",
    "DigitSteps",
    "digit_as_text",
    "preprocess_digit",
    "sheet_recipe",
    "to_grayscale",
]


#: Largest accepted image (pixels); a 40-megapixel photo is far beyond phones.
MAX_PIXELS = 40_000_000


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


def digit_as_text(image: Any, *, shades: str = " .:-=+*#%@") -> str:
    """A 2-D image in [0, 1] as text: one line per row, one character per pixel.

    Parameters
    ----------
    image
        Float array (h, w) in [0, 1], e.g. the (28, 28) result of
        :func:`preprocess_digit`.
    shades
        Characters from dark (0) to bright (1), at least two.

    Returns
    -------
    str
        ``h`` lines of ``w`` characters, joined by newlines (no trailing one).
    """
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"image must be 2-D (h, w), got shape {arr.shape}")
    if len(shades) < 2:
        raise ValueError("shades must hold at least two characters")
    top = len(shades) - 1
    levels = np.clip((np.nan_to_num(arr) * (top + 1)).astype(int), 0, top)
    return "\n".join("".join(shades[v] for v in row) for row in levels)
