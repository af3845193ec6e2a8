"""Self-checks: they pass on the package's own solutions and fail helpfully."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage

from cnnrnn_helpers import activations, checks, conv, data, models
from cnnrnn_helpers.data.windows import make_windows

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercise_checks  # the list of check calls lives next to this file


@pytest.fixture(autouse=True)
def _raise_mode():
    previous = checks.raise_on_failure(True)
    yield
    checks.raise_on_failure(previous)


def _convolve(image, kernel, flip=False):
    """The notebook's loop version (sheet 1 task 4), no input validation."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if flip:
        kernel = kernel[::-1, ::-1]
    n, k = image.shape[0], kernel.shape[0]
    out = np.zeros((n - k + 1, n - k + 1))
    for i in range(n - k + 1):
        for j in range(n - k + 1):
            out[i, j] = np.sum(image[i : i + k, j : j + k] * kernel)
    return out


def _stub(*args, **kwargs):
    raise NotImplementedError("your code here (see the task above)")


# ------------------------------------------------------------ reporting


def test_pass_prints_one_line_and_returns_true(capsys):
    assert checks.conv2d(conv.conv2d)
    out = capsys.readouterr().out
    assert out == (
        "✓ conv2d: 40 random cases agree with SciPy and flip=True with convolve2d\n"
    )


def test_failure_raises_one_line_without_traceback():
    with pytest.raises(checks.CheckFailed) as info:
        checks.value("s05_dense_params", 7850)
    assert isinstance(info.value, AssertionError)
    rendered = info.value._render_traceback_()
    assert rendered == ["\x1b[31m✗ s05_dense_params: 7,850 is not right "
                        "(checks.explain() gives a hint)\x1b[0m"]  # fmt: skip
    own = ["s05_dense_params"]
    assert not checks.key.leaks(str(info.value), names=own, include_shown=True)


def test_failure_can_print_instead(capsys):
    checks.raise_on_failure(False)
    assert not checks.value("s05_small_cnn_params", 3331)
    assert capsys.readouterr().out == (
        "✗ s05_small_cnn_params: 3,331 is not right (checks.explain() gives a hint)\n"
    )
    with pytest.raises(TypeError, match="flag must be True or False"):
        checks.raise_on_failure("yes")


def test_explain_shows_the_detail_of_the_last_failure(capsys):
    with pytest.raises(checks.CheckFailed):
        checks.value("s05_conv2_params", 1000)
    checks.explain()
    out = capsys.readouterr().out
    assert out.startswith("s05_conv2_params:\n  hint: count layer by layer")
    assert not checks.key.leaks(out, names=["s05_conv2_params"], include_shown=True)
    checks.value("s05_conv2_params", 1160)
    checks.explain()
    assert capsys.readouterr().out.endswith("nothing more to explain\n")


def test_stub_gets_a_friendly_one_line_error():
    with pytest.raises(NotImplementedError, match="conv2d: not written yet") as info:
        checks.conv2d(_stub)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert len(info.value._render_traceback_()) == 1
    assert "\n" not in info.value._render_traceback_()[0]


# ------------------------------------------------------------ conv, pool


@pytest.mark.parametrize("fn", [conv.conv2d, conv.conv2d_naive, _convolve])
def test_conv2d_accepts_correct_versions(fn, capsys):
    assert checks.conv2d(fn, cases=25, seed=3)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "25 random cases agree" in out
    assert "note" not in out and "accepted" not in out  # nothing like a fault


def test_conv2d_strict_requires_value_errors(capsys):
    with pytest.raises(checks.CheckFailed) as info:
        checks.conv2d(_convolve, cases=5, strict=True)
    assert str(info.value) == (
        "conv2d: bad input must raise ValueError: a 3x4 (non-square) image was "
        "accepted without an error"
    )
    assert checks.conv2d(conv.conv2d, cases=5, strict=True)
    assert "bad input raises ValueError" in capsys.readouterr().out


def test_conv2d_names_a_flipped_kernel_in_one_line(capsys):
    def swapped(image, kernel, flip=False):
        return conv.conv2d(image, kernel, flip=not flip)

    with pytest.raises(checks.CheckFailed) as info:
        checks.conv2d(swapped)
    assert str(info.value) == (
        "conv2d: 2x2 image, 2x2 kernel: the result is the true convolution: the "
        "kernel is flipped (without flip=True it slides over the image as it is)"
    )
    checks.explain()
    detail = capsys.readouterr().out
    assert "image:" in detail and "kernel:" in detail and "your result:" in detail

    def only_cross(image, kernel, flip=False):
        return conv.conv2d(image, kernel)

    with pytest.raises(checks.CheckFailed, match="flip=True: the result is the cross"):
        checks.conv2d(only_cross)


def test_conv2d_reports_a_wrong_shape():
    def full(image, kernel):
        import scipy.signal

        return scipy.signal.correlate2d(image, kernel, mode="full")

    with pytest.raises(checks.CheckFailed, match=r"shape \(\d+, \d+\), expected"):
        checks.conv2d(full)


def test_max_pool2d_passes_and_fails():
    assert checks.max_pool2d(conv.max_pool2d, strict=True)
    assert checks.max_pool2d(conv.max_pool2d_naive)

    def ignores_stride(image, size, stride=1):
        return conv.max_pool2d(image, size)

    with pytest.raises(checks.CheckFailed) as info:
        checks.max_pool2d(ignores_stride)
    assert str(info.value) == (
        "max_pool2d: 2x2 image, size 1, stride 2: the result has shape (2, 2), "
        "expected (1, 1) (the stride is ignored?)"
    )
    with pytest.raises(checks.CheckFailed, match="the minima of the windows"):
        checks.max_pool2d(
            lambda image, size: -conv.max_pool2d(-np.asarray(image), size)
        )
    with pytest.raises(ValueError, match="cases must be >= 1"):
        checks.max_pool2d(conv.max_pool2d, cases=0)


# ------------------------------------------------------------ models


@pytest.mark.parametrize(
    ("name", "build", "params"),
    [
        ("s05_small_cnn", models.small_cnn, 3330),
        ("s05_strided_cnn", lambda: models.small_cnn(strides=True), 4210),
        ("s05_dense_10", lambda: models.deep_mlp(2, 10), 8070),
        ("s04_lab_cnn_185", models.lab_cnn, 185),
        (
            "s04_gru_reverse",
            lambda: models.stateful_rnn(
                "gru", 25, dense_layers=2, activation="relu", batch_size=7, chunk=50
            ),
            2128,
        ),
    ],
)
def test_model_accepts_the_sheets_network(name, build, params, capsys):
    assert checks.model(build(), name)
    assert f"{params:,} parameters as on the sheet" in capsys.readouterr().out


_CONV = [
    lambda k: k.Input(shape=(28, 28, 1)),
    lambda k: k.layers.Conv2D(16, 3, activation="relu"),
    lambda k: k.layers.MaxPooling2D(2),
    lambda k: k.layers.Conv2D(8, 3, activation="relu"),
]


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            [*_CONV[:2], _CONV[3]],
            "layer 2 is Conv2D; the sheet's network has MaxPooling2D there",
        ),
        (
            [*_CONV, lambda k: k.layers.MaxPooling2D(2), lambda k: k.layers.Flatten()],
            "your model ends after 5 layers; the sheet's network goes on with Dense",
        ),
        (
            [_CONV[0], lambda k: k.layers.Conv2D(16, 3, activation="tanh")],
            "layer 1 (Conv2D): activation 'tanh', expected 'relu'",
        ),
        (
            [*_CONV, lambda k: k.layers.MaxPooling2D(3)],
            "layer 4 (MaxPooling2D) gives (None, 3, 3, 8): its height and width "
            "differ from the sheet's layer (kernel size, padding, strides or "
            "pooling?)",
        ),
        (
            [*_CONV[:3], lambda k: k.layers.Conv2D(4, 3, activation="relu")],
            "layer 3 (Conv2D) gives (None, 11, 11, 4): its number of channels "
            "differs from the sheet's layer (filters?)",
        ),
    ],
)
def test_model_names_the_first_difference_without_the_sheets_shapes(layers, message):
    import keras

    net = keras.Sequential([f(keras) for f in layers])
    with pytest.raises(checks.CheckFailed) as info:
        checks.model(net, "s05_small_cnn")
    assert str(info.value) == f"model s05_small_cnn: {message}"
    assert "(None, 5, 5, 8)" not in str(info.value)  # the side a student derives


def test_model_rejects_unknown_names_and_non_models():
    with pytest.raises(ValueError, match="unknown model name 'nope'; known: s01_"):
        checks.reference_model("nope")
    with pytest.raises(checks.CheckFailed, match="expected a Keras model, got int"):
        checks.model(3, "s05_small_cnn")
    assert "s04_gru_reverse" in checks.REFERENCE_MODELS
    assert "s02_svhn_cnn_sheet" in checks.REFERENCE_MODELS


# ------------------------------------------------------------ values, Sobel


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("s05_dense_params", (784 * 10 + 10) + 2 * (10 * 10 + 10)),
        ("s05_dense_wide_params", np.int64((784 * 64 + 64) + (64 * 64 + 64) + 650)),
        ("s05_small_cnn_params", 160 + 1160 + 2010),
        ("s05_small_cnn_params", 3330.0),
        ("s05_strided_params", 160 + 1160 + 6 * 6 * 8 * 10 + 10),
        ("s04_lab_params", 185),
        ("s04_gru_reverse_params", 2128),
        ("s01_cnn_params", 2_435_082),
        ("s01_cnn_pooled_params", 178_186),
        ("s05_default_lr", np.float32(0.01)),
        ("s02_sigmoid_derivative_range", (0, 0.25)),
        ("s02_lecun_derivative_range", (0.01, 1.7159 * 2 / 3 + 0.01)),
        ("s02_lecun_derivative_range", (np.float32(0.01), np.float32(1.15393))),
    ],
)
def test_value_accepts_right_answers(name, answer):
    assert checks.value(name, answer)


def test_the_key_agrees_with_the_package():
    pairs = {
        "s05_dense_params": models.deep_mlp(2, 10),
        "s05_dense_wide_params": models.deep_mlp(2, 64),
        "s05_small_cnn_params": models.small_cnn(),
        "s05_strided_params": models.small_cnn(strides=True),
        "s04_lab_params": models.lab_cnn(),
        "s04_lab_text_params": models.lab_cnn((4, 4), pool_size=2, dense_units=10),
        "s04_gru_reverse_params": models.stateful_rnn(
            "gru", 25, dense_layers=2, activation="relu"
        ),
        "s02_svhn_params": models.svhn_cnn(),
        "s02_svhn_sheet_params": models.svhn_cnn(pool_strides=3),
        "s03_linear_params": models.mnist_linear(),
        "s03_mlp_params": models.mnist_mlp(),
        "s03_cnn_params": models.mnist_cnn(),
        "s01_cnn_params": models.fashion_cnn(pooling=False),
        "s01_cnn_pooled_params": models.fashion_cnn(pooling=True),
    }
    for name, net in pairs.items():
        answer = checks.key.ANSWERS[name]
        assert answer.wrong_parts([models.count_params(net)]) == [], name
    for act in ("relu", "tanh", "sigmoid", "lecun_tanh"):
        key = "lecun" if act == "lecun_tanh" else act
        bounds = activations.derivative_bounds(act)
        assert checks.VALUES[f"s02_{key}_derivative_range"].wrong_parts(bounds) == []


def test_the_key_shows_no_value():
    answer = checks.VALUES["s05_small_cnn_params"]
    for text in (repr(answer), str(answer), repr(checks.key.ANSWERS)):
        assert "3330" not in text and "3,330" not in text
    assert repr(answer) == (
        "Answer('s05_small_cnn_params', s05_deep_networks_fashion/t03_small_cnn, "
        "1 number, hashed)"
    )
    source = (Path(checks.key.__file__).parent / "_answers.py").read_text()
    text = re.sub(r"'[0-9a-f]{20}'", "''", source)  # the hashes themselves
    assert not checks.key.leaks(text), "a plain answer in the key's source"


def test_every_answer_names_an_existing_notebook():
    for answer in checks.key.ANSWERS.values():
        assert (_ROOT / "notebooks" / f"{answer.notebook}.ipynb").is_file(), answer


@pytest.mark.parametrize(
    "text", ["3330", "3,330", "3_330", "3\\,330", "**3 330**", "$3{,}330$"]
)
def test_leaks_find_a_number_in_any_notation(text):
    assert [h.name for h in checks.key.leaks(text)] == ["s05_small_cnn_params"]


@pytest.mark.parametrize("text", ["33300", "13330", "3.330", "0.3330", "3330.5"])
def test_leaks_ignore_other_numbers(text):
    assert "s05_small_cnn_params" not in [h.name for h in checks.key.leaks(text)]


def test_leaks_find_fractions_signs_and_rounded_decimals():
    found = checks.key.leaks(r"$\tfrac14$, 1/4, $-4$, 1.154 and 1.14, but 1.2")
    assert [(h.name, h.text) for h in found] == [
        ("s02_sigmoid_derivative_range", r"\tfrac14"),
        ("s02_sigmoid_derivative_range", "1/4"),
        ("s05_sobel_extreme", "-4"),
        ("s02_lecun_derivative_range", "1.154"),
        ("s02_lecun_slope", "1.14"),
    ]


@pytest.mark.parametrize(
    ("name", "answer", "message"),
    [
        ("s05_dense_params", 7850, "7,850 is not right (checks.explain() gives"),
        ("s05_dense_params", 8040, "8,040 is not right: the biases are missing"),
        ("s05_cnn_side", 6, "6 is not right: pooling rounds down"),
        ("s05_small_cnn_params", "3330", "expected a number, got str"),
        ("s05_small_cnn_params", None, "no value yet: assign your result"),
        ("s02_relu_derivative_range", (0, 2), "entry 2: 2 is not right"),
        ("s02_relu_derivative_range", 1, "expected 2 numbers (low, high), got 1"),
    ],
)
def test_value_fails_in_one_line(name, answer, message):
    with pytest.raises(checks.CheckFailed) as info:
        checks.value(name, answer)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_value_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown value name 'x'"):
        checks.value("x", 1)


def _sobel_by_hand():
    edge = np.tile([0, -4, 0, 4, 0], (5, 1))
    return {
        ("K_x", "I_A"): edge,
        ("K_y", "I_A"): np.zeros((5, 5), dtype=int),
        ("K_x", "I_B"): np.zeros((5, 5), dtype=int),
        ("K_y", "I_B"): edge.T,
    }


def test_sobel_passes_and_names_typical_mistakes(capsys):
    assert checks.sobel(_sobel_by_hand())
    assert capsys.readouterr().out == (
        "✓ sobel: 4 matrices agree with scipy.ndimage.convolve\n"
    )
    wrong = _sobel_by_hand()
    wrong["K_y", "I_B"] = -wrong["K_y", "I_B"]
    with pytest.raises(checks.CheckFailed) as info:
        checks.sobel(wrong)
    assert str(info.value) == (
        "sobel: K_y * I_B: row 1, column 0 (counting from 0) is wrong; every sign "
        "is flipped: convolution rotates the kernel by 180°"
    )
    image = np.zeros((5, 5), dtype=int)
    image[:, 2] = 1
    k_y = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).T
    zero_padded = scipy.ndimage.convolve(image, k_y, mode="constant")
    with pytest.raises(checks.CheckFailed, match="the border is wrong: 'nearest'"):
        checks.sobel({("K_y", "I_A"): zero_padded})
    with pytest.raises(checks.CheckFailed, match="shape \\(4, 4\\)"):
        checks.sobel({("K_x", "I_A"): np.zeros((4, 4))})
    with pytest.raises(checks.CheckFailed, match="unknown key"):
        checks.sobel({("K_z", "I_A"): np.zeros((5, 5))})


# ------------------------------------------------------------ data steps


def _series():
    rng = np.random.default_rng(0)
    return rng.random((60, 3)).astype("float32"), rng.integers(0, 2, 60)


def test_windows_pass_in_order_and_shuffled(capsys):
    x, y = _series()
    assert checks.windows(make_windows(x, y, 10, batch_size=8), x, y, 10)
    assert checks.windows(
        make_windows(x, y, 10, batch_size=8, shuffle=True, seed=1), x, y, 10
    )
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "✓ windows: 51 windows of 10 rows, in time order, targets right",
        "✓ windows: 51 windows of 10 rows, shuffled, targets right",
    ]


def test_windows_fail_on_first_row_labels_and_strides():
    import keras

    x, y = _series()
    first_row = keras.utils.timeseries_dataset_from_array(x, y[:-9], 10, batch_size=8)
    with pytest.raises(checks.CheckFailed, match="the label of its first row"):
        checks.windows(first_row, x, y, 10)
    strided = keras.utils.timeseries_dataset_from_array(
        x, y[9:], 10, sequence_stride=2, batch_size=8
    )
    with pytest.raises(checks.CheckFailed, match="26 windows, expected 51: one per"):
        checks.windows(strided, x, y, 10)


def test_sum_series_labels():
    x, y = data.make_sum_series(200, 30, seed=1)
    assert checks.sum_series(x, y)
    with pytest.raises(checks.CheckFailed, match=r"series \d+ sums to \d+ and has"):
        checks.sum_series(x, (x.sum(axis=1) > 135).astype(int))


def test_padding_mask_and_ragged():
    import keras
    import tensorflow as tf

    seqs, _ = data.make_variable_length_sequences(30, seed=0)
    lengths = [len(s) for s in seqs]
    padded = keras.utils.pad_sequences(
        seqs, maxlen=11, dtype="float32", padding="post", value=-1.0
    )[:, :, None]
    assert checks.padding(padded, seqs)
    with pytest.raises(checks.CheckFailed, match="its values first, the rest -1"):
        checks.padding(
            keras.utils.pad_sequences(seqs, maxlen=11, dtype="float32", value=-1.0),
            seqs,
        )
    with pytest.raises(checks.CheckFailed, match=r"shape \(30, 10\)"):
        checks.padding(padded[:, :10], seqs)
    mask = keras.layers.Masking(mask_value=-1.0).compute_mask(padded)
    assert checks.mask(mask, lengths)
    with pytest.raises(checks.CheckFailed, match=r"row 0 \(length 10\): step 10 is"):
        checks.mask(np.ones((30, 11)), lengths)
    assert checks.ragged(tf.ragged.boolean_mask(padded[:, :, 0], mask), seqs)
    with pytest.raises(checks.CheckFailed, match="row 0 has 11 values"):
        checks.ragged(tf.RaggedTensor.from_tensor(padded[:, :, 0]), seqs)
    with pytest.raises(checks.CheckFailed, match=r"expected a tf\.RaggedTensor"):
        checks.ragged(padded, seqs)


def _length_batches(seqs, labels, batch_size, seed):
    rng = np.random.default_rng(seed)
    by_length = {}
    for s, y in zip(seqs, labels):
        by_length.setdefault(len(s), []).append((s, y))
    for group in by_length.values():
        order = rng.permutation(len(group))
        for i in range(0, len(group), batch_size):
            chosen = [group[k] for k in order[i : i + batch_size]]
            x = np.stack([s for s, _ in chosen])[:, :, None].astype("float32")
            yield x, np.array([y for _, y in chosen], dtype="int64")


def test_length_batches():
    seqs, targets = data.make_variable_length_sequences(40, seed=0)
    assert checks.length_batches(_length_batches, seqs, targets, 8)

    def drops_last(*args):
        yield from list(_length_batches(*args))[:-1]

    with pytest.raises(checks.CheckFailed, match="missing or repeated"):
        checks.length_batches(drops_last, seqs, targets, 8)

    def float64(*args):
        for x, y in _length_batches(*args):
            yield x.astype("float64"), y

    with pytest.raises(checks.CheckFailed, match="dtype float64, expected float32"):
        checks.length_batches(float64, seqs, targets, 8)
    with pytest.raises(NotImplementedError, match="not written yet"):
        checks.length_batches(_stub, seqs, targets, 8)


def test_scaled_and_first_mistake():
    raw = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    assert checks.scaled(raw.astype("float32") / 255, raw)
    assert checks.scaled((raw.astype("float32") / 255)[..., None], raw)
    with pytest.raises(checks.CheckFailed, match="dtype float64, expected float32"):
        checks.scaled(raw / 255.0, raw)
    with pytest.raises(checks.CheckFailed, match="largest value is 255"):
        checks.scaled(raw.astype("float32"), raw)
    pred, truth = np.array([9, 1, 9, 9, 9]), np.array([9, 1, 9, 3, 9])
    assert checks.first_mistake([0, 2, 3], pred, truth, 9)
    with pytest.raises(checks.CheckFailed, match="the loop showed 4 items"):
        checks.first_mistake([0, 2, 3, 4], pred, truth, 9)


def _backprop(weights, x, y, name):
    """The notebook's BP1-BP4 solution (sheet 2 task 1)."""
    a, zs, acts = x, [], [x]
    for kernel, bias in weights[:-1]:
        z = a @ kernel + bias
        a = activations.activation(name, z)
        zs.append(z)
        acts.append(a)
    logits = a @ weights[-1][0] + weights[-1][1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = (p - y) / len(x)
    grads = [acts[-1].T @ delta]
    for layer in range(len(zs) - 1, -1, -1):
        delta = (delta @ weights[layer + 1][0].T) * activations.derivative(
            name, zs[layer]
        )
        grads.insert(0, acts[layer].T @ delta)
    return grads


def test_backprop():
    assert checks.backprop(_backprop)
    with pytest.raises(checks.CheckFailed, match="a factor n too large"):
        checks.backprop(lambda w, x, y, n: [g * len(x) for g in _backprop(w, x, y, n)])


def test_result_is_truthy_and_silent_in_jupyter(capsys):
    result = checks.value("s04_lab_params", 185)
    assert result and result.ok and "185 is right" in result.message
    assert result._ipython_display_() is None
    checks.raise_on_failure(False)
    assert not checks.value("s04_lab_params", 184)
    capsys.readouterr()


def test_model_accepts_a_functional_model():
    import keras

    inputs = keras.Input(shape=(784,))
    x = keras.layers.Dense(10, activation="relu")(inputs)
    x = keras.layers.Dense(10, activation="relu")(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    assert checks.model(keras.Model(inputs, outputs), "s05_dense_10")


# ------------------------------------------------------ the notebooks use them

_ROOT = Path(__file__).resolve().parent.parent


def test_listed_checks_name_known_models_and_values():
    for calls in exercise_checks.CHECKS.values():
        for call in calls:
            for name in re.findall(r'checks\.model\([^,]+, "([^"]+)"\)', call):
                assert name in checks.REFERENCE_MODELS or checks.reference_model(name)
            for name in re.findall(r'checks\.value\("([^"]+)"', call):
                assert name in checks.VALUES, name


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(exercise_checks.CHECKS)],
)
def test_every_exercise_has_its_check_cell(name):
    import nbformat

    from cnnrnn_helpers.course import student

    nb = nbformat.read(_ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    shown = "\n".join(
        student.strip_solutions(c.source) for c in nb.cells if c.cell_type == "code"
    )
    missing = [call for call in exercise_checks.CHECKS[name] if call not in shown]
    assert not missing, f"no check cell: {missing}"


# ------------------------------------------- a network of the student's design


def test_classifier_accepts_any_layers_with_the_right_interface(capsys):
    crt = models.lab_cnn((4, 4), dense_units=10, n_outputs=3, input_shape=(64, 64, 1))
    assert checks.classifier(crt, (64, 64, 1), 3)
    assert capsys.readouterr().out == (
        "✓ classifier: (64, 64, 1) in, 3 class probabilities (softmax) out\n"
    )
    larger = models.lab_cnn(
        (8, 16, 32, 32), pool_size=2, dense_units=32, n_outputs=3,
        input_shape=(64, 64, 1),
    )  # fmt: skip
    assert checks.classifier(larger, np.array([64, 64, 1]), np.int64(3))
    assert checks.classifier(models.lab_cnn(), (28, 28, 1), 1)  # one sigmoid unit


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda k: [k.Input(shape=(28, 28, 1)), k.layers.Flatten(),
                       k.layers.Dense(3, activation="softmax")],
            "input shape (28, 28, 1), expected (64, 64, 1)",
        ),
        (
            lambda k: [k.Input(shape=(64, 64, 1)), k.layers.Flatten(),
                       k.layers.Dense(1, activation="sigmoid")],
            "the last layer gives (1), expected (3): one output per class",
        ),
        (
            lambda k: [k.Input(shape=(64, 64, 1)), k.layers.Flatten(),
                       k.layers.Dense(3, activation="relu")],
            "the last layer's activation is 'relu', expected 'softmax' (outputs "
            "that are class probabilities)",
        ),
    ],
)  # fmt: skip
def test_classifier_names_what_does_not_fit(build, message):
    import keras

    with pytest.raises(checks.CheckFailed) as info:
        checks.classifier(keras.Sequential(build(keras)), (64, 64, 1), 3)
    assert str(info.value) == f"classifier: {message}"


def test_classifier_rejects_bad_arguments():
    with pytest.raises(checks.CheckFailed, match="expected a Keras model, got int"):
        checks.classifier(3, (64, 64, 1), 3)
    with pytest.raises(TypeError, match="n_classes must be an int"):
        checks.classifier(None, (64, 64, 1), 3.0)
    with pytest.raises(ValueError, match="n_classes must be >= 1"):
        checks.classifier(None, (64, 64, 1), 0)
    with pytest.raises(TypeError, match="input_shape must be a sequence of ints"):
        checks.classifier(None, 64, 3)


# --------------------------------- every check, wrong input: one line, no answer


def _failure(call) -> str:
    with pytest.raises(checks.CheckFailed) as info:
        call()
    return str(info.value)


def _wrong_inputs():
    """(label, call, texts the message must not contain) for every check."""
    import keras

    x, y = _series()
    seqs, targets = data.make_variable_length_sequences(12, seed=0)
    padded = keras.utils.pad_sequences(
        seqs, maxlen=11, dtype="float32", padding="post", value=-1.0
    )
    raw = np.random.default_rng(0).integers(0, 256, (3, 8, 8), dtype=np.uint8)
    sob = _sobel_by_hand()
    sob["K_x", "I_A"] = sob["K_x", "I_A"] + 1
    return [
        ("conv2d flipped", lambda: checks.conv2d(
            lambda i, k: conv.conv2d(i, k, flip=True)), []),
        ("conv2d off by one", lambda: checks.conv2d(
            lambda i, k: conv.conv2d(i, k) + 1), []),
        ("max_pool2d mean", lambda: checks.max_pool2d(
            lambda i, s: conv.max_pool2d(i, s) * 0.5 + 0.25), []),
        ("sobel", lambda: checks.sobel(sob), ["-4"]),
        ("array", lambda: checks.array("a", [1, 2], [1, 3]), ["3"]),
        ("scaled", lambda: checks.scaled(raw.astype("float32") / 256, raw), []),
        ("windows", lambda: checks.windows(
            (np.stack([x[i:i + 10] for i in range(51)]), y[:51]), x, y, 10), []),
        ("sum_series", lambda: checks.sum_series(
            np.ones((3, 30), int) * 4, [0, 0, 0]), []),
        ("padding", lambda: checks.padding(padded[:, ::-1], seqs), []),
        ("mask", lambda: checks.mask(np.ones((12, 11)), [len(s) for s in seqs]), []),
        ("ragged", lambda: checks.ragged(
            __import__("tensorflow").RaggedTensor.from_tensor(padded), seqs), []),
        ("length_batches", lambda: checks.length_batches(
            lambda *a: iter([]), seqs, targets, 4), []),
        ("first_mistake", lambda: checks.first_mistake(
            [0], [9, 9, 9], [9, 9, 1], 9), []),
        ("backprop", lambda: checks.backprop(
            lambda w, xx, yy, n: [g * 2 for g in _backprop(w, xx, yy, n)]), []),
        ("classifier", lambda: checks.classifier(
            models.lab_cnn(), (64, 64, 1), 3), []),
    ]  # fmt: skip


def test_every_check_fails_in_one_line_without_its_answer():
    for label, call, forbidden in _wrong_inputs():
        message = _failure(call)
        assert "\n" not in message, (label, message)
        assert "[" not in message, (label, message)  # no matrix printed
        for text in forbidden:
            assert text not in message, (label, message)


@pytest.mark.parametrize("name", sorted(checks.VALUES))
def test_every_value_check_fails_in_one_line_without_its_answer(name):
    answer = checks.VALUES[name]
    wrong = [123_457.0] * len(answer.digests)
    assert answer.wrong_parts(wrong)
    message = _failure(lambda: checks.value(name, tuple(wrong)))
    assert "\n" not in message
    assert not checks.key.leaks(message, names=[name], include_shown=True), message
    with pytest.raises(checks.CheckFailed):
        checks.value(name, tuple(wrong))
    detail = checks.framework.last_detail() or ""
    assert not checks.key.leaks(detail, names=[name], include_shown=True), detail


def _shape(s):
    return "(" + ", ".join("None" if d is None else str(d) for d in s) + ")"


@pytest.mark.parametrize("name", ["s05_small_cnn", "s05_strided_cnn", "s04_lab_cnn_185",
                                  "s01_fashion_cnn_pooled", "s03_cnn"])  # fmt: skip
def test_model_checks_never_state_the_sheets_shapes_or_counts(name):
    """Wrong variants of each network: drop, widen or re-pool one layer."""
    import keras

    ref = checks.reference_model(name)
    layers = [la for la in ref.layers if type(la).__name__ != "InputLayer"]
    secret = set()
    for la in layers:
        secret.add(_shape(tuple(la.output.shape)))
        secret.add(f"{la.count_params():,} parameters")
    secret.add(f"{ref.count_params():,}")
    variants = []
    for k in range(len(layers)):
        kept = [type(la).from_config(la.get_config())
                for j, la in enumerate(layers) if j != k]  # fmt: skip
        variants.append(kept)
    for kept in variants:
        try:
            net = keras.Sequential([keras.Input(shape=ref.input_shape[1:]), *kept])
        except ValueError:
            continue  # a variant that cannot be built
        message = _failure(lambda net=net: checks.model(net, name))
        assert "\n" not in message
        message = message.removeprefix(f"model {name}: ")  # the name may hold a count
        mine = {_shape(tuple(la.output.shape)) for la in net.layers}
        mine |= {f"{la.count_params():,} parameters" for la in net.layers}
        leaked = [s for s in secret - mine if s in message]
        assert not leaked, (message, leaked)


# ------------------------------------------------- stubs in a running notebook


def test_a_stub_cell_and_its_follow_up_show_one_line_each():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from cnnrnn_helpers import checks"),
        nbformat.v4.new_code_cell(
            "# assign `side`, the side after the last pooling\n"
            "# YOUR CODE HERE\n"
            'raise NotImplementedError("your code here (see the task above)")'
        ),
        nbformat.v4.new_code_cell("print(side)"),
        nbformat.v4.new_code_cell(
            "def convolve(image, kernel):\n    raise NotImplementedError\n"
            "checks.conv2d(convolve)"
        ),
        nbformat.v4.new_code_cell("import keras\nkeras.ops.nonexistent_op_xyz"),
    ]
    NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3").execute()
    errors = [
        [o for o in c.outputs if o.output_type == "error"] for c in nb.cells[1:]
    ]
    lines = [e[0].traceback for e in errors]
    assert lines[0] == ["\x1b[31m✗ not written yet: this cell still has its "
                        "`raise NotImplementedError` stub; replace it by your code "
                        "(the comment above it says what to define), then run the "
                        "cell again\x1b[0m"]  # fmt: skip
    assert len(lines[1]) == 1 and "NameError: name 'side' is not defined (line 1)" in (
        lines[1][0]
    )
    assert len(lines[2]) == 1 and "conv2d: not written yet" in lines[2][0]
    assert len(lines[3]) > 1  # an AttributeError elsewhere keeps its traceback
