"""Training loops and callbacks shared by the notebooks.

Convention: notebooks call ``model.fit(..., verbose=2)`` (one line per epoch,
no carriage-return progress bars in stored outputs or CI logs).
"""

from __future__ import annotations

import time
from typing import Any

import keras

__all__ = ["EpochTimer"]


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every training epoch in seconds.

    Attributes
    ----------
    times : list of float
        One entry per finished epoch.

    Examples
    --------
    >>> timer = EpochTimer()
    >>> # model.fit(x, y, epochs=3, callbacks=[timer]); timer.mean
    """

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.times.append(time.perf_counter() - self._start)

    @property
    def mean(self) -> float:
        """Mean seconds per epoch (``nan`` before the first epoch ends)."""
        return sum(self.times) / len(self.times) if self.times else float("nan")
