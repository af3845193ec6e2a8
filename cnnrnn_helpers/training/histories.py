"""One history type for both trainers.

:func:`cnnrnn_helpers.training.train_iterations` returns an
:class:`IterationHistory` (one record every ``every`` steps) and
:func:`cnnrnn_helpers.training.train_tbptt` an :class:`EpochHistory` (one
record per epoch).  Both follow :class:`TrainingHistory`: a Keras-like
``history`` dict of equally long lists, ``KEYS``, ``len()`` = number of
records, ``final(metric)`` and ``record_line(index)``; so notebooks, plots
(``viz.plot_history``) and the results table treat them alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from ..terminal import format_duration

if TYPE_CHECKING:
    import keras

__all__ = ["EpochHistory", "IterationHistory", "RecordedHistory", "TrainingHistory"]


@runtime_checkable
class TrainingHistory(Protocol):
    """What every trainer of the pack returns (a structural type)."""

    KEYS: ClassVar[tuple[str, ...]]
    history: dict[str, list[float]]

    def __len__(self) -> int: ...

    def final(self, metric: str = ...) -> float: ...

    def record_line(self, index: int = -1) -> str: ...


class RecordedHistory:
    """Shared implementation of :class:`TrainingHistory`.

    Subclasses set ``KEYS`` (the first key counts the records) and
    ``DEFAULT_METRIC`` and implement :meth:`record_line`.  Values can be read
    like a dict too: ``h["val_error"]`` is ``h.history["val_error"]``.
    """

    KEYS: ClassVar[tuple[str, ...]] = ()
    DEFAULT_METRIC: ClassVar[str] = ""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {key: [] for key in self.KEYS}

    def append(self, **values: float) -> None:
        """Add one record; ``values`` must name every key of :attr:`KEYS`."""
        if sorted(values) != sorted(self.KEYS):
            raise ValueError(
                f"a record needs the keys {self.KEYS}, got {sorted(values)}"
            )
        for key in self.KEYS:
            self.history[key].append(float(values[key]))

    def __len__(self) -> int:
        return len(self.history[self.KEYS[0]]) if self.KEYS else 0

    # dict-style reading, as the earlier plain-dict result of train_tbptt
    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __contains__(self, key: object) -> bool:
        return key in self.history

    def __iter__(self) -> Iterator[str]:
        return iter(self.history)

    def keys(self) -> Any:
        """The metric names (as ``dict.keys``)."""
        return self.history.keys()

    def items(self) -> Any:
        """``(metric, values)`` pairs (as ``dict.items``)."""
        return self.history.items()

    def final(self, metric: str | None = None) -> float:
        """The last recorded value of ``metric`` (default :attr:`DEFAULT_METRIC`)."""
        metric = self.DEFAULT_METRIC if metric is None else metric
        if metric not in self.history:
            raise ValueError(f"unknown metric {metric!r}: expected one of {self.KEYS}")
        if not self.history[metric]:
            raise ValueError("nothing recorded yet")
        return float(self.history[metric][-1])

    def record_line(self, index: int = -1) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class EpochHistory(RecordedHistory):
    """What :func:`cnnrnn_helpers.training.train_tbptt` recorded, per epoch.

    Attributes
    ----------
    history : dict of str -> list of float
        ``"epoch"`` (1, 2, ...), ``"error"`` and ``"val_error"`` (MSE divided
        by the target variance: 1 = no better than the mean), ``"mse"`` and
        ``"val_mse"`` (raw), ``"seconds"`` (wall time of the epoch).
    optimizer : keras.optimizers.Optimizer
        The optimiser that did the updates; pass it as ``optimizer=`` to a
        further ``train_tbptt`` call to continue training (its moments and
        step count carry on).
    """

    KEYS: ClassVar[tuple[str, ...]] = (
        "epoch",
        "error",
        "val_error",
        "mse",
        "val_mse",
        "seconds",
    )
    DEFAULT_METRIC: ClassVar[str] = "val_error"

    def __init__(self, optimizer: keras.optimizers.Optimizer | None = None) -> None:
        super().__init__()
        self.optimizer = optimizer

    @property
    def epochs(self) -> int:
        """Epochs recorded."""
        return len(self)

    def __repr__(self) -> str:
        return f"EpochHistory({len(self)} epochs, keys={list(self.KEYS)})"

    def record_line(self, index: int = -1) -> str:
        """One readable line for record ``index`` (default: the last one)."""
        h = {key: values[index] for key, values in self.history.items()}
        return (
            f"{int(h['epoch']):>5}  {h['seconds']:7.2f}  {h['error']:9.5f}  "
            f"{h['val_error']:9.5f}"
        )


class IterationHistory(RecordedHistory):
    """What :func:`~cnnrnn_helpers.training.train_iterations` recorded, Keras-like.

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

    KEYS: ClassVar[tuple[str, ...]] = (
        "step",
        "loss",
        "accuracy",
        "train_loss",
        "test_loss",
        "test_accuracy",
        "seconds",
    )
    #: :meth:`final` reads the fixed test subset; the whole-set figure is
    #: :attr:`final_test_accuracy`.
    DEFAULT_METRIC: ClassVar[str] = "test_accuracy"

    def __init__(
        self,
        *,
        batch_size: int,
        every: int,
        seed: int,
        eval_train: int = 0,
        eval_test: int = 0,
    ) -> None:
        super().__init__()
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

    def __repr__(self) -> str:
        return (
            f"IterationHistory({self.steps} steps, {len(self)} records, "
            f"batch_size={self.batch_size}, every={self.every}, "
            f"final_test_accuracy={self.final_test_accuracy:.4f})"
        )

    def record_line(self, index: int = -1) -> str:
        """One readable line for record ``index`` (default: the last one)."""
        h = {key: values[index] for key, values in self.history.items()}
        return (
            f"step {int(h['step']):>6d}  loss {h['loss']:.4f}  "
            f"train acc {h['accuracy']:.4f}  test loss {h['test_loss']:.4f}  "
            f"test acc {h['test_accuracy']:.4f}  ({format_duration(h['seconds'])})"
        )
