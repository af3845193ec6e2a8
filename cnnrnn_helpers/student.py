"""Student versions of the worked notebooks.

Conventions (see CONTRIBUTING.md):

* Code a student is meant to write sits between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` lines (the nbgrader convention).  In the student copy
  each block becomes a ``raise NotImplementedError`` stub with the block's
  indentation, so the notebook runs up to the first stub and stops there.
* Markdown cells tagged ``solution`` hold written answers.  In the student
  copy their headings stay and the prose becomes "*Your answer here.*".
* Student copies carry no outputs.

``cnnrnn student [--out DIR] [NOTEBOOK ...]`` writes the copies (default
``student/``, mirroring ``notebooks/``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path

import nbformat

__all__ = [
    "ANSWER_PLACEHOLDER",
    "BEGIN",
    "END",
    "SOLUTION_TAG",
    "STUB",
    "solution_fragments",
    "strip_solutions",
    "student_notebook",
    "write_student_versions",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
SOLUTION_TAG = "solution"
STUB = 'raise NotImplementedError("your code here (see the task above)")'
ANSWER_PLACEHOLDER = "*Your answer here.*"
STUDENT_NOTE = (
    "> **Student version.** Cells marked `YOUR CODE HERE` stop with "
    "`NotImplementedError` until you replace the stub with your own code; "
    "answer cells say *Your answer here*."
)
_CHECK = re.compile(r"^\s*#\s*NBVAL_CHECK_OUTPUT\s*$")


def strip_solutions(source: str) -> str:
    """Replace every solution block of a code cell's source by a stub.

    Parameters
    ----------
    source
        Cell source; blocks are delimited by lines whose stripped text is
        exactly ``### BEGIN SOLUTION`` / ``### END SOLUTION``.

    Returns
    -------
    str
        The source with each block replaced by ``# YOUR CODE HERE`` and a
        ``raise NotImplementedError(...)`` line at the indentation of the
        ``BEGIN`` marker.

    Raises
    ------
    ValueError
        If markers are unbalanced or nested.
    """
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"line {number}: nested {BEGIN!r}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE", f"{indent}{STUB}"]
        elif marker == END:
            if not inside:
                raise ValueError(f"line {number}: {END!r} without {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without a matching {END!r}")
    return "\n".join(out)


def _is_answer(cell: dict) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return cell.get("cell_type") == "markdown" and SOLUTION_TAG in tags


def _has_block(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and any(
        line.strip() == BEGIN for line in cell.get("source", "").splitlines()
    )


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a student copy of a worked notebook (the input is not changed).

    Raises
    ------
    ValueError
        If the notebook has neither a solution block nor an answer cell, or
        its markers are unbalanced.
    """
    if not any(_has_block(c) or _is_answer(c) for c in nb.cells):
        raise ValueError("the notebook has no solution blocks and no answer cells")
    student = copy.deepcopy(nb)
    for cell in student.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if _has_block(cell):
                lines = strip_solutions(cell.source).splitlines()
                cell.source = "\n".join(ln for ln in lines if not _CHECK.match(ln))
        elif _is_answer(cell):
            headings = [ln for ln in cell.source.splitlines() if ln.startswith("#")]
            cell.source = "\n\n".join([*headings, ANSWER_PLACEHOLDER])
            tags = [t for t in cell.metadata.get("tags", []) if t != SOLUTION_TAG]
            cell.metadata["tags"] = tags
            if not tags:
                del cell.metadata["tags"]
    title = student.cells[0]
    if title.cell_type == "markdown" and STUDENT_NOTE not in title.source:
        title.source = f"{title.source}\n\n{STUDENT_NOTE}"
    return student


def solution_fragments(nb: nbformat.NotebookNode, min_length: int = 25) -> list[str]:
    """Lines of solution code and answer prose that must not reach students.

    Only lines of at least ``min_length`` characters (stripped) that occur
    nowhere outside the solutions are returned, so that a leak check has no
    false alarms on lines such as ``plt.show()``.
    """
    inside: list[str] = []
    outside: set[str] = set()
    for cell in nb.cells:
        if _is_answer(cell):
            inside += [
                ln.strip() for ln in cell.source.splitlines() if not ln.startswith("#")
            ]
            continue
        in_block = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker in (BEGIN, END):
                in_block = marker == BEGIN
            elif in_block and cell.cell_type == "code":
                inside.append(marker)
            else:
                outside.add(marker)
    return sorted({ln for ln in inside if len(ln) >= min_length and ln not in outside})


def write_student_versions(paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Write a student copy of each notebook under ``out_dir``.

    Paths are mirrored relative to the ``notebooks/`` folder that contains
    them (``notebooks/s01_x/t02_y.ipynb`` -> ``out_dir/s01_x/t02_y.ipynb``).
    Notebooks without solutions (e.g. ``00_start_here``) are copied as they
    are, without outputs.
    """
    written = []
    for path in paths:
        path = Path(path).resolve()
        parts = path.parts
        rel = (
            Path(*parts[len(parts) - 1 - parts[::-1].index("notebooks") + 1 :])
            if "notebooks" in parts
            else Path(path.name)
        )
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_notebook(nb)
        except ValueError as exc:
            if "no solution blocks" not in str(exc):
                raise ValueError(f"{path.name}: {exc}") from exc
            student = copy.deepcopy(nb)
            for cell in student.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
        target = Path(out_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student, target)
        written.append(target)
    return written
