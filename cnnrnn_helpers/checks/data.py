"""Checks of data steps: scaling, sliding windows, labels, padding, batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .framework import Result, as_array, fail, fmt, not_written, ok, where_differs

__all__ = [
    "first_mistake",
    "length_batches",
    "mask",
    "padding",
    "ragged",
    "scaled",
    "sum_series",
    "windows",
]


def _not_array(name: str) -> Result:
    return Result(False, f"{name}: not an array")


def scaled(x: Any, raw: Any, *, channel_axis: bool | None = None) -> Result:
    """Check images scaled from uint8 0..255 to float32 in [0, 1].

    Parameters
    ----------
    x
        The student's array: ``raw / 255`` as float32, optionally with a
        trailing channel axis of length 1 (``channel_axis=True`` requires it,
        ``False`` forbids it, ``None`` accepts both) or flattened to
        (n, height*width) when ``raw`` is (n, height, width) and
        ``channel_axis`` is None.
    raw
        The loader's uint8 images, e.g. ``ds.x_train``.

    Returns
    -------
    Result
    """
    name = "scaled images"
    arr = as_array(name, x, "x")
    if arr is None:
        return _not_array(name)
    raw = np.asarray(raw)
    shapes = {
        True: [(*raw.shape, 1)],
        False: [raw.shape],
        None: [raw.shape, (*raw.shape, 1), (len(raw), int(np.prod(raw.shape[1:])))],
    }[channel_axis if channel_axis is None else bool(channel_axis)]
    if arr.shape not in shapes:
        return fail(
            name,
            f"shape {arr.shape}, expected " + " or ".join(str(s) for s in shapes),
        )
    if arr.dtype != np.float32:
        return fail(name, f"dtype {arr.dtype}, expected float32 (.astype('float32'))")
    if arr.size and float(arr.max()) > 1.0 + 1e-6:
        return fail(name, f"the largest value is {arr.max():g}: divide by 255")
    diff = where_differs(
        raw.reshape(arr.shape).astype(np.float32) / 255.0, arr, 1e-6, show_shape=True
    )
    if diff:
        return fail(name, diff)
    return ok(name, f"{arr.shape} float32 in [0, 1], equal to the images / 255")


def windows(
    dataset: Any, x: Any, y: Any, length: int = 10, *, shuffled: bool | None = None
) -> Result:
    """Check sliding windows: inputs ``x[i:i+length]``, target ``y[i+length-1]``.

    Parameters
    ----------
    dataset
        A ``tf.data.Dataset`` of ``(inputs, targets)`` batches, e.g. from
        ``keras.utils.timeseries_dataset_from_array``, or a pair of arrays
        ``(windows, targets)``.
    x, y
        The series (n, features) and its labels (n,).
    length
        Rows per window (the sheet: 10).
    shuffled
        Whether the windows may come in any order (``None``: accept both).

    Returns
    -------
    Result
        true if there are exactly ``n - length + 1`` windows, each a slice
        of ``x`` labelled with the label of its last row, every start once.
    """
    name = "windows"
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if isinstance(dataset, tuple) and len(dataset) == 2:
        batches: Iterable[Any] = [dataset]
    else:
        batches = dataset
    inputs, targets = [], []
    try:
        for xb, yb in batches:
            inputs.append(np.asarray(xb))
            targets.append(np.asarray(yb))
    except NotImplementedError:
        raise not_written(name) from None
    except (TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return fail(name, f"expected (inputs, targets) batches: {first}")
    if not inputs:
        return fail(name, "the dataset is empty")
    w, t = np.concatenate(inputs), np.concatenate(targets)
    n_expected = len(x) - length + 1
    if w.ndim != 3 or w.shape[1:] != (length, x.shape[1]):
        return fail(
            name, f"window shape {w.shape[1:]}, expected ({length}, {x.shape[1]})"
        )
    if len(w) != n_expected:
        return fail(
            name,
            f"{len(w)} windows, expected {n_expected}: one per start position "
            "(stride 1)",
        )
    starts: dict[bytes, list[int]] = {}
    for i in range(n_expected):
        starts.setdefault(x[i].tobytes(), []).append(i)
    found = []
    for j in range(len(w)):
        hit = next(
            (
                i
                for i in starts.get(w[j, 0].astype(np.float32).tobytes(), [])
                if np.array_equal(x[i : i + length], w[j])
            ),
            None,
        )
        if hit is None:
            return fail(name, f"window {j} is not {length} consecutive rows of x")
        if t[j] != y[hit + length - 1]:
            guess = " (the label of its first row?)" if t[j] == y[hit] else ""
            return fail(
                name,
                f"window {j} (rows {hit}..{hit + length - 1}) has the wrong target; "
                f"expected the label of its last row{guess}",
            )
        found.append(hit)
    in_order = found == list(range(n_expected))
    if shuffled is False and not in_order:
        return fail(name, "the windows are shuffled; keep them in time order here")
    if sorted(found) != list(range(n_expected)):
        return fail(name, "some start positions repeat and others are missing")
    order = "in time order" if in_order else "shuffled"
    return ok(name, f"{len(w)} windows of {length} rows, {order}, targets right")


def sum_series(x: Any, y: Any, *, threshold: int = 100) -> Result:
    """Check the labels of sheet 3's sum series: 1 where the sum >= threshold.

    Parameters
    ----------
    x
        (n, length) integers 0..9.
    y
        (n,) labels 0/1 (or (n, 1)).
    """
    name = "sum-series labels"
    xa = np.asarray(x)
    ya = np.asarray(y).reshape(-1)
    if xa.ndim != 2 or len(ya) != len(xa):
        return fail(name, f"x {xa.shape} and y {np.shape(y)}: one label per series")
    expected = (xa.sum(axis=1) >= threshold).astype(int)
    if not np.array_equal(ya.astype(int), expected):
        k = int(np.flatnonzero(ya.astype(int) != expected)[0])
        return fail(
            name,
            f"series {k} sums to {int(xa[k].sum())} and has label {ya[k]}; the label "
            f"is 1 exactly when the sum is >= {threshold}",
        )
    return ok(name, f"{len(ya)} labels, {int(expected.sum())} of them 1")


def padding(
    padded: Any,
    sequences: Sequence[Any],
    *,
    max_len: int = 11,
    pad: float = -1.0,
    where: str = "post",
) -> Result:
    """Check padded sequences: shape (n, max_len, 1), values first, ``pad`` after.

    Parameters
    ----------
    padded
        The student's array (n, max_len) or (n, max_len, 1).
    sequences
        The original 1-D sequences.
    max_len, pad, where
        Target length, padding value, ``"post"`` (pad at the end) or ``"pre"``.
    """
    name = "padding"
    arr = as_array(name, padded, "padded")
    if arr is None:
        return _not_array(name)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.shape != (len(sequences), max_len):
        return fail(
            name, f"shape {arr.shape}, expected ({len(sequences)}, {max_len}, 1)"
        )
    for i, seq in enumerate(sequences):
        seq = np.asarray(seq, dtype=np.float32)
        row = np.full(max_len, pad, dtype=np.float32)
        if where == "post":
            row[: len(seq)] = seq
        else:
            row[max_len - len(seq) :] = seq
        if not np.allclose(arr[i], row):
            return fail(
                name,
                f"sequence {i} (length {len(seq)}) is not padded as asked: its "
                f"values {'first' if where == 'post' else 'last'}, the rest "
                f"{pad:g}",
                f"your row {i}:{fmt(arr[i])}",
            )
    return ok(name, f"{arr.shape[0]} sequences padded to {max_len} with {pad:g}")


def mask(mask_values: Any, lengths: Sequence[int], *, where: str = "post") -> Result:
    """Check a padding mask: True for real time steps, False for padding."""
    name = "mask"
    arr = as_array(name, mask_values, "mask")
    if arr is None:
        return _not_array(name)
    lengths = [int(n) for n in lengths]
    if arr.ndim != 2 or len(arr) != len(lengths):
        return fail(name, f"shape {arr.shape}, expected ({len(lengths)}, max_len)")
    steps = np.arange(arr.shape[1])
    for i, n in enumerate(lengths):
        want = steps < n if where == "post" else steps >= arr.shape[1] - n
        if not np.array_equal(arr[i].astype(bool), want):
            k = int(np.flatnonzero(arr[i].astype(bool) != want)[0])
            return fail(
                name,
                f"row {i} (length {n}): step {k} is marked "
                f"{'real' if arr[i, k] else 'padding'}, but it is "
                f"{'padding' if arr[i, k] else 'real'}",
                f"your row {i}: {arr[i].astype(int)}",
            )
    return ok(name, f"{len(lengths)} rows mark exactly the real time steps")


def ragged(tensor: Any, sequences: Sequence[Any]) -> Result:
    """Check a ragged tensor that recovers the unpadded sequences."""
    name = "ragged"
    try:
        rows = tensor.to_list()
    except AttributeError:
        return fail(name, f"expected a tf.RaggedTensor, got {type(tensor).__name__}")
    if len(rows) != len(sequences):
        return fail(name, f"{len(rows)} rows, expected {len(sequences)}")
    for i, (row, seq) in enumerate(zip(rows, sequences)):
        row = np.asarray(row, dtype=np.float32).reshape(-1)
        seq = np.asarray(seq, dtype=np.float32)
        if row.shape != seq.shape:
            return fail(
                name, f"row {i} has {len(row)} values, the sequence has {len(seq)}"
            )
        if not np.allclose(row, seq):
            return fail(name, f"row {i}: values differ from sequence {i}")
    return ok(name, f"{len(rows)} rows equal the unpadded sequences")


def length_batches(
    fn: Callable[..., Any],
    sequences: Sequence[Any],
    labels: Any,
    batch_size: int = 32,
    seed: int = 0,
) -> Result:
    """Check a generator of same-length batches (sheet 1 task 6).

    ``fn(sequences, labels, batch_size, seed)`` must yield ``(x, y)`` with x
    float32 (b, length, 1), all sequences of a batch of one length,
    ``b <= batch_size``, y the labels of those sequences, every sequence
    exactly once per pass.
    """
    name = "length_batches"
    labels = np.asarray(labels)
    seen: list[int] = []
    index: dict[bytes, list[int]] = {}
    for i, s in enumerate(sequences):
        index.setdefault(np.asarray(s, np.float32).tobytes(), []).append(i)
    try:
        batches = list(fn(sequences, labels, batch_size, seed))
    except NotImplementedError:
        raise not_written(name) from None
    for b, item in enumerate(batches):
        try:
            xb, yb = (np.asarray(v) for v in item)
        except (TypeError, ValueError):
            return fail(name, f"batch {b}: expected a pair (x, y)")
        if xb.ndim != 3 or xb.shape[2] != 1:
            return fail(
                name, f"batch {b}: x has shape {xb.shape}, expected (b, length, 1)"
            )
        if xb.dtype != np.float32:
            return fail(name, f"batch {b}: x has dtype {xb.dtype}, expected float32")
        if len(xb) > batch_size or len(xb) != len(yb):
            return fail(
                name,
                f"batch {b}: {len(xb)} sequences and {len(yb)} labels "
                f"(at most {batch_size})",
            )
        for row, label in zip(xb[:, :, 0], yb):
            hits = index.get(row.tobytes(), [])
            if not hits:
                return fail(name, f"batch {b}: a row is not one of the sequences")
            i = next((h for h in hits if h not in seen), hits[0])
            if labels[i] != label:
                return fail(name, f"batch {b}: sequence {i} has the wrong label")
            seen.append(i)
    if sorted(seen) != list(range(len(sequences))):
        missing = len(set(range(len(sequences))) - set(seen))
        return fail(
            name, f"{missing} sequence(s) missing or repeated in one pass over the data"
        )
    return ok(name, f"{len(batches)} batches, one length each, every sequence once")


def first_mistake(
    shown: Sequence[int], predictions: Any, y_true: Any, label: int
) -> Result:
    """Check the "show until the first misclassification" loop (sheet 5, 1j).

    ``shown`` lists the test indices the loop displayed, in order: every item
    predicted as ``label`` up to and including the first one whose true class
    differs.
    """
    name = "first_mistake"
    pred = np.asarray(predictions).reshape(-1)
    y = np.asarray(y_true).reshape(-1)
    expected = []
    for i in np.flatnonzero(pred == label):
        expected.append(int(i))
        if y[i] != label:
            break
    got = [int(i) for i in shown]
    if got != expected:
        k = next(
            (j for j, (a, b) in enumerate(zip(got, expected)) if a != b),
            min(len(got), len(expected)),
        )
        return fail(
            name,
            f"the loop showed {len(got)} items; they differ from the expected ones "
            f"at position {k} (show every item predicted as {label}, stop after "
            f"the first wrong one)",
        )
    if not got:
        return ok(name, f"no item is predicted as {label}, so the loop shows none")
    stop = "stops at the first mistake" if y[got[-1]] != label else "finds no mistake"
    return ok(name, f"the loop shows {len(got)} item(s) and {stop}")
