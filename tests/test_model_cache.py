"""The model cache: hit, miss, stale key, corrupt file, changed builder."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from cnnrnn_helpers import model_cache, models

KEY = {"arch": "deep_mlp", "depth": 2, "units": 4, "profile": "smoke", "seed": 1}
X = np.linspace(0.0, 1.0, 40, dtype="float32").reshape(8, 5)
Y = keras.utils.to_categorical(np.arange(8) % 3, 3)


def _build(units: int = 4):
    keras.utils.set_random_seed(1)
    return models.deep_mlp(2, units=units, input_dim=5, n_classes=3)


class _Fit:
    """Counts calls; trains one epoch and returns the history."""

    def __init__(self):
        self.calls = 0

    def __call__(self, model):
        self.calls += 1
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
        return model.fit(X, Y, epochs=2, batch_size=4, verbose=0).history


def test_miss_trains_and_stores_then_hit_loads_same_weights(tmp_path):
    fit = _Fit()
    first = model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    assert (first.loaded, fit.calls) == (False, 1)
    model_path, meta_path = model_cache.entry_paths(KEY, tmp_path)
    assert model_path.exists() and meta_path.exists()
    assert list(first.info) == ["loss"] and len(first.info["loss"]) == 2
    # a different order of the key's entries is the same key
    second = model_cache.fit_or_load(
        dict(reversed(list(KEY.items()))), _build, fit, directory=tmp_path
    )
    assert (second.loaded, fit.calls) == (True, 1)
    assert second.info == first.info
    for a, b in zip(first.model.get_weights(), second.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(
        second.model.predict(X, verbose=0), first.model.predict(X, verbose=0), rtol=1e-6
    )
    assert not list(tmp_path.glob(".tmp-*")), "temporary files left behind"


def test_other_key_is_a_miss(tmp_path):
    fit = _Fit()
    model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    other = model_cache.fit_or_load({**KEY, "seed": 2}, _build, fit, directory=tmp_path)
    assert (other.loaded, fit.calls) == (False, 2)
    assert len(list(tmp_path.glob("*.keras"))) == 2


def test_stale_key_in_sidecar_is_rebuilt(tmp_path, capsys):
    fit = _Fit()
    model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    _, meta_path = model_cache.entry_paths(KEY, tmp_path)
    meta = json.loads(meta_path.read_text())
    meta["key"]["depth"] = 40
    meta_path.write_text(json.dumps(meta))
    again = model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    assert (again.loaded, fit.calls) == (False, 2)
    assert "stale entry" in capsys.readouterr().out
    assert json.loads(meta_path.read_text())["key"] == KEY
    assert model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path).loaded


@pytest.mark.parametrize("damage", ["flip", "truncate", "sidecar"])
def test_corrupt_files_are_rebuilt(tmp_path, damage, capsys):
    fit = _Fit()
    model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    model_path, meta_path = model_cache.entry_paths(KEY, tmp_path)
    raw = model_path.read_bytes()
    if damage == "flip":
        model_path.write_bytes(raw[:100] + bytes([raw[100] ^ 0xFF]) + raw[101:])
    elif damage == "truncate":
        model_path.write_bytes(raw[: len(raw) // 2])
    else:
        meta_path.write_text('{"format": 1, "key": ')
    again = model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    assert (again.loaded, fit.calls) == (False, 2)
    out = capsys.readouterr().out
    assert ("corrupt" if damage != "sidecar" else "sidecar unreadable") in out
    assert model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path).loaded


def test_changed_builder_and_refit_retrain(tmp_path):
    fit = _Fit()
    model_cache.fit_or_load(KEY, _build, fit, directory=tmp_path)
    wider = model_cache.fit_or_load(KEY, lambda: _build(6), fit, directory=tmp_path)
    assert (wider.loaded, fit.calls) == (False, 2)
    assert wider.model.layers[0].units == 6
    forced = model_cache.fit_or_load(
        KEY, lambda: _build(6), fit, refit=True, directory=tmp_path
    )
    assert (forced.loaded, fit.calls) == (False, 3)


def test_default_directory_is_under_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNRNN_DATA_HOME", str(tmp_path))
    assert model_cache.cache_dir() == tmp_path / "models"
    assert model_cache.entry_paths(KEY)[0].parent == tmp_path / "models"


def test_bad_arguments():
    with pytest.raises(TypeError, match="key"):
        model_cache.key_digest({})
    with pytest.raises(TypeError, match="key"):
        model_cache.key_digest({"model": object()})
    with pytest.raises(TypeError, match="callable"):
        model_cache.fit_or_load(KEY, None, print)
    assert model_cache.key_digest({"seed": np.int64(3)}) == model_cache.key_digest(
        {"seed": 3}
    )
