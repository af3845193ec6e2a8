"""Training loops, probes and fit helpers shared by the notebooks.

Module map
----------
iterations  :func:`train_iterations`: a fixed number of mini-batch steps in
            compiled chunks, learning curves on fixed evaluation subsets
            (sheet s03)
tbptt       :func:`train_tbptt`: truncated backpropagation through time for
            stateful RNNs (lab Q6-9)
histories   what both trainers return: :class:`IterationHistory` and
            :class:`EpochHistory`, both a :class:`RecordedHistory`
            (:class:`TrainingHistory` is the structural type)
probes      :func:`max_gradient_per_layer`, :func:`active_relu_share`,
            :func:`hidden_activity` (gradients and activations, no training)
fit         around Keras' ``model.fit``: :class:`EpochTimer`,
            :func:`fit_and_evaluate` / :func:`evaluate_fit` (:class:`FitScores`),
            :func:`train_in_turns`, :func:`fastest_epoch`,
            :func:`predict_in_chunks`, :func:`accuracy`

Convention: notebooks call ``model.fit(..., verbose=2)`` (one line per epoch,
no carriage-return progress bars in stored outputs or CI logs).
"""

from .fit import (
    EpochTimer,
    FitScores,
    accuracy,
    evaluate_fit,
    fastest_epoch,
    fit_and_evaluate,
    predict_in_chunks,
    train_in_turns,
)
from .histories import EpochHistory, IterationHistory, RecordedHistory, TrainingHistory
from .iterations import train_iterations
from .probes import active_relu_share, hidden_activity, max_gradient_per_layer
from .tbptt import train_tbptt

__all__ = [
    "EpochHistory",
    "EpochTimer",
    "FitScores",
    "IterationHistory",
    "RecordedHistory",
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
