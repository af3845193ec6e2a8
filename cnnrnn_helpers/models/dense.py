"""Fully connected networks: the MLPs of sheets s02, s03 and s05.

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._args import check_float, check_int, check_ints
from ._shared import _s03_init

if TYPE_CHECKING:
    import keras


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
        from ..activations import lecun_tanh

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
