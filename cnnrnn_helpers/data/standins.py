"""Offline stand-ins for the real datasets.

When the real data cannot be downloaded (``CNNRNN_DATA=offline``, or no
network in ``auto`` mode) the loaders return one of these instead, with
``source="stand-in"``.  Each stand-in keeps the real dataset's shapes,
dtypes, value ranges, split sizes and class names, and is *learnable*: a small
model gets well above chance on it, so every notebook runs and its plots make
sense.  The numbers are not comparable with published results.

Design
------
* MNIST: scikit-learn's bundled real handwritten digits (1797 images of 8x8
  pixels, 16 grey levels) upscaled to 20x20 and placed in 28x28 centred by
  their centre of mass, as in MNIST, with random rotation, scale, shear,
  stroke thickness and shift.  Training items come from digits 0..1349 of
  scikit-learn's set, test items from 1350..1796: no source image is in both.
* Fashion-MNIST: grey silhouettes of the ten item types (T-shirt with short
  sleeves, trouser legs, dress, coat with an opening, shoes, bag with handle
  ...) drawn from simple geometric parts with random proportions, size,
  shade and texture.
* CIFAR-10: 32x32 colour scenes, one recipe per class (background palette
  such as sky, road, water or grass plus an object built from simple shapes
  in class-typical colours), with texture and noise.
* SVHN: digits rendered with matplotlib's bundled DejaVu fonts (sans and
  serif, regular and bold), placed with random affine transforms, random
  colours, neighbouring digits cut by the border, lighting and noise.
* EEG eye state: 14 channels around the real value range (about 4000-4700),
  128 Hz, eyes open or closed in blocks of a few seconds (about 45 % closed);
  closing the eyes strengthens an 8-12 Hz alpha rhythm (mostly at the back of
  the head) and shifts a few channels, on top of a slow drift and noise.

Every generator is deterministic for a seed and has the prefix property: a
smaller split is the start of a larger one (random numbers are drawn per item
from streams derived from ``(seed, split, purpose)``).  Labels come in
shuffled blocks of ten, so every prefix is close to balanced.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .dataset import CIFAR10_CLASSES, DIGIT_CLASSES, FASHION_CLASSES, Dataset
from .generators import _check_int

__all__ = [
    "CIFAR10_CLASSES",
    "DIGIT_CLASSES",
    "EEG_CHANNELS",
    "FASHION_CLASSES",
    "standin_cifar10",
    "standin_eeg_eye_state",
    "standin_fashion_mnist",
    "standin_mnist",
    "standin_svhn",
]

#: The 14 Emotiv electrodes of OpenML 1471, in column order.
EEG_CHANNELS: tuple[str, ...] = (
    "AF3",
    "F7",
    "F3",
    "FC5",
    "T7",
    "P7",
    "O1",
    "O2",
    "P8",
    "T8",
    "FC6",
    "F4",
    "F8",
    "AF4",
)

_TRAIN, _TEST = 0, 1
_CHUNK = 256  # items rendered at once (bounded memory, cache-friendly)


# ------------------------------------------------------------------ helpers


def _stream(seed: int, split: int, purpose: int) -> np.random.Generator:
    """Independent generator for one (seed, split, purpose)."""
    return np.random.default_rng([seed, split, purpose])


def _labels(seed: int, split: int, n: int, n_classes: int = 10) -> np.ndarray:
    """uint8 labels in shuffled blocks of ``n_classes`` (prefix-balanced)."""
    n_blocks = -(-n // n_classes)
    keys = _stream(seed, split, 0).random((n_blocks, n_classes))
    return np.argsort(keys, axis=1).reshape(-1)[:n].astype(np.uint8)


def _chunked(
    render: Callable[..., np.ndarray],
    labels: np.ndarray,
    params: np.ndarray,
    rngs: tuple[np.random.Generator, ...],
    out_shape: tuple[int, ...],
) -> np.ndarray:
    """Call ``render(labels, params, *rngs)`` chunk by chunk into uint8.

    ``render`` returns floats in [0, 1].  It must draw a fixed amount of
    random numbers per item from each generator in ``rngs`` (one generator
    per purpose), so that the result does not depend on the chunking: that
    keeps the prefix property.
    """
    out = np.empty((len(labels), *out_shape), dtype=np.uint8)
    for start in range(0, len(labels), _CHUNK):
        stop = min(start + _CHUNK, len(labels))
        img = render(labels[start:stop], params[start:stop], *rngs)
        img = np.clip(img * 255.0 + 0.5, 0.0, 255.0)
        out[start:stop] = img.astype(np.uint8)  # truncation of x + 0.5 rounds
    return out


def _dataset(
    name: str,
    make: Callable[[int, int, int], tuple[np.ndarray, np.ndarray]],
    n_train: int,
    n_test: int,
    seed: int,
    class_names: tuple[str, ...],
    how: str,
) -> Dataset:
    n_train = _check_int(n_train, "n_train", 1)
    n_test = _check_int(n_test, "n_test", 1)
    seed = _check_int(seed, "seed", 0)
    x_train, y_train = make(_TRAIN, n_train, seed)
    x_test, y_test = make(_TEST, n_test, seed)
    return Dataset(
        name=name,
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=class_names,
        source="stand-in",
        info={"standin": how, "seed": seed},
    )


def _grid(size: int, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates of a size x size image in units of ``unit`` px.

    Returns ``u`` (1, 1, size) growing to the right and ``v`` (1, size, 1)
    growing downwards, both 0 at the image centre.
    """
    c = ((np.arange(size) + 0.5 - size / 2.0) / unit).astype(np.float32)
    return c[None, None, :], c[None, :, None]


def _col(p: np.ndarray, k: int, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """Column ``k`` of the uniform parameters mapped to [lo, hi), float32 (n, 1, 1)."""
    return (lo + (hi - lo) * p[:, k]).astype(np.float32)[:, None, None]


# Signed-distance primitives (< 0 inside) on coordinate grids; every
# parameter broadcasts against (n, 1, 1).  Union = minimum, cut = maximum(d, -e).


def _box(u, v, cx, cy, hw, hh):
    return np.maximum(np.abs(u - cx) - hw, np.abs(v - cy) - hh)


def _ellipse(u, v, cx, cy, a, b):
    return (np.hypot((u - cx) / a, (v - cy) / b) - 1.0) * np.minimum(a, b)


def _capsule(u, v, x0, y0, x1, y1, r):
    """A thick line segment from (x0, y0) to (x1, y1) with radius r."""
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy + 1e-12), 0, 1)
    return np.hypot(u - x0 - t * dx, v - y0 - t * dy) - r


def _trapezoid(u, v, cx, y0, y1, a0, a1):
    """Symmetric trapezoid: half-width a0 at height y0, a1 at y1 (y0 < y1)."""
    t = np.clip((v - y0) / (y1 - y0), 0.0, 1.0)
    return np.maximum(np.abs(u - cx) - (a0 + (a1 - a0) * t), np.maximum(y0 - v, v - y1))


def _triangle(u, v, pts):
    """Triangle through three points ``pts`` = ((x, y), (x, y), (x, y))."""
    (ax, ay), (bx, by), (cx, cy) = pts
    # orientation of the vertex order, so the normals point outwards
    sign = np.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax))
    d = None
    for (x0, y0), (x1, y1) in (
        ((ax, ay), (bx, by)),
        ((bx, by), (cx, cy)),
        ((cx, cy), (ax, ay)),
    ):
        ex, ey = x1 - x0, y1 - y0
        length = np.hypot(ex, ey) + 1e-12
        edge = sign * ((u - x0) * ey - (v - y0) * ex) / length
        d = edge if d is None else np.maximum(d, edge)
    return d


def _cover(d: np.ndarray, px_per_unit: float) -> np.ndarray:
    """Anti-aliased coverage in [0, 1] from a signed distance in grid units."""
    return np.clip(0.5 - d * px_per_unit, 0.0, 1.0)


def _smooth_noise(
    rng: np.random.Generator, n: int, size: int, cells: int
) -> np.ndarray:
    """Smooth random field in [0, 1], shape (n, size, size): bilinear upsampling
    of a (cells x cells) random grid."""
    coarse = rng.random((n, cells, cells), dtype=np.float32)
    pos = np.linspace(0, cells - 1, size, dtype=np.float32)
    i0 = np.floor(pos).astype(int).clip(0, cells - 2)
    f = pos - i0
    rows = (
        coarse[:, i0, :] * (1 - f)[None, :, None]
        + coarse[:, i0 + 1, :] * f[None, :, None]
    )
    return (
        rows[:, :, i0] * (1 - f)[None, None, :] + rows[:, :, i0 + 1] * f[None, None, :]
    )


def _sample_stack(
    stack: np.ndarray, index: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Bilinear samples of images ``stack[index]`` at fractional (rows, cols).

    ``stack`` (m, H, W) with a zero border of at least one pixel (points
    outside are clamped onto the border, so they read 0); ``index`` (n,)
    ints; ``rows``, ``cols`` (n, h, w) in pixel-index coordinates.  Returns
    float32 (n, h, w).
    """
    _, height, width = stack.shape
    flat = stack.reshape(-1).astype(np.float32, copy=False)
    r = np.clip(rows, 0.0, height - 1.001).astype(np.float32, copy=False)
    c = np.clip(cols, 0.0, width - 1.001).astype(np.float32, copy=False)
    r0, c0 = r.astype(np.intp), c.astype(np.intp)  # floor, as r, c >= 0
    fr, fc = r - r0, c - c0
    base = (index.astype(np.intp) * (height * width))[:, None, None] + (r0 * width + c0)
    top = flat[base] * (1 - fc) + flat[base + 1] * fc
    bottom = flat[base + width] * (1 - fc) + flat[base + width + 1] * fc
    return top * (1 - fr) + bottom * fr


def _affine_coords(
    n: int,
    out_size: int,
    centre_src: np.ndarray,
    centre_out: np.ndarray,
    scale: np.ndarray,
    angle: np.ndarray,
    shear: np.ndarray,
    aspect: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Source (row, col) of every output pixel for a per-item affine map.

    The output pixel at ``centre_out`` (n, 2) reads the source point
    ``centre_src`` (n, 2); around it the source is magnified by ``scale``
    (n,), rotated by ``angle`` (radians, n), sheared by ``shear`` (n) and
    stretched horizontally by ``aspect`` (n).  Returns two (n, out, out)
    arrays.
    """
    if aspect is None:
        aspect = np.ones(n)

    def per_item(values) -> np.ndarray:  # (n,) -> float32 (n, 1, 1)
        return np.asarray(values, dtype=np.float32)[:, None, None]

    g = np.arange(out_size, dtype=np.float32)
    dr = g[None, :, None] - per_item(centre_out[:, 0])
    dc = g[None, None, :] - per_item(centre_out[:, 1])
    cos, sin = per_item(np.cos(angle)), per_item(np.sin(angle))
    # inverse map: undo the rotation, then the shear, then the scale
    r1 = cos * dr - sin * dc
    c1 = sin * dr + cos * dc
    c1 -= per_item(shear) * r1
    r1 *= per_item(1.0 / scale)
    c1 *= per_item(1.0 / (scale * aspect))
    r1 += per_item(centre_src[:, 0])
    c1 += per_item(centre_src[:, 1])
    return r1, c1


# -------------------------------------------------------------------- MNIST

_MNIST_SPLIT_AT = 1350  # sklearn digits 0..1349 -> train, 1350..1796 -> test


def _sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled digits: images float64 (1797, 8, 8) in 0..16, labels.

    Reads the data file shipped inside scikit-learn directly, because
    importing ``sklearn.datasets`` takes seconds; falls back to
    :func:`sklearn.datasets.load_digits` if the file has moved.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            data = np.loadtxt(path, delimiter=",")
            if data.shape == (1797, 65):
                return data[:, :64].reshape(-1, 8, 8), data[:, 64].astype(np.uint8)
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images.astype(np.float64), digits.target.astype(np.uint8)


@functools.lru_cache(maxsize=1)
def _mnist_sources() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's digits upscaled to 20x20 (+ 2 px zero border).

    Returns images float64 (1797 + 1, 24, 24) in [0, 1] (the last one empty,
    so bilinear sampling of the last real image stays in range), labels
    (1797,) and centres of mass (1797, 2) in (row, col) pixel coordinates.
    """
    from scipy.ndimage import center_of_mass, zoom

    images, targets = _sklearn_digits()
    small = images / 16.0
    big = np.clip(zoom(small, (1, 2.5, 2.5), order=3), 0.0, None)
    big /= big.max(axis=(1, 2), keepdims=True)
    stack = np.zeros((len(big) + 1, 24, 24))
    stack[:-1, 2:22, 2:22] = big
    centres = np.array([center_of_mass(img) for img in stack[:-1]])
    return stack, targets, centres


def _make_mnist(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    stack, targets, centres = _mnist_sources()
    pool = np.arange(len(targets))
    pool = (
        pool[pool < _MNIST_SPLIT_AT]
        if split == _TRAIN
        else pool[pool >= _MNIST_SPLIT_AT]
    )
    by_class = [pool[targets[pool] == c] for c in range(10)]
    y = _labels(seed, split, n)
    p = _stream(seed, split, 1).random((n, 9))
    x = np.empty((n, 28, 28), dtype=np.uint8)
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        q, lab = p[start:stop], y[start:stop]
        m = stop - start
        src = np.array(
            [by_class[c][int(f * len(by_class[c]))] for c, f in zip(lab, q[:, 0])]
        )
        # MNIST puts the centre of mass at the image centre; shift it by up
        # to +-1 px.
        centre_out = np.stack(
            [14.0 + 2.0 * (q[:, 1] - 0.5), 14.0 + 2.0 * (q[:, 2] - 0.5)], 1
        )
        rows, cols = _affine_coords(
            m,
            28,
            centre_src=centres[src] + 0.5,
            centre_out=centre_out - 0.5,
            scale=0.8 + 0.2 * q[:, 3],
            angle=np.deg2rad(30.0 * (q[:, 4] - 0.5)),
            shear=0.5 * (q[:, 5] - 0.5),
            aspect=0.8 + 0.3 * q[:, 6],
        )
        v = _sample_stack(stack, src, rows - 0.5, cols - 0.5)
        # Stroke thickness: a lower threshold makes strokes thicker.
        thr = (0.08 + 0.3 * q[:, 7])[:, None, None]
        gain = (1.3 + 0.9 * q[:, 8])[:, None, None]
        img = np.clip((v - thr) / (1.0 - thr) * gain, 0.0, 1.0)
        x[start:stop] = np.rint(255.0 * img).astype(np.uint8)
    return x, y


def standin_mnist(n_train: int = 60000, n_test: int = 10000, seed: int = 0) -> Dataset:
    """Offline stand-in for MNIST, made from real handwriting.

    scikit-learn's bundled handwritten digits (1797 images, 8x8, 16 levels)
    upscaled to 20x20, centred by mass in 28x28 like MNIST and varied by a
    random affine map (rotation +-15 degrees, scale, shear, width) and stroke
    thickness.  Training and test items come from disjoint source images.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 60000 / 10000).
    seed
        Non-negative integer; the same seed gives the same data and a smaller
        split is a prefix of a larger one.

    Returns
    -------
    Dataset
        ``name="mnist"``, x uint8 (n, 28, 28) in 0..255 (background 0), y uint8
        (n,) in 0..9 (classes in shuffled blocks of ten), ``class_names``
        "0".."9", ``source="stand-in"``.
    """
    return _dataset(
        "mnist",
        _make_mnist,
        n_train,
        n_test,
        seed,
        DIGIT_CLASSES,
        "scikit-learn's 8x8 handwritten digits upscaled to 20x20, centred by mass "
        "in 28x28 with random rotation/scale/shear/thickness; train from source "
        "digits 0..1349, test from 1350..1796",
    )


# ------------------------------------------------------------ Fashion-MNIST


def _fashion_shape(c: int, u, v, q):
    """Signed distance of class ``c``'s silhouette; frame [-1, 1], y downwards.

    ``q`` holds uniform parameters in [0, 1), shape (m, >= 12).
    """
    a = lambda k, lo, hi: _col(q, k, lo, hi)  # noqa: E731 - short parameter lookups
    if c in (0, 2, 4, 6):  # tops: torso + sleeves (short for the T-shirt)
        long_top = c == 4
        hw = a(0, 0.40, 0.55)
        top, bottom = -0.85, a(1, 0.75, 0.95) if long_top else a(1, 0.6, 0.85)
        torso = _box(u, v, 0.0, (top + bottom) / 2, hw, (bottom - top) / 2)
        if c == 0:
            reach, drop, r = a(2, 0.25, 0.45), a(3, -0.35, -0.05), a(4, 0.14, 0.2)
        else:
            reach, drop, r = a(2, 0.22, 0.35), a(3, 0.55, 0.9), a(4, 0.12, 0.16)
        d = torso
        for side in (-1.0, 1.0):
            d = np.minimum(
                d,
                _capsule(
                    u, v, side * (hw - r), -0.85 + r, side * (hw + reach), drop, r
                ),
            )
        neck = _ellipse(u, v, 0.0, -0.9, a(5, 0.15, 0.25), a(6, 0.08, 0.2))
        return np.maximum(d, -neck)
    if c == 1:  # trouser: waistband and two legs
        waist = a(0, 0.28, 0.4)
        spread = a(1, 0.0, 0.12)
        r = a(2, 0.12, 0.15)
        d = _box(u, v, 0.0, -0.88, waist, 0.1)
        for side in (-1.0, 1.0):
            d = np.minimum(
                d,
                _capsule(
                    u, v, side * (waist - r), -0.8, side * (waist - r + spread), 0.88, r
                ),
            )
        return d
    if c == 3:  # dress: bodice and flared skirt
        waist_y = a(0, -0.35, -0.1)
        bodice = _trapezoid(u, v, 0.0, -0.9, waist_y, a(1, 0.2, 0.3), a(2, 0.15, 0.22))
        skirt = _trapezoid(u, v, 0.0, waist_y, 0.92, a(2, 0.15, 0.22), a(3, 0.4, 0.75))
        return np.minimum(bodice, skirt)
    if c == 5:  # sandal: thin sole and a few straps with gaps between them
        sole_y = a(0, 0.35, 0.55)
        d = _box(u, v, 0.0, sole_y, 0.9, 0.06)
        for k, x0 in enumerate((-0.6, -0.15, 0.3)):
            d = np.minimum(
                d,
                _capsule(
                    u,
                    v,
                    x0,
                    sole_y,
                    x0 + a(1 + k, 0.1, 0.4),
                    sole_y - a(4, 0.35, 0.6),
                    0.06,
                ),
            )
        heel = _capsule(u, v, 0.6, sole_y, 0.75, sole_y - a(5, 0.4, 0.75), 0.07)
        return np.minimum(d, heel)
    if c == 7:  # sneaker: sole plus a low rounded upper, toe on the left
        sole_y = a(0, 0.35, 0.55)
        sole = _box(u, v, 0.0, sole_y, 0.92, 0.08)
        upper = _ellipse(u, v, 0.15, sole_y, a(1, 0.65, 0.8), a(2, 0.35, 0.5))
        upper = np.maximum(upper, v - sole_y)
        toe = _ellipse(u, v, -0.55, sole_y - 0.05, 0.4, a(3, 0.15, 0.22))
        return np.minimum(sole, np.minimum(upper, toe))
    if c == 8:  # bag: body and handle arc
        hw, hh = a(0, 0.65, 0.9), a(1, 0.4, 0.55)
        top = 0.85 - 2 * hh
        body = _box(u, v, 0.0, (top + 0.85) / 2, hw, hh)
        radius = a(2, 0.3, 0.55)
        ring = np.abs(np.hypot(u, v - top) - radius) - a(3, 0.04, 0.09)
        handle = np.maximum(ring, v - top)
        return np.minimum(body, handle)
    # c == 9 ankle boot: foot, shaft at the back, heel
    sole_y = a(0, 0.55, 0.7)
    foot = _box(u, v, 0.0, sole_y - 0.15, 0.88, 0.17)
    toe = _ellipse(u, v, -0.6, sole_y - 0.2, 0.32, 0.22)
    shaft_w = a(1, 0.3, 0.42)
    shaft = _box(
        u,
        v,
        0.88 - shaft_w,
        (sole_y - 0.3 - 0.9) / 2,
        shaft_w,
        (sole_y - 0.3 + 0.9) / 2,
    )
    return np.minimum(np.minimum(foot, toe), shaft)


def _render_fashion(
    labels: np.ndarray,
    q: np.ndarray,
    texture_rng: np.random.Generator,
    noise_rng: np.random.Generator,
):
    m = len(labels)
    u0, v0 = _grid(28, 12.5)
    scale = _col(q, 12, 0.75, 1.05)
    u = (u0 - _col(q, 13, -0.1, 0.1)) / scale
    v = (v0 - _col(q, 14, -0.1, 0.1)) / scale
    u = np.broadcast_to(u, (m, 28, 28))
    v = np.broadcast_to(v, (m, 28, 28))
    dist = np.empty((m, 28, 28))
    for c in range(10):
        sel = labels == c
        if sel.any():
            dist[sel] = _fashion_shape(c, u[sel], v[sel], q[sel])
    cover = _cover(dist * scale, 12.5)
    # Shade, a soft texture, and class details: coat opening, shirt checks.
    shade = _col(q, 15, 0.35, 1.0)
    texture = 0.65 + 0.35 * _smooth_noise(texture_rng, m, 28, 5)
    strength = _col(q, 16, 0.0, 0.4)
    checks = (np.sin(u * 14.0) > 0.6) | (np.sin(v * 14.0) > 0.6)
    detail = np.ones((m, 28, 28))
    coat = labels == 4
    detail[coat] = 1.0 - strength[coat] * 1.5 * (np.abs(u[coat]) < 0.04)
    shirt = labels == 6
    detail[shirt] = 1.0 - strength[shirt] * checks[shirt]
    img = cover * shade * texture * detail
    img = img + cover * noise_rng.normal(0.0, 0.04, size=(m, 28, 28))
    return np.clip(img, 0.0, 1.0)


def _make_fashion(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = _labels(seed, split, n)
    q = _stream(seed, split, 1).random((n, 17))
    rngs = (_stream(seed, split, 2), _stream(seed, split, 3))
    x = _chunked(_render_fashion, y, q, rngs, (28, 28))
    return x, y


def standin_fashion_mnist(
    n_train: int = 60000, n_test: int = 10000, seed: int = 0
) -> Dataset:
    """Offline stand-in for Fashion-MNIST: synthetic grey silhouettes.

    Each class has its own recipe of simple parts (T-shirt: torso and short
    sleeves; trouser: two legs; pullover, coat and shirt: long sleeves, the
    coat with a dark opening, the shirt with a check pattern; dress: flared
    trapezoids; sandal: sole and thin straps; sneaker: low shoe; bag: body and
    handle; ankle boot: foot and shaft) with random proportions, size,
    position, shade and texture, on a black background.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 60000 / 10000).
    seed
        Non-negative integer (deterministic; smaller splits are prefixes).

    Returns
    -------
    Dataset
        ``name="fashion_mnist"``, x uint8 (n, 28, 28) in 0..255, y uint8 (n,)
        in 0..9, the ten Fashion-MNIST class names, ``source="stand-in"``.
    """
    return _dataset(
        "fashion_mnist",
        _make_fashion,
        n_train,
        n_test,
        seed,
        FASHION_CLASSES,
        "synthetic grey silhouettes of the ten item types (geometric parts with "
        "random proportions, size, shade and texture)",
    )


# --------------------------------------------------------------------- SVHN

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


def _render_svhn(
    labels: np.ndarray,
    q: np.ndarray,
    noise_rng: np.random.Generator,
):
    from scipy.ndimage import gaussian_filter

    masks, centres, sizes = _digit_glyphs()
    m = len(labels)
    font = np.minimum((q[:, 0] * len(_SVHN_FONTS)).astype(int), len(_SVHN_FONTS) - 1)
    height = 14.0 + 10.0 * q[:, 1]  # digit height in the 32x32 crop
    glyph = font * 10 + labels
    scale = height / sizes[glyph, 0]
    angle = np.deg2rad(20.0 * (q[:, 2] - 0.5))
    shear = 0.5 * (q[:, 3] - 0.5)
    aspect = 0.8 + 0.4 * q[:, 4]
    centre = np.stack([16.0 + 3.0 * (q[:, 5] - 0.5), 16.0 + 3.0 * (q[:, 6] - 0.5)], 1)
    empty = len(masks) - 1
    rows, cols = _affine_coords(
        m, 32, centres[glyph], centre, scale, angle, shear, aspect
    )
    mask = _sample_stack(masks, glyph, rows, cols)
    # Moving one output column to the right moves the source point by
    # (d_row, d_col); neighbours are the same map shifted sideways.
    d_row, d_col = _affine_coords(
        m, 2, np.zeros((m, 2)), np.zeros((m, 2)), scale, angle, shear, aspect
    )
    d_row, d_col = d_row[:, 0, 1], d_col[:, 0, 1]
    gap = 1.0 + 3.0 * q[:, 12]
    for k, side in ((1, -1.0), (2, 1.0)):
        # a neighbouring digit of the house number, cut by the border
        other = font * 10 + np.minimum((q[:, 6 + k] * 10).astype(int), 9)
        present = q[:, 9 + k] < 0.7
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
        mask = np.maximum(mask, _sample_stack(masks, other, src_row, src_col))
    mask = gaussian_filter(mask, sigma=(0, 0.7, 0.7))

    # Colours, desaturated towards grey by a random amount (SVHN is muted).
    def muted(rgb: np.ndarray, amount: np.ndarray) -> np.ndarray:
        grey = rgb.mean(axis=1, keepdims=True)
        return grey + amount[:, None] * (rgb - grey)

    background = muted(q[:, 13:16], 0.2 + 0.7 * q[:, 21]).astype(np.float32)
    ink = muted(q[:, 16:19], 0.2 + 0.7 * q[:, 22]).astype(np.float32)
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
    u, v = _grid(32, 16.0)
    phi = 2 * np.pi * _col(q, 19)
    light = 1.0 + _col(q, 20, 0.0, 0.3) * (np.cos(phi) * u + np.sin(phi) * v)
    img *= light[..., None].astype(np.float32)
    img += 0.035 * noise_rng.standard_normal((m, 32, 32, 3), dtype=np.float32)
    return img


def _make_svhn(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = _labels(seed, split, n)
    q = _stream(seed, split, 1).random((n, 23))
    x = _chunked(_render_svhn, y, q, (_stream(seed, split, 2),), (32, 32, 3))
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
    return _dataset(
        "svhn",
        _make_svhn,
        n_train,
        n_test,
        seed,
        DIGIT_CLASSES,
        "digits rendered with matplotlib's DejaVu fonts, random affine maps, "
        "colours, neighbouring digits at the borders, blur, lighting and noise",
    )


# ----------------------------------------------------------------- CIFAR-10

# Background (top colour, bottom colour) and object palettes per class, RGB.
_SKY = (0.55, 0.70, 0.90)
_CIFAR_BACKGROUND: dict[int, tuple[tuple[float, ...], tuple[float, ...]]] = {
    0: (_SKY, (0.75, 0.82, 0.92)),  # airplane: sky all over
    1: ((0.62, 0.64, 0.68), (0.33, 0.33, 0.35)),  # automobile: street, road
    2: ((0.45, 0.62, 0.80), (0.35, 0.55, 0.30)),  # bird: sky over foliage
    3: ((0.62, 0.52, 0.42), (0.50, 0.40, 0.32)),  # cat: indoors, warm
    4: ((0.30, 0.42, 0.25), (0.45, 0.40, 0.28)),  # deer: forest, brown ground
    5: ((0.60, 0.60, 0.55), (0.40, 0.58, 0.30)),  # dog: grass
    6: ((0.38, 0.45, 0.25), (0.42, 0.36, 0.25)),  # frog: ground close up
    7: (_SKY, (0.40, 0.60, 0.28)),  # horse: sky over a field
    8: ((0.65, 0.75, 0.88), (0.15, 0.32, 0.55)),  # ship: sky over water
    9: ((0.60, 0.63, 0.66), (0.30, 0.30, 0.32)),  # truck: street, road
}
_HORIZON: dict[int, tuple[float, float]] = {  # range of the horizon height
    0: (0.8, 1.0),
    1: (-0.1, 0.3),
    2: (0.0, 0.6),
    3: (-0.3, 0.3),
    4: (-0.2, 0.3),
    5: (-0.2, 0.2),
    6: (-0.9, -0.5),
    7: (-0.2, 0.2),
    8: (0.0, 0.35),
    9: (-0.1, 0.3),
}
_ANIMAL_COLOURS = np.array(
    [
        (0.55, 0.38, 0.22),  # brown
        (0.80, 0.60, 0.35),  # tan / golden
        (0.20, 0.18, 0.16),  # black
        (0.85, 0.83, 0.78),  # white
        (0.55, 0.55, 0.55),  # grey
        (0.85, 0.50, 0.20),  # ginger
    ]
)
_BIRD_COLOURS = np.array(
    [(0.55, 0.38, 0.22), (0.80, 0.20, 0.15), (0.20, 0.35, 0.75), (0.85, 0.75, 0.20)]
)
_FROG_COLOURS = np.array([(0.35, 0.55, 0.20), (0.50, 0.45, 0.25), (0.25, 0.45, 0.25)])


def _pick(palette: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Palette colour for each uniform number in ``f`` (n,) -> (n, 3)."""
    return palette[np.minimum((f * len(palette)).astype(int), len(palette) - 1)]


def _hue_colour(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """A saturated colour of random hue (vehicles), (n, 3) in [0, 1]."""
    hue = 2 * np.pi * f[:, None]
    rgb = 0.5 + 0.45 * np.cos(hue - np.array([0.0, 2.1, 4.2])[None, :])
    # one vehicle in four is white, silver or black
    plain = np.where(g < 0.5, 0.9, np.where(g < 0.75, 0.6, 0.12))[:, None]
    return np.where((g < 0.25)[:, None] | (g > 0.85)[:, None], plain, rgb)


def _cifar_layers(c: int, u, v, q) -> list[tuple[np.ndarray, np.ndarray]]:
    """Parts of class ``c``'s object as (signed distance, colour (m, 3)) layers.

    Frame [-1, 1], y downwards; ``q`` uniform parameters (m, >= 24).
    """
    a = lambda k, lo, hi: _col(q, k, lo, hi)  # noqa: E731 - short parameter lookups
    dark = np.full((len(q), 3), 0.1)
    glass = np.tile([0.30, 0.36, 0.45], (len(q), 1))
    if c == 0:  # airplane: fuselage, wings, tail, tilted
        angle = a(10, -0.5, 0.5)
        cos, sin = np.cos(angle), np.sin(angle)
        x, y = u * cos + v * sin, -u * sin + v * cos
        colour = np.repeat(0.6 + 0.35 * q[:, 11:12], 3, axis=1)
        body = _capsule(x, y, -0.75, 0.0, 0.75, 0.0, a(12, 0.08, 0.13))
        wing = _trapezoid(x, y, 0.05, -0.65, 0.65, 0.12, 0.22)
        wing = np.maximum(wing, np.abs(x - 0.05 - 0.25 * np.abs(y)) - 0.14)
        tail = _capsule(x, y, 0.65, 0.0, 0.8, -0.3, 0.06)
        return [(np.minimum(np.minimum(body, wing), tail), colour)]
    if c in (1, 9):  # automobile / truck: body, cabin or cargo box, wheels
        colour = _hue_colour(q[:, 10], q[:, 11])
        if c == 1:
            body = _box(u, v, 0.0, 0.25, a(12, 0.65, 0.85), a(13, 0.15, 0.22))
            cabin = _trapezoid(u, v, a(14, -0.15, 0.15), -0.2, 0.1, 0.3, 0.5)
            wheels = np.minimum(
                _ellipse(u, v, -0.5, 0.45, 0.15, 0.15),
                _ellipse(u, v, 0.5, 0.45, 0.15, 0.15),
            )
            return [(cabin, glass), (body, colour), (wheels, dark)]
        cargo = _box(u, v, 0.2, a(12, -0.15, 0.05), 0.62, a(13, 0.35, 0.5))
        cab = _box(u, v, -0.62, 0.2, 0.2, 0.28)
        window = _box(u, v, -0.65, 0.05, 0.12, 0.1)
        wheels = np.minimum(
            np.minimum(
                _ellipse(u, v, -0.6, 0.55, 0.13, 0.13),
                _ellipse(u, v, 0.1, 0.55, 0.13, 0.13),
            ),
            _ellipse(u, v, 0.5, 0.55, 0.13, 0.13),
        )
        cab_colour = _hue_colour(q[:, 14], q[:, 15])
        return [(cargo, colour), (cab, cab_colour), (window, glass), (wheels, dark)]
    if c == 8:  # ship: hull, superstructure, mast
        hull_colour = np.where(
            (q[:, 10] < 0.5)[:, None],
            np.array([0.15, 0.15, 0.18]),
            _hue_colour(q[:, 11], q[:, 12]),
        )
        top = a(13, 0.05, 0.2)
        hull = _trapezoid(u, v, 0.0, top, top + 0.3, a(14, 0.75, 0.9), 0.55)
        house = _box(u, v, a(15, -0.3, 0.3), top - 0.17, a(16, 0.2, 0.35), 0.17)
        mast = _capsule(u, v, 0.0, top - 0.3, 0.0, top - 0.6, 0.04)
        white = np.full((len(q), 3), 0.9)
        return [(np.minimum(house, mast), white), (hull, hull_colour)]
    if c == 2:  # bird: body, head, beak, tail
        colour = _pick(_BIRD_COLOURS, q[:, 10])
        s = a(11, 0.7, 1.1)
        body = _ellipse(u, v, 0.0, 0.1, 0.38 * s, 0.24 * s)
        head = _ellipse(u, v, 0.35 * s, -0.15 * s, 0.16 * s, 0.16 * s)
        tail = _capsule(u, v, -0.3 * s, 0.15, -0.65 * s, 0.0, 0.07 * s)
        beak = _triangle(
            u, v, ((0.48 * s, -0.2 * s), (0.48 * s, -0.08 * s), (0.68 * s, -0.14 * s))
        )
        orange = np.tile([0.95, 0.6, 0.1], (len(q), 1))
        return [(np.minimum(np.minimum(body, head), tail), colour), (beak, orange)]
    if c in (3, 5):  # cat / dog: a face filling the picture
        colour = _pick(_ANIMAL_COLOURS, q[:, 10])
        s = a(11, 0.85, 1.15)
        head = _ellipse(u, v, 0.0, 0.15, 0.5 * s, 0.45 * s)
        eyes = np.minimum(
            _ellipse(u, v, -0.2 * s, 0.05, 0.07, 0.08),
            _ellipse(u, v, 0.2 * s, 0.05, 0.07, 0.08),
        )
        nose = _ellipse(u, v, 0.0, 0.3 * s, 0.08, 0.06)
        if c == 3:  # pointed ears, green-yellow eyes
            ears = np.minimum(
                _triangle(
                    u, v, ((-0.5 * s, -0.05), (-0.1 * s, -0.2), (-0.4 * s, -0.7))
                ),
                _triangle(u, v, ((0.5 * s, -0.05), (0.1 * s, -0.2), (0.4 * s, -0.7))),
            )
            eye_colour = np.tile([0.6, 0.7, 0.2], (len(q), 1))
            return [(np.minimum(head, ears), colour), (eyes, eye_colour), (nose, dark)]
        ears = np.minimum(  # floppy ears hanging at the sides, a lighter snout
            _ellipse(u, v, -0.5 * s, 0.15, 0.15, 0.35 * s),
            _ellipse(u, v, 0.5 * s, 0.15, 0.15, 0.35 * s),
        )
        snout = _ellipse(u, v, 0.0, 0.35 * s, 0.22 * s, 0.16 * s)
        light = np.clip(colour + 0.25, 0, 1)
        return [
            (head, colour),
            (ears, colour * 0.6),
            (snout, light),
            (np.minimum(eyes, nose), dark),
        ]
    if c in (4, 7):  # deer / horse: body, neck, head, legs (+ antlers)
        if c == 4:
            colour = np.tile([0.58, 0.40, 0.24], (len(q), 1)) * (
                0.85 + 0.3 * q[:, 10:11]
            )
        else:
            colour = _pick(_ANIMAL_COLOURS[:4], q[:, 10])
        leg_r = 0.05 if c == 4 else 0.065
        body = _ellipse(u, v, 0.05, 0.0, 0.5, 0.22)
        neck = _capsule(u, v, -0.3, -0.05, -0.5, -0.45, 0.1 if c == 4 else 0.13)
        head = _capsule(u, v, -0.5, -0.45, -0.75, -0.3, 0.09)
        legs = None
        for x0 in (-0.3, -0.15, 0.25, 0.4):
            leg = _capsule(u, v, x0, 0.1, x0 + a(12, -0.08, 0.08), 0.8, leg_r)
            legs = leg if legs is None else np.minimum(legs, leg)
        parts = np.minimum(np.minimum(body, neck), np.minimum(head, legs))
        layers = [(parts, colour)]
        if c == 4:
            antlers = np.minimum(
                _capsule(u, v, -0.5, -0.55, -0.35, -0.9, 0.03),
                _capsule(u, v, -0.55, -0.55, -0.75, -0.9, 0.03),
            )
            layers.append((antlers, np.tile([0.35, 0.25, 0.15], (len(q), 1))))
        return layers
    # c == 6 frog: wide squat body, eye bumps, legs
    colour = _pick(_FROG_COLOURS, q[:, 10])
    s = a(11, 0.8, 1.15)
    body = _ellipse(u, v, 0.0, 0.2, 0.6 * s, 0.33 * s)
    bumps = np.minimum(
        _ellipse(u, v, -0.28 * s, -0.12 * s, 0.14, 0.14),
        _ellipse(u, v, 0.28 * s, -0.12 * s, 0.14, 0.14),
    )
    legs = np.minimum(
        _ellipse(u, v, -0.55 * s, 0.45 * s, 0.3, 0.12),
        _ellipse(u, v, 0.55 * s, 0.45 * s, 0.3, 0.12),
    )
    pupils = np.minimum(
        _ellipse(u, v, -0.28 * s, -0.14 * s, 0.06, 0.06),
        _ellipse(u, v, 0.28 * s, -0.14 * s, 0.06, 0.06),
    )
    return [(np.minimum(np.minimum(body, bumps), legs), colour), (pupils, dark)]


def _render_cifar(
    labels: np.ndarray,
    q: np.ndarray,
    texture_rng: np.random.Generator,
    noise_rng: np.random.Generator,
):
    m = len(labels)
    u0, v0 = _grid(32, 16.0)
    scale = _col(q, 0, 0.8, 1.15)
    flip = np.where(q[:, 1] < 0.5, -1.0, 1.0).astype(np.float32)[:, None, None]
    u = np.broadcast_to(flip * (u0 - _col(q, 2, -0.15, 0.15)) / scale, (m, 32, 32))
    v = np.broadcast_to((v0 - _col(q, 3, -0.15, 0.15)) / scale, (m, 32, 32))

    texture = _smooth_noise(texture_rng, m, 32, 6)[..., None]
    # The scene: usually the class's own background, in 35 % of the items
    # the background of a random class (objects are not always where they
    # are expected, as in real photos).
    scene = np.where(q[:, 9] < 0.35, np.minimum(q[:, 17] * 10, 9).astype(int), labels)
    jitter = 0.25 * (q[:, 4:7] - 0.5)
    img = np.empty((m, 32, 32, 3), dtype=np.float32)
    for c in range(10):
        sel = scene == c
        if not sel.any():
            continue
        top, bottom = (np.array(col) for col in _CIFAR_BACKGROUND[c])
        lo, hi = _HORIZON[c]
        horizon = (lo + (hi - lo) * q[sel, 7]).astype(np.float32)[:, None, None]
        t = np.clip((v0 - horizon) * 6.0 + 0.5, 0.0, 1.0)[..., None]
        top = (top + jitter[sel]).astype(np.float32)[:, None, None, :]
        bottom = bottom.astype(np.float32)
        img[sel] = (top * (1 - t) + bottom * t) * (0.8 + 0.4 * texture[sel])
    for c in range(10):
        sel = labels == c
        if not sel.any():
            continue
        back = img[sel]
        shading = 0.85 + 0.3 * texture[sel]
        for dist, colour in _cifar_layers(c, u[sel], v[sel], q[sel]):
            cover = _cover(dist * scale[sel], 16.0)[..., None]
            colour = colour.astype(np.float32)[:, None, None, :]
            back += (colour * shading - back) * cover
        img[sel] = back
    img *= _col(q, 8, 0.7, 1.2)[..., None]  # exposure
    img += 0.06 * noise_rng.standard_normal((m, 32, 32, 3), dtype=np.float32)
    return img


def _make_cifar(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = _labels(seed, split, n)
    q = _stream(seed, split, 1).random((n, 24))
    rngs = (_stream(seed, split, 2), _stream(seed, split, 3))
    x = _chunked(_render_cifar, y, q, rngs, (32, 32, 3))
    return x, y


def standin_cifar10(
    n_train: int = 50000, n_test: int = 10000, seed: int = 0
) -> Dataset:
    """Offline stand-in for CIFAR-10: small synthetic colour scenes.

    One recipe per class: a background in the class's typical colours (sky,
    street and road, foliage, a room, forest, grass, water) split by a
    horizon at a random height, and an object built from simple shapes
    (airplane: fuselage and wings; automobile and truck in random colours with
    windows and wheels; ship: hull and superstructure; bird, cat and dog
    faces, deer with antlers, horse, frog) with random size, position,
    mirror image, texture, exposure and noise.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 50000 / 10000).
    seed
        Non-negative integer (deterministic; smaller splits are prefixes).

    Returns
    -------
    Dataset
        ``name="cifar10"``, x uint8 (n, 32, 32, 3) in 0..255, y uint8 (n,) in
        0..9, the CIFAR-10 class names, ``source="stand-in"``.
    """
    return _dataset(
        "cifar10",
        _make_cifar,
        n_train,
        n_test,
        seed,
        CIFAR10_CLASSES,
        "synthetic 32x32 colour scenes: class-typical background palettes and "
        "objects built from simple shapes, random size/position/mirroring, "
        "texture and noise",
    )


# ---------------------------------------------------------------------- EEG

_EEG_RATE = 128  # samples per second, as the Emotiv headset of OpenML 1471
# Mean level of each channel in the real recording (rounded).
_EEG_LEVEL = np.array(
    [
        4321,
        4009,
        4264,
        4164,
        4341,
        4644,
        4110,
        4616,
        4218,
        4231,
        4202,
        4279,
        4615,
        4416,
    ],
    dtype=np.float64,
)
# How strongly each channel shows the alpha rhythm (strongest at the back of
# the head: P7, O1, O2, P8) and how much its level shifts when the eyes close
# (back of the head up, front near the eyes down).
_EEG_ALPHA = np.array(
    [0.3, 0.3, 0.3, 0.3, 0.5, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3, 0.3, 0.3, 0.3]
)
_EEG_SHIFT = np.array(
    [-3, -4, -1.5, -1, 0, 1.5, 3, 3, 1.5, 0, -1, -1.5, -4, -3], dtype=np.float64
)


def standin_eeg_eye_state(
    n_rows: int = 14980, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Offline stand-in for the EEG eye-state recording (OpenML 1471).

    A synthetic 14-channel recording at 128 Hz, in time order.  The eyes are
    open or closed in alternating blocks (open 2.5-8.5 s, closed 2-7 s, so
    about 45 % of the rows are "closed").  Every channel is its real mean
    level (about 4000-4650) plus

    * an alpha rhythm (8-12 Hz) whose amplitude grows from about 2 to 10
      units while the eyes are closed, strongest in P7, O1, O2, P8;
    * a small level shift while the eyes are closed (up at the back of the head,
      down at the front), smoothed over a quarter of a second;
    * a slow drift (random walk and a slow wave) and noise (sd 3).

    So the eye state can be read from short windows (a small RNN on windows
    of 10 rows beats the majority class) but not perfectly.  The loader does
    the chronological train/test split.

    Parameters
    ----------
    n_rows
        Number of rows (time steps), >= 1 (the real recording: 14980).
    seed
        Non-negative integer (deterministic; fewer rows give a prefix).

    Returns
    -------
    x : numpy.ndarray
        float32, shape (n_rows, 14), raw (unscaled) values, columns in the
        order of :data:`EEG_CHANNELS`.
    y : numpy.ndarray
        uint8, shape (n_rows,), 1 = eyes closed, 0 = open.
    """
    n = _check_int(n_rows, "n_rows", 1)
    seed = _check_int(seed, "seed", 0)
    split = 2  # a stream of its own, apart from any image stand-in's splits

    # Eye state in blocks: open, closed, open, ...
    n_blocks = n // (2 * _EEG_RATE) + 2
    u = _stream(seed, split, 0).random(n_blocks)
    state = np.arange(n_blocks) % 2  # 0 open, 1 closed
    seconds = np.where(state == 0, 2.5 + 6.0 * u, 2.0 + 5.0 * u)
    lengths = np.maximum(1, np.rint(seconds * _EEG_RATE).astype(int))
    y = np.repeat(state, lengths)[:n].astype(np.uint8)

    t = np.arange(n)[:, None] / _EEG_RATE
    p = _stream(seed, split, 1).random((4, 14))
    freq = 8.0 + 4.0 * p[0]
    phase = 2 * np.pi * p[1]
    # Amplitude and level follow the eye state with a 0.25 s lag (causal).
    alpha = 1.0 / (0.25 * _EEG_RATE)
    smooth = np.empty(n)
    level_now = 0.0
    for i, closed in enumerate(y.tolist()):  # exponential moving average
        level_now += alpha * (closed - level_now)
        smooth[i] = level_now
    smooth = smooth[:, None]
    amplitude = (2.0 + 8.0 * smooth) * _EEG_ALPHA
    rhythm = amplitude * np.sin(2 * np.pi * freq * t + phase)
    level = _EEG_LEVEL + _EEG_SHIFT * smooth
    walk = np.cumsum(_stream(seed, split, 2).normal(0.0, 0.05, size=(n, 14)), axis=0)
    wave = 3.0 * np.sin(2 * np.pi * t / (40.0 + 40.0 * p[2]) + 2 * np.pi * p[3])
    noise = _stream(seed, split, 3).normal(0.0, 3.0, size=(n, 14))
    x = level + rhythm + walk + wave + noise
    return x.astype(np.float32), y
