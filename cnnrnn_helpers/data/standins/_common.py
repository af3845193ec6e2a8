"""What every image stand-in shares: splits, labels, the Dataset it returns."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..._args import check_int, check_seed
from .._draw import balanced_labels, stream
from ..dataset import Dataset
from ..generators import MAX_SIZE

TRAIN, TEST = 0, 1  # the split part of every stream key (EEG uses 2)


def labels(seed: int, split: int, n: int, n_classes: int = 10) -> np.ndarray:
    """uint8 labels in shuffled blocks of ``n_classes`` (prefix-balanced)."""
    return balanced_labels(stream(seed, split, 0), n, n_classes).astype(np.uint8)


def make_dataset(
    name: str,
    make: Callable[[int, int, int], tuple[np.ndarray, np.ndarray]],
    n_train: int,
    n_test: int,
    seed: int,
    class_names: tuple[str, ...],
    how: str,
) -> Dataset:
    """Check the sizes and seed, make both splits, wrap them in a Dataset."""
    n_train = check_int(n_train, "n_train", minimum=1, maximum=MAX_SIZE)
    n_test = check_int(n_test, "n_test", minimum=1, maximum=MAX_SIZE)
    seed = check_seed(seed, maximum=2**63 - 1)
    x_train, y_train = make(TRAIN, n_train, seed)
    x_test, y_test = make(TEST, n_test, seed)
    return Dataset(
        name=name,
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=class_names,
        source="stand-in",
        info={"standin": how, "seed": seed},
    )
