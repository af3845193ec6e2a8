"""TensorFlow Hub modules as Keras 3 layers (inference only), and a stand-in.

Keras 3 cannot use ``tensorflow_hub.KerasLayer`` (a Keras 2 layer), so this
module wraps :func:`tensorflow_hub.load` in a small Keras 3 layer,
:class:`HubModule`.  It handles both kinds of module on tfhub.dev / Kaggle:

* **TF2 SavedModel**: the loaded object is callable, ``obj(images)``;
* **TF1 Hub format** (older modules such as DeepMind's
  ``ganeval-cifar10-convnet``): the loaded object is not callable, but it has
  ``signatures["default"]``, a function that takes named tensors and returns a
  dict of named outputs (``"default"`` holds the logits).

Sheet 1, task 3 uses the CIFAR-10 classifier :data:`CIFAR10_HANDLE`.  Without
internet :func:`resolve_cifar10_module` returns an offline stand-in instead: a
small convnet that :func:`standin_cifar10_module` trains on the offline
CIFAR-10 stand-in and exports in the same TF1 Hub layout (images float32
(None, 32, 32, 3) in [0, 1] -> 10 logits under signature ``"default"``), so
the notebook loads both with the same code.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import keras
import numpy as np
import tensorflow as tf

from . import config, results

__all__ = [
    "CIFAR10_HANDLE",
    "HubModule",
    "ModuleDescription",
    "ResolvedModule",
    "describe_module",
    "export_tf1_hub_module",
    "load_module",
    "penultimate_tensor",
    "resolve_cifar10_module",
    "standin_cifar10_module",
]

#: The pretrained CIFAR-10 classifier of sheet 1, task 3 (TF1 Hub format).
CIFAR10_HANDLE = "https://tfhub.dev/deepmind/ganeval-cifar10-convnet/1"

#: Bump when the stand-in's architecture or training changes (new cache folder).
STANDIN_VERSION = 2

# Operation types worth counting when we look at a module's graph.
_LAYER_OPS = (
    "Conv2D",
    "DepthwiseConv2dNative",
    "MatMul",
    "FusedBatchNorm",
    "FusedBatchNormV3",
    "Relu",
    "LeakyRelu",
    "Elu",
    "MaxPool",
    "AvgPool",
    "Mean",
    "Softmax",
)


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------
def _hub_cache_dir() -> Path:
    """Where tensorflow_hub caches downloads (``TFHUB_CACHE_DIR`` wins)."""
    env = os.environ.get("TFHUB_CACHE_DIR", "").strip()
    return Path(env) if env else config.data_home() / "hub" / "tfhub_cache"


def _is_url(handle: str) -> bool:
    return handle.startswith(("http://", "https://", "gs://"))


def load_module(handle: str | os.PathLike) -> Any:
    """Load a TF Hub module (TF2 SavedModel or TF1 Hub format).

    Parameters
    ----------
    handle
        A tfhub.dev / Kaggle URL (downloaded into ``TFHUB_CACHE_DIR``, by
        default ``config.data_home() / "hub" / "tfhub_cache"``) or a local
        directory that holds a ``saved_model.pb``.

    Returns
    -------
    object
        What :func:`tensorflow_hub.load` returns: an object with
        ``.signatures`` and ``.variables``; callable for TF2 SavedModels.

    Raises
    ------
    TypeError
        If ``handle`` is not a string or path.
    ValueError
        If nothing loadable is found at ``handle`` (the message names it).
    """
    import tensorflow_hub as hub

    if not isinstance(handle, str | os.PathLike):
        raise TypeError(
            f"handle must be a URL or a directory path, got {type(handle).__name__}"
        )
    handle = os.fspath(handle)
    if not _is_url(handle):
        if not Path(handle).is_dir():
            raise ValueError(f"no TF Hub module at {handle!r}: not a directory")
        if not (Path(handle) / "saved_model.pb").is_file():
            raise ValueError(
                f"no TF Hub module at {handle!r}: the folder has no saved_model.pb"
            )
    else:
        os.environ.setdefault("TFHUB_CACHE_DIR", str(_hub_cache_dir()))
    try:
        return hub.load(handle)
    except Exception as err:  # network, format or file errors: say which handle
        raise ValueError(f"could not load the TF Hub module {handle!r}: {err}") from err


def _is_tf1(obj: Any) -> bool:
    return bool(getattr(obj, "_is_hub_module_v1", False))


def _signature_inputs(fn: Any) -> dict[str, tf.TensorSpec]:
    """Named input specs of a signature function."""
    args, kwargs = fn.structured_input_signature
    if args:
        raise ValueError("signature functions with positional inputs are unsupported")
    return dict(kwargs)


def _feed_tensor_name(fn: Any) -> str:
    """Graph name of the single input tensor of a TF1 signature function.

    The signature's input *key* (e.g. ``"images"``) need not be the name of
    the placeholder in the graph (often ``"Placeholder:0"``); the function's
    flat inputs start with the fed tensors, followed by captured variables.
    """
    n_inputs = len(_signature_inputs(fn))
    if n_inputs != 1:
        raise ValueError(f"expected a signature with one input, it has {n_inputs}")
    return fn.inputs[0].name


def _spec_text(spec: Any) -> str:
    shape = spec.shape
    dims = "?" if shape.rank is None else ", ".join(str(d) for d in shape.as_list())
    return f"{spec.dtype.name} ({dims})"


# --------------------------------------------------------------------------
# The Keras 3 layer
# --------------------------------------------------------------------------
class HubModule(keras.layers.Layer):
    """A TF Hub module as a Keras 3 layer (inference only, weights frozen).

    Parameters
    ----------
    handle
        URL or local directory (see :func:`load_module`), or an object that
        :func:`load_module` returned (then it is not loaded again).
    signature
        Name of the signature to call, e.g. ``"default"``.  ``None`` calls a
        TF2 SavedModel directly and uses ``"default"`` for a TF1 Hub module.
    output_key
        Which entry of the signature's output dict to return.  ``None`` takes
        ``"default"`` if present, else the only output.
    fetch
        TF1 Hub format only: the name of any tensor in the module's graph
        (e.g. from :func:`penultimate_tensor`) to return instead of the
        signature's output.
    **kwargs
        Passed to :class:`keras.layers.Layer` (e.g. ``name``).

    Notes
    -----
    The input is cast to float32.  For the CIFAR-10 module it must be NHWC
    images in [0, 1] of shape (batch, 32, 32, 3); the output is (batch, 10)
    float32 logits.  The module's variables are not Keras weights: the layer
    reports 0 parameters and is never trained.

    Examples
    --------
    >>> layer = HubModule(CIFAR10_HANDLE)                     # doctest: +SKIP
    >>> inputs = keras.Input((32, 32, 3))                     # doctest: +SKIP
    >>> model = keras.Model(inputs, layer(inputs))            # doctest: +SKIP
    """

    def __init__(
        self,
        handle: Any,
        *,
        signature: str | None = None,
        output_key: str | None = None,
        fetch: str | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.pop("trainable", False):
            raise ValueError(
                "HubModule is inference only: trainable=True is not supported"
            )
        super().__init__(trainable=False, **kwargs)
        if isinstance(handle, str | os.PathLike):
            self.handle = os.fspath(handle)
            module = load_module(handle)
        elif hasattr(handle, "signatures"):
            self.handle = None
            module = handle
        else:
            raise TypeError(
                "handle must be a URL, a directory or a loaded TF Hub module, "
                f"got {type(handle).__name__}"
            )
        self.signature = signature
        self.output_key = output_key
        self.fetch = fetch
        self.is_tf1 = _is_tf1(module)
        # Keep the loaded object out of Keras' attribute tracking.
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_fn", self._make_function(module))

    @property
    def module(self) -> Any:
        """The object :func:`tensorflow_hub.load` returned."""
        return self._module

    def _make_function(self, module: Any) -> Callable[[tf.Tensor], tf.Tensor]:
        """Return ``f(images) -> tensor`` for the chosen entry point."""
        names = sorted(module.signatures.keys())
        if self.fetch is not None:
            if not self.is_tf1:
                raise ValueError(
                    "fetch= needs a TF1 Hub format module (it has a graph)"
                )
            fn = module.signatures[self.signature or "default"]
            feed = _feed_tensor_name(fn)  # checks there is exactly one input
            ((_, spec),) = _signature_inputs(fn).items()
            try:
                pruned = module.prune(feed, self.fetch)
            except (KeyError, ValueError) as err:
                raise ValueError(
                    f"tensor {self.fetch!r} is not in the module's graph: {err}"
                ) from err
            return lambda x: pruned(tf.cast(x, spec.dtype))
        if self.signature is None and callable(module) and not self.is_tf1:
            return lambda x: module(tf.cast(x, tf.float32))
        signature = self.signature or "default"
        if signature not in module.signatures:
            raise ValueError(
                f"the module has no signature {signature!r}; it has {names or 'none'}"
            )
        fn = module.signatures[signature]
        inputs = _signature_inputs(fn)
        if len(inputs) != 1:
            raise ValueError(
                f"signature {signature!r} takes {len(inputs)} inputs "
                f"({sorted(inputs)}); HubModule feeds exactly one"
            )
        ((input_name, spec),) = inputs.items()
        outputs = sorted(fn.structured_outputs.keys())
        key = self.output_key
        if key is None:
            key = "default" if "default" in outputs or len(outputs) != 1 else outputs[0]
        if key not in outputs:
            raise ValueError(
                f"signature {signature!r} has no output {key!r}; it has {outputs}"
            )
        return lambda x: fn(**{input_name: tf.cast(x, spec.dtype)})[key]

    def call(self, inputs: Any) -> Any:
        return self._fn(inputs)

    def get_config(self) -> dict[str, Any]:
        cfg = super().get_config()
        cfg.update(
            handle=self.handle,
            signature=self.signature,
            output_key=self.output_key,
            fetch=self.fetch,
        )
        return cfg


# --------------------------------------------------------------------------
# Inspecting a module
# --------------------------------------------------------------------------
@dataclass
class ModuleDescription:
    """What can be seen of a loaded module from the outside.

    Attributes
    ----------
    handle
        The handle it was loaded from (``None`` for an object passed in).
    format
        ``"TF1 Hub format"`` or ``"TF2 SavedModel"``.
    callable
        Whether the object can be called directly (TF2 only).
    signatures
        ``{name: {"inputs": {name: spec text}, "outputs": {name: spec text}}}``.
    variables
        ``[(name, shape), ...]`` of every stored variable.
    n_parameters
        Total number of scalar values in the variables.
    op_counts
        How often each layer-like operation (Conv2D, MatMul, pooling, batch
        norm, ReLU ...) occurs in the graph behind the signatures.
    """

    handle: str | None
    format: str
    callable: bool
    signatures: dict[str, dict[str, dict[str, str]]]
    variables: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)
    n_parameters: int = 0
    op_counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"module: {self.handle or '(loaded object)'}",
            f"format: {self.format}; directly callable: {self.callable}",
        ]
        for name, sig in self.signatures.items():
            lines.append(f"signature {name!r}:")
            lines += [f"  input  {k}: {v}" for k, v in sig["inputs"].items()]
            lines += [f"  output {k}: {v}" for k, v in sig["outputs"].items()]
        lines.append(
            f"variables: {len(self.variables)} holding {self.n_parameters:,} numbers"
        )
        if self.op_counts:
            ops = ", ".join(f"{k} x{v}" for k, v in self.op_counts.items())
            lines.append(f"layer-like operations in the graph: {ops}")
        return "\n".join(lines)


def _graph_ops(fn: Any) -> list[str]:
    """Operation types in a concrete function, including nested functions."""
    graph_def = fn.graph.as_graph_def()
    ops = [node.op for node in graph_def.node]
    for function in graph_def.library.function:
        ops += [node.op for node in function.node_def]
    return ops


def _variables(module: Any) -> list[Any]:
    """Variables of a loaded module (TF2 objects may only expose them via functions)."""
    found = getattr(module, "variables", None)
    if found is not None:
        return list(found)
    unique: dict[int, Any] = {}
    for fn in module.signatures.values():
        for v in fn.variables:
            unique.setdefault(id(v), v)
    return list(unique.values())


def describe_module(handle: Any) -> ModuleDescription:
    """Describe a module: format, signatures, variables and layer operations.

    Parameters
    ----------
    handle
        URL, directory or loaded module (as for :class:`HubModule`).

    Returns
    -------
    ModuleDescription
        Print it for a readable summary.
    """
    if isinstance(handle, HubModule):
        module, name = handle.module, handle.handle
    elif isinstance(handle, str | os.PathLike):
        module, name = load_module(handle), os.fspath(handle)
    elif hasattr(handle, "signatures"):
        module, name = handle, None
    else:
        raise TypeError(
            "expected a URL, a directory or a loaded module, "
            f"got {type(handle).__name__}"
        )
    signatures = {}
    ops: list[str] = []
    for sig_name in sorted(module.signatures.keys()):
        fn = module.signatures[sig_name]
        signatures[sig_name] = {
            "inputs": {k: _spec_text(v) for k, v in _signature_inputs(fn).items()},
            "outputs": {
                k: _spec_text(v) for k, v in sorted(fn.structured_outputs.items())
            },
        }
        ops += _graph_ops(fn)
    if _is_tf1(module):
        ops = [op.type for op in module.graph.get_operations()]
    counts = Counter(op for op in ops if op in _LAYER_OPS)
    variables = [(v.name, tuple(int(d) for d in v.shape)) for v in _variables(module)]
    return ModuleDescription(
        handle=name,
        format="TF1 Hub format" if _is_tf1(module) else "TF2 SavedModel",
        callable=callable(module) and not _is_tf1(module),
        signatures=signatures,
        variables=variables,
        n_parameters=int(sum(int(np.prod(s)) for _, s in variables)),
        op_counts={op: counts[op] for op in _LAYER_OPS if counts[op]},
    )


def penultimate_tensor(
    module: Any, signature: str = "default", output_key: str = "default"
) -> str | None:
    """Find the features that enter the final linear layer of a TF1 module.

    Walks back from the signature's output tensor through ``Identity`` and
    bias additions to the last ``MatMul`` and returns the name of its data
    input (for a classifier: the features before the logits).

    Parameters
    ----------
    module
        A loaded TF1 Hub format module (or a :class:`HubModule` around one).
    signature, output_key
        Which output to start from.

    Returns
    -------
    str or None
        A tensor name such as ``"features:0"`` to pass as
        ``HubModule(..., fetch=name)``; ``None`` if the output is not made by
        a ``MatMul`` (or the module is a TF2 SavedModel, which has no graph).
    """
    if isinstance(module, HubModule):
        module = module.module
    if not _is_tf1(module):
        return None
    fn = module.signatures[signature]
    graph = module.graph
    feed_op = _feed_tensor_name(fn).split(":")[0]
    # The signature's tensors keep their names from the module's full graph.
    tensor = graph.get_tensor_by_name(fn.structured_outputs[output_key].name)
    memo: dict[str, bool] = {}

    def depends_on_input(t: Any) -> bool:
        if t.name in memo:
            return memo[t.name]
        memo[t.name] = False  # guards against cycles
        op = t.op
        result = (op.type == "Placeholder" and op.name == feed_op) or any(
            depends_on_input(i) for i in op.inputs
        )
        memo[t.name] = result
        return result

    for _ in range(50):
        op = tensor.op
        if op.type == "MatMul":
            return op.inputs[0].name
        data_inputs = [t for t in op.inputs if depends_on_input(t)]
        if op.type not in ("Identity", "BiasAdd", "Add", "AddV2") or not data_inputs:
            return None
        tensor = data_inputs[0]
    return None


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


# --------------------------------------------------------------------------
# The CIFAR-10 module and its offline stand-in
# --------------------------------------------------------------------------
class ResolvedModule(NamedTuple):
    """Where the CIFAR-10 classifier comes from.

    Attributes
    ----------
    handle
        Local directory to pass to :class:`HubModule` / :func:`load_module`.
    source
        ``"real"`` (the DeepMind module) or ``"stand-in"``.
    origin
        The URL of the real module, or a note on the stand-in.
    """

    handle: str
    source: str
    origin: str

    @property
    def is_standin(self) -> bool:
        """True for the offline stand-in."""
        return self.source == "stand-in"

    def describe(self) -> str:
        """One line for notebook output."""
        label = "OFFLINE STAND-IN" if self.is_standin else "real module"
        return f"CIFAR-10 classifier [{label}]: {self.origin}"


#: The name under which the module's source is noted in :mod:`.results`.
MODULE_DATASET = "ganeval-cifar10-convnet"


def _standin_dir() -> Path:
    return config.data_home() / "hub" / f"standin_cifar10_convnet_v{STANDIN_VERSION}"


def _reachable(host: str = "tfhub.dev", port: int = 443, timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_cifar10_module(source: str | None = None) -> ResolvedModule:
    """Return the CIFAR-10 classifier to load: the real module or the stand-in.

    Parameters
    ----------
    source
        ``"auto"`` (cached real module, else download it, else the stand-in),
        ``"online"`` (the real module or an error), ``"offline"`` (always the
        stand-in); ``None`` follows ``config.DATA``.

    Returns
    -------
    ResolvedModule
        ``handle`` is a local directory in every case (the real module is
        downloaded into ``TFHUB_CACHE_DIR`` first), so the notebook loads
        both the same way.  The stand-in prints the usual WARNING line.
    """
    from .data import warn_standin

    mode = config.DATA if source is None else source
    if mode not in config.DATA_MODES:
        raise ValueError(f"source must be one of {config.DATA_MODES}, got {source!r}")
    reason = "CNNRNN_DATA=offline"
    if mode != "offline":
        import tensorflow_hub as hub

        os.environ.setdefault("TFHUB_CACHE_DIR", str(_hub_cache_dir()))
        try:
            if mode == "auto" and not _reachable():
                cached = _hub_cache_dir() / _sha1(CIFAR10_HANDLE)
                if not (cached.is_dir() and any(cached.iterdir())):
                    raise ConnectionError("tfhub.dev is not reachable")
            path = hub.resolve(CIFAR10_HANDLE)
            results.note_source(MODULE_DATASET, "real")
            return ResolvedModule(str(path), "real", CIFAR10_HANDLE)
        except Exception as err:
            if mode == "online":
                raise ConnectionError(
                    f"could not fetch {CIFAR10_HANDLE} (CNNRNN_DATA=online): {err}"
                ) from err
            reason = f"module not available: {err}"
    path = standin_cifar10_module()
    warn_standin(MODULE_DATASET, reason)
    results.note_source(MODULE_DATASET, "stand-in")
    return ResolvedModule(
        str(path), "stand-in", "small convnet trained on the offline CIFAR-10 stand-in"
    )


def _sha1(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf8")).hexdigest()


def _standin_keras_model(seed: int) -> keras.Model:
    """The stand-in's convnet (VGG-like, much smaller than the real one)."""
    init = keras.initializers.HeNormal
    layers = [keras.Input((32, 32, 3))]
    for k, filters in enumerate((16, 32, 64)):
        layers.append(
            keras.layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=init(seed=seed + k),
            )
        )
        if k < 2:
            layers.append(keras.layers.MaxPooling2D(2))
    layers += [
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(
            10, kernel_initializer=keras.initializers.GlorotUniform(seed)
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
    from . import data

    target = Path(path) if path is not None else _standin_dir()
    if (target / "saved_model.pb").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.redirect_stderr(io.StringIO()):  # the caller warns once
        ds = data.load_cifar10(source="offline", limit=n_train)
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
