"""Model builders for every sheet, and looking inside a built model.

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
Importing this package does not import Keras; each builder does.  Output
layers (softmax, sigmoid, the lab RNN's linear read-out) are float32 and
recurrent layers take ``config.precision_policy("recurrent")``, whatever
Keras' global policy (``CNNRNN_PRECISION``).

Module map
----------
inspect  :func:`count_params`, :func:`summary_table` (deterministic, for
         nbval), :func:`multiply_adds`, :func:`find_layer`,
         :func:`layers_of_type`, the one layer-probe builder
         :func:`layer_output_model` with :func:`layer_outputs`, and
         :func:`float32_copy` (what the probes inspect)
dense    fully connected networks: :func:`deep_mlp`, :func:`mnist_linear`,
         :func:`mnist_mlp`, :func:`sample_dense_mnist`
cnn      convolutional networks: :func:`fashion_cnn`, :func:`small_cnn`,
         :func:`svhn_cnn`, :func:`digit_cnn`, :func:`mnist_cnn`, :func:`lab_cnn`
rnn      recurrent networks: :func:`stateful_rnn`, :func:`lstm_sum_classifier`,
         :func:`eeg_rnn`
"""

from .cnn import digit_cnn, fashion_cnn, lab_cnn, mnist_cnn, small_cnn, svhn_cnn
from .dense import deep_mlp, mnist_linear, mnist_mlp, sample_dense_mnist
from .inspect import (
    count_params,
    find_layer,
    float32_copy,
    layer_output_model,
    layer_outputs,
    layers_of_type,
    multiply_adds,
    summary_table,
)
from .rnn import eeg_rnn, lstm_sum_classifier, stateful_rnn

__all__ = [
    "count_params",
    "deep_mlp",
    "digit_cnn",
    "eeg_rnn",
    "fashion_cnn",
    "find_layer",
    "float32_copy",
    "lab_cnn",
    "layer_output_model",
    "layer_outputs",
    "layers_of_type",
    "lstm_sum_classifier",
    "mnist_cnn",
    "mnist_linear",
    "mnist_mlp",
    "multiply_adds",
    "sample_dense_mnist",
    "small_cnn",
    "stateful_rnn",
    "summary_table",
    "svhn_cnn",
]
