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

import re
from collections.abc import Iterable
from typing import NamedTuple

__all__ = [
    "ANSWERS",
    "Answer",
    "Leak",
    "canonical",
    "digest",
    "entry_source",
    "leaks",
]

from ._answers import ANSWERS
from .answer import EXACT, Answer, canonical, digest, entry_source

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



