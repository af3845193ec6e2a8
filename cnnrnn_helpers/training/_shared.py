"""Small helpers the trainers share: a loss from its name, accuracy in NumPy."""

from __future__ import annotations

from typing import Any

import numpy as np


def _as_loss(loss_fn: Any) -> Any:
    """A Keras loss from its name, or the callable itself; TypeError otherwise."""
    import keras

    if isinstance(loss_fn, str):
        loss_fn = keras.losses.get(loss_fn)
    if not callable(loss_fn):
        raise TypeError(
            f"loss_fn must be a Keras loss or callable, got {type(loss_fn).__name__}"
        )
    return loss_fn


def _accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Accuracy of predictions ``y_pred`` against targets ``y_true`` (NumPy).

    Three target layouts are understood:

    * binary: ``y_pred`` has shape (n,) or (n, 1) (sigmoid outputs); an item
      counts as class 1 when its output is > 0.5;
    * one-hot: ``y_true`` and ``y_pred`` both (n, k) with k >= 2;
    * sparse: ``y_true`` holds class indices (n,) or (n, 1), ``y_pred`` (n, k).
    """
    y_pred = np.asarray(y_pred)
    y_true = np.asarray(y_true)
    if y_pred.ndim == 1 or y_pred.shape[-1] == 1:
        predicted = (y_pred.reshape(-1) > 0.5).astype(np.int64)
        truth = np.rint(y_true.reshape(-1)).astype(np.int64)
    else:
        predicted = y_pred.argmax(axis=-1)
        if y_true.ndim == y_pred.ndim and y_true.shape[-1] == y_pred.shape[-1]:
            truth = y_true.argmax(axis=-1)
        else:
            truth = np.rint(y_true.reshape(-1)).astype(np.int64)
    return float(np.mean(predicted == truth))
