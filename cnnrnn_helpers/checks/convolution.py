"""Checks of hand-written convolution, pooling and the Sobel results."""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .framework import Result, as_array, call, fail, fmt, not_written, ok

__all__ = ["conv2d", "max_pool2d", "sobel"]


def _accepts(fn: Callable[..., Any], parameter: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return parameter in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )


def _check_cases(cases: Any) -> int:
    if isinstance(cases, (bool, np.bool_)) or not isinstance(cases, numbers.Integral):
        raise TypeError(f"cases must be an int, got {type(cases).__name__}")
    if cases < 1:
        raise ValueError(f"cases must be >= 1, got {cases}")
    return int(cases)


def _accepted_bad_input(
    name: str, fn: Callable[..., Any], bad: Sequence[tuple[str, tuple]]
) -> str | None:
    """The first input the contract rejects that ``fn`` accepts, or None."""
    for label, args in bad:
        try:
            with np.errstate(all="ignore"):
                fn(*args)
        except NotImplementedError:
            raise not_written(name) from None
        except (ValueError, TypeError):
            continue
        except Exception as exc:  # an unclear error for bad input
            return f"{label} raised {type(exc).__name__}, not ValueError"
        return f"{label} was accepted without an error"
    return None


def _entries(arr: np.ndarray, expected: np.ndarray) -> str:
    bad = ~np.isclose(arr, expected, atol=1e-8, rtol=1e-6)
    r, c = (int(i) for i in np.argwhere(bad)[0])
    count = f"{int(bad.sum())} of {bad.size} entries differ"
    return f"{count}, the first at row {r}, column {c}"


def conv2d(
    fn: Callable[..., Any], *, cases: int = 40, seed: int = 0, strict: bool = False
) -> Result:
    """Check a hand-written 2-D convolution (valid, stride 1) on random cases.

    Parameters
    ----------
    fn
        ``fn(image, kernel)`` returning the ``(n-k+1, n-k+1)`` cross-
        correlation, as Keras' ``Conv2D`` computes it; if ``fn`` has a
        ``flip`` parameter, ``fn(image, kernel, flip=True)`` must give the true
        convolution (kernel rotated by 180 degrees).
    cases
        Number of random square cases (sizes 1..9, smallest first), each
        compared with ``scipy.signal.correlate2d`` / ``convolve2d``.
    seed
        Seed of the random cases.
    strict
        Also require ``ValueError``/``TypeError`` for the inputs the package's
        contract rejects (not 2-D, not square, kernel larger than the image,
        NaN).  Without it they are not tried.

    Returns
    -------
    Result
        true if every case agrees.  A failure names the case (sizes) and
        what is wrong; ``checks.explain()`` shows the case's numbers.
    """
    import scipy.signal

    name = "conv2d"
    cases = _check_cases(cases)
    rng = np.random.default_rng(seed)
    flip = _accepts(fn, "flip")
    specs = sorted(
        ((int(n), int(rng.integers(1, n + 1))) for n in rng.integers(1, 10, cases)),
        key=lambda nk: nk[0] * nk[0] + nk[1],
    )
    for n, k in specs:
        image = rng.integers(-4, 5, size=(n, n)).astype(float)
        kernel = rng.integers(-2, 3, size=(k, k)).astype(float)
        corr = scipy.signal.correlate2d(image, kernel, mode="valid")
        true = scipy.signal.convolve2d(image, kernel, mode="valid")
        runs = [("", corr, true, {})]
        if flip:
            runs.append((", flip=True", true, corr, {"flip": True}))
        for label, expected, other, kwargs in runs:
            got = call(name, fn, image.copy(), kernel.copy(), **kwargs)
            arr = as_array(name, got, "the result")
            if arr is None:
                return Result(False, f"{name}: not an array")
            case = f"{n}x{n} image, {k}x{k} kernel{label}"
            detail = (
                f"the case: {case}\nimage:{fmt(image)}\nkernel:{fmt(kernel)}\n"
                f"your result:{fmt(arr)}"
            )
            if arr.shape != expected.shape:
                return fail(
                    name,
                    f"{case}: the result has shape {arr.shape}, expected "
                    f"{expected.shape} (a valid convolution has n - k + 1 rows)",
                    detail,
                )
            if not np.all(np.isfinite(arr)):
                return fail(name, f"{case}: the result has NaN or infinite values")
            if np.allclose(arr, expected, atol=1e-8, rtol=1e-6):
                continue
            if not np.allclose(expected, other) and np.allclose(arr, other):
                what = (
                    "the result is the true convolution: the kernel is flipped "
                    "(without flip=True it slides over the image as it is)"
                    if not kwargs
                    else "the result is the cross-correlation: flip=True must "
                    "rotate the kernel by 180°"
                )
                return fail(name, f"{case}: {what}", detail)
            return fail(name, f"{case}: {_entries(arr, expected)}", detail)
    if strict:
        accepted = _accepted_bad_input(
            name,
            fn,
            [
                ("a 3x4 (non-square) image", (np.zeros((3, 4)), np.ones((2, 2)))),
                ("a 3-D image", (np.zeros((4, 4, 1)), np.ones((2, 2)))),
                ("a 3x3 kernel on a 2x2 image", (np.zeros((2, 2)), np.ones((3, 3)))),
                ("an image with NaN", (np.full((3, 3), np.nan), np.ones((2, 2)))),
            ],
        )
        if accepted:
            return fail(name, f"bad input must raise ValueError: {accepted}")
    what = "and flip=True with convolve2d" if flip else "(no flip parameter)"
    tail = ", bad input raises ValueError" if strict else ""
    return ok(name, f"{cases} random cases agree with SciPy {what}{tail}")


def _brute_max_pool(image: np.ndarray, size: int, stride: int) -> np.ndarray:
    m = (image.shape[0] - size) // stride + 1
    return np.array(
        [
            [
                max(
                    image[i * stride + a, j * stride + b]
                    for a in range(size)
                    for b in range(size)
                )
                for j in range(m)
            ]
            for i in range(m)
        ]
    ).reshape(m, m)


def max_pool2d(
    fn: Callable[..., Any], *, cases: int = 40, seed: int = 0, strict: bool = False
) -> Result:
    """Check a hand-written max-pooling on random square cases.

    Parameters
    ----------
    fn
        ``fn(image, size)`` returning the ``(n-size+1)^2`` maxima of the
        overlapping windows (stride 1); if it has a ``stride`` parameter,
        ``fn(image, size, stride=s)`` must give ``floor((n-size)/s)+1`` rows.
    cases, seed, strict
        As in :func:`conv2d`; the reference is a brute-force maximum, the bad
        inputs are a size of 0, a size larger than the image, a non-square
        and a 3-D image.

    Returns
    -------
    Result
        true if every case agrees.
    """
    name = "max_pool2d"
    cases = _check_cases(cases)
    rng = np.random.default_rng(seed)
    has_stride = _accepts(fn, "stride")
    specs = []
    for n in rng.integers(1, 10, cases):
        size = int(rng.integers(1, n + 1))
        stride = int(rng.integers(1, 4)) if has_stride else 1
        specs.append((int(n), size, stride))
    specs.sort(key=lambda s: s[0] * s[0] + s[1])
    for n, size, stride in specs:
        image = rng.integers(-9, 10, size=(n, n)).astype(float)
        expected = _brute_max_pool(image, size, stride)
        kwargs = {"stride": stride} if has_stride else {}
        got = call(name, fn, image.copy(), size, **kwargs)
        arr = as_array(name, got, "the result")
        if arr is None:
            return Result(False, f"{name}: not an array")
        case = f"{n}x{n} image, size {size}, stride {stride}"
        detail = f"the case: {case}\nimage:{fmt(image)}\nyour result:{fmt(arr)}"
        if arr.shape != expected.shape:
            hint = " (the stride is ignored?)" if stride > 1 else ""
            return fail(
                name,
                f"{case}: the result has shape {arr.shape}, expected "
                f"{expected.shape}{hint}",
                detail,
            )
        if not np.allclose(arr, expected, atol=1e-8, rtol=1e-6):
            lows = _brute_max_pool(-image, size, stride)
            what = (
                "the result holds the minima of the windows, not the maxima"
                if np.allclose(arr, -lows)
                else _entries(arr, expected)
            )
            return fail(name, f"{case}: {what}", detail)
    if strict:
        accepted = _accepted_bad_input(
            name,
            fn,
            [
                ("size 0", (np.zeros((3, 3)), 0)),
                ("size 4 on a 3x3 image", (np.zeros((3, 3)), 4)),
                ("a 3x4 (non-square) image", (np.zeros((3, 4)), 2)),
                ("a 3-D image", (np.zeros((4, 4, 1)), 2)),
            ],
        )
        if accepted:
            return fail(name, f"bad input must raise ValueError: {accepted}")
    what = "with strides 1-3" if has_stride else "(stride 1)"
    tail = ", bad input raises ValueError" if strict else ""
    return ok(name, f"{cases} random cases {what} agree with a brute-force max{tail}")


# ----------------------------------------------------------------------- Sobel


def _sobel_setup() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    i_a = np.zeros((5, 5), dtype=int)
    i_a[:, 2] = 1
    k_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    return {"K_x": k_x, "K_y": k_x.T.copy()}, {"I_A": i_a, "I_B": i_a.T.copy()}


def sobel(by_hand: Mapping[tuple[str, str], Any]) -> Result:
    """Check the four hand-computed Sobel convolutions of sheet 5, problem 2.

    Parameters
    ----------
    by_hand
        ``{("K_x", "I_A"): matrix, ("K_y", "I_A"): ..., ("K_x", "I_B"): ...,
        ("K_y", "I_B"): ...}``: the 5x5 results of the true convolution
        (kernel rotated) with ``"nearest"`` borders, where ``I_A`` has a
        vertical and ``I_B`` a horizontal line in the middle, and ``K_x``,
        ``K_y`` are the Sobel kernels.  Some keys may be missing (checked:
        the ones given); at least one is needed.

    Returns
    -------
    Result
        true if every given matrix is right.  On a wrong one the message
        gives the first wrong position and what kind of mistake it is (a
        flipped sign means the kernel was not rotated; a wrong border row
        means zero padding).
    """
    import scipy.ndimage

    name = "sobel"
    if not isinstance(by_hand, Mapping) or not by_hand:
        return fail(
            name, 'expected a dict such as {("K_x", "I_A"): matrix, ...} with results'
        )
    kernels, images = _sobel_setup()
    for key, got in by_hand.items():
        if (
            not isinstance(key, tuple)
            or len(key) != 2
            or key[0] not in kernels
            or key[1] not in images
        ):
            return fail(
                name, f"unknown key {key!r}; use ('K_x' or 'K_y', 'I_A' or 'I_B')"
            )
        label = f"{key[0]} * {key[1]}"
        kernel, image = kernels[key[0]], images[key[1]]
        expected = scipy.ndimage.convolve(image, kernel, mode="nearest")
        arr = as_array(name, got, label)
        if arr is None:
            return Result(False, f"{name}: not an array")
        if arr.shape != expected.shape:
            return fail(
                name,
                f"{label}: shape {arr.shape}, the image is 5x5 and so is the result",
            )
        if np.allclose(arr, expected):
            continue
        if np.allclose(arr, -expected) and expected.any():
            hint = "every sign is flipped: convolution rotates the kernel by 180°"
        elif np.allclose(arr, scipy.ndimage.convolve(image, kernel, mode="constant")):
            hint = "the border is wrong: 'nearest' repeats the edge pixel, not zeros"
        else:
            hint = "lay the rotated kernel over each 3x3 neighbourhood and add up"
        r, c = (int(i) for i in np.argwhere(~np.isclose(arr, expected))[0])
        return fail(
            name,
            f"{label}: row {r}, column {c} (counting from 0) is wrong; {hint}",
            f"your {label}:{fmt(arr)}",
        )
    return ok(name, f"{len(by_hand)} matrices agree with scipy.ndimage.convolve")
