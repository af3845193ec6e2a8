"""Console rules: "is this CI?", "may I draw a live progress bar?", durations.

Used by the downloads (byte progress bars) and the trainers (tqdm bars):
a carriage-return bar only on a real terminal outside CI; everywhere else
(notebooks, CI logs, pipes) plain lines.  :func:`format_duration` is the one
way a wall time is written for people, in the library and (importing it
from here) in the course tooling.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["format_duration", "interactive", "is_ci"]

_TRUE = ("1", "true", "yes")


def is_ci() -> bool:
    """True when the environment variable ``CI`` says we run in CI (1/true/yes)."""
    return os.environ.get("CI", "").strip().lower() in _TRUE


def interactive(progress: bool = True, stream: TextIO | None = None) -> bool:
    """True when a live (carriage-return) progress bar is wanted on ``stream``.

    Parameters
    ----------
    progress
        The caller's wish; ``False`` always gives ``False``.
    stream
        The stream the bar would be drawn on (default ``sys.stderr``).

    Returns
    -------
    bool
        ``progress`` and not CI and ``stream`` is a terminal.
    """
    if not progress or is_ci():
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def format_duration(seconds: float, *, compact: bool = False) -> str:
    """A wall time for people: ``"45 s"``, ``"21 min 31 s"``, ``"1 h 10 min"``.

    Parameters
    ----------
    seconds
        Any real number >= 0 (NumPy scalars accepted), rounded to whole
        seconds; from one hour on, seconds are left out.
    compact
        The short form of progress lines: ``"45s"``, ``"21m31s"``, minutes
        without hours (``"75m00s"``).

    Raises
    ------
    ValueError
        If ``seconds`` is negative or not finite.
    """
    value = float(seconds)
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
    whole = round(value)
    minutes, sec = divmod(whole, 60)
    if compact:
        return f"{minutes}m{sec:02d}s" if whole >= 60 else f"{whole}s"
    if whole < 60:
        return f"{whole} s"
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
