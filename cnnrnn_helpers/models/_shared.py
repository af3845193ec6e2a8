"""Argument helpers and initialisers shared by the builders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._args import check_int


def _s03_init(bias: float) -> dict[str, Any]:
    """Fresh initialisers of sheet s03 (H6.1 b): truncated normal + constant."""
    import keras

    return {
        "kernel_initializer": keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01),
        "bias_initializer": keras.initializers.Constant(bias),
    }


def _filter_counts(
    filters: Sequence[int], name: str, *, exactly: int | None = None
) -> tuple[int, ...]:
    """Filter counts as a tuple of ints >= 1 (NumPy arrays and ints accepted)."""
    import numpy as np

    if isinstance(filters, str) or not isinstance(filters, Sequence | np.ndarray):
        raise TypeError(
            f"{name} must be a sequence of positive ints, got {type(filters).__name__}"
        )
    counts = tuple(
        check_int(f, f"{name}[{i}]", minimum=1) for i, f in enumerate(filters)
    )
    if exactly is not None and len(counts) != exactly:
        raise ValueError(
            f"{name} must be three positive integers, got {len(counts)}: {counts}"
            if exactly == 3
            else f"{name} must hold {exactly} positive ints, got {counts}"
        )
    if not counts:
        raise ValueError(f"{name} must name at least one convolution, got ()")
    return counts


def _image_shape(shape: Sequence[int]) -> tuple[int, int, int]:
    """``(height, width, channels)`` as three ints >= 1."""
    import numpy as np

    if isinstance(shape, str) or not isinstance(shape, Sequence | np.ndarray):
        raise TypeError(
            f"input_shape must be (height, width, channels), got {type(shape).__name__}"
        )
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {shape}")
    h, w, c = (
        check_int(v, f"input_shape[{i}]", minimum=1) for i, v in enumerate(shape)
    )
    return h, w, c
