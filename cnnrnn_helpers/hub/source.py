"""Where the CIFAR-10 classifier of sheet 1 task 3 comes from: real or stand-in.

The real module's cache and download are a data source like the datasets
(:mod:`cnnrnn_helpers.data.hub_module`); this module only chooses between it
and the stand-in (:mod:`.standin`).

The same rule as for the datasets (:func:`cnnrnn_helpers.data.sources.resolve`):
a cached real module is used in every mode, ``offline`` without one gives
the stand-in, ``auto`` downloads and falls back to the stand-in only on a
network error, ``online`` downloads or raises.  The real module lives in
``TFHUB_CACHE_DIR`` (by default ``data_home()/hub/tfhub_cache``) under the
SHA-1 of its handle, as ``tensorflow_hub`` stores it; the checksum of its
files is recorded next to it after the first download (``<sha1>.cnnrnn.json``)
and checked whenever it is used, so a damaged copy counts as not cached.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .. import results
from ..data import sources
from ..data.dataset import warn_standin
from ..data.hub_module import (
    CIFAR10_HANDLE,
    MODULE_DATASET,
    PROBE_URL,
    cached_module_dir,
    download_module,
    module_dir,
    sidecar,
)

__all__ = ["MODULE_DATASET", "ResolvedModule", "resolve_cifar10_module"]


class ResolvedModule(NamedTuple):
    """Where the CIFAR-10 classifier comes from.

    Attributes
    ----------
    handle
        Local directory to pass to :class:`HubModule` / :func:`load_module`.
    source
        ``"real"`` (the DeepMind module) or ``"stand-in"``.
    origin
        The URL of the real module, or a note on the stand-in.
    """

    handle: str
    source: str
    origin: str

    @property
    def is_standin(self) -> bool:
        """True for the offline stand-in."""
        return self.source == "stand-in"

    def describe(self) -> str:
        """One line for notebook output."""
        label = "OFFLINE STAND-IN" if self.is_standin else "real module"
        return f"CIFAR-10 classifier [{label}]: {self.origin}"


def resolve_cifar10_module(source: str | None = None) -> ResolvedModule:
    """Return the CIFAR-10 classifier to load: the real module or the stand-in.

    Parameters
    ----------
    source
        ``None`` (follow ``config.DATA``), ``"auto"`` (cached real module,
        else download it, else on a network error the stand-in),
        ``"online"`` (cached or downloaded real module, else
        :class:`~cnnrnn_helpers.data.sources.SourceUnavailable`, a
        ``ConnectionError``) or ``"offline"`` (cached real module, else the
        stand-in; never the network).

    Returns
    -------
    ResolvedModule
        ``handle`` is a local directory in every case, so the notebook loads
        both the same way.  The stand-in prints the usual WARNING line.
    """
    from . import standin

    def real(path: Path) -> ResolvedModule:
        results.note_source(MODULE_DATASET, "real")
        return ResolvedModule(str(path), "real", CIFAR10_HANDLE)

    def cached() -> ResolvedModule | None:
        folder = cached_module_dir()
        return None if folder is None else real(folder)

    def make_standin(reason: str) -> ResolvedModule:
        path = standin.standin_cifar10_module()
        warn_standin(MODULE_DATASET, reason)
        results.note_source(MODULE_DATASET, "stand-in")
        return ResolvedModule(
            str(path),
            "stand-in",
            "small convnet trained on the offline CIFAR-10 stand-in",
        )

    return sources.resolve(
        MODULE_DATASET,
        source,
        cached=cached,
        fetch=lambda: real(download_module()),
        standin=make_standin,
        probe_url=PROBE_URL,
        origin=f"tensorflow_hub ({CIFAR10_HANDLE})",
        hint=f"run `cnnrnn fetch {MODULE_DATASET}` on a machine with network and "
        f"copy {module_dir()} and {sidecar(module_dir()).name} here.",
    )
