"""Classification statistics: binary sensitivity/specificity, multi-class stats.

The counting is scikit-learn's (:func:`sklearn.metrics.confusion_matrix`,
:func:`sklearn.metrics.log_loss`); these functions add the lab's layouts
(one-hot rows, (n, 1) columns), clear errors and named results.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._args import check_float, check_int

__all__ = [
    "BinaryStats",
    "MultiClassStats",
    "binary_pred_stats",
    "confusion_matrix",
    "mean_std",
    "multiclass_stats",
    "to_class_indices",
]


class BinaryStats(NamedTuple):
    """Result of :func:`binary_pred_stats` (all three in [0, 1])."""

    sensitivity: float
    specificity: float
    accuracy: float


class MultiClassStats(NamedTuple):
    """Result of :func:`multiclass_stats`."""

    log_loss: float
    accuracy: float
    confusion: np.ndarray  # (n_classes, n_classes) int64, rows = true class


def _finite(arr: np.ndarray, what: str) -> np.ndarray:
    """``arr`` as float64; ValueError if it is not numeric or holds NaN/inf."""
    try:
        out = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{what} must hold numbers, got dtype {arr.dtype}") from err
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return out


def _as_1d(values: ArrayLike, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{what} must be 1-D (n,) or (n, 1), got shape {arr.shape}")
    return arr


def binary_pred_stats(
    y_true: ArrayLike, y_prob: ArrayLike, threshold: float = 0.5
) -> BinaryStats:
    """Sensitivity, specificity and accuracy of a binary classifier.

    An item is predicted positive when its score is ``> threshold``.  A thin
    wrapper around :func:`sklearn.metrics.confusion_matrix` (the lab's
    ``binary_pred_stats``).

    Parameters
    ----------
    y_true
        Shape (n,) or (n, 1), values 0 or 1 (any numeric dtype).
    y_prob
        Shape (n,) or (n, 1), scores, typically sigmoid outputs in [0, 1].
    threshold
        Decision threshold.

    Returns
    -------
    BinaryStats
        ``sensitivity`` = true positives / positives, ``specificity`` = true
        negatives / negatives, ``accuracy`` = correct / n.  A rate whose
        denominator is zero is ``nan``.

    Raises
    ------
    ValueError
        If the shapes differ, ``y_true`` holds values other than 0 and 1, or
        the inputs are empty.
    """
    from sklearn.metrics import confusion_matrix as sk_confusion

    threshold = check_float(threshold, "threshold")
    t = _as_1d(y_true, "y_true")
    p = _as_1d(y_prob, "y_prob")
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_prob {p.shape} differ in shape")
    if t.size == 0:
        raise ValueError("y_true is empty")
    if not np.all((t == 0) | (t == 1)):
        raise ValueError("y_true must contain only 0 and 1")
    p = _finite(p, "y_prob")
    predicted = (p > threshold).astype(np.int64)
    (tn, fp), (fn, tp) = sk_confusion(t.astype(np.int64), predicted, labels=[0, 1])
    n_pos, n_neg = tp + fn, tn + fp
    sens = tp / n_pos if n_pos else float("nan")
    spec = tn / n_neg if n_neg else float("nan")
    return BinaryStats(float(sens), float(spec), float((tp + tn) / t.size))


def to_class_indices(y: ArrayLike) -> np.ndarray:
    """Turn one-hot or probability rows (n, k), or labels (n,) or (n, 1), into (n,)."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] > 1:
        return _finite(arr, "labels").argmax(axis=1).astype(np.int64)
    arr = _finite(_as_1d(arr, "labels"), "labels")
    if arr.size and not np.all(arr == np.rint(arr)):
        raise ValueError("labels must be whole numbers (class indices)")
    return arr.astype(np.int64)


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int | None = None
) -> np.ndarray:
    """Count matrix ``C[i, j]`` = number of items of true class i predicted as j.

    Parameters
    ----------
    y_true, y_pred
        Class indices (n,) or one-hot / probability rows (n, k).
    n_classes
        Number of classes; default ``max(label) + 1`` over both inputs.

    Returns
    -------
    numpy.ndarray
        int64 array of shape (n_classes, n_classes); rows sum to class counts
        (:func:`sklearn.metrics.confusion_matrix` with every class listed).
    """
    from sklearn.metrics import confusion_matrix as sk_confusion

    t, p = to_class_indices(y_true), to_class_indices(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} differ in shape")
    if t.size == 0:
        raise ValueError("y_true is empty")
    n_classes = check_int(n_classes, "n_classes", minimum=1, allow_none=True)
    k = n_classes if n_classes is not None else int(max(t.max(), p.max())) + 1
    if t.min() < 0 or p.min() < 0 or max(t.max(), p.max()) >= k:
        raise ValueError(f"labels must be in [0, {k - 1}]")
    return sk_confusion(t, p, labels=np.arange(k)).astype(np.int64)


def multiclass_stats(
    y_true: ArrayLike, y_prob: ArrayLike, *, eps: float = 1e-15
) -> MultiClassStats:
    """Log loss, accuracy and confusion matrix of a multi-class classifier.

    Parameters
    ----------
    y_true
        One-hot (n, k) or class indices (n,).
    y_prob
        Predicted probabilities (n, k), rows summing to 1 (softmax output).
    eps
        Probabilities are clipped to [eps, 1 - eps] (and the rows scaled to
        sum to 1) before :func:`sklearn.metrics.log_loss`.

    Returns
    -------
    MultiClassStats
        ``log_loss`` (mean cross-entropy, natural log), ``accuracy`` in [0, 1]
        and the (k, k) confusion matrix.
    """
    from sklearn.metrics import log_loss

    eps = check_float(eps, "eps", low=0.0, high=0.5, high_open=True)
    prob = _finite(np.asarray(y_prob), "y_prob")
    if prob.ndim != 2 or prob.shape[1] < 2 or len(prob) == 0:
        raise ValueError(
            f"y_prob must be (n, k) probabilities with n >= 1, k >= 2, got shape "
            f"{prob.shape}"
        )
    t = to_class_indices(y_true)
    if len(t) != len(prob):
        raise ValueError(f"y_true has {len(t)} items but y_prob has {len(prob)}")
    k = prob.shape[1]
    if t.min() < 0 or t.max() >= k:
        raise ValueError(f"labels must be in [0, {k - 1}]")
    clipped = np.clip(prob, eps, 1 - eps)
    clipped /= clipped.sum(axis=1, keepdims=True)
    pred = prob.argmax(axis=1)
    cm = confusion_matrix(t, pred, n_classes=k)
    loss = log_loss(t, clipped, labels=np.arange(k))
    return MultiClassStats(float(loss), float(np.mean(pred == t)), cm)


def mean_std(values: ArrayLike) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1; 0.0 for a single value)."""
    arr = _finite(np.asarray(values).ravel(), "values")
    if arr.size == 0:
        raise ValueError("values is empty")
    std = float(arr.std(ddof=1)) if arr.size > 1 else 0.0
    return float(arr.mean()), std
