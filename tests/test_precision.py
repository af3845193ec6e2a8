"""The precision switch: policy choice, where it is applied, what stays float32.

The choice logic is tested with faked CPU flags and faked GPU descriptions
(no timing, no GPU needed); the Keras side with the policies set by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from cnnrnn_helpers import config, models, results, training
from cnnrnn_helpers.course import report, runner

BF16_CPU = {"fpu", "avx2", "avx512f", "avx512_bf16"}
AMX_CPU = {"avx2", "amx_tile", "amx_bf16"}
PLAIN_CPU = {"fpu", "sse2", "avx2", "fma"}
A100 = {"device_name": "NVIDIA A100-SXM4-40GB", "compute_capability": (8, 0)}
H100 = {"device_name": "NVIDIA H100", "compute_capability": (9, 0)}
T4 = {"device_name": "Tesla T4", "compute_capability": (7, 5)}
V100 = {"device_name": "Tesla V100-SXM2-16GB", "compute_capability": (7, 0)}
P100 = {"device_name": "Tesla P100-PCIE-16GB", "compute_capability": (6, 0)}


@pytest.fixture
def policy_restored():
    """Leave Keras' global policy float32 after the test, as the session uses."""
    yield
    keras.mixed_precision.set_global_policy("float32")


# ----------------------------------------------------------- hardware choice


@pytest.mark.parametrize(
    ("flags", "gpus", "expected"),
    [
        (BF16_CPU, [], "mixed_bfloat16"),  # AVX512-BF16 (Zen 4, Cooper Lake)
        (AMX_CPU, [], "mixed_bfloat16"),  # AMX (Sapphire Rapids)
        (PLAIN_CPU, [], None),  # a laptop without bf16 units
        (set(), [], None),  # no /proc/cpuinfo (macOS, Windows)
        (PLAIN_CPU, [A100], "mixed_bfloat16"),  # the GPU decides
        (PLAIN_CPU, [H100, A100], "mixed_bfloat16"),
        (BF16_CPU, [T4], "mixed_float16"),  # 7.x tensor cores: float16
        (PLAIN_CPU, [V100], "mixed_float16"),
        (PLAIN_CPU, [A100, T4], "mixed_float16"),  # the oldest GPU counts
        (BF16_CPU, [P100], None),  # no tensor cores: float32 even on a bf16 CPU
        (PLAIN_CPU, [{"device_name": "unknown"}], None),  # no capability known
    ],
)
def test_hardware_policy_from_faked_devices(flags, gpus, expected):
    assert config.hardware_policy(cpu_flags=flags, gpus=gpus) == expected


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(
        "processor\t: 0\nmodel name\t: AMD EPYC\n"
        "flags\t\t: fpu avx2 avx512f avx512_bf16\nbugs\t\t: sysret_ss_attrs\n"
    )
    assert config.cpu_flags(cpuinfo) == {"fpu", "avx2", "avx512f", "avx512_bf16"}
    assert config.cpu_flags(tmp_path / "missing") == frozenset()


# ------------------------------------------------------------- the switch


@pytest.mark.parametrize("precision", config.PRECISIONS)
@pytest.mark.parametrize("kind", [None, *config.MODEL_KINDS])
def test_smoke_profile_is_always_float32(precision, kind):
    for gpus in ([], [A100], [T4]):
        got = config.precision_policy(
            kind, precision=precision, profile="smoke", cpu_flags=BF16_CPU, gpus=gpus
        )
        assert got == "float32"


@pytest.mark.parametrize("profile", ["full", "quick"])
def test_float32_and_mixed_ignore_the_kind(profile):
    for kind in (None, *config.MODEL_KINDS):
        args = {"profile": profile, "cpu_flags": BF16_CPU, "gpus": []}
        assert config.precision_policy(kind, precision="float32", **args) == "float32"
        assert config.precision_policy(kind, precision="mixed", **args) == (
            "mixed_bfloat16"
        )
        on_t4 = {**args, "gpus": [T4]}
        assert config.precision_policy(kind, precision="mixed", **on_t4) == (
            "mixed_float16"
        )


def test_mixed_without_units_falls_back_to_float32():
    for kind in (None, *config.MODEL_KINDS):
        got = config.precision_policy(
            kind, precision="mixed", profile="full", cpu_flags=PLAIN_CPU, gpus=[]
        )
        assert got == "float32"


def test_auto_follows_the_kind_table(monkeypatch):
    monkeypatch.setattr(config, "AUTO_MIXED", {"feedforward": True, "recurrent": False})
    hw = {"precision": "auto", "profile": "full", "cpu_flags": BF16_CPU, "gpus": []}
    assert config.precision_policy(**hw) == "mixed_bfloat16"  # the global policy
    assert config.precision_policy("feedforward", **hw) == "mixed_bfloat16"
    assert config.precision_policy("recurrent", **hw) == "float32"
    on_a100 = {**hw, "cpu_flags": PLAIN_CPU, "gpus": [A100]}
    assert config.precision_policy(**on_a100) == "mixed_bfloat16"
    on_v100 = {**hw, "cpu_flags": PLAIN_CPU, "gpus": [V100]}
    assert config.precision_policy(**on_v100) == "mixed_float16"
    assert config.precision_policy("recurrent", **on_v100) == "float32"
    laptop = {**hw, "cpu_flags": PLAIN_CPU}
    assert config.precision_policy(**laptop) == "float32"
    monkeypatch.setattr(config, "AUTO_MIXED", {"feedforward": False, "recurrent": True})
    assert config.precision_policy(**hw) == "float32"
    assert config.precision_policy("recurrent", **hw) == "mixed_bfloat16"


def test_the_kind_table_covers_every_kind():
    assert set(config.AUTO_MIXED) == set(config.MODEL_KINDS)
    assert all(isinstance(v, bool) for v in config.AUTO_MIXED.values())


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"kind": "transformer"}, ("kind", "feedforward", "recurrent")),
        ({"precision": "half"}, ("precision", "auto", "float32", "mixed")),
        ({"profile": "fast"}, ("profile", "full", "quick", "smoke")),
    ],
)
def test_bad_arguments_name_the_variable_and_the_choices(kwargs, names):
    with pytest.raises(ValueError, match=names[0]) as err:
        config.precision_policy(cpu_flags=BF16_CPU, gpus=[], **kwargs)
    for name in names:
        assert name in str(err.value)


def _run_config(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def test_env_switch_is_read_normalised_and_checked():
    done = _run_config(
        {"CNNRNN_PRECISION": " Mixed "},
        "from cnnrnn_helpers import config; print(config.PRECISION)",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["mixed"]
    env = {k: v for k, v in os.environ.items() if k != "CNNRNN_PRECISION"}
    code = "from cnnrnn_helpers import config; print(config.PRECISION)"
    default = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
    )
    assert default.stdout.split() == ["auto"]
    bad = _run_config({"CNNRNN_PRECISION": "half"}, "import cnnrnn_helpers.config")
    assert bad.returncode != 0
    assert "CNNRNN_PRECISION='half' is not valid" in bad.stderr
    assert "auto, float32, mixed" in bad.stderr


# ------------------------------------------------- applying and reporting it


def test_apply_precision_sets_keras_and_notes_results(
    tmp_path, monkeypatch, policy_restored
):
    target = tmp_path / "events.jsonl"
    monkeypatch.setenv(results.RESULTS_FILE_ENV, str(target))
    assert config.apply_precision("mixed_bfloat16") == "mixed_bfloat16"
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    assert config.apply_precision() == "float32"  # smoke: the switch says float32
    assert keras.mixed_precision.global_policy().name == "float32"
    kinds = [json.loads(line)["kind"] for line in target.read_text().splitlines()]
    assert kinds == ["precision", "precision"]
    assert report.read_precision(target) == "float32"
    assert report.read_precision(tmp_path / "missing.jsonl") == ""
    with pytest.raises(ValueError, match="policy must be one of float32"):
        config.apply_precision("bfloat16")


def test_set_seed_applies_the_policy_once(monkeypatch, policy_restored):
    monkeypatch.setattr(config, "_APPLIED", [])
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    config.set_seed(0)  # first call: the switch (smoke: float32) is put in force
    assert keras.mixed_precision.global_policy().name == "float32"
    assert config._APPLIED == ["float32"]
    config.apply_precision("mixed_bfloat16")  # e.g. a benchmark
    config.set_seed(1)  # later calls leave it alone
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"


def test_banner_names_the_policy_in_force(capsys):
    config.banner()
    first = capsys.readouterr().out.splitlines()[0]
    assert "precision=auto: float32 (smoke profile)" in first or (
        "precision=float32: float32" in first
    )


def test_runner_writes_the_precision_into_results_json(tmp_path):
    run = runner.RunResult(
        path=tmp_path / "t01.ipynb", ok=True, seconds=1.0, precision="mixed_bfloat16"
    )
    doc = runner.results_document([run], profile="full", data="offline")
    assert doc["notebooks"][0]["precision"] == "mixed_bfloat16"


# --------------------------------------------------- what stays float32


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
