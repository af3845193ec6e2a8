"""Probes: what a network's gradients and activations look like (no training).

:func:`max_gradient_per_layer` (sheet s02's gradient flow),
:func:`active_relu_share` (are the ReLU units alive?) and
:func:`hidden_activity` (a stateful RNN's hidden nodes over whole sequences).
The activations are read through the one layer-probe builder,
:func:`cnnrnn_helpers.models.layer_output_model`.  Every probe computes in
float32 whatever precision the model trained in (``CNNRNN_PRECISION``), on
:func:`cnnrnn_helpers.models.float32_copy` of a mixed-precision model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from .. import models
from .._args import check_int
from ._shared import _as_loss
from .tbptt import _batch_and_chunk, _sequences, _stateful_variables

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


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
        outputs = models.layer_outputs(probe, x[start : start + batch_size])
        for k, values in enumerate(outputs):
            on[k] += float(np.sum(values > 0))
            total[k] += values.size
    return on / total


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
