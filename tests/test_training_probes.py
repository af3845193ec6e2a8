"""cnnrnn_helpers.training.probes: the per-layer gradient probe against
backpropagation by hand, the ReLU share, the hidden activity of a stateful RNN."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cnnrnn_helpers import activations, config, models, training


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


def test_active_relu_share_counts_positive_outputs():
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(2, activation="relu"),
            keras.layers.Dense(3, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.layers[0].set_weights([np.eye(2), np.zeros(2)])  # passes x through relu
    model.layers[1].set_weights([np.zeros((2, 3)), np.array([1.0, -1.0, 0.0])])
    x = np.array([[1.0, -1.0], [2.0, 3.0], [-1.0, -2.0]])
    shares = training.active_relu_share(model, x, batch_size=2)
    assert shares.shape == (2,)
    assert shares[0] == pytest.approx(3 / 6)  # positives: 1, 2, 3
    assert shares[1] == pytest.approx(1 / 3)  # only the unit with bias +1
    linear = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="ReLU"):
        training.active_relu_share(linear, x)
    with pytest.raises(ValueError, match="item"):
        training.active_relu_share(model, x[:0])


def test_hidden_activity_carries_state_across_chunks_and_resets_per_batch(summing_rnn):
    model = summing_rnn()
    x = np.ones((3, 6), "float32")  # 3 sequences: batches of 2, the last padded
    x[1] *= 2
    hidden = training.hidden_activity(model, x, 0)
    assert hidden.shape == (3, 6, 1)
    # cumulative sums run over the chunk boundaries at t=2 and t=4 ...
    np.testing.assert_allclose(hidden[0, :, 0], [1, 2, 3, 4, 5, 6])
    np.testing.assert_allclose(hidden[1, :, 0], [2, 4, 6, 8, 10, 12])
    # ... and start again from zero in the next mini-batch
    np.testing.assert_allclose(hidden[2, :, 0], [1, 2, 3, 4, 5, 6])
    out = training.hidden_activity(model, x[0], -1)  # one 1-D sequence
    assert out.shape == (1, 6, 1)
    np.testing.assert_allclose(out[0, :, 0], [1, 2, 3, 4, 5, 6])


# ------------------------------------- precision: probes read a float32 copy


def test_probes_read_a_mixed_model_in_float32(policy_restored):
    rng = np.random.default_rng(0)
    x = rng.random((8, 28, 28, 1), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8)]
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = models.mnist_mlp(units=16)
    keras.mixed_precision.set_global_policy("float32")
    reference = models.float32_copy(model)
    grads = training.max_gradient_per_layer(model, x, y, "categorical_crossentropy")
    expected = training.max_gradient_per_layer(
        reference, x, y, "categorical_crossentropy"
    )
    np.testing.assert_array_equal(grads, expected)
    probe = models.layer_output_model(model, [1, 2])
    outs = models.layer_outputs(probe, x)
    assert all(out.dtype == np.float32 for out in outs)
    want = models.layer_outputs(models.layer_output_model(reference, [1, 2]), x)
    for got, ref in zip(outs, want, strict=True):
        np.testing.assert_array_equal(got, ref)
    shares = training.active_relu_share(model, x)
    np.testing.assert_array_equal(shares, training.active_relu_share(reference, x))


def test_hidden_activity_of_a_mixed_rnn_is_float32(monkeypatch, policy_restored):
    monkeypatch.setattr(config, "precision_policy", lambda kind=None: "mixed_bfloat16")
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = models.stateful_rnn("gru", 4, batch_size=2, chunk=5)
    keras.mixed_precision.set_global_policy("float32")
    assert model.get_layer("rnn_1").compute_dtype == "bfloat16"
    x = np.random.default_rng(1).random((3, 10), dtype=np.float32)
    got = training.hidden_activity(model, x, 0)
    assert got.dtype == np.float32 and got.shape == (3, 10, 4)
    want = training.hidden_activity(models.float32_copy(model), x, 0)
    np.testing.assert_array_equal(got, want)
