"""Generators for the synthetic datasets of the sheets and the lab.

Every generator is deterministic for a given ``seed`` and has the *prefix
property*: asking for fewer items gives the first items of a larger request
(``make_x(100, seed=s)`` equals the first 100 of ``make_x(1000, seed=s)``).
That is why each one draws its random numbers per item (one row of a random
matrix per item) from independent streams ``numpy.random.default_rng([seed,
stream])`` instead of drawing whole arrays one after the other.

make_shapes
    The lab's CRT (circle / rectangle / triangle) and R3 (square / wide
    rectangle / tall rectangle) images, 64x64 grey, one-hot targets.
make_pulses
    The lab's pulse converter: square pulses in, triangles out.
make_sum_series
    Sheet s03 (H6.2): series of 30 digits, label 1 if the sum is >= 100.
make_variable_length_sequences
    Sheet s01 task 6: univariate sequences of random length, targets 1..5.
"""

from __future__ import annotations

import numpy as np

from .. import results
from .._args import check_choice, check_int, check_seed
from ._draw import balanced_labels, stream

__all__ = [
    "CRT_CLASSES",
    "R3_CLASSES",
    "SHAPE_SIZE",
    "make_pulses",
    "make_shapes",
    "make_sum_series",
    "make_variable_length_sequences",
]

#: Class names of the two shape datasets, in one-hot column order.
CRT_CLASSES: tuple[str, ...] = ("circle", "rectangle", "triangle")
R3_CLASSES: tuple[str, ...] = ("square", "wide rectangle", "tall rectangle")
#: Height and width of the shape images in pixels.
SHAPE_SIZE: int = 64
#: CRT difficulty, calibrated with ``bench/crt_calibration.py`` so that the
#: lab's 1,671-parameter CRT network reaches about the lab's 98 % validation
#: accuracy after the lab's 50 epochs (R3 is left as it is, clearly harder):
#: the full range of a random tilt of rectangles and triangles (degrees; 0 =
#: lying or standing only), the full range of the jitter of each triangle
#: vertex's angle (radians; 0 = equilateral), the rectangles' aspect ratio
#: range (short side / long side) and the range of the common size parameter
#: s (about the half-extent, pixels).  Changing them changes the dataset.
CRT_TILT_DEGREES: float = 0.0
CRT_VERTEX_JITTER: float = 0.0
CRT_RECT_ASPECT: tuple[float, float] = (0.35, 0.7)
CRT_SIZE: tuple[float, float] = (18.0, 23.0)


# ------------------------------------------------------------------ helpers


#: Upper bound of every count and length (a larger value is a typo, not a
#: request: it would only fail later with an out-of-memory error).
MAX_SIZE = 10**8


def _check_int(value: object, name: str, minimum: int) -> int:
    """:func:`cnnrnn_helpers._args.check_int` in ``[minimum, MAX_SIZE]``."""
    return check_int(value, name, minimum=minimum, maximum=MAX_SIZE)


def _check_seed(seed: object) -> int:
    return check_seed(seed, maximum=2**63 - 1)


# The random streams and balanced labels are the stand-ins' (data._draw).
_stream = stream
_balanced_labels = balanced_labels


# ------------------------------------------------------------------- shapes


def _rotated(
    x: np.ndarray, y: np.ndarray, cx: np.ndarray, cy: np.ndarray, angle: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of pixel centres in each shape's own rotated frame.

    ``x``, ``y``: (1, H, W) pixel grids; ``cx``, ``cy``, ``angle``: (n, 1, 1).
    """
    dx, dy = x - cx, y - cy
    cos, sin = np.cos(angle), np.sin(angle)
    return dx * cos + dy * sin, -dx * sin + dy * cos


def _render_shapes(kind: str, labels: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Signed distance (pixels, < 0 inside) of every pixel to each item's shape.

    ``p`` holds uniform random numbers in [0, 1), shape (n, 12), one row per item.
    Returns float64 (n, SHAPE_SIZE, SHAPE_SIZE).
    """
    n = len(labels)
    size = SHAPE_SIZE
    grid = np.arange(size, dtype=np.float64) + 0.5
    x = grid[None, None, :]
    y = grid[None, :, None]
    dist = np.empty((n, size, size))
    col = lambda k: p[:, k][:, None, None]  # noqa: E731 - (n, 1, 1) view of column k

    if kind == "crt":
        # A common "size" s (about the half-extent) so area is not a clue.
        s = CRT_SIZE[0] + (CRT_SIZE[1] - CRT_SIZE[0]) * col(0)
        # Orientation: lying or standing rectangles, triangles pointing up,
        # down, left or right, each turned by up to +-CRT_TILT_DEGREES / 2 (a
        # tiny CNN trained on 500 images cannot learn every rotation; the
        # lab's CRT is the easy task).
        quarter = np.floor(4.0 * col(1))  # 0..3
        tilt = np.deg2rad(CRT_TILT_DEGREES)
        angle = quarter * (np.pi / 2.0) + tilt * (col(10) - 0.5)
        margin = 1.2 * s + 1.0
        cx = margin + (size - 2.0 * margin) * col(2)
        cy = margin + (size - 2.0 * margin) * col(3)
        u, v = _rotated(x, y, cx, cy, angle)

        circle = labels == 0
        if circle.any():
            d = np.hypot(u[circle], v[circle]) - 0.8 * s[circle]
            dist[circle] = d
        rect = labels == 1
        if rect.any():
            # Aspect ratio in CRT_RECT_ASPECT (clearly not a square).
            lo, hi = CRT_RECT_ASPECT
            aspect = lo + (hi - lo) * col(4)[rect]
            a = s[rect] * 1.05
            b = a * aspect
            dist[rect] = np.maximum(np.abs(u[rect]) - a, np.abs(v[rect]) - b)
        tri = labels == 2
        if tri.any():
            # Three vertices on a circle of radius 1.25 s, 120 degrees apart,
            # each angle jittered by up to +-CRT_VERTEX_JITTER / 2.
            r = 1.25 * s[tri]
            base = np.array(
                [np.pi / 2, np.pi / 2 + 2 * np.pi / 3, np.pi / 2 + 4 * np.pi / 3]
            )
            jitter = (p[tri][:, 5:8] - 0.5) * CRT_VERTEX_JITTER
            phi = base[None, :] + jitter  # (m, 3)
            vx = r[:, 0, 0][:, None] * np.cos(phi)
            vy = r[:, 0, 0][:, None] * np.sin(phi)
            d = np.full(u[tri].shape, -np.inf)
            for k in range(3):
                x0, y0 = vx[:, k], vy[:, k]
                x1, y1 = vx[:, (k + 1) % 3], vy[:, (k + 1) % 3]
                ex, ey = x1 - x0, y1 - y0
                length = np.hypot(ex, ey)
                # outward normal of a counter-clockwise edge is (ey, -ex)
                nx, ny = (ey / length)[:, None, None], (-ex / length)[:, None, None]
                edge = (u[tri] - x0[:, None, None]) * nx + (
                    v[tri] - y0[:, None, None]
                ) * ny
                d = np.maximum(d, edge)
            dist[tri] = d
        return dist

    # R3: axis-aligned rectangles (no rotation, or "wide" and "tall" would
    # be the same class).  The aspect ratio width/height decides the class:
    # square 0.83..1.2, wide 1.2..1.8, tall 0.55..0.83 (log-uniform), so the
    # classes touch and items near the borders are hard, as in the lab.
    log_ratio = np.where(
        labels == 0,
        -0.18 + 0.36 * p[:, 4],
        np.where(labels == 1, 0.18 + 0.41 * p[:, 4], -0.18 - 0.41 * p[:, 4]),
    )[:, None, None]
    area = (12.0 + 14.0 * col(0)) ** 2  # side of the equal-area square 12..26 px
    width = np.sqrt(area * np.exp(log_ratio))
    height = area / width
    half_w, half_h = width / 2.0, height / 2.0
    cx = half_w + 1.5 + (size - 3.0 - width) * col(2)
    cy = half_h + 1.5 + (size - 3.0 - height) * col(3)
    return np.maximum(np.abs(x - cx) - half_w, np.abs(y - cy) - half_h)


def make_shapes(kind: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Images of simple shapes: the lab's CRT and R3 datasets.

    Each image shows one bright, filled, anti-aliased shape on a dark, slightly
    noisy background, at a random position and size:

    * ``kind="crt"``: class 0 circle, 1 rectangle (aspect ratio 0.35..0.7,
      lying or standing), 2 equilateral triangle (pointing up, down, left or
      right), all large (half-extent 18..23 pixels) at a random position.
      Sizes are drawn so that area does not give the class away.  The
      difficulty (module constants ``CRT_*``) is calibrated so that the
      lab's 1,671-parameter network reaches about the lab's 98 %
      (``bench/crt_calibration.py``).
    * ``kind="r3"``: class 0 square, 1 wide rectangle, 2 tall rectangle,
      all axis-aligned.  The width/height ratio decides the class (square
      0.83..1.2, wide 1.2..1.8, tall 0.55..0.83) and the area varies, so the
      classes touch: R3 is harder than CRT, as in the lab.

    Classes come in shuffled blocks of three, so any prefix is balanced to
    within one item per class.  Shape brightness is 160..255, background
    0..40, plus Gaussian noise (sigma 6 grey levels).

    Parameters
    ----------
    kind
        ``"crt"`` or ``"r3"``.
    n
        Number of images, >= 1.
    seed
        Non-negative integer; the same seed gives the same images, and a
        smaller ``n`` gives a prefix of a larger one.

    Returns
    -------
    x : numpy.ndarray
        uint8, shape (n, 64, 64, 1), values 0..255 (channels-last).
    y : numpy.ndarray
        float32, shape (n, 3), one-hot in the column order of
        :data:`CRT_CLASSES` / :data:`R3_CLASSES`.

    Raises
    ------
    ValueError
        If ``kind`` is unknown or ``n < 1`` or ``seed < 0``.
    TypeError
        If ``n`` or ``seed`` is not an integer.
    """
    kind = check_choice(kind, "kind", ("crt", "r3"))
    n = _check_int(n, "n", 1)
    seed = _check_seed(seed)
    labels = _balanced_labels(_stream(seed, 0), n, 3)
    params = _stream(seed, 1).random((n, 12))
    x = np.empty((n, SHAPE_SIZE, SHAPE_SIZE), dtype=np.float32)
    noise_rng = _stream(seed, 2)
    chunk = 512  # bounded memory for large n; prefix property still holds
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        dist = _render_shapes(kind, labels[start:stop], params[start:stop])
        # Anti-aliased coverage: 1 inside, 0 outside, linear over one pixel.
        cover = np.clip(0.5 - dist, 0.0, 1.0)
        bright = 160.0 + 95.0 * params[start:stop, 8][:, None, None]
        dark = 40.0 * params[start:stop, 9][:, None, None]
        noise = noise_rng.normal(0.0, 6.0, size=(stop - start, SHAPE_SIZE, SHAPE_SIZE))
        x[start:stop] = dark + (bright - dark) * cover + noise
    x = np.clip(np.rint(x), 0, 255).astype(np.uint8)[..., None]
    y = np.eye(3, dtype=np.float32)[labels]
    return x, y


# ------------------------------------------------------------------- pulses

_MAX_PULSES_PER_100 = 20  # a pulse plus its gap is at least 3 * 2 = 6 steps


def make_pulses(
    n: int, length: int = 100, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Square-pulse input series and triangle target series (the lab's RNN task).

    Input: square pulses of integer width ``w`` in 2..8 steps and height
    ``h`` in [0.2, 1.0].  The first pulse starts at step 0..10; after a pulse
    the series stays 0 for a gap of ``2 w + g`` steps, ``g`` in 0..12, so the
    gap is always at least twice the pulse width.

    Target: for every pulse a triangle that starts at the step where the
    pulse ends (the first step after it), rises linearly to the pulse height
    ``h`` after ``w`` steps and falls back to 0 after ``2 w`` steps (base
    twice the pulse width).  Pulses and triangles near the end are cut off
    at ``length``.

    Parameters
    ----------
    n
        Number of series, >= 1.
    length
        Steps per series, >= 10.
    seed
        Non-negative integer (deterministic; smaller ``n`` gives a prefix).

    Returns
    -------
    x, y : numpy.ndarray
        float32, shape (n, length); ``x`` in {0} U [0.2, 1.0], ``y`` in
        [0, 1].  Add a feature axis (``x[..., None]``) for Keras RNNs.

    Raises
    ------
    ValueError
        If ``n < 1``, ``length < 10`` or ``seed < 0``.
    """
    n = _check_int(n, "n", 1)
    length = _check_int(length, "length", 10)
    seed = _check_seed(seed)
    max_pulses = _MAX_PULSES_PER_100 * (-(-length // 100))
    u = _stream(seed, 0).random((n, max_pulses, 4))
    width = 2 + np.floor(7 * u[:, :, 0])  # 2..8
    height = 0.2 + 0.8 * u[:, :, 1]
    gap = 2 * width + np.floor(13 * u[:, :, 2])  # >= 2 w
    first = np.floor(11 * u[:, 0, 3])  # 0..10
    period = width + gap
    start = first[:, None] + np.concatenate(
        [np.zeros((n, 1)), np.cumsum(period, axis=1)[:, :-1]], axis=1
    )  # (n, max_pulses)
    end = start + width  # first step after the pulse

    t = np.arange(length, dtype=np.float64)[None, None, :]
    s, e = start[:, :, None], end[:, :, None]
    w, h = width[:, :, None], height[:, :, None]
    x = np.sum(h * ((t >= s) & (t < e)), axis=1)
    k = t - e  # steps since the pulse ended
    y = np.sum(h * np.clip(1.0 - np.abs(k - w) / w, 0.0, None), axis=1)
    return x.astype(np.float32), y.astype(np.float32)


# -------------------------------------------------------------- sum series


def make_sum_series(
    n: int = 10000, length: int = 30, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Series of random digits labelled by whether their sum reaches 100 (H6.2).

    Every entry is drawn independently and uniformly from 0..9; the label is
    1 if the series' sum is >= 100 and 0 otherwise.  With ``length=30`` the
    mean sum is 135, so about 99 % of the labels are 1 (the sheet's setup).

    Parameters
    ----------
    n
        Number of series, >= 1 (the sheet: 10000, split 8000 / 2000).
    length
        Entries per series, >= 1 (the sheet: 30).
    seed
        Non-negative integer (deterministic; smaller ``n`` gives a prefix).

    Returns
    -------
    x : numpy.ndarray
        int64, shape (n, length), values 0..9.
    y : numpy.ndarray
        uint8, shape (n,), values 0 or 1.
    """
    n = _check_int(n, "n", 1)
    length = _check_int(length, "length", 1)
    seed = _check_seed(seed)
    x = _stream(seed, 0).integers(0, 10, size=(n, length), dtype=np.int64)
    y = (x.sum(axis=1) >= 100).astype(np.uint8)
    results.note_source("sum_series", "generated")
    return x, y


# ------------------------------------------------- variable-length sequences


def make_variable_length_sequences(
    n: int = 1000, min_len: int = 5, max_len: int = 10, seed: int = 0
) -> tuple[list[np.ndarray], np.ndarray]:
    """Univariate sequences of random length with integer targets (s01 task 6).

    As the sheet asks: each sequence has a length drawn uniformly from
    ``min_len..max_len`` and values drawn uniformly from [0, 1); each target is
    an integer drawn uniformly from 1..5, *independently of the sequence*.
    The task is about feeding sequences of different lengths to a model
    (generators, padding + masking, ragged tensors), not about accuracy:
    no model can beat chance (about 20 %) on these targets.

    Parameters
    ----------
    n
        Number of sequences, >= 1 (the sheet: 1000).
    min_len, max_len
        Shortest and longest length, 1 <= min_len <= max_len (the sheet: 5, 10).
    seed
        Non-negative integer (deterministic; smaller ``n`` gives a prefix).

    Returns
    -------
    sequences : list of numpy.ndarray
        ``n`` float32 arrays of shape (length,), values in [0, 1).
    targets : numpy.ndarray
        int64, shape (n,), values 1..5.
    """
    n = _check_int(n, "n", 1)
    min_len = _check_int(min_len, "min_len", 1)
    max_len = _check_int(max_len, "max_len", 1)
    if max_len < min_len:
        raise ValueError(f"max_len ({max_len}) must be >= min_len ({min_len})")
    seed = _check_seed(seed)
    lengths = _stream(seed, 0).integers(min_len, max_len + 1, size=n)
    values = _stream(seed, 1).random((n, max_len), dtype=np.float32)
    targets = _stream(seed, 2).integers(1, 6, size=n, dtype=np.int64)
    sequences = [values[i, : lengths[i]].copy() for i in range(n)]
    results.note_source("variable_length_sequences", "generated")
    return sequences, targets
