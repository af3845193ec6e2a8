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

import contextlib
import html
import json
import numbers
import os
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from .. import config
from ..results import RESULTS_FILE_ENV, Table
from . import project
from .report import format_duration

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
    "measured_times",
    "notebooks_dir",
    "prepare_notebook",
    "refresh_notebook",
    "results_document",
    "run_notebooks",
    "run_time_line",
    "stamp_run_times",
    "stray_outputs",
    "tidy_metadata",
    "write_index",
    "write_results_json",
]

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"

#: GitHub ``owner/name`` and the release tag the "Open in Colab" links and the
#: install cell point to; both come from ``pyproject.toml`` (``[project.urls]
#: Repository`` and ``version``), see :mod:`cnnrnn_helpers.course.project`.
GITHUB_REPO = project.github_repo()
GITHUB_BRANCH = project.release_tag()
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


#: Default per-cell time limit in seconds by profile (``None``: no limit).  The
#: sheet's exact parameters (``full``) can keep one cell busy for an hour on a
#: 2-core CPU, so ``full`` has none; ``quick`` and ``smoke`` stop a hung cell.
DEFAULT_TIMEOUTS: dict[str, int | None] = {"full": None, "quick": 900, "smoke": 900}
#: Seconds between progress lines while one notebook runs.
HEARTBEAT_SECONDS = 60.0


@dataclass
class RunResult:
    """Outcome of executing one notebook.

    Attributes
    ----------
    path
        The source notebook.
    ok
        True if every cell ran without error.
    seconds
        Wall time of the whole notebook.
    data
        Summary of the data sources: ``"real"``, ``"stand-in"``,
        ``"generated"``, ``"mixed"`` or ``"-"`` (no dataset loaded).
    error
        The last line of the error, empty when ``ok``.
    executed, html
        Where the executed copy and its HTML rendering were written.
    title
        The notebook's ``# title`` line (without the ``#``).
    sources
        ``{dataset: "real" | "stand-in" | "generated"}`` noted by the kernel.
    records
        The figures the notebook recorded with :func:`cnnrnn_helpers.results.record`.
    note
        The notebook's :func:`cnnrnn_helpers.results.note` (how its figures
        differ from the sheet's, and why), or ``""``.
    conclusions
        ``{key: sentence}`` of the notebook's
        :func:`cnnrnn_helpers.results.conclude` calls.
    precision
        The Keras dtype policy the kernel trained with (``"float32"``,
        ``"mixed_bfloat16"``, ...; ``""`` if it set none).
    commit, date
        The checkout's commit and the date (YYYY-MM-DD) when the run started.
    """

    path: Path
    ok: bool
    seconds: float
    data: str = "-"
    error: str = ""
    executed: Path | None = None
    html: Path | None = None
    title: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)
    note: str = ""
    conclusions: dict[str, str] = field(default_factory=dict)
    precision: str = ""
    commit: str = ""
    date: str = ""

    @property
    def status(self) -> str:
        """``"ok"`` or ``"failed"``."""
        return "ok" if self.ok else "failed"


def data_label(sources: dict[str, str]) -> str:
    """One word for a notebook's data sources: the common source, "mixed" or "-"."""
    kinds = sorted(set(sources.values()))
    if not kinds:
        return "-"
    return kinds[0] if len(kinds) == 1 else "mixed"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The text of the first ``# `` line of the first cell, or ``""``."""
    if not nb.cells:
        return ""
    for line in nb.cells[0].get("source", "").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _first_line(source: str, width: int = 60) -> str:
    for line in source.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line if len(line) <= width else line[: width - 1] + "…"
    return "(comments only)"


def _minutes(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class _Progress:
    """Which cell a kernel is in, reported by a timer thread every ``every`` s."""

    def __init__(self, name: str, n_cells: int, echo, every: float) -> None:
        self.name, self.n_cells, self.echo, self.every = name, n_cells, echo, every
        self.cell: tuple[int, str, float] | None = None
        self.start = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> _Progress:
        if self.every > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def entered(self, index: int, source: str) -> None:
        self.cell = (index, _first_line(source), time.perf_counter())

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            now = time.perf_counter()
            if self.cell is None:
                self.echo(
                    f"  ... {self.name}: starting the kernel "
                    f"({_minutes(now - self.start)})"
                )
                continue
            index, first, since = self.cell
            self.echo(
                f"  ... {self.name}: cell {index + 1}/{self.n_cells} for "
                f"{_minutes(now - since)} (notebook {_minutes(now - self.start)}): "
                f"{first}"
            )


def _client_class():
    from nbclient import NotebookClient

    class _ReportingClient(NotebookClient):
        """An nbclient client that tells a :class:`_Progress` which cell runs."""

        progress: _Progress | None = None

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            if self.progress is not None and cell.get("cell_type") == "code":
                self.progress.entered(cell_index, cell.get("source", ""))
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

    return _ReportingClient


def execute_notebook(
    path: Path,
    *,
    profile: str,
    data: str,
    timeout: int | str | None = "default",
    kernel_log: Path | None = None,
    results_file: Path | None = None,
    echo=None,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> tuple[nbformat.NotebookNode, RunResult]:
    """Execute one notebook in a fresh kernel with the given profile and data mode.

    The kernel inherits this process's environment plus ``CNNRNN_PROFILE``,
    ``CNNRNN_DATA`` and ``CNNRNN_RESULTS_FILE``.  The working directory is the
    notebook's folder.  The kernel process's own stderr (TensorFlow's C++
    start-up lines, which never reach the notebook) goes to ``kernel_log`` if
    given, else is discarded.

    Parameters
    ----------
    path
        The notebook to run (not modified).
    profile, data
        Values for ``CNNRNN_PROFILE`` and ``CNNRNN_DATA``.
    timeout
        Per-cell limit in seconds; ``None`` or ``0``: no limit; ``"default"``:
        :data:`DEFAULT_TIMEOUTS` of the profile.
    kernel_log
        File for the kernel's own stderr.
    results_file
        JSON-lines file the kernel's :mod:`cnnrnn_helpers.results` writes to
        (replaced at the start); a temporary file when ``None``.
    echo
        Callable taking one line; gets a progress line every ``heartbeat``
        seconds naming the running cell.  ``None``: silent.
    heartbeat
        Seconds between progress lines (0: none).

    Returns
    -------
    (notebook, RunResult)
        The executed notebook (outputs filled in, also on failure) and the
        outcome with wall time, data sources and recorded figures.
    """
    from nbclient.exceptions import CellExecutionError

    from . import report as results_mod

    if profile not in config.PROFILES:
        raise ValueError(f"profile must be one of {config.PROFILES}, got {profile!r}")
    if data not in config.DATA_MODES:
        raise ValueError(f"data must be one of {config.DATA_MODES}, got {data!r}")
    if timeout == "default":
        timeout = DEFAULT_TIMEOUTS[profile]
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, numbers.Real)
        or not timeout >= 0
    ):
        raise ValueError(f"timeout must be None or seconds >= 0, got {timeout!r}")
    timeout = int(timeout) if timeout else None
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with contextlib.ExitStack() as stack:
        if results_file is None:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="cnnrnn-run-"))
            results_file = Path(tmp) / "results.jsonl"
        results_file = Path(results_file)
        results_file.unlink(missing_ok=True)
        env = {
            "CNNRNN_PROFILE": profile,
            "CNNRNN_DATA": data,
            RESULTS_FILE_ENV: str(results_file),
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        client = _client_class()(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        progress = _Progress(
            path.name, len(nb.cells), echo or (lambda _: None), heartbeat if echo else 0
        )
        client.progress = progress
        start = time.perf_counter()
        error = ""
        log = open(kernel_log, "w") if kernel_log else open(os.devnull, "w")  # noqa: SIM115
        try:
            with progress:
                client.execute(stderr=log)
        except CellExecutionError as exc:
            text = str(exc).strip()
            error = text.splitlines()[-1] if text else repr(exc)
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
        records, sources = results_mod.read_events(results_file)
        note = results_mod.read_note(results_file)
        conclusions = results_mod.read_conclusions(results_file)
        precision = results_mod.read_precision(results_file)
    result = RunResult(
        path=path,
        ok=not error,
        seconds=seconds,
        error=error,
        data=data_label(sources),
        title=notebook_title(nb),
        sources=sources,
        records=records,
        note=note,
        conclusions=conclusions,
        precision=precision,
    )
    return nb, result


def _to_html(nb: nbformat.NotebookNode, mathjax_url: str | None = None) -> str:
    """The notebook as one HTML page; MathJax from ``mathjax_url`` when given."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(mathjax_url=mathjax_url) if mathjax_url else HTMLExporter()
    body, _ = exporter.from_notebook_node(nb)
    return body


def _relative(path: Path) -> Path:
    root = notebooks_dir().parent
    try:
        return Path(path).resolve().relative_to(root)
    except ValueError:
        return Path(Path(path).name)


def run_notebooks(
    paths: Iterable[Path],
    *,
    profile: str,
    data: str,
    out_dir: Path,
    html_copies: bool = True,
    timeout: int | str | None = "default",
    echo=print,
    heartbeat: float = HEARTBEAT_SECONDS,
    on_result=None,
) -> list[RunResult]:
    """Execute notebooks one after another and write the executed copies.

    ``on_result``, if given, is called with the list of results so far after
    each notebook (``cnnrnn run`` updates ``results.json`` and the index
    there, so an interrupted long run keeps what it finished).

    Executed notebooks go to ``out_dir/<relative path>.ipynb`` (and ``.html``);
    the source notebooks are not modified.  A line is echoed when each
    notebook starts and ends (name, seconds, status), and every ``heartbeat``
    seconds while one runs.  A failing notebook does not stop the others.
    """
    paths = [Path(p).resolve() for p in paths]
    commit, date = git_commit(), time.strftime("%Y-%m-%d")
    results = []
    for number, path in enumerate(paths, 1):
        rel = _relative(path)
        echo(f"[{number}/{len(paths)}] {rel} (profile={profile}, data={data}) ...")
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        nb, result = execute_notebook(
            path,
            profile=profile,
            data=data,
            timeout=timeout,
            kernel_log=target.with_suffix(".kernel.log"),
            results_file=target.with_suffix(".results.jsonl"),
            echo=echo,
            heartbeat=heartbeat,
        )
        nbformat.write(nb, target)
        result.executed = target
        result.commit, result.date = commit, date
        if html_copies:
            try:
                from . import assets

                result.html = target.with_suffix(".html")
                mathjax = assets.offline_mathjax_url(out_dir, result.html)
                result.html.write_text(_to_html(nb, mathjax), encoding="utf-8")
            except Exception as exc:  # HTML is a convenience, never fatal
                echo(f"  (no HTML copy: {exc})")
                result.html = None
        status = "ok" if result.ok else f"FAILED: {result.error}"
        echo(
            f"[{number}/{len(paths)}] {rel}: {result.seconds:.1f} s, {status}, "
            f"{len(result.records)} figure(s) recorded, data {result.data}"
        )
        results.append(result)
        if on_result is not None:
            on_result(list(results))
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


def git_commit(root: Path | None = None) -> str:
    """The checkout's short commit id (``+dirty`` with local changes), or "unknown"."""
    root = root or config.repo_root() or Path.cwd()
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine_info() -> dict[str, Any]:
    """``{"cpus": int, "gpu": [device names]}`` of this machine (no TF import)."""
    gpus: list[str] = []
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0:
            gpus = [line.strip() for line in out.stdout.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    return {"cpus": os.cpu_count(), "gpu": gpus}


def results_document(
    results: Sequence[RunResult],
    *,
    profile: str,
    data: str,
    previous: dict | None = None,
) -> dict[str, Any]:
    """The ``results.json`` document of a run (merged into ``previous`` if given).

    Schema: ``{"profile", "data", "commit", "machine": {"cpus", "gpu"},
    "notebooks": [{"path", "title", "seconds", "status", "error", "date",
    "commit", "precision", "sources": {dataset: source}, "results": [{"name",
    "value", "sheet", "unit", "data"}]}]}``.  When ``previous`` (an earlier document of
    the same profile and data mode) is given, its notebooks that this run did
    not execute are kept, so a run may be split over several invocations;
    every notebook entry carries the date and commit it was run at.

    Raises
    ------
    ValueError
        If ``previous`` has another profile or data mode.
    """
    commit = git_commit()
    today = time.strftime("%Y-%m-%d")
    entries: dict[str, dict] = {}
    if previous:
        if (previous.get("profile"), previous.get("data")) != (profile, data):
            raise ValueError(
                f"cannot merge a {profile}/{data} run into a "
                f"{previous.get('profile')}/{previous.get('data')} results file"
            )
        entries = {nb["path"]: nb for nb in previous.get("notebooks", [])}
    for r in results:
        rel = _relative(r.path).as_posix()
        entries[rel] = {
            "path": rel,
            "title": r.title,
            "seconds": round(r.seconds, 1),
            "status": r.status,
            "error": r.error,
            "date": r.date or today,
            "commit": r.commit or commit,
            "sources": dict(r.sources),
            "results": list(r.records),
            "note": r.note,
            "conclusions": dict(r.conclusions),
            "precision": r.precision,
        }
    commits = sorted({nb.get("commit", "unknown") for nb in entries.values()})
    return {
        "profile": profile,
        "data": data,
        "commit": commits[0] if len(commits) == 1 else ", ".join(commits),
        "machine": machine_info(),
        "notebooks": [entries[k] for k in sorted(entries)],
    }


def write_results_json(
    results: Sequence[RunResult], out_dir: Path, *, profile: str, data: str
) -> Path:
    """Write (or update) ``out_dir/results.json`` atomically and return its path.

    An existing file of the same profile and data mode is merged (see
    :func:`results_document`); one of another run kind is replaced.
    """
    target = Path(out_dir) / "results.json"
    previous = None
    if target.exists():
        try:
            previous = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            previous = None
        if previous and (previous.get("profile"), previous.get("data")) != (
            profile,
            data,
        ):
            previous = None
    doc = results_document(results, profile=profile, data=data, previous=previous)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return target


def write_index(
    results: Sequence[RunResult], out_dir: Path, *, profile: str, data: str
) -> Path:
    """Write ``out_dir/index.html``: notebooks grouped by sheet, with their figures.

    Each notebook shows its title (linked to the executed HTML copy), status,
    wall time, data sources and the table of figures it recorded beside the
    sheet's own figures.
    """

    esc = html.escape
    sections: dict[str, list[str]] = {}
    for r in results:
        rel = _relative(r.path)
        sheet = rel.parts[1] if len(rel.parts) > 2 else "general"
        link = r.html or r.executed
        href = esc(str(link.relative_to(out_dir))) if link else ""
        title = esc(r.title or r.path.stem)
        head = f'<a href="{href}">{title}</a>' if href else title
        status = "ok" if r.ok else f"FAILED: {esc(r.error)}"
        srcs = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in r.sources.items())
        figures = (
            Table(r.records, r.sources)._repr_html_() if r.records else ""
        )
        css = "ok" if r.ok else "bad"
        sections.setdefault(sheet, []).append(
            f"<section><h3>{head}</h3><p class='meta'><code>{esc(str(rel))}</code>"
            f" · <b class='{css}'>{status}</b> · {r.seconds:.1f} s · "
            f"data: {srcs or 'no dataset'}</p>"
            + (f"<p>{esc(r.note)}</p>" if r.note else "")
            + f"{figures}</section>"
        )
    body = "".join(
        f"<h2>{esc(sheet)}</h2>" + "".join(items) for sheet, items in sections.items()
    )
    total = sum(r.seconds for r in results)
    page = (
        "<!doctype html><meta charset='utf-8'><title>cnnrnn notebooks</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "td,th{padding:3px 10px;text-align:left}th{border-bottom:1px solid #888}"
        ".ok{color:#060}.bad{color:#b00}.meta{color:#444}</style>"
        f"<h1>cnnrnn notebooks</h1><p>profile <b>{esc(profile)}</b>, data "
        f"<b>{esc(data)}</b>: {sum(r.ok for r in results)}/{len(results)} ok, "
        f"{total / 60:.1f} min. Figures: this run beside the sheet's own; "
        "'stand-in' data are offline look-alikes, not the real datasets.</p>" + body
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


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


def measured_times(docs: Iterable[dict]) -> dict[str, dict[str, float]]:
    """``{notebook path: {profile: seconds}}`` of the ok runs in results documents.

    A later document overrides an earlier one for the same notebook and profile.
    """
    times: dict[str, dict[str, float]] = {}
    for doc in docs:
        for nb in doc.get("notebooks", []):
            if nb.get("status") == "ok":
                times.setdefault(nb["path"], {})[doc["profile"]] = float(nb["seconds"])
    return times


_STRAY_TEXT = ("<Figure size", "<Axes", "array([<Axes", "(<Figure", "[<matplotlib")


DIFFERS_PREFIX = "**Differs from the sheet.**"


def differs_paragraph(nb: nbformat.NotebookNode) -> str:
    """The title cell's paragraph on where the notebook differs from its sheet.

    It starts with ``**Differs from the sheet.**`` and says what a reader
    comparing our figures with the sheet's must know: stand-in or generated
    data, a fixed seed, deliberate deviations the notebook names.  Returns
    ``""`` if the title cell has none.
    """
    if not nb.cells:
        return ""
    for para in nb.cells[0].get("source", "").split("\n\n"):
        para = para.strip()
        if para.startswith(DIFFERS_PREFIX):
            return " ".join(para.split())
    return ""


def notebook_differs(paths: Iterable[str], root: Path | None = None) -> dict[str, str]:
    """``{path: differs paragraph}`` for the notebooks (paths relative to ``root``).

    ``root`` defaults to the folder that holds ``notebooks/``; a path that is
    not a file there is left out.
    """
    root = notebooks_dir().parent if root is None else Path(root)
    found = {}
    for rel in paths:
        path = root / rel
        if path.is_file():
            text = differs_paragraph(nbformat.read(path, as_version=4))
            if text:
                found[rel] = text
    return found


def merge_documents(docs: Sequence[dict], *, remark: str = "") -> dict[str, Any]:
    """Merge ``results.json`` documents of one profile and data mode.

    A run split over several invocations (or several output folders) becomes
    one document: per notebook the entry of the *last* document that has it,
    each still stamped with its own date and commit.  ``remark`` (e.g. how the
    invocations shared the machine) is kept as the document's ``"remark"`` and
    printed under the total by :func:`results_page`.

    Raises
    ------
    ValueError
        If ``docs`` is empty or mixes profiles or data modes.
    """
    if not docs:
        raise ValueError("docs: expected at least one results document, got none")
    kinds = {(d.get("profile"), d.get("data")) for d in docs}
    if len(kinds) != 1:
        raise ValueError(
            f"docs: expected one profile and data mode, got {sorted(kinds)}"
        )
    entries: dict[str, dict] = {}
    for doc in docs:
        for nb in doc.get("notebooks", []):
            entries[nb["path"]] = nb
    commits = sorted({nb.get("commit", "unknown") for nb in entries.values()})
    profile, data = kinds.pop()
    merged = {
        "profile": profile,
        "data": data,
        "commit": commits[0] if len(commits) == 1 else ", ".join(commits),
        "machine": docs[-1].get("machine", {}),
        "notebooks": [entries[k] for k in sorted(entries)],
    }
    if remark:
        merged["remark"] = remark
    return merged


def results_page(
    doc: dict, *, differs: dict[str, str] | None = None, command: str | None = None
) -> str:
    """A whole Markdown page for a results document (``docs/RESULTS.md``).

    A heading naming the profile and data mode, what the page is and the one
    command that reproduces it, the total wall time, the five slowest
    notebooks, then :func:`cnnrnn_helpers.course.report.markdown_report` (with
    ``differs``, see :func:`notebook_differs`).  With ``command``, the page
    starts with a comment saying it was generated by that command.
    """
    from . import report as results

    profile, data = doc.get("profile"), doc.get("data")
    cpus = doc.get("machine", {}).get("cpus")
    entries = doc.get("notebooks", [])
    total = sum(float(nb.get("seconds") or 0) for nb in entries)
    ok = sum(nb.get("status") == "ok" for nb in entries)
    slowest = sorted(entries, key=lambda nb: -float(nb.get("seconds") or 0))[:5]
    lines = [f"<!-- generated by `{command}`; do not edit -->", ""] if command else []
    lines += [
        f"# Reference run: every notebook in `{profile}`, {data} data",
        "",
        f"What each notebook of the pack computes with the profile `{profile}` "
        f"and how long it takes, measured on a {cpus}-core CPU without a GPU "
        f"with `CNNRNN_DATA={data}`, at the commits `{doc.get('commit')}`.",
    ]
    if data == "offline":
        lines += [
            "",
            "Offline, MNIST, Fashion-MNIST, CIFAR-10, SVHN, the EEG recording and "
            "the TF Hub module are labelled stand-ins, so this is a reference for "
            "comparing runs of the pack, not a benchmark on the real datasets. "
            "The lab's shapes and pulses, the sum series and the variable-length "
            "sequences come from our generators; they are those tasks' real data. "
            "The data column of every table says which figure rests on which.",
        ]
    lines += [
        "",
        "Reproduce it (each notebook's entry below names the date and commit "
        "it ran at):",
        "",
        "```bash",
        f"cnnrnn run --profile {profile} --data {data} --out build/reference",
        "cnnrnn results build/reference/results.json",
        "```",
    ]
    if data == "offline":
        lines += [
            "",
            "With network access, `cnnrnn fetch` and then `cnnrnn run --profile "
            f"{profile} --data auto` give the same tables on the real datasets.",
        ]
    lines += [
        "",
        f"**Total: {ok}/{len(entries)} notebooks ok, {format_duration(total)} of "
        f"wall time in all** (the sum of the notebooks' times).",
        "",
    ]
    if doc.get("remark"):
        lines += [doc["remark"], ""]
    lines += [
        "The five slowest:",
        "",
    ]
    lines += [
        f"{k}. `{nb['path']}`: {format_duration(float(nb.get('seconds') or 0))}"
        for k, nb in enumerate(slowest, start=1)
    ]
    report = results.markdown_report(doc, differs=differs, summary=False)
    return "\n".join(lines) + "\n" + report


def stray_outputs(outputs: Sequence[dict]) -> list[str]:
    """Problems with a cell's outputs that a reader should never see.

    A cell's *result* (``execute_result``) that is a bare ``True``/``False``
    or ``None``-like return value of a set-up call, or a matplotlib Figure or
    Axes (which shows the figure a second time, or its ``<Figure size ...>``
    text), is a stray output.  Returns one message per problem (empty: fine).
    """
    problems = []
    for out in outputs:
        if out.get("output_type") != "execute_result":
            continue
        data = out.get("data", {})
        text = str(data.get("text/plain", "")).strip()
        if text in ("True", "False"):
            problems.append(f"the cell shows a stray return value {text!r}")
        elif text.startswith(_STRAY_TEXT) or "image/png" in data:
            problems.append(
                "the cell's last expression returns a figure, which shows it twice "
                f"({text[:40]!r}); end the line with ';' or assign it"
            )
    return problems
