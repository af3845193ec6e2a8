"""Recording the figures a notebook's answers discuss.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._args import check_float, check_int

__all__ = [
    "RESULTS_FILE_ENV",
    "SOURCES",
    "SPREAD_FACTOR",
    "Comparison",
    "Conclusion",
    "Record",
    "Table",
    "clear",
    "compare",
    "conclude",
    "conclusions",
    "note",
    "note_precision",
    "note_source",
    "origins",
    "record",
    "records",
    "source_labels",
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
    spread
        For a mean over seeds: the sample standard deviation between them
        (``None`` for a single figure).
    n
        For a mean over seeds: how many runs it averages (``None`` otherwise).
    """

    name: str
    value: Scalar
    sheet: Scalar = None
    unit: str = ""
    data: str = ""
    spread: float | None = None
    n: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready dict (name, value, sheet, unit, data; spread
        and n only for a mean over seeds)."""
        out: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "sheet": self.sheet,
            "unit": self.unit,
            "data": self.data,
        }
        if self.n is not None:
            out["spread"] = self.spread
            out["n"] = self.n
        return out


_RECORDS: dict[str, Record] = {}
_SOURCES: dict[str, str] = {}
_ORIGINS: dict[str, str] = {}
_NOTE: list[str] = []
_CONCLUSIONS: dict[str, str] = {}
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


def note_source(dataset: str, source: str, *, origin: str | None = None) -> None:
    """Note that ``dataset`` was loaded from ``source`` in this kernel.

    Called by the loaders and generators; notebooks need not call it.

    Parameters
    ----------
    dataset
        Dataset name, e.g. ``"fashion_mnist"``.
    source
        One of :data:`SOURCES`.
    origin
        For real data from a local copy, where it came from, e.g. ``"Debian
        package dataset-fashion-mnist"``; shown beside the source in the
        table and in ``results.json`` (``"origins"``), see :func:`origins`.
    """
    if not isinstance(dataset, str) or not dataset:
        raise TypeError(f"dataset must be a non-empty str, got {dataset!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if origin is not None and not isinstance(origin, str):
        raise TypeError(f"origin must be a str or None, got {type(origin).__name__}")
    origin = origin or None
    if _SOURCES.get(dataset) != source or _ORIGINS.get(dataset) != origin:
        event = {"kind": "source", "dataset": dataset, "source": source}
        if origin:
            event["origin"] = origin
        _append_event(event)
    _SOURCES[dataset] = source
    if origin:
        _ORIGINS[dataset] = origin
    else:
        _ORIGINS.pop(dataset, None)
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
    spread: Any = None,
    n: Any = None,
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
    spread, n
        For a mean over seeds (see :func:`compare`): the standard deviation
        between the runs and their number; the tables show ``mean ± spread
        (n=…)``.  Both or neither.

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
    if (spread is None) != (n is None):
        raise ValueError("spread and n go together: give both or neither")
    if n is not None:
        n = check_int(n, "n", minimum=1)
        spread = float(check_float(spread, "spread", low=0.0))
    rec = Record(
        name=name,
        value=_scalar(value, "value"),
        sheet=_scalar(sheet, "sheet"),
        unit=unit,
        data=data_name,
        spread=spread,
        n=n,
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


def origins() -> dict[str, str]:
    """``{dataset name: local copy}`` for real data read from a local copy.

    E.g. ``{"fashion_mnist": "Debian package dataset-fashion-mnist"}``;
    datasets from the cache of a download or from a generator are absent.
    """
    return dict(_ORIGINS)


def source_labels(
    srcs: Mapping[str, str], origins_: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``{dataset: "real (Debian package dataset-fashion-mnist)" | "stand-in" ...}``.

    Each source with its origin in parentheses where one is known.
    """
    origins_ = origins_ or {}
    return {
        k: f"{v} ({origins_[k]})" if origins_.get(k) else v for k, v in srcs.items()
    }


def clear() -> None:
    """Forget every record and data source of this kernel (tests, re-runs)."""
    _RECORDS.clear()
    _SOURCES.clear()
    _ORIGINS.clear()
    _LAST_DATASET.clear()
    _NOTE.clear()
    _CONCLUSIONS.clear()


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
        if data in srcs and " (" in srcs[data]:  # a local copy: real (Debian ...)
            label = f"{data}, {srcs[data]}"
        else:
            label = f"{data} ({srcs[data]})" if data in srcs else data or "-"
        unit = r.get("unit") or ""
        val = _fmt(r.get("value"))
        if r.get("n") is not None:
            val = f"{val} ± {_fmt(float(r.get('spread') or 0.0))} (n={r['n']})"
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
    return Table(
        [r.as_dict() for r in _RECORDS.values()], source_labels(_SOURCES, _ORIGINS)
    )


# ----------------------------------------------------------- comparisons

#: A difference between two variants counts when it exceeds this many pooled
#: standard deviations of the single runs (see :func:`compare`).
SPREAD_FACTOR = 2.0


@dataclass(frozen=True)
class Comparison:
    """Two variants' per-seed figures, summarised, and the verdict.

    Attributes
    ----------
    name
        What is compared, e.g. ``"test accuracy"``.
    a, b
        The two variants' labels, e.g. ``"with pooling"``, ``"without"``.
    mean_a, mean_b, sd_a, sd_b
        Mean and sample standard deviation over the runs (sd 0 for one run).
    n_a, n_b
        Number of runs (seeds) of each variant.
    threshold
        The smallest difference that counts: ``SPREAD_FACTOR`` times the pooled
        standard deviation, or ``margin`` where that is larger (or where a
        variant has a single run, so there is no spread).
    verdict
        ``"a"`` (A ahead), ``"b"`` (B ahead) or ``"tie"`` (no difference beyond
        the threshold).  "Ahead" means larger, or smaller when
        ``higher_is_better`` was False.
    """

    name: str
    a: str
    b: str
    mean_a: float
    mean_b: float
    sd_a: float
    sd_b: float
    n_a: int
    n_b: int
    threshold: float
    verdict: str
    higher_is_better: bool = True
    fmt: str = ".4f"

    @property
    def difference(self) -> float:
        """``mean_a - mean_b``."""
        return self.mean_a - self.mean_b

    @property
    def winner(self) -> str | None:
        """The label of the variant ahead, or ``None`` for a tie."""
        return {"a": self.a, "b": self.b}.get(self.verdict)

    def summary(self, which: str) -> str:
        """``"0.8812 ± 0.0031 (n=3)"`` for variant ``"a"`` or ``"b"``."""
        if which not in ("a", "b"):
            raise ValueError(f"which must be 'a' or 'b', got {which!r}")
        mean, sd, n = (
            (self.mean_a, self.sd_a, self.n_a)
            if which == "a"
            else (self.mean_b, self.sd_b, self.n_b)
        )
        if n == 1:
            return f"{mean:{self.fmt}} (one run)"
        return f"{mean:{self.fmt}} ± {sd:{self.fmt}} (n={n})"

    def sentence(self) -> str:
        """The comparison in one sentence, with both means and the verdict."""
        f = self.fmt
        both = (
            f"{self.name}: {self.a} {self.summary('a')}, {self.b} {self.summary('b')}"
        )
        diff = abs(self.difference)
        if self.verdict == "tie":
            return (
                f"{both}; the difference of {diff:{f}} is within the "
                f"threshold of {self.threshold:{f}}, so neither is ahead."
            )
        return (
            f"{both}; {self.winner} is ahead by {diff:{f}}, more than the "
            f"threshold of {self.threshold:{f}}."
        )

    def __str__(self) -> str:
        return self.sentence()

    def _repr_markdown_(self) -> str:
        return self.sentence()


def _runs(values: Any, what: str) -> list[float]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{what} must be a sequence of numbers, got {values!r}")
    out = []
    for v in values:
        x = _scalar(v, what)
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise TypeError(f"{what} must hold numbers, got {v!r}")
        out.append(float(x))
    if not out:
        raise ValueError(f"{what} must hold at least one run")
    return out


def _sample_sd(values: list[float], mean: float) -> float:
    """Sample standard deviation (``ddof=1``); 0 for a single value."""
    if len(values) < 2:
        return 0.0
    return math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (len(values) - 1))


def compare(
    name: str,
    a_runs: Sequence[float],
    b_runs: Sequence[float],
    *,
    a: str = "A",
    b: str = "B",
    higher_is_better: bool = True,
    margin: float | None = None,
    unit: str = "",
    data: Any = None,
    fmt: str = ".4f",
) -> Comparison:
    """Compare two variants over seeds, record both means and the verdict.

    The rule: a difference of the means counts only when it exceeds
    :data:`SPREAD_FACTOR` (2) times the pooled sample standard deviation of
    the single runs, ``sqrt(((n_a-1) s_a² + (n_b-1) s_b²) / (n_a+n_b-2))``,
    i.e. when it is clearly larger than the spread between seeds; ``margin``
    raises that threshold where a smaller difference would not matter.  With
    a single run on one side there is no spread: ``margin`` is then required
    and is the threshold (a tie below it), so one-seed verdicts say what they
    rest on.

    Records ``"<name>: <a>"`` and ``"<name>: <b>"`` (mean, with spread and n)
    and ``"<name>: verdict"`` (the label ahead, or ``"no difference"``).

    Parameters
    ----------
    name
        What is compared, e.g. ``"test accuracy"``.
    a_runs, b_runs
        One figure per seed for each variant (Python or NumPy numbers).
    a, b
        The variants' labels.
    higher_is_better
        False for losses, errors and times: then the smaller mean is ahead.
    margin
        The smallest difference that matters (>= 0), in the figures' units.
    unit, data
        As for :func:`record`.
    fmt
        Format of the numbers in :meth:`Comparison.sentence`.

    Returns
    -------
    Comparison
        Means, spreads, the threshold and the verdict (``"a"``, ``"b"`` or
        ``"tie"``); ``str()`` gives the sentence.

    Raises
    ------
    TypeError
        If the runs are not sequences of numbers or a label is not a str.
    ValueError
        If a side has no run, or a side has one run and no ``margin`` is given.

    Examples
    --------
    >>> c = compare("acc", [0.90, 0.91, 0.92], [0.80, 0.81, 0.82], a="x", b="y")
    >>> c.verdict, round(c.threshold, 3)
    ('a', 0.02)
    """
    for label, what in ((a, "a"), (b, "b"), (name, "name")):
        if not isinstance(label, str) or not label:
            raise TypeError(f"{what} must be a non-empty str, got {label!r}")
    xs, ys = _runs(a_runs, "a_runs"), _runs(b_runs, "b_runs")
    if margin is not None:
        margin = check_float(margin, "margin", low=0.0)
    if (len(xs) < 2 or len(ys) < 2) and margin is None:
        raise ValueError(
            "a variant has a single run, so there is no spread between seeds: "
            "give margin= (the smallest difference that counts)"
        )
    ma, mb = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)

    sa, sb = _sample_sd(xs, ma), _sample_sd(ys, mb)
    dof = len(xs) + len(ys) - 2
    if len(xs) > 1 and len(ys) > 1:
        pooled = math.sqrt(((len(xs) - 1) * sa**2 + (len(ys) - 1) * sb**2) / dof)
        threshold = max(SPREAD_FACTOR * pooled, margin or 0.0)
    else:
        threshold = float(margin)
    diff = ma - mb if higher_is_better else mb - ma
    verdict = "a" if diff > threshold else "b" if -diff > threshold else "tie"
    result = Comparison(
        name=name, a=a, b=b, mean_a=ma, mean_b=mb, sd_a=sa, sd_b=sb,
        n_a=len(xs), n_b=len(ys), threshold=threshold, verdict=verdict,
        higher_is_better=bool(higher_is_better), fmt=fmt,
    )  # fmt: skip
    for label, mean, spread, n in ((a, ma, sa, len(xs)), (b, mb, sb, len(ys))):
        many = n > 1  # one run: a plain figure, no "± 0"
        record(
            f"{name}: {label}",
            mean,
            unit=unit,
            data=data,
            spread=spread if many else None,
            n=n if many else None,
        )
    record(f"{name}: verdict", result.winner or "no difference", data=data)
    return result


# ----------------------------------------------------------- conclusions


class Conclusion(str):
    """A conclusion sentence; renders as Markdown in Jupyter, as text elsewhere.

    A ``str`` subclass, so it can be tested and joined like any text.
    """

    key: str

    def __new__(cls, key: str, text: str) -> Conclusion:
        obj = super().__new__(cls, text)
        obj.key = key
        return obj

    def _repr_markdown_(self) -> str:
        return f"**{self.key}** {self}" if self.key else str(self)

    def __repr__(self) -> str:
        return f"{self.key} {self}" if self.key else str(self)


def conclude(key: str, text: str) -> Conclusion:
    """State the result of one sub-answer, as composed from this run's figures.

    Every sub-answer opens with a code cell that builds its sentence from the
    figures recorded or computed in this run (``results.value(...)``, a
    :class:`Comparison`), so that it is true in every profile and on every
    data source, and ends with ``results.conclude("(b)", sentence)``.  The
    sentence shows as Markdown in Jupyter (as text in a terminal) and is
    recorded, so ``results.json``, the results page and the slides carry it.

    Parameters
    ----------
    key
        The sub-question's label as the sheet numbers it, e.g. ``"(b)"`` or
        ``"Q7"``; unique in the notebook (a re-run cell replaces its sentence).
    text
        One or two sentences with the run's figures in them.

    Returns
    -------
    Conclusion
        The sentence (a ``str``), which Jupyter renders as Markdown when it is
        the cell's last expression.

    Raises
    ------
    TypeError
        If ``key`` or ``text`` is not a str.
    ValueError
        If ``text`` is empty or contains no figure (no digit): a conclusion
        states what this run found, in numbers.
    """
    for v, what in ((key, "key"), (text, "text")):
        if not isinstance(v, str):
            raise TypeError(f"{what} must be a str, got {type(v).__name__}")
    text = " ".join(text.split())
    if not text:
        raise ValueError("text must not be empty")
    if not any(ch.isdigit() for ch in text):
        raise ValueError(
            f"text of conclusion {key!r} holds no figure: state the run's numbers"
        )
    _CONCLUSIONS[key] = text
    _append_event({"kind": "conclusion", "key": key, "text": text})
    return Conclusion(key, text)


def conclusions() -> dict[str, str]:
    """``{key: sentence}`` of every :func:`conclude` call in this kernel, in order."""
    return dict(_CONCLUSIONS)
