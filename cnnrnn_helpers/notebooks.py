"""Finding, executing and tidying the course notebooks.

Used by ``cnnrnn run`` (execute every notebook, keep executed copies and an
HTML index under ``build/``) and ``cnnrnn refresh`` (re-execute notebooks in
the smoke profile with offline data and store only the outputs of the cells
marked ``# NBVAL_CHECK_OUTPUT``, which nbval then compares in CI).

Output policy of the committed notebooks: only checked cells keep outputs.
Those outputs are deterministic and do not depend on the data source
(parameter counts, shapes, hand-computed matrices), so nothing stored in the
repository can be mistaken for a result on real data.  Plots and accuracies
live in the executed copies under ``build/``.
"""

from __future__ import annotations

import html
import os
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import config

__all__ = [
    "CHECK_MARKER",
    "GITHUB_REPO",
    "INSTALL_SOURCE",
    "RunResult",
    "colab_url",
    "ensure_colab_badge",
    "ensure_install_cell",
    "execute_notebook",
    "find_notebooks",
    "is_checked",
    "keep_checked_outputs",
    "notebooks_dir",
    "prepare_notebook",
    "refresh_notebook",
    "run_notebooks",
    "tidy_metadata",
    "write_index",
]

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
STANDIN_TAG = "OFFLINE STAND-IN"
REAL_TAG = "[real data]"

#: GitHub ``owner/name`` and branch the "Open in Colab" links point to.
GITHUB_REPO = "cnnrnn/cnnrnn"
GITHUB_BRANCH = "main"
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
         "cnnrnn @ git+https://github.com/{GITHUB_REPO}.git@{GITHUB_BRANCH}"],
        check=True,
    )
import cnnrnn_helpers  # noqa: F401  (also hides TensorFlow's start-up log)"""


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` folder of the checkout (or raise if installed)."""
    root = config.repo_root()
    if root is None or not (root / "notebooks").is_dir():
        raise FileNotFoundError(
            "no notebooks/ folder: run this from a clone of the course pack "
            "(git clone ...; pip install -e .)"
        )
    return root / "notebooks"


def find_notebooks(selection: Sequence[str] = ()) -> list[Path]:
    """Return the notebooks to run, sorted by path.

    Parameters
    ----------
    selection
        Paths or substrings of paths (e.g. ``"s05"`` or
        ``"notebooks/s01_keras_cnn_rnn/t04_manual_conv_pool.ipynb"``).  Empty:
        every notebook under ``notebooks/``.

    Raises
    ------
    FileNotFoundError
        If a selection item matches no notebook.
    """
    root = notebooks_dir()
    every = sorted(
        p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    if not selection:
        return every
    chosen: list[Path] = []
    for item in selection:
        path = Path(item)
        if path.suffix == ".ipynb" and path.is_file():
            matches = [path.resolve()]
        else:
            matches = [p for p in every if item in str(p.relative_to(root.parent))]
        if not matches:
            raise FileNotFoundError(f"no notebook matches {item!r}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def is_checked(cell: dict) -> bool:
    """True for a code cell whose output nbval compares (``# NBVAL_CHECK_OUTPUT``)."""
    if cell.get("cell_type") != "code":
        return False
    lines = (line.strip() for line in cell.get("source", "").splitlines())
    return any(
        line.startswith("#") and line.replace(" ", "") == "#NBVAL_CHECK_OUTPUT"
        for line in lines
    )


def keep_checked_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Clear outputs and execution counts of every cell that is not checked.

    Checked cells keep their outputs (minus transient metadata) so that nbval
    has something to compare against, and are numbered 1, 2, ... in order.
    Returns the same notebook object.
    """
    count = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if is_checked(cell):
            # nbval skips the comparison for a cell without an execution count
            # ("unrun reference cell"), so checked cells keep a count
            count += 1
            cell["execution_count"] = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
                out.get("metadata", {}).pop("transient", None)
        else:
            cell["execution_count"] = None
            cell["outputs"] = []
        cell.get("metadata", {}).pop("execution", None)
    return tidy_metadata(nb)


KERNELSPEC = {
    "name": "python3",
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}


def tidy_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Normalise notebook metadata: the ``python3`` kernel, cell tags only.

    Drops editor leftovers (jupytext, widgets, execution timings) so that
    diffs show content changes only.  Returns the same notebook object.
    """
    nb.metadata = nbformat.from_dict(
        {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    )
    nb.nbformat, nb.nbformat_minor = 4, 5
    for number, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags")
        cell["metadata"] = nbformat.from_dict({"tags": list(tags)} if tags else {})
        cell["id"] = f"cell-{number:03d}"  # stable ids: no diff noise
    return nb


@dataclass
class RunResult:
    """Outcome of executing one notebook."""

    path: Path
    ok: bool
    seconds: float
    data: str = "-"  # "real", "stand-in", "mixed" or "-" (no dataset loaded)
    error: str = ""
    executed: Path | None = None
    html: Path | None = None


def _data_label(nb: nbformat.NotebookNode) -> str:
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append(out.get("text", ""))
            elif "data" in out:
                text.append(str(out["data"].get("text/plain", "")))
    joined = "\n".join(text)
    standin, real = STANDIN_TAG in joined, REAL_TAG in joined
    if standin and real:
        return "mixed"
    return "stand-in" if standin else "real" if real else "-"


def execute_notebook(
    path: Path,
    *,
    profile: str,
    data: str,
    timeout: int = 1800,
    kernel_log: Path | None = None,
) -> tuple[nbformat.NotebookNode, RunResult]:
    """Execute one notebook in a fresh kernel with the given profile and data mode.

    The kernel inherits this process's environment plus ``CNNRNN_PROFILE``,
    ``CNNRNN_DATA``.  The working directory is the notebook's folder.  The
    kernel process's own stderr (TensorFlow's C++ start-up lines, which never
    reach the notebook) goes to ``kernel_log`` if given, else is discarded.

    Returns
    -------
    (notebook, RunResult)
        The executed notebook (outputs filled in, also on failure) and the
        outcome with wall time in seconds.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    if profile not in config.PROFILES:
        raise ValueError(f"profile must be one of {config.PROFILES}, got {profile!r}")
    if data not in config.DATA_MODES:
        raise ValueError(f"data must be one of {config.DATA_MODES}, got {data!r}")
    nb = nbformat.read(path, as_version=4)
    saved = {k: os.environ.get(k) for k in ("CNNRNN_PROFILE", "CNNRNN_DATA")}
    os.environ["CNNRNN_PROFILE"] = profile
    os.environ["CNNRNN_DATA"] = data
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = ""
    log = open(kernel_log, "w") if kernel_log else open(os.devnull, "w")  # noqa: SIM115
    try:
        client.execute(stderr=log)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
    except Exception as exc:  # kernel died, timeout, ...
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    finally:
        log.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    seconds = time.perf_counter() - start
    result = RunResult(
        path=path, ok=not error, seconds=seconds, error=error, data=_data_label(nb)
    )
    return nb, result


def _to_html(nb: nbformat.NotebookNode) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb)
    return body


def run_notebooks(
    paths: Iterable[Path],
    *,
    profile: str,
    data: str,
    out_dir: Path,
    html_copies: bool = True,
    echo=print,
) -> list[RunResult]:
    """Execute notebooks one after another and write the executed copies.

    Executed notebooks go to ``out_dir/<relative path>.ipynb`` (and ``.html``);
    the source notebooks are not modified.  Each result is echoed as soon as
    it is known.
    """
    root = notebooks_dir().parent
    results = []
    for path in paths:
        path = Path(path).resolve()
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = Path(path.name)
        echo(f"running {rel} (profile={profile}, data={data}) ...")
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        nb, result = execute_notebook(
            path,
            profile=profile,
            data=data,
            kernel_log=target.with_suffix(".kernel.log"),
        )
        nbformat.write(nb, target)
        result.executed = target
        if html_copies:
            try:
                result.html = target.with_suffix(".html")
                result.html.write_text(_to_html(nb), encoding="utf-8")
            except Exception as exc:  # HTML is a convenience, never fatal
                echo(f"  (no HTML copy: {exc})")
                result.html = None
        status = "ok" if result.ok else f"FAILED: {result.error}"
        echo(f"  {result.seconds:6.1f} s  {status}")
        results.append(result)
    return results


def format_table(results: Sequence[RunResult], root: Path | None = None) -> str:
    """Plain-text table: notebook, status, wall time, data source."""
    root = root or notebooks_dir().parent
    rows = [("notebook", "status", "seconds", "data")]
    for r in results:
        try:
            name = str(r.path.relative_to(root))
        except ValueError:
            name = r.path.name
        rows.append((name, "ok" if r.ok else "FAILED", f"{r.seconds:.1f}", r.data))
    total = sum(r.seconds for r in results)
    rows.append(
        ("total", f"{sum(r.ok for r in results)}/{len(results)} ok", f"{total:.1f}", "")
    )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k in (0, len(rows) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_index(
    results: Sequence[RunResult], out_dir: Path, *, profile: str, data: str
) -> Path:
    """Write ``out_dir/index.html`` linking every executed notebook."""
    rows = []
    for r in results:
        link = r.html or r.executed
        name = html.escape(str(link.relative_to(out_dir))) if link else r.path.name
        cell = f'<a href="{name}">{name}</a>' if link else name
        status = "ok" if r.ok else f"FAILED: {html.escape(r.error)}"
        rows.append(
            f"<tr><td>{cell}</td><td>{status}</td>"
            f"<td>{r.seconds:.1f}</td><td>{r.data}</td></tr>"
        )
    page = (
        "<!doctype html><meta charset='utf-8'><title>cnnrnn notebooks</title>"
        "<style>body{font-family:sans-serif}td,th{padding:4px 12px}</style>"
        f"<h1>cnnrnn notebooks</h1><p>profile={profile}, data={data}</p>"
        "<table><tr><th>notebook</th><th>status</th><th>seconds</th>"
        "<th>data</th></tr>" + "".join(rows) + "</table>"
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def colab_url(path: Path) -> str:
    """The Google Colab address of a notebook of this repository.

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
    rel = path.as_posix()
    if not rel.startswith("notebooks/") or not rel.endswith(".ipynb"):
        raise ValueError(f"expected a notebooks/**/*.ipynb path, got {rel!r}")
    return (
        f"https://colab.research.google.com/github/{GITHUB_REPO}/blob/"
        f"{GITHUB_BRANCH}/{rel}"
    )


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
