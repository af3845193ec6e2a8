"""cnnrnn_helpers.models: every builder (parameter counts, shapes, initialisation,
bad arguments) and the inspection helpers (summary table, multiply-adds)."""

from __future__ import annotations

import keras
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnrnn_helpers import config, models, viz


@pytest.mark.parametrize(("depth", "params"), [(5, 29_674), (20, 45_514), (40, 66_634)])
def test_deep_mlp_shapes_and_parameter_counts(depth, params):
    model = models.deep_mlp(depth, activation="tanh")
    assert models.count_params(model) == params
    assert len(model.layers) == depth + 1
    assert model.layers[0].name == "hidden_01"
    assert model.layers[-1].name == "output"
    assert model.output_shape == (None, 10)
    assert model.layers[-2].activation is keras.activations.tanh


def test_deep_mlp_rejects_bad_arguments():
    with pytest.raises(ValueError, match="depth must be >= 1"):
        models.deep_mlp(0)
    with pytest.raises(TypeError, match="depth must be an int"):
        models.deep_mlp(2.5)
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        models.deep_mlp(2, n_classes=1)
    with pytest.raises(TypeError, match="activation must be"):
        models.deep_mlp(2, activation=3)


def _output_shapes(model) -> list[tuple]:
    return [tuple(layer.output.shape) for layer in model.layers]


@pytest.mark.parametrize(("units", "expected"), [(10, 8070), (64, 55050)])
def test_dense_networks_of_sheet_s05(units, expected):
    # problem 1 of sheet s05 reuses deep_mlp: two hidden layers, 10 outputs
    model = models.deep_mlp(2, units)
    assert models.count_params(model) == expected
    assert expected == (784 * units + units) + (units * units + units) + (
        units * 10 + 10
    )
    probs = model(np.zeros((3, 784), dtype="float32"))
    assert probs.shape == (3, 10)
    np.testing.assert_allclose(np.asarray(probs).sum(axis=1), 1.0, rtol=1e-5)


def test_small_cnn_with_pooling_has_3330_parameters():
    model = models.small_cnn()
    assert models.count_params(model) == 3330
    per_layer = [layer.count_params() for layer in model.layers]
    assert per_layer == [160, 0, 1160, 0, 0, 2010]
    assert _output_shapes(model) == [
        (None, 26, 26, 16),
        (None, 13, 13, 16),
        (None, 11, 11, 8),
        (None, 5, 5, 8),
        (None, 200),
        (None, 10),
    ]


def test_small_cnn_with_strides_has_4210_parameters():
    model = models.small_cnn(strides=True)
    assert models.count_params(model) == 4210
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D",
        "Conv2D",
        "Flatten",
        "Dense",
    ]
    assert _output_shapes(model) == [
        (None, 13, 13, 16),
        (None, 6, 6, 8),
        (None, 288),
        (None, 10),
    ]
    out = model(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32))
    assert out.shape == (2, 10)


def test_fashion_cnn_without_pooling():
    model = models.fashion_cnn()
    assert _output_shapes(model) == [
        (None, 28, 28, 1),
        (None, 26, 26, 128),
        (None, 24, 24, 64),
        (None, 36864),
        (None, 64),
        (None, 10),
    ]
    per_layer = [layer.count_params() for layer in model.layers]
    assert per_layer == [0, 1280, 73792, 0, 2359360, 650]
    assert models.count_params(model) == 2435082


def test_fashion_cnn_with_pooling():
    model = models.fashion_cnn(pooling=True)
    assert _output_shapes(model) == [
        (None, 28, 28, 1),
        (None, 26, 26, 128),
        (None, 13, 13, 128),
        (None, 11, 11, 64),
        (None, 5, 5, 64),
        (None, 1600),
        (None, 64),
        (None, 10),
    ]
    assert models.count_params(model) == 178186
    probs = model(np.zeros((2, 28, 28), dtype="float32"))
    assert probs.shape == (2, 10)


def test_builders_return_fresh_uncompiled_models():
    a, b = models.small_cnn(), models.small_cnn()
    assert a is not b
    assert not a.compiled
    assert isinstance(a, keras.Sequential)


@pytest.mark.parametrize("builder", [models.fashion_cnn, models.small_cnn])
def test_builders_reject_bad_arguments(builder):
    with pytest.raises(TypeError, match="True or False"):
        builder("yes")
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        builder(n_classes=1)
    with pytest.raises(TypeError, match="n_classes must be an int"):
        builder(n_classes=2.0)


def test_multiply_adds_of_the_sheet_5_cnns():
    assert models.multiply_adds(models.small_cnn()) == [
        ("Conv2D", 26 * 26 * 16 * 9),
        ("MaxPooling2D", 0),
        ("Conv2D", 11 * 11 * 8 * 9 * 16),
        ("MaxPooling2D", 0),
        ("Flatten", 0),
        ("Dense", 200 * 10),
    ]
    strided = models.multiply_adds(models.small_cnn(strides=True))
    assert strided == [
        ("Conv2D", 13 * 13 * 16 * 9),
        ("Conv2D", 6 * 6 * 8 * 9 * 16),
        ("Flatten", 0),
        ("Dense", 288 * 10),
    ]
    assert sum(m for _, m in strided) == 68688
    assert models.multiply_adds(models.deep_mlp(2, 10)) == [
        ("Dense", 7840),
        ("Dense", 100),
        ("Dense", 100),
    ]
    with pytest.raises(TypeError, match="Keras model"):
        models.multiply_adds(np.zeros(3))


def test_sample_dense_mnist_has_the_sheets_203530_parameters():
    model = models.sample_dense_mnist()
    assert models.count_params(model) == 203_530
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes == [(None, 784), (None, 256), (None, 10)]
    with pytest.raises(ValueError, match="units"):
        models.sample_dense_mnist(0)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: models.mnist_linear(), 7_850),
        (lambda: models.mnist_mlp(), 5_695_510),
        (lambda: models.mnist_mlp(0.5), 5_695_510),
        (lambda: models.mnist_cnn(), 83_466),
        (lambda: models.lstm_sum_classifier(), 161_801),
        (lambda: models.eeg_rnn("simple"), 142_018),
        (lambda: models.eeg_rnn("lstm"), 388_546),
    ],
)
def test_builder_parameter_counts(build, expected):
    assert models.count_params(build()) == expected


def test_builder_initialisation_and_shapes():
    keras.utils.set_random_seed(0)
    linear = models.mnist_linear()
    assert all(not np.any(w.numpy()) for w in linear.weights)
    mlp = models.mnist_mlp(units=200)
    kernel, bias = mlp.layers[1].kernel.numpy(), mlp.layers[1].bias.numpy()
    assert np.abs(kernel).max() <= 0.02 + 1e-7  # truncated at two std
    assert kernel.std() == pytest.approx(0.0088, abs=0.0005)  # 0.01 truncated
    assert np.all(bias == np.float32(0.1))
    dropout = models.mnist_mlp(0.5, units=8)
    assert sum(isinstance(la, keras.layers.Dropout) for la in dropout.layers) == 3
    cnn = models.mnist_cnn()
    assert tuple(cnn.layers[-2].output.shape) == (None, 3136)
    assert tuple(models.eeg_rnn().layers[-1].output.shape) == (None, 2)
    with pytest.raises(ValueError, match="dropout"):
        models.mnist_mlp(1.0)
    with pytest.raises(ValueError, match="cell"):
        models.eeg_rnn("gru")
    with pytest.raises(TypeError):
        models.lstm_sum_classifier(units=2.0)


def _shapes(model):
    return [tuple(layer.output.shape) for layer in model.layers]


def test_given_5_vs_6_cnn_has_185_parameters():
    model = models.lab_cnn()
    assert models.count_params(model) == 185
    assert _shapes(model) == [
        (None, 26, 26, 3),
        (None, 8, 8, 3),
        (None, 6, 6, 3),
        (None, 2, 2, 3),
        (None, 12),
        (None, 5),
        (None, 1),
    ]
    out = model(np.zeros((2, 28, 28, 1), "float32"))
    assert out.shape == (2, 1)
    assert np.all((np.asarray(out) > 0) & (np.asarray(out) < 1))  # sigmoid


def test_seed_reference_architectures():
    # the seed's 109-parameter answer: 2 filters, 2x2 pooling, no hidden dense
    assert (
        models.count_params(models.lab_cnn((2, 2), pool_size=2, dense_units=None))
        == 109
    )
    # the seed's CRT network: 4 filters, 3x3 pooling, Dense(10), 3 classes
    crt = models.lab_cnn((4, 4), dense_units=10, n_outputs=3, input_shape=(64, 64, 1))
    assert models.count_params(crt) == 1671
    assert _shapes(crt)[3] == (None, 6, 6, 4)
    probs = np.asarray(crt(np.ones((3, 64, 64, 1), "float32")))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)  # softmax
    r3 = models.lab_cnn((3, 3), dense_units=10, n_outputs=3, input_shape=(64, 64, 1))
    assert models.count_params(r3) == 1237


def test_lab_cnn_rejects_bad_sizes():
    with pytest.raises(ValueError, match="filters"):
        models.lab_cnn(())
    with pytest.raises(ValueError, match="pool_size"):
        models.lab_cnn(pool_size=1)
    with pytest.raises(ValueError, match="too small"):
        models.lab_cnn((3, 3, 3, 3))


def test_stateful_gru_25_with_two_dense_layers_has_2128_parameters():
    model = models.stateful_rnn("gru", 25, dense_layers=2, activation="relu")
    assert models.count_params(model) == 2128
    assert [layer.count_params() for layer in model.layers] == [2100, 26, 2]
    assert _shapes(model) == [(20, 50, 25), (20, 50, 1), (20, 50, 1)]
    assert model.layers[0].stateful and model.layers[0].return_sequences


@pytest.mark.parametrize(
    ("cell", "units", "expected"),
    [
        ("simple", 5, 5 * 1 + 5 * 5 + 5 + 6),  # 41
        ("simple", 12, 181),
        ("gru", 6, 3 * (6 + 6 * 6 + 2 * 6) + 7),  # 169 (reset_after=True)
        ("lstm", 6, 4 * (6 + 6 * 6 + 6) + 7),  # 199
    ],
)
def test_stateful_rnn_parameter_counts(cell, units, expected):
    assert models.count_params(models.stateful_rnn(cell, units)) == expected


def test_two_layer_stateful_rnn():
    model = models.stateful_rnn("lstm", 8, layers=2, units2=4, batch_size=10, chunk=25)
    assert [layer.name for layer in model.layers[:2]] == ["rnn_1", "rnn_2"]
    assert _shapes(model) == [(10, 25, 8), (10, 25, 4), (10, 25, 1)]
    assert models.count_params(model) == 4 * (8 + 64 + 8) + 4 * (32 + 16 + 4) + 5


def test_stateful_rnn_rejects_bad_input():
    with pytest.raises(ValueError, match="cell"):
        models.stateful_rnn("transformer", 3)
    with pytest.raises(ValueError, match="layers"):
        models.stateful_rnn("gru", 3, layers=3)
    with pytest.raises(TypeError, match="units"):
        models.stateful_rnn("gru", 2.5)


def _conv_and_pool_shapes(model) -> list[tuple]:
    return [
        tuple(layer.output.shape[1:])
        for layer in model.layers
        if type(layer).__name__ in ("Conv2D", "MaxPooling2D")
    ]


def test_svhn_cnn_layers_shapes_and_params():
    model = models.svhn_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D"] * 3 + ["Flatten", "Dense"]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [9, 36, 49]
    assert all(tuple(c.kernel_size) == (3, 3) for c in convs)
    pools = [layer for layer in model.layers if "Pooling" in type(layer).__name__]
    assert all(tuple(p.pool_size) == (3, 3) for p in pools)
    assert _conv_and_pool_shapes(model) == [
        (32, 32, 9), (16, 16, 9), (16, 16, 36), (8, 8, 36), (8, 8, 49), (4, 4, 49)
    ]
    # 3*3*3*9+9, 3*3*9*36+36, 3*3*36*49+49, 4*4*49*10+10
    assert models.count_params(model) == 252 + 2952 + 15925 + 7850 == 26979
    out = model(np.zeros((2, 32, 32, 3), dtype="float32"))
    assert tuple(out.shape) == (2, 10)
    np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)


def test_svhn_cnn_with_keras_default_pool_stride():
    model = models.svhn_cnn(pool_strides=3)
    assert _conv_and_pool_shapes(model)[1::2] == [(11, 11, 9), (4, 4, 36), (2, 2, 49)]
    assert models.count_params(model) == 252 + 2952 + 15925 + (2 * 2 * 49 * 10 + 10)


def test_svhn_cnn_rejects_bad_arguments():
    with pytest.raises(ValueError, match="three positive"):
        models.svhn_cnn((9, 36))
    with pytest.raises(ValueError, match="pool_strides"):
        models.svhn_cnn(pool_strides=4)


def test_digit_cnn_shapes_params_and_dropout():
    model = models.digit_cnn()
    assert tuple(model.layers[0].output.shape) == (None, 28, 28, 32)
    # 320 + 18,496 + 3136*128+128 + 128*10+10
    assert models.count_params(model) == 320 + 18496 + 401536 + 1290 == 421642
    x = np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32")
    probs = np.asarray(model(x, training=False))
    assert probs.shape == (3, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    # dropout is only active in training
    np.testing.assert_allclose(np.asarray(model(x, training=False)), probs)
    rates = [layer.rate for layer in model.layers if "Dropout" in type(layer).__name__]
    assert rates == [0.3, 0.3]
    with pytest.raises(ValueError, match="dropout"):
        models.digit_cnn(dropout=1.0)


def test_digit_cnn_round_trips_through_h5_and_keras(tmp_path):
    model = models.digit_cnn()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).random((4, 28, 28, 1)).astype("float32")
    expected = model.predict(x, verbose=0)
    for name in ("digits.h5", "digits.keras"):
        model.save(tmp_path / name)
        again = keras.models.load_model(tmp_path / name, compile=False)
        np.testing.assert_allclose(again.predict(x, verbose=0), expected, rtol=1e-6)


def test_feature_map_grids_shows_every_filter_grouped_by_layer():

    matplotlib.use("Agg")


    model = models.svhn_cnn()
    images = np.random.default_rng(2).random((2, 32, 32, 3)).astype("float32")
    fig, acts = viz.feature_maps_by_image(model, images, row_labels=["a", "b"])
    try:
        assert len(fig.axes) == 2 * 4  # input + 3 conv layers per image
        assert [a.shape for a in acts[1]] == [(32, 32, 9), (16, 16, 36), (8, 8, 49)]
        titles = [ax.get_title() for ax in fig.axes[:4]]
        assert titles[1:] == [
            "Conv2D 1\n9 maps 32x32",
            "Conv2D 2\n36 maps 16x16",
            "Conv2D 3\n49 maps 8x8",
        ]
        # the activations are the conv layer's own output for that image
        direct = np.asarray(model.layers[0](images))[1]
        np.testing.assert_allclose(acts[1][0], direct, rtol=1e-5, atol=1e-6)
        # 49 maps of 8x8 tile a 7x7 grid with 1-pixel gaps: 7*8 + 6 = 62
        mosaic = viz._mosaic(acts[0][2])
        assert mosaic.shape == (62, 62)
        assert np.isnan(mosaic[8]).all()  # the gap row after the first tile row
        assert np.nanmax(mosaic) <= 1.0 and np.nanmin(mosaic) >= 0.0
        with pytest.raises(ValueError, match="row labels"):
            viz.feature_maps_by_image(model, images, row_labels=["a"])
    finally:
        plt.close("all")


def test_summary_table_is_deterministic_and_counts(tiny_cnn):
    model = tiny_cnn()
    text = models.summary_table(model)
    # conv: 3*3*1*2 + 2 = 20; dense: (3*3*2)*3 + 3 = 57
    assert "Conv2D" in text and "(None, 6, 6, 2)" in text
    assert "(None, 3, 3, 2)" in text
    assert text.splitlines()[-1] == "total params: 77 (trainable: 77)"
    assert models.count_params(model) == 77
    assert models.summary_table(tiny_cnn()) == text  # no name counters


# ------------------------------- precision: what stays float32 (CNNRNN_PRECISION)


def _policies(model) -> list[str]:
    return [layer.dtype_policy.name for layer in model.layers]


BUILDERS = {
    "fashion_cnn": lambda: models.fashion_cnn(pooling=True),
    "small_cnn": lambda: models.small_cnn(strides=True),
    "svhn_cnn": models.svhn_cnn,
    "digit_cnn": models.digit_cnn,
    "lab_cnn": models.lab_cnn,
    "lab_cnn(3)": lambda: models.lab_cnn(n_outputs=3),
    "mnist_linear": models.mnist_linear,
    "mnist_mlp": models.mnist_mlp,
    "mnist_cnn": models.mnist_cnn,
    "lstm_sum_classifier": lambda: models.lstm_sum_classifier(units=8),
    "eeg_rnn": lambda: models.eeg_rnn("lstm"),
    "stateful_rnn": lambda: models.stateful_rnn("gru", 4, dense_layers=2),
    "sample_dense_mnist": models.sample_dense_mnist,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_builder_keeps_its_output_layer_float32(name, policy_restored):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = BUILDERS[name]()
    assert model.layers[-1].dtype_policy.name == "float32"
    assert model.layers[-1].compute_dtype == "float32"
    if name != "lstm_sum_classifier":  # LSTM + output only: nothing follows it
        assert "mixed_bfloat16" in _policies(model)[:-1]  # the rest follows it


def test_recurrent_layers_follow_their_own_kind(monkeypatch, policy_restored):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    monkeypatch.setattr(config, "precision_policy", lambda kind=None: "float32")
    recurrent = keras.layers.SimpleRNN | keras.layers.GRU | keras.layers.LSTM
    for model in (
        models.stateful_rnn("gru", 4),
        models.lstm_sum_classifier(units=8),
        models.eeg_rnn("simple"),
    ):
        rnn = [layer for layer in model.layers if isinstance(layer, recurrent)]
        assert rnn and all(layer.dtype_policy.name == "float32" for layer in rnn)
    monkeypatch.setattr(config, "precision_policy", lambda kind=None: "mixed_bfloat16")
    model = models.stateful_rnn("gru", 4)
    assert model.get_layer("rnn_1").dtype_policy.name == "mixed_bfloat16"


def test_deep_mlp_is_float32_whatever_the_policy(policy_restored):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = models.deep_mlp(3, units=4)
    assert set(_policies(model)) == {"float32"}
    assert models.float32_copy(model) is model


def test_float32_copy_has_the_same_weights_and_float32_layers(policy_restored):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = models.stateful_rnn("gru", 4, dense_layers=2)
    keras.mixed_precision.set_global_policy("float32")
    copy = models.float32_copy(model)
    assert copy is not model
    assert set(_policies(copy)) == {"float32"}
    assert isinstance(copy.layers[-1], keras.layers.TimeDistributed)
    assert copy.layers[-2].layer.dtype_policy.name == "float32"  # wrapped layer too
    names = [layer.name for layer in model.layers]
    assert [layer.name for layer in copy.layers] == names
    for a, b in zip(copy.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
