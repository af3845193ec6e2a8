"""Run-time switches of the course pack: profile, data, precision, seeds, paths.

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

``CNNRNN_PRECISION``
    ``auto``    -- Keras' mixed-precision policy for the model kinds where
    ``bench/precision.py`` shows it pays on hardware that has the units
    (:data:`AUTO_MIXED`), float32 elsewhere (default);
    ``float32`` -- everything in float32;
    ``mixed``   -- the mixed policy of this hardware for every model kind.
    The ``smoke`` profile is always float32.  See :func:`precision_policy`;
    :func:`set_seed` puts the policy in force (:func:`apply_precision`).

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "AUTO_MIXED",
    "DATA",
    "DATA_MODES",
    "MODEL_KINDS",
    "PRECISION",
    "PRECISIONS",
    "PROFILE",
    "PROFILES",
    "SYSTEM_DATASETS_DIR",
    "apply_precision",
    "banner",
    "cpu_flags",
    "data_home",
    "datasets_dir",
    "gpu_capabilities",
    "gpu_devices",
    "hardware_policy",
    "local_copy_label",
    "local_datasets",
    "native_log_filter",
    "pick",
    "precision_policy",
    "presenter_mode",
    "quiet_tensorflow_import",
    "repo_root",
    "set_seed",
]

PROFILES: tuple[str, ...] = ("full", "quick", "smoke")
DATA_MODES: tuple[str, ...] = ("auto", "online", "offline")
PRECISIONS: tuple[str, ...] = ("auto", "float32", "mixed")

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
#: Requested precision, read once from ``CNNRNN_PRECISION`` (``auto`` if unset);
#: the policy in force follows from it by :func:`precision_policy`.
PRECISION: str = _read_choice("CNNRNN_PRECISION", PRECISIONS, "auto")


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
    same profile, precision and data to give the same numbers twice.

    The first call in a process also puts the precision policy of
    ``CNNRNN_PRECISION`` in force (:func:`apply_precision`): every notebook
    calls ``set_seed`` in its Setup, before it builds a model.  Later calls
    leave the policy alone, so a policy set by hand (or by a benchmark)
    survives re-seeding.

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
    if not _APPLIED:
        apply_precision()
    if deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def gpu_devices() -> list[str]:
    """Return the names of the GPUs TensorFlow can see (empty list on a CPU)."""
    import tensorflow as tf

    with native_log_filter():  # "failed call to cuInit" on machines without GPU
        return [d.name for d in tf.config.list_physical_devices("GPU")]


# ---------------------------------------------------------------- precision

#: The model kinds :func:`precision_policy` distinguishes: feed-forward
#: networks (convolutional and dense; Keras' global policy) and recurrent
#: layers (SimpleRNN, GRU, LSTM; their builders give them their own dtype).
MODEL_KINDS: tuple[str, ...] = ("feedforward", "recurrent")

#: Whether ``CNNRNN_PRECISION=auto`` trains a model kind in mixed precision
#: (on hardware that has bf16/fp16 units).  From ``bench/precision.py``
#: (3 seeds per policy in one run, 2-core AMD EPYC with AVX512-BF16): a kind
#: is ``True`` when every one of its models keeps its test accuracy within
#: the seed spread in mixed precision and mixed is faster over the kind
#: (geometric mean of the speed-ups >= 1.1).  Feed-forward: 7 of 7 within
#: the spread, 0.85x-3.85x, geometric mean 1.77x; recurrent (the lab's
#: TBPTT GRU): 0.68x (0.35x in a longer run) and no gain in accuracy.  The
#: table is in the README (section Precision).
AUTO_MIXED: dict[str, bool] = {"feedforward": True, "recurrent": False}

#: ``/proc/cpuinfo`` flags of CPUs with bfloat16 matrix units (Intel AMX,
#: AVX512-BF16 on Intel Cooper Lake and later and AMD Zen 4 and later).
_BF16_CPU_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})
_APPLIED: list[str] = []


def cpu_flags(path: str | os.PathLike = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU feature flags of this machine (empty where there is no cpuinfo).

    Parameters
    ----------
    path
        The ``cpuinfo`` file to read (Linux); its first ``flags`` line counts.

    Returns
    -------
    frozenset of str
        e.g. ``{"avx2", "avx512f", "avx512_bf16", ...}``; empty on macOS,
        Windows or when the file cannot be read.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def gpu_capabilities() -> list[dict]:
    """Name and compute capability of every GPU TensorFlow can see.

    Returns
    -------
    list of dict
        ``[{"name": "/physical_device:GPU:0", "device_name": "NVIDIA A100 ...",
        "compute_capability": (8, 0)}, ...]``; empty on a CPU-only machine.
        A GPU whose details TensorFlow cannot give has no
        ``compute_capability`` key.
    """
    import tensorflow as tf

    found = []
    with native_log_filter():
        for device in tf.config.list_physical_devices("GPU"):
            try:
                details = dict(tf.config.experimental.get_device_details(device))
            except (RuntimeError, ValueError):
                details = {}
            found.append({"name": device.name, **details})
    return found


def hardware_policy(
    *,
    cpu_flags: Iterable[str] | None = None,
    gpus: Sequence[Mapping[str, Any]] | None = None,
) -> str | None:
    """The mixed-precision policy this machine has arithmetic units for.

    With GPUs (TensorFlow then trains on them) the GPU decides: compute
    capability 8.0 or higher (A100, RTX 30xx/40xx, H100, L4: bfloat16 tensor
    cores) gives ``"mixed_bfloat16"``, 7.x (V100, T4, RTX 20xx: float16 tensor
    cores) ``"mixed_float16"`` (Keras' ``fit`` adds loss scaling itself), and
    older GPUs ``None``; with several, the oldest counts.  Without a GPU, a CPU
    with AMX-BF16 or AVX512-BF16 (``/proc/cpuinfo`` flags ``amx_bf16``,
    ``avx512_bf16``) gives ``"mixed_bfloat16"``, any other CPU ``None``.

    Parameters
    ----------
    cpu_flags
        The CPU's feature flags; default: read by :func:`cpu_flags`.
    gpus
        Device descriptions as :func:`gpu_capabilities` gives them (each a
        mapping with ``"compute_capability": (major, minor)``); default: ask
        TensorFlow.

    Returns
    -------
    str or None
        ``"mixed_bfloat16"``, ``"mixed_float16"``, or ``None`` when the
        hardware has no units that make mixed precision pay.
    """
    if gpus is None:
        gpus = gpu_capabilities()
    if gpus:
        majors = []
        for gpu in gpus:
            capability = gpu.get("compute_capability") or (0, 0)
            majors.append(int(capability[0]))
        oldest = min(majors)
        if oldest >= 8:
            return "mixed_bfloat16"
        if oldest == 7:
            return "mixed_float16"
        return None
    flags = globals()["cpu_flags"]() if cpu_flags is None else frozenset(cpu_flags)
    return "mixed_bfloat16" if flags & _BF16_CPU_FLAGS else None


def precision_policy(
    kind: str | None = None,
    *,
    precision: str | None = None,
    profile: str | None = None,
    cpu_flags: Iterable[str] | None = None,
    gpus: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """The Keras dtype policy for models of ``kind`` under the precision switch.

    * ``float32``, or the ``smoke`` profile (CI stays deterministic and the
      checked outputs do not move): ``"float32"``;
    * ``mixed``: the policy of :func:`hardware_policy` for every kind, or
      ``"float32"`` on hardware without bf16/fp16 units (emulated half
      precision would only be slower);
    * ``auto``: as ``mixed`` for the kinds that :data:`AUTO_MIXED` marks as
      paying, ``"float32"`` for the others.

    ``kind=None`` is the global policy (:func:`apply_precision` sets it),
    that of feed-forward networks: every layer without its own ``dtype``
    follows it.  Recurrent layers get ``dtype=precision_policy("recurrent")``
    in the builders (and where a notebook writes one out).  Output layers,
    losses and the values a notebook inspects are float32 whatever this says.

    Parameters
    ----------
    kind
        One of :data:`MODEL_KINDS`, or ``None`` for the global policy.
    precision
        ``auto``, ``float32`` or ``mixed``; default :data:`PRECISION`.
    profile
        ``full``, ``quick`` or ``smoke``; default :data:`PROFILE`.
    cpu_flags, gpus
        Hardware descriptions for :func:`hardware_policy` (tests fake them).

    Returns
    -------
    str
        ``"float32"``, ``"mixed_bfloat16"`` or ``"mixed_float16"``.

    Raises
    ------
    ValueError
        If ``kind``, ``precision`` or ``profile`` is not an allowed value.
    """
    if kind is not None and kind not in MODEL_KINDS:
        raise ValueError(
            f"kind must be None or one of {', '.join(MODEL_KINDS)}, got {kind!r}"
        )
    precision = PRECISION if precision is None else precision
    if precision not in PRECISIONS:
        raise ValueError(
            f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}"
        )
    profile = PROFILE if profile is None else profile
    if profile not in PROFILES:
        raise ValueError(
            f"profile must be one of {', '.join(PROFILES)}, got {profile!r}"
        )
    if precision == "float32" or profile == "smoke":
        return "float32"
    if precision == "auto" and not AUTO_MIXED[kind or "feedforward"]:
        return "float32"
    return hardware_policy(cpu_flags=cpu_flags, gpus=gpus) or "float32"


def _precision_text(policy: str) -> str:
    """The banner's words for the policy in force, and why it is that one."""
    if policy == "float32":
        if PROFILE == "smoke" and PRECISION != "float32":
            return "float32 (smoke profile)"
        if PRECISION != "float32" and hardware_policy() is None:
            return "float32 (no bf16/fp16 units found)"
    elif PRECISION == "auto":
        float32_kinds = [k for k in MODEL_KINDS if not AUTO_MIXED[k]]
        if float32_kinds:
            return f"{policy} (float32 for {', '.join(float32_kinds)})"
    return policy


def apply_precision(policy: str | None = None) -> str:
    """Put a Keras global dtype policy in force and return its name.

    :func:`set_seed` calls this once per process, before the notebook builds
    its first model (Keras reads the global policy when a layer is made), so
    every notebook follows ``CNNRNN_PRECISION`` without a line of its own.
    The policy is also noted for ``results.json`` (``cnnrnn run``).

    Parameters
    ----------
    policy
        ``"float32"``, ``"mixed_bfloat16"`` or ``"mixed_float16"``; default
        :func:`precision_policy` ``()`` (the switch and this hardware).

    Returns
    -------
    str
        The name of the policy now in force.

    Raises
    ------
    ValueError
        If ``policy`` is not one of the three names.
    """
    allowed = ("float32", "mixed_bfloat16", "mixed_float16")
    if policy is None:
        policy = precision_policy()
    if policy not in allowed:
        raise ValueError(f"policy must be one of {', '.join(allowed)}, got {policy!r}")
    import keras

    from . import results

    keras.mixed_precision.set_global_policy(policy)
    _APPLIED[:] = [policy]
    results.note_precision(policy)
    return policy


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

    The banner names the profile, the data mode, the precision policy in
    force (Keras' global policy, with the ``CNNRNN_PRECISION`` it came from),
    the data home, the local dataset copies found (see :func:`local_datasets`,
    e.g. ``fashion-mnist: real (Debian package dataset-fashion-mnist)``), the
    versions of Python, TensorFlow, Keras and NumPy, and
    whether a GPU is present.  It depends on the machine, so no notebook
    checks its output.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    from ._version import __version__

    gpus = gpu_devices()
    device = f"GPU: {', '.join(gpus)}" if gpus else "CPU only (no GPU found)"
    present = presenter_mode()
    policy = keras.mixed_precision.global_policy().name
    lines = [
        f"cnnrnn {__version__} | profile={PROFILE} | data={DATA} | "
        f"precision={PRECISION}: {_precision_text(policy)}"
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
