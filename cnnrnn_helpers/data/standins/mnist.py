"""MNIST stand-in: scikit-learn's real handwritten digits, resampled to 28x28."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

from .._draw import CHUNK, Params, affine_coords, sample_stack, stream
from ..dataset import DIGIT_CLASSES, Dataset
from ._common import TRAIN, labels, make_dataset

__all__ = ["standin_mnist"]

_MNIST_SPLIT_AT = 1350  # sklearn digits 0..1349 -> train, 1350..1796 -> test
#: The random parameters of one MNIST stand-in item, in column order.
_MNIST_PARAMS = (
    "source",  # which scikit-learn digit of the class
    "shift_row",  # centre of mass shifted by up to +-1 px
    "shift_col",
    "scale",
    "angle",
    "shear",
    "aspect",
    "threshold",  # stroke thickness
    "gain",
)


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
        if split == TRAIN
        else pool[pool >= _MNIST_SPLIT_AT]
    )
    by_class = [pool[targets[pool] == c] for c in range(10)]
    y = labels(seed, split, n)
    p = stream(seed, split, 1).random((n, len(_MNIST_PARAMS)))
    x = np.empty((n, 28, 28), dtype=np.uint8)
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        q, lab = Params(p[start:stop], _MNIST_PARAMS), y[start:stop]
        m = stop - start
        src = np.array(
            [
                by_class[c][int(f * len(by_class[c]))]
                for c, f in zip(lab, q.raw("source"))
            ]
        )
        # MNIST puts the centre of mass at the image centre; shift it by up
        # to +-1 px.
        centre_out = np.stack(
            [
                14.0 + 2.0 * (q.raw("shift_row") - 0.5),
                14.0 + 2.0 * (q.raw("shift_col") - 0.5),
            ],
            1,
        )
        rows, cols = affine_coords(
            m,
            28,
            centre_src=centres[src] + 0.5,
            centre_out=centre_out - 0.5,
            scale=0.8 + 0.2 * q.raw("scale"),
            angle=np.deg2rad(30.0 * (q.raw("angle") - 0.5)),
            shear=0.5 * (q.raw("shear") - 0.5),
            aspect=0.8 + 0.3 * q.raw("aspect"),
        )
        v = sample_stack(stack, src, rows - 0.5, cols - 0.5)
        # Stroke thickness: a lower threshold makes strokes thicker.
        thr = (0.08 + 0.3 * q.raw("threshold"))[:, None, None]
        gain = (1.3 + 0.9 * q.raw("gain"))[:, None, None]
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
    return make_dataset(
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
