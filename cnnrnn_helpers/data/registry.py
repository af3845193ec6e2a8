"""The registry of real datasets: where each comes from, sizes, shapes, classes.

Also the canonical cache file of each (``data_home()/real/<name>.npz`` with a
``.json`` checksum sidecar) and the check that arrays have its layout.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import config
from .dataset import CIFAR10_CLASSES, DIGIT_CLASSES, FASHION_CLASSES
from .download import load_npz_checked

__all__ = [
    "REAL_DATASETS",
    "SVHN_FILES",
    "DatasetSpec",
    "cache_path",
    "check_arrays",
    "check_name",
    "read_cache",
]


@dataclass(frozen=True)
class DatasetSpec:
    """One real dataset.

    Attributes
    ----------
    name
        Key in :data:`REAL_DATASETS`, e.g. ``"mnist"``.
    title
        Readable name.
    library
        What fetches it (``keras.datasets.mnist``, ``openml (dataset 1471)``).
    n_train, n_test
        Split sizes of the real data.
    x_shape
        Shape of one item.
    class_names
        One name per class.
    probe
        Address whose host must answer before a download is tried.
    x_dtype
        dtype of the inputs in the cache (``uint8`` images, ``float32`` EEG).
    n_rows
        Rows of a single-table dataset split in time order (EEG), else None.
    openml_id
        OpenML dataset id, else None.
    local_dir
        Folder name of the dataset's IDX files under the system dataset
        folder (``/usr/share/datasets/<local_dir>``), for datasets in the
        IDX layout (MNIST, Fashion-MNIST); else None.
    debian_package
        The Debian / Ubuntu package that installs that folder, else None.
    class_counts
        Items per class in (train, test), checked when IDX files are read;
        None: not checked.
    array_sha256
        ``((array name, hex SHA-256 of its bytes), ...)`` checked when IDX
        files are read (see :func:`.idx.array_sha256`); empty: not checked.
    """

    name: str
    title: str
    library: str
    n_train: int
    n_test: int
    x_shape: tuple[int, ...]
    class_names: tuple[str, ...]
    probe: str
    x_dtype: str = "uint8"
    n_rows: int | None = None
    openml_id: int | None = None
    local_dir: str | None = None
    debian_package: str | None = None
    class_counts: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    array_sha256: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """Array names in the cache file."""
        if self.n_rows is not None:
            return ("x", "y")
        return ("x_train", "y_train", "x_test", "y_test")

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.class_names)


#: The real datasets, by name.
REAL_DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            name="mnist",
            title="MNIST handwritten digits",
            library="keras.datasets.mnist",
            n_train=60000,
            n_test=10000,
            x_shape=(28, 28),
            class_names=DIGIT_CLASSES,
            probe="https://storage.googleapis.com",
            local_dir="mnist",
            # The published per-class counts (as in torchvision's MNIST
            # docstring).  No array checksums: no real MNIST copy was at hand
            # to compute them from, so MNIST folders are checked by shape,
            # size and counts only.
            class_counts=(
                (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
                (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
            ),
        ),
        DatasetSpec(
            name="fashion_mnist",
            title="Fashion-MNIST (Zalando article images)",
            library="tensorflow_datasets (fashion_mnist)",
            n_train=60000,
            n_test=10000,
            x_shape=(28, 28),
            class_names=FASHION_CLASSES,
            # tfds's download address for fashion_mnist 3.0.1
            probe="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
            local_dir="fashion-mnist",
            debian_package="dataset-fashion-mnist",
            class_counts=((6000,) * 10, (1000,) * 10),
            # SHA-256 of the decompressed arrays (the bytes after each IDX
            # header), computed from Debian's dataset-fashion-mnist
            # 0.0~git20200523.55506a9-1.  Debian recompressed the .gz files,
            # so their MD5s differ from the README's; the arrays do not.
            array_sha256=(
                (
                    "x_train",
                    "2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012",
                ),
                (
                    "y_train",
                    "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7",
                ),
                (
                    "x_test",
                    "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a",
                ),
                (
                    "y_test",
                    "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
                ),
            ),
        ),
        DatasetSpec(
            name="cifar10",
            title="CIFAR-10 tiny colour images",
            library="keras.datasets.cifar10",
            n_train=50000,
            n_test=10000,
            x_shape=(32, 32, 3),
            class_names=CIFAR10_CLASSES,
            probe="https://www.cs.toronto.edu",
        ),
        DatasetSpec(
            name="svhn",
            title="SVHN cropped house-number digits (label 0 = digit 0)",
            library="scipy.io.loadmat (ufldl.stanford.edu .mat files)",
            n_train=73257,
            n_test=26032,
            x_shape=(32, 32, 3),
            class_names=DIGIT_CLASSES,
            probe="http://ufldl.stanford.edu",
        ),
        DatasetSpec(
            name="eeg_eye_state",
            title="EEG eye state (OpenML 1471), 14 channels in time order",
            library="openml (dataset 1471)",
            n_train=11984,  # with the default test_size=0.2
            n_test=2996,
            x_shape=(14,),
            class_names=("eyes open", "eyes closed"),
            probe="https://www.openml.org",
            x_dtype="float32",
            n_rows=14980,
            openml_id=1471,
        ),
    )
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


def check_name(name: str) -> str:
    """The registry key for ``name`` (case and ``-``/``_`` forgiven).

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        Not a known dataset.
    """
    if not isinstance(name, str):
        raise TypeError(f"dataset name must be a string, got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_")
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
    return config.data_home() / "real" / f"{check_name(name)}.npz"


def check_arrays(name: str, arrays: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless ``arrays`` has the canonical layout of ``name``."""
    spec = REAL_DATASETS[name]
    keys = spec.keys
    if sorted(arrays) != sorted(keys):
        raise ValueError(f"{name}: expected arrays {keys}, got {sorted(arrays)}")
    for xk, yk in zip(keys[0::2], keys[1::2]):
        x, y = arrays[xk], arrays[yk]
        if x.dtype != np.dtype(spec.x_dtype) or x.shape[1:] != spec.x_shape:
            raise ValueError(
                f"{name}: {xk} should be {spec.x_dtype} (n, "
                f"{', '.join(map(str, spec.x_shape))}), got {x.dtype} {x.shape}"
            )
        if y.dtype != np.uint8 or y.shape != (len(x),):
            raise ValueError(
                f"{name}: {yk} should be uint8 ({len(x)},), got {y.dtype} {y.shape}"
            )
        if len(y) == 0 or int(y.max()) >= spec.n_classes:
            raise ValueError(f"{name}: {yk} is empty or has labels >= {spec.n_classes}")


def read_cache(name: str) -> dict[str, np.ndarray] | None:
    """The verified canonical cache of ``name``, or None if absent or bad."""
    arrays = load_npz_checked(cache_path(name))
    if arrays is None:
        return None
    try:
        check_arrays(name, arrays)
    except ValueError as exc:
        print(
            f"ignoring damaged cache file {cache_path(name)} ({exc})", file=sys.stderr
        )
        return None
    return arrays
