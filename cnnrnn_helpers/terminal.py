"""One answer to "is this CI?" and "may I draw a live progress bar?".

Used by the downloads (byte progress bars) and the trainers (tqdm bars):
a carriage-return bar only on a real terminal outside CI; everywhere else
(notebooks, CI logs, pipes) plain lines.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["interactive", "is_ci"]

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
