"""Sheet s01: the networks written out in the notebooks equal the package builders.

The notebooks check their networks with ``checks.model`` (whose references are
``models.fashion_cnn`` and ``models.eeg_rnn``); the layer-by-layer equality
with the builders, once asserted in the notebooks, lives here.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

keras = pytest.importorskip("keras")

from cnnrnn_helpers import config, models  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks" / "s01_keras_cnn_rnn"


def _definitions(notebook: str, *names: str) -> dict:
    """Execute the code cells of ``notebook`` that define the functions ``names``.

    The namespace holds what the notebooks' Setup imports and the definitions
    use: ``keras`` and ``config`` (``config.precision_policy`` for recurrent
    layers).
    """
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    namespace: dict = {"keras": keras, "config": config}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if any(f"def {name}(" in cell.source for name in names):
            head = cell.source.split("\n\n\n")  # the definitions, not the calls below
            defs = [part for part in head if part.lstrip().startswith("def ")]
            exec(compile("\n\n\n".join(defs), notebook, "exec"), namespace)
    missing = [n for n in names if n not in namespace]
    assert not missing, f"{notebook} defines no {missing}"
    return namespace


@pytest.mark.parametrize(
    ("pooling", "name"), [(False, "plain_cnn"), (True, "pooled_cnn")]
)
def test_t02_networks_equal_fashion_cnn(pooling, name):
    ns = _definitions("t02_cnn_keras.ipynb", name)
    assert models.summary_table(ns[name]()) == models.summary_table(
        models.fashion_cnn(pooling=pooling)
    )


@pytest.mark.parametrize(("cell", "kind"), [("SimpleRNN", "simple"), ("LSTM", "lstm")])
def test_t05_sheet_network_equals_eeg_rnn(cell, kind):
    ns = _definitions("t05_rnn_eeg.ipynb", "sheet_network")
    net = ns["sheet_network"](getattr(keras.layers, cell))
    assert models.summary_table(net) == models.summary_table(
        models.eeg_rnn(kind, length=None)
    )
