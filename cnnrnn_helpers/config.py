"""Run-time switches of the course pack: profile, data source, seeds, paths.

This is the only place that reads the two switches of the pack:

``CNNRNN_PROFILE``
    ``full``  -- the exercise sheet's exact parameters (default);
    ``quick`` -- a live demo: every notebook in a couple of minutes on a laptop CPU;
    ``smoke`` -- continuous integration: tiny data, one epoch, seconds per notebook.

``CNNRNN_DATA``
    ``auto``    -- cached real data, else download, else the offline stand-in
    (default);
    ``online``  -- real data only; a failed download is an error;
    ``offline`` -- never touch the network; always the offline stand-in.

Importing this module is cheap (no TensorFlow).  It also quiets TensorFlow's C++
start-up logging (``TF_CPP_MIN_LOG_LEVEL=2``) unless the user set it already,
because the module is imported before TensorFlow in every notebook.
"""

from __future__ import annotations

import os
import platform
import random
import sys
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DATA",
    "DATA_MODES",
    "PROFILE",
    "PROFILES",
    "banner",
    "data_home",
    "gpu_devices",
    "pick",
    "repo_root",
    "set_seed",
]

PROFILES: tuple[str, ...] = ("full", "quick", "smoke")
DATA_MODES: tuple[str, ...] = ("auto", "online", "offline")

# TensorFlow reads these when it is first imported; the notebooks import this
# module first.  Users who want the C++ logs back set the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

T = TypeVar("T")


def _read_choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    """Read environment variable ``name`` and check it is one of ``allowed``."""
    value = os.environ.get(name, "").strip().lower() or default
    if value not in allowed:
        raise ValueError(
            f"{name}={os.environ.get(name)!r} is not valid: expected one of "
            f"{', '.join(allowed)}."
        )
    return value


#: Active profile, read once from ``CNNRNN_PROFILE`` (``full`` if unset).
PROFILE: str = _read_choice("CNNRNN_PROFILE", PROFILES, "full")
#: Active data source mode, read once from ``CNNRNN_DATA`` (``auto`` if unset).
DATA: str = _read_choice("CNNRNN_DATA", DATA_MODES, "auto")


def pick(*, full: T, quick: T, smoke: T) -> T:
    """Return the value that belongs to the active profile.

    Parameters
    ----------
    full, quick, smoke
        The value to use in each profile, e.g. ``pick(full=20000, quick=600,
        smoke=20)`` for a number of training iterations.  All three are required
        so that a notebook always states what each profile does.

    Returns
    -------
    object
        ``full``, ``quick`` or ``smoke``, following :data:`PROFILE`.

    Examples
    --------
    >>> epochs = pick(full=5, quick=1, smoke=1)
    """
    values = {"full": full, "quick": quick, "smoke": smoke}
    if PROFILE not in values:
        raise ValueError(f"unknown profile {PROFILE!r}: expected one of {PROFILES}")
    return values[PROFILE]


def repo_root() -> Path | None:
    """Return the checkout this package was imported from, or ``None``.

    The checkout is recognised by a ``pyproject.toml`` next to the package
    folder.  An installed copy (e.g. ``pip install`` on Colab) has none.
    """
    candidate = Path(__file__).resolve().parent.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return None


def data_home() -> Path:
    """Return the folder where datasets are cached, creating it if needed.

    ``CNNRNN_DATA_HOME`` if set; otherwise ``<repo>/data`` in a checkout and
    ``~/.cache/cnnrnn`` for an installed copy.

    Returns
    -------
    pathlib.Path
        An existing, absolute directory.
    """
    env = os.environ.get("CNNRNN_DATA_HOME", "").strip()
    if env:
        home = Path(env).expanduser()
    else:
        root = repo_root()
        home = root / "data" if root is not None else Path.home() / ".cache" / "cnnrnn"
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def set_seed(seed: int = 42, *, deterministic: bool = True) -> None:
    """Seed every random number generator the notebooks use.

    Seeds Python's :mod:`random`, NumPy's global generator, TensorFlow and
    Keras (``keras.utils.set_random_seed``) and, with ``deterministic=True``,
    switches on TensorFlow op determinism so that the same profile and data
    give the same numbers twice (at some cost in speed for a few ops).

    Parameters
    ----------
    seed
        A non-negative integer.
    deterministic
        Also call ``tf.config.experimental.enable_op_determinism()``.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or larger than ``2**32 - 1``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32 - 1], got {seed}")
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)  # noqa: NPY002 - students use the global generator too
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def gpu_devices() -> list[str]:
    """Return the names of the GPUs TensorFlow can see (empty list on a CPU)."""
    import tensorflow as tf

    return [d.name for d in tf.config.list_physical_devices("GPU")]


def banner(*, file=None) -> None:
    """Print the run banner every notebook shows in its Setup.

    The banner names the profile, the data mode, the data home, the versions
    of Python, TensorFlow, Keras and NumPy, and whether a GPU is present.  It
    depends on the machine, so no notebook checks its output.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    from . import __version__

    gpus = gpu_devices()
    device = f"GPU: {', '.join(gpus)}" if gpus else "CPU only (no GPU found)"
    present = os.environ.get("CNNRNN_PRESENT", "") not in ("", "0")
    lines = [
        f"cnnrnn {__version__} | profile={PROFILE} | data={DATA}"
        + (" | presenter mode" if present else ""),
        f"python {platform.python_version()} | tensorflow {tf.__version__} | "
        f"keras {keras.__version__} | numpy {np.__version__}",
        f"device: {device} | data home: {data_home()}",
    ]
    print("\n".join(lines), file=file or sys.stdout)
