"""Activation functions, their derivatives, and LeCun's scaled tanh.

Two kinds of functions live here:

* :func:`lecun_tanh`, a Keras activation (``keras.ops``, works on tensors)
  registered for serialisation as ``"cnnrnn>lecun_tanh"``, so a model that
  uses it can be saved and loaded again;
* NumPy versions of ReLU, tanh, sigmoid and LeCun's tanh with their
  derivatives (:func:`activation`, :func:`derivative`), and the exact range of
  each derivative (:func:`derivative_bounds`), for plots and for hand-written
  backpropagation.

LeCun's activation (LeCun et al., "Efficient BackProp", 1998) is

.. math:: f(x) = 1.7159 \\tanh(2x/3) + 0.01 x,

scaled so that :math:`f(\\pm 1) \\approx \\pm 1` and with a small linear term
that keeps the derivative away from zero for large :math:`|x|`.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import ops
from numpy.typing import ArrayLike

__all__ = [
    "LECUN_LEAK",
    "LECUN_SCALE",
    "LECUN_SLOPE",
    "NAMES",
    "activation",
    "derivative",
    "derivative_bounds",
    "lecun_tanh",
    "lecun_tanh_derivative",
]

#: Output scale of LeCun's tanh.
LECUN_SCALE = 1.7159
#: Input slope of LeCun's tanh (the tanh sees ``2x/3``).
LECUN_SLOPE = 2.0 / 3.0
#: Coefficient of the linear term of LeCun's tanh.
LECUN_LEAK = 0.01

#: The activations known to :func:`activation` and :func:`derivative`.
NAMES: tuple[str, ...] = ("relu", "tanh", "sigmoid", "lecun_tanh")


@keras.saving.register_keras_serializable(package="cnnrnn")
def lecun_tanh(x: Any) -> Any:
    """LeCun's scaled tanh, ``1.7159 * tanh(2x/3) + 0.01 x``, as a Keras activation.

    Parameters
    ----------
    x
        A tensor (or array) of any shape, float.

    Returns
    -------
    tensor
        Same shape as ``x``; values in ``(-inf, inf)`` (the tanh part lies in
        ``(-1.7159, 1.7159)``, the linear part is unbounded but small).

    Examples
    --------
    >>> layer = keras.layers.Dense(32, activation=lecun_tanh)
    """
    return LECUN_SCALE * ops.tanh(LECUN_SLOPE * x) + LECUN_LEAK * x


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 0.5 * (1 + tanh(x / 2)) equals 1 / (1 + exp(-x)) and never overflows
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _as_float_array(x: ArrayLike) -> np.ndarray:
    arr = np.asarray(x)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"x must be numeric, got dtype {arr.dtype}")
    return arr.astype(np.float64)


def _check_name(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if name not in NAMES:
        raise ValueError(f"unknown activation {name!r}: expected one of {NAMES}")
    return name


def activation(name: str, x: ArrayLike) -> np.ndarray:
    """Apply an activation function with NumPy.

    Parameters
    ----------
    name
        One of :data:`NAMES`: ``"relu"``, ``"tanh"``, ``"sigmoid"``,
        ``"lecun_tanh"``.
    x
        Pre-activations ``z``, any shape, numeric.

    Returns
    -------
    numpy.ndarray
        float64, same shape as ``x``: ReLU in ``[0, inf)``, tanh in
        ``(-1, 1)``, sigmoid in ``(0, 1)``, LeCun's tanh in ``(-inf, inf)``.
    """
    z = _as_float_array(x)
    name = _check_name(name)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return _sigmoid(z)
    return LECUN_SCALE * np.tanh(LECUN_SLOPE * z) + LECUN_LEAK * z


def lecun_tanh_derivative(x: ArrayLike) -> np.ndarray:
    """Derivative of LeCun's tanh, ``1.7159 * 2/3 * (1 - tanh(2x/3)**2) + 0.01``.

    Returns
    -------
    numpy.ndarray
        float64, same shape as ``x``, values in ``(0.01, 1.153933...]``
        (the maximum is reached at ``x = 0``).
    """
    z = _as_float_array(x)
    t = np.tanh(LECUN_SLOPE * z)
    return LECUN_SCALE * LECUN_SLOPE * (1.0 - t**2) + LECUN_LEAK


def derivative(name: str, x: ArrayLike) -> np.ndarray:
    """Derivative ``f'(z)`` of an activation function, with NumPy.

    ReLU is not differentiable at 0; like TensorFlow we use ``f'(0) = 0``.

    Parameters
    ----------
    name
        One of :data:`NAMES`.
    x
        Pre-activations ``z``, any shape, numeric.

    Returns
    -------
    numpy.ndarray
        float64, same shape as ``x``; the values lie in the interval given by
        :func:`derivative_bounds`.
    """
    z = _as_float_array(x)
    name = _check_name(name)
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = _sigmoid(z)
        return s * (1.0 - s)
    return lecun_tanh_derivative(z)


def derivative_bounds(name: str) -> tuple[float, float]:
    """Infimum and supremum of ``f'(z)`` over all real ``z``.

    * ``relu``: ``(0, 1)``, both attained (``f'`` is either 0 or 1);
    * ``tanh``: ``(0, 1)``, maximum at ``z = 0``, 0 only in the limit;
    * ``sigmoid``: ``(0, 0.25)``, maximum at ``z = 0``, 0 only in the limit;
    * ``lecun_tanh``: ``(0.01, 1.153933...)``, maximum at ``z = 0``, 0.01
      only in the limit.

    Returns
    -------
    (float, float)
        ``(inf f', sup f')``.
    """
    name = _check_name(name)
    return {
        "relu": (0.0, 1.0),
        "tanh": (0.0, 1.0),
        "sigmoid": (0.0, 0.25),
        "lecun_tanh": (LECUN_LEAK, LECUN_SCALE * LECUN_SLOPE + LECUN_LEAK),
    }[name]
