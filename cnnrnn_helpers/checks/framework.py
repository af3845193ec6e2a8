"""How a check reports: one ✓ line, or one ✗ line that names what is wrong.

* **Right work** prints ``✓ <check>: <what was verified>`` and returns a true
  :class:`Result` (which Jupyter does not echo as ``Out[...]``).  Nothing in
  that line sounds like a fault.
* **Wrong work** raises :class:`CheckFailed` (an ``AssertionError``) with a
  one-line message: the position or property that differs ("the result is
  the true convolution: the kernel is flipped"), never the value the student
  must find.  In IPython the exception shows only that line, without a
  traceback, and "Run all" stops there.  ``raise_on_failure(False)`` prints
  the ``✗`` line and returns a false :class:`Result` instead.
* **More detail** (the small example that failed, a hint on the method) is
  kept by the failing check; :func:`explain` prints it on request.
* **A stub** (``raise NotImplementedError``) called by a check gives
  ``not written yet`` in one line (:func:`not_written`).

Everything here is shared by the checkers of the topic modules.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "CheckFailed",
    "Result",
    "explain",
    "raise_on_failure",
]

_STATE: dict[str, Any] = {"raise": True, "detail": None, "check": None}

NOT_WRITTEN = (
    "not written yet: replace the `raise NotImplementedError` stub in the "
    "exercise cell by your code, then run this cell again"
)


def raise_on_failure(flag: bool = True) -> bool:
    """Choose how a failed check reports: raise (default) or print and return.

    Parameters
    ----------
    flag
        ``True``: a failed check raises :class:`CheckFailed`; ``False``: it
        prints a ``✗`` line and returns a false :class:`Result`.

    Returns
    -------
    bool
        The previous setting.
    """
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"flag must be True or False, got {type(flag).__name__}")
    previous, _STATE["raise"] = _STATE["raise"], bool(flag)
    return previous


class CheckFailed(AssertionError):
    """A self-check found a difference; the one-line message says which.

    IPython calls ``_render_traceback_`` instead of printing a traceback, so a
    notebook shows only the message.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m✗ {self}\x1b[0m"]


class Result:
    """What a check returns: true if the work is right.

    It shows nothing in Jupyter (the check has printed its line already), so
    a check as the last line of a cell does not add an ``Out[...]: True``.
    """

    __slots__ = ("message", "ok")

    def __init__(self, ok: bool, message: str) -> None:
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Result(ok={self.ok}, message={self.message!r})"

    def _ipython_display_(self) -> None:
        """Display nothing: the line was printed when the check ran."""


def ok(name: str, detail: str) -> Result:
    """Print the ✓ line of check ``name`` and return a true :class:`Result`."""
    _STATE["detail"], _STATE["check"] = None, name
    print(f"✓ {name}: {detail}")
    return Result(True, f"{name}: {detail}")


def fail(name: str, message: str, detail: str = "") -> Result:
    """Report a failure: one line (``message``), ``detail`` kept for :func:`explain`.

    Raises
    ------
    CheckFailed
        Unless :func:`raise_on_failure` was switched off.
    """
    if "\n" in message:
        raise AssertionError(f"a check message must be one line: {message!r}")
    _STATE["detail"], _STATE["check"] = detail.strip() or None, name
    if _STATE["raise"]:
        raise CheckFailed(f"{name}: {message}") from None
    print(f"✗ {name}: {message}")
    return Result(False, f"{name}: {message}")


def explain() -> None:
    """Print the detail of the last failed check (the small example, a hint).

    The failure line itself names only what is wrong; this shows the inputs
    of the case that failed and what your code returned, and, for a number
    worked out by hand, a hint on the method.  It never shows the answer.
    """
    detail, name = _STATE["detail"], _STATE["check"]
    if name is None:
        print("no check has run yet")
    elif detail is None:
        print(f"{name}: nothing more to explain")
    else:
        print(f"{name}:\n  " + detail.replace("\n", "\n  "))


def last_detail() -> str | None:
    """The detail :func:`explain` would print (for tests and the grader)."""
    return _STATE["detail"]


class NotWritten(NotImplementedError):
    """A stub was called: one friendly line, no traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m✗ {self}\x1b[0m"]


def not_written(name: str) -> NotWritten:
    """The exception a check raises when the student's function is a stub."""
    return NotWritten(f"{name}: {NOT_WRITTEN}")


def call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's function; a stub gives the friendly message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise not_written(name) from None


def fmt(a: Any) -> str:
    """An array or number as compact text (for :func:`explain` details)."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        return num(arr.item())
    text = np.array2string(
        arr, precision=3, suppress_small=True, max_line_width=70, threshold=64
    )
    return "\n    " + text.replace("\n", "\n    ")


def num(x: Any) -> str:
    """A number as the student would write it (thousands separated)."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}"
    if isinstance(x, numbers.Real):
        return f"{float(x):.6g}"
    return repr(x)


def as_array(name: str, got: Any, what: str) -> np.ndarray | None:
    """``got`` as a NumPy array, or report (and return None) if it is not one."""
    try:
        arr = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    except (TypeError, ValueError):
        fail(name, f"{what} is not an array (got {type(got).__name__})")
        return None
    if arr.dtype == object:
        fail(name, f"{what} is not an array of numbers (got {type(got).__name__})")
        return None
    return arr


def where_differs(
    expected: np.ndarray, got: np.ndarray, atol: float, *, show_shape: bool = False
) -> str | None:
    """Where two arrays differ, without the expected values; None if they agree.

    The shape is named when it differs (the student's, and the expected one
    only with ``show_shape``, where the shape is no part of the answer);
    otherwise how many entries differ and the first position.
    """
    if got.shape != expected.shape:
        want = f"expected {expected.shape}" if show_shape else "not the expected one"
        return f"the result has shape {got.shape}, {want}"
    if not np.issubdtype(got.dtype, np.number) and got.dtype != np.bool_:
        return f"dtype {got.dtype}, expected numbers"
    if np.issubdtype(expected.dtype, np.number) and not np.all(np.isfinite(got)):
        return "it contains NaN or infinite values"
    bad = ~np.isclose(got, expected, atol=atol, rtol=1e-6)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"{int(bad.sum())} of {bad.size} entries differ, the first at index {index}"


def array(name: str, got: Any, expected: Any, *, atol: float = 1e-6) -> Result:
    """Compare an array with the expected one; name the first difference.

    Parameters
    ----------
    name
        What is checked, used in the message (e.g. ``"x_train"``).
    got, expected
        Array-likes (NumPy, lists, tensors with ``.numpy()``).
    atol
        Absolute tolerance of the comparison (relative tolerance 1e-6).

    Returns
    -------
    Result
        true if shapes and values agree (else see the module docstring).
    """
    arr = as_array(name, got, name)
    if arr is None:
        return Result(False, f"{name}: not an array")
    expected = np.asarray(expected)
    diff = where_differs(expected, arr, atol, show_shape=True)
    if diff:
        return fail(name, diff, f"got:{fmt(arr)}")
    return ok(name, f"shape {arr.shape}, all {arr.size} values as expected")
