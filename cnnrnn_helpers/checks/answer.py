"""One answer of the key and its hashing (see :mod:`cnnrnn_helpers.checks.key`)."""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "EXACT",
    "LEAK_MIN_DIGITS",
    "SALT",
    "Answer",
    "canonical",
    "digest",
    "entry_source",
]

SALT = "cnnrnn-327859676690690b"
#: significant digits of a whole number (exact up to 10**12)
EXACT = 12
#: a number written in the text is compared with this many digits at least
LEAK_MIN_DIGITS = 3


def canonical(x: Any, digits: int = EXACT) -> str | None:
    """The canonical text of a number, or None if ``x`` is not a real number."""
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return None
    value = float(x)
    if not math.isfinite(value):
        return None
    text = format(value, f".{digits}g")
    return "0" if text in ("-0", "0") else text


def digest(name: str, part: str, text: str) -> str:
    """The salted hash of one canonical number (``part``: its role)."""
    raw = f"{SALT}|{name}|{part}|{text}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


@dataclass(frozen=True)
class Answer:
    """One answer of the key (see the module docstring).

    Attributes
    ----------
    name
        The key ``checks.value(name, x)`` takes.
    notebook
        The notebook (under ``notebooks/``, without ``.ipynb``) that asks it.
    digests
        One hash per number (a range has two).
    digits
        Significant digits compared per number.
    hint
        A hint on the method (shown by ``checks.explain()``, never the value).
    mistakes
        Hash of a typical wrong answer (all numbers, ``", "``-joined) ->
        the one line that names the mistake.
    leak
        Hashes of the answer's numbers as a text may state them (at 3 to
        ``digits`` significant digits; 0 and 1 are left out).
    copy_may_show
        True where the student copy may state the number (the sheet gives
        it, or the copy prints it as set-up): the leak test skips it, a
        check message still must not state it.
    checked
        False for a number that only the leak test uses (no self-check).
    """

    name: str
    notebook: str
    digests: tuple[str, ...]
    digits: int = EXACT
    hint: str = ""
    mistakes: Mapping[str, str] = field(default_factory=dict)
    leak: frozenset[str] = frozenset()
    copy_may_show: bool = False
    checked: bool = True

    def __repr__(self) -> str:
        n = len(self.digests)
        return (
            f"Answer({self.name!r}, {self.notebook}, {n} number{'s' * (n > 1)}, hashed)"
        )

    def wrong_parts(self, values: Sequence[Any]) -> list[int] | None:
        """Indices of the numbers that are not right (None: not numbers)."""
        texts = [canonical(v, self.digits) for v in values]
        if any(t is None for t in texts):
            return None
        return [
            k
            for k, text in enumerate(texts)
            if digest(self.name, str(k), text) != self.digests[k]
        ]

    def mistake(self, values: Sequence[Any]) -> str | None:
        """The message of a known mistake, if ``values`` is one."""
        texts = [canonical(v, self.digits) for v in values]
        if any(t is None for t in texts):
            return None
        return self.mistakes.get(digest(self.name, "mistake", ", ".join(texts)))

    def leaked_by(self, number: float, written_digits: int) -> bool:
        """True if ``number`` (written with that many digits) is a leak."""
        precisions = {EXACT} if float(number).is_integer() else set()
        precisions.add(min(max(written_digits, LEAK_MIN_DIGITS), self.digits))
        for p in precisions:
            text = canonical(number, p)
            if text is not None and digest(self.name, "leak", text) in self.leak:
                return True
        return False


def entry_source(
    name: str,
    value: float | Sequence[float],
    *,
    notebook: str,
    digits: int | None = None,
    hint: str = "",
    mistakes: Mapping[Any, str] | None = None,
    leak: Iterable[int] | None = None,
    copy_may_show: bool = False,
    checked: bool = True,
) -> str:
    """The Python literal of a new :class:`Answer` (for a maintainer to paste).

    Parameters
    ----------
    value
        The answer (a number or a tuple such as a range).
    digits
        Significant digits compared (default 12 for whole numbers, else 6).
    mistakes
        Typical wrong answers (a number or a tuple) -> their one-line message.
    leak
        Indices of the numbers a text must not state (default: all but 0 and
        1); e.g. only the upper end of a range whose lower end the sheet gives.
    copy_may_show
        The student copy may state the number (see :class:`Answer`).
    """
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if digits is None:
        digits = EXACT if all(float(v).is_integer() for v in values) else 6
    texts = [canonical(v, digits) for v in values]
    digests = tuple(digest(name, str(k), t) for k, t in enumerate(texts))
    found = {}
    for wrong, message in (mistakes or {}).items():
        ws = tuple(wrong) if isinstance(wrong, (tuple, list)) else (wrong,)
        joined = ", ".join(canonical(w, digits) for w in ws)
        found[digest(name, "mistake", joined)] = message
    leaking = set()
    for k, v in enumerate(values):
        if float(v) in (0.0, 1.0, -1.0) or (leak is not None and k not in leak):
            continue  # 0 and 1 are everywhere
        precisions = (
            [EXACT] if float(v).is_integer() else range(LEAK_MIN_DIGITS, digits + 1)
        )
        leaking.update(digest(name, "leak", canonical(v, p)) for p in precisions)
    lines = [
        f"    {name!r}: Answer(",
        f"        {name!r},",
        f"        {notebook!r},",
        f"        {digests!r},",
    ]
    if digits != EXACT:
        lines.append(f"        digits={digits},")
    if hint:
        lines.append(f"        hint={hint!r},")
    if found:
        lines.append(f"        mistakes={found!r},")
    if leaking:
        lines.append(f"        leak=frozenset({sorted(leaking)!r}),")
    if copy_may_show:
        lines.append("        copy_may_show=True,")
    if not checked:
        lines.append("        checked=False,")
    lines.append("    ),")
    return "\n".join(lines)
