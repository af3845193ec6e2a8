"""The networks and counts that the s05 notebooks write out agree with the package.

The notebooks build their networks in view (``make_dense``, ``make_cnn``,
``make_pooled``, ``make_strided``) and count multiply-adds themselves; the
equalities with the package's builders, which the notebooks no longer assert,
are checked here.  The functions are taken from the worked notebooks' code
cells by name (only the ``def`` statements are executed).
"""

from __future__ import annotations

import ast
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

from cnnrnn_helpers import models

SHEET = (
    Path(__file__).resolve().parent.parent / "notebooks" / "s05_deep_networks_fashion"
)


def _functions(notebook: str, *names: str) -> dict:
    """The named top-level functions defined in the notebook's code cells."""
    nb = nbformat.read(SHEET / notebook, as_version=4)
    found: dict = {}
    namespace = {"keras": keras, "np": np}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defs = [
            n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names
        ]
        if defs:
            exec(
                compile(ast.Module(body=defs, type_ignores=[]), notebook, "exec"),
                namespace,
            )
            found.update({d.name: namespace[d.name] for d in defs})
    missing = set(names) - set(found)
    assert not missing, f"{notebook} defines no {sorted(missing)}"
    return found


def _layout(model) -> list[tuple]:
    return [
        (type(layer).__name__, tuple(layer.output.shape), layer.count_params())
        for layer in model.layers
    ]


@pytest.mark.parametrize("units", [10, 64])
def test_t01_dense_network_matches_deep_mlp(units):
    make_dense = _functions("t01_dense_networks.ipynb", "make_dense")["make_dense"]
    assert _layout(make_dense(units)) == _layout(models.deep_mlp(2, units))


def test_t03_networks_match_the_package():
    f = _functions("t03_small_cnn.ipynb", "make_cnn", "make_dense")
    assert _layout(f["make_cnn"]()) == _layout(models.small_cnn())
    assert _layout(f["make_dense"]()) == _layout(models.deep_mlp(2, 10))
    assert _layout(f["make_dense"](64)) == _layout(models.deep_mlp(2, 64))


def test_t04_networks_and_multiply_adds():
    f = _functions(
        "t04_bonus_strides_adam.ipynb", "make_pooled", "make_strided", "multiply_adds"
    )
    pooled, strided = f["make_pooled"](), f["make_strided"]()
    assert _layout(pooled) == _layout(models.small_cnn(strides=False))
    assert _layout(strided) == _layout(models.small_cnn(strides=True))
    total = {
        name: sum(m for _, m in f["multiply_adds"](net))
        for name, net in (("pooled", pooled), ("strided", strided))
    }
    # 26*26*16*9 + 11*11*8*144 + 200*10 and 13*13*16*9 + 6*6*8*144 + 288*10
    assert total == {"pooled": 238_736, "strided": 68_688}


def test_softmax_outputs_compute_in_float32():
    nets = [
        _functions("t01_dense_networks.ipynb", "make_dense")["make_dense"](10),
        _functions("t03_small_cnn.ipynb", "make_cnn")["make_cnn"](),
        _functions("t04_bonus_strides_adam.ipynb", "make_strided")["make_strided"](),
    ]
    for net in nets:
        assert net.layers[-1].dtype_policy.compute_dtype == "float32"
