"""Model checks: a student's Keras model against the sheet's network.

The reference networks are built by the package's builders
(:mod:`cnnrnn_helpers.models`) at check time, so no shape or count is stored
here; a failure names the layer and the property that differs (kind, which
axis of the output shape, the parameter count, the activation), never the
sheet's shape or count, which a student derives.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .framework import Result, fail, ok

__all__ = ["REFERENCE_MODELS", "classifier", "model", "reference_model"]


@dataclass(frozen=True)
class _Reference:
    build: Callable[[], Any]
    what: str


def _keras_seq(*layers: Callable[[Any], Any]) -> Callable[[], Any]:
    def build() -> Any:
        import keras

        return keras.Sequential([f(keras) for f in layers])

    return build


def _references() -> dict[str, _Reference]:
    """Every reference network, by name (built lazily: Keras loads on use)."""
    from .. import models as m

    refs = {
        "s01_fashion_cnn": _Reference(
            lambda: m.fashion_cnn(pooling=False), "sheet 1 task 2: the CNN"
        ),
        "s01_fashion_cnn_pooled": _Reference(
            lambda: m.fashion_cnn(pooling=True), "sheet 1 task 2: with max-pooling"
        ),
        "s01_eeg_simple": _Reference(
            lambda: m.eeg_rnn("simple", length=None), "sheet 1 task 5: SimpleRNN"
        ),
        "s01_eeg_lstm": _Reference(
            lambda: m.eeg_rnn("lstm", length=None), "sheet 1 task 5: LSTM"
        ),
        "s01_vlen_lstm": _Reference(
            _keras_seq(
                lambda k: k.Input(shape=(None, 1)),
                lambda k: k.layers.LSTM(16),
                lambda k: k.layers.Dense(5, activation="softmax"),
            ),
            "sheet 1 task 6: LSTM(16) for sequences of any length",
        ),
        "s01_vlen_lstm_masked": _Reference(
            _keras_seq(
                lambda k: k.Input(shape=(None, 1)),
                lambda k: k.layers.Masking(mask_value=-1.0),
                lambda k: k.layers.LSTM(16),
                lambda k: k.layers.Dense(5, activation="softmax"),
            ),
            "sheet 1 task 6: Masking + LSTM(16)",
        ),
        "s01_cifar_scratch": _Reference(
            _keras_seq(
                lambda k: k.Input(shape=(32, 32, 3)),
                lambda k: k.layers.Conv2D(16, 3, activation="relu"),
                lambda k: k.layers.MaxPooling2D(2),
                lambda k: k.layers.Conv2D(32, 3, activation="relu"),
                lambda k: k.layers.MaxPooling2D(2),
                lambda k: k.layers.Flatten(),
                lambda k: k.layers.Dense(1, activation="sigmoid"),
            ),
            "sheet 1 task 3: small CNN trained from scratch",
        ),
        "s02_svhn_cnn": _Reference(m.svhn_cnn, "sheet 2 task 5: SVHN CNN"),
        "s02_svhn_cnn_sheet": _Reference(
            lambda: m.svhn_cnn(pool_strides=3),
            "sheet 2 task 5: SVHN CNN in the sheet's layout (pooling stride 3)",
        ),
        "s02_digit_cnn": _Reference(m.digit_cnn, "sheet 2 task 6: digit CNN"),
        "s03_linear": _Reference(m.mnist_linear, "sheet 3 H6.1: linear softmax"),
        "s03_mlp": _Reference(m.mnist_mlp, "sheet 3 H6.1: MLP 3x1500"),
        "s03_mlp_dropout": _Reference(
            lambda: m.mnist_mlp(dropout=0.5), "sheet 3 H6.1: MLP + dropout"
        ),
        "s03_cnn": _Reference(m.mnist_cnn, "sheet 3 H6.1: CNN"),
        "s03_lstm_sum": _Reference(
            m.lstm_sum_classifier, "sheet 3 H6.2: LSTM(200) sum classifier"
        ),
        "s04_lab_cnn_185": _Reference(m.lab_cnn, "sheet 4 Q1: the given network"),
        "s04_lab_cnn_text": _Reference(
            lambda: m.lab_cnn((4, 4), pool_size=2, dense_units=10),
            "sheet 4 Q1: the network of the lab's text",
        ),
        "s04_simple_5": _Reference(
            lambda: m.stateful_rnn("simple", 5), "sheet 4 Q6: SimpleRNN(5)"
        ),
        "s04_gru_3": _Reference(lambda: m.stateful_rnn("gru", 3), "sheet 4 Q8: GRU(3)"),
        "s04_gru_reverse": _Reference(
            lambda: m.stateful_rnn("gru", 25, dense_layers=2, activation="relu"),
            "sheet 4 Q9: GRU(25) + two TimeDistributed dense layers",
        ),
        "s05_dense_10": _Reference(
            lambda: m.deep_mlp(2, 10), "sheet 5 problem 1: 784-10-10-10"
        ),
        "s05_dense_64": _Reference(
            lambda: m.deep_mlp(2, 64), "sheet 5 problem 1: 784-64-64-10"
        ),
        "s05_small_cnn": _Reference(m.small_cnn, "sheet 5 problem 3: small CNN"),
        "s05_strided_cnn": _Reference(
            lambda: m.small_cnn(strides=True), "sheet 5 problem 4: strided CNN"
        ),
    }
    for depth in (5, 20, 40):
        for act in ("relu", "tanh", "sigmoid", "lecun_tanh"):
            refs[f"s02_mlp_{depth}_{act}"] = _Reference(
                lambda d=depth, a=act: m.deep_mlp(d, 32, activation=a),
                f"sheet 2: MLP with {depth} hidden layers of 32 {act} units",
            )
    return refs


#: Names accepted by :func:`model` -> what they are (filled on first use).
REFERENCE_MODELS: dict[str, str] = {}


def reference_model(name: str) -> Any:
    """Build the sheet's network registered under ``name`` (a fresh Keras model).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    refs = _references()
    REFERENCE_MODELS.update({k: r.what for k, r in refs.items()})
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in refs:
        raise ValueError(f"unknown model name {name!r}; known: {', '.join(refs)}")
    return refs[name].build()


def _layer_row(layer: Any) -> tuple[str, tuple, int, str | None]:
    shape = layer.output.shape
    if isinstance(shape, list):
        shape = shape[0]
    activation = None
    try:
        act = layer.get_config().get("activation")
        activation = act if isinstance(act, str) else None
    except Exception:  # layers without a config
        activation = None
    return type(layer).__name__, tuple(shape), int(layer.count_params()), activation


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _which_axis(want: tuple, got: tuple) -> str:
    """Name the part of an output shape that differs, not its value."""
    if len(want) != len(got):
        return (
            f"it has {len(got) - 1} axes besides the batch, the sheet's layer "
            f"{len(want) - 1}"
        )
    axes = [k for k in range(1, len(want)) if want[k] != got[k]]
    if len(want) == 4:  # images: (batch, height, width, channels)
        if axes == [3]:
            return "its number of channels differs from the sheet's layer (filters?)"
        if 3 not in axes:
            return (
                "its height and width differ from the sheet's layer (kernel size, "
                "padding, strides or pooling?)"
            )
        return "its height, width and channels differ from the sheet's layer"
    if len(want) == 3:  # sequences: (batch, time, features)
        if axes == [2]:
            return "its number of features (units) differs from the sheet's layer"
        return "its number of time steps differs from the sheet's layer"
    return "its number of units differs from the sheet's layer"


def model(net: Any, name: str) -> Result:
    """Compare a student's Keras model with the sheet's network ``name``.

    Layer by layer: the kind (``Conv2D``, ``MaxPooling2D`` ...), the output
    shape (the batch axis is not compared, so stateful models with a fixed
    batch size match), the parameter count and the activation.  A failure
    names the layer and what differs, with the student's own shape or count
    but never the sheet's.

    Parameters
    ----------
    net
        A built Keras model (``keras.Sequential`` or functional).
    name
        A key of the registry, e.g. ``"s05_small_cnn"``, ``"s01_fashion_cnn"``,
        ``"s04_lab_cnn_185"``, ``"s04_gru_reverse"`` (see
        :func:`reference_model` for the list).

    Returns
    -------
    Result
        true if everything matches.
    """
    ref = reference_model(name)
    check = f"model {name}"
    if net is None:
        return fail(check, "got None: the cell above must assign the model")
    layers = getattr(net, "layers", None)
    if layers is None:
        return fail(check, f"expected a Keras model, got {type(net).__name__}")
    layers = [la for la in layers if type(la).__name__ != "InputLayer"]
    try:
        got = [_layer_row(layer) for layer in layers]
    except (AttributeError, ValueError):
        return fail(
            check,
            "the model is not built: start it with keras.Input(shape=...) so "
            "that every layer has an output shape",
        )
    want = [_layer_row(layer) for layer in ref.layers]
    for i, (w, g) in enumerate(zip(want, got), start=1):
        wkind, wshape, wparams, wact = w
        gkind, gshape, gparams, gact = g
        if wkind != gkind:
            return fail(
                check,
                f"layer {i} is {gkind}; the sheet's network has {wkind} there",
            )
        if wshape[1:] != gshape[1:]:
            return fail(
                check,
                f"layer {i} ({gkind}) gives {_shape_text(gshape)}: "
                f"{_which_axis(wshape, gshape)}",
            )
        if wparams != gparams:
            return fail(
                check,
                f"layer {i} ({gkind}) has {gparams:,} parameters, not the sheet's "
                "number (units, filters, kernel size, biases?)",
            )
        if wact and gact and wact != gact:
            return fail(
                check, f"layer {i} ({gkind}): activation {gact!r}, expected {wact!r}"
            )
    if len(got) < len(want):
        return fail(
            check,
            f"your model ends after {len(got)} layer{'s' * (len(got) != 1)}; the "
            f"sheet's network goes on with {want[len(got)][0]}",
        )
    if len(got) > len(want):
        g = got[len(want)]
        return fail(
            check,
            f"layer {len(want) + 1} is an extra {g[0]}; the sheet's network ends "
            f"after {len(want)} layers",
        )
    total = sum(row[2] for row in got)
    return ok(
        check,
        f"{len(got)} layers, output shapes and {total:,} parameters as on the sheet",
    )


def classifier(net: Any, input_shape: Sequence[int], n_classes: int) -> Result:
    """Check that a network of one's own design fits a classification task.

    For exercises that leave the architecture open (sheet 4, questions 4 and
    5): the layers are free, only the interface is checked.

    Parameters
    ----------
    net
        A built Keras model.
    input_shape
        The shape of one example without the batch axis, e.g. ``(64, 64, 1)``.
    n_classes
        Number of classes: the output layer needs ``n_classes`` units with a
        softmax (or, for ``n_classes == 1``, one sigmoid unit).

    Returns
    -------
    Result
        true if input shape, output shape and output activation fit.

    Raises
    ------
    TypeError, ValueError
        If ``input_shape`` or ``n_classes`` is not valid.
    """
    name = "classifier"
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(
        n_classes, numbers.Integral
    ):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}")
    if n_classes < 1:
        raise ValueError(f"n_classes must be >= 1, got {n_classes}")
    try:
        want_in = tuple(int(d) for d in input_shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"input_shape must be a sequence of ints, got {input_shape!r}"
        ) from None
    if net is None:
        return fail(name, "got None: the cell above must assign the model")
    layers = getattr(net, "layers", None)
    if layers is None:
        return fail(name, f"expected a Keras model, got {type(net).__name__}")
    try:
        got_in = tuple(net.inputs[0].shape)[1:]
        last = [la for la in layers if type(la).__name__ != "InputLayer"][-1]
        got_out = tuple(_layer_row(last)[1])[1:]
    except (AttributeError, IndexError, ValueError, TypeError):
        return fail(
            name,
            "the model is not built: start it with keras.Input(shape=...) so "
            "that every layer has an output shape",
        )
    if got_in != want_in:
        return fail(
            name, f"input shape {_shape_text(got_in)}, expected {_shape_text(want_in)}"
        )
    if got_out != (n_classes,):
        return fail(
            name,
            f"the last layer gives {_shape_text(got_out)}, expected "
            f"{_shape_text((n_classes,))}: one output per class",
        )
    activation = _layer_row(last)[3]
    want_act = "sigmoid" if n_classes == 1 else "softmax"
    if activation != want_act:
        return fail(
            name,
            f"the last layer's activation is {activation!r}, expected {want_act!r} "
            f"(outputs that are class probabilities)",
        )
    return ok(
        name,
        f"{_shape_text(want_in)} in, {n_classes} class probabilities ({want_act}) out",
    )
