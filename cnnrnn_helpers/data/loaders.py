"""Real datasets: a verified cache, the library made for each, a stand-in.

Every loader follows the pack's source rule (see :mod:`.sources`; ``source``
= ``None`` follows ``config.DATA``): a verified cached copy
``data_home()/real/<name>.npz`` in every mode; then, also in every mode, a
local copy in IDX files (MNIST, Fashion-MNIST: the system dataset folder
``config.datasets_dir()/<folder>``, e.g. Debian's ``dataset-fashion-mnist``),
verified and cached (:mod:`.idx`); then ``offline`` -> the stand-in;
``auto`` / ``online`` -> fetch through the dataset's own library
(:mod:`.fetchers`) and cache atomically; a failed fetch -> ``online``:
:class:`~.sources.SourceUnavailable`, ``auto``: the stand-in for network
errors only.  The registry of datasets is :mod:`.registry`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .. import config
from .._args import check_float, check_int
from ..terminal import format_duration
from . import idx
from .dataset import Dataset, chronological_split, warn_standin
from .download import atomic_save_npz, npz_meta, verify_npz
from .fetchers import FETCHERS as _FETCHERS
from .registry import (
    REAL_DATASETS,
    SVHN_FILES,
    DatasetSpec,
    cache_path,
    check_arrays,
    check_name,
    read_cache,
)
from .sources import ONLINE_PROBE_TIMEOUT, require_network, resolve, short

__all__ = [
    "REAL_DATASETS",
    "SVHN_FILES",
    "DatasetSpec",
    "cache_path",
    "cache_status",
    "fetch",
    "import_folder",
    "load_cifar10",
    "load_eeg_eye_state",
    "load_fashion_mnist",
    "load_mnist",
    "load_svhn",
]


def _fetch_to_cache(
    name: str, *, progress: bool, probe_timeout: float | None
) -> dict[str, np.ndarray]:
    """Probe the network (unless ``probe_timeout`` is None), fetch ``name``,
    check and cache it; return the arrays."""
    if probe_timeout is not None:
        require_network(REAL_DATASETS[name].probe, probe_timeout)
    arrays = _FETCHERS[name](progress)
    check_arrays(name, arrays)
    atomic_save_npz(cache_path(name), **arrays)
    return arrays


def _cap(array: np.ndarray, limit: int | None) -> np.ndarray:
    """The first ``limit`` items, copied so the full array can be freed."""
    if limit is None or limit >= len(array):
        return array
    return array[:limit].copy()


def _split(
    spec: DatasetSpec, arrays: dict[str, np.ndarray], test_size: float
) -> tuple[np.ndarray, ...]:
    if spec.n_rows is not None:  # one table in time order
        return chronological_split(arrays["x"], arrays["y"], test_size)
    return arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"]


def _dataset(
    spec: DatasetSpec,
    arrays: dict[str, np.ndarray],
    limit: int | None,
    test_size: float,
    source: str,
    info: dict[str, Any],
) -> Dataset:
    x_train, y_train, x_test, y_test = _split(spec, arrays, test_size)
    if spec.n_rows is not None:
        info.update(test_size=test_size, split="chronological, not shuffled")
    return Dataset(
        name=spec.name,
        x_train=_cap(x_train, limit),
        y_train=_cap(y_train, limit),
        x_test=_cap(x_test, limit),
        y_test=_cap(y_test, limit),
        class_names=spec.class_names,
        source=source,
        info=info,
    )


def _real(
    name: str,
    arrays: dict,
    limit: int | None,
    test_size: float,
    local: str | None = None,
) -> Dataset:
    """The real Dataset; ``local`` names a local copy it came from, if any."""
    spec = REAL_DATASETS[name]
    info = {"origin": spec.library, "title": spec.title, "cache": str(cache_path(name))}
    if local:
        info.update(origin=local, local=local)
    return _dataset(spec, arrays, limit, test_size, "real", info)


def _from_local_folder(name: str) -> tuple[dict[str, np.ndarray], str] | None:
    """Import the system folder's IDX copy of ``name`` into the cache, if any.

    A damaged local copy is reported in one stderr line and skipped (the
    cache stays as it was), so the rule goes on to a download or the
    stand-in.
    """
    folder = idx.local_folder(name)
    if folder is None:
        return None
    label = config.local_copy_label(folder)
    try:
        arrays = idx.import_idx_folder(name, folder, origin=label)
    except (ValueError, OSError) as exc:
        print(
            f"ignoring the local copy of {name} in {folder} ({short(exc)})",
            file=sys.stderr,
        )
        return None
    return arrays, label


def _standin(name: str, limit: int | None, test_size: float, reason: str) -> Dataset:
    from . import standins

    spec = REAL_DATASETS[name]
    if spec.n_rows is not None:
        # Small enough to make whole: the split then matches the real one.
        x, y = standins.standin_eeg_eye_state(n_rows=spec.n_rows, seed=0)
        info = {
            "origin": "cnnrnn_helpers.data.standins.standin_eeg_eye_state",
            "reason": reason,
        }
        dataset = _dataset(spec, {"x": x, "y": y}, limit, test_size, "stand-in", info)
    else:
        make = getattr(standins, f"standin_{name}")
        n_train = spec.n_train if limit is None else min(limit, spec.n_train)
        n_test = spec.n_test if limit is None else min(limit, spec.n_test)
        dataset = make(n_train, n_test, seed=0)
    warn_standin(name, reason)  # after making it: one line, only on success
    return dataset


def _load(
    name: str, source: str | None, limit: int | None, test_size: float = 0.2
) -> Dataset:
    limit = check_int(limit, "limit", minimum=1, allow_none=True)
    spec = REAL_DATASETS[name]

    def cached() -> Dataset | None:
        arrays = read_cache(name)
        if arrays is None:
            return None
        local = npz_meta(cache_path(name)).get("origin")
        return _real(name, arrays, limit, test_size, local)

    def local() -> Dataset | None:
        found = _from_local_folder(name)
        if found is None:
            return None
        arrays, label = found
        return _real(name, arrays, limit, test_size, label)

    def fetch_real() -> Dataset:  # resolve() has probed the network already
        arrays = _fetch_to_cache(name, progress=True, probe_timeout=None)
        return _real(name, arrays, limit, test_size)

    return resolve(
        name,
        source,
        cached=cached,
        fetch=fetch_real,
        standin=lambda reason: _standin(name, limit, test_size, reason),
        probe_url=spec.probe,
        origin=spec.library,
        hint=_hint(name),
        local=local if spec.local_dir else None,
    )


def _hint(name: str) -> str:
    """How to get ``name`` onto an offline machine (for error messages)."""
    spec = REAL_DATASETS[name]
    text = (
        f"run `cnnrnn fetch {name}` on a machine with network and copy "
        f"{cache_path(name)} and its .json sidecar here"
    )
    if spec.local_dir:
        text += f", or `cnnrnn fetch {name} --from DIR` with a folder of its IDX files"
    if spec.debian_package:
        text += f", or `apt-get install {spec.debian_package}` (Debian, Ubuntu)"
    return text + "."


_LOADER_DOC = """Load {title}.

    Through {library}; cached in ``data_home()/real/{name}.npz`` after the
    first successful download.

    Parameters
    ----------
    source
        ``None`` (follow ``config.DATA``), ``"auto"`` (cache, else download,
        else the offline stand-in with a warning), ``"online"`` (cache, else
        download, else ``RuntimeError``) or ``"offline"`` (cache, else the
        stand-in; never the network).
    limit
        Keep at most this many items of each split (a prefix; ``None`` = all).

    Returns
    -------
    Dataset
        {returns}

    Raises
    ------
    TypeError
        ``source`` is not a string or ``limit`` not an integer.
    ValueError
        ``source`` not one of the modes, or ``limit < 1``.
    SourceUnavailable
        (a ``RuntimeError``) ``source="online"`` (or ``CNNRNN_DATA=online``)
        and the download failed.
    Exception
        ``auto`` and the download failed for a reason other than the network
        (a checksum or format error, a full disk): that error.
    """


def load_mnist(source: str | None = None, limit: int | None = None) -> Dataset:
    return _load("mnist", source, limit)


def load_fashion_mnist(source: str | None = None, limit: int | None = None) -> Dataset:
    return _load("fashion_mnist", source, limit)


def load_cifar10(source: str | None = None, limit: int | None = None) -> Dataset:
    return _load("cifar10", source, limit)


def load_svhn(source: str | None = None, limit: int | None = None) -> Dataset:
    return _load("svhn", source, limit)


_RETURNS = {
    "mnist": "``x`` uint8 (n, 28, 28) in 0..255, ``y`` uint8 (n,) in 0..9; "
    "60000 train / 10000 test.",
    "fashion_mnist": "``x`` uint8 (n, 28, 28) in 0..255, ``y`` uint8 (n,) in 0..9 "
    "(T-shirt/top ... Ankle boot); 60000 train / 10000 test.",
    "cifar10": "``x`` uint8 (n, 32, 32, 3) in 0..255 (NHWC), ``y`` uint8 (n,) in "
    "0..9 (airplane ... truck); 50000 train / 10000 test.",
    "svhn": "``x`` uint8 (n, 32, 32, 3) in 0..255, ``y`` uint8 (n,) in 0..9 "
    "(the digit; the files' label 10 is mapped to 0); 73257 train / 26032 test.",
}
for _func, _name in (
    (load_mnist, "mnist"),
    (load_fashion_mnist, "fashion_mnist"),
    (load_cifar10, "cifar10"),
    (load_svhn, "svhn"),
):
    _func.__doc__ = _LOADER_DOC.format(
        name=_name,
        title=REAL_DATASETS[_name].title,
        library=REAL_DATASETS[_name].library,
        returns=_RETURNS[_name],
    )


def load_eeg_eye_state(
    source: str | None = None, limit: int | None = None, test_size: float = 0.2
) -> Dataset:
    """Load the EEG eye state recording (OpenML 1471), split in time order.

    One continuous 117 s recording of 14 EEG channels; the target says
    whether the eyes were closed.  Through ``openml`` (its cache redirected
    to ``data_home()/openml``); the full series is cached in
    ``data_home()/real/eeg_eye_state.npz``.

    Parameters
    ----------
    source
        ``None`` (follow ``config.DATA``), ``"auto"``, ``"online"`` or
        ``"offline"`` (see :func:`load_mnist`).
    limit
        Keep at most this many rows of each split (a prefix; ``None`` = all).
    test_size
        Fraction of the rows, at the end of the recording, that form the test
        split; in (0, 1).  The split is chronological, never shuffled.

    Returns
    -------
    Dataset
        ``x`` float32 (n, 14): the raw, unscaled channel values (about
        4000-4700, with a few large outliers in the real data) in time order;
        ``y`` uint8 (n,): 0 = eyes open, 1 = eyes closed.  14980 rows in all,
        11984 train / 2996 test with the default ``test_size``.

    Raises
    ------
    ValueError
        Bad ``source``, ``limit < 1`` or ``test_size`` outside (0, 1).
    RuntimeError
        ``online`` mode and the download failed.
    """
    test_size = check_float(
        test_size, "test_size", low=0.0, high=1.0, low_open=True, high_open=True
    )
    return _load("eeg_eye_state", source, limit, test_size)


# ---------------------------------------------------------------------------
# cnnrnn fetch / cnnrnn doctor
# ---------------------------------------------------------------------------

#: The TF Hub module of sheet 1 task 3, fetched with the datasets.
HUB_MODULE = "ganeval-cifar10-convnet"


def _names(names: str | Iterable[str] | None) -> list[str]:
    if names is None:
        return [*REAL_DATASETS, HUB_MODULE]
    if isinstance(names, str):
        names = [names]
    checked = []
    for n in names:
        key = str(n).strip().lower()
        checked.append(HUB_MODULE if key == HUB_MODULE else check_name(n))
    return list(dict.fromkeys(checked))


def _fetch_one(name: str, progress: bool) -> dict[str, Any]:
    if name == HUB_MODULE:
        from . import hub_module as hub_source

        return hub_source.fetch_module(progress=progress)
    path = cache_path(name)
    report: dict[str, Any] = {"name": name, "path": str(path)}
    if verify_npz(path, full=True) is None:
        return dict(report, ok=True, size=path.stat().st_size, message="already cached")
    started = time.monotonic()
    if REAL_DATASETS[name].local_dir and idx.local_folder(name) is not None:
        found = _from_local_folder(name)  # the same rule as the loaders
        if found is not None:
            return dict(
                report,
                ok=True,
                size=path.stat().st_size,
                message=f"imported from {found[1]}",
            )
    try:
        _fetch_to_cache(name, progress=progress, probe_timeout=ONLINE_PROBE_TIMEOUT)
    except Exception as exc:
        if isinstance(exc, MemoryError):
            raise
        return dict(
            report,
            ok=False,
            size=None,
            error=f"{type(exc).__name__}: {short(exc)} "
            f"(via {REAL_DATASETS[name].library})",
        )
    seconds = time.monotonic() - started
    message = f"fetched in {format_duration(seconds)}"
    return dict(report, ok=True, size=path.stat().st_size, message=message)


def _import_one(name: str, folder: Path) -> dict[str, Any]:
    path = cache_path(name)
    report: dict[str, Any] = {"name": name, "path": str(path)}
    sub = folder / (REAL_DATASETS[name].local_dir or "")
    source = sub if sub != folder and sub.is_dir() else folder
    started = time.monotonic()
    try:
        idx.import_idx_folder(name, source)
    except (ValueError, OSError) as exc:  # OSError: FileNotFoundError and others
        return dict(
            report,
            ok=False,
            size=None,
            error=f"{type(exc).__name__}: {short(exc)} (the cache is unchanged)",
        )
    seconds = time.monotonic() - started
    return dict(
        report,
        ok=True,
        size=path.stat().st_size,
        message=f"imported from {source} in {seconds:.0f} s (verified)",
    )


def import_folder(
    names: str | Iterable[str], folder: str | Path
) -> list[dict[str, Any]]:
    """Import folders of IDX files into the cache (``cnnrnn fetch NAME --from DIR``).

    For each dataset, ``folder`` itself or its sub-folder named like the
    system one (``mnist/``, ``fashion-mnist/``) must hold the four IDX files
    (``train-images-idx3-ubyte[.gz]`` ...).  They are verified as the
    system copy is (:func:`.idx.read_idx_folder`: magic numbers, shapes,
    counts, items per class, SHA-256 where recorded) and written to the
    cache atomically; a damaged or missing file leaves the cache as it was.

    Parameters
    ----------
    names
        ``"mnist"`` and/or ``"fashion_mnist"`` (``-`` may be written for ``_``).
    folder
        The folder a tutor handed out.

    Returns
    -------
    list of dict
        One report per dataset, as :func:`fetch` gives (``name``, ``ok``,
        ``size``, ``path``, ``message`` or ``error``).

    Raises
    ------
    TypeError
        ``folder`` is not a path.
    ValueError
        No name, an unknown name, or a dataset that has no IDX files.
    FileNotFoundError
        ``folder`` is not a folder.
    """
    if not isinstance(folder, str | Path):
        raise TypeError(f"folder must be a str or path, got {type(folder).__name__}")
    keys = [] if names is None else _names(names)
    if not keys:
        raise ValueError("names: say which dataset the folder holds (mnist, ...)")
    idx_names = [n for n, spec in REAL_DATASETS.items() if spec.local_dir]
    for key in keys:
        if key not in idx_names:
            raise ValueError(
                f"names: {key} does not come as IDX files; --from works for "
                f"{', '.join(idx_names)}"
            )
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    return [_import_one(key, folder.resolve()) for key in keys]


def fetch(
    names: str | Iterable[str] | None = None,
    progress: bool = True,
    *,
    folder: str | Path | None = None,
) -> list[dict[str, Any]]:
    """Download real datasets and the TF Hub module into the cache (``cnnrnn fetch``).

    A dataset whose cache verifies (SHA-256) is not downloaded again; a
    corrupt or partial one is fetched again.  MNIST and Fashion-MNIST come
    from the system dataset folder instead of the network when it holds
    them (see :func:`cnnrnn_helpers.config.datasets_dir`); with ``folder``
    they are imported from that folder (:func:`import_folder`, ``cnnrnn
    fetch NAME --from DIR``).  The TF Hub module of sheet 1
    task 3 (``"ganeval-cifar10-convnet"``) goes into ``TFHUB_CACHE_DIR`` and
    its checksum is recorded after the first download.  Failures do not stop
    the others and never leave files that a later run would use.

    Parameters
    ----------
    names
        Dataset names from :data:`REAL_DATASETS` (``"-"`` may be written for
        ``"_"``) or ``"ganeval-cifar10-convnet"``; ``None`` for all of them.
    progress
        Progress bars on a terminal (one start/end line elsewhere).
    folder
        Import ``names`` from this folder of IDX files instead of fetching.

    Returns
    -------
    list of dict
        One report per item: ``name``, ``ok`` (bool), ``size`` (bytes of
        the cache, or None), ``path``, and ``message`` (when ok) or
        ``error`` (when not).

    Raises
    ------
    ValueError
        An unknown dataset name; with ``folder``: see :func:`import_folder`.
    """
    if folder is not None:
        return import_folder(names, folder)
    return [_fetch_one(name, progress) for name in _names(names)]


def cache_status() -> list[dict[str, Any]]:
    """Say which real datasets (and the TF Hub module) are cached (``cnnrnn doctor``).

    A quick check (the file and its sidecar exist and the size matches; the
    loaders verify the SHA-256 when they read the file).

    Returns
    -------
    list of dict
        Per item: ``name``, ``cached`` (bool), ``size`` (bytes or None),
        ``path``, ``local`` (the local IDX folder found, or None) and
        ``source`` (what a loader would return right now without network:
        ``"real (cached)"``, ``"real (cached from Debian package
        dataset-fashion-mnist)"``, ``"real (Debian package
        dataset-fashion-mnist, cached at first use)"`` or ``"stand-in (not
        cached)"``).
    """
    rows = []
    for name in REAL_DATASETS:
        path = cache_path(name)
        cached = verify_npz(path, full=False) is None
        folder = idx.local_folder(name)
        origin = npz_meta(path).get("origin") if cached else None
        if cached:
            source = f"real (cached from {origin})" if origin else "real (cached)"
        elif folder is not None:
            label = config.local_copy_label(folder)
            source = f"real ({label}, cached at first use)"
        else:
            source = "stand-in (not cached)"
        rows.append(
            {
                "name": name,
                "cached": cached,
                "size": path.stat().st_size if cached else None,
                "path": str(path),
                "local": None if folder is None else str(folder),
                "source": source,
            }
        )
    from . import hub_module as hub_source

    rows.append(hub_source.module_status())
    return rows
