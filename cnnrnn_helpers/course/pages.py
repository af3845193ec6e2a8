"""Results pages of a run: the time table, ``results.json``, the HTML index and
``docs/RESULTS.md`` (merged runs, measured times, the notebooks' differences).
"""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import nbformat

from ..results import Table, source_labels
from .execute import RunResult, git_commit, machine_info
from .finding import notebook_relpath, notebooks_dir
from .report import format_duration

__all__ = [
    "DIFFERS_PREFIX",
    "differs_paragraph",
    "format_table",
    "measured_times",
    "merge_documents",
    "notebook_differs",
    "results_document",
    "results_page",
    "write_index",
    "write_results_json",
]


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
    "commit", "sources": {dataset: source}, "results": [{"name", "value",
    "sheet", "unit", "data"}]}]}``.  When ``previous`` (an earlier document of
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
        rel = notebook_relpath(r.path).as_posix()
        entries[rel] = {
            "path": rel,
            "title": r.title,
            "seconds": round(r.seconds, 1),
            "status": r.status,
            "error": r.error,
            "date": r.date or today,
            "commit": r.commit or commit,
            "precision": r.precision,
            "sources": dict(r.sources),
            **({"origins": dict(r.origins)} if r.origins else {}),
            "results": list(r.records),
            "note": r.note,
            "conclusions": dict(r.conclusions),
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
        rel = notebook_relpath(r.path)
        sheet = rel.parts[1] if len(rel.parts) > 2 else "general"
        link = r.html or r.executed
        href = esc(str(link.relative_to(out_dir))) if link else ""
        title = esc(r.title or r.path.stem)
        head = f'<a href="{href}">{title}</a>' if href else title
        status = "ok" if r.ok else f"FAILED: {esc(r.error)}"
        labels = source_labels(r.sources, r.origins)
        srcs = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in labels.items())
        figures = Table(r.records, labels)._repr_html_() if r.records else ""
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
