"""Profiles, data modes, paths, seeding and the precision switch."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from cnnrnn_helpers import config, results
from cnnrnn_helpers.course import report


def test_test_session_runs_in_smoke_offline():
    # conftest.py forces these for every test and every notebook kernel
    assert config.PROFILE == "smoke"
    assert config.DATA == "offline"


@pytest.mark.parametrize(
    ("profile", "expected"), [("full", 1), ("quick", 2), ("smoke", 3)]
)
def test_pick_follows_profile(monkeypatch, profile, expected):
    monkeypatch.setattr(config, "PROFILE", profile)
    assert config.pick(full=1, quick=2, smoke=3) == expected


def test_pick_requires_all_three_profiles():
    with pytest.raises(TypeError):
        config.pick(full=1, quick=2)  # type: ignore[call-arg]


def _import_config_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "from cnnrnn_helpers import config; print(config.PROFILE, config.DATA)"
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True
    )


def test_env_switches_are_read_and_normalised():
    done = _import_config_with({"CNNRNN_PROFILE": " Quick ", "CNNRNN_DATA": "ONLINE"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["quick", "online"]


def test_defaults_are_full_and_auto():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CNNRNN_")}
    code = "from cnnrnn_helpers import config; print(config.PROFILE, config.DATA)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["full", "auto"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CNNRNN_PROFILE": "fast"}, "CNNRNN_PROFILE='fast' is not valid"),
        ({"CNNRNN_DATA": "local"}, "CNNRNN_DATA='local' is not valid"),
    ],
)
def test_bad_switch_values_fail_loudly(env, message):
    done = _import_config_with(env)
    assert done.returncode != 0
    assert "ValueError" in done.stderr
    assert message in done.stderr
    assert "expected one of" in done.stderr


def test_data_home_from_env_is_created(tmp_path, monkeypatch):
    target = tmp_path / "somewhere" / "data"
    monkeypatch.setenv("CNNRNN_DATA_HOME", str(target))
    assert config.data_home() == target.resolve()
    assert target.is_dir()


def test_data_home_default_is_repo_data(monkeypatch):
    monkeypatch.delenv("CNNRNN_DATA_HOME", raising=False)
    root = config.repo_root()
    assert root is not None and (root / "pyproject.toml").is_file()
    assert config.data_home() == (root / "data").resolve()


def test_tf_log_level_default_set_before_tensorflow():
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"1", "2", "3"}


@pytest.mark.parametrize(
    ("seed", "error"),
    [(-1, ValueError), (2**32, ValueError), (1.5, TypeError), (True, TypeError)],
)
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed must"):
        config.set_seed(seed)


def _train_tiny_model(seed: int) -> tuple[np.ndarray, float]:
    import keras

    config.set_seed(seed)
    x = np.random.rand(64, 5).astype("float32")  # noqa: NPY002 - seeded globally
    y = (x.sum(axis=1) > 2.5).astype("int64")
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=True, verbose=0)
    return model.get_weights()[0], history.history["loss"][-1]


def test_set_seed_makes_training_repeatable():
    w1, loss1 = _train_tiny_model(7)
    w2, loss2 = _train_tiny_model(7)
    w3, _ = _train_tiny_model(8)
    np.testing.assert_array_equal(w1, w2)
    assert loss1 == loss2
    assert not np.array_equal(w1, w3)


def test_banner_names_profile_data_and_device(capsys):
    config.banner()
    out = capsys.readouterr().out
    assert "profile=smoke" in out
    assert "data=offline" in out
    assert "tensorflow" in out and "keras" in out
    assert "CPU only" in out or "GPU:" in out


def test_module_reload_keeps_values():
    again = importlib.reload(config)
    assert again.PROFILE == "smoke"


def test_native_log_filter_drops_tensorflow_startup_lines_only(capfd):
    noise = (
        "WARNING: All log messages before absl::InitializeLog() is called are "
        "written to STDERR\n"
        "I0000 00:00:1795421705.635245   21791 port.cc:153] oneDNN custom "
        "operations are on.\n"
        "E0000 00:00:1795421715.503393   21791 cuda_platform.cc:52] failed call "
        "to cuInit: INTERNAL\n"
    )
    with config.native_log_filter():
        os.write(2, noise.encode())
        os.write(2, b"E0000 00:00:1.0   1 other.cc:1] a real error\n")
        os.write(2, b"Traceback: something real\n")
    err = capfd.readouterr().err
    assert err.splitlines() == [
        "E0000 00:00:1.0   1 other.cc:1] a real error",
        "Traceback: something real",
    ]


def test_set_seed_determinism_is_opt_in_and_hash_seed_untouched(monkeypatch):
    import tensorflow as tf

    calls = []
    monkeypatch.setattr(
        tf.config.experimental, "enable_op_determinism", lambda: calls.append(1)
    )
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    config.set_seed(np.int64(3))  # NumPy integers are fine
    assert calls == [] and "PYTHONHASHSEED" not in os.environ
    config.set_seed(3, deterministic=True)
    assert calls == [1]
    with pytest.raises(TypeError, match="deterministic must be True or False"):
        config.set_seed(3, deterministic="yes")


def test_presenter_mode_is_read_from_the_environment_at_each_call(monkeypatch):
    monkeypatch.setenv("CNNRNN_PRESENT", "1")
    assert config.presenter_mode() is True
    for off in ("", "0"):
        monkeypatch.setenv("CNNRNN_PRESENT", off)
        assert config.presenter_mode() is False
    monkeypatch.delenv("CNNRNN_PRESENT")
    assert config.presenter_mode() is False


def test_banner_warns_only_when_full_is_the_unset_default(monkeypatch):
    monkeypatch.setattr(config, "PROFILE", "full")
    monkeypatch.delenv("CNNRNN_PROFILE", raising=False)
    note = config.profile_note()
    assert "CNNRNN_PROFILE is not set" in note and "CNNRNN_PROFILE=quick" in note
    monkeypatch.setenv("CNNRNN_PROFILE", "full")
    assert config.profile_note() == ""  # chosen explicitly: no warning
    monkeypatch.setattr(config, "PROFILE", "quick")
    monkeypatch.delenv("CNNRNN_PROFILE")
    assert config.profile_note() == ""


# ================================================ precision (CNNRNN_PRECISION)

BF16_CPU = {"fpu", "avx2", "avx512f", "avx512_bf16"}
AMX_CPU = {"avx2", "amx_tile", "amx_bf16"}
PLAIN_CPU = {"fpu", "sse2", "avx2", "fma"}
A100 = {"device_name": "NVIDIA A100-SXM4-40GB", "compute_capability": (8, 0)}
H100 = {"device_name": "NVIDIA H100", "compute_capability": (9, 0)}
T4 = {"device_name": "Tesla T4", "compute_capability": (7, 5)}
V100 = {"device_name": "Tesla V100-SXM2-16GB", "compute_capability": (7, 0)}
P100 = {"device_name": "Tesla P100-PCIE-16GB", "compute_capability": (6, 0)}


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
