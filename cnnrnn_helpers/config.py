"""Run-time switches of the course pack: profile, data source, seeds, paths.

This is the only place that reads the switches of the pack:

``CNNRNN_PROFILE``
    ``full``  -- the exercise sheet's exact parameters (default);
    ``quick`` -- a live demo: every notebook in a couple of minutes on a laptop CPU;
    ``smoke`` -- continuous integration: tiny data, one epoch, seconds per notebook.

``CNNRNN_DATA``
    ``auto``    -- cached real data, else download, else the offline stand-in
    (default);
    ``online``  -- real data only; a failed download is an error;
    ``offline`` -- never touch the network: cached real data, else the stand-in.

``CNNRNN_PRESENT``
    any value but empty or ``0``: presenter style (large fonts) for shared
    screens (:func:`presenter_mode`, read by ``viz.use_style``).

A local copy of a dataset (the system dataset folder, see :func:`datasets_dir`)
is not the network: every mode uses it before a download.  The paths come from
``CNNRNN_DATA_HOME`` (:func:`data_home`, the cache) and ``CNNRNN_DATASETS_DIR``
(:func:`datasets_dir`, the root of the local copies, default
``/usr/share/datasets`` where Debian's dataset packages put them).

Importing this module is cheap (no TensorFlow).  It also quiets TensorFlow's C++
logging (``TF_CPP_MIN_LOG_LEVEL=3``: its informational lines and spurious
"errors" such as ``use_unbounded_threadpool`` would clutter every notebook; real
failures still raise Python exceptions) unless the user set the variable or
``CNNRNN_TF_LOGS=1``, because the package is imported before TensorFlow in every
notebook (its install cell).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import os
import platform
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DATA",
    "DATA_MODES",
    "PROFILE",
    "PROFILES",
    "SYSTEM_DATASETS_DIR",
    "banner",
    "data_home",
    "datasets_dir",
    "gpu_devices",
    "local_copy_label",
    "local_datasets",
    "native_log_filter",
    "pick",
    "presenter_mode",
    "quiet_tensorflow_import",
    "repo_root",
    "set_seed",
]

PROFILES: tuple[str, ...] = ("full", "quick", "smoke")
DATA_MODES: tuple[str, ...] = ("auto", "online", "offline")

# TensorFlow reads these when it is first imported; the notebooks import this
# module first.  CNNRNN_TF_LOGS=1 (or setting the variable) keeps the C++ logs.
if os.environ.get("CNNRNN_TF_LOGS") != "1":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
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


#: Where Debian's (and Ubuntu's) dataset packages install their files, one
#: folder per dataset, e.g. ``dataset-fashion-mnist`` -> ``fashion-mnist/``.
SYSTEM_DATASETS_DIR = Path("/usr/share/datasets")
_DPKG_INFO = Path("/var/lib/dpkg/info")


def datasets_dir() -> Path:
    """Return the root folder of local dataset copies (it need not exist).

    ``CNNRNN_DATASETS_DIR`` if set (a tutor's shared drive or USB stick with
    one sub-folder per dataset, e.g. ``fashion-mnist/`` holding the four IDX
    files), otherwise :data:`SYSTEM_DATASETS_DIR`.  The loaders look here
    after the verified cache and before any download, in every data mode.

    Returns
    -------
    pathlib.Path
        An absolute path.
    """
    env = os.environ.get("CNNRNN_DATASETS_DIR", "").strip()
    return Path(env).expanduser().resolve() if env else SYSTEM_DATASETS_DIR


def local_copy_label(folder: str | os.PathLike) -> str:
    """Name a local dataset folder: its Debian package, else the folder itself.

    Parameters
    ----------
    folder
        A dataset folder, e.g. ``/usr/share/datasets/fashion-mnist``.

    Returns
    -------
    str
        ``"Debian package dataset-<name>"`` when ``folder`` is
        ``SYSTEM_DATASETS_DIR/<name>`` and dpkg lists ``dataset-<name>`` as
        installed; otherwise ``"folder <absolute path>"``.
    """
    if not isinstance(folder, str | os.PathLike):
        raise TypeError(f"folder must be a str or path, got {type(folder).__name__}")
    path = Path(folder).expanduser().resolve()
    if path.parent == SYSTEM_DATASETS_DIR:
        package = f"dataset-{path.name}"
        if (_DPKG_INFO / f"{package}.list").is_file():
            return f"Debian package {package}"
    return f"folder {path}"


def local_datasets() -> dict[str, str]:
    """The sub-folders of :func:`datasets_dir` that hold IDX image files.

    A quick look for ``train-images-idx3-ubyte[.gz]`` (nothing is read or
    verified; the loaders do that).

    Returns
    -------
    dict of str to str
        ``{folder name: local_copy_label(folder)}``, sorted by name; empty
        when the root does not exist.
    """
    root = datasets_dir()
    found = {}
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return {}
    for folder in folders:
        if any(
            (folder / f"train-images-idx3-ubyte{ext}").is_file() for ext in ("", ".gz")
        ):
            found[folder.name] = local_copy_label(folder)
    return found


def set_seed(seed: int = 42, *, deterministic: bool = False) -> None:
    """Seed every random number generator the notebooks use.

    Seeds Python's :mod:`random`, NumPy's global generator, TensorFlow and
    Keras (``keras.utils.set_random_seed``).  On a CPU that is enough for the
    same profile and data to give the same numbers twice.

    Parameters
    ----------
    seed
        An integer in [0, 2**32 - 1] (NumPy integers accepted).
    deterministic
        Also switch on TensorFlow op determinism
        (``tf.config.experimental.enable_op_determinism()``), for exactly
        repeatable GPU runs.  Opt-in because it is global for the rest of the
        process, slows some GPU ops down and makes ops without a
        deterministic kernel raise.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer or ``deterministic`` not a bool.
    ValueError
        If ``seed`` is negative or larger than ``2**32 - 1``.

    Notes
    -----
    ``PYTHONHASHSEED`` (the order of sets of strings) only takes effect when
    the interpreter starts, so it is not set here; set it in the environment
    before starting Jupyter if a notebook depends on it.
    """
    from ._args import check_bool, check_seed

    seed = check_seed(seed)
    deterministic = check_bool(deterministic, "deterministic")
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)  # noqa: NPY002 - students use the global generator too
    import keras

    keras.utils.set_random_seed(seed)
    if deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def gpu_devices() -> list[str]:
    """Return the names of the GPUs TensorFlow can see (empty list on a CPU)."""
    import tensorflow as tf

    with native_log_filter():  # "failed call to cuInit" on machines without GPU
        return [d.name for d in tf.config.list_physical_devices("GPU")]


# TensorFlow's C++ start-up lines ("I0000 ... oneDNN custom operations are on",
# "Could not find cuda drivers", "failed call to cuInit") are written to file
# descriptor 2 before TF_CPP_MIN_LOG_LEVEL is honoured, so Jupyter shows them in
# red under the first import. They are informational; other lines pass through.
_NATIVE_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)"
    r"|[IW]\d{4} \S+ +\d+ \S+\] "
    r"|E\d{4} \S+ +\d+ cuda_\w+\.cc:\d+\] failed call to cuInit)"
)


@contextlib.contextmanager
def native_log_filter() -> Iterator[None]:
    """Drop TensorFlow's known start-up log lines from file descriptor 2.

    Everything written to the process's stderr inside the block is captured
    in a temporary file; afterwards every line that is not one of the known
    informational lines is written to ``sys.stderr`` again.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (some embedded consoles)
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            text = tmp.read().decode("utf-8", "replace")
            kept = [ln for ln in text.splitlines() if not _NATIVE_NOISE.match(ln)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


class _QuietTensorFlowImport(importlib.abc.MetaPathFinder):
    """Import hook: the first ``import tensorflow`` runs in native_log_filter."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once, and no recursion
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module):
            try:
                with native_log_filter():
                    original(module)
            finally:
                del loader.exec_module  # back to the class's method

        loader.exec_module = exec_module
        return spec


def quiet_tensorflow_import() -> None:
    """Hide TensorFlow's native start-up lines at its first import (idempotent).

    Called when ``cnnrnn_helpers`` is imported; has no effect once TensorFlow
    is imported or when ``CNNRNN_TF_LOGS=1`` asks to see everything.
    """
    if "tensorflow" in sys.modules or os.environ.get("CNNRNN_TF_LOGS") == "1":
        return
    if not any(isinstance(f, _QuietTensorFlowImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())


def presenter_mode() -> bool:
    """Whether ``CNNRNN_PRESENT`` asks for the presenter style (read now).

    Any value but empty or ``0`` means on.  Read at each call, not at import,
    so that ``viz.use_style()`` follows a variable set later in the session.
    """
    return os.environ.get("CNNRNN_PRESENT", "") not in ("", "0")


def banner(*, file=None) -> None:
    """Print the run banner every notebook shows in its Setup.

    The banner names the profile, the data mode, the data home, the local
    dataset copies found (see :func:`local_datasets`, e.g. ``fashion-mnist:
    real (Debian package dataset-fashion-mnist)``), the versions of Python,
    TensorFlow, Keras and NumPy, and whether a GPU is present.  It depends on
    the machine, so no notebook checks its output.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    from ._version import __version__

    gpus = gpu_devices()
    device = f"GPU: {', '.join(gpus)}" if gpus else "CPU only (no GPU found)"
    present = presenter_mode()
    lines = [
        f"cnnrnn {__version__} | profile={PROFILE} | data={DATA}"
        + (" | presenter mode" if present else ""),
        f"python {platform.python_version()} | tensorflow {tf.__version__} | "
        f"keras {keras.__version__} | numpy {np.__version__}",
        f"device: {device} | data home: {data_home()}",
    ]
    local = local_datasets()
    if local:
        copies = ", ".join(f"{name}: real ({label})" for name, label in local.items())
        lines.append(f"local datasets (used offline too): {copies}")
    note = profile_note()
    if note:
        lines.append(note)
    print("\n".join(lines), file=file or sys.stdout)


def profile_note() -> str:
    """The banner's warning when ``full`` is in force only because it is the default.

    ``full`` (the sheets' exact parameters) is the default profile, as the
    pack's contract says, but on a laptop CPU it takes minutes to over an hour
    per notebook; a plain ``jupyter lab`` must not start that without a word.
    Returns ``""`` when ``CNNRNN_PROFILE`` was set (any profile) or the active
    profile is not ``full``.
    """
    if PROFILE != "full" or os.environ.get("CNNRNN_PROFILE"):
        return ""
    return (
        "note: CNNRNN_PROFILE is not set, so this is the full profile (the sheet's "
        "exact parameters: see the title cell's run times, up to an hour on a CPU). "
        "For a demo, restart Jupyter with CNNRNN_PROFILE=quick."
    )
