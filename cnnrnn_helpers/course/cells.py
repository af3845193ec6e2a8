"""Every cell marker, cell tag and output-policy rule of the pack, in one place.

The runner, the student copies, the slides, the marker tool and the grader
read cells only through these names (as nbgrader keeps its conventions in its
preprocessors):

* **Output policy.**  Only code cells marked ``# NBVAL_CHECK_OUTPUT``
  (:data:`CHECK_MARKER`, :func:`is_checked`) keep their outputs in the
  committed notebooks, which nbval compares in CI; they are deterministic and
  do not depend on the data source.  Plots and accuracies live in the
  executed copies under ``build/``.  :func:`tidy_metadata` keeps only cell
  tags and nbgrader's cell metadata.
* **Solutions** (code a student writes): lines between :data:`BEGIN` and
  :data:`END` (nbgrader's delimiters); markdown answers carry the tag
  :data:`SOLUTION_TAG`.
* **Answers** (text that gives a result away): tag :data:`ANSWER_TAG`, code
  lines between :data:`ANSWER_BEGIN` / :data:`ANSWER_END`, a trailing
  :data:`ANSWER_COMMENT`, markdown between :data:`MD_ANSWER_BEGIN` /
  :data:`MD_ANSWER_END`.
* **Plumbing**: the install cell (:data:`INSTALL_TAG`) and cells tagged
  :data:`PLUMBING_TAG` are left out of decks; slide tags start with
  :data:`SLIDE_TAG_PREFIX`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

import nbformat

__all__ = [
    "ANSWER_BEGIN",
    "ANSWER_COMMENT",
    "ANSWER_END",
    "ANSWER_TAG",
    "ANSWER_TAGS",
    "BEGIN",
    "CHECK_MARKER",
    "END",
    "INSTALL_TAG",
    "KERAS_PROGRESS",
    "KERNELSPEC",
    "MARKER_LINES",
    "MD_ANSWER_BEGIN",
    "MD_ANSWER_END",
    "PLUMBING_TAG",
    "SLIDE_TAG_PREFIX",
    "SOLUTION_TAG",
    "cell_tags",
    "for_audience",
    "is_answer_cell",
    "is_checked",
    "is_marker_line",
    "keep_checked_outputs",
    "stray_outputs",
    "tidy_metadata",
]


CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
ANSWER_BEGIN = "### BEGIN ANSWER"
ANSWER_END = "### END ANSWER"
ANSWER_COMMENT = "# ANSWER:"
MD_ANSWER_BEGIN = "<!-- BEGIN ANSWER -->"
MD_ANSWER_END = "<!-- END ANSWER -->"
SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
#: tags of a markdown cell whose prose is an answer
ANSWER_TAGS = (SOLUTION_TAG, ANSWER_TAG)
INSTALL_TAG = "install"
PLUMBING_TAG = "plumbing"
SLIDE_TAG_PREFIX = "slides:"
#: code lines that are markers only (compared without spaces)
MARKER_LINES = frozenset(
    m.replace(" ", "") for m in (CHECK_MARKER, BEGIN, END, ANSWER_BEGIN, ANSWER_END)
)


#: a Keras progress or per-epoch line ("19/19 - 1s - 62ms/step", "1/5 ━━━ ...")
KERAS_PROGRESS = re.compile(
    r"^\s*\d+/\d+\s+(?:[━─=>.\[\] ]+\s+)?(?:\d+s\s+)?(?:-\s+)?\d*m?s(?:/step)?\b.*$"
    r"|^\s*\d+/\d+\s+-\s+\d+s\b.*$"
    r"|^\s*\d+/\d+\s+[━─]+.*$"
    r"|^\s*Epoch \d+/\d+\s*$"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _is_progress(line: str) -> bool:
    return bool(KERAS_PROGRESS.match(_ANSI.sub("", line)))


def for_audience(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy for slides and HTML pages: no progress lines, no library warnings.

    Drops ``stderr`` streams (TensorFlow/Keras warnings, the stand-in notice
    also prints a line on stdout) and Keras progress lines from ``stdout``;
    a code cell with a figure or a table shows that output without its code
    (``metadata.transient.remove_source``, which nbconvert honours), so a
    slide opens on the result.
    """
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                if o.get("name") == "stderr":
                    continue
                text = "".join(o.get("text", ""))
                lines = [ln for ln in text.splitlines(True) if not _is_progress(ln)]
                if not "".join(lines).strip():
                    continue
                o["text"] = "".join(lines)
            kept.append(o)
        cell["outputs"] = kept
        rich = any(
            o.get("output_type") in ("display_data", "execute_result")
            and any(k.startswith(("image/", "text/html")) for k in o.get("data", {}))
            for o in kept
        )
        if rich:
            cell.setdefault("metadata", {}).setdefault("transient", {})
            cell["metadata"]["transient"]["remove_source"] = True
    return out


def cell_tags(cell: dict) -> list[str]:
    """The cell's tags (a new list; empty when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def is_marker_line(line: str) -> bool:
    """True for a line that is only a marker (check, solution or answer)."""
    return line.strip().replace(" ", "") in MARKER_LINES


def is_answer_cell(cell: dict) -> bool:
    """A markdown cell whose prose is an answer (tag ``solution`` or ``answer``)."""
    return cell.get("cell_type") == "markdown" and any(
        t in ANSWER_TAGS for t in cell_tags(cell)
    )


def is_checked(cell: dict) -> bool:
    """True for a code cell whose output nbval compares (``# NBVAL_CHECK_OUTPUT``)."""
    if cell.get("cell_type") != "code":
        return False
    target = CHECK_MARKER.replace(" ", "")
    return any(
        line.strip().replace(" ", "") == target
        for line in cell.get("source", "").splitlines()
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
    """Normalise notebook metadata: the ``python3`` kernel, cell tags and nbgrader.

    Drops editor leftovers (jupytext, widgets, execution timings) so that
    diffs show content changes only.  Returns the same notebook object.
    """
    nb.metadata = nbformat.from_dict(
        {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    )
    nb.nbformat, nb.nbformat_minor = 4, 5
    for number, cell in enumerate(nb.cells):
        old = cell.get("metadata", {})
        meta = {"tags": list(old["tags"])} if old.get("tags") else {}
        if old.get("nbgrader"):  # grading marks (``cnnrnn marks``) stay
            meta["nbgrader"] = dict(old["nbgrader"])
        cell["metadata"] = nbformat.from_dict(meta)
        cell["id"] = f"cell-{number:03d}"  # stable ids: no diff noise
    return nb


_STRAY_TEXT = ("<Figure size", "<Axes", "array([<Axes", "(<Figure", "[<matplotlib")


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
