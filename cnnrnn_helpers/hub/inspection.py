"""Looking into a loaded TF Hub module: format, signatures, variables, graph."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .layer import (
    HubModule,
    _feed_tensor_name,
    _is_tf1,
    _signature_inputs,
    _spec_text,
    load_module,
)

__all__ = ["ModuleDescription", "describe_module", "penultimate_tensor"]

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
