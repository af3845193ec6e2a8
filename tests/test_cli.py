"""The cnnrnn command and the notebook runner."""

from __future__ import annotations

import nbformat
import pytest

from cnnrnn_helpers.course import cli, runner


def _nb(*sources: str, checked: int | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_find_notebooks_selection():
    every = runner.find_notebooks()
    assert every == sorted(every)
    conv = runner.find_notebooks(["t04_manual_conv_pool"])
    assert [p.name for p in conv] == ["t04_manual_conv_pool.ipynb"]
    with pytest.raises(FileNotFoundError, match="no notebook matches 'nope'"):
        runner.find_notebooks(["nope"])


def test_is_checked_and_keep_checked_outputs():
    nb = _nb("# NBVAL_CHECK_OUTPUT\nprint(1)", "print(2)", "#NBVAL_CHECK_OUTPUT\n1")
    for cell in nb.cells:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
        cell.execution_count = 3
    assert [runner.is_checked(c) for c in nb.cells] == [True, False, True]
    runner.keep_checked_outputs(nb)
    assert [len(c.outputs) for c in nb.cells] == [1, 0, 1]
    assert [c.execution_count for c in nb.cells] == [1, None, 2]
    assert nb.metadata.kernelspec.name == "python3"
    assert [c.id for c in nb.cells] == ["cell-000", "cell-001", "cell-002"]


def test_execute_notebook_reports_success_and_failure(tmp_path):
    good = tmp_path / "good.ipynb"
    nbformat.write(_nb("import os\nprint(os.environ['CNNRNN_PROFILE'])"), good)
    nb, result = runner.execute_notebook(good, profile="quick", data="offline")
    assert result.ok, result.error
    assert nb.cells[0].outputs[0].text == "quick\n"
    bad = tmp_path / "bad.ipynb"
    nbformat.write(_nb("raise RuntimeError('boom')"), bad)
    _, result = runner.execute_notebook(bad, profile="smoke", data="offline")
    assert not result.ok
    assert "boom" in result.error
    with pytest.raises(ValueError, match="profile must be"):
        runner.execute_notebook(good, profile="slow", data="offline")


def test_format_table_has_totals(tmp_path):
    rows = [
        runner.RunResult(tmp_path / "a.ipynb", True, 1.5, "stand-in"),
        runner.RunResult(tmp_path / "b.ipynb", False, 2.0, error="x"),
    ]
    table = runner.format_table(rows, tmp_path)
    assert "a.ipynb" in table and "FAILED" in table
    assert table.splitlines()[-1].split() == ["total", "1/2", "ok", "3.5"]


def test_cli_errors_are_reported(capsys):
    assert cli.main(["run", "no-such-notebook"]) == 2
    assert "no notebook matches" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["run", "--profile", "huge"])


def test_cli_run_executes_and_writes_index(tmp_path, capsys):
    status = cli.main(
        [
            "run",
            "--profile",
            "smoke",
            "--data",
            "offline",
            "--out",
            str(tmp_path),
            "--no-html",
            "t02_convolutions_by_hand",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "1/1 ok" in out
    assert (tmp_path / "index.html").is_file()
    executed = list(tmp_path.rglob("t02_convolutions_by_hand.ipynb"))
    assert len(executed) == 1


def test_colab_badge_and_install_cell_are_idempotent(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSummary."),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell("import numpy"),
    ]
    path = runner.notebooks_dir() / "s09_x" / "t01_y.ipynb"
    runner.prepare_notebook(nb, path)
    once = [c.source for c in nb.cells]
    runner.prepare_notebook(nb, path)
    assert [c.source for c in nb.cells] == once
    url = runner.colab_url(path)
    assert url == (
        "https://colab.research.google.com/github/cnnrnn/cnnrnn/blob/v0.1.0/"
        "notebooks/s09_x/t01_y.ipynb"
    )
    assert once[0].splitlines()[:3] == [
        "# Title",
        "",
        f"[![Open In Colab]({runner.COLAB_BADGE})]({url})",
    ]
    assert once[0].endswith("\n\nSummary.")
    assert once[2] == runner.INSTALL_SOURCE
    assert nb.cells[2].metadata.tags == ["install"]
    with pytest.raises(ValueError, match="notebooks/"):
        runner.colab_url(tmp_path / "elsewhere.ipynb")
