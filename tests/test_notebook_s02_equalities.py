"""Sheet 2: the code written out in the notebooks agrees with the package's versions.

The notebooks no longer assert equality with package helpers (issue 21); the
checks live here instead.  Each test takes the function as the notebook defines
it (its ``def`` statement, with the worked solution) and compares it with the
package function on the same input.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest

SHEET = Path(__file__).resolve().parent.parent / "notebooks" / "s02_mlp_gradients_svhn"


def _functions(notebook: str, names: tuple[str, ...], namespace: dict) -> dict:
    """Execute the notebook's ``def`` statements called ``names`` in ``namespace``."""
    nb = nbformat.read(SHEET / f"{notebook}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                code = compile(ast.Module([node], type_ignores=[]), notebook, "exec")
                exec(code, namespace)
    missing = [n for n in names if n not in namespace]
    assert not missing, f"{notebook} defines no {missing}"
    return namespace


def test_t03_gradient_probe_equals_the_package_probe():
    import keras
    import tensorflow as tf

    from cnnrnn_helpers import config, training

    ns = _functions(
        "t03_gradient_flow",
        ("mlp", "max_gradient_per_layer"),
        {"keras": keras, "tf": tf, "np": np},
    )
    rng = np.random.default_rng(0)
    x = rng.random((8, 784)).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 8)]
    for act in ("relu", "tanh", "sigmoid"):
        config.set_seed(0)
        net = ns["mlp"](5, act)
        ours = ns["max_gradient_per_layer"](net, x, y)
        ref = training.max_gradient_per_layer(net, x, y, "categorical_crossentropy")
        np.testing.assert_allclose(ours, ref, rtol=1e-6)


@pytest.mark.parametrize("digit", [0, 1, 4, 7])
def test_t06_preprocessing_equals_the_package_version(digit):
    from PIL import Image
    from scipy import ndimage

    from cnnrnn_helpers import preprocess

    ns = _functions(
        "t06_digit_classifier",
        ("otsu", "resize", "mnist_like"),
        {"np": np, "Image": Image, "ndimage": ndimage, "preprocess": preprocess},
    )
    photos = [
        preprocess.handwritten_digit_photo(digit, index=3, angle=8.0, seed=1),
        preprocess.synthetic_digit_photo(digit, angle=-6.0, dark_ink=False, seed=2),
    ]
    for photo in photos:
        ours = ns["mnist_like"](photo)["result"]
        np.testing.assert_allclose(ours, preprocess.preprocess_digit(photo), atol=1e-6)


def test_t06_network_is_the_package_digit_cnn():
    import keras

    from cnnrnn_helpers import models

    nb = nbformat.read(SHEET / "t06_digit_classifier.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "model = keras.Sequential(" in c.source)
    ns: dict = {"keras": keras}
    tree = ast.parse(cell.source)
    assign = next(n for n in tree.body if isinstance(n, ast.Assign))
    exec(compile(ast.Module([assign], type_ignores=[]), "t06", "exec"), ns)
    assert models.summary_table(ns["model"]) == models.summary_table(
        models.digit_cnn(dropout=0.3)
    )
