"""cnnrnn_helpers.terminal: the one way durations are written for people."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers.terminal import format_duration


@pytest.mark.parametrize(
    ("seconds", "text", "compact"),
    [
        (0, "0 s", "0s"),
        (44.6, "45 s", "45s"),
        (59.4, "59 s", "59s"),
        (60, "1 min 00 s", "1m00s"),
        (1291, "21 min 31 s", "21m31s"),
        (4200, "1 h 10 min", "70m00s"),
        (np.float64(75.2), "1 min 15 s", "1m15s"),
    ],
)
def test_format_duration_long_and_compact(seconds, text, compact):
    assert format_duration(seconds) == text
    assert format_duration(seconds, compact=True) == compact


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_format_duration_refuses_negative_and_non_finite(bad):
    with pytest.raises(ValueError, match="seconds"):
        format_duration(bad)
