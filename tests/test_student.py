"""Student versions: stubs, blank answers, no leaks, and each copy runs to its stub."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cnnrnn_helpers import cli, student
from cnnrnn_helpers.notebooks import find_notebooks

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
    assert info.value.ename == "NotImplementedError", info.value.evalue
    failed = next(
        k
        for k, c in enumerate(stu.cells)
        if c.cell_type == "code"
        and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    )
    assert student.STUB in stu.cells[failed].source or any(
        student.STUB in c.source for c in stu.cells[:failed] if c.cell_type == "code"
    )
