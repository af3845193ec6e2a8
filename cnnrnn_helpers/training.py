"""Training loops and callbacks shared by the notebooks.

Convention: notebooks call ``model.fit(..., verbose=2)`` (one line per epoch,
no carriage-return progress bars in stored outputs or CI logs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import keras
import numpy as np

from . import models, terminal
from ._args import check_bool, check_float, check_int, check_seed
from .histories import EpochHistory, TrainingHistory

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = [
    "EpochHistory",
    "EpochTimer",
    "FitScores",
    "IterationHistory",
    "TrainingHistory",
    "accuracy",
    "active_relu_share",
    "evaluate_fit",
    "fastest_epoch",
    "fit_and_evaluate",
    "hidden_activity",
    "max_gradient_per_layer",
    "predict_in_chunks",
    "train_in_turns",
    "train_iterations",
    "train_tbptt",
]


def _as_loss(loss_fn: Any) -> Any:
    """A Keras loss from its name, or the callable itself; TypeError otherwise."""
    import keras

    if isinstance(loss_fn, str):
        loss_fn = keras.losses.get(loss_fn)
    if not callable(loss_fn):
        raise TypeError(
            f"loss_fn must be a Keras loss or callable, got {type(loss_fn).__name__}"
        )
    return loss_fn


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every training epoch in seconds.

    Attributes
    ----------
    times : list of float
        One entry per finished epoch.

    Examples
    --------
    >>> timer = EpochTimer()
    >>> # model.fit(x, y, epochs=3, callbacks=[timer]); timer.mean
    """

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.times.append(time.perf_counter() - self._start)

    @property
    def mean(self) -> float:
        """Mean seconds per epoch (``nan`` before the first epoch ends)."""
        return sum(self.times) / len(self.times) if self.times else float("nan")


def max_gradient_per_layer(
    model: keras.Model,
    x: ArrayLike,
    y: ArrayLike,
    loss_fn: str | Callable[..., Any],
    *,
    training: bool = False,
) -> np.ndarray:
    """Largest absolute loss gradient of every Dense layer's kernel, in depth order.

    One forward and backward pass with :class:`tf.GradientTape` on the batch
    ``(x, y)``, in float32 whatever precision the model was trained in (on
    :func:`~cnnrnn_helpers.models.float32_copy`); nothing is updated.  For the
    Dense layers ``l = 1, ..., L`` of the model (top-level layers, in model
    order) it returns ``max_ij |dL/dW^l_ij|``, where ``L`` is the mean loss
    over the batch (as ``model.fit`` computes it).  Biases are left out.

    Parameters
    ----------
    model
        A built Keras 3 model with at least one ``keras.layers.Dense`` layer.
    x
        One mini-batch of inputs, shape (n, ...) as the model expects, float.
    y
        The matching targets, first dimension n (e.g. one-hot (n, k) float32
        for categorical cross-entropy).
    loss_fn
        A Keras loss: an instance such as
        ``keras.losses.CategoricalCrossentropy()``, a function
        ``(y_true, y_pred) -> per-sample or scalar loss``, or a name such as
        ``"categorical_crossentropy"``.  Per-sample losses are averaged.
    training
        Passed to the model call (matters only for dropout / batch norm).

    Returns
    -------
    numpy.ndarray
        float64, shape (number of Dense layers,), values >= 0; entry 0 is the
        first Dense layer after the input, the last entry the output layer.

    Raises
    ------
    ValueError
        If the model has no Dense layer, is not built, or ``x`` and ``y`` have
        different lengths.
    """
    import tensorflow as tf

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense:
        raise ValueError("the model has no keras.layers.Dense layer to probe")
    if not all(layer.built for layer in dense):
        raise ValueError("the model is not built: give it an Input or call it once")
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}"
        )
    loss_fn = _as_loss(loss_fn)
    inspected = models.float32_copy(model)
    if inspected is not model:
        model = inspected
        dense = [model.get_layer(layer.name) for layer in dense]
    kernels = [layer.kernel for layer in dense]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(loss_fn(y, model(x, training=training)))
    grads = tape.gradient(loss, kernels)
    return np.array(
        [0.0 if g is None else float(tf.reduce_max(tf.abs(g))) for g in grads],
        dtype=np.float64,
    )


def active_relu_share(model: Any, x: Any, *, batch_size: int = 500) -> np.ndarray:
    """Share of ReLU units that are switched on (output > 0), per ReLU layer.

    Every top-level layer whose activation is ReLU (e.g.
    ``Dense(..., activation="relu")`` or a ``Conv2D`` with it) is probed in
    inference mode, in float32 (:func:`~cnnrnn_helpers.models.float32_copy`),
    on the items ``x``, ``batch_size`` at a time; for each
    such layer the result is the fraction of (item, unit) outputs that are
    strictly positive.  Right after initialisation it shows whether the
    starting biases leave the units alive (a unit that is off for every
    input passes no gradient).

    Parameters
    ----------
    model
        A built Keras 3 functional or Sequential model (it has an ``Input``)
        with at least one top-level ReLU layer.
    x
        Inputs (n, ...), n >= 1, as the model expects (converted to float32).
    batch_size
        Items per chunk, >= 1.

    Returns
    -------
    numpy.ndarray
        float64, shape (number of ReLU layers,), values in [0, 1], in model
        order (entry 0: the first ReLU layer after the input).

    Raises
    ------
    ValueError
        If the model has no ReLU layer, or ``x`` is empty.
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    relu = [
        layer
        for layer in model.layers
        if getattr(getattr(layer, "activation", None), "__name__", "") == "relu"
    ]
    if not relu:
        raise ValueError("the model has no top-level layer with a ReLU activation")
    x = np.asarray(x, dtype=np.float32)
    if len(x) == 0:
        raise ValueError("x must hold at least one item")
    probe = models.layer_output_model(model, relu)  # float32 whatever the policy
    on = np.zeros(len(relu))
    total = np.zeros(len(relu))
    for start in range(0, len(x), batch_size):
        outputs = probe(x[start : start + batch_size], training=False)
        for k, out in enumerate(outputs):
            values = np.asarray(out)
            on[k] += float(np.sum(values > 0))
            total[k] += values.size
    return on / total


# ----------------------------------------------------- iteration-based training


def _accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Accuracy of predictions ``y_pred`` against targets ``y_true`` (NumPy).

    Three target layouts are understood:

    * binary: ``y_pred`` has shape (n,) or (n, 1) (sigmoid outputs); an item
      counts as class 1 when its output is > 0.5;
    * one-hot: ``y_true`` and ``y_pred`` both (n, k) with k >= 2;
    * sparse: ``y_true`` holds class indices (n,) or (n, 1), ``y_pred`` (n, k).
    """
    y_pred = np.asarray(y_pred)
    y_true = np.asarray(y_true)
    if y_pred.ndim == 1 or y_pred.shape[-1] == 1:
        predicted = (y_pred.reshape(-1) > 0.5).astype(np.int64)
        truth = np.rint(y_true.reshape(-1)).astype(np.int64)
    else:
        predicted = y_pred.argmax(axis=-1)
        if y_true.ndim == y_pred.ndim and y_true.shape[-1] == y_pred.shape[-1]:
            truth = y_true.argmax(axis=-1)
        else:
            truth = np.rint(y_true.reshape(-1)).astype(np.int64)
    return float(np.mean(predicted == truth))


class IterationHistory:
    """What :func:`train_iterations` recorded, in the layout of a Keras History.

    ``history`` is a dict of equally long lists, one entry per record (every
    ``every`` steps), so ``viz.plot_history(h, ("accuracy",), x="step",
    xlabel="iteration")`` draws training and test accuracy over the steps.
    The curves are measured on two *fixed* evaluation subsets drawn once per
    run (``eval_train`` training and ``eval_test`` test items), so every point
    of a curve is computed on the same items; the whole test set (and the
    whole training set) is evaluated once, after the last step.

    Attributes
    ----------
    history : dict of str -> list of float
        ``"step"``: the number of training steps done when the record was
        taken (``every, 2*every, ...``, and the last step);
        ``"loss"``: mean training loss (training mode, e.g. with dropout) over
        the steps since the previous record;
        ``"accuracy"``, ``"train_loss"``: accuracy in [0, 1] and mean loss on
        the fixed training subset, the model in inference mode (no dropout),
        after the update;
        ``"test_loss"``, ``"test_accuracy"``: the same on the fixed test
        subset;
        ``"seconds"``: wall time since training started (evaluation included).
    steps : int
        Training steps done.
    batch_size, every, seed : int
        The arguments of the run.
    eval_train, eval_test : int
        Sizes of the fixed evaluation subsets actually used (at most the
        size of the training / test set).
    final_test_accuracy, final_test_loss : float
        Accuracy and mean loss on the *whole* test set after the last step
        (``nan`` when the run was made with ``final_eval=False``).
    final_train_accuracy, final_train_loss : float
        The same on the whole training set (``nan`` without ``final_eval``).
    eval_seconds : float
        Wall time spent on evaluation (curves and final evaluation), seconds.
    final_eval_seconds : float
        The part of :attr:`eval_seconds` spent on the final whole-set
        evaluation (0 without ``final_eval``).
    """

    KEYS: tuple[str, ...] = (
        "step",
        "loss",
        "accuracy",
        "train_loss",
        "test_loss",
        "test_accuracy",
        "seconds",
    )

    def __init__(
        self,
        *,
        batch_size: int,
        every: int,
        seed: int,
        eval_train: int = 0,
        eval_test: int = 0,
    ) -> None:
        self.history: dict[str, list[float]] = {key: [] for key in self.KEYS}
        self.steps = 0
        self.batch_size = batch_size
        self.every = every
        self.seed = seed
        self.eval_train = eval_train
        self.eval_test = eval_test
        self.final_test_accuracy = float("nan")
        self.final_test_loss = float("nan")
        self.final_train_accuracy = float("nan")
        self.final_train_loss = float("nan")
        self.eval_seconds = 0.0
        self.final_eval_seconds = 0.0

    def __len__(self) -> int:
        return len(self.history["step"])

    def __repr__(self) -> str:
        return (
            f"IterationHistory({self.steps} steps, {len(self)} records, "
            f"batch_size={self.batch_size}, every={self.every}, "
            f"final_test_accuracy={self.final_test_accuracy:.4f})"
        )

    def final(self, metric: str = "test_accuracy") -> float:
        """The last recorded value of ``metric`` (one of :attr:`KEYS`).

        This is the value on the fixed evaluation subset; the whole-set
        figures are :attr:`final_test_accuracy` and friends.
        """
        if metric not in self.history:
            raise ValueError(f"unknown metric {metric!r}: expected one of {self.KEYS}")
        if not self.history[metric]:
            raise ValueError("nothing recorded yet")
        return float(self.history[metric][-1])

    def record_line(self, index: int = -1) -> str:
        """One readable line for record ``index`` (default: the last one)."""
        h = {key: values[index] for key, values in self.history.items()}
        return (
            f"step {int(h['step']):>6d}  loss {h['loss']:.4f}  "
            f"train acc {h['accuracy']:.4f}  test loss {h['test_loss']:.4f}  "
            f"test acc {h['test_accuracy']:.4f}  ({h['seconds']:.0f} s)"
        )


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
        for key in IterationHistory.KEYS:
            history.history[key].append(float(values[key]))
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


def _sequences(values: Any, what: str, n_features: int | None = None) -> np.ndarray:
    """Return a float32 (n, T, f) array; (n, T) gets a feature axis."""
    arr = np.asarray(values, dtype=np.float32)
    if arr.ndim == 2:
        arr = arr[..., None]
    if arr.ndim != 3:
        raise ValueError(
            f"{what} must be (n, time) or (n, time, features), got shape {arr.shape}"
        )
    if n_features is not None and arr.shape[-1] != n_features:
        raise ValueError(
            f"{what} must have {n_features} value(s) per time step, got {arr.shape[-1]}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return arr


def _stateful_variables(model: Any) -> list[Any]:
    """The state variables of every stateful RNN layer of ``model`` (built)."""
    found = []
    for layer in model.layers:
        if getattr(layer, "stateful", False) and getattr(layer, "states", None):
            found += list(layer.states)
    return found


def _batch_and_chunk(model: Any, chunk: int | None) -> tuple[int, int | None]:
    shape = model.inputs[0].shape
    batch, steps = shape[0], shape[1]
    if batch is None:
        raise ValueError("the model needs a fixed batch size (a stateful RNN)")
    if chunk is None:
        chunk = steps
    elif steps is not None and chunk != steps:
        raise ValueError(f"chunk={chunk} but the model takes {steps} time steps")
    return int(batch), chunk


def _tbptt_arrays(
    model: keras.Model,
    arrays: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    batch_size: int,
    chunk: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check and convert ``(x, y, x_val, y_val)`` for :func:`train_tbptt`."""
    model_batch, _ = _batch_and_chunk(model, chunk)
    if batch_size != model_batch:
        raise ValueError(
            f"batch_size={batch_size} but the model was built for {model_batch}"
        )
    n_features = int(model.inputs[0].shape[-1])
    x = _sequences(arrays[0], "x", n_features)
    y = _sequences(arrays[1], "y")
    x_val = _sequences(arrays[2], "x_val", n_features)
    y_val = _sequences(arrays[3], "y_val")
    for a, b, what in ((x, y, "x and y"), (x_val, y_val, "x_val and y_val")):
        if a.shape[:2] != b.shape[:2]:
            raise ValueError(f"{what} differ in (n, time): {a.shape} vs {b.shape}")
        if a.shape[0] < batch_size:
            raise ValueError(f"{what} hold fewer than batch_size={batch_size} items")
        if a.shape[1] % chunk:
            raise ValueError(
                f"sequence length {a.shape[1]} is not a multiple of chunk={chunk}"
            )
    return x, y, x_val, y_val


def _tbptt_steps(
    model: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    states: list[Any],
    jit_compile: bool,
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The compiled training and evaluation steps of one chunk."""
    import tensorflow as tf

    variables = model.trainable_variables

    def reset(keep):
        # keep = 0.0 at the first chunk of a mini-batch: zeros, not v * 0,
        # so a state that blew up to inf/NaN does not leak into the next one
        for v in states:
            v.assign(tf.where(keep > 0.5, v, tf.zeros_like(v)))

    @tf.function(jit_compile=jit_compile)
    def train_step(xb, yb, keep):
        reset(keep)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return loss

    @tf.function(jit_compile=jit_compile)
    def eval_step(xb, yb, keep):
        reset(keep)
        return tf.reduce_mean(tf.square(model(xb, training=False) - yb))

    return train_step, eval_step


def train_tbptt(
    model: keras.Model,
    x: ArrayLike,
    y: ArrayLike,
    x_val: ArrayLike,
    y_val: ArrayLike,
    *,
    epochs: int,
    batch_size: int = 20,
    chunk: int = 50,
    optimizer: keras.optimizers.Optimizer | None = None,
    learning_rate: float = 0.003,
    shuffle: bool = False,
    seed: int = 0,
    jit_compile: bool = False,
    verbose: bool = True,
) -> EpochHistory:
    """Train a stateful RNN with truncated backpropagation through time (lab Q6-9).

    Each epoch walks through the training sequences in mini-batches of
    ``batch_size`` sequences.  For every mini-batch the recurrent states are
    set to zero (whatever they held, even inf or NaN), then the sequences
    are cut into consecutive chunks of
    ``chunk`` time steps that are fed *in order*: the states carry over from
    one chunk to the next (forward information flows through the whole
    sequence), but gradients stop at chunk boundaries.  One compiled
    ``tf.function`` performs a chunk's forward pass, mean-squared-error
    gradient and optimiser update (the lab's loop calls ``train_on_batch`` for
    every chunk and ``evaluate`` for every validation chunk, which is several
    times slower; see ``bench/tbptt.py``).

    The reported errors are *normalised*: MSE divided by the variance of the
    target signal, so 1 means "no better than predicting the mean" and values
    below about 0.1 mean the error is much smaller than the signal.  The
    training error of an epoch is the mean of the chunk losses seen during
    that epoch (as the lab computes it); the validation error is the MSE of
    the model after the epoch, run chunk by chunk the same way.

    Parameters
    ----------
    model
        A model from :func:`cnnrnn_helpers.models.stateful_rnn` (or any Keras
        model with a fixed input batch size ``batch_size`` and stateful RNN
        layers), input (batch_size, chunk, f), output (batch_size, chunk, 1).
    x, y
        Training inputs (n, T) or (n, T, f) and targets (n, T) or (n, T, 1),
        float.  T must be a multiple of ``chunk``; n >= ``batch_size`` (a last
        incomplete mini-batch is left out, as in the lab).
    x_val, y_val
        Validation sequences, the same layout.
    epochs
        Number of passes over the training sequences, >= 1.
    batch_size
        Sequences per mini-batch; must equal the model's fixed batch size.
    chunk
        Time steps per truncated-BPTT chunk (100 = the whole sequence, no
        truncation, for T = 100).
    optimizer
        A Keras optimiser; default the model's compiled optimiser, else a
        new ``Adam(learning_rate)``.  It is built for the model's weights
        before the compiled step runs.  To continue training where a call
        stopped, pass that call's ``history.optimizer``.
    learning_rate
        Used only when a new Adam optimiser is made, > 0.
    shuffle
        Visit the mini-batches in a new random order every epoch (the lab
        uses the fixed order, ``False``).
    seed
        Seed of the shuffling.
    jit_compile
        Compile the steps with XLA: several times faster per epoch on a CPU,
        but the first epoch then spends 10-30 s compiling (worth it for long
        runs only).
    verbose
        Print one line per epoch: seconds, training and validation error.

    Returns
    -------
    EpochHistory
        One float per epoch in ``history`` (also readable as
        ``hist["val_error"]``): ``"epoch"``, ``"error"`` and ``"val_error"``
        (normalised), ``"mse"`` and ``"val_mse"`` (raw), ``"seconds"``; and
        the ``optimizer`` used.  Same interface as :class:`IterationHistory`
        (:class:`TrainingHistory`).

    Raises
    ------
    TypeError
        Arguments of the wrong kind (e.g. ``epochs=2.5``, ``optimizer="adam"``).
    ValueError
        On mismatched shapes, a batch size other than the model's, or a
        sequence length that is not a multiple of ``chunk``.
    """
    import tensorflow as tf

    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    chunk = check_int(chunk, "chunk", minimum=1)
    learning_rate = check_float(learning_rate, "learning_rate", low=0, low_open=True)
    shuffle = check_bool(shuffle, "shuffle")
    seed = check_seed(seed)
    jit_compile = check_bool(jit_compile, "jit_compile")
    verbose = check_bool(verbose, "verbose")
    if optimizer is not None and not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            "optimizer must be None or a keras.optimizers.Optimizer, got "
            f"{type(optimizer).__name__}"
        )
    x, y, x_val, y_val = _tbptt_arrays(model, (x, y, x_val, y_val), batch_size, chunk)
    if optimizer is None:
        optimizer = getattr(model, "optimizer", None) or keras.optimizers.Adam(
            learning_rate
        )
    states = _stateful_variables(model)
    if not states:
        raise ValueError("the model has no stateful RNN layer")
    if not optimizer.built:  # its slot variables must exist before tracing
        optimizer.build(model.trainable_variables)
    train_step, eval_step = _tbptt_steps(model, optimizer, states, jit_compile)

    def chunks(xs, ys, order):
        for b in order:
            i1 = b * batch_size
            for c, t1 in enumerate(range(0, xs.shape[1], chunk)):
                keep = tf.constant(0.0 if c == 0 else 1.0)
                yield (
                    tf.constant(xs[i1 : i1 + batch_size, t1 : t1 + chunk]),
                    tf.constant(ys[i1 : i1 + batch_size, t1 : t1 + chunk]),
                    keep,
                )

    var_train, var_val = float(np.var(y)), float(np.var(y_val))
    if var_train == 0 or var_val == 0:
        raise ValueError("the targets are constant: the normalised error is undefined")
    n_batches, n_val_batches = len(x) // batch_size, len(x_val) // batch_size
    rng = np.random.default_rng(seed)
    history = EpochHistory(optimizer)
    if verbose:
        print(f"{'epoch':>5}  {'s/epoch':>7}  {'train err':>9}  {'val err':>9}")
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(n_batches) if shuffle else np.arange(n_batches)
        losses = [float(train_step(*args)) for args in chunks(x, y, order)]
        val = [
            float(eval_step(*args))
            for args in chunks(x_val, y_val, np.arange(n_val_batches))
        ]
        seconds = time.perf_counter() - start
        mse, val_mse = float(np.mean(losses)), float(np.mean(val))
        history.append(
            epoch=epoch,
            error=mse / var_train,
            val_error=val_mse / var_val,
            mse=mse,
            val_mse=val_mse,
            seconds=seconds,
        )
        if verbose:
            print(history.record_line())
    for v in states:
        v.assign(tf.zeros_like(v))
    return history


def hidden_activity(
    model: keras.Model, x_seq: ArrayLike, layer: int | str | keras.layers.Layer = 0
) -> np.ndarray:
    """Outputs of one layer of a stateful RNN over whole sequences.

    The sequences are run through the model chunk by chunk (the chunk length
    of the model's input), in mini-batches of the model's fixed batch size,
    with the states set to zero at the start of every mini-batch: exactly
    what the network sees in :func:`train_tbptt`.  The activity is computed
    in float32 whatever precision the model was trained in (on
    :func:`~cnnrnn_helpers.models.float32_copy`, whose states start at
    zero).  Missing sequences of the last mini-batch are padded with zeros
    and dropped from the result.

    Parameters
    ----------
    model
        A stateful model such as :func:`cnnrnn_helpers.models.stateful_rnn`.
    x_seq
        Input sequences (T,), (n, T) or (n, T, f), float.  T must be a multiple
        of the model's chunk length (if it has one).
    layer
        The layer to record: its index in ``model.layers`` (0 = first RNN
        layer, -1 = output), its name, or the layer itself.

    Returns
    -------
    numpy.ndarray
        float32 (n, T, units): the layer's output at every time step (for a
        recurrent layer the hidden-node activity; for LSTM only the output
        ``h``, not the memory cell ``c``; for the output layer the
        predictions (n, T, 1)).  A 1-D input gives (1, T, units).
    """
    import tensorflow as tf

    target = models.find_layer(model, layer)
    inspected = models.float32_copy(model)
    if inspected is not model:
        model, target = inspected, inspected.get_layer(target.name)
    arr = np.asarray(x_seq, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None]
    n_features = int(model.inputs[0].shape[-1])
    arr = _sequences(arr, "x_seq", n_features)
    batch, chunk = _batch_and_chunk(model, None)
    n, steps = arr.shape[:2]
    chunk = chunk or steps
    if steps % chunk:
        raise ValueError(f"sequence length {steps} is not a multiple of chunk={chunk}")
    padded = -(-n // batch) * batch
    if padded > n:
        arr = np.concatenate([arr, np.zeros((padded - n, *arr.shape[1:]), "float32")])
    probe = models.layer_output_model(model, [target])
    states = _stateful_variables(model)
    parts = []
    for i1 in range(0, padded, batch):
        for v in states:
            v.assign(tf.zeros_like(v))
        row = [
            models.layer_outputs(probe, arr[i1 : i1 + batch, t1 : t1 + chunk])[0]
            for t1 in range(0, steps, chunk)
        ]
        parts.append(np.concatenate(row, axis=1))
    for v in states:
        v.assign(tf.zeros_like(v))
    return np.concatenate(parts)[:n]


def predict_in_chunks(
    model: keras.Model | keras.layers.Layer | Callable[[Any], Any],
    x: ArrayLike,
    batch_size: int = 500,
    *,
    preprocess: Callable[[np.ndarray], Any] | None = None,
) -> np.ndarray:
    """Predict a large array piece by piece, with bounded memory.

    Only one chunk of ``x`` is converted (e.g. uint8 -> float32 in [0, 1])
    and pushed through the model at a time, so memory use depends on
    ``batch_size``, not on ``len(x)``; the outputs are concatenated.

    Parameters
    ----------
    model
        A Keras model or layer, or any callable mapping a (b, ...) array to a
        (b, ...) tensor (e.g. a TF Hub signature wrapped in a lambda).
    x
        Array of shape (n, ...), e.g. (n, 32, 32, 3) uint8 images.
    batch_size
        Rows per chunk, >= 1.
    preprocess
        Optional function applied to each chunk before the model, e.g.
        ``lambda b: b.astype("float32") / 255``.

    Returns
    -------
    numpy.ndarray
        The outputs of all chunks stacked along axis 0: shape (n, ...).

    Raises
    ------
    ValueError
        If ``x`` is empty or ``batch_size`` is not a positive integer.
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if not hasattr(x, "shape"):
        x = np.asarray(x)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError("x must be a non-empty array of shape (n, ...)")
    outputs = []
    for start in range(0, len(x), batch_size):
        chunk = x[start : start + batch_size]
        if preprocess is not None:
            chunk = preprocess(chunk)
        if isinstance(model, keras.Model | keras.layers.Layer):
            out = model(chunk, training=False)
        else:
            out = model(chunk)
        outputs.append(np.asarray(out))
    return np.concatenate(outputs, axis=0)


class FitScores(NamedTuple):
    """What :func:`fit_and_evaluate` (or :func:`evaluate_fit`) measured.

    Attributes
    ----------
    history
        The ``keras.callbacks.History`` returned by ``model.fit``.
    train_running
        ``history.history["accuracy"][-1]``: Keras' running mean of the
        training accuracy over the mini-batches of the last epoch, in [0, 1]
        (what ``fit`` prints, and what most sheets report).
    val_running
        ``history.history["val_accuracy"][-1]``: the accuracy on the
        validation data after the last epoch, in [0, 1]; ``None`` when
        ``fit`` got no validation data.
    train_acc
        ``model.evaluate`` accuracy on the whole training set after training,
        in [0, 1].
    test_acc
        ``model.evaluate`` accuracy on the test set after training, in [0, 1].
    """

    history: Any
    train_running: float
    val_running: float | None
    train_acc: float
    test_acc: float

    @property
    def gap(self) -> float:
        """``train_acc - test_acc`` (evaluated after training)."""
        return self.train_acc - self.test_acc


def _check_pair(x: Any, y: Any, what: str) -> None:
    if not hasattr(x, "__len__") or not hasattr(y, "__len__"):
        raise TypeError(f"{what}: inputs and labels must be arrays")
    if len(x) == 0:
        raise ValueError(f"{what}: the inputs are empty")
    if len(x) != len(y):
        raise ValueError(f"{what}: {len(x)} inputs but {len(y)} labels")


def _evaluated_accuracy(model: Any, x: Any, y: Any, batch_size: int) -> float:
    scores = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    if "accuracy" not in scores:
        raise ValueError(
            "model must be compiled with metrics=['accuracy'], "
            f"its metrics are {sorted(scores)}"
        )
    return float(scores["accuracy"])


def evaluate_fit(
    model: Any,
    history: Any,
    x: Any,
    y: Any,
    x_test: Any,
    y_test: Any,
    *,
    batch_size: int = 512,
) -> FitScores:
    """The scores of a model that ``model.fit`` has just trained.

    Reads the last epoch's running-mean accuracies from ``history`` and
    evaluates the trained model on the whole training and test sets.

    Parameters
    ----------
    model
        A Keras model compiled with ``metrics=["accuracy"]`` and trained.
    history
        The ``History`` its ``fit`` returned (with an ``"accuracy"`` entry).
    x, y
        The training inputs (n, ...) float32 and integer class labels (n,).
    x_test, y_test
        The test inputs (m, ...) and labels (m,).
    batch_size
        Batch size of the evaluations (memory only, not the result), >= 1.

    Returns
    -------
    FitScores

    Raises
    ------
    ValueError
        If the history has no accuracy, inputs and labels differ in length
        or are empty, or the model was compiled without the accuracy metric.
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    _check_pair(x, y, "x, y")
    _check_pair(x_test, y_test, "x_test, y_test")
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs.get("accuracy"):
        raise ValueError(
            "history must be the History of a fit with metrics=['accuracy']"
        )
    val = logs.get("val_accuracy")
    return FitScores(
        history=history,
        train_running=float(logs["accuracy"][-1]),
        val_running=float(val[-1]) if val else None,
        train_acc=_evaluated_accuracy(model, x, y, batch_size),
        test_acc=_evaluated_accuracy(model, x_test, y_test, batch_size),
    )


def fit_and_evaluate(
    model: Any,
    x: Any,
    y: Any,
    x_test: Any,
    y_test: Any,
    *,
    optimizer: Any = None,
    epochs: int,
    batch_size: int,
    validation: bool = True,
    verbose: int = 2,
) -> FitScores:
    """Compile (optionally), fit and score a classifier the way sheet s05 does.

    With ``optimizer`` given, the model is compiled with it, the
    ``sparse_categorical_crossentropy`` loss and the accuracy metric; then
    ``model.fit(x, y, epochs=epochs, batch_size=batch_size,
    validation_data=(x_test, y_test) if validation else None)`` and
    :func:`evaluate_fit`.

    Parameters
    ----------
    model
        A Keras classifier with softmax outputs (n, k).  Already compiled
        (with ``metrics=["accuracy"]``) if ``optimizer`` is ``None``.
    x, y
        Training inputs (n, ...) float32 and integer labels (n,) in [0, k).
    x_test, y_test
        Test inputs (m, ...) and labels (m,); also the validation data of
        ``fit`` when ``validation`` is true.
    optimizer
        A Keras optimizer or its name (``"SGD"``, ``"adam"``); ``None`` keeps
        the model's compilation.
    epochs, batch_size
        Passed to ``fit``; ints >= 1 (NumPy ints accepted).
    validation
        Validate on the test set after every epoch (as sheet s05 problem 1f).
    verbose
        ``fit``'s verbosity: 0 silent, 2 one line per epoch.

    Returns
    -------
    FitScores
        History, last-epoch running-mean accuracies and the evaluated
        training and test accuracies.

    Raises
    ------
    ValueError
        If ``optimizer`` is ``None`` and the model is not compiled, the
        sizes do not match, or ``epochs``/``batch_size`` are not >= 1.
    TypeError
        If ``epochs`` or ``batch_size`` is not an int.
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    _check_pair(x, y, "x, y")
    _check_pair(x_test, y_test, "x_test, y_test")
    if optimizer is not None:
        model.compile(
            optimizer=optimizer,
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    elif not getattr(model, "compiled", False):
        raise ValueError("model is not compiled: pass optimizer= or compile it first")
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(x_test, y_test) if validation else None,
        verbose=verbose,
    )
    return evaluate_fit(model, history, x, y, x_test, y_test)


def train_in_turns(
    nets: dict[str, Any],
    x: Any,
    y: Any,
    x_test: Any,
    y_test: Any,
    *,
    epochs: int,
    batch_size: int,
    verbose: bool = True,
) -> tuple[dict[str, EpochTimer], dict[str, dict[str, list[float]]]]:
    """Train compiled models one epoch at a time, taking turns.

    Epoch 1 of every model, then epoch 2 of every model, and so on, so that
    a change in the machine's load slows all of them alike.  Each model's
    epochs are timed by its own :class:`EpochTimer`; the test set is
    evaluated after each epoch outside the timed part.

    Parameters
    ----------
    nets
        ``{name: model}``, each compiled with ``metrics=["accuracy"]``.
    x, y
        Training inputs (n, ...) and integer labels (n,).
    x_test, y_test
        Test inputs (m, ...) and labels (m,).
    epochs, batch_size
        Ints >= 1.
    verbose
        Print one line per model and epoch (seconds, loss, accuracies).

    Returns
    -------
    (timers, curves)
        ``timers[name].times``: seconds of each epoch; ``curves[name]``: a
        history-like mapping with ``loss``, ``accuracy`` (running means of
        each epoch), ``val_loss`` and ``val_accuracy`` (test set after each
        epoch), one value per epoch, for :func:`cnnrnn_helpers.viz.plot_history`.

    Raises
    ------
    ValueError
        If ``nets`` is empty or sizes do not match.
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if not nets:
        raise ValueError("nets must name at least one compiled model")
    _check_pair(x, y, "x, y")
    _check_pair(x_test, y_test, "x_test, y_test")
    timers = {name: EpochTimer() for name in nets}
    curves: dict[str, dict[str, list[float]]] = {name: {} for name in nets}
    width = max(len(name) for name in nets)
    for epoch in range(epochs):
        for name, model in nets.items():
            fit = model.fit(
                x,
                y,
                initial_epoch=epoch,
                epochs=epoch + 1,
                batch_size=batch_size,
                callbacks=[timers[name]],
                verbose=0,
            )
            scores = model.evaluate(
                x_test, y_test, batch_size=512, verbose=0, return_dict=True
            )
            row = {
                "loss": float(fit.history["loss"][0]),
                "val_loss": float(scores["loss"]),
                "accuracy": float(fit.history["accuracy"][0]),
                "val_accuracy": float(scores["accuracy"]),
            }
            for key, val in row.items():
                curves[name].setdefault(key, []).append(val)
            if verbose:
                print(
                    f"epoch {epoch + 1}/{epochs} {name:{width}s} "
                    f"{timers[name].times[-1]:6.2f} s  loss {row['loss']:.4f}  "
                    f"accuracy {row['accuracy']:.4f}  "
                    f"test accuracy {row['val_accuracy']:.4f}"
                )
    return timers, curves


def fastest_epoch(timer: EpochTimer | Any) -> float:
    """Seconds of the fastest epoch after the first one.

    The first epoch also traces and compiles the training step, so it is
    left out unless it is the only one; of the rest the fastest is the one
    least slowed down by other programs (they can only add time).

    Parameters
    ----------
    timer
        An :class:`EpochTimer` or a sequence of epoch times in seconds.

    Raises
    ------
    ValueError
        If no epoch was timed.
    """
    times = [float(t) for t in getattr(timer, "times", timer)]
    if not times:
        raise ValueError("timer holds no epoch times yet")
    return min(times[1:]) if len(times) > 1 else times[0]


def accuracy(model: Any, x: Any, y: Any, *, batch_size: int = 1000) -> float:
    """Accuracy of ``model`` on the whole of ``x``, predicted in chunks.

    The model runs in inference mode (dropout off), ``batch_size`` items at a
    time (see :func:`predict_in_chunks`), and its outputs are compared with
    the targets as in :func:`train_iterations`.

    Parameters
    ----------
    model
        A Keras model mapping float32 (n, ...) inputs to (n, k) class
        probabilities (k >= 2) or (n, 1) sigmoid outputs.
    x
        Inputs (n, ...), n >= 1, already scaled as the model expects (e.g.
        float32 (n, 28, 28, 1) in [0, 1]); converted to float32.
    y
        Targets for the n items: one-hot (n, k), class indices (n,), or 0/1
        labels (n,) for a sigmoid output (class 1 when the output is > 0.5).
    batch_size
        Items per chunk, >= 1.

    Returns
    -------
    float
        Share of correctly classified items, in [0, 1].

    Raises
    ------
    TypeError
        If ``batch_size`` is not an int.
    ValueError
        If ``x`` is empty, ``batch_size`` < 1, or ``x`` and ``y`` differ in length.

    Examples
    --------
    >>> training.accuracy(model, x_test, y_test)  # doctest: +SKIP
    0.9812
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if len(x) == 0:
        raise ValueError("x must hold at least one item")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} items but y has {len(y)}")
    return _accuracy(y, predict_in_chunks(model, x, batch_size))
