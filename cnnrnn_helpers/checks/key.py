"""The answer key: what a student works out by hand, stored as salted hashes.

One copy, read by :func:`cnnrnn_helpers.checks.value` (is the student's
number right?) and by the student-leak test and the grader (does a student
copy, or a check message, state an answer?).

An answer is never stored as its value.  Each number is written in a
canonical form (:func:`canonical`: ``format(float(x), f".{digits}g")``, so
``3330``, ``3330.0`` and ``np.int64(3330)`` are the same; ``digits`` is 12
for whole numbers and 6, or fewer for a tolerance, for the others) and
hashed with a salt and the answer's name (:func:`digest`).  A check
compares the hashes.  ``checks.VALUES['s05_small_cnn_params']`` therefore
prints a name and a notebook, not 3330.

What this hides and what it does not: nobody reads an answer off the
package, its repr or its source.  A determined student can still hash
candidate numbers (parameter counts are small integers) and find the one
that matches; the key stops looking the answer up, not brute force.  For
graded work, see CONTRIBUTING ("What a student copy hides").

Adding an answer (maintainers): ``key.entry_source(name, value, notebook=...)``
prints the :class:`Answer` literal to paste into :data:`ANSWERS`;
``tests/test_checks.py`` verifies the key against the package's builders.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "ANSWERS",
    "Answer",
    "Leak",
    "canonical",
    "digest",
    "entry_source",
    "leaks",
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
            f"Answer({self.name!r}, {self.notebook}, {n} number{'s' * (n > 1)}, "
            "hashed)"
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


# ------------------------------------------------------ numbers in a text

_SEP = r"(?:,|_|\s|\\,|\\;|\\ |\\!|\{,\}|\u2009|\u202f)"
_SIGN = r"(?P<sign>(?:-|−|\\minus)\s*)?"
_CHUNK = re.compile(r"(?<![A-Za-z\d.])" + _SIGN + r"(?P<digits>\d+)(?!\d|\.\d)")
_DECIMAL = re.compile(r"(?<![A-Za-z\d.])" + _SIGN + r"(\d*\.\d+)")
_FRACTION = re.compile(
    r"(?<![\d./])(\d+)\s*/\s*(\d+)(?![\d./])"
    r"|\\[dt]?frac\s*\{?\s*(\d)\s*\}?\s*\{?\s*(\d+)\s*\}?"
)
_GROUP_SEP = re.compile(_SEP + r"$")


class Leak(NamedTuple):
    """An answer stated in a text: which one, as what text, and where."""

    name: str
    text: str
    start: int
    end: int


def _numbers(text: str) -> list[tuple[float, int, int, int]]:
    """Every number a reader sees in ``text``: (value, digits, start, end).

    Whole numbers with any thousands separator (``8070``, ``8,070``,
    ``8\\,070``, ``8{,}070``, ``8 070``), each digit run alone too; signed
    (``-4``, ``−4``); decimals (``0.25``); fractions (``1/4``,
    ``\\frac{1}{4}``, ``\\tfrac14``).
    """
    found: list[tuple[float, int, int, int]] = []
    chunks = list(_CHUNK.finditer(text))
    for i, m in enumerate(chunks):
        sign = -1 if m["sign"] else 1
        written = len(m["digits"].lstrip("0")) or 1
        found.append((sign * float(m["digits"]), written, m.start(), m.end()))
        # the runs joined by thousands separators that start here
        joined, end = m["digits"], m.end()
        for nxt in chunks[i + 1 :]:
            gap = text[end : nxt.start()]
            if nxt["sign"] or len(nxt["digits"]) != 3 or not _GROUP_SEP.match(gap):
                break
            if gap and len(gap) > 3:
                break
            joined += nxt["digits"]
            end = nxt.end()
            found.append((sign * float(joined), len(joined), m.start(), end))
    for m in _DECIMAL.finditer(text):
        digits = m[2].replace(".", "").lstrip("0")
        sign = -1 if m["sign"] else 1
        found.append((sign * float(m[2]), len(digits) or 1, m.start(), m.end()))
    for m in _FRACTION.finditer(text):
        a, b = (m[1], m[2]) if m[1] else (m[3], m[4])
        if int(b):
            found.append((int(a) / int(b), EXACT, m.start(), m.end()))
    return found


def leaks(
    text: str,
    notebook: str | None = None,
    *,
    names: Iterable[str] | None = None,
    include_shown: bool = False,
) -> list[Leak]:
    """The answers ``text`` states, in order of position (see :class:`Leak`).

    Parameters
    ----------
    text
        A student copy's cell, a check message, a README.
    notebook
        Only the answers of this notebook (path under ``notebooks/`` without
        ``.ipynb``); None: every notebook.
    names
        Only these answers.
    include_shown
        Also the answers a student copy may show (``copy_may_show``): a
        check message must not state any of its own answer's numbers.
    """
    wanted = None if names is None else set(names)
    chosen = [
        a
        for a in ANSWERS.values()
        if (notebook is None or a.notebook == notebook)
        and (wanted is None or a.name in wanted)
        and (include_shown or not a.copy_may_show)
    ]
    if not chosen:
        return []
    hits = set()
    for value, written, start, end in _numbers(text):
        for answer in chosen:
            if answer.leaked_by(value, written):
                hits.add(Leak(answer.name, text[start:end], start, end))
    return sorted(hits, key=lambda h: (h.start, h.end, h.name))



from ._answers import ANSWERS  # noqa: E402  (the entries, generated)
