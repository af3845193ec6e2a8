"""Running notebooks: one in a fresh kernel (:func:`execute_notebook`), or many
with executed copies and HTML under an output folder (:func:`run_notebooks`).
"""

from __future__ import annotations

import contextlib
import numbers
import os
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from .. import config
from ..results import RESULTS_FILE_ENV
from ..terminal import format_duration
from .cells import for_audience
from .finding import notebook_relpath


def _compact(seconds: float) -> str:
    return format_duration(seconds, compact=True)

__all__ = [
    "DEFAULT_TIMEOUTS",
    "HEARTBEAT_SECONDS",
    "RunResult",
    "data_label",
    "execute_notebook",
    "git_commit",
    "machine_info",
    "notebook_title",
    "run_notebooks",
]


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
    origins
        ``{dataset: local copy}`` for real data read from a local copy, e.g.
        ``{"fashion_mnist": "Debian package dataset-fashion-mnist"}``.
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
    origins: dict[str, str] = field(default_factory=dict)
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
                    f"({_compact(now - self.start)})"
                )
                continue
            index, first, since = self.cell
            self.echo(
                f"  ... {self.name}: cell {index + 1}/{self.n_cells} for "
                f"{_compact(now - since)} (notebook {_compact(now - self.start)}): "
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
        # the kernel runs in the notebook's folder: a relative path would
        # land there (or nowhere), so every path is absolute from here on
        results_file = Path(results_file).resolve()
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.unlink(missing_ok=True)
        if kernel_log is not None:
            kernel_log = Path(kernel_log).resolve()
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
        origins = results_mod.read_origins(results_file)
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
        origins=origins,
        precision=precision,
    )
    return nb, result


def _to_html(nb: nbformat.NotebookNode, mathjax_url: str | None = None) -> str:
    """The notebook as one HTML page; MathJax from ``mathjax_url`` when given."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(mathjax_url=mathjax_url) if mathjax_url else HTMLExporter()
    body, _ = exporter.from_notebook_node(nb)
    return body


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
    out_dir = Path(out_dir).resolve()  # before any kernel starts elsewhere
    commit, date = git_commit(), time.strftime("%Y-%m-%d")
    results = []
    for number, path in enumerate(paths, 1):
        rel = notebook_relpath(path)
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
                page = _to_html(for_audience(nb), mathjax)
                result.html.write_text(page, encoding="utf-8")
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
