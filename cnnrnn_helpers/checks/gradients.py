"""The backpropagation check (sheet 2, task 1) against TensorFlow's autodiff."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .framework import Result, as_array, call, fail, fmt, ok, where_differs

__all__ = ["backprop"]


def backprop(
    fn: Callable[..., Any], *, activations: Sequence[str] = ("relu", "tanh", "sigmoid")
) -> Result:
    """Check hand-written backpropagation against TensorFlow's autodiff.

    ``fn(weights, x, y, name)`` gets ``weights`` = [(kernel, bias), ...] of a
    softmax MLP (hidden layers first), a batch ``x`` (n, inputs), one-hot
    ``y`` (n, classes) and an activation name, and returns dC/dW for each
    kernel, C being the mean categorical cross-entropy over the batch.
    """
    import tensorflow as tf

    from .. import activations as act_mod

    name = "backprop"
    rng = np.random.default_rng(0)
    sizes = [5, 4, 3, 3]
    weights = [
        (rng.normal(size=(a, b)) * 0.7, rng.normal(size=b) * 0.1)
        for a, b in itertools.pairwise(sizes)
    ]
    x = rng.normal(size=(6, sizes[0]))
    y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 6)]
    plain = {"relu": tf.nn.relu, "tanh": tf.tanh, "sigmoid": tf.sigmoid}
    for act in activations:
        kernels = [tf.Variable(k) for k, _ in weights]
        with tf.GradientTape() as tape:
            a = tf.constant(x)
            for layer, (kernel, (_, bias)) in enumerate(zip(kernels, weights)):
                z = a @ kernel + bias
                if layer < len(weights) - 1:
                    a = act_mod.lecun_tanh(z) if act == "lecun_tanh" else plain[act](z)
            loss = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)
            )
        expected = [g.numpy() for g in tape.gradient(loss, kernels)]
        got = call(name, fn, [(k.copy(), b.copy()) for k, b in weights], x, y, act)
        if len(got) != len(expected):
            return fail(name, f"{act}: {len(got)} gradients for {len(expected)} layers")
        for layer, (g, e) in enumerate(zip(got, expected), start=1):
            arr = as_array(name, g, f"the gradient of layer {layer}")
            if arr is None:
                return Result(False, f"{name}: not an array")
            diff = where_differs(e, arr, 1e-8, show_shape=True)
            if diff:
                hint = ""
                if arr.shape == e.shape and np.allclose(arr, e * len(x)):
                    hint = " (a factor n too large: the cost is the batch mean)"
                return fail(
                    name,
                    f"{act}, layer {layer} of {len(expected)}: {diff}{hint}",
                    f"your gradient:{fmt(arr)}",
                )
    return ok(
        name,
        f"gradients of a {'-'.join(map(str, sizes))} network agree with TensorFlow "
        f"for {', '.join(activations)}",
    )
