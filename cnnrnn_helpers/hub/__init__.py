"""TensorFlow Hub modules as Keras 3 layers (inference only), and a stand-in.

Module map
----------
layer       :class:`HubModule` (a Keras 3 layer around ``tensorflow_hub.load``,
            TF2 SavedModels and the TF1 Hub format), :func:`load_module`
inspection  :func:`describe_module`, :func:`penultimate_tensor`
standin     the offline stand-in of the CIFAR-10 module and the TF1 exporter
source      :func:`resolve_cifar10_module`: the cached real module, a
            download or the stand-in, by the pack's source rule

The real module's cache, download and status (for ``cnnrnn fetch`` and
``cnnrnn doctor``) are a data source like the datasets:
:mod:`cnnrnn_helpers.data.hub_module` (with :data:`CIFAR10_HANDLE` and
:data:`MODULE_DATASET`, re-exported here).

Sheet 1, task 3 uses the CIFAR-10 classifier :data:`CIFAR10_HANDLE`.  Without
the real module :func:`resolve_cifar10_module` returns the stand-in, a small
convnet trained on the offline CIFAR-10 stand-in and exported in the same TF1
Hub layout (images float32 (None, 32, 32, 3) in [0, 1] -> 10 logits under
signature ``"default"``), so the notebook loads both with the same code.
"""

from ..data.hub_module import CIFAR10_HANDLE, MODULE_DATASET
from .inspection import ModuleDescription, describe_module, penultimate_tensor
from .layer import HubModule, load_module
from .source import ResolvedModule, resolve_cifar10_module
from .standin import STANDIN_VERSION, export_tf1_hub_module, standin_cifar10_module

__all__ = [
    "CIFAR10_HANDLE",
    "MODULE_DATASET",
    "STANDIN_VERSION",
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
