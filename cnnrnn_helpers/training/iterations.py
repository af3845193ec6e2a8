"""The iteration-based trainer of sheet s03: fixed steps, learning curves.

:func:`train_iterations` counts *iterations* (one gradient update on one
mini-batch each), not epochs, and records train and test accuracy every
``every`` steps into an :class:`~.histories.IterationHistory`.
"""

from __future__ import annotations

import time
from typing import Any

import keras
import numpy as np

from .. import terminal
from .._args import check_bool, check_int
from ._shared import _accuracy, _as_loss
from .histories import IterationHistory


def _eval_subset(n: int, size: int | None, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of a fixed random subset of ``size`` of ``n`` items."""
    if size is None or size >= n:
        return np.arange(n)
    return np.sort(rng.choice(n, size=size, replace=False))


def train_iterations(
    model: Any,
    optimizer: Any,
    loss_fn: Any,
    x_train: Any,
    y_train: Any,
    x_test: Any,
    y_test: Any,
    *,
    steps: int,
    batch_size: int = 100,
    every: int = 100,
    seed: int = 42,
    progress: bool = True,
    eval_train: int | None = 2000,
    eval_test: int | None = 2000,
    final_eval: bool = True,
    eval_batch: int = 1000,
    jit_compile: bool = False,
) -> IterationHistory:
    """Train for a fixed number of mini-batch steps and record learning curves.

    One *iteration* (step) is one gradient update on one mini-batch of
    ``batch_size`` items, as in sheet s03: the training set is shuffled with
    ``numpy.random.default_rng(seed)``, cut into mini-batches, and reshuffled
    whenever fewer than ``batch_size`` unused items remain (so a run of
    ``steps`` iterations may cover several epochs; no batch is ever smaller).

    The ``every`` steps between two records run in ONE compiled call (a
    :func:`tf.function` looping over the steps, each a forward pass in
    training mode, :class:`tf.GradientTape` and ``optimizer.apply_gradients``),
    so Python is entered once per record, not once per step, as with
    ``model.fit(..., steps_per_execution=every)``.  A ``tf.data`` pipeline
    gathers the mini-batches, in the order above, while the steps run.

    After step ``every``, ``2 * every``, ... and after the last step the run
    records the loss and accuracy on two fixed evaluation subsets, drawn once
    (seeded by ``seed``): ``eval_train`` training items and ``eval_test`` test
    items.  After the last step it evaluates the whole test set and the whole
    training set once (:attr:`IterationHistory.final_test_accuracy` etc.).
    Evaluation is a compiled inference-mode function in chunks of
    ``eval_batch`` items, traced once per run.

    Parameters
    ----------
    model
        A built Keras 3 model (it has an ``Input``), e.g. input float32
        (n, 28, 28, 1) in [0, 1] and output (n, k) softmax probabilities, or
        (n, 1) sigmoid probabilities for a binary task.
    optimizer
        A fresh ``keras.optimizers.Optimizer`` (e.g. ``SGD(0.5)``, ``Adam(1e-3)``).
    loss_fn
        A Keras loss instance (``keras.losses.SparseCategoricalCrossentropy()``),
        a function ``(y_true, y_pred) -> loss`` or a Keras loss name.
    x_train, y_train
        Training inputs (n, ...) already scaled as the model expects (converted
        to float32) and targets (n,) class indices, (n, k) one-hot or (n,)
        0/1 for a binary task (converted to float32).
    x_test, y_test
        Test inputs and targets in the same layout, at least one item.
    steps
        Number of training steps (iterations), >= 1.
    batch_size
        Items per mini-batch, 1 <= batch_size <= len(x_train).
    every
        Record every ``every`` steps, >= 1.
    seed
        Seed of the mini-batch order and of the evaluation subsets (>= 0).
        Dropout and initial weights follow Keras' global seed: call
        ``config.set_seed`` before building the model to repeat a run exactly.
    progress
        Show progress: a tqdm bar on an interactive terminal; otherwise (not
        a terminal, e.g. a notebook, or ``CI=true``) about ten plain lines,
        never a carriage return.  ``False``: silent.
    eval_train, eval_test
        Sizes (>= 1) of the fixed training and test subsets behind the
        curves; ``None`` or a size >= the set's length uses the whole set.
    final_eval
        Evaluate the whole test and training sets after the last step.
    eval_batch
        Items per evaluation chunk (>= 1); bounds the memory of evaluation.
    jit_compile
        Compile the training steps with XLA (opt-in; ``bench/throughput.py``
        and ``bench/train_iterations.py`` measure whether it pays).

    Returns
    -------
    IterationHistory
        ``ceil(steps / every)`` records; ``history["step"][-1] == steps``.

    Raises
    ------
    TypeError
        If a count is not an int, a flag not a bool, or ``loss_fn`` is not a
        loss.
    ValueError
        If a count is out of range, the model is not built, or the arrays
        have mismatched or empty lengths.

    Examples
    --------
    >>> h = train_iterations(model, keras.optimizers.SGD(0.5),
    ...                      keras.losses.SparseCategoricalCrossentropy(),
    ...                      x_train, y_train, x_test, y_test, steps=1000)
    >>> viz.plot_history(h, ("accuracy",), x="step", xlabel="iteration")
    >>> h.final_test_accuracy  # the whole test set, after the last step
    """
    import sys

    import tensorflow as tf

    steps = check_int(steps, "steps", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    every = check_int(every, "every", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    eval_batch = check_int(eval_batch, "eval_batch", minimum=1)
    sizes = {}
    for name, size in (("eval_train", eval_train), ("eval_test", eval_test)):
        sizes[name] = None if size is None else check_int(size, name, minimum=1)
    progress = check_bool(progress, "progress")
    final_eval = check_bool(final_eval, "final_eval")
    jit_compile = check_bool(jit_compile, "jit_compile")
    if not getattr(model, "built", False) or not model.trainable_variables:
        raise ValueError(
            "model must be a built Keras model with trainable weights "
            "(start it with keras.Input)"
        )
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be a keras optimizer, got {type(optimizer).__name__}"
        )
    loss_fn = _as_loss(loss_fn)
    x_train = np.asarray(x_train, dtype=np.float32)
    y_train = np.asarray(y_train, dtype=np.float32)
    x_test = np.asarray(x_test, dtype=np.float32)
    y_test = np.asarray(y_test, dtype=np.float32)
    for name, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) == 0:
            raise ValueError(f"x_{name} is empty")
        if len(x) != len(y):
            raise ValueError(f"x_{name} has {len(x)} items but y_{name} has {len(y)}")
    if batch_size > len(x_train):
        raise ValueError(
            f"batch_size={batch_size} is larger than the training set ({len(x_train)})"
        )

    variables = model.trainable_variables
    if not optimizer.built:
        optimizer.build(variables)

    # Fixed signatures: one trace per run.
    x_spec = tf.TensorSpec((None, *x_train.shape[1:]), tf.float32)
    y_spec = tf.TensorSpec((None, *y_train.shape[1:]), tf.float32)

    def train_step(xb: Any, yb: Any) -> Any:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(yb, model(xb, training=True)))
            if model.losses:
                loss += tf.add_n(model.losses)
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return tf.cast(loss, tf.float32)

    if jit_compile:  # XLA compiles the step; the loop below feeds it
        train_step = tf.function(train_step, jit_compile=True, reduce_retracing=True)

    @tf.function
    def train_chunk(batches: Any, n: Any) -> Any:
        """``n`` steps on the next ``n`` mini-batches; their mean loss."""
        total = tf.zeros((), tf.float32)
        for _ in tf.range(n):
            xb, yb = next(batches)
            total += train_step(xb, yb)
        return total / tf.cast(n, tf.float32)

    @tf.function(input_signature=[x_spec, y_spec])
    def eval_chunk(xb: Any, yb: Any) -> Any:
        pred = model(xb, training=False)
        return tf.reduce_mean(tf.cast(loss_fn(yb, pred), tf.float32)), pred

    def evaluate(x: Any, y: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy) of the model on all of ``x``, ``y``."""
        t0 = time.perf_counter()
        n = int(x.shape[0])
        loss_sum, preds = 0.0, []
        for i in range(0, n, eval_batch):
            part_loss, pred = eval_chunk(x[i : i + eval_batch], y[i : i + eval_batch])
            loss_sum += float(part_loss) * min(eval_batch, n - i)
            preds.append(pred.numpy())
        history.eval_seconds += time.perf_counter() - t0
        return loss_sum / n, _accuracy(y, np.concatenate(preds))

    x_all = tf.convert_to_tensor(x_train)
    y_all = tf.convert_to_tensor(y_train)
    subset_rng = np.random.default_rng([seed, 1])
    train_sub = _eval_subset(len(x_train), sizes["eval_train"], subset_rng)
    test_sub = _eval_subset(len(x_test), sizes["eval_test"], subset_rng)
    x_train_eval = tf.convert_to_tensor(x_train[train_sub])
    y_train_eval = y_train[train_sub]
    x_test_eval = tf.convert_to_tensor(x_test[test_sub])
    y_test_eval = y_test[test_sub]

    # The whole mini-batch order, drawn up front: (steps, batch_size) indices.
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x_train))
    position = 0
    indices = np.empty((steps, batch_size), dtype=np.int32)
    for row in indices:
        if position + batch_size > len(order):
            order = rng.permutation(len(x_train))
            position = 0
        row[:] = order[position : position + batch_size]
        position += batch_size
    # tf.data gathers the mini-batches (in order) while the steps run; the
    # compiled loop pulls them from the iterator, as model.fit does.
    batches = iter(
        tf.data.Dataset.from_tensor_slices(indices)
        .map(lambda i: (tf.gather(x_all, i), tf.gather(y_all, i)))
        .prefetch(2)
    )

    history = IterationHistory(
        batch_size=batch_size,
        every=every,
        seed=seed,
        eval_train=len(train_sub),
        eval_test=len(test_sub),
    )
    n_records = -(-steps // every)
    print_every = max(1, n_records // 10)
    bar = None
    if terminal.interactive(progress):
        from tqdm import tqdm

        bar = tqdm(total=steps, unit="step", file=sys.stderr, mininterval=0.5)
    start = time.perf_counter()
    step = 0
    while step < steps:
        k = min(every, steps - step)
        mean_loss = float(train_chunk(batches, tf.constant(k, tf.int32)))
        step += k
        train_loss, train_acc = evaluate(x_train_eval, y_train_eval)
        test_loss, test_acc = evaluate(x_test_eval, y_test_eval)
        values = {
            "step": step,
            "loss": mean_loss,
            "accuracy": train_acc,
            "train_loss": train_loss,
            "test_loss": test_loss,
            "test_accuracy": test_acc,
            "seconds": time.perf_counter() - start,
        }
        history.append(**values)
        history.steps = step
        if bar is not None:
            bar.update(k)
            bar.set_postfix(
                acc=f"{train_acc:.3f}", test_acc=f"{test_acc:.4f}", refresh=False
            )
        elif progress and (len(history) % print_every == 0 or step == steps):
            print(history.record_line(), flush=True)
    if bar is not None:
        bar.close()
    if final_eval:
        before = history.eval_seconds
        history.final_test_loss, history.final_test_accuracy = evaluate(x_test, y_test)
        history.final_train_loss, history.final_train_accuracy = evaluate(
            x_train, y_train
        )
        history.final_eval_seconds = history.eval_seconds - before
        if progress:
            print(
                f"after {steps} steps: whole test set accuracy "
                f"{history.final_test_accuracy:.4f}, whole training set "
                f"{history.final_train_accuracy:.4f}",
                flush=True,
            )
    return history
