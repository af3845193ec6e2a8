"""Fitting with Keras' own ``model.fit``: timing, scores, turns, chunked prediction.

Convention: notebooks call ``model.fit(..., verbose=2)`` (one line per epoch,
no carriage-return progress bars in stored outputs or CI logs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import keras
import numpy as np

from .._args import check_int
from ._shared import _accuracy

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


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
