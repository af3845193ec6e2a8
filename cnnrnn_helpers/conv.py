"""Convolution and max-pooling of a single-channel 2-D image, by hand.

Two versions of each operation sit side by side:

* ``conv2d_naive`` / ``max_pool2d_naive`` -- explicit loops over the output
  pixels, the version to read when learning what the operation does;
* ``conv2d`` / ``max_pool2d`` -- the same arithmetic, vectorised with NumPy
  (one array operation per kernel position instead of one per output pixel).

The tests prove that both agree with each other, with SciPy and with
TensorFlow.  Conventions (as in Keras ``Conv2D`` / ``MaxPooling2D`` with
``padding="valid"``):

* ``conv2d`` computes the *cross-correlation* (the kernel is not flipped),
  which is what deep-learning libraries call convolution; ``flip=True`` gives
  the true mathematical convolution (kernel rotated by 180 degrees).
* Output of ``conv2d``: shape ``(n - k + 1, n - k + 1)`` for an ``n x n`` image
  and a ``k x k`` kernel (stride 1, no padding).
* Output of ``max_pool2d``: shape ``(m, m)`` with ``m = (n - size) // stride + 1``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._args import check_int

__all__ = [
    "conv2d",
    "conv2d_naive",
    "max_pool2d",
    "max_pool2d_naive",
    "pooled_size",
]


def _as_square_matrix(value: ArrayLike, what: str) -> np.ndarray:
    """Return ``value`` as a finite, square, 2-D float64 array or raise."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise ValueError(f"{what} must be a 2-D array of numbers: {exc}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_
    ):
        raise ValueError(
            f"{what} must be a 2-D array of numbers, got dtype {arr.dtype}"
        )
    if np.iscomplexobj(arr):
        raise ValueError(f"{what} must be real-valued, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(
            f"{what} must be 2-D (rows, columns), got {arr.ndim}-D with shape "
            f"{arr.shape}"
        )
    rows, cols = arr.shape
    if rows != cols:
        raise ValueError(f"{what} must be square, got shape {arr.shape}")
    if rows == 0:
        raise ValueError(f"{what} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return arr


def _check_conv_args(image: ArrayLike, kernel: ArrayLike) -> tuple[np.ndarray, ...]:
    img = _as_square_matrix(image, "image")
    ker = _as_square_matrix(kernel, "kernel")
    if ker.shape[0] > img.shape[0]:
        raise ValueError(
            f"kernel ({ker.shape[0]}x{ker.shape[0]}) is larger than the image "
            f"({img.shape[0]}x{img.shape[0]})"
        )
    return img, ker


def _check_pool_args(
    image: ArrayLike, size: int, stride: int
) -> tuple[np.ndarray, int, int]:
    img = _as_square_matrix(image, "image")
    size = check_int(size, "size", minimum=1)
    stride = check_int(stride, "stride", minimum=1)
    if size > img.shape[0]:
        raise ValueError(
            f"pool size {size} is larger than the image ({img.shape[0]}x{img.shape[0]})"
        )
    return img, size, stride


def pooled_size(n: int, size: int, stride: int = 1) -> int:
    """Side length of the output of a valid ``size x size`` pooling.

    Parameters
    ----------
    n
        Side length of the square input, ``n >= size``.
    size, stride
        Pool window side and step, both ``>= 1``.

    Returns
    -------
    int
        ``(n - size) // stride + 1``.
    """
    return (n - size) // stride + 1


# --------------------------------------------------------------------------
# Teaching versions: explicit loops over the output pixels.
# --------------------------------------------------------------------------


def conv2d_naive(
    image: ArrayLike, kernel: ArrayLike, *, flip: bool = False
) -> np.ndarray:
    """Valid 2-D convolution, stride 1, written as loops (teaching version).

    Output pixel ``(i, j)`` is the sum of the element-wise product of the
    kernel and the ``k x k`` patch of the image whose top-left corner is
    ``(i, j)``.

    Parameters
    ----------
    image
        Square 2-D array of shape (n, n), any real dtype; converted to float64.
    kernel
        Square 2-D array of shape (k, k) with ``k <= n``.
    flip
        ``False`` (default): cross-correlation, as Keras ``Conv2D`` computes.
        ``True``: true convolution, the kernel rotated by 180 degrees first
        (as ``scipy.signal.convolve2d``).

    Returns
    -------
    numpy.ndarray
        float64 array of shape (n - k + 1, n - k + 1).

    Raises
    ------
    ValueError
        If an input is not 2-D, not square, empty, not finite, or the kernel
        is larger than the image.
    """
    img, ker = _check_conv_args(image, kernel)
    if flip:
        ker = ker[::-1, ::-1]
    n, k = img.shape[0], ker.shape[0]
    m = n - k + 1
    out = np.zeros((m, m))
    for i in range(m):
        for j in range(m):
            patch = img[i : i + k, j : j + k]
            out[i, j] = np.sum(patch * ker)
    return out


def max_pool2d_naive(image: ArrayLike, size: int, *, stride: int = 1) -> np.ndarray:
    """Valid max-pooling with a ``size x size`` window, written as loops.

    Parameters
    ----------
    image
        Square 2-D array of shape (n, n); converted to float64.
    size
        Side of the pooling window, ``1 <= size <= n``.
    stride
        Step between windows (default 1: overlapping windows, as the sheet
        asks; Keras ``MaxPooling2D`` uses ``stride = size`` by default).

    Returns
    -------
    numpy.ndarray
        float64 array of shape (m, m), ``m = (n - size) // stride + 1``.

    Raises
    ------
    TypeError
        If ``size`` or ``stride`` is not an integer.
    ValueError
        If the image is invalid (see :func:`conv2d_naive`), ``size`` or
        ``stride`` is below 1, or ``size`` is larger than the image.
    """
    img, size, stride = _check_pool_args(image, size, stride)
    m = pooled_size(img.shape[0], size, stride)
    out = np.zeros((m, m))
    for i in range(m):
        for j in range(m):
            r, c = i * stride, j * stride
            out[i, j] = np.max(img[r : r + size, c : c + size])
    return out


# --------------------------------------------------------------------------
# Fast versions: one vectorised operation per kernel (or window) position.
# --------------------------------------------------------------------------


def conv2d(image: ArrayLike, kernel: ArrayLike, *, flip: bool = False) -> np.ndarray:
    """Valid 2-D convolution, stride 1, vectorised (same result as the loops).

    Instead of visiting every output pixel, loop over the ``k * k`` kernel
    entries: entry ``(a, b)`` contributes ``kernel[a, b]`` times the image
    shifted by ``(a, b)`` to *every* output pixel at once.  That is ``k**2``
    whole-array operations instead of ``(n - k + 1)**2`` small ones.

    Parameters, return value and errors are those of :func:`conv2d_naive`:
    ``image`` (n, n), ``kernel`` (k, k), result float64 (n - k + 1, n - k + 1).

    Examples
    --------
    >>> conv2d([[1, 2], [3, 4]], [[1, 0], [0, 1]])
    array([[5.]])
    """
    img, ker = _check_conv_args(image, kernel)
    if flip:
        ker = ker[::-1, ::-1]
    n, k = img.shape[0], ker.shape[0]
    m = n - k + 1
    out = np.zeros((m, m))
    for a in range(k):
        for b in range(k):
            weight = ker[a, b]
            if weight != 0.0:
                out += weight * img[a : a + m, b : b + m]
    return out


def max_pool2d(image: ArrayLike, size: int, *, stride: int = 1) -> np.ndarray:
    """Valid max-pooling, vectorised (same result as :func:`max_pool2d_naive`).

    Take the element-wise maximum of the ``size * size`` strided views of the
    image, one per position inside the window.

    Parameters, return value and errors are those of :func:`max_pool2d_naive`:
    ``image`` (n, n), result float64 (m, m) with
    ``m = (n - size) // stride + 1``.

    Examples
    --------
    >>> max_pool2d([[1, 2], [3, 4]], 2)
    array([[4.]])
    """
    img, size, stride = _check_pool_args(image, size, stride)
    m = pooled_size(img.shape[0], size, stride)
    span = (m - 1) * stride + 1  # rows/cols covered by the window origins
    out = np.full((m, m), -np.inf)
    for a in range(size):
        for b in range(size):
            view = img[a : a + span : stride, b : b + span : stride]
            np.maximum(out, view, out=out)
    return out
