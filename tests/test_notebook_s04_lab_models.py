"""The networks the sheet-4 notebooks write out equal the package's builders.

The notebooks build their networks in view (issue 21); the package keeps
``models.lab_cnn`` and ``models.stateful_rnn`` for the self-checks and the
benches.  These tests run the notebooks' solution code and compare layer by
layer (kinds, output shapes, parameter counts), so that the two cannot drift
apart without a failing test.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cnnrnn_helpers import models

keras = pytest.importorskip("keras")

LAB = Path(__file__).resolve().parent.parent / "notebooks" / "s04_cnn_rnn_lab"


def _solution(notebook: str, marker: str, **env) -> dict:
    """Run the solution block of the code cell that contains ``marker``."""
    nb = nbformat.read(LAB / notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and marker in c.source)
    lines = cell.source.splitlines()
    start = lines.index("### BEGIN SOLUTION") + 1
    end = lines.index("### END SOLUTION")
    namespace = {"keras": keras, **env}
    exec("\n".join(lines[start:end]), namespace)
    return namespace


def _same(a, b) -> None:
    assert models.summary_table(a) == models.summary_table(b)


def test_t01_networks():
    ns = _solution("t01_mnist56_cnn.ipynb", "def code_network")
    _same(ns["code_network"](), models.lab_cnn())
    ns = _solution("t01_mnist56_cnn.ipynb", "def text_network")
    _same(ns["text_network"](), models.lab_cnn((4, 4), pool_size=2, dense_units=10))
    ns = _solution("t01_mnist56_cnn.ipynb", "def trimmed")
    for kw in ns["candidates"].values():
        _same(
            ns["trimmed"](**kw),
            models.lab_cnn(kw["filters"], pool_size=kw["pool"], dense_units=None),
        )


def test_t02_network():
    ns = _solution("t02_layer_visualisation.ipynb", "ex2 = keras.Sequential")
    _same(ns["ex2"], models.lab_cnn())


def test_t03_networks():
    ns = _solution("t03_shapes_crt_r3.ipynb", "def shapes_cnn")
    shape = dict(n_outputs=3, input_shape=(64, 64, 1))
    _same(
        ns["shapes_cnn"](ns["lab_filters"]),
        models.lab_cnn(ns["lab_filters"], dense_units=10, **shape),
    )
    _same(
        ns["shapes_cnn"]((8, 16, 32, 32), pool=2, dense=32),
        models.lab_cnn((8, 16, 32, 32), pool_size=2, dense_units=32, **shape),
    )


def test_t04_networks():
    env = {"mb": 20, "batchlen": 50}
    ref = _solution("t04_rnn_pulse_converter.ipynb", "reference = keras", **env)
    _same(
        ref["reference"],
        models.stateful_rnn("gru", 25, dense_layers=2, activation="relu"),
    )
    ns = _solution("t04_rnn_pulse_converter.ipynb", "def stateful_net", **env)
    build = ns["stateful_net"]
    for cell, units in (("simple", 5), ("simple", 12), ("gru", 3), ("gru", 6)):
        _same(build(cell, units), models.stateful_rnn(cell, units))
    _same(build("lstm", 6), models.stateful_rnn("lstm", 6))
    _same(
        build("gru", 25, dense_layers=2, activation="relu"),
        models.stateful_rnn("gru", 25, dense_layers=2, activation="relu"),
    )
