"""Title-cell edits: the Colab badge, the install cell and the measured run times."""

from __future__ import annotations

from pathlib import Path

import nbformat

from .. import config
from . import project
from .cells import keep_checked_outputs, tidy_metadata
from .execute import RunResult, execute_notebook
from .finding import notebooks_dir
from .report import format_duration

__all__ = [
    "COLAB_BADGE",
    "GITHUB_REPO",
    "INSTALL_SOURCE",
    "INSTALL_TAG",
    "RELEASE_TAG",
    "RUN_TIME_PREFIXES",
    "colab_url",
    "ensure_colab_badge",
    "ensure_install_cell",
    "prepare_notebook",
    "refresh_notebook",
    "run_time_line",
    "stamp_run_times",
]


#: GitHub ``owner/name`` and the release tag the "Open in Colab" links and the
#: install cell point to; both come from ``pyproject.toml`` (``[project.urls]
#: Repository`` and ``version``), see :mod:`cnnrnn_helpers.course.project`.
GITHUB_REPO = project.github_repo()


RELEASE_TAG = project.release_tag()


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


INSTALL_TAG = "install"


#: The first code cell of every notebook: installs the pack where it is missing
#: (Colab, a bare Jupyter), does nothing in a set-up checkout.
INSTALL_SOURCE = f"""\
# Colab or a bare Jupyter: install the course pack if it is missing (quiet; a
# no-op where it is installed, e.g. after `make test` or `pip install -e .`).
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("cnnrnn_helpers") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "{project.install_requirement()}"],
        check=True,
    )
import cnnrnn_helpers  # noqa: F401  (also hides TensorFlow's start-up log)"""


def colab_url(path: Path) -> str:
    """The Google Colab address of a notebook of this repository (release tag).

    Parameters
    ----------
    path
        A notebook under ``notebooks/`` (absolute, or relative to the repo).
    """
    path = Path(path)
    if path.is_absolute():
        root = notebooks_dir().parent
        if not path.resolve().is_relative_to(root):
            raise ValueError(f"expected a notebooks/**/*.ipynb path, got {path}")
        path = path.resolve().relative_to(root)
    return project.colab_url(path)


def ensure_colab_badge(nb: nbformat.NotebookNode, path: Path) -> None:
    """Put exactly one "Open in Colab" badge for ``path`` under the title line."""
    title = nb.cells[0]
    if title.cell_type != "markdown" or not title.source.startswith("# "):
        raise ValueError("the first cell of a notebook must be its '# title' cell")
    lines = [ln for ln in title.source.splitlines() if COLAB_BADGE not in ln]
    rest = lines[1:]
    while rest and not rest[0].strip():  # blank lines where an old badge was
        rest.pop(0)
    badge = f"[![Open In Colab]({COLAB_BADGE})]({colab_url(path)})"
    title.source = "\n".join([lines[0], "", badge, *(["", *rest] if rest else [])])


def ensure_install_cell(nb: nbformat.NotebookNode) -> None:
    """Make the code cell tagged ``install`` the first cell after ``## Setup``."""
    nb.cells = [
        c for c in nb.cells if INSTALL_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    setup = [
        k
        for k, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and cell.source.strip().startswith("## Setup")
    ]
    if not setup:
        raise ValueError("the notebook has no '## Setup' markdown cell")
    k = setup[0]
    install = nbformat.v4.new_code_cell(INSTALL_SOURCE)
    install.metadata["tags"] = [INSTALL_TAG]
    nb.cells.insert(k + 1, install)


def prepare_notebook(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Badge, install cell and tidy metadata: what every stored notebook has."""
    ensure_colab_badge(nb, path)
    ensure_install_cell(nb)
    return tidy_metadata(nb)


def refresh_notebook(path: Path) -> RunResult:
    """Re-execute a notebook (smoke, offline) and store only checked outputs.

    This is how the stored outputs that nbval compares are produced.  The
    notebook file is overwritten only if the execution succeeded.
    """
    path = Path(path).resolve()
    original = nbformat.read(path, as_version=4)
    prepare_notebook(original, path)
    nbformat.write(original, path)  # the run below sees the install cell
    nb, result = execute_notebook(path, profile="smoke", data="offline")
    if result.ok:
        nbformat.write(prepare_notebook(keep_checked_outputs(nb), path), path)
    return result


RUN_TIME_PREFIXES = ("**Run time**", "**Expected run time**")


def run_time_line(times: dict[str, float], *, data: str = "offline") -> str:
    """The title cell's run-time paragraph for measured ``{profile: seconds}``.

    Profiles come in the order full, quick, smoke; one without a measurement
    says so.  Example: ``**Run time** (2-core CPU, offline data, measured with
    `cnnrnn run`): full 34 min 10 s · quick 52 s · smoke 9 s.``
    """
    parts = [
        f"{p} {format_duration(times[p])}" if p in times else f"{p} not yet measured"
        for p in config.PROFILES
    ]
    return (
        f"**Run time** (2-core CPU, {data} data, measured with `cnnrnn run`): "
        + " · ".join(parts)
        + "."
    )


def stamp_run_times(
    nb: nbformat.NotebookNode, times: dict[str, float], *, data: str = "offline"
) -> bool:
    """Put the measured run times into the title cell of ``nb``.

    Replaces the paragraph starting with ``**Run time**`` (or the older
    ``**Expected run time**``), or appends one.  Returns True if the cell
    changed.
    """
    title = nb.cells[0]
    paragraphs = title.source.split("\n\n")
    line = run_time_line(times, data=data)
    for k, para in enumerate(paragraphs):
        if para.lstrip().startswith(RUN_TIME_PREFIXES):
            paragraphs[k] = line
            break
    else:
        paragraphs.append(line)
    new = "\n\n".join(paragraphs)
    changed = new != title.source
    title.source = new
    return changed
