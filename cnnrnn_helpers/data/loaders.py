"""Real datasets: fetch through the library made for each, cache, fall back.

Every loader follows the same path (``source`` = ``None`` follows
``config.DATA``):

1. a verified cached copy ``data_home()/real/<name>.npz`` (with its ``.json``
   checksum sidecar) -> the real data, fast and without network;
2. ``offline`` and nothing cached -> the offline stand-in (one warning line);
3. ``auto`` / ``online`` -> fetch through the dataset's own library (MNIST and
   CIFAR-10: ``keras.datasets``; Fashion-MNIST: ``tensorflow_datasets``; SVHN:
   the ``.mat`` files read with ``scipy.io.loadmat``; EEG eye state:
   ``openml``), each with its own cache redirected under ``data_home()``, then
   write the canonical cache atomically;
4. a failed fetch -> ``auto``: the stand-in with the reason in the warning;
   ``online``: a ``RuntimeError`` saying what failed and how to work offline.

Before any fetch a quick connection probe (about 3 s, remembered for the
process) checks that the dataset's host is reachable, so a notebook on a
machine without network falls back in seconds instead of hanging.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .. import config
from .._args import check_float, check_int
from .dataset import (
    CIFAR10_CLASSES,
    DIGIT_CLASSES,
    FASHION_CLASSES,
    Dataset,
    chronological_split,
    warn_standin,
)
from .download import (
    _NETWORK_ERRORS,
    _sleep,
    atomic_save_npz,
    download,
    interactive_progress,
    load_npz_checked,
    verify_npz,
)

__all__ = [
    "REAL_DATASETS",
    "cache_path",
    "cache_status",
    "fetch",
    "load_cifar10",
    "load_eeg_eye_state",
    "load_fashion_mnist",
    "load_mnist",
    "load_svhn",
]


#: The real datasets: where they come from, split sizes, shapes, class names.
#: ``x_shape`` is the shape of one item; ``probe`` the address whose host must
#: answer before a download is tried.
REAL_DATASETS: dict[str, dict[str, Any]] = {
    "mnist": {
        "title": "MNIST handwritten digits",
        "library": "keras.datasets.mnist",
        "n_train": 60000,
        "n_test": 10000,
        "x_shape": (28, 28),
        "class_names": DIGIT_CLASSES,
        "probe": "https://storage.googleapis.com",
    },
    "fashion_mnist": {
        "title": "Fashion-MNIST (Zalando article images)",
        "library": "tensorflow_datasets (fashion_mnist)",
        "n_train": 60000,
        "n_test": 10000,
        "x_shape": (28, 28),
        "class_names": FASHION_CLASSES,
        # tfds's download address for fashion_mnist 3.0.1
        "probe": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
    },
    "cifar10": {
        "title": "CIFAR-10 tiny colour images",
        "library": "keras.datasets.cifar10",
        "n_train": 50000,
        "n_test": 10000,
        "x_shape": (32, 32, 3),
        "class_names": CIFAR10_CLASSES,
        "probe": "https://www.cs.toronto.edu",
    },
    "svhn": {
        "title": "SVHN cropped house-number digits (label 0 = digit 0)",
        "library": "scipy.io.loadmat (ufldl.stanford.edu .mat files)",
        "n_train": 73257,
        "n_test": 26032,
        "x_shape": (32, 32, 3),
        "class_names": DIGIT_CLASSES,
        "probe": "http://ufldl.stanford.edu",
    },
    "eeg_eye_state": {
        "title": "EEG eye state (OpenML 1471), 14 channels in time order",
        "library": "openml (dataset 1471)",
        "openml_id": 1471,
        "n_rows": 14980,
        "n_train": 11984,  # with the default test_size=0.2
        "n_test": 2996,
        "x_shape": (14,),
        "class_names": ("eyes open", "eyes closed"),
        "probe": "https://www.openml.org",
    },
}

#: The SVHN cropped-digit files and their published MD5 sums.
SVHN_FILES: dict[str, tuple[str, str]] = {
    "train": (
        "http://ufldl.stanford.edu/housenumbers/train_32x32.mat",
        "e26dedcc434d2e4c54c9b2d4a06d8373",
    ),
    "test": (
        "http://ufldl.stanford.edu/housenumbers/test_32x32.mat",
        "eb5a983be6a315427106f1b164d9cef3",
    ),
}

_MODES = config.DATA_MODES
AUTO_PROBE_TIMEOUT = 3.0  # seconds; auto mode must fall back quickly
ONLINE_PROBE_TIMEOUT = 10.0
_SOCKET_TIMEOUT = 60.0  # for libraries that download without a timeout
_PROBES: dict[tuple[str, float], str | None] = {}  # (url, timeout) -> problem


# ---------------------------------------------------------------------------
# Arguments, cache files
# ---------------------------------------------------------------------------


def _resolve_mode(source: str | None) -> str:
    if source is None:
        return config.DATA
    if not isinstance(source, str) or source.strip().lower() not in _MODES:
        raise ValueError(
            f"source must be None or one of {', '.join(_MODES)}, got {source!r}"
        )
    return source.strip().lower()


def _check_limit(limit: int | None) -> int | None:
    return check_int(limit, "limit", minimum=1, allow_none=True)


def _check_name(name: str) -> str:
    key = str(name).strip().lower().replace("-", "_")
    if key not in REAL_DATASETS:
        raise ValueError(
            f"unknown dataset {name!r}: expected one of {', '.join(REAL_DATASETS)}"
        )
    return key


def cache_path(name: str) -> Path:
    """Return the canonical cache file ``data_home()/real/<name>.npz``.

    Parameters
    ----------
    name
        One of :data:`REAL_DATASETS`.
    """
    return config.data_home() / "real" / f"{_check_name(name)}.npz"


def _expected_keys(name: str) -> tuple[str, ...]:
    if name == "eeg_eye_state":
        return ("x", "y")
    return ("x_train", "y_train", "x_test", "y_test")


def _check_arrays(name: str, arrays: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless ``arrays`` has the canonical layout of ``name``."""
    spec = REAL_DATASETS[name]
    keys = _expected_keys(name)
    if sorted(arrays) != sorted(keys):
        raise ValueError(f"{name}: expected arrays {keys}, got {sorted(arrays)}")
    n_classes = len(spec["class_names"])
    x_dtype = np.float32 if name == "eeg_eye_state" else np.uint8
    for xk, yk in zip(keys[0::2], keys[1::2]):
        x, y = arrays[xk], arrays[yk]
        if x.dtype != x_dtype or x.shape[1:] != tuple(spec["x_shape"]):
            raise ValueError(
                f"{name}: {xk} should be {np.dtype(x_dtype)} (n, "
                f"{', '.join(map(str, spec['x_shape']))}), got {x.dtype} {x.shape}"
            )
        if y.dtype != np.uint8 or y.shape != (len(x),):
            raise ValueError(
                f"{name}: {yk} should be uint8 ({len(x)},), got {y.dtype} {y.shape}"
            )
        if len(y) == 0 or int(y.max()) >= n_classes:
            raise ValueError(f"{name}: {yk} is empty or has labels >= {n_classes}")


def _read_cache(name: str) -> dict[str, np.ndarray] | None:
    """The verified canonical cache of ``name``, or None if absent or bad."""
    arrays = load_npz_checked(cache_path(name))
    if arrays is None:
        return None
    try:
        _check_arrays(name, arrays)
    except ValueError as exc:
        print(
            f"ignoring damaged cache file {cache_path(name)} ({exc})", file=sys.stderr
        )
        return None
    return arrays


# ---------------------------------------------------------------------------
# Network probe and small context managers
# ---------------------------------------------------------------------------


def _probe(url: str, timeout: float) -> str | None:
    """Return None if ``url``'s host (or the proxy for it) accepts a connection.

    The answer is remembered for the process.  DNS lookup and connection run
    in a helper thread so that a hanging name server cannot block longer than
    ``timeout`` seconds.
    """
    key = (url, timeout)
    if key in _PROBES:
        return _PROBES[key]
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        proxy_parts = urllib.parse.urlsplit(proxy if "//" in proxy else f"//{proxy}")
        host, port = proxy_parts.hostname or host, proxy_parts.port or 8080
    result = [f"no connection to {host}:{port} within {timeout:.0f} s"]

    def attempt() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result[0] = None
        except OSError as exc:
            result[0] = f"cannot reach {host}:{port} ({exc})"

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    _PROBES[key] = result[0]
    return result[0]


def _require_network(name: str, timeout: float) -> None:
    problem = _probe(REAL_DATASETS[name]["probe"], timeout)
    if problem is not None:
        raise ConnectionError(f"no network: {problem}")


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """Give sockets without their own timeout one (libraries using urlretrieve)."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def _retry(func: Callable[[], Any], what: str, retries: int = 2) -> Any:
    """Call ``func``; on a network error try ``retries`` more times (1 s, 2 s)."""
    for attempt in range(retries + 1):
        try:
            return func()
        except ValueError:
            raise  # checksum mismatch and the like: not a network problem
        except Exception as exc:
            # keras.utils.get_file wraps URL errors in a plain Exception.
            network = isinstance(exc, _NETWORK_ERRORS)
            network = network or "URL fetch failure" in str(exc)
            if not network or attempt == retries:
                raise
            print(f"{what}: network error ({exc}); retrying", file=sys.stderr)
            _sleep(2.0**attempt)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------
# Fetchers: one per dataset, each returns the canonical arrays
# ---------------------------------------------------------------------------


@contextmanager
def _keras_cache(load_data: Callable, progress: bool) -> Iterator[None]:
    """Make a ``keras.datasets`` loader cache under ``data_home()/keras``.

    Keras 3 loaders call ``get_file(fname, origin, file_hash=...)`` with the
    default cache folder (``~/.keras``, fixed when Keras is imported); this
    swaps the loader module's ``get_file`` for one that adds
    ``cache_dir=data_home()/"keras"``, keeping Keras's origin and checksum.
    """
    import keras

    namespace = load_data.__globals__
    original = namespace.get("get_file")
    if original is None:
        raise RuntimeError(
            f"{load_data.__module__} does not use get_file; this Keras version "
            "is not supported by cnnrnn_helpers.data"
        )
    cache_dir = str(config.data_home() / "keras")

    def get_file(*args: Any, **kwargs: Any) -> str:
        kwargs["cache_dir"] = cache_dir
        return original(*args, **kwargs)

    was_interactive = keras.config.is_interactive_logging_enabled()
    if not interactive_progress(progress):
        keras.config.disable_interactive_logging()
    namespace["get_file"] = get_file
    try:
        with _socket_timeout(_SOCKET_TIMEOUT):
            yield
    finally:
        namespace["get_file"] = original
        if was_interactive:
            keras.config.enable_interactive_logging()


def _fetch_keras(name: str, progress: bool) -> dict[str, np.ndarray]:
    """``keras.datasets.<name>.load_data()`` as NHWC/NHW uint8 + flat labels."""
    import keras

    load = getattr(keras.datasets, name).load_data
    with _keras_cache(load, progress):
        (x_train, y_train), (x_test, y_test) = _retry(load, name)
    if x_train.shape[1:] == (3, 32, 32):  # image_data_format channels_first
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return {
        "x_train": np.ascontiguousarray(x_train, np.uint8),
        "y_train": np.asarray(y_train, np.uint8).reshape(-1),
        "x_test": np.ascontiguousarray(x_test, np.uint8),
        "y_test": np.asarray(y_test, np.uint8).reshape(-1),
    }


def _fetch_mnist(progress: bool) -> dict[str, np.ndarray]:
    return _fetch_keras("mnist", progress)


def _fetch_cifar10(progress: bool) -> dict[str, np.ndarray]:
    return _fetch_keras("cifar10", progress)


def _fetch_fashion_mnist(progress: bool) -> dict[str, np.ndarray]:
    import tensorflow_datasets as tfds

    # tfds.load(..., batch_size=-1) aborts under tfds.testing.mock_data with
    # TF 2.21, so read each split in batches instead (same arrays in both).
    tfds.display_progress_bar(interactive_progress(progress))
    try:
        with _socket_timeout(_SOCKET_TIMEOUT):
            splits = tfds.load(
                "fashion_mnist",
                split=["train", "test"],
                data_dir=str(config.data_home() / "tfds"),
                as_supervised=True,
                shuffle_files=False,
                download=True,
            )
    finally:
        tfds.display_progress_bar(True)
    arrays = {}
    for key, split in zip(("train", "test"), splits):
        xs, ys = [], []
        for x, y in tfds.as_numpy(split.batch(10000)):
            xs.append(x)
            ys.append(y)
        x = np.concatenate(xs)
        arrays[f"x_{key}"] = np.asarray(x, np.uint8).reshape(len(x), 28, 28)
        arrays[f"y_{key}"] = np.asarray(np.concatenate(ys), np.uint8)
    return arrays


def _fetch_svhn(progress: bool) -> dict[str, np.ndarray]:
    import scipy.io

    folder = config.data_home() / "svhn"
    arrays = {}
    for key, (url, md5) in SVHN_FILES.items():
        name = url.rsplit("/", 1)[-1]
        path = download(url, folder / name, md5=md5, progress=progress)
        mat = scipy.io.loadmat(path)  # MATLAB v5 file, no pickle involved
        x = np.asarray(mat["X"])  # (32, 32, 3, n)
        y = np.asarray(mat["y"]).reshape(-1).astype(np.int64)  # 1..10
        if x.ndim != 4 or x.shape[:3] != (32, 32, 3) or x.shape[3] != len(y):
            raise ValueError(f"svhn: unexpected arrays in {name}: X {x.shape}")
        y[y == 10] = 0  # the files label the digit 0 as 10
        arrays[f"x_{key}"] = np.ascontiguousarray(
            np.transpose(x, (3, 0, 1, 2)), np.uint8
        )
        arrays[f"y_{key}"] = y.astype(np.uint8)
    return arrays


@contextmanager
def _openml_cache(root: Path, progress: bool) -> Iterator[None]:
    """Point openml's cache at ``root`` (and its progress switch); restore after."""
    import openml

    old_root = openml.config.get_config_as_dict()["cachedir"]
    old_progress = openml.config.show_progress
    openml.config.set_root_cache_directory(str(root))
    openml.config.show_progress = interactive_progress(progress)
    try:
        with _socket_timeout(_SOCKET_TIMEOUT):
            yield
    finally:
        openml.config.set_root_cache_directory(old_root)
        openml.config.show_progress = old_progress


def _openml_table(dataset: Any):
    """Read the downloaded data file of an OpenML dataset as a DataFrame.

    Reads openml's parquet (or ARFF) file directly instead of
    ``dataset.get_data()``, which would write a pickle cache next to it.
    """
    import pandas as pd

    parquet = getattr(dataset, "parquet_file", None)
    if parquet and Path(parquet).is_file():
        return pd.read_parquet(parquet)
    arff_file = getattr(dataset, "data_file", None)
    if arff_file and Path(arff_file).is_file():
        import arff  # liac-arff, an openml dependency

        with open(arff_file, encoding="utf-8") as fh:
            table = arff.load(fh)
        columns = [attribute[0] for attribute in table["attributes"]]
        return pd.DataFrame(table["data"], columns=columns)
    raise FileNotFoundError("openml returned no data file (parquet or ARFF)")


def _fetch_eeg_eye_state(progress: bool) -> dict[str, np.ndarray]:
    import openml

    spec = REAL_DATASETS["eeg_eye_state"]
    with _openml_cache(config.data_home() / "openml", progress):
        dataset = openml.datasets.get_dataset(
            spec["openml_id"],
            download_data=True,
            download_qualities=False,
            download_features_meta_data=False,
        )
        frame = _openml_table(dataset)
    target = dataset.default_target_attribute or "Class"
    skip = {target}
    for extra in (dataset.row_id_attribute, dataset.ignore_attribute):
        if isinstance(extra, str):
            skip.add(extra)
        elif extra:
            skip.update(extra)
    features = [c for c in frame.columns if c not in skip]
    x = frame[features].to_numpy(dtype=np.float32)
    # OpenML stores the UCI labels 0 (open) / 1 (closed) as "1" / "2".
    codes = frame[target].astype(str).str.strip()
    mapping = {"1": 0, "2": 1}
    unknown = set(codes.unique()) - set(mapping)
    if unknown:
        raise ValueError(f"eeg_eye_state: unexpected target values {sorted(unknown)}")
    y = codes.map(mapping).to_numpy(dtype=np.uint8)
    return {"x": np.ascontiguousarray(x), "y": y}


#: name -> function(progress) returning the canonical arrays (tests replace these)
_FETCHERS: dict[str, Callable[[bool], dict[str, np.ndarray]]] = {
    "mnist": _fetch_mnist,
    "fashion_mnist": _fetch_fashion_mnist,
    "cifar10": _fetch_cifar10,
    "svhn": _fetch_svhn,
    "eeg_eye_state": _fetch_eeg_eye_state,
}


def _fetch_to_cache(name: str, *, progress: bool, probe_timeout: float) -> dict:
    """Probe the network, fetch ``name``, check and cache it; return the arrays."""
    _require_network(name, probe_timeout)
    arrays = _FETCHERS[name](progress)
    _check_arrays(name, arrays)
    atomic_save_npz(cache_path(name), **arrays)
    return arrays


# ---------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------


def _cap(array: np.ndarray, limit: int | None) -> np.ndarray:
    """The first ``limit`` items, copied so the full array can be freed."""
    if limit is None or limit >= len(array):
        return array
    return array[:limit].copy()


def _real(name: str, arrays: dict, limit: int | None, test_size: float) -> Dataset:
    spec = REAL_DATASETS[name]
    info: dict[str, Any] = {
        "origin": spec["library"],
        "title": spec["title"],
        "cache": str(cache_path(name)),
    }
    if name == "eeg_eye_state":
        x_train, y_train, x_test, y_test = chronological_split(
            arrays["x"], arrays["y"], test_size
        )
        info.update(test_size=test_size, split="chronological, not shuffled")
    else:
        x_train, y_train = arrays["x_train"], arrays["y_train"]
        x_test, y_test = arrays["x_test"], arrays["y_test"]
    return Dataset(
        name=name,
        x_train=_cap(x_train, limit),
        y_train=_cap(y_train, limit),
        x_test=_cap(x_test, limit),
        y_test=_cap(y_test, limit),
        class_names=tuple(spec["class_names"]),
        source="real",
        info=info,
    )


def _standin(name: str, limit: int | None, test_size: float, reason: str) -> Dataset:
    from . import standins

    spec = REAL_DATASETS[name]
    if name == "eeg_eye_state":
        # Small enough to make whole: the split then matches the real one.
        x, y = standins.standin_eeg_eye_state(n_rows=spec["n_rows"], seed=0)
        x_train, y_train, x_test, y_test = chronological_split(x, y, test_size)
        warn_standin(name, reason)
        return Dataset(
            name=name,
            x_train=_cap(x_train, limit),
            y_train=_cap(y_train, limit),
            x_test=_cap(x_test, limit),
            y_test=_cap(y_test, limit),
            class_names=tuple(spec["class_names"]),
            source="stand-in",
            info={
                "origin": "cnnrnn_helpers.data.standins.standin_eeg_eye_state",
                "reason": reason,
                "test_size": test_size,
                "split": "chronological, not shuffled",
            },
        )
    make = getattr(standins, f"standin_{name}")
    n_train = spec["n_train"] if limit is None else min(limit, spec["n_train"])
    n_test = spec["n_test"] if limit is None else min(limit, spec["n_test"])
    dataset = make(n_train, n_test, seed=0)
    warn_standin(name, reason)  # after making it: one line, only on success
    return dataset


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _load(
    name: str, source: str | None, limit: int | None, test_size: float = 0.2
) -> Dataset:
    mode = _resolve_mode(source)
    limit = _check_limit(limit)
    arrays = _read_cache(name)
    if arrays is not None:
        return _real(name, arrays, limit, test_size)
    if mode == "offline":
        why = "CNNRNN_DATA=offline" if source is None else "source='offline'"
        return _standin(name, limit, test_size, f"{why} and no cached real copy")
    timeout = AUTO_PROBE_TIMEOUT if mode == "auto" else ONLINE_PROBE_TIMEOUT
    try:
        arrays = _fetch_to_cache(name, progress=True, probe_timeout=timeout)
    except Exception as exc:
        if mode == "online":
            raise RuntimeError(
                f"{name}: could not fetch the real dataset through "
                f"{REAL_DATASETS[name]['library']}: {type(exc).__name__}: "
                f"{_short(exc)}. To work without network use the offline stand-in "
                "(CNNRNN_DATA=offline or source='offline'), or run `cnnrnn fetch "
                f"{name}` on a machine with network and copy {cache_path(name)} "
                "and its .json sidecar here."
            ) from exc
        return _standin(
            name,
            limit,
            test_size,
            f"download failed: {type(exc).__name__}: {_short(exc)}",
        )
    return _real(name, arrays, limit, test_size)


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
    ValueError
        ``source`` not one of the modes, or ``limit < 1``.
    RuntimeError
        ``source="online"`` (or ``CNNRNN_DATA=online``) and the download failed.
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
        title=REAL_DATASETS[_name]["title"],
        library=REAL_DATASETS[_name]["library"],
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


def _names(names: str | Iterable[str] | None) -> list[str]:
    if names is None:
        return list(REAL_DATASETS)
    if isinstance(names, str):
        names = [names]
    checked = [_check_name(n) for n in names]
    return list(dict.fromkeys(checked))


def fetch(
    names: str | Iterable[str] | None = None, progress: bool = True
) -> list[dict[str, Any]]:
    """Download real datasets into the canonical cache (``cnnrnn fetch``).

    A dataset whose cache verifies (SHA-256) is not downloaded again; a
    corrupt or partial one is fetched again.  Failures do not stop the other
    datasets and never leave files that a later run would use.

    Parameters
    ----------
    names
        Dataset names from :data:`REAL_DATASETS` (``"-"`` may be written for
        ``"_"``); ``None`` for all of them.
    progress
        Progress bars on a terminal (one start/end line elsewhere).

    Returns
    -------
    list of dict
        One report per dataset: ``name``, ``ok`` (bool), ``size`` (bytes of
        the cache file, or None), ``path``, and ``message`` (when ok) or
        ``error`` (when not).

    Raises
    ------
    ValueError
        An unknown dataset name.
    """
    reports = []
    for name in _names(names):
        path = cache_path(name)
        report: dict[str, Any] = {"name": name, "path": str(path)}
        if verify_npz(path, full=True) is None:
            report.update(ok=True, size=path.stat().st_size, message="already cached")
            reports.append(report)
            continue
        started = time.monotonic()
        try:
            _fetch_to_cache(name, progress=progress, probe_timeout=ONLINE_PROBE_TIMEOUT)
        except Exception as exc:
            report.update(
                ok=False,
                size=None,
                error=f"{type(exc).__name__}: {_short(exc)} "
                f"(via {REAL_DATASETS[name]['library']})",
            )
        else:
            seconds = time.monotonic() - started
            report.update(
                ok=True,
                size=path.stat().st_size,
                message=f"fetched in {seconds:.0f} s",
            )
        reports.append(report)
    return reports


def cache_status() -> list[dict[str, Any]]:
    """Say which real datasets are cached (``cnnrnn doctor``).

    A quick check (the file and its sidecar exist and the size matches; the
    loaders verify the SHA-256 when they read the file).

    Returns
    -------
    list of dict
        Per dataset: ``name``, ``cached`` (bool), ``size`` (bytes or None),
        ``path`` and ``source`` (what a loader would return right now
        without network: ``"real (cached)"`` or ``"stand-in (not cached)"``).
    """
    rows = []
    for name in REAL_DATASETS:
        path = cache_path(name)
        cached = verify_npz(path, full=False) is None
        rows.append(
            {
                "name": name,
                "cached": cached,
                "size": path.stat().st_size if cached else None,
                "path": str(path),
                "source": "real (cached)" if cached else "stand-in (not cached)",
            }
        )
    return rows
