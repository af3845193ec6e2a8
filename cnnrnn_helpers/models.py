"""Model builders for every sheet, and a deterministic model summary.

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import config
from ._args import check_bool, check_choice, check_float, check_int, check_ints

if TYPE_CHECKING:
    import keras
    import numpy as np
    from numpy.typing import ArrayLike

__all__ = [
    "count_params",
    "deep_mlp",
    "digit_cnn",
    "eeg_rnn",
    "fashion_cnn",
    "find_layer",
    "float32_copy",
    "lab_cnn",
    "layer_output_model",
    "layer_outputs",
    "layers_of_type",
    "lstm_sum_classifier",
    "mnist_cnn",
    "mnist_linear",
    "mnist_mlp",
    "multiply_adds",
    "small_cnn",
    "stateful_rnn",
    "summary_table",
    "svhn_cnn",
]


def count_params(model: keras.Model, *, trainable_only: bool = True) -> int:
    """Number of (trainable) scalar parameters of a built Keras model."""
    import numpy as np

    weights = model.trainable_weights if trainable_only else model.weights
    return int(sum(int(np.prod(w.shape)) for w in weights))


def find_layer(model: keras.Model, layer: int | str | keras.layers.Layer) -> Any:
    """One layer of ``model``: by index (NumPy ints too), by name, or itself.

    Raises
    ------
    ValueError
        No such index, name or layer in the model.
    TypeError
        ``layer`` is none of the three.
    """
    import numbers

    if isinstance(layer, numbers.Integral) and not isinstance(layer, bool):
        n = len(model.layers)
        index = check_int(layer, "layer", minimum=-n, maximum=n - 1)
        return model.layers[index]
    if isinstance(layer, str):
        try:
            return model.get_layer(layer)
        except ValueError as err:
            names = [x.name for x in model.layers]
            raise ValueError(
                f"the model has no layer {layer!r}; it has {names}"
            ) from err
    if any(layer is x for x in model.layers):
        return layer
    if hasattr(layer, "output"):
        raise ValueError(f"layer {getattr(layer, 'name', layer)!r} is not in the model")
    raise TypeError(
        "layer must be an index, a name or a layer of the model, got "
        f"{type(layer).__name__}"
    )


def layers_of_type(model: keras.Model, layer_types: Sequence[str]) -> list[Any]:
    """The layers of ``model`` whose class name is in ``layer_types``, in order.

    Raises
    ------
    ValueError
        If there is none.
    """
    if isinstance(layer_types, str):
        layer_types = (layer_types,)
    found = [x for x in model.layers if type(x).__name__ in tuple(layer_types)]
    if not found:
        raise ValueError(f"the model has no layers of type {tuple(layer_types)}")
    return found


_HALF = ("mixed_bfloat16", "mixed_float16", "bfloat16", "float16")


def _float32_config(value: Any) -> tuple[Any, bool]:
    """``value`` (a layer config) with every half-precision dtype policy float32."""
    if isinstance(value, dict):
        if value.get("class_name") == "DTypePolicy":
            name = value.get("config", {}).get("name")
            return ("float32", True) if name in _HALF else (value, False)
        out, changed = {}, False
        for key, item in value.items():
            if key == "dtype" and isinstance(item, str) and item in _HALF:
                out[key], hit = "float32", True
            else:
                out[key], hit = _float32_config(item)
            changed |= hit
        return out, changed
    if isinstance(value, list):
        pairs = [_float32_config(item) for item in value]
        return [v for v, _ in pairs], any(hit for _, hit in pairs)
    return value, False


def float32_copy(model: keras.Model) -> keras.Model:
    """The model with every layer computing in float32, same weights.

    Values a notebook inspects (gradients per layer, activations, feature
    maps, hidden-node activity) are read in float32 whatever precision the
    model was trained in (``CNNRNN_PRECISION``): the probes of
    :mod:`~cnnrnn_helpers.training` and :mod:`~cnnrnn_helpers.viz` call this
    first.  A model whose layers are all float32 already (always so in the
    ``smoke`` profile and with ``CNNRNN_PRECISION=float32``) is returned
    itself, not copied.

    Parameters
    ----------
    model
        A built Keras 3 Sequential or functional model (it has an ``Input``).

    Returns
    -------
    keras.Model
        ``model`` itself, or a clone (``keras.models.clone_model``) whose
        layers have the ``float32`` dtype policy, with the same layer names
        and a copy of the weights (later training of either does not change
        the other).  Recurrent states are not copied; they start at zero.
    """
    import keras

    configs = [_float32_config(layer.get_config()) for layer in model.layers]
    if not any(changed for _, changed in configs):
        return model
    by_name = {layer.name: cfg for layer, (cfg, _) in zip(model.layers, configs)}

    def clone(layer: Any) -> Any:
        cfg = by_name.get(layer.name)
        if cfg is None:  # the InputLayer of a functional model
            return layer.__class__.from_config(layer.get_config())
        return layer.__class__.from_config(cfg)

    copy = keras.models.clone_model(model, clone_function=clone)
    copy.set_weights(model.get_weights())
    return copy


def layer_output_model(model: keras.Model, layers: Sequence[Any]) -> keras.Model:
    """A functional sub-model returning the outputs of ``layers`` as a list.

    The one place where intermediate activations are read (feature maps,
    hidden-node activity): ``probe(x)`` gives ``[layers[0].output, ...]`` for
    the input ``x`` in one forward pass.  Works for Sequential and
    functional models that are built (have inputs).  The probe computes in
    float32 (on :func:`float32_copy` of a mixed-precision model).

    Parameters
    ----------
    model
        A built Keras model.
    layers
        Layers of ``model`` (or indices / names, see :func:`find_layer`).

    Returns
    -------
    keras.Model
        Inputs as ``model``; outputs a list with one tensor per layer.
    """
    import keras

    chosen = [find_layer(model, x) for x in layers]
    if not chosen:
        raise ValueError("layers must name at least one layer")
    inspected = float32_copy(model)
    if inspected is not model:
        model = inspected
        chosen = [model.get_layer(layer.name) for layer in chosen]
    try:
        inputs = model.inputs
    except (AttributeError, ValueError) as err:
        raise ValueError("the model is not built: give it an Input") from err
    if not inputs:
        raise ValueError("the model is not built: give it an Input")
    inputs = inputs[0] if len(inputs) == 1 else inputs
    return keras.Model(inputs=inputs, outputs=[x.output for x in chosen])


def layer_outputs(probe: keras.Model, x: ArrayLike) -> list[np.ndarray]:
    """Run a :func:`layer_output_model` probe on the batch ``x`` (inference mode).

    Returns
    -------
    list of numpy.ndarray
        One array per layer of the probe, each (batch, ...), in layer order.
    """
    import numpy as np

    outputs = probe(x, training=False)
    if not isinstance(outputs, list | tuple):
        outputs = [outputs]
    return [np.asarray(out) for out in outputs]


def _shape_text(shape: Any) -> str:
    if isinstance(shape, list):  # several outputs
        return ", ".join(_shape_text(s) for s in shape)
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def summary_table(model: keras.Model) -> str:
    """A plain-text summary that does not depend on layer-name counters.

    ``model.summary()`` names layers ``conv2d_3`` etc., which changes with
    how many models a session has built; this table lists each layer's type,
    output shape and parameter count, so notebooks can check it with nbval.

    Returns
    -------
    str
        One line per layer plus a total line, e.g.
        ``Conv2D            (None, 26, 26, 16)      160``.
    """
    rows = [("layer", "output shape", "params")]
    for layer in model.layers:
        rows.append(
            (
                type(layer).__name__,
                _shape_text(layer.output.shape),
                f"{layer.count_params():,}",
            )
        )
    total = count_params(model, trainable_only=False)
    trainable = count_params(model)
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("-" * len(lines[0]))
    lines.append(f"total params: {total:,} (trainable: {trainable:,})")
    return "\n".join(lines)


def multiply_adds(model: Any) -> list[tuple[str, int]]:
    """Multiply-adds per example of each layer of a built Keras model.

    A ``Conv2D`` layer costs (output positions) x (filters) x (kernel height
    x kernel width x input channels / groups) multiply-adds, a ``Dense``
    layer on a flat input (inputs x units); every other layer (pooling,
    flatten, activations) is counted as 0 (pooling only compares numbers).
    Biases and activations are not counted.

    Parameters
    ----------
    model
        A built Keras model (e.g. from :func:`small_cnn`).

    Returns
    -------
    list of (str, int)
        ``(layer class name, multiply-adds)`` in layer order, independent of
        layer names, e.g. ``[("Conv2D", 97344), ("MaxPooling2D", 0), ...]``
        for ``small_cnn()``.

    Raises
    ------
    TypeError
        If ``model`` has no ``layers``.
    """
    import numpy as np

    if not hasattr(model, "layers"):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        macs = 0
        if kind == "Conv2D":
            out = layer.output.shape  # (None, h, w, filters), channels_last
            kh, kw = layer.kernel_size
            in_ch = layer.input.shape[-1]
            groups = getattr(layer, "groups", 1) or 1
            macs = int(np.prod(out[1:])) * kh * kw * int(in_ch) // groups
        elif kind == "Dense":
            macs = int(np.prod(layer.input.shape[1:])) * int(layer.units)
        rows.append((kind, int(macs)))
    return rows


def deep_mlp(
    depth: int,
    units: int = 32,
    activation: Any = "relu",
    input_dim: int = 784,
    n_classes: int = 10,
) -> keras.Sequential:
    """A fully connected network with ``depth`` equal hidden layers (sheet s02).

    ``Input(input_dim) -> depth x Dense(units, activation) ->
    Dense(n_classes, softmax)``, Keras' default initialisation (Glorot
    uniform kernels, zero biases).  The hidden layers are named
    ``hidden_01``, ``hidden_02``, ... and the last one ``output``, so gradient
    probes and summaries list them in depth order.

    Parameters
    ----------
    depth
        Number of hidden layers, >= 1 (the sheet uses 5, 20 and 40).
    units
        Units per hidden layer, >= 1.
    activation
        Hidden-layer activation: a Keras name (``"relu"``, ``"tanh"``,
        ``"sigmoid"``, ...), ``"lecun_tanh"`` for
        :func:`cnnrnn_helpers.activations.lecun_tanh`, or a callable.
    input_dim
        Length of the flat float input vector, e.g. 784 for a 28x28 image
        flattened and scaled to [0, 1].
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled; input (batch, input_dim) float32, output
        (batch, n_classes) class probabilities.  Every layer computes in
        float32 whatever ``CNNRNN_PRECISION`` says: sheet 2 compares its
        gradients layer by layer with the backpropagation equations (to
        1e-4), and layers of 32 units gain nothing from bfloat16
        (``bench/precision.py``).  It has
        ``input_dim*units + (depth-1)*units*units + units*n_classes +
        depth*units + n_classes`` parameters (29,674 for depth 5).
    """
    import keras

    depth, units, input_dim, n_classes = check_ints(
        ("depth", depth, 1),
        ("units", units, 1),
        ("input_dim", input_dim, 1),
        ("n_classes", n_classes, 2),
    )
    if activation == "lecun_tanh":
        from .activations import lecun_tanh

        activation = lecun_tanh
    elif not (isinstance(activation, str) or callable(activation)):
        raise TypeError(
            "activation must be a Keras activation name or a callable, got "
            f"{type(activation).__name__}"
        )
    layers = [keras.Input(shape=(input_dim,))]
    layers += [  # float32 whatever CNNRNN_PRECISION: sheet 2 inspects its gradients
        keras.layers.Dense(
            units, activation=activation, name=f"hidden_{i:02d}", dtype="float32"
        )
        for i in range(1, depth + 1)
    ]
    layers.append(
        keras.layers.Dense(
            n_classes, activation="softmax", name="output", dtype="float32"
        )
    )
    name = getattr(activation, "__name__", str(activation))
    return keras.Sequential(layers, name=f"mlp_{depth}x{units}_{name}")


def fashion_cnn(pooling: bool = False, *, n_classes: int = 10) -> keras.Sequential:
    """The Keras CNN of sheet s01 task 2 for 28x28 greyscale images.

    ``Input(28, 28) -> Reshape(28, 28, 1) -> Conv2D(128, 3x3, relu)
    [-> MaxPooling2D(2x2)] -> Conv2D(64, 3x3, relu) [-> MaxPooling2D(2x2)]
    -> Flatten -> Dense(64, relu) -> Dense(n_classes, softmax)``; the pooling
    layers are present only with ``pooling=True``.  Convolutions use 'valid'
    padding and stride 1, so each one trims one pixel on every side.

    Parameters
    ----------
    pooling
        Add a 2x2 max-pooling layer after each convolution (task 2c).
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input (batch, 28, 28) float32 in [0, 1] (no channel
        axis: the Reshape layer adds it), output (batch, n_classes) class
        probabilities.  With 10 classes it has 2,435,082 parameters without
        pooling (the 24*24*64 = 36,864 flattened values feed Dense(64)) and
        178,186 with pooling (5*5*64 = 1,600 flattened values).
    """
    import keras

    pooling = check_bool(pooling, "pooling")
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    layers: list[Any] = [
        keras.Input(shape=(28, 28)),
        keras.layers.Reshape((28, 28, 1)),
    ]
    for filters in (128, 64):
        layers.append(keras.layers.Conv2D(filters, (3, 3), activation="relu"))
        if pooling:
            layers.append(keras.layers.MaxPooling2D((2, 2)))
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
    ]
    name = "fashion_cnn_pooled" if pooling else "fashion_cnn"
    return keras.Sequential(layers, name=name)


def small_cnn(strides: bool = False, *, n_classes: int = 10) -> keras.Sequential:
    """The small CNN of sheet s05 problems 3 and 4 for 28x28x1 images.

    ``strides=False`` (problem 3): ``Conv2D(16, 3x3, relu) -> MaxPooling2D(2x2)
    -> Conv2D(8, 3x3, relu) -> MaxPooling2D(2x2) -> Flatten ->
    Dense(n_classes, softmax)``.  ``strides=True`` (problem 4a): the pooling
    layers are removed and both convolutions move two pixels at a time
    (``strides=(2, 2)``).  All convolutions use 'valid' padding.

    Parameters
    ----------
    strides
        Use stride-2 convolutions instead of convolution + max-pooling.
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input (batch, 28, 28, 1) float32 in [0, 1], output
        (batch, n_classes) class probabilities.  With 10 classes: 3,330
        parameters with pooling (5*5*8 = 200 values reach the Dense layer) and
        4,210 with strides (6*6*8 = 288 values).
    """
    import keras

    strides = check_bool(strides, "strides")
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    layers: list[Any] = [keras.Input(shape=(28, 28, 1))]
    for filters in (16, 8):
        if strides:
            layers.append(
                keras.layers.Conv2D(filters, (3, 3), strides=(2, 2), activation="relu")
            )
        else:
            layers.append(keras.layers.Conv2D(filters, (3, 3), activation="relu"))
            layers.append(keras.layers.MaxPooling2D((2, 2)))
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
    ]
    name = "small_cnn_strided" if strides else "small_cnn_pooled"
    return keras.Sequential(layers, name=name)


def svhn_cnn(
    filters: tuple[int, int, int] = (9, 36, 49),
    *,
    pool_strides: int = 2,
    input_shape: tuple[int, int, int] = (32, 32, 3),
    n_classes: int = 10,
) -> keras.Sequential:
    """The SVHN network of sheet s02: three 3x3 convolutions, three 3x3 max-pools.

    ``Conv2D(9) -> MaxPool(3) -> Conv2D(36) -> MaxPool(3) -> Conv2D(49) ->
    MaxPool(3) -> Flatten -> Dense(n_classes, softmax)``; convolutions use
    ReLU and ``"same"`` padding, the pooling windows are 3x3 with stride
    ``pool_strides`` and ``"same"`` padding.  With the default stride 2 a
    32x32 input shrinks to 16, 8 and 4 pixels (26,979 parameters); with
    stride 3 (Keras' default, non-overlapping windows) to 11, 4 and 2.

    Parameters
    ----------
    filters
        Number of filters of the three convolutions (the sheet: 9, 36, 49).
    pool_strides
        Stride of the 3x3 pooling windows, 2 (overlapping) or 3.
    input_shape
        (height, width, channels) of the input; images scaled to [0, 1].
    n_classes
        Number of output classes.

    Returns
    -------
    keras.Sequential
        Uncompiled; input float32 (n, 32, 32, 3), output (n, n_classes)
        class probabilities.
    """
    import keras

    filters = _filter_counts(filters, "filters", exactly=3)
    pool_strides = check_int(pool_strides, "pool_strides", minimum=1, maximum=3)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    input_shape = _image_shape(input_shape)
    layers: list[Any] = [keras.Input(shape=tuple(input_shape))]
    for f in filters:
        layers += [
            keras.layers.Conv2D(f, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(3, strides=pool_strides, padding="same"),
        ]
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
    ]
    return keras.Sequential(layers, name="svhn_cnn")


def digit_cnn(*, dropout: float = 0.3, n_classes: int = 10) -> keras.Sequential:
    """A compact MNIST digit classifier (sheet s02, "train your own").

    ``Conv2D(32, 3x3, same) -> MaxPool(2) -> Conv2D(64, 3x3, same) ->
    MaxPool(2) -> Flatten -> Dropout -> Dense(128) -> Dropout ->
    Dense(n_classes, softmax)``, ReLU everywhere (421,642 parameters).  Small
    enough to train in minutes on a laptop CPU, and above 99 % on MNIST
    after a few epochs.

    Parameters
    ----------
    dropout
        Dropout rate in [0, 1) before and after the hidden dense layer.
    n_classes
        Number of output classes.

    Returns
    -------
    keras.Sequential
        Uncompiled; input float32 (n, 28, 28, 1) in [0, 1] (white ink on
        black, as MNIST), output (n, n_classes) class probabilities.
    """
    import keras

    dropout = check_float(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
        ],
        name="digit_cnn",
    )


def lab_cnn(
    filters: tuple[int, ...] = (3, 3),
    *,
    kernel_size: int = 3,
    pool_size: int | None = 3,
    dense_units: int | None = 5,
    n_outputs: int = 1,
    input_shape: tuple[int, int, int] = (28, 28, 1),
) -> keras.Sequential:
    """The small CNNs of the CNN/RNN lab (sheet s04): conv/pool blocks + dense head.

    ``Input -> [Conv2D(f, k x k, relu) -> MaxPooling2D(p x p)] for f in filters
    -> Flatten [-> Dense(dense_units, relu)] -> Dense(n_outputs)``, valid
    padding, stride 1; pooling windows do not overlap (stride = p).  The output
    is one sigmoid unit for ``n_outputs=1`` (binary problem) and a softmax
    otherwise.  The defaults give the lab's 5-vs-6 network with 185 parameters:
    28 -> conv 26 -> pool 8 -> conv 6 -> pool 2, so 2*2*3 = 12 values reach
    ``Dense(5)``.

    Parameters
    ----------
    filters
        Number of filters of each convolution, one entry per conv/pool block
        (at least one block), each >= 1.
    kernel_size
        Edge length k of every (square) convolution kernel, >= 1.
    pool_size
        Edge length p of every max-pooling window, >= 2, or None for no pooling.
    dense_units
        Units of the hidden ReLU dense layer, or None to connect the flattened
        maps straight to the output.
    n_outputs
        1 for a sigmoid output (probability of the positive class), >= 2 for a
        softmax over that many classes.
    input_shape
        (height, width, channels) of the images, e.g. (28, 28, 1) for MNIST or
        (64, 64, 1) for the CRT/R3 shapes; pixels scaled to [0, 1].

    Returns
    -------
    keras.Sequential
        Built, uncompiled; input float32 (n, *input_shape), output float32
        (n, n_outputs) with values in [0, 1].

    Raises
    ------
    ValueError
        If a size is out of range or the maps shrink to nothing.
    """
    import keras

    filters = _filter_counts(filters, "filters")
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    pool_size = check_int(pool_size, "pool_size", minimum=2, allow_none=True)
    dense_units = check_int(dense_units, "dense_units", minimum=1, allow_none=True)
    n_outputs = check_int(n_outputs, "n_outputs", minimum=1)
    input_shape = _image_shape(input_shape)
    side = min(input_shape[:2])
    for _ in filters:
        side = side - kernel_size + 1
        if pool_size is not None:
            side //= pool_size
        if side < 1:
            raise ValueError(
                f"input {input_shape[:2]} is too small for {len(filters)} blocks of "
                f"{kernel_size}x{kernel_size} convolutions and {pool_size}x{pool_size} "
                "pooling"
            )
    layers: list[Any] = [keras.Input(shape=tuple(input_shape))]
    for f in filters:
        layers.append(keras.layers.Conv2D(f, kernel_size, activation="relu"))
        if pool_size is not None:
            layers.append(keras.layers.MaxPooling2D(pool_size))
    layers.append(keras.layers.Flatten())
    if dense_units is not None:
        layers.append(keras.layers.Dense(dense_units, activation="relu"))
    activation = "sigmoid" if n_outputs == 1 else "softmax"
    layers.append(keras.layers.Dense(n_outputs, activation=activation, dtype="float32"))
    return keras.Sequential(layers, name="lab_cnn")


_RNN_CELLS = {"simple": "SimpleRNN", "gru": "GRU", "lstm": "LSTM"}


def stateful_rnn(
    cell: str = "simple",
    units: int = 5,
    layers: int = 1,
    batch_size: int = 20,
    *,
    chunk: int | None = 50,
    units2: int | None = None,
    activation: str = "tanh",
    dense_layers: int = 1,
    n_features: int = 1,
) -> keras.Sequential:
    """A stateful recurrent network for sequence-to-sequence regression (lab Q6-9).

    ``Input(batch_size, chunk, n_features) -> RNN(units) [-> RNN(units2)] ->
    dense_layers x TimeDistributed(Dense(1))``.  Every RNN layer is
    ``stateful=True`` with ``return_sequences=True``: the hidden state at the end
    of one chunk is the start state of the next chunk of the same sequences,
    until :meth:`reset_state` (see :func:`cnnrnn_helpers.training.train_tbptt`).
    The output layer is linear, one value per time step.  The lab's GRU with
    25 units and two TimeDistributed dense layers has 2,128 parameters
    (GRU 2,100 with Keras' ``reset_after=True``, dense 26 and 2).

    Parameters
    ----------
    cell
        ``"simple"`` (SimpleRNN), ``"gru"`` or ``"lstm"``.
    units
        Hidden nodes of the first recurrent layer, >= 1.
    layers
        1 or 2 recurrent layers.
    batch_size
        Fixed number of sequences per batch (stateful layers need it), >= 1.
    chunk
        Time steps per call (the truncated-BPTT length), or None for any length.
    units2
        Hidden nodes of the second recurrent layer (default: ``units``).
    activation
        Activation of the recurrent layers, e.g. ``"tanh"`` or ``"relu"``.
    dense_layers
        Number of stacked ``TimeDistributed(Dense(1))`` output layers, >= 1.
    n_features
        Input values per time step.

    Returns
    -------
    keras.Sequential
        Built, uncompiled; input float32 (batch_size, chunk, n_features), output
        float32 (batch_size, chunk, 1).  The recurrent layers are named
        ``rnn_1`` (and ``rnn_2``).
    """
    import keras

    key = check_choice(cell, "cell", sorted(_RNN_CELLS))
    layers = check_int(layers, "layers", minimum=1, maximum=2)
    units, batch_size, dense_layers, n_features = check_ints(
        ("units", units, 1),
        ("batch_size", batch_size, 1),
        ("dense_layers", dense_layers, 1),
        ("n_features", n_features, 1),
    )
    chunk = check_int(chunk, "chunk", minimum=1, allow_none=True)
    units2 = check_int(units2, "units2", minimum=1, allow_none=True)
    rnn = getattr(keras.layers, _RNN_CELLS[key])
    sizes = [units] if layers == 1 else [units, units2 or units]
    stack: list[Any] = [keras.Input(shape=(chunk, n_features), batch_size=batch_size)]
    for i, size in enumerate(sizes, start=1):
        stack.append(
            rnn(
                size,
                activation=activation,
                stateful=True,
                return_sequences=True,
                name=f"rnn_{i}",
                dtype=config.precision_policy("recurrent"),
            )
        )
    stack += [
        keras.layers.TimeDistributed(keras.layers.Dense(1))
        for _ in range(dense_layers - 1)
    ]
    stack.append(  # the output stays float32 whatever the policy
        keras.layers.TimeDistributed(
            keras.layers.Dense(1, dtype="float32"), dtype="float32"
        )
    )
    return keras.Sequential(stack, name=f"stateful_{key}_{'x'.join(map(str, sizes))}")


# ------------------------------------------ sheet s03: MNIST models and the LSTM


def _s03_init(bias: float) -> dict[str, Any]:
    """Fresh initialisers of sheet s03 (H6.1 b): truncated normal + constant."""
    import keras

    return {
        "kernel_initializer": keras.initializers.TruncatedNormal(mean=0.0, stddev=0.01),
        "bias_initializer": keras.initializers.Constant(bias),
    }


def mnist_linear(n_classes: int = 10) -> keras.Sequential:
    """The linear softmax model of sheet s03 (H6.1 a) for 28x28x1 images.

    ``Input(28, 28, 1) -> Flatten (784 values) -> Dense(n_classes, softmax)``
    with all weights and biases initialised to zero.  Keras computes
    ``h = W x + b``; the sheet writes ``h = W x - theta``, so ``b = -theta``
    (both start at 0).

    Parameters
    ----------
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, 28, 28, 1) in [0, 1], output
        (batch, n_classes) probabilities.  7,850 parameters for 10 classes.
    """
    import keras

    n_classes = check_int(n_classes, "n_classes", minimum=2)
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(
                n_classes,
                activation="softmax",
                kernel_initializer="zeros",
                bias_initializer="zeros",
                dtype="float32",
            ),
        ],
        name="mnist_linear",
    )


def mnist_mlp(
    dropout: float = 0.0,
    *,
    units: int = 1500,
    depth: int = 3,
    bias: float = 0.1,
    n_classes: int = 10,
) -> keras.Sequential:
    """The multilayer perceptron of sheet s03 (H6.1 b, and c with dropout).

    ``Input(28, 28, 1) -> Flatten -> depth x [Dense(units, relu) (->
    Dropout(dropout))] -> Dense(n_classes, softmax)``.  Every kernel starts
    truncated normal (mean 0, standard deviation 0.01, values beyond two
    standard deviations redrawn) and every bias at the constant ``bias``.

    The sheet writes a layer as ``h = W x - theta`` and asks for biases
    initialised with "a constant of -0.1".  Reading that constant as the
    threshold ``theta`` (an interpretation: the sheet does not say which sign
    convention the constant refers to), Keras' ``W x + b`` has ``b = +0.1``
    (the default).  With ``b = -0.1`` almost every ReLU of the second and
    third layer starts switched off.

    Parameters
    ----------
    dropout
        Dropout rate after each hidden layer, 0 <= dropout < 1 (0: no Dropout
        layers; the sheet's part c uses 0.5).  Active only in training mode.
    units
        Units per hidden layer, >= 1 (the sheet: 1500).
    depth
        Number of hidden layers, >= 1 (the sheet: 3).
    bias
        Initial value of every bias (Keras sign convention, see above).
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, 28, 28, 1) in [0, 1], output
        (batch, n_classes) probabilities.  The sheet's network has
        784*1500 + 2*1500*1500 + 1500*10 + 3*1500 + 10 = 5,695,510
        parameters (Dropout adds none).
    """
    import keras

    units, depth, n_classes = check_ints(
        ("units", units, 1), ("depth", depth, 1), ("n_classes", n_classes, 2)
    )
    dropout = check_float(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    layers: list[Any] = [keras.Input(shape=(28, 28, 1)), keras.layers.Flatten()]
    for _ in range(depth):
        layers.append(keras.layers.Dense(units, activation="relu", **_s03_init(bias)))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(
        keras.layers.Dense(
            n_classes, activation="softmax", dtype="float32", **_s03_init(bias)
        )
    )
    name = f"mnist_mlp_dropout{dropout:g}" if dropout > 0 else "mnist_mlp"
    return keras.Sequential(layers, name=name)


def mnist_cnn(*, bias: float = 0.1, n_classes: int = 10) -> keras.Sequential:
    """The convolutional network of sheet s03 (H6.1 d) for 28x28x1 images.

    ``Conv2D(32, 5x5, same, relu) -> MaxPooling2D(2x2, stride 2) ->
    Conv2D(64, 5x5, same, relu) -> MaxPooling2D(2x2, stride 2) -> Flatten
    (7*7*64 = 3136 values) -> Dense(n_classes, softmax)``, stride 1
    convolutions with zero padding, so only the pooling shrinks the maps
    (28 -> 14 -> 7).  Initialisation as in :func:`mnist_mlp`.

    With the sheet's initialisation read as in :func:`mnist_mlp` (Keras bias
    +0.1) and Adam at learning rate 1e-3, the CNN can get stuck at chance
    level in its first iterations: the constant 0.1 dominates the tiny
    weighted sums (weights of about 0.01), the pooled features barely depend
    on the image, Adam moves all weights of a class in step, and the ReLUs
    of the second convolution can die.  ``bias=0.0`` (or a learning rate of
    1e-4) is the usual remedy.

    Parameters
    ----------
    bias
        Initial value of every bias (Keras sign; the sheet read as above:
        0.1).
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, 28, 28, 1) in [0, 1], output
        (batch, n_classes) probabilities.  83,466 parameters for 10 classes
        (832 + 51,264 + 31,370).
    """
    import keras

    n_classes = check_int(n_classes, "n_classes", minimum=2)
    layers: list[Any] = [keras.Input(shape=(28, 28, 1))]
    for filters in (32, 64):
        layers.append(
            keras.layers.Conv2D(
                filters, (5, 5), padding="same", activation="relu", **_s03_init(bias)
            )
        )
        layers.append(keras.layers.MaxPooling2D((2, 2), strides=(2, 2)))
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(
            n_classes, activation="softmax", dtype="float32", **_s03_init(bias)
        ),
    ]
    return keras.Sequential(layers, name="mnist_cnn")


def lstm_sum_classifier(units: int = 200, length: int = 30) -> keras.Sequential:
    """The LSTM of sheet s03 (H6.2): is the sum of a digit series >= 100?

    ``Input(length, 1) -> LSTM(units) -> Dense(1, sigmoid)``.  The LSTM reads
    one number per time step and hands only its last output ``h(length)``
    to the output neuron, whose value is the probability of class 1.
    Keras' default initialisation (Glorot uniform input kernel, orthogonal
    recurrent kernel, forget-gate bias 1).

    Parameters
    ----------
    units
        LSTM cells, >= 1 (the sheet: 200).
    length
        Time steps per series, >= 1 (the sheet: 30); ``None`` is not allowed
        so that the summary shows fixed shapes.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, length, 1), e.g. the digits
        divided by 9; output (batch, 1) in (0, 1).  4*(units*(units + 1) +
        units) + units + 1 parameters: 161,801 for 200 units.
    """
    import keras

    units, length = check_ints(("units", units, 1), ("length", length, 1))
    return keras.Sequential(
        [
            keras.Input(shape=(length, 1)),
            keras.layers.LSTM(units, dtype=config.precision_policy("recurrent")),
            keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
        ],
        name=f"lstm{units}_sum",
    )


# ------------------------------------------------ sheet s01 task 5: EEG RNN


def eeg_rnn(
    cell: str = "simple",
    *,
    length: int | None = 10,
    n_features: int = 14,
    n_classes: int = 2,
) -> keras.Sequential:
    """The recurrent network of sheet s01 task 5 (EEG eye state).

    As the sheet gives it: ``Input(length, n_features) ->
    TimeDistributed(Dense(128, relu)) -> TimeDistributed(Dense(256, relu)) ->
    RNN(128, return_sequences=True) -> RNN(128) -> Dense(128, relu) ->
    Dropout(0.5) -> Dense(64, relu) -> Dropout(0.5) -> Dense(n_classes,
    softmax)``, where RNN is ``SimpleRNN`` (``cell="simple"``) or ``LSTM``
    (``cell="lstm"``, task 5e).

    The sheet leaves the time axis open (``None``); ``length=None`` builds
    it so.  In Keras 3.15 training ``TimeDistributed`` then fails when the
    batches themselves have an unknown time axis when the step is traced
    (as ``keras.utils.timeseries_dataset_from_array`` declares them); with
    batches that state the window length (``data.windows.make_windows``) it
    trains.  The default fixes the window length (10); the parameter count
    is the same either way.

    Parameters
    ----------
    cell
        ``"simple"`` or ``"lstm"``.
    length
        Time steps per window, >= 1 (the sheet's windows: 10), or ``None``
        for an open time axis (see above).
    n_features
        Values per time step, >= 1 (14 EEG channels).
    n_classes
        Softmax outputs, >= 2 (eyes open / closed).

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, length, n_features), e.g.
        windows of 10 scaled readings; output (batch, n_classes)
        probabilities.  142,018 parameters with SimpleRNN and 388,546 with
        LSTM (for 14 features and 2 classes).
    """
    import keras

    cells = {"simple": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}
    if cell not in cells:
        raise ValueError(f"cell must be 'simple' or 'lstm', got {cell!r}")
    n_features, n_classes = check_ints(
        ("n_features", n_features, 1), ("n_classes", n_classes, 2)
    )
    length = check_int(length, "length", minimum=1, allow_none=True)
    rnn, recurrent = cells[cell], config.precision_policy("recurrent")
    return keras.Sequential(
        [
            keras.Input(shape=(length, n_features)),
            keras.layers.TimeDistributed(keras.layers.Dense(128, activation="relu")),
            keras.layers.TimeDistributed(keras.layers.Dense(256, activation="relu")),
            rnn(128, return_sequences=True, dtype=recurrent),
            rnn(128, dtype=recurrent),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
        ],
        name="eeg_lstm" if cell == "lstm" else "eeg_simplernn",
    )


# ------------------------------------------------------------- argument helpers


def _filter_counts(
    filters: Sequence[int], name: str, *, exactly: int | None = None
) -> tuple[int, ...]:
    """Filter counts as a tuple of ints >= 1 (NumPy arrays and ints accepted)."""
    import numpy as np

    if isinstance(filters, str) or not isinstance(filters, Sequence | np.ndarray):
        raise TypeError(
            f"{name} must be a sequence of positive ints, got {type(filters).__name__}"
        )
    counts = tuple(
        check_int(f, f"{name}[{i}]", minimum=1) for i, f in enumerate(filters)
    )
    if exactly is not None and len(counts) != exactly:
        raise ValueError(
            f"{name} must be three positive integers, got {len(counts)}: {counts}"
            if exactly == 3
            else f"{name} must hold {exactly} positive ints, got {counts}"
        )
    if not counts:
        raise ValueError(f"{name} must name at least one convolution, got ()")
    return counts


def _image_shape(shape: Sequence[int]) -> tuple[int, int, int]:
    """``(height, width, channels)`` as three ints >= 1."""
    import numpy as np

    if isinstance(shape, str) or not isinstance(shape, Sequence | np.ndarray):
        raise TypeError(
            f"input_shape must be (height, width, channels), got {type(shape).__name__}"
        )
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {shape}")
    h, w, c = (
        check_int(v, f"input_shape[{i}]", minimum=1) for i, v in enumerate(shape)
    )
    return h, w, c


def sample_dense_mnist(units: int = 256, *, n_classes: int = 10) -> Any:
    """The sample dense MNIST network of sheet s02's code snippets.

    ``Input(28, 28) -> Flatten -> Dense(units, relu) -> Dense(n_classes,
    softmax)``: 203,530 parameters with the defaults, as in the sheet's
    summary (which shows only the layers and counts; ReLU is our reading).

    Parameters
    ----------
    units
        Width of the hidden layer, >= 1.
    n_classes
        Number of softmax outputs, >= 2.

    Returns
    -------
    keras.Sequential
        Uncompiled; input float32 (n, 28, 28) in [0, 1], output
        (n, n_classes) class probabilities.
    """
    import keras

    units, n_classes = check_ints(("units", units, 1), ("n_classes", n_classes, 2))
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
        ],
        name="sample_dense_mnist",
    )
