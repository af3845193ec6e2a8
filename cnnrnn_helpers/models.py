"""Model builders for every sheet, and a deterministic model summary.

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
"""

from __future__ import annotations

from typing import Any

__all__ = ["count_params", "summary_table"]


def count_params(model: Any, *, trainable_only: bool = True) -> int:
    """Number of (trainable) scalar parameters of a built Keras model."""
    import numpy as np

    weights = model.trainable_weights if trainable_only else model.weights
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _shape_text(shape: Any) -> str:
    if isinstance(shape, list):  # several outputs
        return ", ".join(_shape_text(s) for s in shape)
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def summary_table(model: Any) -> str:
    """A plain-text summary that does not depend on layer-name counters.

    ``model.summary()`` names layers ``conv2d_3`` etc., which changes with
    how many models a session has built; this table lists each layer's type,
    output shape and parameter count, so notebooks can check it with nbval.

    Returns
    -------
    str
        One line per layer plus a total line, e.g.
        ``Conv2D            (None, 26, 26, 16)      160``.
    """
    rows = [("layer", "output shape", "params")]
    for layer in model.layers:
        rows.append(
            (
                type(layer).__name__,
                _shape_text(layer.output.shape),
                f"{layer.count_params():,}",
            )
        )
    total = count_params(model, trainable_only=False)
    trainable = count_params(model)
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("-" * len(lines[0]))
    lines.append(f"total params: {total:,} (trainable: {trainable:,})")
    return "\n".join(lines)
