"""Student versions: stubs, blank answers, no leaks, and each copy runs to its stub."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cnnrnn_helpers.checks import key
from cnnrnn_helpers.course import cli, student
from cnnrnn_helpers.course.runner import find_notebooks

ROOT = Path(__file__).resolve().parent.parent
TASK_NOTEBOOKS = [p for p in find_notebooks() if p.name != "00_start_here.ipynb"]


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT / "notebooks"))


def test_strip_solutions_keeps_indentation_and_surroundings():
    source = (
        "x = 1\n"
        "def f(a):\n"
        "    ### BEGIN SOLUTION\n"
        "    return a * 2\n"
        "    ### END SOLUTION\n"
        "### BEGIN SOLUTION\n"
        "y = f(x)\n"
        "### END SOLUTION\n"
        "print(y)"
    )
    assert student.strip_solutions(source) == (
        "x = 1\n"
        "def f(a):\n"
        "    # YOUR CODE HERE\n"
        f"    {student.STUB}\n"
        "# YOUR CODE HERE\n"
        f"{student.STUB}\n"
        "print(y)"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1", "without a matching"),
        ("x = 1\n### END SOLUTION", "without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "nested"),
    ],
)
def test_strip_solutions_rejects_unbalanced_markers(source, message):
    with pytest.raises(ValueError, match=message):
        student.strip_solutions(source)


def _toy_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_markdown_cell(
        "## Answers\n\nThe secret answer is forty-two, because of reasons."
    )
    answer.metadata["tags"] = ["solution"]
    code = nbformat.v4.new_code_cell(
        "# NBVAL_CHECK_OUTPUT\n### BEGIN SOLUTION\n"
        "result = sum(range(10)) * 42 + 1234567\n### END SOLUTION\nprint(result)"
    )
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="secret\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code, answer]
    return nb


def test_student_notebook_blanks_answers_and_outputs():
    nb = _toy_notebook()
    stu = student.student_notebook(nb)
    assert "42 + 1234567" in nb.cells[1].source, "the input must not change"
    assert stu.cells[1].outputs == []
    assert "NBVAL_CHECK_OUTPUT" not in stu.cells[1].source
    assert student.STUB in stu.cells[1].source
    assert stu.cells[2].source == "## Answers\n\n*Your answer here.*"
    assert "tags" not in stu.cells[2].metadata
    assert "Student version" in stu.cells[0].source
    fragments = student.solution_fragments(nb)
    assert fragments == [
        "The secret answer is forty-two, because of reasons.",
        "result = sum(range(10)) * 42 + 1234567",
    ]


def test_student_notebook_needs_solutions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title")]
    with pytest.raises(ValueError, match="no solution blocks"):
        student.student_notebook(nb)


def test_cli_student_writes_copies(tmp_path, capsys):
    assert cli.main(["student", "--out", str(tmp_path), "t04_manual_conv_pool"]) == 0
    out = tmp_path / "s01_keras_cnn_rnn" / "t04_manual_conv_pool.ipynb"
    assert out.is_file()
    assert "1 student notebook(s)" in capsys.readouterr().out


@pytest.mark.parametrize("path", TASK_NOTEBOOKS, ids=_id)
def test_task_notebook_has_solutions_and_no_leaks(path):
    nb = nbformat.read(path, as_version=4)
    assert any(student.BEGIN in c.source for c in nb.cells if c.cell_type == "code")
    assert any(
        "solution" in c.metadata.get("tags", [])
        for c in nb.cells
        if c.cell_type == "markdown"
    ), "answers must sit in markdown cells tagged 'solution'"
    stu = student.student_notebook(nb)
    lines = {ln.strip() for c in stu.cells for ln in c.source.splitlines()}
    leaked = [f for f in student.solution_fragments(nb) if f in lines]
    assert not leaked, f"solution text in the student copy: {leaked[:3]}"


@pytest.mark.parametrize("path", TASK_NOTEBOOKS, ids=_id)
def test_student_copy_runs_up_to_its_first_stub(path, tmp_path):
    """Smoke/offline (root conftest): every cell before the stub must succeed."""
    stu = student.student_notebook(nbformat.read(path, as_version=4))
    client = NotebookClient(
        stu,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    # a stub in the cell, or a check that called one (checks' NotWritten)
    assert info.value.ename in ("NotImplementedError", "NotWritten"), (
        info.value.evalue
    )
    failed = next(
        k
        for k, c in enumerate(stu.cells)
        if c.cell_type == "code"
        and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    )
    error = next(o for o in stu.cells[failed].outputs if o.output_type == "error")
    assert len(error.traceback) == 1, error.traceback  # one friendly line
    assert "not written yet" in error.traceback[0]
    assert student.STUB in stu.cells[failed].source or any(
        student.STUB in c.source for c in stu.cells[:failed] if c.cell_type == "code"
    )


# ------------------------------------------------- answer marks (issue 14)


def _marked_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    title = nbformat.v4.new_markdown_cell(
        "# Title\n\nWe derive <!-- BEGIN ANSWER -->the 3330 parameters<!-- END "
        "ANSWER --> by hand."
    )
    setup = nbformat.v4.new_code_cell(
        "# NBVAL_CHECK_OUTPUT\nside = 5  # ANSWER: 28 -> 26 -> 13 -> 11 -> 5\n"
        "# ANSWER: so 200 values reach the dense layer\n"
        "### BEGIN ANSWER\nassert side * side * 8 == 200\n### END ANSWER\n"
        "print(side)"
    )
    derivation = nbformat.v4.new_markdown_cell("### (c) By hand\n\n160 + 1160 + 2010")
    derivation.metadata["tags"] = ["answer"]
    shown = nbformat.v4.new_code_cell("print(160 + 1160 + 2010)")
    shown.metadata["tags"] = ["answer", "keep-me"]
    code = nbformat.v4.new_code_cell(
        "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
    )
    nb.cells = [title, setup, derivation, shown, code]
    return nb


def test_answer_marks_are_blanked_and_the_question_stays():
    nb = _marked_notebook()
    stu = student.student_notebook(nb)
    assert stu.cells[0].source.startswith(
        f"# Title\n\nWe derive {student.ANSWER_INLINE} by hand."
    )
    assert stu.cells[1].source == "side = 5\nprint(side)"
    assert stu.cells[2].source == f"### (c) By hand\n\n{student.ANSWER_PLACEHOLDER}"
    assert stu.cells[3].source == student.ANSWER_CELL_PLACEHOLDER
    assert stu.cells[3].metadata["tags"] == ["keep-me"]
    text = "\n".join(c.source for c in stu.cells)
    for answer in ("3330", "200", "2010", "13 -> 11"):
        assert answer not in text
    fragments = student.solution_fragments(nb, min_length=5)
    assert "assert side * side * 8 == 200" in fragments
    assert "the 3330 parameters" in fragments
    assert "# ANSWER: 28 -> 26 -> 13 -> 11 -> 5" in fragments


def test_restore_solutions_round_trip_and_rejects_other_changes():
    nb = _marked_notebook()
    stu = student.student_notebook(nb)
    back = student.restore_solutions(stu, nb)
    assert [c.source for c in back.cells] == [c.source for c in nb.cells]
    assert back.cells[3].metadata["tags"] == ["answer", "keep-me"]
    # the student's own code in place of a stub is fine ...
    stu.cells[4].source = stu.cells[4].source.replace(student.STUB, "return x + x")
    student.restore_solutions(stu, nb)
    # ... a change of the set-up is not
    stu.cells[1].source = stu.cells[1].source.replace("side = 5", "side = 6")
    with pytest.raises(ValueError, match=r"cell 1 .* changed outside its solution"):
        student.restore_solutions(stu, nb)
    stu.cells = stu.cells[:4]
    with pytest.raises(ValueError, match="the copy has 4 cells"):
        student.restore_solutions(stu, nb)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN ANSWER\nx = 1", "without a matching"),
        ("x = 1\n### END ANSWER", "without"),
    ],
)
def test_unbalanced_answer_markers(source, message):
    nb = _marked_notebook()
    nb.cells[1].source = source
    with pytest.raises(ValueError, match=message):
        student.student_notebook(nb)


@pytest.mark.parametrize("path", TASK_NOTEBOOKS, ids=_id)
def test_student_copy_is_valid_and_round_trips(path):
    worked = nbformat.read(path, as_version=4)
    stu = student.student_notebook(worked)
    nbformat.validate(stu)
    assert [c.get("id") for c in stu.cells] == [c.get("id") for c in worked.cells]
    back = student.restore_solutions(stu, worked)
    for k, (mine, ref) in enumerate(zip(back.cells, worked.cells)):
        assert mine.source == ref.source, f"cell {k}"
        assert mine.metadata.get("tags") == ref.metadata.get("tags"), f"cell {k}"


@pytest.mark.parametrize(
    "name",
    sorted({a.notebook for a in key.ANSWERS.values() if not a.copy_may_show}),
)
def test_student_copy_gives_no_answer_away(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    stu = student.student_notebook(nb)
    found = [
        f"cell {k}: {hit.text!r} ({hit.name})"
        for k, cell in enumerate(stu.cells)
        for hit in key.leaks(cell.source, name)
    ]
    assert not found, "answers in the student copy: " + "; ".join(found[:5])
