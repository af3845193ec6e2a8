"""Student versions of the worked notebooks.

Conventions (see CONTRIBUTING.md):

* Code a student is meant to write sits between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` lines (the nbgrader convention).  In the student copy
  each block becomes a ``raise NotImplementedError`` stub with the block's
  indentation, so the notebook runs up to the first stub and stops there.
* Markdown cells tagged ``solution`` hold written answers.  In the student
  copy their headings stay and the prose becomes "*Your answer here.*".
* Other answer-bearing text is marked so that the copy gives nothing away
  while the question and the set-up stay:

  - cell tag ``answer``: a markdown cell (a derivation, a worked result)
    keeps only its headings, like a ``solution`` cell; a code cell that only
    shows an answer becomes a one-line comment.
  - in markdown, ``<!-- BEGIN ANSWER -->`` ... ``<!-- END ANSWER -->`` (on
    one line or across lines; invisible when rendered) is replaced by
    ``*(your answer)*``: for a title summary that quotes a result.
  - in code, lines between ``### BEGIN ANSWER`` and ``### END ANSWER`` are
    left out (no stub: nothing for the student to write there, e.g. an
    ``assert`` that states the answer), and a trailing comment that starts
    with ``# ANSWER:`` is cut off (a comment-only line disappears).
* Student copies carry no outputs.  Cell ids stay, so
  :func:`restore_solutions` can put the solutions back (the round trip).

``cnnrnn student [--out DIR] [NOTEBOOK ...]`` writes the copies (default
``student/``, mirroring ``notebooks/``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path

import nbformat

from .cells import (
    ANSWER_BEGIN,
    ANSWER_COMMENT,
    ANSWER_END,
    ANSWER_TAG,
    BEGIN,
    END,
    MD_ANSWER_BEGIN,
    MD_ANSWER_END,
    SOLUTION_TAG,
    cell_tags,
    is_answer_cell,
    is_checked,
)

__all__ = [
    "ANSWER_BEGIN",
    "ANSWER_CELL_PLACEHOLDER",
    "ANSWER_COMMENT",
    "ANSWER_END",
    "ANSWER_INLINE",
    "ANSWER_PLACEHOLDER",
    "ANSWER_TAG",
    "BEGIN",
    "END",
    "MD_ANSWER_BEGIN",
    "MD_ANSWER_END",
    "SOLUTION_TAG",
    "STUB",
    "restore_solutions",
    "solution_fragments",
    "strip_solutions",
    "student_notebook",
    "write_student_versions",
]

ANSWER_INLINE = "*(your answer)*"
ANSWER_CELL_PLACEHOLDER = "# (left out of the student copy: this cell shows an answer)"
STUB = 'raise NotImplementedError("your code here (see the task above)")'
ANSWER_PLACEHOLDER = "*Your answer here.*"
STUDENT_NOTE = (
    "> **Student version.** Cells marked `YOUR CODE HERE` stop with "
    "`NotImplementedError` until you replace the stub with your own code; "
    "answer cells say *Your answer here*."
)


def _is_check_line(line: str) -> bool:
    return is_checked({"cell_type": "code", "source": line})


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


_tags = cell_tags
_is_answer = is_answer_cell


def _is_answer_code(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and ANSWER_TAG in _tags(cell)


def _has_block(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and any(
        line.strip() == BEGIN for line in cell.get("source", "").splitlines()
    )


_INLINE = re.compile(
    re.escape(MD_ANSWER_BEGIN) + r"(.*?)" + re.escape(MD_ANSWER_END), re.DOTALL
)


def _split_comment(line: str) -> tuple[str, str] | None:
    """``(code, comment)`` if the line ends in a ``# ANSWER:`` comment."""
    k = line.find(ANSWER_COMMENT)
    if k < 0:
        return None
    return line[:k].rstrip(), line[k:]


def _code_pattern(source: str) -> list[tuple[str, str]]:
    """The student copy of a code cell as a list of ``(kind, line)`` items.

    Kinds: ``"keep"`` (a line the copy shows unchanged or shortened),
    ``"stub"`` (a stub line that stands for a solution block) and ``"gone"``
    (left out: answer blocks, check markers).  The student source is the
    ``keep`` and ``stub`` lines; :func:`restore_solutions` uses the kinds to
    verify that a copy changed nothing else.
    """
    items: list[tuple[str, str]] = []
    lines = strip_solutions(source).splitlines()
    inside = False
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == ANSWER_BEGIN:
            if inside:
                raise ValueError(f"line {number}: nested {ANSWER_BEGIN!r}")
            inside = True
        elif marker == ANSWER_END:
            if not inside:
                raise ValueError(
                    f"line {number}: {ANSWER_END!r} without {ANSWER_BEGIN!r}"
                )
            inside = False
        elif inside or _is_check_line(line):
            items.append(("gone", line))
        elif marker in (STUB, "# YOUR CODE HERE"):
            items.append(("stub", line))
        elif (cut := _split_comment(line)) is not None:
            if cut[0].strip():
                items.append(("keep", cut[0]))
        else:
            items.append(("keep", line))
    if inside:
        raise ValueError(f"{ANSWER_BEGIN!r} without a matching {ANSWER_END!r}")
    return items


def _student_code(source: str) -> str:
    items = _code_pattern(source)
    kept = [line for kind, line in items if kind != "gone"]
    checks_only = all(
        kind == "keep" or (kind == "gone" and _is_check_line(line))
        for kind, line in items
    )
    if checks_only and kept == [
        ln for ln in source.splitlines() if not _is_check_line(ln)
    ]:
        return source  # nothing to hide: keep the cell as it is
    return "\n".join(kept)


def _student_markdown(cell: dict) -> str:
    if _is_answer(cell):
        headings = [ln for ln in cell["source"].splitlines() if ln.startswith("#")]
        return "\n\n".join([*headings, ANSWER_PLACEHOLDER])
    return _INLINE.sub(ANSWER_INLINE, cell["source"])


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a student copy of a worked notebook (the input is not changed).

    Solution blocks become stubs, answer cells and answer marks are blanked
    (see the module docstring), outputs are dropped; cell ids and the order
    of cells stay.

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
            if _is_answer_code(cell):
                cell.source = ANSWER_CELL_PLACEHOLDER
            else:
                cell.source = _student_code(cell.source)
        elif cell.cell_type == "markdown":
            cell.source = _student_markdown(cell)
        tags = [t for t in _tags(cell) if t not in (SOLUTION_TAG, ANSWER_TAG)]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    title = student.cells[0]
    if title.cell_type == "markdown" and STUDENT_NOTE not in title.source:
        title.source = f"{title.source}\n\n{STUDENT_NOTE}"
    return student


def _matches_code(student_source: str, worked_source: str) -> bool:
    """True if the student cell is the worked cell with only its holes changed."""
    pattern = []
    previous = None
    for kind, line in _code_pattern(worked_source):
        if kind == "gone":
            continue
        if kind == "stub":
            if previous != "stub":  # a stub and its comment: any code, any length
                pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append(re.escape(line) + r"\n")
        previous = kind
    text = student_source + "\n"
    return re.fullmatch("".join(pattern), text) is not None or (
        student_source == worked_source
    )


def _matches_markdown(student_cell: dict, worked_cell: dict) -> bool:
    if _is_answer(worked_cell):
        heads = [ln for ln in worked_cell["source"].splitlines() if ln.startswith("#")]
        got = [ln for ln in student_cell["source"].splitlines() if ln.startswith("#")]
        return heads == got
    parts = _INLINE.split(worked_cell["source"])
    # parts alternate: text, answer, text, answer, ..., text
    pattern = "".join(
        re.escape(part) if k % 2 == 0 else r".*?" for k, part in enumerate(parts)
    )
    return re.fullmatch(pattern, student_cell["source"], re.DOTALL) is not None


def restore_solutions(
    student: nbformat.NotebookNode, worked: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """Put the worked notebook's solutions back into a student copy.

    Every stub (whatever the student wrote in its place), blanked answer and
    answer mark gets the worked notebook's text again, tags included; the
    student note leaves the title.  Outputs are not restored.

    Raises
    ------
    ValueError
        If the copy does not correspond cell by cell to ``worked``: a
        different number or kind of cells, or a change outside the places
        the student copy opens up (the message names the first such cell).
    """
    if len(student.cells) != len(worked.cells):
        raise ValueError(
            f"the copy has {len(student.cells)} cells, the worked notebook "
            f"{len(worked.cells)}"
        )
    restored = copy.deepcopy(student)
    for k, (mine, ref) in enumerate(zip(restored.cells, worked.cells)):
        if mine.cell_type != ref.cell_type:
            raise ValueError(f"cell {k}: {mine.cell_type} here, {ref.cell_type} there")
        source = mine.source
        if k == 0 and mine.cell_type == "markdown":
            source = source.replace(f"\n\n{STUDENT_NOTE}", "")
        if mine.cell_type == "code":
            ok = (
                source == ANSWER_CELL_PLACEHOLDER
                if _is_answer_code(ref)
                else _matches_code(source, ref.source)
            )
        elif mine.cell_type == "markdown":
            ok = _matches_markdown({"source": source}, ref)
        else:
            ok = source == ref.source
        if not ok:
            first = (source.splitlines() or [""])[0][:60]
            raise ValueError(
                f"cell {k} ({first!r}...) changed outside its solution places"
            )
        mine.source = ref.source
        if "tags" in ref.get("metadata", {}):
            mine.metadata["tags"] = list(ref.metadata["tags"])
    return restored


def solution_fragments(nb: nbformat.NotebookNode, min_length: int = 25) -> list[str]:
    """Lines of solution code and answer prose that must not reach students.

    Only lines of at least ``min_length`` characters (stripped) that occur
    nowhere outside the solutions are returned, so that a leak check has no
    false alarms on lines such as ``plt.show()``.
    """
    inside: list[str] = []
    outside: set[str] = set()
    for cell in nb.cells:
        if _is_answer(cell) or _is_answer_code(cell):
            inside += [
                ln.strip() for ln in cell.source.splitlines() if not ln.startswith("#")
            ]
            continue
        if cell.cell_type == "markdown":
            for answer in _INLINE.findall(cell.source):
                inside += [ln.strip() for ln in answer.splitlines()]
            outside.update(
                ln.strip() for ln in _INLINE.sub("", cell.source).splitlines()
            )
            continue
        in_block = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker in (BEGIN, END, ANSWER_BEGIN, ANSWER_END):
                in_block = marker in (BEGIN, ANSWER_BEGIN)
            elif in_block:
                inside.append(marker)
            elif (cut := _split_comment(line)) is not None:
                inside.append(cut[1].strip())
                outside.add(cut[0].strip())
            else:
                outside.add(marker)
    return sorted({ln for ln in inside if len(ln) >= min_length and ln not in outside})


def write_student_versions(
    paths: Sequence[Path], out_dir: Path, make_copy=None
) -> list[Path]:
    """Write a student copy of each notebook under ``out_dir``.

    ``make_copy(nb)`` makes each copy (default :func:`student_notebook`);
    ``cnnrnn student`` passes :func:`cnnrnn_helpers.course.grading.student_copy`,
    the copy ``nbgrader generate_assignment`` gives (nbgrader's preprocessors
    where nbgrader is installed; the same cell sources either way).

    Paths are mirrored relative to the ``notebooks/`` folder that contains
    them (``notebooks/s01_x/t02_y.ipynb`` -> ``out_dir/s01_x/t02_y.ipynb``).
    Notebooks without solutions (e.g. ``00_start_here``) are copied as they
    are, without outputs.
    """
    make_copy = make_copy or student_notebook
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
            student = make_copy(nb)
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
