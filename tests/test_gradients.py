"""The per-layer gradient probe against backpropagation done by hand, and its plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import activations, models, training, viz


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _set_weights(model, rng):
    for layer in model.layers:
        kernel, bias = layer.get_weights()
        layer.set_weights(
            [rng.normal(size=kernel.shape), rng.normal(size=bias.shape) * 0.1]
        )


def test_tiny_linear_model_mse_by_hand():
    # L = mean_i (x_i w + b - y_i)^2  =>  dL/dw = 2/n * sum_i x_i (x_i w + b - y_i)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.layers[0].set_weights([np.array([[1.0], [-2.0]]), np.array([0.5])])
    x = np.array([[1.0, 2.0], [3.0, 0.0]])
    y = np.array([[0.0], [1.0]])
    # predictions: 1 - 4 + 0.5 = -2.5 and 3 + 0.5 = 3.5; residuals -2.5 and 2.5
    # dL/dw = [(1 * -2.5 + 3 * 2.5), (2 * -2.5 + 0)] = [5, -5]  (2/n = 1)
    got = training.max_gradient_per_layer(model, x, y, "mean_squared_error")
    assert got.shape == (1,)
    assert got[0] == pytest.approx(5.0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "lecun_tanh"])
def test_deep_mlp_softmax_cross_entropy_by_hand(activation):
    rng = np.random.default_rng(1)
    model = models.deep_mlp(3, units=4, activation=activation, input_dim=5, n_classes=3)
    _set_weights(model, rng)
    x = rng.normal(size=(6, 5))
    y = np.eye(3)[rng.integers(0, 3, size=6)]

    # forward pass, keeping every pre-activation z and activation a
    weights = [layer.get_weights() for layer in model.layers]
    a, zs, acts = x, [], [x]
    for w, b in weights[:-1]:
        z = a @ w + b
        a = activations.activation(activation, z)
        zs.append(z)
        acts.append(a)
    logits = a @ weights[-1][0] + weights[-1][1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    # backward pass: delta_L = (p - y) / n, delta_l = (delta_{l+1} W^T) * f'(z_l)
    delta = (p - y) / len(x)
    expected = [np.abs(acts[-1].T @ delta).max()]
    for layer in range(len(zs) - 1, -1, -1):
        delta = (delta @ weights[layer + 1][0].T) * activations.derivative(
            activation, zs[layer]
        )
        expected.insert(0, np.abs(acts[layer].T @ delta).max())

    got = training.max_gradient_per_layer(
        model, x, y, keras.losses.CategoricalCrossentropy()
    )
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    # a per-sample loss function gives the same (it is averaged)
    again = training.max_gradient_per_layer(
        model, x, y, keras.losses.categorical_crossentropy
    )
    np.testing.assert_allclose(again, got, rtol=1e-6)


def test_sigmoid_gradients_shrink_with_depth():
    keras.utils.set_random_seed(0)
    model = models.deep_mlp(12, units=16, activation="sigmoid", input_dim=20)
    rng = np.random.default_rng(0)
    x = rng.random((32, 20))
    y = np.eye(10)[rng.integers(0, 10, size=32)]
    g = training.max_gradient_per_layer(model, x, y, "categorical_crossentropy")
    assert g.shape == (13,)
    assert g[0] < g[-2] / 100  # the first layer learns far slower than the last


def test_probe_rejects_bad_input():
    model = models.deep_mlp(1, units=2, input_dim=3)
    with pytest.raises(ValueError, match="same length"):
        training.max_gradient_per_layer(
            model, np.zeros((4, 3)), np.zeros((3, 10)), "categorical_crossentropy"
        )
    no_dense = keras.Sequential([keras.Input((3,)), keras.layers.Activation("relu")])
    with pytest.raises(ValueError, match=r"no keras\.layers\.Dense"):
        training.max_gradient_per_layer(
            no_dense, np.zeros((2, 3)), np.zeros((2, 3)), "mse"
        )
    with pytest.raises(TypeError, match="loss_fn"):
        training.max_gradient_per_layer(model, np.zeros((2, 3)), np.zeros((2, 10)), 3)


def test_plot_gradient_grid():
    grads = {
        5: {"relu": [1e-2, 1e-3, 0.0], "tanh": [1e-1, 1e-2, 1e-3]},
        20: {"relu": np.ones(4)},
    }
    fig = viz.plot_gradient_grid(grads)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].get_title() == "5 hidden layers"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "relu (zeros not drawn)",
        "tanh",
    ]
    assert np.isnan(fig.axes[0].lines[0].get_ydata()[2])
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_xdata(), [1, 2, 3, 4])
    fig = viz.plot_gradient_grid({40: {"relu": np.zeros(3)}}, log=True)
    assert fig.axes[0].get_legend().get_texts()[0].get_text().endswith("not drawn)")
    with pytest.raises(ValueError, match=">= 0"):
        viz.plot_gradient_grid({5: {"relu": [-1.0]}})
    with pytest.raises(ValueError, match="non-empty"):
        viz.plot_gradient_grid({})


def test_plot_heatmap():
    values = np.array([[0.9, 0.5], [0.1, np.nan]])
    fig = viz.plot_heatmap(values, ["5", "20"], ["relu", "tanh"], fmt="{:.0%}")
    assert [t.get_text() for t in fig.axes[0].texts] == ["90%", "50%", "10%"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["relu", "tanh"]
    with pytest.raises(ValueError, match="labels"):
        viz.plot_heatmap(values, ["a"], ["b", "c"])
