"""Grading with nbgrader: cell marks, student copies, a course folder, a summary.

nbgrader's format is the one format of the answer marks:

* **solution delimiters** ``### BEGIN SOLUTION`` / ``### END SOLUTION``
  (:data:`cells.BEGIN`, :data:`cells.END`), the same in both;
* **cell metadata** ``metadata.nbgrader`` (:func:`nbgrader_marks`, written
  into the notebooks by ``cnnrnn marks --write``):

  - a code cell with a solution block: ``solution`` (autograded answer);
  - a markdown cell tagged ``solution`` or ``answer``: ``solution`` and
    ``grade`` with 1 point (a written answer, graded by hand);
  - a code cell that calls a self-check (``checks.conv2d(...)``): ``grade``
    and ``locked``, 1 point per check call (an autograder test cell: the
    check raises on wrong work, so nbgrader gives 0 points and shows the
    check's one-line message as feedback; the answer key stays in the
    package, so the cell needs no hidden test text);
  - every other cell: ``locked`` (read-only; nbgrader restores it from the
    release if a student edits it).

* **student copies**: :class:`ClearSolutionsAndAnswers` is nbgrader's own
  ``ClearSolutions`` (code regions become the pack's stub) extended by the
  pack's answer marks (tag ``answer``, ``### BEGIN ANSWER`` blocks,
  ``# ANSWER:`` comments, ``<!-- BEGIN ANSWER -->`` phrases) and written
  answers that keep their headings.  ``nbgrader generate_assignment`` uses it
  through the course's ``nbgrader_config.py`` (:func:`configure`);
  ``cnnrnn student`` runs the same preprocessors without a database
  (:func:`student_copy`), so both give the same copy.

``cnnrnn course DIR`` (:func:`write_course`) lays out an nbgrader course;
``cnnrnn grades DIR ASSIGNMENT`` (:func:`check_summary`) writes the per-check
class summary.  nbgrader is the extra ``[grade]``; without it the pack's own
:func:`cnnrnn_helpers.course.student.student_notebook` gives the same copy.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from . import cells, project, student
from .finding import find_notebooks, notebooks_dir

__all__ = [
    "CHECK_CALL",
    "SCHEMA_VERSION",
    "check_summary",
    "configure",
    "nbgrader_available",
    "nbgrader_marks",
    "student_copy",
    "write_course",
]

SCHEMA_VERSION = 3
#: a self-check call in a code cell (not the reporting switches)
CHECK_CALL = re.compile(r"\bchecks\.(?!raise_on_failure\b|explain\b|key\b)\w+\(")
#: per-cell time limit of the autograder (seconds): a cell that loops forever
#: is interrupted after this, the others are still graded
AUTOGRADE_TIMEOUT = 300


def nbgrader_available() -> bool:
    """True if nbgrader (the ``[grade]`` extra) is installed."""
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        return False
    return True


def _has_solution_block(cell: dict) -> bool:
    return any(
        line.strip() == cells.BEGIN for line in cell.get("source", "").splitlines()
    )


def _check_calls(cell: dict) -> int:
    if cell.get("cell_type") != "code" or _has_solution_block(cell):
        return 0
    source = "\n".join(
        ln
        for ln in cell.get("source", "").splitlines()
        if not ln.lstrip().startswith("#")
    )
    return len(CHECK_CALL.findall(source))


def _meta(
    kind: str, cell: dict, *, solution: bool, grade: bool, locked: bool, points=None
) -> dict:
    old = cell.get("metadata", {}).get("nbgrader", {})
    cell_id = cell.get("id") or "cell"
    meta = {
        "grade": grade,
        "grade_id": old.get("grade_id") or f"{kind}-{cell_id}",
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def nbgrader_marks(
    nb: nbformat.NotebookNode, plan: list[str] | None = None
) -> nbformat.NotebookNode:
    """Give every cell its ``metadata.nbgrader`` (in place; idempotent).

    See the module docstring for the rules.  A ``grade_id`` that a cell
    already has is kept, so re-running after edits leaves the gradebook's
    ids alone.  A self-check inside a solution cell cannot be autograded: it
    is listed in ``plan`` ("move the check into its own cell").
    """
    plan = [] if plan is None else plan
    changed: Counter[str] = Counter()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and _has_solution_block(cell):
            meta = _meta("answer", cell, solution=True, grade=False, locked=False)
            if CHECK_CALL.search(cell.source):
                plan.append(
                    f"  cell {index}: a self-check inside a solution cell cannot be "
                    "autograded: move the check into its own cell"
                )
        elif cells.is_answer_cell(cell):
            meta = _meta("written", cell, solution=True, grade=True, locked=False,
                         points=1)  # fmt: skip
        elif (n := _check_calls(cell)) > 0:
            meta = _meta("check", cell, solution=False, grade=True, locked=True,
                         points=n)  # fmt: skip
        else:
            meta = _meta("fixed", cell, solution=False, grade=False, locked=True)
        if cell.metadata.get("nbgrader") != meta:
            cell.metadata["nbgrader"] = meta
            changed[meta["grade_id"].split("-")[0]] += 1
    if changed:
        plan.append(
            "  nbgrader metadata: "
            + ", ".join(f"{n} {kind} cell(s)" for kind, n in sorted(changed.items()))
        )
    return nb


# ------------------------------------------------------------ student copies


def _clear_solutions_base() -> type:
    from nbgrader.preprocessors import ClearSolutions

    return ClearSolutions


def _make_preprocessor_class() -> type:
    base = _clear_solutions_base()

    class _ClearSolutionsAndAnswers(base):
        """nbgrader's ClearSolutions plus the pack's answer marks (see module)."""

        def __init__(self, **kw: Any) -> None:
            kw.setdefault("code_stub", {"python": f"# YOUR CODE HERE\n{student.STUB}"})
            super().__init__(**kw)

        def preprocess(self, nb, resources):
            if not any(
                _has_solution_block(c) or cells.is_answer_cell(c) for c in nb.cells
            ):
                raise ValueError(
                    "the notebook has no solution blocks and no answer cells"
                )
            nb, resources = super().preprocess(nb, resources)
            title = nb.cells[0] if nb.cells else None
            if (
                title is not None
                and title.cell_type == "markdown"
                and student.STUDENT_NOTE not in title.source
            ):
                title.source = f"{title.source}\n\n{student.STUDENT_NOTE}"
            return nb, resources

        def preprocess_cell(self, cell, resources, cell_index):
            if cell.cell_type == "markdown" and cells.is_answer_cell(cell):
                cell.source = student._student_markdown(cell)  # headings stay
            elif cell.cell_type == "code" and cells.ANSWER_TAG in cells.cell_tags(cell):
                cell.source = student.ANSWER_CELL_PLACEHOLDER
            else:
                cell, resources = super().preprocess_cell(cell, resources, cell_index)
                if cell.cell_type == "code":
                    cell.source = student._student_code(cell.source)
                elif cell.cell_type == "markdown":
                    cell.source = student._student_markdown(cell)
            tags = [
                t for t in cells.cell_tags(cell) if t not in cells.ANSWER_TAGS
            ]
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
            return cell, resources

    _ClearSolutionsAndAnswers.__name__ = "ClearSolutionsAndAnswers"
    _ClearSolutionsAndAnswers.__qualname__ = "ClearSolutionsAndAnswers"
    return _ClearSolutionsAndAnswers


_BUILT: dict[str, type] = {}


def _make_execute_class() -> type:
    from nbclient.exceptions import DeadKernelError
    from nbgrader import utils
    from nbgrader.preprocessors import Execute

    class _ExecuteAsFarAsItGets(Execute):
        """nbgrader's Execute, but a kernel that dies ends the run, not the grading.

        nbgrader drops a notebook whose kernel dies (``os._exit``, a crash, the
        memory killer): the student gets nothing for it.  Here the cells that
        ran keep their outputs, the cell that was running gets a
        ``DeadKernelError`` output, and every later test cell an error output
        ("not run"), so each check scores what it deserves.
        """

        def on_cell_start(self, **kwargs: Any) -> None:
            self._cnnrnn_running = kwargs.get("cell_index")

        def preprocess(self, nb, resources=None, km=None):
            self._cnnrnn_running = None
            try:
                return super().preprocess(nb, resources, km)
            except DeadKernelError:
                died = self._cnnrnn_running or 0
                self.log.warning("the kernel died in cell %s; grading what ran", died)
                for k, cell in enumerate(nb.cells[died:], start=died):
                    if cell.cell_type != "code":
                        continue
                    if k == died:
                        text = "the kernel died in this cell (os._exit, a crash or "
                        text += "out of memory); the cells after it did not run"
                    elif utils.is_grade(cell):
                        text = f"not run: the kernel died in cell {died}"
                    else:
                        continue
                    cell.outputs.append(
                        nbformat.v4.new_output(
                            "error", ename="DeadKernelError", evalue=text,
                            traceback=[f"DeadKernelError: {text}"],
                        )
                    )
                return nb, resources if resources is not None else {}

    _ExecuteAsFarAsItGets.__name__ = "ExecuteAsFarAsItGets"
    _ExecuteAsFarAsItGets.__qualname__ = "ExecuteAsFarAsItGets"
    return _ExecuteAsFarAsItGets


_MAKERS = {
    "ClearSolutionsAndAnswers": _make_preprocessor_class,
    "ExecuteAsFarAsItGets": _make_execute_class,
}


def __getattr__(name: str) -> Any:  # nbgrader is optional: classes built lazily
    if name in _MAKERS:
        if name not in _BUILT:
            _BUILT[name] = _MAKERS[name]()
        return _BUILT[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student copy nbgrader's ``generate_assignment`` gives, without a database.

    The notebook (not changed) gets its nbgrader marks in memory, then
    :class:`ClearSolutionsAndAnswers`, nbgrader's ``ClearOutput`` and
    ``LockCells`` run on it.  Without nbgrader: the pack's
    :func:`~cnnrnn_helpers.course.student.student_notebook` (same sources).

    Raises
    ------
    ValueError
        If the notebook has neither a solution block nor an answer cell.
    """
    if not nbgrader_available():
        return student.student_notebook(nb)
    from nbgrader.preprocessors import ClearOutput, LockCells

    work = nbgrader_marks(copy.deepcopy(nb))
    resources: dict[str, Any] = {}
    for pre in (__getattr__("ClearSolutionsAndAnswers")(), ClearOutput(), LockCells()):
        work, resources = pre.preprocess(work, resources)
    for cell in work.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
    return work


# ------------------------------------------------------------ the course

#: ``nbgrader_config.py`` written into a course folder by :func:`write_course`.
NBGRADER_CONFIG = '''\
"""nbgrader configuration of the cnnrnn course (written by `cnnrnn course`).

Student copies are made by the pack's ClearSolutionsAndAnswers (nbgrader's
ClearSolutions plus the pack's answer marks), the self-checks are the
autograder tests, and each cell may run {timeout} s when autograded.
"""

from cnnrnn_helpers.course import grading

c = get_config()  # noqa: F821  (nbgrader provides it)
c.CourseDirectory.course_id = "cnnrnn"
grading.configure(c)
'''


def configure(c: Any, *, timeout: int = AUTOGRADE_TIMEOUT) -> Any:
    """Set an nbgrader config ``c`` up for the pack (called by ``nbgrader_config.py``).

    * ``generate_assignment`` uses :class:`ClearSolutionsAndAnswers` instead of
      ``ClearSolutions``;
    * ``autograde`` runs each cell at most ``timeout`` seconds (then
      interrupts it and goes on: the other cells are still graded), grades a
      notebook whose kernel died as far as it got (``ExecuteAsFarAsItGets``
      instead of nbgrader's ``Execute``), and runs the kernels in the ``smoke`` profile
      with ``offline`` data unless the environment says otherwise (grading
      needs no real data: the checks compare code and numbers);
    * the pack's stub is nbgrader's code stub.
    """
    from nbgrader.converters import Autograde, GenerateAssignment

    def replaced(chain: list, name: str, ours: type) -> list:
        return [ours if getattr(p, "__name__", "") == name else p for p in chain]

    c.GenerateAssignment.preprocessors = replaced(
        GenerateAssignment.class_traits()["preprocessors"].default(),
        "ClearSolutions",
        __getattr__("ClearSolutionsAndAnswers"),
    )
    c.Autograde.autograde_preprocessors = replaced(
        Autograde.class_traits()["autograde_preprocessors"].default(),
        "Execute",
        __getattr__("ExecuteAsFarAsItGets"),
    )
    c.ClearSolutions.code_stub = {"python": f"# YOUR CODE HERE\n{student.STUB}"}
    c.Execute.timeout = int(timeout)
    c.Execute.interrupt_on_timeout = True
    c.Execute.execute_retries = 0
    c.Execute.iopub_timeout = 120  # a loaded machine may take long to go idle
    os.environ.setdefault("CNNRNN_PROFILE", "smoke")
    os.environ.setdefault("CNNRNN_DATA", "offline")
    return c


def _sheet_and_task(path: Path) -> tuple[str, str]:
    rel = path.resolve().relative_to(notebooks_dir())
    return (rel.parts[0], rel.name) if len(rel.parts) > 1 else ("", rel.name)


def write_course(
    out_dir: str | os.PathLike, selection: Sequence[str] = (), *, echo=print
) -> list[Path]:
    """Lay out an nbgrader course: ``source/<sheet>/<task>.ipynb`` and its config.

    Parameters
    ----------
    out_dir
        The course folder (created; existing source notebooks are replaced).
    selection
        Notebook paths or fragments (default: every task notebook); each
        sheet folder becomes one nbgrader assignment.

    Returns
    -------
    list of pathlib.Path
        The source notebooks, then ``nbgrader_config.py``.

    Every notebook gets its nbgrader marks (:func:`nbgrader_marks`).  Each
    assignment also gets ``requirements.txt`` (the pack at this release: the
    install cell of every notebook installs it where it is missing) and the
    course a ``README.md`` with the grading commands.
    """
    root = Path(out_dir).resolve()
    written = []
    for path in find_notebooks(selection):
        sheet, task = _sheet_and_task(path)
        if not sheet:
            continue  # 00_start_here: not an assignment
        nb = nbgrader_marks(nbformat.read(path, as_version=4))
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        target = root / "source" / sheet / task
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        (target.parent / "requirements.txt").write_text(
            project.install_requirement() + "\n", encoding="utf-8"
        )
        written.append(target)
        echo(f"source: {target.relative_to(root)}")
    if not written:
        raise ValueError("no task notebook selected")
    config = root / "nbgrader_config.py"
    config.write_text(NBGRADER_CONFIG.format(timeout=AUTOGRADE_TIMEOUT), "utf-8")
    (root / "README.md").write_text(_COURSE_README, encoding="utf-8")
    written.append(config)
    return written


_COURSE_README = """\
# cnnrnn course for nbgrader

Written by `cnnrnn course`. From this folder:

    nbgrader generate_assignment s01_keras_cnn_rnn   # release/ : student copies
    nbgrader collect s01_keras_cnn_rnn               # or put submissions in
                                                     # submitted/<student>/<sheet>/
    nbgrader autograde s01_keras_cnn_rnn             # autograded/ + gradebook.db
    nbgrader generate_feedback s01_keras_cnn_rnn     # feedback/ : one HTML each
    nbgrader export                                  # grades.csv
    cnnrnn grades . s01_keras_cnn_rnn                # per-check class summary
"""


# ------------------------------------------------ per-check class summary


def _error_line(cell: dict) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            lines = [re.sub(r"\x1b\[[0-9;]*m", "", t) for t in out.get("traceback", [])]
            text = " ".join(ln.strip() for ln in lines[-1:] if ln.strip())
            return text or f"{out.get('ename')}: {out.get('evalue')}"
    return ""


def check_summary(
    course_dir: str | os.PathLike,
    assignment: str,
    *,
    out: str | os.PathLike | None = None,
) -> Path:
    """Write the per-check class summary of an autograded assignment as HTML.

    For every autograder test cell (a self-check) of every notebook: how many
    submissions failed it, the most common message and one student who got
    it, with a bar chart; so a tutor sees what to explain next session.
    Reads ``autograded/<student>/<assignment>/*.ipynb``; a notebook missing
    from a submission counts as failed ("not handed in").

    Returns
    -------
    pathlib.Path
        The page (default ``<course>/reports/<assignment>-checks.html``).
    """
    root = Path(course_dir).resolve()
    source = root / "source" / assignment
    if not source.is_dir():
        raise FileNotFoundError(f"no assignment {assignment!r} in {root / 'source'}")
    checks: dict[tuple[str, str], dict[str, Any]] = {}
    order = []
    for nb_path in sorted(source.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                key = (nb_path.name, meta["grade_id"])
                first = next(
                    (ln for ln in cell.source.splitlines() if CHECK_CALL.search(ln)),
                    cell.source.splitlines()[0] if cell.source else "",
                )
                checks[key] = {"call": first.strip(), "failed": Counter(), "who": {}}
                order.append(key)
    students = sorted(
        p.name for p in (root / "autograded").iterdir() if (p / assignment).is_dir()
    ) if (root / "autograded").is_dir() else []  # fmt: skip
    for who in students:
        for name in {k[0] for k in order}:
            path = root / "autograded" / who / assignment / name
            got = {}
            if path.is_file():
                nb = nbformat.read(path, as_version=4)
                for cell in nb.cells:
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    if gid:
                        got[gid] = cell
            for key in (k for k in order if k[0] == name):
                cell = got.get(key[1])
                message = (
                    "not handed in" if not path.is_file()
                    else "check cell missing" if cell is None
                    else _error_line(cell)
                )  # fmt: skip
                if message:
                    checks[key]["failed"][message] += 1
                    checks[key]["who"].setdefault(message, who)
    target = Path(out) if out else root / "reports" / f"{assignment}-checks.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_summary_html(assignment, students, order, checks), "utf-8")
    (target.with_suffix(".json")).write_text(
        json.dumps(
            {
                "assignment": assignment,
                "students": len(students),
                "checks": [
                    {
                        "notebook": k[0],
                        "grade_id": k[1],
                        "call": checks[k]["call"],
                        "failed": sum(checks[k]["failed"].values()),
                        "messages": dict(checks[k]["failed"].most_common()),
                    }
                    for k in order
                ],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return target


def _summary_html(assignment, students, order, checks) -> str:
    n = max(len(students), 1)
    rows = []
    for key in order:
        entry = checks[key]
        failed = sum(entry["failed"].values())
        common, example = "", ""
        if entry["failed"]:
            common, count = entry["failed"].most_common(1)[0]
            example = f"{entry['who'][common]} ({count}×)"
        width = round(100 * failed / n)
        rows.append(
            "<tr>"
            f"<td><code>{html.escape(key[0])}</code><br><code>"
            f"{html.escape(entry['call'])}</code></td>"
            f"<td class='bar'><div class='fill' style='width:{width}%'></div>"
            f"<span>{failed} of {len(students)}</span></td>"
            f"<td>{html.escape(common) or '—'}</td><td>{html.escape(example)}</td>"
            "</tr>"
        )
    return (
        "<!doctype html><meta charset='utf-8'>"
        f"<title>{html.escape(assignment)}: checks across the class</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
        "collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.4em;"
        "text-align:left;vertical-align:top}.bar{width:30%;position:relative}"
        ".fill{background:#c0392b;height:1.4em}.bar span{position:absolute;"
        "left:.4em;top:.45em;font-size:90%}</style>"
        f"<h1>{html.escape(assignment)}: which checks failed how often</h1>"
        f"<p>{len(students)} submission(s). The bar is the share that failed.</p>"
        "<table><tr><th>check</th><th>failed</th><th>most common message</th>"
        "<th>for example</th></tr>" + "".join(rows) + "</table>"
    )


def clean(path: Path) -> None:
    """Remove a folder tree if it exists (for tests and re-runs)."""
    if path.exists():
        shutil.rmtree(path)
