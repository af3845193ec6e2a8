"""The lab's model builders (sheet s04): parameter counts and output shapes."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers import models


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
