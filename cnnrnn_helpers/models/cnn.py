"""Convolutional networks: the CNNs of every sheet (Fashion-MNIST, SVHN, MNIST, lab).

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._args import check_bool, check_float, check_int
from ._shared import _filter_counts, _image_shape, _s03_init

if TYPE_CHECKING:
    import keras


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
