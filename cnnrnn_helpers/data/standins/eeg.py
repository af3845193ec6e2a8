"""EEG eye-state stand-in: 14 synthetic channels with an alpha rhythm."""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from ..._args import check_int, check_seed
from .._draw import stream
from ..generators import MAX_SIZE

__all__ = ["EEG_CHANNELS", "standin_eeg_eye_state"]

#: The 14 Emotiv electrodes of OpenML 1471, in column order.
EEG_CHANNELS: tuple[str, ...] = (
    "AF3",
    "F7",
    "F3",
    "FC5",
    "T7",
    "P7",
    "O1",
    "O2",
    "P8",
    "T8",
    "FC6",
    "F4",
    "F8",
    "AF4",
)

_EEG_RATE = 128  # samples per second, as the Emotiv headset of OpenML 1471
# Mean level of each channel in the real recording (rounded).
_EEG_LEVEL = np.array(
    [
        4321,
        4009,
        4264,
        4164,
        4341,
        4644,
        4110,
        4616,
        4218,
        4231,
        4202,
        4279,
        4615,
        4416,
    ],
    dtype=np.float64,
)
# How strongly each channel shows the alpha rhythm (strongest at the back of
# the head: P7, O1, O2, P8) and how much its level shifts when the eyes close
# (back of the head up, front near the eyes down).
_EEG_ALPHA = np.array(
    [0.3, 0.3, 0.3, 0.3, 0.5, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3, 0.3, 0.3, 0.3]
)
_EEG_SHIFT = np.array(
    [-3, -4, -1.5, -1, 0, 1.5, 3, 3, 1.5, 0, -1, -1.5, -4, -3], dtype=np.float64
)


def standin_eeg_eye_state(
    n_rows: int = 14980, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Offline stand-in for the EEG eye-state recording (OpenML 1471).

    A synthetic 14-channel recording at 128 Hz, in time order.  The eyes are
    open or closed in alternating blocks (open 2.5-8.5 s, closed 2-7 s, so
    about 45 % of the rows are "closed").  Every channel is its real mean
    level (about 4000-4650) plus

    * an alpha rhythm (8-12 Hz) whose amplitude grows from about 2 to 10
      units while the eyes are closed, strongest in P7, O1, O2, P8;
    * a small level shift while the eyes are closed (up at the back of the head,
      down at the front), smoothed over a quarter of a second;
    * a slow drift (random walk and a slow wave) and noise (sd 3).

    So the eye state can be read from short windows (a small RNN on windows
    of 10 rows beats the majority class) but not perfectly.  The loader does
    the chronological train/test split.

    Parameters
    ----------
    n_rows
        Number of rows (time steps), >= 1 (the real recording: 14980).
    seed
        Non-negative integer (deterministic; fewer rows give a prefix).

    Returns
    -------
    x : numpy.ndarray
        float32, shape (n_rows, 14), raw (unscaled) values, columns in the
        order of :data:`EEG_CHANNELS`.
    y : numpy.ndarray
        uint8, shape (n_rows,), 1 = eyes closed, 0 = open.
    """
    n = check_int(n_rows, "n_rows", minimum=1, maximum=MAX_SIZE)
    seed = check_seed(seed, maximum=2**63 - 1)
    split = 2  # a stream of its own, apart from any image stand-in's splits

    # Eye state in blocks: open, closed, open, ...
    n_blocks = n // (2 * _EEG_RATE) + 2
    u = stream(seed, split, 0).random(n_blocks)
    state = np.arange(n_blocks) % 2  # 0 open, 1 closed
    seconds = np.where(state == 0, 2.5 + 6.0 * u, 2.0 + 5.0 * u)
    lengths = np.maximum(1, np.rint(seconds * _EEG_RATE).astype(int))
    y = np.repeat(state, lengths)[:n].astype(np.uint8)

    t = np.arange(n)[:, None] / _EEG_RATE
    p = stream(seed, split, 1).random((4, 14))
    freq = 8.0 + 4.0 * p[0]
    phase = 2 * np.pi * p[1]
    # Amplitude and level follow the eye state with a 0.25 s lag (causal).
    # An exponential moving average, s[i] = s[i-1] + alpha (y[i] - s[i-1]).
    alpha = 1.0 / (0.25 * _EEG_RATE)
    smooth = lfilter([alpha], [1.0, alpha - 1.0], y.astype(np.float64))[:, None]
    amplitude = (2.0 + 8.0 * smooth) * _EEG_ALPHA
    rhythm = amplitude * np.sin(2 * np.pi * freq * t + phase)
    level = _EEG_LEVEL + _EEG_SHIFT * smooth
    walk = np.cumsum(stream(seed, split, 2).normal(0.0, 0.05, size=(n, 14)), axis=0)
    wave = 3.0 * np.sin(2 * np.pi * t / (40.0 + 40.0 * p[2]) + 2 * np.pi * p[3])
    noise = stream(seed, split, 3).normal(0.0, 3.0, size=(n, 14))
    x = level + rhythm + walk + wave + noise
    return x.astype(np.float32), y
