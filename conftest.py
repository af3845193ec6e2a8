"""Test-session setup shared by the unit tests and the notebooks run by nbval.

Every test runs in the ``smoke`` profile with ``offline`` data and a fresh,
temporary data home, whatever the shell says: the suite must pass on a machine
with no network and no cached data, and must not touch a user's ``data/``.

Local dataset copies are pinned too: ``CNNRNN_DATASETS_DIR`` points at an
empty folder, so the notebooks under nbval run on the stand-ins whether or not
the machine has Debian's ``dataset-fashion-mnist`` (the same checked outputs
and the same run time everywhere).  The tests that need the real set point
the variable at the system folder themselves and skip where it is missing.
``CNNRNN_TEST_DATASETS=system`` keeps the system folder for the whole session
(to run the notebooks under nbval on the real set).
The variables are set here, at import time, because nbval starts the notebook
kernels from this process and they inherit its environment.
"""

import atexit
import os
import shutil
import tempfile

import pytest

os.environ["CNNRNN_PROFILE"] = "smoke"
os.environ["CNNRNN_DATA"] = "offline"
os.environ.pop("CNNRNN_PRESENT", None)
os.environ.pop("CNNRNN_PRECISION", None)  # smoke is float32 anyway; no typo breaks it
_DATA_HOME = tempfile.mkdtemp(prefix="cnnrnn-test-data-")
os.environ["CNNRNN_DATA_HOME"] = _DATA_HOME
if os.environ.get("CNNRNN_TEST_DATASETS", "").strip().lower() == "system":
    os.environ.pop("CNNRNN_DATASETS_DIR", None)
else:
    _NO_DATASETS = tempfile.mkdtemp(prefix="cnnrnn-test-no-datasets-")
    os.environ["CNNRNN_DATASETS_DIR"] = _NO_DATASETS
    atexit.register(shutil.rmtree, _NO_DATASETS, ignore_errors=True)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
atexit.register(shutil.rmtree, _DATA_HOME, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Under nbval, fail a notebook cell whose result a reader should not see.

    A bare ``True``/``False`` return value or a matplotlib Figure as the
    cell's result (the figure then shows twice) is reported with the cell
    number; see :func:`cnnrnn_helpers.course.runner.stray_outputs`.
    """
    result = yield
    outputs = getattr(item, "test_outputs", None)
    if outputs and type(item).__name__ == "IPyNbCell":
        from cnnrnn_helpers.course.runner import stray_outputs

        problems = stray_outputs(outputs)
        if problems:
            raise AssertionError(
                f"{item.name}: " + "; ".join(problems) + f"\n--- source ---\n"
                f"{item.cell.source}"
            )
    if type(item).__name__ == "IPyNbCell":
        _check_conclusion(item, outputs or [])
    return result


def _section(cells, cell) -> str:
    """The ``## `` heading above ``cell`` in ``cells`` ("" before the first)."""
    index = next(i for i, c in enumerate(cells) if c is cell)
    for c in reversed(cells[:index]):
        if c.cell_type == "markdown":
            for line in c.source.splitlines():
                if line.startswith("## "):
                    return line[3:].strip()
    return ""


def _check_conclusion(item, outputs) -> None:
    """Under nbval: the Answers section opens its sub-answers with conclusions.

    A code cell in ``## Answers`` that calls ``results.conclude`` must render
    its sentence as Markdown with at least one figure in it (issue 25: every
    answer states its result from this run), and a notebook with an Answers
    section must hold at least one such cell.
    """
    cells = item.parent.nb.cells
    cell = item.cell
    if _section(cells, cell) == "Answers" and "results.conclude(" in cell.source:
        texts = [
            o.get("data", {}).get("text/markdown", "")
            for o in outputs
            if o.get("output_type") in ("execute_result", "display_data")
        ]
        if not any(t.startswith("**") and any(ch.isdigit() for ch in t) for t in texts):
            raise AssertionError(
                f"{item.name}: a conclusion cell rendered no Markdown sentence with "
                f"figures (make results.conclude(...) its last expression)"
            )
    code = [c for c in cells if c.cell_type == "code"]
    if code and cell is code[-1]:
        answers = [c for c in code if _section(cells, c) == "Answers"]
        headed = any(
            c.cell_type == "markdown" and c.source.lstrip().startswith("## Answers")
            for c in cells
        )
        if headed and not any("results.conclude(" in c.source for c in answers):
            raise AssertionError(
                f"{item.name}: the Answers section has no results.conclude(...) cell"
            )
