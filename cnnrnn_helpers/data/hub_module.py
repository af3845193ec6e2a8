"""The real CIFAR-10 classifier of sheet 1 task 3 as a data source: cache and fetch.

The TF Hub module is fetched and cached like the datasets, so this part lives
in the data layer (``cnnrnn fetch`` and ``cache_status`` list it beside them).
Choosing between it and the offline stand-in, by the same rule as for the
datasets (:func:`cnnrnn_helpers.data.sources.resolve`), is
:func:`cnnrnn_helpers.hub.resolve_cifar10_module`; the Keras layer that loads
it is :class:`cnnrnn_helpers.hub.HubModule`.  This module imports neither
TensorFlow nor :mod:`cnnrnn_helpers.hub`.  The real module lives in
``TFHUB_CACHE_DIR`` (by default ``data_home()/hub/tfhub_cache``) under the
SHA-1 of its handle, as ``tensorflow_hub`` stores it; the checksum of its
files is recorded next to it after the first download (``<sha1>.cnnrnn.json``)
and checked whenever it is used, so a damaged copy counts as not cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from .. import config
from ..terminal import format_duration
from . import sources
from .download import file_sha256

__all__ = [
    "CIFAR10_HANDLE",
    "MODULE_DATASET",
    "cached_module_dir",
    "download_module",
    "fetch_module",
    "hub_cache_dir",
    "module_dir",
    "module_status",
    "sidecar",
]

#: The name under which the module's source is noted in :mod:`.results`.
MODULE_DATASET = "ganeval-cifar10-convnet"
#: The host that must answer before the module is downloaded.
PROBE_URL = "https://tfhub.dev"
#: The pretrained CIFAR-10 classifier of sheet 1, task 3 (TF1 Hub format).
CIFAR10_HANDLE = "https://tfhub.dev/deepmind/ganeval-cifar10-convnet/1"


def hub_cache_dir() -> Path:
    """Where tensorflow_hub caches downloads (``TFHUB_CACHE_DIR`` wins)."""
    env = os.environ.get("TFHUB_CACHE_DIR", "").strip()
    return Path(env) if env else config.data_home() / "hub" / "tfhub_cache"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf8")).hexdigest()


def module_dir(handle: str = CIFAR10_HANDLE) -> Path:
    """Where ``tensorflow_hub`` keeps ``handle`` (it names the folder by SHA-1)."""
    return hub_cache_dir() / _sha1(handle)


def sidecar(folder: Path) -> Path:
    """The checksum record kept next to a cached module folder."""
    return folder.with_name(folder.name + ".cnnrnn.json")


def _tree_digest(folder: Path) -> tuple[str, int, int]:
    """SHA-256 over every file's relative path and SHA-256; bytes; files."""
    digest = hashlib.sha256()
    size = count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        digest.update(rel.encode("utf8") + b"\0" + file_sha256(path).encode() + b"\n")
        size += path.stat().st_size
        count += 1
    return digest.hexdigest(), size, count


def _record(folder: Path, handle: str) -> dict[str, Any]:
    """Write the checksum sidecar of a freshly downloaded module; return it."""
    sha, size, count = _tree_digest(folder)
    meta = {
        "handle": handle,
        "sha256": sha,
        "size": size,
        "files": count,
        "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    side = sidecar(folder)
    tmp = side.with_name(side.name + ".part")
    tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(tmp, side)
    return meta


def cached_module_dir(handle: str = CIFAR10_HANDLE) -> Path | None:
    """The verified cached real module, or ``None``.

    A folder with a ``saved_model.pb`` counts; its files must match the
    recorded checksum (recorded now if there is none yet, e.g. when
    ``tensorflow_hub`` downloaded it by itself).  A mismatch is reported in
    one stderr line and counts as not cached.
    """
    folder = module_dir(handle)
    if not (folder / "saved_model.pb").is_file():
        return None
    side = sidecar(folder)
    try:
        want = json.loads(side.read_text(encoding="utf-8"))["sha256"]
    except FileNotFoundError:
        _record(folder, handle)
        return folder
    except (ValueError, KeyError, TypeError):
        want = None
    if want is None or _tree_digest(folder)[0] != want:
        print(
            f"ignoring damaged cached module {folder} (checksum mismatch)",
            file=sys.stderr,
        )
        return None
    return folder


def download_module(handle: str = CIFAR10_HANDLE) -> Path:
    """Download ``handle`` with ``tensorflow_hub`` and record its checksum."""
    import tensorflow_hub as hub

    os.environ.setdefault("TFHUB_CACHE_DIR", str(hub_cache_dir()))
    with sources.socket_timeout():
        path = Path(hub.resolve(handle))
    if (path / "saved_model.pb").is_file():
        _record(path, handle)
    return path


def fetch_module(progress: bool = True) -> dict[str, Any]:
    """Download the real module for ``cnnrnn fetch``; a report like the datasets'.

    Returns
    -------
    dict
        ``name``, ``ok``, ``size`` (bytes of the module's files or None),
        ``path``, and ``message`` or ``error``.
    """
    del progress  # tensorflow_hub shows no progress bar of its own
    folder = module_dir()
    report: dict[str, Any] = {"name": MODULE_DATASET, "path": str(folder)}
    if cached_module_dir() is not None:
        size = _tree_digest(folder)[1]
        return dict(report, ok=True, size=size, message="already cached")
    started = time.monotonic()
    try:
        sources.require_network(PROBE_URL, sources.ONLINE_PROBE_TIMEOUT)
        path = download_module()
    except Exception as exc:
        if isinstance(exc, MemoryError):
            raise
        error = f"{type(exc).__name__}: {sources.short(exc)} (via tensorflow_hub)"
        return dict(report, ok=False, size=None, error=error)
    seconds = time.monotonic() - started
    return dict(
        report,
        path=str(path),
        ok=True,
        size=_tree_digest(path)[1],
        message=f"fetched in {format_duration(seconds)}",
    )


def module_status() -> dict[str, Any]:
    """A ``cache_status`` row for the module (quick: no checksum computed)."""
    folder = module_dir()
    cached = (folder / "saved_model.pb").is_file()
    size = None
    if cached:
        try:
            size = int(json.loads(sidecar(folder).read_text("utf-8"))["size"])
        except (OSError, ValueError, KeyError, TypeError):
            size = None
    return {
        "name": MODULE_DATASET,
        "cached": cached,
        "size": size,
        "path": str(folder),
        "source": "real (cached)" if cached else "stand-in (not cached)",
    }
