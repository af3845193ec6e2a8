"""cnnrnn_helpers.data.batching: length-grouped batches (s01 task 6)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers.data.batching import (
    count_length_batches,
    length_batched_dataset,
    length_batches,
)


def test_batches_have_one_length_and_cover_every_sequence_once(make_sequences):
    seqs, labels = make_sequences()
    batches = list(length_batches(seqs, labels, batch_size=2, seed=0))
    # length 2: 3 sequences -> 2 batches; length 3: 1 batch; length 5: 1 batch
    assert len(batches) == 4 == count_length_batches(seqs, batch_size=2)
    seen = []
    for x, y in batches:
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert x.ndim == 3 and x.shape[2] == 1 and len(x) == len(y) <= 2
        for row, label in zip(x[:, :, 0], y):
            # every row is its own sequence, labelled with its own label
            assert np.array_equal(row, seqs[label])
        seen += y.tolist()
    assert sorted(seen) == [0, 1, 2, 3, 4, 5]
    assert sorted(len(x[0]) for x, _ in batches) == [2, 2, 3, 5]


def test_same_seed_same_batches_other_seed_other_order(make_sequences):
    seqs, labels = make_sequences()
    a = [y.tolist() for _, y in length_batches(seqs, labels, 1, seed=3)]
    b = [y.tolist() for _, y in length_batches(seqs, labels, 1, seed=3)]
    orders = {
        tuple(tuple(y.tolist()) for _, y in length_batches(seqs, labels, 1, seed=s))
        for s in range(6)
    }
    assert a == b
    assert len(orders) > 1


def test_dataset_declares_open_shapes_and_reshuffles_per_epoch(make_sequences):
    seqs, labels = make_sequences()
    ds = length_batched_dataset(seqs, labels, batch_size=1, seed=0)
    assert int(ds.cardinality()) == 6
    assert ds.element_spec[0].shape.as_list() == [None, None, 1]
    first = [int(y.numpy()[0]) for _, y in ds]
    second = [int(y.numpy()[0]) for _, y in ds]
    assert sorted(first) == sorted(second) == [0, 1, 2, 3, 4, 5]
    expected = [int(y[0]) for _, y in length_batches(seqs, labels, 1, seed=0)]
    assert first == expected
    assert second == [int(y[0]) for _, y in length_batches(seqs, labels, 1, seed=1)]


def test_batching_rejects_bad_input(make_sequences):
    seqs, labels = make_sequences()
    with pytest.raises(ValueError, match="batch_size"):
        list(length_batches(seqs, labels, batch_size=0))
    with pytest.raises(TypeError, match="batch_size"):
        list(length_batches(seqs, labels, batch_size=2.0))
    with pytest.raises(ValueError, match="labels"):
        list(length_batches(seqs, labels[:3]))
    with pytest.raises(ValueError, match="1-D"):
        list(length_batches([np.zeros((2, 2))], [0]))
    with pytest.raises(ValueError, match="empty"):
        list(length_batches([], []))
    # NumPy integers are accepted like Python ones
    assert len(list(length_batches(seqs, labels, batch_size=np.int64(6)))) == 3
