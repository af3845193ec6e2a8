"""One way to check the arguments of every public function.

Students pass NumPy scalars (``np.int64(5)`` from looping over an array),
bools where numbers are meant, floats, strings and huge values.  These
checks accept every :class:`numbers.Integral` / :class:`numbers.Real` (NumPy
scalars included), refuse bools where a number is meant, and raise a
``TypeError`` (wrong kind) or ``ValueError`` (right kind, bad value) whose
message names the argument, what was expected and what came::

    depth must be an int >= 1, got float 2.5
    depth must be >= 1, got 0
    test_size must be a number in (0, 1), got 1.5

Each check returns the value converted to a plain Python ``int`` / ``float``
/ ``bool`` / ``str``, so callers pass clean values on (to Keras, ``range``,
f-strings).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "check_bool",
    "check_choice",
    "check_float",
    "check_int",
    "check_ints",
    "check_seed",
    "describe",
]


def describe(value: Any) -> str:
    """``float 2.5``, ``bool True``, ``str 'x'``: what came, for error messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _range_text(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"in [{minimum}, {maximum}]"
    if minimum is not None:
        return f">= {minimum}"
    if maximum is not None:
        return f"<= {maximum}"
    return ""


def check_int(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """Return ``value`` as a Python int after checking kind and range.

    Parameters
    ----------
    value
        Any :class:`numbers.Integral` (``int``, ``np.int64``, ...), not a bool;
        ``None`` too when ``allow_none``.
    name
        The argument's name, used in the messages.
    minimum, maximum
        Inclusive bounds (``None`` = unbounded).
    allow_none
        Let ``None`` through (returned as ``None``).

    Raises
    ------
    TypeError
        ``value`` is not an integer (bools, floats, strings, arrays ...).
    ValueError
        ``value`` is outside ``[minimum, maximum]``.
    """
    if value is None and allow_none:
        return None
    bounds = _range_text(minimum, maximum)
    prefix = "None or " if allow_none else ""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        expected = f"{prefix}an int {bounds}".rstrip()
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    number = int(value)
    if (minimum is not None and number < minimum) or (
        maximum is not None and number > maximum
    ):
        prefix = "None or an int " if allow_none else ""
        raise ValueError(f"{name} must be {prefix}{bounds}, got {number}")
    return number


def check_ints(*checks: tuple[str, Any, int]) -> tuple[int, ...]:
    """:func:`check_int` for several ``(name, value, minimum)``; the ints back."""
    return tuple(check_int(v, n, minimum=least) for n, v, least in checks)


def check_seed(seed: Any, name: str = "seed", *, maximum: int = 2**32 - 1) -> int:
    """A random seed: an int in ``[0, maximum]`` (NumPy and Keras accept 2**32-1)."""
    return check_int(seed, name, minimum=0, maximum=maximum)


def check_float(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool = False,
) -> float | None:
    """Return ``value`` as a finite Python float inside the given interval.

    Parameters
    ----------
    value
        Any :class:`numbers.Real` (ints and NumPy scalars included), not a bool.
    name
        The argument's name.
    low, high
        Bounds (``None`` = unbounded).
    low_open, high_open
        Exclude the bound itself: ``low=0, low_open=True`` means ``> 0``.
    allow_none
        Let ``None`` through.

    Raises
    ------
    TypeError
        Not a real number.
    ValueError
        NaN, infinite, or outside the interval.
    """
    if value is None and allow_none:
        return None
    if low is not None and high is not None:
        interval = (
            f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        )
        expected = f"a number in {interval}"
    elif low is not None:
        expected = f"a number {'>' if low_open else '>='} {low:g}"
    elif high is not None:
        expected = f"a number {'<' if high_open else '<='} {high:g}"
    else:
        expected = "a finite number"
    if allow_none:
        expected = f"None or {expected}"
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    number = float(value)
    bad = not math.isfinite(number)
    if low is not None:
        bad = bad or number < low or (low_open and number == low)
    if high is not None:
        bad = bad or number > high or (high_open and number == high)
    if bad:
        raise ValueError(f"{name} must be {expected}, got {number!r}")
    return number


def check_bool(value: Any, name: str) -> bool:
    """``True`` / ``False`` (NumPy bools too); anything else is a TypeError."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """A string from ``choices`` (case and surrounding spaces ignored).

    Raises
    ------
    TypeError
        ``value`` is not a string.
    ValueError
        ``value`` is not one of ``choices``.
    """
    options = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be one of {', '.join(options)}, got {describe(value)}"
        )
    key = value.strip().lower()
    if key not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}, got {value!r}")
    return key
