"""TF Hub modules as a Keras 3 layer (inference only).

Keras 3 cannot use ``tensorflow_hub.KerasLayer`` (a Keras 2 layer), so
:class:`HubModule` wraps :func:`tensorflow_hub.load` in a small Keras 3
layer.  It handles both kinds of module on tfhub.dev / Kaggle:

* **TF2 SavedModel**: the loaded object is callable, ``obj(images)``;
* **TF1 Hub format** (older modules such as DeepMind's
  ``ganeval-cifar10-convnet``): the loaded object is not callable, but it has
  ``signatures["default"]``, a function that takes named tensors and returns a
  dict of named outputs (``"default"`` holds the logits).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keras
import tensorflow as tf

from ..data.hub_module import CIFAR10_HANDLE, hub_cache_dir

__all__ = ["CIFAR10_HANDLE", "HubModule", "hub_cache_dir", "load_module"]


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------
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
        os.environ.setdefault("TFHUB_CACHE_DIR", str(hub_cache_dir()))
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
    The input is cast to float32 and the layer computes in float32 whatever
    Keras' global policy (``CNNRNN_PRECISION``).  For the CIFAR-10 module it
    must be NHWC images in [0, 1] of shape (batch, 32, 32, 3); the output is
    (batch, 10) float32 logits.  The module's variables are not Keras weights: the layer
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
        kwargs.setdefault("dtype", "float32")  # a frozen float32 module
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
