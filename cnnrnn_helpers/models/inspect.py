"""Looking inside a built Keras model: layers, probes, summaries, costs.

The one place where intermediate activations are read is
:func:`layer_output_model` (a probe model) with :func:`layer_outputs`; the
feature-map plots of :mod:`cnnrnn_helpers.viz` and the probes of
:mod:`cnnrnn_helpers.training` use it.  Inspected values are float32
whatever precision a model trained in (``CNNRNN_PRECISION``): the probes
read :func:`float32_copy` of a mixed-precision model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._args import check_int

if TYPE_CHECKING:
    import keras
    import numpy as np
    from numpy.typing import ArrayLike


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
