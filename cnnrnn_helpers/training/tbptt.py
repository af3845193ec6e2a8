"""Truncated backpropagation through time for stateful RNNs (lab Q6-9).

:func:`train_tbptt` feeds each mini-batch of sequences chunk by chunk, the
recurrent states carrying over between chunks and the gradients stopping at
their boundaries, in one compiled step per chunk; it returns an
:class:`~.histories.EpochHistory`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from .._args import check_bool, check_float, check_int, check_seed
from .histories import EpochHistory

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


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
