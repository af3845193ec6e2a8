"""Atomic, checksummed, retried downloads and a verified ``.npz`` cache format.

Nothing here ever leaves a half-written file where a later run could mistake
it for data:

* :func:`download` streams into a hidden temporary file next to the target,
  checks the checksum and only then renames it into place (``os.replace`` is
  atomic on one file system).  On any error, or Ctrl-C, the temporary file is
  deleted.
* :func:`atomic_save_npz` writes arrays the same way and adds a ``.json``
  sidecar with the file's SHA-256 and the array shapes;
  :func:`load_npz_checked` refuses (returns ``None`` for) a file whose sidecar
  is missing or does not match, so a truncated or corrupted cache counts as
  "not cached".  Arrays are loaded without pickle.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .. import terminal
from .._args import check_float, check_int

__all__ = [
    "atomic_save_npz",
    "download",
    "file_sha256",
    "human_size",
    "interactive_progress",
    "load_npz_checked",
    "npz_meta",
    "sidecar_path",
    "verify_npz",
]

_CHUNK = 1 << 20  # 1 MiB per read
_SCHEMES = ("http://", "https://", "file://")

# Errors worth another attempt: the network, not the data, went wrong.
_NETWORK_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    socket.timeout,
)


def _sleep(seconds: float) -> None:
    """Wait between retries (a separate function so tests can skip the wait)."""
    time.sleep(seconds)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def interactive_progress(progress: bool = True) -> bool:
    """Return True when a live (carriage-return) progress bar is wanted.

    Only on a terminal, never in CI (``CI=true``) and never when the caller
    passed ``progress=False``; otherwise callers print one line at the start
    and one at the end of a download.
    """
    return terminal.interactive(progress, sys.stderr)


def human_size(n: int | None) -> str:
    """``1536`` -> ``"1.5 kB"`` (``None`` -> ``"unknown size"``)."""
    if n is None:
        return "unknown size"
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def file_sha256(path: str | os.PathLike) -> str:
    """Return the hex SHA-256 digest of a file (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_hex(value: str | None, length: int, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a hex string, got {type(value).__name__}")
    value = value.strip().lower()
    if len(value) != length or any(c not in "0123456789abcdef" for c in value):
        raise ValueError(f"{name} must be {length} hex digits, got {value!r}")
    return value


def _stream_once(
    url: str, tmp: Path, timeout: float, progress: bool, label: str
) -> tuple[str, str, int]:
    """Copy ``url`` into ``tmp``; return (sha256, md5, number of bytes)."""
    sha = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    n_bytes = 0
    with urllib.request.urlopen(url, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        bar = None
        if interactive_progress(progress):
            from tqdm.auto import tqdm

            bar = tqdm(
                total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label
            )
        else:
            _log(f"downloading {label}: {url} ({human_size(total)}) ...")
        started = time.monotonic()
        try:
            with open(tmp, "wb") as out:
                while True:
                    block = response.read(_CHUNK)
                    if not block:
                        break
                    out.write(block)
                    sha.update(block)
                    md5.update(block)
                    n_bytes += len(block)
                    if bar is not None:
                        bar.update(len(block))
                out.flush()
                os.fsync(out.fileno())
        finally:
            if bar is not None:
                bar.close()
        if total is not None and n_bytes != total:
            raise http.client.IncompleteRead(b"", total - n_bytes)
        if bar is None:
            seconds = time.monotonic() - started
            _log(f"downloaded {label}: {human_size(n_bytes)} in {seconds:.1f} s")
    return sha.hexdigest(), md5.hexdigest(), n_bytes


def download(
    url: str,
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    md5: str | None = None,
    retries: int = 3,
    timeout: float = 30,
    progress: bool = True,
) -> Path:
    """Download ``url`` to ``dest`` atomically, with checksum and retries.

    The bytes are streamed into a hidden temporary file in ``dest``'s folder,
    verified, and renamed to ``dest`` only when complete and correct.  A file
    already at ``dest`` is kept when it matches the given checksum (or when
    no checksum is given: it can only have got there complete).

    Parameters
    ----------
    url
        ``http://``, ``https://`` or ``file://`` address.
    dest
        Target file path; its folder is created if needed.
    sha256, md5
        Expected hex digests (64 / 32 hex digits); either, both or none.
    retries
        How many more attempts after a *network* error (connection refused or
        dropped, timeout, HTTP 5xx), waiting 1, 2, 4, ... s in between.  A
        checksum mismatch or an HTTP 4xx error is not retried.
    timeout
        Seconds to wait for the connection and for each read.
    progress
        Show a byte progress bar on a terminal; otherwise (also in CI or a
        notebook) print one line at the start and one at the end.

    Returns
    -------
    pathlib.Path
        ``dest``, now a complete, verified file.

    Raises
    ------
    ValueError
        Bad arguments, or the downloaded file does not match the checksum
        (nothing is left on disk).
    OSError
        The last network error after all retries (``urllib.error.URLError``,
        ``TimeoutError``, ...).
    """
    if not isinstance(url, str) or not url.startswith(_SCHEMES):
        raise ValueError(f"url must start with one of {_SCHEMES}, got {url!r}")
    sha256 = _check_hex(sha256, 64, "sha256")
    md5 = _check_hex(md5, 32, "md5")
    retries = check_int(retries, "retries", minimum=0)
    timeout = check_float(timeout, "timeout", low=0.0, low_open=True)
    dest = Path(dest).expanduser().resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)

    if dest.is_file():
        ok = (sha256 is None or file_sha256(dest) == sha256) and (
            md5 is None or _file_md5(dest) == md5
        )
        if ok:
            return dest
        _log(f"{dest.name}: existing file fails its checksum, downloading again")

    attempt = 0
    while True:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{dest.name}.", suffix=".part", dir=dest.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            got_sha, got_md5, _ = _stream_once(url, tmp, timeout, progress, dest.name)
            for algo, want, got in (("sha256", sha256, got_sha), ("md5", md5, got_md5)):
                if want is not None and got != want:
                    raise ValueError(
                        f"{dest.name}: {algo} checksum mismatch (expected {want}, "
                        f"got {got}); the download was deleted"
                    )
            os.replace(tmp, dest)
            return dest
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt >= retries:
                raise
            error: BaseException = exc
        except _NETWORK_ERRORS as exc:
            missing = isinstance(getattr(exc, "reason", None), FileNotFoundError)
            if attempt >= retries or missing:
                raise
            error = exc
        finally:
            # Whatever happened (error, checksum, Ctrl-C), no partial file stays.
            tmp.unlink(missing_ok=True)
        wait = 2.0**attempt
        attempt += 1
        _log(
            f"{dest.name}: network error ({error}); retry {attempt}/{retries} "
            f"in {wait:.0f} s"
        )
        _sleep(wait)


# ---------------------------------------------------------------------------
# Verified .npz cache files
# ---------------------------------------------------------------------------


def sidecar_path(path: str | os.PathLike) -> Path:
    """Return the ``.json`` sidecar that belongs to an ``.npz`` file."""
    path = Path(path)
    return path.with_name(path.name + ".json")


@contextmanager
def _temp_next_to(path: Path, suffix: str) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; remove it unless renamed."""
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=suffix, dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def atomic_save_npz(
    path: str | os.PathLike, *, meta: dict[str, str] | None = None, **arrays: np.ndarray
) -> Path:
    """Save arrays to an uncompressed ``.npz`` file atomically, with a sidecar.

    The sidecar ``<name>.npz.json`` records the file's SHA-256, its size in
    bytes and each array's shape and dtype; :func:`load_npz_checked` checks
    them.  Object arrays are refused (they would need pickle to load).

    Parameters
    ----------
    path
        Target file, must end in ``.npz``; its folder is created if needed.
    meta
        Short texts to keep in the sidecar's ``"meta"`` entry, e.g.
        ``{"origin": "Debian package dataset-fashion-mnist"}`` (read back
        with :func:`npz_meta`); no array may be called ``meta``.
    **arrays
        The arrays to store, by name (at least one).

    Returns
    -------
    pathlib.Path
        The path of the written ``.npz`` file.
    """
    path = Path(path).expanduser().resolve()
    if path.suffix != ".npz":
        raise ValueError(f"path must end in .npz, got {path.name!r}")
    if not arrays:
        raise ValueError("atomic_save_npz needs at least one array")
    meta = dict(meta or {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise TypeError("meta must map str to str")
    converted = {}
    for key, value in arrays.items():
        array = np.asarray(value)
        if array.dtype == object:
            raise TypeError(f"array {key!r} has dtype object; store numbers only")
        converted[key] = array
    path.parent.mkdir(parents=True, exist_ok=True)
    side = sidecar_path(path)
    # An old sidecar must never vouch for a new file: remove it first.
    side.unlink(missing_ok=True)
    with _temp_next_to(path, ".npz.part") as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **converted)
            fh.flush()
            os.fsync(fh.fileno())
        sidecar = {
            "file": path.name,
            "sha256": file_sha256(tmp),
            "size": tmp.stat().st_size,
            "arrays": {
                k: {"shape": list(v.shape), "dtype": str(v.dtype)}
                for k, v in converted.items()
            },
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if meta:
            sidecar["meta"] = meta
        os.replace(tmp, path)
    with _temp_next_to(side, ".part") as tmp:
        tmp.write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
        os.replace(tmp, side)
    return path


def npz_meta(path: str | os.PathLike) -> dict[str, str]:
    """The ``meta`` texts that :func:`atomic_save_npz` kept in a file's sidecar.

    Empty when there is no sidecar, it cannot be read, or it has none (the
    file itself is not verified here; :func:`load_npz_checked` does that).
    """
    try:
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8")).get("meta")
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(meta, dict):
        return {}
    return {str(k): str(v) for k, v in meta.items()}


def verify_npz(path: str | os.PathLike, *, full: bool = True) -> str | None:
    """Check an ``.npz`` file against its sidecar without loading the arrays.

    Parameters
    ----------
    path
        The ``.npz`` file written by :func:`atomic_save_npz`.
    full
        Also recompute the SHA-256 (reads the whole file); with ``False`` only
        the presence of both files and the byte size are checked (fast, for
        status listings).

    Returns
    -------
    str or None
        ``None`` when the file is complete and matches, else what is wrong.
    """
    path = Path(path)
    if not path.is_file():
        return "missing"
    try:
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        want_sha, want_size = meta["sha256"], int(meta["size"])
        if not isinstance(meta["arrays"], dict):
            raise TypeError("'arrays' is not a mapping")
    except FileNotFoundError:
        return "no checksum sidecar"
    except (ValueError, KeyError, TypeError) as exc:
        return f"unreadable sidecar: {exc}"
    size = path.stat().st_size
    if size != want_size:
        return f"size {size} != {want_size} bytes"
    if full and file_sha256(path) != want_sha:
        return "sha256 mismatch"
    return None


def load_npz_checked(path: str | os.PathLike) -> dict[str, np.ndarray] | None:
    """Load an ``.npz`` written by :func:`atomic_save_npz`, or ``None``.

    Returns ``None`` (the caller treats the data as not cached) when the file
    or its sidecar is missing, the SHA-256 or size differs from the sidecar,
    the arrays' names, shapes or dtypes differ, or NumPy cannot read the
    file.  A file that exists but fails a check is reported in one stderr
    line.  Never uses pickle.

    Parameters
    ----------
    path
        The ``.npz`` file.

    Returns
    -------
    dict of str to numpy.ndarray, or None
    """
    path = Path(path)
    if not path.is_file():
        return None

    def reject(why: str) -> None:
        _log(f"ignoring damaged cache file {path} ({why})")

    problem = verify_npz(path, full=True)
    if problem is not None:
        reject(problem)
        return None
    meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    try:
        expected = {
            k: (tuple(v["shape"]), str(v["dtype"])) for k, v in meta["arrays"].items()
        }
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
        reject(f"unreadable: {exc}")
        return None
    found = {k: (tuple(v.shape), str(v.dtype)) for k, v in arrays.items()}
    if found != expected:
        reject("arrays differ from the sidecar")
        return None
    return arrays
