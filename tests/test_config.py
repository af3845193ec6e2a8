"""Profiles, data modes, paths and seeding."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import numpy as np
import pytest

from cnnrnn_helpers import config


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
