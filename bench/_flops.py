"""The arithmetic of ``bench/throughput.py``: FLOPs and fraction of the peak.

Pure functions (no timing), so ``tests/test_bench_arithmetic.py`` can check
them: the FLOPs a model does per item, the FLOPs of the reference matmul,
and the fraction of the peak of the precision a model ran in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: A training step costs about three forward passes (forward, gradient with
#: respect to the activations, gradient with respect to the weights).
TRAIN_FACTOR = 3


def _prod(values: Any) -> int:
    return int(np.prod([int(v) for v in values])) if len(values) else 1


def layer_flops(layer: Any, in_shape: tuple, out_shape: tuple) -> int:
    """Forward FLOPs (2 x multiply-adds) of one layer for ONE item.

    Dense, Conv1D/2D/3D and SimpleRNN/GRU/LSTM layers (also inside
    TimeDistributed, Bidirectional and nested models); pooling, activations
    and normalisation count 0.  ``in_shape`` / ``out_shape`` exclude the
    batch axis.
    """
    import keras

    L = keras.layers
    if isinstance(layer, L.TimeDistributed):
        steps = int(in_shape[0])
        return steps * layer_flops(layer.layer, in_shape[1:], out_shape[1:])
    if isinstance(layer, L.Bidirectional):
        return layer_flops(layer.forward_layer, in_shape, out_shape) + layer_flops(
            layer.backward_layer, in_shape, out_shape
        )
    if isinstance(layer, L.Dense):
        return 2 * _prod(out_shape) * int(in_shape[-1])
    if isinstance(layer, L.Conv1D | L.Conv2D | L.Conv3D):
        kernel = _prod(layer.kernel_size)
        groups = getattr(layer, "groups", 1) or 1
        return 2 * _prod(out_shape) * kernel * int(in_shape[-1]) // groups
    gates = {L.SimpleRNN: 1, L.GRU: 3, L.LSTM: 4}
    for cls, n_gates in gates.items():
        if isinstance(layer, cls):
            steps, n_in = int(in_shape[0]), int(in_shape[-1])
            units = layer.units if hasattr(layer, "units") else layer.cell.units
            return 2 * steps * n_gates * units * (n_in + units)
    if isinstance(layer, keras.Model):
        return model_flops(layer)
    return 0


def model_flops(model: Any) -> int:
    """Forward FLOPs per item of a built Keras model (nested models included)."""
    total = 0
    for layer in model.layers:
        try:
            in_shape = tuple(layer.input.shape)[1:]
            out_shape = tuple(layer.output.shape)[1:]
        except (AttributeError, ValueError):
            continue
        total += layer_flops(layer, in_shape, out_shape)
    return total


def matmul_flops(n: int) -> int:
    """FLOPs of one ``tf.matmul`` of two n x n matrices: ``2 n**3``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    return 2 * n**3


def fraction_of_peak(
    forward_flops: int, items_per_second: float, peak_gflops: float
) -> tuple[float, float]:
    """Achieved GFLOP/s of training and its fraction of a matmul peak.

    Parameters
    ----------
    forward_flops
        Forward FLOPs per item (:func:`model_flops`), >= 0.
    items_per_second
        Training throughput, > 0.
    peak_gflops
        The dense matmul rate of the precision the model ran in (float32 for
        the float32 policy, bfloat16 for ``mixed_bfloat16``), > 0.

    Returns
    -------
    (gflops, fraction)
        ``TRAIN_FACTOR * forward_flops * items_per_second / 1e9`` and that
        divided by ``peak_gflops``, in [0, 1].

    Raises
    ------
    ValueError
        If an argument is out of range, or the fraction is above 1: a model
        cannot beat the dense matmul of its precision, so either the peak was
        measured wrong or compared with the wrong precision.
    """
    if forward_flops < 0:
        raise ValueError(f"forward_flops must be >= 0, got {forward_flops!r}")
    if not items_per_second > 0:
        raise ValueError(f"items_per_second must be > 0, got {items_per_second!r}")
    if not peak_gflops > 0:
        raise ValueError(f"peak_gflops must be > 0, got {peak_gflops!r}")
    gflops = TRAIN_FACTOR * forward_flops * items_per_second / 1e9
    fraction = gflops / peak_gflops
    if fraction > 1:
        raise ValueError(
            f"{gflops:.1f} GFLOP/s is above the peak of {peak_gflops:.1f} GFLOP/s "
            f"({fraction:.0%}): peak_gflops is not this precision's matmul peak"
        )
    return gflops, fraction
