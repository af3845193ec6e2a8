"""The offline stand-in for the CIFAR-10 module, and a TF1 Hub format exporter.

:func:`standin_cifar10_module` trains a small convnet on the offline CIFAR-10
stand-in and exports it with :func:`export_tf1_hub_module` in the layout of
the real module (images float32 (None, 32, 32, 3) in [0, 1] -> 10 logits
under signature ``"default"``), so the notebook loads both with the same code.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .. import config
from .._args import check_int, check_seed
from .layer import load_module

__all__ = ["STANDIN_VERSION", "export_tf1_hub_module", "standin_cifar10_module"]

#: Bump when the stand-in's architecture or training changes (new cache folder).
STANDIN_VERSION = 2


# --------------------------------------------------------------------------
# Exporting a TF1 Hub format module (used by the stand-in and the tests)
# --------------------------------------------------------------------------
def export_tf1_hub_module(
    path: str | os.PathLike,
    build: Callable[[tf.Tensor], dict[str, tf.Tensor]],
    input_shape: tuple[int | None, ...],
    *,
    input_name: str = "images",
) -> Path:
    """Write a module in the TF1 Hub format with one signature, ``"default"``.

    Parameters
    ----------
    path
        Folder to create (must not exist yet).
    build
        Called inside a fresh ``tf.compat.v1`` graph with the float32 input
        placeholder; creates the variables (with their final values as
        initial values) and returns ``{output name: tensor}``; the output
        ``"default"`` is what ``module(images)`` returns in TF1.
    input_shape
        Shape of the input placeholder, ``None`` for the batch dimension.
    input_name
        Name of the input (the real CIFAR-10 module uses ``"images"``).

    Returns
    -------
    pathlib.Path
        ``path``, now holding ``saved_model.pb``, ``variables/`` and the
        ``tfhub_module.pb`` marker that tells ``hub.load`` it is a TF1 module.
    """
    path = Path(path)
    if path.exists():
        raise ValueError(f"{path} exists already; export into a new folder")
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # the TF1 saving API logs deprecation notices
    try:
        _export_tf1(path, build, input_shape, input_name)
    finally:
        logger.setLevel(level)
    # A ModuleDef proto with format = 3 (FORMAT_V3): the TF1 Hub format marker.
    (path / "tfhub_module.pb").write_bytes(b"\x08\x03")
    return path


def _export_tf1(
    path: Path,
    build: Callable[[tf.Tensor], dict[str, tf.Tensor]],
    input_shape: tuple[int | None, ...],
    input_name: str,
) -> None:
    graph = tf.Graph()
    with graph.as_default():
        images = tf.compat.v1.placeholder(tf.float32, input_shape, name=input_name)
        outputs = build(images)
        if "default" not in outputs:
            raise ValueError("build() must return an output named 'default'")
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            builder = tf.compat.v1.saved_model.Builder(str(path))
            signature = (
                tf.compat.v1.saved_model.signature_def_utils.build_signature_def(
                    inputs={
                        input_name: tf.compat.v1.saved_model.build_tensor_info(images)
                    },
                    outputs={
                        k: tf.compat.v1.saved_model.build_tensor_info(v)
                        for k, v in outputs.items()
                    },
                    method_name="tensorflow/serving/predict",
                )
            )
            builder.add_meta_graph_and_variables(
                session, [], signature_def_map={"default": signature}
            )
            builder.save()


def _standin_dir() -> Path:
    return config.data_home() / "hub" / f"standin_cifar10_convnet_v{STANDIN_VERSION}"


def _standin_keras_model(seed: int) -> keras.Model:
    """The stand-in's convnet (VGG-like, much smaller than the real one).

    float32 whatever the global policy (``CNNRNN_PRECISION``): the exported
    module is cached and must not depend on the precision of the run that
    trained it.
    """
    init = keras.initializers.HeNormal
    f32 = {"dtype": "float32"}
    layers = [keras.Input((32, 32, 3))]
    for k, filters in enumerate((16, 32, 64)):
        layers.append(
            keras.layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=init(seed=seed + k),
                **f32,
            )
        )
        if k < 2:
            layers.append(keras.layers.MaxPooling2D(2, **f32))
    layers += [
        keras.layers.GlobalAveragePooling2D(**f32),
        keras.layers.Dense(
            10, kernel_initializer=keras.initializers.GlorotUniform(seed), **f32
        ),
    ]
    return keras.Sequential(layers)


def _tf1_forward(weights: list[np.ndarray]) -> Callable[[tf.Tensor], dict]:
    """TF1 graph builder that replays :func:`_standin_keras_model` with ``weights``."""

    def build(images: tf.Tensor) -> dict[str, tf.Tensor]:
        x = images
        for k in range(3):
            with tf.compat.v1.variable_scope(f"conv{k + 1}"):
                w = tf.compat.v1.get_variable("w", initializer=weights[2 * k])
                b = tf.compat.v1.get_variable("b", initializer=weights[2 * k + 1])
                x = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME") + b)
            if k < 2:
                x = tf.nn.max_pool2d(x, 2, 2, "VALID", name=f"pool{k + 1}")
        features = tf.reduce_mean(x, axis=[1, 2], name="features")
        with tf.compat.v1.variable_scope("linear"):
            w = tf.compat.v1.get_variable("w", initializer=weights[6])
            b = tf.compat.v1.get_variable("b", initializer=weights[7])
            logits = tf.identity(tf.matmul(features, w) + b, name="logits")
        return {"default": logits}

    return build


def standin_cifar10_module(
    path: str | os.PathLike | None = None,
    *,
    n_train: int = 3000,
    epochs: int = 8,
    seed: int = 0,
) -> Path:
    """Train and export the offline stand-in for the CIFAR-10 Hub module.

    A small convnet (3 conv layers 16/32/64, global average pooling, linear
    layer to 10 logits; 24,234 parameters) is trained once (10-30 s on a
    laptop CPU; about 80 % accuracy on the stand-in test images) on
    ``data.load_cifar10(source="offline", limit=n_train)`` and exported in the
    TF1 Hub format like the real module: signature ``"default"``, input
    ``"images"`` float32 (None, 32, 32, 3) in [0, 1], output ``"default"``
    float32 (None, 10) logits.  The result is cached; the folder is written
    atomically (temporary folder, then rename).

    Parameters
    ----------
    path
        Target folder; default ``config.data_home() / "hub" /
        "standin_cifar10_convnet_v2"``.  An existing module there is reused.
    n_train, epochs, seed
        Training set size, epochs and weight-initialisation seed.

    Returns
    -------
    pathlib.Path
        The module folder.
    """
    from ..data.loaders import load_cifar10

    n_train = check_int(n_train, "n_train", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    seed = check_seed(seed)
    target = Path(path) if path is not None else _standin_dir()
    if (target / "saved_model.pb").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.redirect_stderr(io.StringIO()):  # the caller warns once
        ds = load_cifar10(source="offline", limit=n_train)
    x = ds.x_train.astype("float32") / 255.0
    y = ds.y_train.astype("int64")
    model = _standin_keras_model(seed)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    order = np.random.default_rng(seed).permutation(len(x))
    model.fit(
        x[order], y[order], batch_size=64, epochs=epochs, shuffle=False, verbose=0
    )
    weights = [np.asarray(w) for w in model.get_weights()]
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-standin-", dir=target.parent))
    try:
        export_tf1_hub_module(tmp / "module", _tf1_forward(weights), (None, 32, 32, 3))
        # The exported graph must compute exactly what the trained model does.
        check = load_module(tmp / "module").signatures["default"]
        got = check(images=tf.constant(x[:8]))["default"].numpy()
        want = model(x[:8], training=False).numpy()
        if not np.allclose(got, want, atol=1e-4):
            raise RuntimeError("the exported stand-in disagrees with the trained model")
        try:
            os.replace(tmp / "module", target)
        except OSError:
            if not (target / "saved_model.pb").is_file():  # not a lost race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
