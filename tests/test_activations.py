"""cnnrnn_helpers.activations: functions, derivatives, bounds and LeCun's tanh."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from cnnrnn_helpers import activations, models

Z = np.linspace(-6.0, 6.0, 1201)


@pytest.mark.parametrize("name", activations.NAMES)
def test_derivative_matches_autodiff_and_finite_differences(name):
    z = Z[Z != 0.0]  # ReLU has a kink at 0
    x = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = (
            activations.lecun_tanh(x)
            if name == "lecun_tanh"
            else keras.activations.get(name)(x)
        )
    np.testing.assert_allclose(activations.activation(name, z), y.numpy(), atol=1e-12)
    auto = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(activations.derivative(name, z), auto, atol=1e-9)
    h = 1e-6
    central = (
        activations.activation(name, z + h) - activations.activation(name, z - h)
    ) / (2 * h)
    np.testing.assert_allclose(activations.derivative(name, z), central, atol=1e-6)


def test_derivative_values_and_bounds():
    d = {n: activations.derivative(n, Z) for n in activations.NAMES}
    assert d["sigmoid"].max() == pytest.approx(0.25)
    assert d["tanh"].max() == pytest.approx(1.0)
    assert set(np.unique(d["relu"])) == {0.0, 1.0}
    assert activations.derivative("relu", 0.0) == 0.0  # TensorFlow's choice
    assert d["lecun_tanh"].max() == pytest.approx(1.7159 * 2 / 3 + 0.01)
    assert d["lecun_tanh"].min() > 0.01
    lo, hi = activations.derivative_bounds("lecun_tanh")
    assert (lo, hi) == pytest.approx((0.01, 1.153933333))
    assert activations.derivative_bounds("sigmoid") == (0.0, 0.25)
    for name in activations.NAMES:
        lo, hi = activations.derivative_bounds(name)
        assert lo - 1e-12 <= d[name].min() and d[name].max() <= hi + 1e-12
    # far out, tanh and sigmoid saturate but LeCun keeps its linear slope
    assert activations.derivative("sigmoid", 40.0) < 1e-15
    assert activations.derivative("lecun_tanh", 40.0) == pytest.approx(0.01)


def test_lecun_tanh_values():
    # scaled so that 1.7159 * tanh(2/3) = 0.9999973, i.e. f(1) is about 1 + 0.01
    out = np.asarray(activations.lecun_tanh(np.array([-1.0, 0.0, 1.0, 100.0])))
    expected = [-1.0099973, 0.0, 1.0099973, 1.7159 + 1.0]
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(
        activations.activation("lecun_tanh", [1.0]), [1.0099973], rtol=1e-6
    )


def test_bad_names_and_inputs():
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        activations.derivative("elu", Z)
    with pytest.raises(TypeError, match="name must be a string"):
        activations.activation(3, Z)
    with pytest.raises(TypeError, match="numeric"):
        activations.activation("relu", ["a", "b"])


def test_lecun_model_saves_and_loads(tmp_path):
    model = models.deep_mlp(2, units=4, activation="lecun_tanh", input_dim=3)
    config = model.get_layer("hidden_01").get_config()
    assert "lecun_tanh" in str(config["activation"])
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    path = tmp_path / "lecun.keras"
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert again.get_layer("hidden_02").activation is activations.lecun_tanh
