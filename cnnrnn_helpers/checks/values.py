"""``checks.value``: a number (or a pair) worked out by hand, against the key."""

from __future__ import annotations

from typing import Any

from .framework import Result, fail, num, ok
from .key import ANSWERS

__all__ = ["VALUES", "value"]

#: The answers :func:`value` knows (name -> :class:`~.key.Answer`, hashed).
VALUES = {name: a for name, a in ANSWERS.items() if a.checked}


def value(name: str, x: Any) -> Result:
    """Check a number (or a pair of numbers) worked out by hand.

    The right answers are kept as salted hashes (:mod:`.key`), so neither the
    notebook nor the package shows them; a wrong answer gets one line that
    says which number is wrong (and, for a typical mistake, which mistake),
    and ``checks.explain()`` a hint on the method.

    Parameters
    ----------
    name
        Key of :data:`VALUES`, e.g. ``"s05_dense_params"``,
        ``"s05_small_cnn_params"``, ``"s04_lab_params"``, ``"s01_cnn_params"``.
    x
        The student's number: Python or NumPy int/float (a 0-d array or a
        tensor is fine), or a tuple such as ``(low, high)`` for ranges.

    Returns
    -------
    Result
        true if right.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in VALUES:
        raise ValueError(f"unknown value name {name!r}; known: {', '.join(VALUES)}")
    answer = VALUES[name]
    if x is None or x is Ellipsis:
        return fail(name, "no value yet: assign your result in the cell above")
    items = list(x) if isinstance(x, (tuple, list)) else [x]
    n = len(answer.digests)
    if len(items) != n:
        what = "one number" if n == 1 else f"{n} numbers (low, high)"
        return fail(name, f"expected {what}, got {len(items)}")
    wrong = answer.wrong_parts(items)
    if wrong is None:
        kinds = sorted({type(v).__name__ for v in items})
        return fail(name, f"expected a number, got {', '.join(kinds)}")
    if wrong:
        hint = f"hint: {answer.hint}" if answer.hint else ""
        known = answer.mistake(items)
        where = f"entry {wrong[0] + 1}: " if n > 1 else ""
        shown = num(items[wrong[0]])
        message = f"{where}{shown} is not right"
        if known:
            message += f": {known}"
        else:
            message += " (checks.explain() gives a hint)" if hint else ""
        return fail(name, message, hint)
    return ok(name, f"{', '.join(num(v) for v in items)} is right")
