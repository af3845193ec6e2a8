"""Fetchers: one per real dataset, each through the library made for it.

Each returns the canonical arrays (see :func:`.registry.check_arrays`):
MNIST and CIFAR-10 through ``keras.datasets``, Fashion-MNIST through
``tensorflow_datasets``, SVHN from its ``.mat`` files (``scipy.io.loadmat``),
EEG eye state through ``openml``; every library's own cache is redirected
under ``config.data_home()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .. import config
from .download import download, interactive_progress
from .registry import REAL_DATASETS, SVHN_FILES
from .sources import retry, socket_timeout

__all__ = ["FETCHERS"]


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
        with socket_timeout():
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
        (x_train, y_train), (x_test, y_test) = retry(load, name)
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
        with socket_timeout():
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
        with socket_timeout():
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
            spec.openml_id,
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
FETCHERS: dict[str, Callable[[bool], dict[str, np.ndarray]]] = {
    "mnist": _fetch_mnist,
    "fashion_mnist": _fetch_fashion_mnist,
    "cifar10": _fetch_cifar10,
    "svhn": _fetch_svhn,
    "eeg_eye_state": _fetch_eeg_eye_state,
}
