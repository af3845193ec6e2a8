"""IDX files, the format of MNIST and Fashion-MNIST: read, verify, import.

The four files of either dataset (``train-images-idx3-ubyte``,
``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
``t10k-labels-idx1-ubyte``, each plain or gzipped) are what Debian's
``dataset-fashion-mnist`` package installs under
``/usr/share/datasets/fashion-mnist`` and what a tutor hands out on a USB
stick.  :func:`read_idx_folder` reads them and checks everything that can be
checked without the network:

* each file's magic number (two zero bytes, type code ``0x08`` = unsigned
  byte, the number of dimensions) and that its length is exactly the header
  plus the product of its dimensions;
* shapes (28x28 images; as many labels as images), the split sizes of the
  registry (60000 / 10000) and labels 0..9;
* the number of items per class where the registry records it
  (Fashion-MNIST: 6000 / 1000 of each; MNIST: its published counts);
* the SHA-256 of each decompressed array (the bytes after the header) where
  the registry records it (Fashion-MNIST).  Not the ``.gz`` files' own
  checksums: Debian recompressed them, so those differ from the ones the
  dataset's README publishes, while the arrays are the same.

:func:`import_idx_folder` then writes the arrays into the verified cache
(``data_home()/real/<name>.npz``) atomically, like any download: a damaged
file raises ``ValueError`` and leaves the cache as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from .. import config
from .download import atomic_save_npz
from .registry import REAL_DATASETS, cache_path, check_arrays, check_name

__all__ = [
    "IDX_FILES",
    "array_sha256",
    "find_idx_files",
    "import_idx_folder",
    "local_folder",
    "read_idx",
    "read_idx_folder",
]

#: Cache array name -> the IDX file's base name (``.gz`` optional).
IDX_FILES: dict[str, str] = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
_UBYTE = 0x08  # the only IDX type code these datasets use
_MAX_BYTES = 200 * 1024 * 1024  # far above the 47 MB of the largest file


def _read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when it is gzip (by its magic bytes)."""
    with open(path, "rb") as fh:
        head = fh.read(2)
    try:
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as fh:
                raw = fh.read(_MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(_MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt gzip
        raise ValueError(f"{path.name}: cannot decompress ({exc})") from exc
    if len(raw) > _MAX_BYTES:
        raise ValueError(
            f"{path.name}: larger than {_MAX_BYTES} bytes, not an IDX file"
        )
    return raw


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file of unsigned bytes (plain or gzipped).

    Parameters
    ----------
    path
        The file, e.g. ``train-images-idx3-ubyte.gz``.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of the shape in the header, e.g. (60000, 28, 28) for
        images or (60000,) for labels; a new, writable array.

    Raises
    ------
    TypeError
        ``path`` is not a path.
    FileNotFoundError
        No such file.
    ValueError
        Not an IDX file of unsigned bytes (bad magic number), or the length
        does not match the header (truncated or padded), or a damaged gzip.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path.name}: {len(raw)} bytes, too short for an IDX file")
    zero1, zero2, code, ndim = raw[:4]
    if zero1 or zero2 or code != _UBYTE or not 1 <= ndim <= 4:
        raise ValueError(
            f"{path.name}: bad IDX magic number 0x{raw[:4].hex()} (expected "
            "0x0000080N: unsigned bytes, N = 1..4 dimensions)"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path.name}: header cut off after {len(raw)} bytes")
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64))
    if len(raw) != expected:
        raise ValueError(
            f"{path.name}: {len(raw)} bytes but the header {shape} needs "
            f"{expected} (truncated or damaged file)"
        )
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape).copy()


def array_sha256(array: np.ndarray) -> str:
    """Hex SHA-256 of an array's bytes in C order (the IDX payload after the header)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"array must be a numpy array, got {type(array).__name__}")
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def find_idx_files(folder: str | os.PathLike) -> dict[str, Path]:
    """The four IDX files in ``folder``, by cache array name.

    Each may be gzipped (``<base>.gz``, preferred when both exist) or plain.

    Raises
    ------
    TypeError
        ``folder`` is not a path.
    FileNotFoundError
        ``folder`` is not a directory or a file is missing (all missing
        ones are named).
    """
    if not isinstance(folder, str | os.PathLike):
        raise TypeError(f"folder must be a str or path, got {type(folder).__name__}")
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    found, missing = {}, []
    for key, base in IDX_FILES.items():
        for candidate in (folder / f"{base}.gz", folder / base):
            if candidate.is_file():
                found[key] = candidate
                break
        else:
            missing.append(f"{base}[.gz]")
    if missing:
        raise FileNotFoundError(f"{folder}: missing {', '.join(missing)}")
    return found


def _check_counts(name: str, arrays: dict[str, np.ndarray]) -> None:
    spec = REAL_DATASETS[name]
    for key, n in (("train", spec.n_train), ("test", spec.n_test)):
        if len(arrays[f"y_{key}"]) != n:
            raise ValueError(
                f"{name}: {len(arrays[f'y_{key}'])} {key} labels, expected {n}"
            )
    if spec.class_counts is None:
        return
    for key, want in zip(("train", "test"), spec.class_counts):
        got = np.bincount(arrays[f"y_{key}"], minlength=spec.n_classes)
        if tuple(int(c) for c in got) != tuple(want):
            raise ValueError(
                f"{name}: {key} items per class {got.tolist()}, expected {list(want)}"
            )


def read_idx_folder(name: str, folder: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read and verify a folder of the four IDX files of ``name``.

    Parameters
    ----------
    name
        ``"mnist"`` or ``"fashion_mnist"`` (``-`` may be written for ``_``).
    folder
        The folder holding the four files (see :data:`IDX_FILES`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``x_train`` uint8 (60000, 28, 28), ``y_train`` uint8 (60000,),
        ``x_test`` uint8 (10000, 28, 28), ``y_test`` uint8 (10000,), labels
        0..9: the canonical cache layout.

    Raises
    ------
    TypeError
        ``name`` or ``folder`` of the wrong type.
    ValueError
        ``name`` is not an IDX dataset, or a file fails a check (magic
        number, length, shape, count, items per class, SHA-256); the message
        names the file and the check.
    FileNotFoundError
        The folder or one of its files is missing.
    """
    key = check_name(name)
    spec = REAL_DATASETS[key]
    if spec.local_dir is None:
        idx_names = [n for n, s in REAL_DATASETS.items() if s.local_dir]
        raise ValueError(
            f"name: {key} has no IDX files; expected one of {', '.join(idx_names)}"
        )
    files = find_idx_files(folder)
    arrays = {k: read_idx(path) for k, path in files.items()}
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or y.ndim != 1:
            raise ValueError(
                f"{files[f'x_{split}'].name} / {files[f'y_{split}'].name}: images "
                f"should be 3-D and labels 1-D, got {x.shape} and {y.shape}"
            )
        if len(x) != len(y):
            raise ValueError(
                f"{key}: {len(x)} {split} images but {len(y)} {split} labels"
            )
    check_arrays(key, arrays)
    _check_counts(key, arrays)
    for k, want in spec.array_sha256:
        got = array_sha256(arrays[k])
        if got != want:
            raise ValueError(
                f"{files[k].name}: SHA-256 of the decompressed array is {got}, "
                f"expected {want} (a damaged or different file)"
            )
    return arrays


def local_folder(name: str) -> Path | None:
    """The system dataset folder of ``name`` if it holds the four IDX files.

    ``config.datasets_dir() / <folder name>`` (``/usr/share/datasets/
    fashion-mnist`` unless ``CNNRNN_DATASETS_DIR`` names another root); the
    files are not read or verified here.

    Returns
    -------
    pathlib.Path or None
        The folder, or None when the dataset has no IDX layout or the files
        are not all there.
    """
    spec = REAL_DATASETS[check_name(name)]
    if spec.local_dir is None:
        return None
    folder = config.datasets_dir() / spec.local_dir
    try:
        find_idx_files(folder)
    except (FileNotFoundError, OSError):
        return None
    return folder


def import_idx_folder(
    name: str, folder: str | os.PathLike, *, origin: str | None = None
) -> dict[str, np.ndarray]:
    """Verify a folder of IDX files and write it into the verified cache.

    The arrays go to ``data_home()/real/<name>.npz`` (with its checksum
    sidecar, which also records ``origin``) through
    :func:`~.download.atomic_save_npz`: nothing is written unless every
    check passes, and an existing cache is replaced only by a complete file.

    Parameters
    ----------
    name
        ``"mnist"`` or ``"fashion_mnist"``.
    folder
        Folder with the four IDX files.
    origin
        Where the copy comes from, for the loaders' source line; default
        :func:`cnnrnn_helpers.config.local_copy_label` of ``folder``
        (``"Debian package dataset-fashion-mnist"`` or ``"folder <path>"``).

    Returns
    -------
    dict of str to numpy.ndarray
        The verified arrays (see :func:`read_idx_folder`).

    Raises
    ------
    TypeError, ValueError, FileNotFoundError
        As :func:`read_idx_folder`; ``origin`` not a string.
    """
    key = check_name(name)
    if origin is not None and not isinstance(origin, str):
        raise TypeError(f"origin must be a str, got {type(origin).__name__}")
    arrays = read_idx_folder(key, folder)
    atomic_save_npz(
        cache_path(key),
        meta={"origin": origin or config.local_copy_label(folder)},
        **arrays,
    )
    return arrays
