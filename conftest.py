"""Test-session setup shared by the unit tests and the notebooks run by nbval.

Every test runs in the ``smoke`` profile with ``offline`` data and a fresh,
temporary data home, whatever the shell says: the suite must pass on a machine
with no network and no cached data, and must not touch a user's ``data/``.
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
    return result
