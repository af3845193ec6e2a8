"""Turning raw loader arrays into network inputs: flat MNIST, a fixed probe batch.

Sheet 2's MLP tasks (t02-t04) all feed MNIST to dense networks the same way
and probe gradients on one fixed mini-batch; these functions do it once.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

__all__ = ["FlatImages", "ProbeBatch", "flat_images", "probe_batch"]


class FlatImages(NamedTuple):
    """Flattened, scaled images and one-hot labels of a dataset.

    Attributes
    ----------
    x_train, x_test
        float32 arrays (n, h*w*c) with values in [0, 1].
    y_train, y_test
        float32 one-hot arrays (n, n_classes).
    labels_train, labels_test
        The integer labels (n,) the one-hot rows came from.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    labels_train: np.ndarray
    labels_test: np.ndarray


class ProbeBatch(NamedTuple):
    """A fixed mini-batch: inputs ``x``, targets ``y`` and their row ``index``."""

    x: np.ndarray
    y: np.ndarray
    index: np.ndarray


def _flat(images: np.ndarray, what: str) -> np.ndarray:
    arr = np.asarray(images)
    if arr.ndim < 2 or len(arr) == 0:
        raise ValueError(f"{what} must be a non-empty batch of images, got {arr.shape}")
    if arr.dtype != np.uint8:
        raise TypeError(f"{what} must be uint8 in [0, 255], got {arr.dtype}")
    return arr.reshape(len(arr), -1).astype("float32") / 255.0


def _one_hot(labels: np.ndarray, n_classes: int, what: str) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.ndim != 1 or not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"{what} must be 1-D integer class labels, got {lab.shape}")
    if lab.size and (lab.min() < 0 or lab.max() >= n_classes):
        raise ValueError(f"{what} must lie in [0, {n_classes - 1}]")
    return np.eye(n_classes, dtype="float32")[lab]


def flat_images(dataset: Any, n_classes: int | None = None) -> FlatImages:
    """Images as flat float vectors in [0, 1], labels one-hot (for dense networks).

    Parameters
    ----------
    dataset
        A :class:`~cnnrnn_helpers.data.Dataset` with uint8 images
        ``x_train``/``x_test`` of any shape (n, ...) and integer labels.
    n_classes
        Length of the one-hot vectors; default ``len(dataset.class_names)``.

    Returns
    -------
    FlatImages
        e.g. for MNIST ``x_train`` (60000, 784) float32 in [0, 1] and
        ``y_train`` (60000, 10) one-hot float32.

    Raises
    ------
    TypeError
        If ``dataset`` lacks the arrays, or the images are not uint8.
    ValueError
        If the labels are not 1-D integers in range.
    """
    for name in ("x_train", "y_train", "x_test", "y_test"):
        if not hasattr(dataset, name):
            raise TypeError(f"dataset must be a Dataset, it has no {name!r}")
    if n_classes is None:
        n_classes = len(getattr(dataset, "class_names", ()) or ())
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be >= 2, got {n_classes}")
    n_classes = int(n_classes)
    return FlatImages(
        x_train=_flat(dataset.x_train, "dataset.x_train"),
        y_train=_one_hot(dataset.y_train, n_classes, "dataset.y_train"),
        x_test=_flat(dataset.x_test, "dataset.x_test"),
        y_test=_one_hot(dataset.y_test, n_classes, "dataset.y_test"),
        labels_train=np.asarray(dataset.y_train),
        labels_test=np.asarray(dataset.y_test),
    )


def probe_batch(x: Any, y: Any, size: int = 32, *, seed: int = 0) -> ProbeBatch:
    """A mini-batch of ``size`` distinct rows drawn once with a seeded generator.

    The same arguments always give the same rows, so several notebooks (and
    several models in one notebook) probe gradients on exactly the same
    examples.

    Parameters
    ----------
    x, y
        Inputs and targets with the same first dimension n.
    size
        Rows in the batch, 1 <= size <= n (sheet 2: 32, the training batch).
    seed
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    ProbeBatch
        ``x[index]``, ``y[index]`` and ``index`` (int64, (size,)).

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length or ``size`` is out of range.
    TypeError
        If ``size`` or ``seed`` is not an int.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {x.shape}, {y.shape}")
    for name, val in (("size", size), ("seed", seed)):
        if isinstance(val, bool) or not isinstance(val, numbers.Integral):
            raise TypeError(f"{name} must be an int, got {type(val).__name__}")
    if not 1 <= size <= len(x):
        raise ValueError(f"size must be in [1, {len(x)}], got {size}")
    index = np.random.default_rng(int(seed)).choice(
        len(x), size=int(size), replace=False
    )
    return ProbeBatch(x[index], y[index], index.astype(np.int64))
