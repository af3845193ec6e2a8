"""Answers the sheets ask students to produce: none may appear in a student copy.

``ANSWERS`` maps a notebook (path under ``notebooks/`` without ``.ipynb``) to
what its student copy must not contain: ints (matched with any thousands
separator, e.g. ``8070``, ``8,070``, ``8_070``, ``8\\,070``, ``8 070``) and
compiled regular expressions (matrices, formulas).  Used by
``tests/test_student.py``; the self-checks hold the same answers in
``cnnrnn_helpers.checks`` so that a copy can check work without showing them.
"""

from __future__ import annotations

import re

_SEP = r"(?:,|_|\s|\\,|\\;|\\ |\\!|\{,\}|\u2009|\u202f)?"


def number_pattern(n: int) -> re.Pattern[str]:
    """A pattern for the integer ``n`` with any thousands separator."""
    digits = str(int(n))
    head, groups = len(digits) % 3 or 3, []
    groups.append(digits[:head])
    groups += [digits[k : k + 3] for k in range(head, len(digits), 3)]
    return re.compile(r"(?<![\d.])" + _SEP.join(groups) + r"(?![\d])")


_MINUS_FOUR = re.compile(r"(?:-|−|\\minus)\s*4(?![\d.])")  # the Sobel results' -4

ANSWERS: dict[str, list[int | re.Pattern[str]]] = {
    "s01_keras_cnn_rnn/t02_cnn_keras": [2_435_082, 178_186, 36_864],
    "s02_mlp_gradients_svhn/t01_backprop_equations": [
        # sigmoid' <= 1/4 (as 1/4, \frac{1}{4}, \tfrac14 or 0.25)
        re.compile(r"\\t?frac\{?1\}?\{?4(?!\d)|(?<![\d.])(?:1/4|0\.25)(?![\d])"),
    ],
    "s02_mlp_gradients_svhn/t04_lecun_activation": [
        re.compile(r"(?<![\d.])1\.1[45]\d*"),  # f' <= 1.1539, slope 1.1439
    ],
    "s02_mlp_gradients_svhn/t05_svhn_cnn": [21_099, 26_979],
    "s03_mnist_models_lstm/t01_mnist_linear_mlp_cnn": [5_695_510, 83_466],
    "s04_cnn_rnn_lab/t01_mnist56_cnn": [185, 109],  # 109: the report's trimmed net
    "s04_cnn_rnn_lab/t03_shapes_crt_r3": [1_671],  # the sample report's CRT net
    "s04_cnn_rnn_lab/t04_rnn_pulse_converter": [2_128],
    "s05_deep_networks_fashion/t01_dense_networks": [8_070, 55_050],
    "s05_deep_networks_fashion/t02_convolutions_by_hand": [_MINUS_FOUR],
    "s05_deep_networks_fashion/t03_small_cnn": [3_330, 1_160, 2_010],
    "s05_deep_networks_fashion/t04_bonus_strides_adam": [4_210, 2_890],
}


def patterns(notebook: str) -> list[re.Pattern[str]]:
    """The compiled patterns of one notebook's answers (empty if none listed)."""
    return [
        a if isinstance(a, re.Pattern) else number_pattern(a)
        for a in ANSWERS.get(notebook, [])
    ]
