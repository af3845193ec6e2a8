"""Batches of variable-length sequences from a generator (sheet s01 task 6).

``np.stack`` and ``tf.data.Dataset.batch`` need every element of a batch to
have the same shape, so sequences of different lengths cannot simply be
batched.  :func:`length_batches` groups the sequences **by length** and yields
rectangular batches one by one, in a shuffled order;
:func:`length_batched_dataset` wraps it in a ``tf.data.Dataset`` whose time
axis is left open, with a new shuffle on every pass (epoch).

Import as ``from cnnrnn_helpers.data.batching import length_batches``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["count_length_batches", "length_batched_dataset", "length_batches"]


def _check_inputs(
    sequences: Sequence[ArrayLike], labels: ArrayLike, batch_size: int
) -> tuple[list[np.ndarray], np.ndarray]:
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be an int, got {type(batch_size).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    seqs = [np.asarray(s) for s in sequences]
    if not seqs:
        raise ValueError("sequences is empty")
    if any(s.ndim != 1 or s.size == 0 for s in seqs):
        raise ValueError("every sequence must be a non-empty 1-D array")
    tags = np.asarray(labels)
    if tags.shape != (len(seqs),):
        raise ValueError(
            f"labels must have shape ({len(seqs)},), one per sequence, got {tags.shape}"
        )
    return seqs, tags


def length_batches(
    sequences: Sequence[ArrayLike],
    labels: ArrayLike,
    batch_size: int = 32,
    seed: int | None = 0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x, y)`` batches in which all sequences have the same length.

    The sequences are grouped by length; inside each group their order is
    shuffled and cut into batches of at most ``batch_size``; then the order
    of all batches is shuffled.  Every sequence appears exactly once.

    Parameters
    ----------
    sequences
        Univariate sequences, each 1-D with its own length (e.g. float32
        values in [0, 1)).
    labels
        One integer label per sequence, shape (len(sequences),).
    batch_size
        Most sequences per batch, >= 1.
    seed
        Seed of the shuffling (the same seed gives the same batches).

    Yields
    ------
    x : numpy.ndarray
        float32, shape (b, length, 1), b <= batch_size, one length per batch.
    y : numpy.ndarray
        int64, shape (b,).
    """
    seqs, tags = _check_inputs(sequences, labels, batch_size)
    rng = np.random.default_rng(seed)
    by_length: dict[int, list[tuple[np.ndarray, Any]]] = {}
    for s, y in zip(seqs, tags):
        by_length.setdefault(len(s), []).append((s, y))
    batches = []
    for group in by_length.values():
        order = rng.permutation(len(group))
        for i in range(0, len(group), batch_size):
            chosen = [group[k] for k in order[i : i + batch_size]]
            x = np.stack([s for s, _ in chosen])[:, :, None].astype("float32")
            y = np.array([y for _, y in chosen], dtype="int64")
            batches.append((x, y))
    for k in rng.permutation(len(batches)):
        yield batches[k]


def count_length_batches(sequences: Sequence[ArrayLike], batch_size: int = 32) -> int:
    """How many batches :func:`length_batches` yields for these sequences."""
    seqs, _ = _check_inputs(sequences, np.zeros(len(sequences)), batch_size)
    counts = np.bincount([len(s) for s in seqs])
    return int(sum(-(-int(c) // batch_size) for c in counts))


def length_batched_dataset(
    sequences: Sequence[ArrayLike],
    labels: ArrayLike,
    batch_size: int = 32,
    seed: int = 0,
) -> Any:
    """:func:`length_batches` as a ``tf.data.Dataset``, reshuffled every epoch.

    Pass ``k`` (counting from 0) uses the seed ``seed + k``, so every epoch
    sees the batches in a new order while a rerun repeats the same epochs.

    Parameters
    ----------
    sequences, labels, batch_size
        As for :func:`length_batches`.
    seed
        Seed of the first pass.

    Returns
    -------
    tf.data.Dataset
        Elements ``(x, y)``: float32 (None, None, 1) with batch size and time
        axis open, and int64 (None,); its cardinality is set to the number of
        batches, so ``model.fit`` knows the length of an epoch.
    """
    import tensorflow as tf

    seqs, tags = _check_inputs(sequences, labels, batch_size)
    passes = iter(range(int(seed), int(seed) + 10**9))
    dataset = tf.data.Dataset.from_generator(
        lambda: length_batches(seqs, tags, batch_size, next(passes)),
        output_signature=(
            tf.TensorSpec(shape=(None, None, 1), dtype=tf.float32),
            tf.TensorSpec(shape=(None,), dtype=tf.int64),
        ),
    )
    n_batches = count_length_batches(seqs, batch_size)
    return dataset.apply(tf.data.experimental.assert_cardinality(n_batches))
