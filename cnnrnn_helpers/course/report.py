"""The results report: reading what kernels recorded, and pages of it.

The library half lives in :mod:`cnnrnn_helpers.results` (``record``,
``value``, ``table``, ``note``): a kernel appends JSON lines to
``CNNRNN_RESULTS_FILE``.  This module is the runner's half: it reads those
lines back (:func:`read_events`, :func:`read_note`,
:func:`read_precision`) and turns a
``results.json`` document into Markdown (:func:`markdown_report`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..results import _markdown_table, _rows, source_labels
from ..terminal import format_duration

__all__ = [
    "format_duration",
    "markdown_report",
    "read_conclusions",
    "read_events",
    "read_note",
    "read_origins",
    "read_precision",
]


def _events(path: str | os.PathLike) -> Iterator[dict]:
    """The events of a ``CNNRNN_RESULTS_FILE`` in order (none for a missing file).

    A line that is not JSON (the torn last line of a kernel killed mid-write)
    is skipped.
    """
    path = Path(path)
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue


def read_events(path: str | os.PathLike) -> tuple[list[dict], dict[str, str]]:
    """Read a ``CNNRNN_RESULTS_FILE`` written by a kernel.

    Returns
    -------
    (records, sources)
        The records (dicts with name, value, sheet, unit, data; the last one
        recorded under each name, in the order first recorded) and the data
        sources.  A missing file gives two empty results; a torn last line
        (kernel killed mid-write) is skipped.
    """
    recs: dict[str, dict] = {}
    srcs: dict[str, str] = {}
    for event in _events(path):
        if event.get("kind") == "record":
            event.pop("kind")
            recs[event["name"]] = event
        elif event.get("kind") == "source":
            srcs[event["dataset"]] = event["source"]
    return list(recs.values()), srcs


def _last_event(path: str | os.PathLike, kind: str, key: str) -> str:
    """``event[key]`` of the last event of ``kind`` in a results file, or ``""``."""
    text = ""
    for event in _events(path):
        if event.get("kind") == kind:
            text = event.get(key, "")
    return text


def read_origins(path: str | os.PathLike) -> dict[str, str]:
    """The local-copy origins in a ``CNNRNN_RESULTS_FILE``.

    ``{dataset: origin}``, e.g. ``{"fashion_mnist": "Debian package
    dataset-fashion-mnist"}`` (see :func:`cnnrnn_helpers.results.origins`); a
    later load of the same dataset without an origin removes it.
    """
    found: dict[str, str] = {}
    for event in _events(path):
        if event.get("kind") == "source":
            if event.get("origin"):
                found[event["dataset"]] = event["origin"]
            else:
                found.pop(event["dataset"], None)
    return found


def read_note(path: str | os.PathLike) -> str:
    """The last :func:`note` in a ``CNNRNN_RESULTS_FILE`` (``""`` if none)."""
    return _last_event(path, "note", "text")


def read_precision(path: str | os.PathLike) -> str:
    """The policy of the last ``note_precision`` in a results file (``""`` if none).

    :func:`cnnrnn_helpers.config.apply_precision` notes the Keras dtype policy
    it puts in force (:func:`cnnrnn_helpers.results.note_precision`).
    """
    return _last_event(path, "precision", "policy")


def read_conclusions(path: str | os.PathLike) -> dict[str, str]:
    """The :func:`~cnnrnn_helpers.results.conclude` sentences in a results file.

    Returns ``{key: sentence}`` in the order first concluded (a later sentence
    under the same key replaces the earlier one); ``{}`` for a missing file.
    """
    return {
        str(event.get("key", "")): str(event.get("text", ""))
        for event in _events(path)
        if event.get("kind") == "conclusion"
    }


def _sheet_of(path: str) -> str:
    parts = Path(path).parts
    for part in parts:
        if part.startswith("s") and part[1:3].isdigit():
            return part
    return "general"


def markdown_report(
    doc: Mapping[str, Any],
    *,
    only: Iterable[str] = (),
    differs: Mapping[str, str] | None = None,
    summary: bool = True,
) -> str:
    """The results of a ``results.json`` document as Markdown.

    One section per notebook, grouped by sheet folder: title, status, wall
    time, data sources, where the notebook differs from its sheet, the run's
    note and the table of recorded figures beside the sheet's.

    Parameters
    ----------
    doc
        A document in the ``results.json`` schema (see
        :mod:`cnnrnn_helpers.course.cli`).
    only
        Path fragments; when given, only the notebooks whose path contains one.
    differs
        ``{notebook path: paragraph}``: each notebook's own statement of where
        it differs from the sheet (see
        :func:`cnnrnn_helpers.course.runner.differs_paragraph`), printed under its
        heading.  Missing paths print nothing.
    summary
        Start with the profile, data mode, commits, machine and the total
        (False when the page around it gives them already).
    """
    differs = dict(differs or {})
    only = list(only)
    notebooks = [
        nb
        for nb in doc.get("notebooks", [])
        if not only or any(o in nb["path"] for o in only)
    ]
    machine = doc.get("machine", {})
    total = sum(float(nb.get("seconds") or 0) for nb in notebooks)
    ok = sum(nb.get("status") == "ok" for nb in notebooks)
    out = [
        f"Profile `{doc.get('profile')}`, data `{doc.get('data')}`, commit "
        f"`{doc.get('commit')}`, {machine.get('cpus')} CPU cores, GPU: "
        f"{machine.get('gpu') or 'none'}.",
        "",
        f"**{ok}/{len(notebooks)} notebooks ok, {total / 60:.1f} min in all.**",
    ]
    if not summary:
        out = []
    current = None
    for nb in notebooks:
        sheet = _sheet_of(nb["path"])
        if sheet != current:
            out += ["", f"## {sheet}"]
            current = sheet
        srcs = source_labels(nb.get("sources") or {}, nb.get("origins"))
        src_text = ", ".join(f"{k}: {v}" for k, v in srcs.items()) or "no dataset"
        title = nb.get("title") or Path(nb["path"]).stem
        out += [
            "",
            f"### {title}",
            "",
            f"`{nb['path']}` · {nb.get('status')} · "
            f"{format_duration(float(nb.get('seconds') or 0))} · data: {src_text}"
            + (f" · run {nb['date']} at `{nb['commit']}`" if nb.get("date") else ""),
        ]
        if differs.get(nb["path"]):
            out += ["", differs[nb["path"]]]
        if nb.get("note"):
            out += ["", f"*Note of the run:* {nb['note']}"]
        found = nb.get("conclusions") or {}
        if found:
            out += ["", "Conclusions of this run:", ""]
            out += [f"* **{key}** {text}" for key, text in found.items()]
        recs = nb.get("results") or []
        if recs:
            out += ["", _markdown_table(_rows(recs, srcs))]
    return "\n".join(out) + "\n"
