"""The machine-load line the benchmarks print (they may share the machine)."""

from __future__ import annotations

import os


def load_line(before: tuple[float, float, float] | None = None) -> str:
    """``(load average before / after: 1.0, 0.9, 0.8 / 2.0, 1.1, 0.9)``.

    Without ``before``: the current load average, "while running".
    """
    now = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    if before is None:
        return f"(load average while running: {now})"
    then = ", ".join(f"{v:.1f}" for v in before)
    return f"(load average before / after: {then} / {now})"
