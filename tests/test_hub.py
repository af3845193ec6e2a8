"""cnnrnn_helpers.hub: TF Hub modules (TF2 and TF1 format) as Keras 3 layers."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_hub

from cnnrnn_helpers import config, hub, training

# A tiny "classifier" whose outputs we can compute by hand: a 1x1 convolution
# with weights (1, -1) from 2 input channels, ReLU, mean over the image, then a
# linear layer features -> 2 logits.
CONV_W = np.array([[[[1.0], [-1.0]]]], dtype="float32")  # (1, 1, 2, 1)
LIN_W = np.array([[2.0, -3.0]], dtype="float32")  # (1, 2)
LIN_B = np.array([0.5, 1.0], dtype="float32")


def _expected(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Features (n, 1) and logits (n, 2) of the tiny classifier in NumPy."""
    act = np.maximum(x[..., 0] - x[..., 1], 0.0)  # (n, h, w)
    features = act.mean(axis=(1, 2))[:, None]
    return features, features @ LIN_W + LIN_B


@pytest.fixture
def images() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.random((7, 3, 3, 2), dtype=np.float32)


@pytest.fixture(scope="module")
def tf2_module(tmp_path_factory) -> str:
    """A TF2 SavedModel: callable object plus a "default" signature."""

    class Tiny(tf.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = tf.Variable(CONV_W)
            self.w = tf.Variable(LIN_W)
            self.b = tf.Variable(LIN_B)

        @tf.function(input_signature=[tf.TensorSpec((None, 3, 3, 2), tf.float32)])
        def __call__(self, x):
            act = tf.nn.relu(tf.nn.conv2d(x, self.conv, 1, "VALID"))
            return tf.matmul(tf.reduce_mean(act, axis=[1, 2]), self.w) + self.b

    path = tmp_path_factory.mktemp("hub") / "tf2"
    module = Tiny()
    sig = module.__call__.get_concrete_function()
    tf.saved_model.save(module, str(path), signatures={"default": sig})
    return str(path)


@pytest.fixture(scope="module")
def tf1_module(tmp_path_factory) -> str:
    """A module in the TF1 Hub format, built with tf.compat.v1 by hand."""
    path = tmp_path_factory.mktemp("hub") / "tf1"
    graph = tf.Graph()
    with graph.as_default():
        # unnamed placeholder ("Placeholder:0"): the graph name differs from
        # the signature's input key "images", as in many real TF1 modules
        x = tf.compat.v1.placeholder(tf.float32, (None, 3, 3, 2))
        conv = tf.compat.v1.get_variable("conv/w", initializer=CONV_W)
        w = tf.compat.v1.get_variable("linear/w", initializer=LIN_W)
        b = tf.compat.v1.get_variable("linear/b", initializer=LIN_B)
        act = tf.nn.relu(tf.nn.conv2d(x, conv, 1, "VALID"))
        features = tf.reduce_mean(act, axis=[1, 2], name="pooled")
        logits = tf.identity(tf.matmul(features, w) + b, name="logits")
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            builder = tf.compat.v1.saved_model.Builder(str(path))
            info = tf.compat.v1.saved_model.build_tensor_info
            make_signature = tf.compat.v1.saved_model.build_signature_def
            signature = make_signature(
                inputs={"images": info(x)},
                outputs={"default": info(logits), "features": info(features)},
                method_name="tensorflow/serving/predict",
            )
            builder.add_meta_graph_and_variables(
                session, [], signature_def_map={"default": signature}
            )
            builder.save()
    (path / "tfhub_module.pb").write_bytes(b"\x08\x03")  # ModuleDef, format V3
    return str(path)


def _model(layer: keras.layers.Layer) -> keras.Model:
    inputs = keras.Input((3, 3, 2))
    x = layer(inputs)
    return keras.Model(inputs, keras.layers.Softmax()(x))


def test_tf2_savedmodel_as_layer_in_functional_model(tf2_module, images):
    layer = hub.HubModule(tf2_module)
    assert not layer.is_tf1
    direct = tensorflow_hub.load(tf2_module)(tf.constant(images)).numpy()
    np.testing.assert_allclose(direct, _expected(images)[1], rtol=1e-5)
    np.testing.assert_allclose(layer(images).numpy(), direct, rtol=1e-6)
    model = _model(layer)
    probs = model.predict(images, verbose=0)
    assert probs.shape == (7, 2)
    np.testing.assert_allclose(probs, tf.nn.softmax(direct).numpy(), rtol=1e-5)
    assert model.count_params() == 0  # frozen module: no Keras weights


def test_tf2_signature_is_usable_too(tf2_module, images):
    layer = hub.HubModule(tf2_module, signature="default")
    np.testing.assert_allclose(layer(images).numpy(), _expected(images)[1], rtol=1e-5)


def test_tf1_hub_format_is_loaded_by_hub_load(tf1_module, images):
    obj = tensorflow_hub.load(tf1_module)
    assert obj._is_hub_module_v1
    assert not callable(obj)
    out = obj.signatures["default"](images=tf.constant(images))
    np.testing.assert_allclose(out["default"].numpy(), _expected(images)[1], rtol=1e-5)


def test_tf1_module_as_layer_and_output_key(tf1_module, images):
    layer = hub.HubModule(tf1_module)
    assert layer.is_tf1
    features, logits = _expected(images)
    np.testing.assert_allclose(layer(images).numpy(), logits, rtol=1e-5)
    model = _model(layer)
    np.testing.assert_allclose(
        model.predict(images, verbose=0), tf.nn.softmax(logits).numpy(), rtol=1e-5
    )
    feats = hub.HubModule(tf1_module, output_key="features")
    np.testing.assert_allclose(feats(images).numpy(), features, rtol=1e-5)


def test_describe_module_shows_the_structure(tf1_module, tf2_module):
    info = hub.describe_module(tf1_module)
    assert info.format == "TF1 Hub format"
    assert not info.callable
    assert info.signatures["default"]["inputs"] == {"images": "float32 (None, 3, 3, 2)"}
    assert info.signatures["default"]["outputs"] == {
        "default": "float32 (None, 2)",
        "features": "float32 (None, 1)",
    }
    assert sorted(info.variables) == [
        ("conv/w:0", (1, 1, 2, 1)),
        ("linear/b:0", (2,)),
        ("linear/w:0", (1, 2)),
    ]
    assert info.n_parameters == 6
    assert info.op_counts["Conv2D"] == 1
    assert info.op_counts["MatMul"] == 1
    text = str(info)
    assert "TF1 Hub format" in text and "6 numbers" in text
    info2 = hub.describe_module(tf2_module)
    assert info2.format == "TF2 SavedModel"
    assert info2.callable
    assert info2.n_parameters == 6
    assert info2.op_counts.get("Conv2D") == 1


def test_penultimate_tensor_and_fetch(tf1_module, tf2_module, images):
    layer = hub.HubModule(tf1_module)
    name = hub.penultimate_tensor(layer)
    assert name == "pooled:0"
    feats = hub.HubModule(tf1_module, fetch=name)
    np.testing.assert_allclose(feats(images).numpy(), _expected(images)[0], rtol=1e-5)
    assert hub.penultimate_tensor(hub.HubModule(tf2_module)) is None
    with pytest.raises(ValueError, match="not in the module's graph"):
        hub.HubModule(tf1_module, fetch="no_such_tensor:0")
    with pytest.raises(ValueError, match="TF1 Hub format"):
        hub.HubModule(tf2_module, fetch="pooled:0")


def test_export_tf1_hub_module_round_trip(tmp_path, images):
    def build(x):
        w = tf.compat.v1.get_variable("w", initializer=np.float32(3.0))
        return {"default": tf.reduce_sum(x, axis=[1, 2, 3]) * w}

    path = hub.export_tf1_hub_module(tmp_path / "m", build, (None, 3, 3, 2))
    layer = hub.HubModule(path)
    assert layer.is_tf1
    np.testing.assert_allclose(
        layer(images).numpy(), 3.0 * images.sum(axis=(1, 2, 3)), rtol=1e-5
    )
    with pytest.raises(ValueError, match="exists already"):
        hub.export_tf1_hub_module(path, build, (None, 3, 3, 2))


def test_predict_in_chunks_equals_one_shot(tf1_module, images):
    model = _model(hub.HubModule(tf1_module))
    raw = (images * 255).astype("uint8")
    scale = lambda b: b.astype("float32") / 255  # noqa: E731
    once = model.predict(scale(raw), verbose=0)
    for batch in (1, 3, 7, 100):
        chunked = training.predict_in_chunks(model, raw, batch, preprocess=scale)
        assert chunked.shape == (7, 2)
        np.testing.assert_allclose(chunked, once, rtol=1e-5, atol=1e-7)
    plain = training.predict_in_chunks(lambda b: b.sum(axis=(1, 2, 3)), images, 2)
    np.testing.assert_allclose(plain, images.sum(axis=(1, 2, 3)), rtol=1e-6)
    with pytest.raises(ValueError, match="batch_size"):
        training.predict_in_chunks(model, images, 0)
    with pytest.raises(ValueError, match="non-empty"):
        training.predict_in_chunks(model, images[:0], 2)


def test_bad_handles_give_clear_errors(tmp_path, tf1_module):
    missing = tmp_path / "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        hub.HubModule(str(missing))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"no saved_model\.pb"):
        hub.load_module(tmp_path / "empty")
    with pytest.raises(TypeError, match="handle"):
        hub.HubModule(42)
    with pytest.raises(ValueError, match=r"no signature 'serving'.*\['default'\]"):
        hub.HubModule(tf1_module, signature="serving")
    with pytest.raises(ValueError, match=r"no output 'probs'"):
        hub.HubModule(tf1_module, output_key="probs")
    with pytest.raises(ValueError, match="inference only"):
        hub.HubModule(tf1_module, trainable=True)


@pytest.fixture
def hub_home(tmp_path, monkeypatch):
    """A fresh data home and TF Hub cache; the network probe says "up"."""
    from cnnrnn_helpers.data import sources

    monkeypatch.setenv("CNNRNN_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TFHUB_CACHE_DIR", str(tmp_path / "tfhub"))
    monkeypatch.setattr(sources, "_probe", lambda url, timeout: None)
    return tmp_path / "tfhub"


def _fake_cached_real_module(cache: Path, tf1_module: str) -> Path:
    """Put a module where tensorflow_hub keeps the real CIFAR-10 module."""
    folder = cache / hashlib.sha1(hub.CIFAR10_HANDLE.encode()).hexdigest()
    shutil.copytree(tf1_module, folder)
    return folder


def test_resolve_offline_gives_the_labelled_standin(
    monkeypatch, hub_home, tf1_module, capsys
):
    monkeypatch.setattr(hub.standin, "standin_cifar10_module", lambda: tf1_module)
    chosen = hub.resolve_cifar10_module(source="offline")
    assert chosen.is_standin and chosen.handle == tf1_module
    assert "OFFLINE STAND-IN" in chosen.describe()
    assert "OFFLINE STAND-IN" in capsys.readouterr().err


def test_cached_real_module_is_used_offline(monkeypatch, hub_home, tf1_module, capsys):
    def no_standin():
        raise AssertionError("the cached real module must be used")

    monkeypatch.setattr(hub.standin, "standin_cifar10_module", no_standin)
    monkeypatch.setattr(tensorflow_hub, "resolve", lambda h: no_standin())
    folder = _fake_cached_real_module(hub_home, tf1_module)
    monkeypatch.setattr(config, "DATA", "offline")  # as CNNRNN_DATA=offline
    chosen = hub.resolve_cifar10_module()
    assert chosen.source == "real" and chosen.handle == str(folder)
    assert chosen.origin == hub.CIFAR10_HANDLE
    assert "STAND-IN" not in capsys.readouterr().err
    # its checksum is recorded at first use and checked later
    side = folder.with_name(folder.name + ".cnnrnn.json")
    assert json.loads(side.read_text())["files"] >= 2
    assert hub.resolve_cifar10_module(source="online").source == "real"
    assert hub.HubModule(chosen.handle)(np.zeros((1, 3, 3, 2), "float32")).shape == (
        1,
        2,
    )
    # a damaged copy counts as not cached: offline then gives the stand-in
    (folder / "saved_model.pb").write_bytes(b"broken")
    monkeypatch.setattr(hub.standin, "standin_cifar10_module", lambda: tf1_module)
    assert hub.resolve_cifar10_module().is_standin
    assert "ignoring damaged cached module" in capsys.readouterr().err


def test_fetch_downloads_the_module_and_records_its_checksum(
    monkeypatch, hub_home, tf1_module
):
    from cnnrnn_helpers import data

    calls = []

    def resolve(handle):
        calls.append(handle)
        return str(_fake_cached_real_module(hub_home, tf1_module))

    monkeypatch.setattr(tensorflow_hub, "resolve", resolve)
    [report] = data.fetch("ganeval-cifar10-convnet", progress=False)
    assert report["ok"] and report["message"].startswith("fetched in")
    assert calls == [hub.CIFAR10_HANDLE] and report["size"] > 0
    [again] = data.fetch(["ganeval-cifar10-convnet"], progress=False)
    assert again["message"] == "already cached" and len(calls) == 1
    row = data.cache_status()[-1]
    assert row["name"] == "ganeval-cifar10-convnet" and row["cached"]
    assert row["size"] == report["size"]


def test_resolve_online_fails_loudly_without_network(monkeypatch, hub_home):
    def no_network(handle):
        raise OSError("network is unreachable")

    monkeypatch.setattr(tensorflow_hub, "resolve", no_network)
    with pytest.raises(ConnectionError, match="unreachable"):
        hub.resolve_cifar10_module(source="online")
    with pytest.raises(ValueError, match="source"):
        hub.resolve_cifar10_module(source="sometimes")


def test_standin_module_has_the_real_module_layout(tmp_path, capsys):
    path = hub.standin_cifar10_module(tmp_path / "standin", n_train=64, epochs=1)
    info = hub.describe_module(path)
    assert info.format == "TF1 Hub format"
    assert info.signatures == {
        "default": {
            "inputs": {"images": "float32 (None, 32, 32, 3)"},
            "outputs": {"default": "float32 (None, 10)"},
        }
    }
    assert info.n_parameters == 24234
    assert info.op_counts["Conv2D"] == 3
    layer = hub.HubModule(path)
    assert hub.penultimate_tensor(layer) == "features:0"
    x = np.random.default_rng(1).random((5, 32, 32, 3), dtype=np.float32)
    assert layer(x).shape == (5, 10)
    assert hub.HubModule(path, fetch="features:0")(x).shape == (5, 64)
    # cached: a second call returns the same folder without training again
    stamp = (path / "saved_model.pb").stat().st_mtime_ns
    assert hub.standin_cifar10_module(path) == path
    assert (path / "saved_model.pb").stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob(".tmp-*"))  # the temporary folder is gone


def test_module_computes_in_float32_under_a_mixed_policy(tf2_module, images):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        layer = hub.HubModule(tf2_module)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert layer.compute_dtype == "float32"
    direct = tensorflow_hub.load(tf2_module)(tf.constant(images)).numpy()
    np.testing.assert_allclose(layer(images).numpy(), direct, rtol=1e-6)
