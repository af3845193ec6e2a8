"""``cnnrnn marks``: add the answer marks and slide tags a notebook still lacks.

Usage (from the repository root)::

    cnnrnn marks [NOTEBOOK ...]            # show the plan only
    cnnrnn marks --write [NOTEBOOK ...]    # apply it (idempotent)
    cnnrnn refresh NOTEBOOK ...            # then store outputs

NOTEBOOK is a path or a fragment (``s05``, ``s05_deep_networks_fashion/t03``);
default: every task notebook.  The marks are those of
:mod:`cnnrnn_helpers.course.student` (see CONTRIBUTING.md, "Student copies"):

* **Answers found in the student copy.**  For every answer of the key
  (:mod:`cnnrnn_helpers.checks.key`) that belongs to the notebook and that its
  student copy still shows:

  - title cell: the sentence that quotes it is wrapped in
    ``<!-- BEGIN ANSWER -->`` ... ``<!-- END ANSWER -->``;
  - another markdown cell: tagged ``answer`` when the answer sits in a
    derivation (display math, a table, or two or more hits), else the
    sentence is wrapped as in the title;
  - code, a trailing comment: it becomes a ``# ANSWER:`` comment;
  - code, an ``assert`` statement: wrapped in ``### BEGIN ANSWER`` /
    ``### END ANSWER`` (replace it by a ``checks.value(...)`` call where the
    student computes the number);
  - anything else (an assignment, a print) is listed under "by hand": leaving
    it out could break the cells after it.

* **nbgrader.**  Every cell gets its ``metadata.nbgrader`` (solution, grade
  with points, locked, grade_id; :func:`cnnrnn_helpers.course.grading.nbgrader_marks`):
  solution cells, written answers (graded by hand), self-check cells
  (autograded, a point per check) and read-only cells.

* **Slides.**  Cells holding only imports get the tag ``plumbing`` (skipped
  in the deck); ``--outline`` prints the slide outline derived by
  :mod:`cnnrnn_helpers.course.slides` for review.

It never touches solution blocks, and it refuses to write a notebook whose
marks would not round-trip (``student.restore_solutions``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

import nbformat

from ..checks import key as answer_key
from ..checks.key import Leak
from . import cells, grading, runner, slides, student

__all__ = ["mark", "mark_notebooks", "outline"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def _notebook_key(path: Path) -> str:
    """``sheet/task`` of a notebook (also for a copy outside ``notebooks/``)."""
    path = Path(path).resolve()
    try:
        rel = path.relative_to(runner.notebooks_dir())
    except ValueError:
        rel = Path(*path.parts[-2:])
    return rel.with_suffix("").as_posix()


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or list item) around ``text[start:end]``."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:]
    bullet = re.match(r"\s*(?:[*-]|\d+\.)\s+", line)
    if bullet:  # a list item: stay inside it
        left = max(left, line_start + bullet.end())
        newline = text.find("\n", end)
        if newline != -1:
            right = min(right, newline)
    return left, right


def _in_derivation(text: str, start: int) -> bool:
    before = text[:start]
    in_display = before.count("$$") % 2 == 1
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return in_display or line.lstrip().startswith("|")


def _statement_lines(
    source: str, line_no: int
) -> tuple[tuple[int, int] | None, ast.stmt | None]:
    """Lines (1-based, first and last) and node of the innermost statement."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, None
    best = None
    for node in ast.walk(tree):
        inside = isinstance(node, ast.stmt) and (
            node.lineno <= line_no <= node.end_lineno
        )
        if inside and (
            best is None
            or node.end_lineno - node.lineno <= best.end_lineno - best.lineno
        ):
            best = node
    return (best.lineno, best.end_lineno) if best else None, best


def _mark_markdown(cell, index: int, hits: list[Leak], plan: list[str]) -> bool:
    text = cell.source
    derivation = any(_in_derivation(text, m.start) for m in hits)
    if index > 0 and (derivation or len(hits) >= 2):
        tags = cell.metadata.setdefault("tags", [])
        if student.ANSWER_TAG not in tags:
            tags.append(student.ANSWER_TAG)
        plan.append(f"  cell {index}: markdown tagged 'answer' ({len(hits)} hit(s))")
        return True
    spans = sorted({_sentence_span(text, m.start, m.end) for m in hits})
    for left, right in reversed(spans):
        text = (
            text[:left]
            + student.MD_ANSWER_BEGIN
            + text[left:right]
            + student.MD_ANSWER_END
            + text[right:]
        )
    cell.source = text
    plan.append(f"  cell {index}: {len(spans)} sentence(s) wrapped in answer marks")
    return True


def _mark_code(cell, index: int, hits: list[Leak], plan: list[str]) -> bool:
    lines = cell.source.splitlines()
    changed = False
    blocks: list[tuple[int, int]] = []
    for m in hits:
        line_no = cell.source.count("\n", 0, m.start) + 1
        line = lines[line_no - 1]
        hash_at = line.find("#")
        col = m.start - (cell.source.rfind("\n", 0, m.start) + 1)
        if 0 <= hash_at < col and student.ANSWER_COMMENT not in line:
            comment = line[hash_at + 1 :].lstrip()
            lines[line_no - 1] = f"{line[:hash_at]}{student.ANSWER_COMMENT} {comment}"
            plan.append(f"  cell {index} line {line_no}: comment -> '# ANSWER:'")
            changed = True
            continue
        span, node = _statement_lines(cell.source, line_no)
        if span and isinstance(node, ast.Assert):
            blocks.append(span)
            continue
        note = (
            f"  cell {index} line {line_no}: BY HAND ({line.strip()[:60]!r}): "
            "move the value into checks or out of the notebook"
        )
        if note not in plan:
            plan.append(note)
    for first, last in sorted(set(blocks), reverse=True):
        indent = re.match(r"\s*", lines[first - 1]).group(0)
        lines[last:last] = [f"{indent}{student.ANSWER_END}"]
        lines[first - 1 : first - 1] = [f"{indent}{student.ANSWER_BEGIN}"]
        plan.append(
            f"  cell {index} lines {first}-{last}: assert wrapped in ANSWER marks "
            "(consider checks.value(...) instead)"
        )
        changed = True
    if changed:
        cell.source = "\n".join(lines)
    return changed


def _only_imports(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body
    )


def mark(nb: nbformat.NotebookNode, key: str, plan: list[str]) -> bool:
    """Add marks to ``nb`` in place; describe them in ``plan``; True if changed."""
    changed = False
    stu = student.student_notebook(nb)
    for index, (cell, shown) in enumerate(zip(nb.cells, stu.cells)):
        if answer_key.leaks(shown.source, key):
            # positions refer to the worked cell: search it again there
            hits = answer_key.leaks(cell.source, key)
            if cell.cell_type == "markdown":
                changed |= _mark_markdown(cell, index, hits, plan)
            elif cell.cell_type == "code":
                changed |= _mark_code(cell, index, hits, plan)
        tags = cell.metadata.get("tags", [])
        if (
            cell.cell_type == "code"
            and cells.INSTALL_TAG not in tags
            and cells.PLUMBING_TAG not in tags
            and _only_imports(cell.source)
            and slides.slide_type(nb, index) != "skip"
        ):
            cell.metadata.setdefault("tags", []).append(cells.PLUMBING_TAG)
            plan.append(f"  cell {index}: imports only -> tag 'plumbing'")
            changed = True
    before = len(plan)
    grading.nbgrader_marks(nb, plan)
    changed |= any("nbgrader" in line for line in plan[before:])
    return changed


def outline(nb: nbformat.NotebookNode) -> list[str]:
    """One line per cell: its slide type and first line (for review)."""
    rows = []
    for k, cell in enumerate(nb.cells):
        kind = slides.slide_type(nb, k)
        first = (cell.source.strip().splitlines() or [""])[0][:70]
        rows.append(f"  {k:3d} {kind:9s} {cell.cell_type:8s} {first}")
    return rows


def mark_notebooks(
    selection: Sequence[str] = (),
    *,
    write: bool = False,
    show_outline: bool = False,
    echo=print,
) -> int:
    """Plan (and with ``write`` apply) the marks of the selected notebooks.

    Returns
    -------
    int
        How many notebooks were (or, without ``write``, would be) changed.
    """
    paths = [
        p for p in runner.find_notebooks(selection) if p.name != "00_start_here.ipynb"
    ]
    changed_count = 0
    for path in paths:
        marked = nbformat.read(path, as_version=4)
        plan: list[str] = []
        key = _notebook_key(path)
        changed = mark(marked, key, plan)
        changed_count += changed
        echo(f"{key}: {'changes' if changed else 'nothing to do'}")
        if plan:
            echo("\n".join(plan))
        if show_outline:
            echo("\n".join(outline(marked)))
        if changed and write:
            copy = student.student_notebook(marked)
            student.restore_solutions(copy, marked)  # raises if it cannot
            left = [h.text for c in copy.cells for h in answer_key.leaks(c.source, key)]
            nbformat.write(marked, path)
            note = f"; still in the copy: {left[:5]}" if left else ""
            echo(f"  written{note}")
    return changed_count
