"""The self-check calls each task notebook must make (issue 14, phase 2).

``CHECKS`` maps a notebook (path under ``notebooks/`` without ``.ipynb``) to
the calls of ``cnnrnn_helpers.checks`` that follow its exercises, written as
the start of the call (``'checks.model(cnn, "s05_small_cnn")'`` must appear
as ``checks.model(cnn, "s05_small_cnn")`` in a code cell outside the
solution blocks).  Variable names are those of the worked notebooks.
"""

from __future__ import annotations

CHECKS: dict[str, list[str]] = {
    "s01_keras_cnn_rnn/t01_image_filters": ["checks.scaled(x_train, ds.x_train"],
    "s01_keras_cnn_rnn/t02_cnn_keras": [
        "checks.scaled(x_train, ds.x_train",
        'checks.model(plain, "s01_fashion_cnn")',
        'checks.model(pooled, "s01_fashion_cnn_pooled")',
    ],
    "s01_keras_cnn_rnn/t03_pretrained_cifar10": [
        "checks.scaled(scale(",
        "checks.classifier(scratch, (32, 32, 3), 1)",
    ],
    "s01_keras_cnn_rnn/t04_manual_conv_pool": [
        "checks.conv2d(convolve",
        "checks.max_pool2d(max_pool",
    ],
    "s01_keras_cnn_rnn/t05_rnn_eeg": [
        "checks.windows(test_windows, x_test, y_test, LENGTH",
        'checks.model(simple, "s01_eeg_simple")',
        'checks.model(lstm, "s01_eeg_lstm")',
    ],
    "s01_keras_cnn_rnn/t06_variable_length_sequences": [
        "checks.length_batches(my_length_batches,",
        'checks.value("s01_vlen_lstm_params", n_params)',
        "checks.padding(padded, sequences",
        "checks.ragged(ragged, sequences",
    ],
    "s02_mlp_gradients_svhn/t01_backprop_equations": [
        'checks.value(f"s02_{name}_derivative_range", derivative_range',
        "checks.backprop(backprop",
    ],
    "s02_mlp_gradients_svhn/t02_depth_and_activation": [
        'checks.model(model, f"s02_mlp_'
    ],
    "s02_mlp_gradients_svhn/t03_gradient_flow": ['checks.model(model, f"s02_mlp_'],
    "s02_mlp_gradients_svhn/t05_svhn_cnn": ['checks.model(model, "s02_svhn_cnn")'],
    "s02_mlp_gradients_svhn/t06_digit_classifier": [
        'checks.model(model, "s02_digit_cnn")'
    ],
    "s03_mnist_models_lstm/t01_mnist_linear_mlp_cnn": [
        'checks.model(linear, "s03_linear")',
        'checks.model(mlp, "s03_mlp")',
        'checks.model(mlp_dropout, "s03_mlp_dropout")',
        'checks.model(cnn, "s03_cnn")',
    ],
    "s03_mnist_models_lstm/t02_lstm_sum_classifier": [
        "checks.sum_series(",
        'checks.model(model, "s03_lstm_sum")',
    ],
    "s04_cnn_rnn_lab/t01_mnist56_cnn": [
        'checks.value("s04_lab_params",',
        'checks.model(described, "s04_lab_cnn_text")',
    ],
    "s04_cnn_rnn_lab/t02_layer_visualisation": ['checks.model(ex2, "s04_lab_cnn_185")'],
    "s04_cnn_rnn_lab/t03_shapes_crt_r3": ["checks.classifier(model, (64, 64, 1), 3)"],
    "s04_cnn_rnn_lab/t04_rnn_pulse_converter": [
        'checks.model(reference, "s04_gru_reverse")',
        'checks.model(q6_model, "s04_simple_5")',
        'checks.model(q8_model, "s04_gru_3")',
        'checks.model(q9_model, "s04_gru_reverse")',
    ],
    "s05_deep_networks_fashion/t01_dense_networks": [
        "checks.scaled(x_train, ds.x_train",
        'checks.model(fc, "s05_dense_10")',
        'checks.value("s05_dense_params", by_hand_small)',
        'checks.value("s05_default_lr", default_lr)',
        'checks.value("s05_dense_wide_params", by_hand_wide)',
        "checks.first_mistake(shown, predictions, y_test, boot)",
    ],
    "s05_deep_networks_fashion/t02_convolutions_by_hand": ["checks.sobel(by_hand)"],
    "s05_deep_networks_fashion/t03_small_cnn": [
        "checks.scaled(x_train, ds.x_train",
        'checks.value("s05_conv1_params", conv1)',
        'checks.value("s05_conv2_params", conv2)',
        'checks.value("s05_cnn_side", side)',
        'checks.value("s05_cnn_dense_params", dense)',
        'checks.value("s05_small_cnn_params", by_hand_cnn)',
        'checks.model(cnn, "s05_small_cnn")',
    ],
    "s05_deep_networks_fashion/t04_bonus_strides_adam": [
        'checks.model(strided, "s05_strided_cnn")',
        'checks.value("s05_strided_side", side)',
        'checks.value("s05_strided_params", by_hand_strided)',
    ],
}
