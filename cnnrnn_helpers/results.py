"""Recording the figures a notebook's answers discuss, and reporting them.

A notebook calls :func:`record` for every figure its answers talk about (an
accuracy, an error, a parameter count, seconds per epoch, a speed-up), with
the sheet's own figure as ``sheet=`` where the sheet states one.  Before the
Answers section, :func:`table` shows everything recorded so far, next to the
data source of the dataset behind each figure.  The answers then refer to
that table (or print verdicts computed from :func:`value`), so every
statement about an outcome can be checked against the same notebook's output.

Records live in the kernel.  When the environment variable
``CNNRNN_RESULTS_FILE`` names a file (``cnnrnn run`` sets it for every
notebook it executes), each record and each data source is also appended to
that file as one JSON line, so the runner can collect them into
``results.json`` even when a notebook fails half-way.

Data sources are noted automatically: every loader's :class:`Dataset` and
every generator call reports ``real``, ``stand-in`` or ``generated`` through
:func:`note_source`.

Examples
--------
>>> from cnnrnn_helpers import results
>>> results.clear()
>>> results.note_source("mnist", "stand-in")
>>> results.record("test accuracy", 0.9712, sheet=0.9551)
0.9712
>>> results.value("test accuracy")
0.9712
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "RESULTS_FILE_ENV",
    "SOURCES",
    "Record",
    "Table",
    "clear",
    "format_duration",
    "markdown_report",
    "note",
    "note_precision",
    "note_source",
    "read_events",
    "read_note",
    "read_precision",
    "record",
    "records",
    "sources",
    "table",
    "value",
]

#: Where a data source can come from: a real dataset, an offline stand-in, or
#: our own generators (the lab's shapes and pulses, the sum series, the
#: variable-length sequences: those tasks' actual data).
SOURCES: tuple[str, ...] = ("real", "stand-in", "generated")
#: Environment variable naming the JSON-lines file that records go to.
RESULTS_FILE_ENV = "CNNRNN_RESULTS_FILE"

Scalar = int | float | str | bool | None


@dataclass(frozen=True)
class Record:
    """One recorded figure.

    Attributes
    ----------
    name
        What it is, e.g. ``"CNN test accuracy (evaluate)"``.
    value
        The figure this run computed (int, float, bool or short string).
    sheet
        The sheet's own figure, if it states one (number or text such as
        ``"about 0.98"``); ``None`` otherwise.
    unit
        Unit text, e.g. ``"s"``, ``"params"``; empty for fractions.
    data
        Name of the dataset behind the figure (``""`` if none, e.g. a
        parameter count).
    """

    name: str
    value: Scalar
    sheet: Scalar = None
    unit: str = ""
    data: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready dict (keys name, value, sheet, unit, data)."""
        return {
            "name": self.name,
            "value": self.value,
            "sheet": self.sheet,
            "unit": self.unit,
            "data": self.data,
        }


_RECORDS: dict[str, Record] = {}
_SOURCES: dict[str, str] = {}
_NOTE: list[str] = []
_LAST_DATASET: list[str] = []


def _scalar(value: Any, what: str) -> Scalar:
    """Turn Python/NumPy scalars (and 0-d or 1-element arrays) into JSON values."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if hasattr(value, "shape") and getattr(value, "size", None) == 1:
        value = value.reshape(()).item() if hasattr(value, "reshape") else value
        return _scalar(value, what)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return str(number)  # "nan", "inf": JSON has no such numbers
        return number
    raise TypeError(
        f"{what} must be a number, a bool or a short text, "
        f"got {type(value).__name__}: {value!r}"
    )


def _append_event(event: dict[str, Any]) -> None:
    target = os.environ.get(RESULTS_FILE_ENV)
    if not target:
        return
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event) + "\n")


def note_source(dataset: str, source: str) -> None:
    """Note that ``dataset`` was loaded from ``source`` in this kernel.

    Called by the loaders and generators; notebooks need not call it.

    Parameters
    ----------
    dataset
        Dataset name, e.g. ``"fashion_mnist"``.
    source
        One of :data:`SOURCES`.
    """
    if not isinstance(dataset, str) or not dataset:
        raise TypeError(f"dataset must be a non-empty str, got {dataset!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if _SOURCES.get(dataset) != source:
        _append_event({"kind": "source", "dataset": dataset, "source": source})
    _SOURCES[dataset] = source
    if dataset in _LAST_DATASET:
        _LAST_DATASET.remove(dataset)
    _LAST_DATASET.append(dataset)


def record(
    name: str,
    value: Any,
    *,
    sheet: Any = None,
    unit: str = "",
    data: Any = None,
) -> Any:
    """Record one figure that an answer discusses, and return ``value`` unchanged.

    Recording the same ``name`` again replaces the earlier figure (a re-run
    cell does not duplicate it) but keeps its place in the table.

    Parameters
    ----------
    name
        Short description, unique within the notebook.
    value
        The figure: a Python or NumPy number (0-d arrays too), a bool, or a
        short text.  Non-finite floats are kept as the texts ``"nan"``/``"inf"``.
    sheet
        The sheet's own figure where the sheet states one, else ``None``.
    unit
        Unit text, e.g. ``"s"``, ``"params"``, ``"x"``; empty for fractions.
    data
        The dataset behind the figure: a :class:`~cnnrnn_helpers.data.Dataset`,
        a dataset name, or ``""`` for figures that depend on no data
        (parameter counts).  ``None``: the dataset loaded last in this kernel.

    Returns
    -------
    The ``value`` argument, so ``acc = results.record("acc", evaluate(...))``
    works.

    Raises
    ------
    TypeError
        If ``name`` or ``unit`` is not a str, or a value is not a scalar.
    ValueError
        If ``name`` is empty.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not name.strip():
        raise ValueError("name must not be empty")
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a str, got {type(unit).__name__}")
    if data is None:
        data_name = _LAST_DATASET[-1] if _LAST_DATASET else ""
    elif isinstance(data, str):
        data_name = data
    elif hasattr(data, "name") and isinstance(data.name, str):
        data_name = data.name
    else:
        raise TypeError(
            f"data must be a Dataset, a dataset name or '', got {type(data).__name__}"
        )
    rec = Record(
        name=name,
        value=_scalar(value, "value"),
        sheet=_scalar(sheet, "sheet"),
        unit=unit,
        data=data_name,
    )
    _RECORDS[name] = rec
    _append_event({"kind": "record", **rec.as_dict()})
    return value


def note(text: str) -> None:
    """Say in one line where this notebook's figures differ from the sheet's, and why.

    For example ``results.note("stand-in data; 3 epochs instead of the
    sheet's 5 in quick")``.  Shown under the notebook's entry in the run's
    index and in ``cnnrnn results``; a later call replaces an earlier one.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    _NOTE[:] = [text.strip()]
    _append_event({"kind": "note", "text": text.strip()})


def note_precision(policy: str) -> None:
    """Note the Keras dtype policy this kernel trains with (for ``results.json``).

    Called by :func:`cnnrnn_helpers.config.apply_precision`; notebooks need
    not call it.

    Parameters
    ----------
    policy
        The policy's name, e.g. ``"float32"`` or ``"mixed_bfloat16"``.
    """
    if not isinstance(policy, str) or not policy:
        raise TypeError(f"policy must be a non-empty str, got {policy!r}")
    _append_event({"kind": "precision", "policy": policy})


def value(name: str) -> Scalar:
    """The value recorded under ``name`` (``KeyError`` naming it if missing)."""
    try:
        return _RECORDS[name].value
    except KeyError:
        known = ", ".join(repr(k) for k in _RECORDS) or "none yet"
        raise KeyError(f"no figure recorded as {name!r}; recorded: {known}") from None


def records() -> list[Record]:
    """Every figure recorded in this kernel, in the order first recorded."""
    return list(_RECORDS.values())


def sources() -> dict[str, str]:
    """``{dataset name: "real" | "stand-in" | "generated"}`` noted in this kernel."""
    return dict(_SOURCES)


def clear() -> None:
    """Forget every record and data source of this kernel (tests, re-runs)."""
    _RECORDS.clear()
    _SOURCES.clear()
    _LAST_DATASET.clear()
    _NOTE.clear()


def _fmt(x: Scalar) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10000 else str(x)
    if isinstance(x, float):
        if x == 0:
            return "0"
        if abs(x) >= 1000 or abs(x) < 1e-3:
            return f"{x:.4g}"
        return f"{x:.4f}".rstrip("0").rstrip(".") if abs(x) < 1 else f"{x:.4g}"
    return str(x)


def _rows(recs: Sequence[Mapping[str, Any]], srcs: Mapping[str, str]) -> list[list]:
    rows = []
    for r in recs:
        data = r.get("data") or ""
        label = f"{data} ({srcs[data]})" if data in srcs else data or "-"
        unit = r.get("unit") or ""
        val = _fmt(r.get("value"))
        sheet = _fmt(r.get("sheet"))
        rows.append(
            [
                r["name"],
                f"{val} {unit}".strip(),
                f"{sheet} {unit}".strip() if sheet else "",
                label,
            ]
        )
    return rows


_HEADER = ["figure", "this run", "sheet", "data"]


def _markdown_table(rows: list[list]) -> str:
    def esc(text: str) -> str:
        return str(text).replace("|", "\\|")

    lines = [
        "| " + " | ".join(_HEADER) + " |",
        "|" + "|".join(["---"] * len(_HEADER)) + "|",
    ]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(rows: list[list]) -> str:
    import html

    head = "".join(f"<th>{h}</th>" for h in _HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Table:
    """The figures recorded so far; shows as a table in Jupyter and as text.

    Attributes
    ----------
    rows
        One ``[figure, this run, sheet, data]`` list of texts per record.
    """

    def __init__(self, recs: Sequence[Mapping[str, Any]], srcs: Mapping[str, str]):
        self.rows = _rows(recs, srcs)

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        return _html_table(self.rows)

    def _repr_markdown_(self) -> str:
        return _markdown_table(self.rows)

    def __repr__(self) -> str:
        if not self.rows:
            return "(no figures recorded yet)"
        rows = [_HEADER, *self.rows]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)


def table() -> Table:
    """The figures recorded so far in this kernel, with their data sources.

    Put it as the last expression of the cell before the Answers section; it
    renders as an HTML table in Jupyter and as aligned text elsewhere.
    Columns: the figure's name, this run's value, the sheet's figure (empty
    where the sheet states none) and the dataset behind it with its source
    (real, stand-in or generated).
    """
    return Table([r.as_dict() for r in _RECORDS.values()], _SOURCES)


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
    path = Path(path)
    if not path.exists():
        return [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("kind") == "record":
            event.pop("kind")
            recs[event["name"]] = event
        elif event.get("kind") == "source":
            srcs[event["dataset"]] = event["source"]
    return list(recs.values()), srcs


def _last_event(path: str | os.PathLike, kind: str, key: str) -> str:
    """``event[key]`` of the last event of ``kind`` in a results file, or ``""``."""
    text = ""
    path = Path(path)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event.get("kind") == kind:
                text = event.get(key, "")
    return text


def read_note(path: str | os.PathLike) -> str:
    """The last :func:`note` in a ``CNNRNN_RESULTS_FILE`` (``""`` if none)."""
    return _last_event(path, "note", "text")


def read_precision(path: str | os.PathLike) -> str:
    """The last :func:`note_precision` in a ``CNNRNN_RESULTS_FILE`` (``""`` if none)."""
    return _last_event(path, "precision", "policy")


def format_duration(seconds: float) -> str:
    """A wall time for people: ``"45 s"``, ``"21 min 31 s"``, ``"1 h 10 min"``.

    ``seconds`` is rounded to whole seconds (any real number >= 0; NumPy
    scalars accepted); from one hour on, seconds are left out.
    """
    seconds = round(float(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


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
        A document in the ``results.json`` schema (see :mod:`cnnrnn_helpers.cli`).
    only
        Path fragments; when given, only the notebooks whose path contains one.
    differs
        ``{notebook path: paragraph}``: each notebook's own statement of where
        it differs from the sheet (see
        :func:`cnnrnn_helpers.notebooks.differs_paragraph`), printed under its
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
        srcs = nb.get("sources") or {}
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
        recs = nb.get("results") or []
        if recs:
            out += ["", _markdown_table(_rows(recs, srcs))]
    return "\n".join(out) + "\n"
