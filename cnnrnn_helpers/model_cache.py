"""Train a model once, reuse it in later notebooks: a checked on-disk cache.

Some notebooks study models that an earlier notebook has already trained
(sheet 2: task 3 probes the gradients of the nine MLPs that task 2 trains).
:func:`fit_or_load` stores a trained model under ``config.data_home()/"models"``,
keyed by everything that determines it (architecture, training settings,
profile, data source, seed), and hands it back on the next call with the same
key instead of training again.

Each entry is two files named by a digest of the key:

``<digest>.keras``
    the model, written by ``model.save`` to a temporary file first and then
    moved into place with :func:`os.replace` (a crash never leaves half a file);
``<digest>.json``
    the sidecar: the key itself, the SHA-256 of the ``.keras`` file, the Keras
    version and whatever JSON-ready value the training function returned
    (e.g. the history), so a cache hit can show the same curves.

An entry counts as a hit only if the sidecar parses, its key equals the
requested key, the file's SHA-256 matches, the file loads, and the loaded
model has the same layers, output shapes and parameter counts as a freshly
built one.  Anything else (stale key, corrupt or truncated file, changed
builder) is reported in one line and the model is trained and stored again.

Examples
--------
>>> from cnnrnn_helpers import model_cache, models
>>> key = {"arch": "deep_mlp", "depth": 5, "profile": "smoke", "seed": 42}
>>> def train(model):  # doctest: +SKIP
...     model.compile("sgd", "categorical_crossentropy")
...     return model.fit(x, y, verbose=0).history
>>> entry = model_cache.fit_or_load(key, lambda: models.deep_mlp(5), train)
... # doctest: +SKIP
>>> entry.model, entry.loaded, entry.info  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "CacheEntry",
    "cache_dir",
    "entry_paths",
    "fit_or_load",
    "key_digest",
]

#: Bumped when the layout of the cache files changes (old entries go stale).
FORMAT = 1


class CacheEntry(NamedTuple):
    """What :func:`fit_or_load` returns.

    Attributes
    ----------
    model
        The trained Keras model (loaded from the cache or just trained).
    loaded
        ``True`` if it came from the cache, ``False`` if it was trained now.
    info
        The value the training function returned (JSON round-tripped), or the
        stored one on a cache hit; ``None`` if it returned nothing storable.
    """

    model: Any
    loaded: bool
    info: Any


def cache_dir() -> Path:
    """The folder of the model cache, ``config.data_home() / "models"``."""
    from . import config

    return config.data_home() / "models"


def _canonical(key: Mapping[str, Any]) -> str:
    if not isinstance(key, Mapping) or not key:
        raise TypeError(f"key must be a non-empty mapping, got {key!r}")
    for name in key:
        if not isinstance(name, str):
            raise TypeError(f"key names must be str, got {name!r}")
    try:
        return json.dumps(key, sort_keys=True, separators=(",", ":"), default=_jsonable)
    except (TypeError, ValueError) as err:
        raise TypeError(f"key must hold JSON-ready values only: {err}") from None


def _jsonable(value: Any) -> Any:
    """JSON fallback: NumPy scalars and arrays become Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def key_digest(key: Mapping[str, Any]) -> str:
    """A 20-character hex digest of ``key`` (order of the entries does not matter).

    Raises
    ------
    TypeError
        If ``key`` is not a non-empty mapping of str to JSON-ready values.
    """
    text = f"{FORMAT}:{_canonical(key)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def entry_paths(
    key: Mapping[str, Any], directory: str | os.PathLike | None = None
) -> tuple[Path, Path]:
    """``(model file, sidecar file)`` of the cache entry for ``key``."""
    folder = Path(directory) if directory is not None else cache_dir()
    digest = key_digest(key)
    return folder / f"{digest}.keras", folder / f"{digest}.json"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _try_load(
    key: Mapping[str, Any], model_path: Path, meta_path: Path, build: Callable
) -> tuple[Any, Any] | str:
    """The cached ``(model, info)``, or a text saying why the entry is unusable."""
    import keras

    from .models import summary_table

    if not model_path.exists() or not meta_path.exists():
        return "not cached yet"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return "sidecar unreadable"
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return "sidecar of another cache format"
    if meta.get("key") != json.loads(_canonical(key)):
        return "stale entry (its key differs)"
    if meta.get("sha256") != _sha256(model_path):
        return "model file corrupt (checksum differs)"
    try:
        model = keras.models.load_model(model_path)
    except Exception as err:  # any load failure means: rebuild
        return f"model file does not load ({type(err).__name__})"
    if summary_table(model) != summary_table(build()):
        return "stale entry (the builder now makes another network)"
    return model, meta.get("info")


def _store(
    key: Mapping[str, Any], model: Any, info: Any, model_path: Path, meta_path: Path
) -> Any:
    import keras

    model_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        info = json.loads(json.dumps(info, default=_jsonable))
    except (TypeError, ValueError):
        info = None
    fd, tmp = tempfile.mkstemp(dir=model_path.parent, prefix=".tmp-", suffix=".keras")
    os.close(fd)
    try:
        model.save(tmp)
        digest = _sha256(Path(tmp))
        os.replace(tmp, model_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    meta = {
        "format": FORMAT,
        "key": json.loads(_canonical(key)),
        "sha256": digest,
        "keras": keras.__version__,
        "info": info,
    }
    fd, tmp = tempfile.mkstemp(dir=meta_path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1)
    os.replace(tmp, meta_path)
    return info


def fit_or_load(
    key: Mapping[str, Any],
    build: Callable[[], Any],
    fit: Callable[[Any], Any],
    *,
    refit: bool = False,
    directory: str | os.PathLike | None = None,
    verbose: bool = True,
) -> CacheEntry:
    """The model cached under ``key``, or a newly built and trained one (then cached).

    Parameters
    ----------
    key
        Everything that determines the trained model, as a mapping of str to
        JSON-ready values (numbers, texts, lists), e.g. ``{"arch": "deep_mlp",
        "depth": 5, "activation": "relu", "epochs": 3, "profile": "full",
        "data": "real", "seed": 42}``.  Entry order does not matter.
    build
        Returns a new, built Keras model (seed it inside if the weights should
        be reproducible).  Also called on a cache hit, to check that the
        cached network still has the same layers, shapes and parameters.
    fit
        Trains the model it is given in place (compile, ``fit``); its return
        value, if JSON-ready (e.g. ``history.history``), is stored beside the
        model and returned as ``info``.
    refit
        Train and store again even if a valid entry exists.
    directory
        Cache folder; default :func:`cache_dir`.
    verbose
        Print one line saying whether the model was loaded or trained, and why.

    Returns
    -------
    CacheEntry
        ``(model, loaded, info)``.

    Raises
    ------
    TypeError
        If ``key`` is not a mapping of str to JSON-ready values, or ``build``
        / ``fit`` are not callable.
    """
    if not callable(build) or not callable(fit):
        raise TypeError("build and fit must be callables")
    model_path, meta_path = entry_paths(key, directory)
    why = "refit requested" if refit else None
    if not refit:
        found = _try_load(key, model_path, meta_path, build)
        if not isinstance(found, str):
            model, info = found
            if verbose:
                print(f"model cache: loaded {model_path.name} (trained earlier)")
            return CacheEntry(model, True, info)
        why = found
    model = build()
    info = fit(model)
    info = _store(key, model, info, model_path, meta_path)
    if verbose:
        print(f"model cache: trained and stored {model_path.name} ({why})")
    return CacheEntry(model, False, info)
