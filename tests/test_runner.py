"""`cnnrnn run`: time limits, progress lines, results.json, the index, `results`."""

from __future__ import annotations

import json

import nbformat
import pytest

from cnnrnn_helpers.course import cli, runner

RECORDING = """\
from cnnrnn_helpers import results
from cnnrnn_helpers.data import load_crt, make_sum_series
load_crt(limit=10)
results.record("CRT validation accuracy", 0.91, sheet="about 0.98")
make_sum_series(5)
results.record("parameters", 1671, sheet=1671, unit="params", data="")
results.note("our generator, not the lab's files")
"""


def _write(path, *sources, title="# Sheet 9 · Task 1 — a test"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(title)]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_records_and_sources_come_back_from_the_kernel(tmp_path):
    path = _write(tmp_path / "rec.ipynb", RECORDING, "raise RuntimeError('late')")
    _, result = runner.execute_notebook(path, profile="smoke", data="offline")
    assert not result.ok and "late" in result.error  # records before it survive
    assert result.title == "Sheet 9 · Task 1 — a test"
    assert result.sources == {"crt": "generated", "sum_series": "generated"}
    assert result.data == "generated"
    assert result.records == [
        {
            "name": "CRT validation accuracy",
            "value": 0.91,
            "sheet": "about 0.98",
            "unit": "",
            "data": "crt",
        },
        {
            "name": "parameters",
            "value": 1671,
            "sheet": 1671,
            "unit": "params",
            "data": "",
        },
    ]


def test_a_cell_over_the_limit_fails_and_the_rest_is_reported(tmp_path):
    path = _write(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    _, result = runner.execute_notebook(
        path, profile="smoke", data="offline", timeout=2
    )
    assert not result.ok
    assert "Timeout" in result.error or "timed out" in result.error
    assert result.seconds < 25
    with pytest.raises(ValueError, match="timeout must be None or seconds"):
        runner.execute_notebook(path, profile="smoke", data="offline", timeout=-1)


def test_defaults_no_limit_in_full():
    assert runner.DEFAULT_TIMEOUTS == {"full": None, "quick": 900, "smoke": 900}


def test_progress_lines_name_the_running_cell(tmp_path):
    path = _write(tmp_path / "beat.ipynb", "x = 1", "import time\ntime.sleep(2.5)")
    lines: list[str] = []
    _, result = runner.execute_notebook(
        path, profile="smoke", data="offline", echo=lines.append, heartbeat=0.5
    )
    assert result.ok, result.error
    in_sleep = [ln for ln in lines if "cell 3/3" in ln]
    assert in_sleep, lines
    assert in_sleep[-1].startswith("  ... beat.ipynb: cell 3/3 for ")
    assert in_sleep[-1].endswith("): import time")


def test_run_writes_results_json_and_merges_later_runs(tmp_path):
    first = _write(tmp_path / "a.ipynb", RECORDING)
    second = _write(tmp_path / "b.ipynb", "1 + 1", title="# Another")
    out = tmp_path / "out"
    lines: list[str] = []
    runs = runner.run_notebooks(
        [first], profile="smoke", data="offline", out_dir=out, echo=lines.append
    )
    assert lines[0] == "[1/1] a.ipynb (profile=smoke, data=offline) ..."
    assert lines[-1].startswith("[1/1] a.ipynb: ")
    assert lines[-1].endswith(" s, ok, 2 figure(s) recorded, data generated")
    runner.write_results_json(runs, out, profile="smoke", data="offline")
    seen: list[int] = []
    runs = runner.run_notebooks(
        [second],
        profile="smoke",
        data="offline",
        out_dir=out,
        echo=lines.append,
        on_result=lambda done: seen.append(len(done)),
    )
    assert seen == [1]  # called after each notebook with the results so far
    target = runner.write_results_json(runs, out, profile="smoke", data="offline")
    doc = json.loads(target.read_text())
    assert set(doc) == {"profile", "data", "commit", "machine", "notebooks"}
    assert (doc["profile"], doc["data"]) == ("smoke", "offline")
    assert set(doc["machine"]) == {"cpus", "gpu"}
    assert [nb["path"] for nb in doc["notebooks"]] == ["a.ipynb", "b.ipynb"]
    a, b = doc["notebooks"]
    assert a["status"] == b["status"] == "ok"
    assert a["sources"] == {"crt": "generated", "sum_series": "generated"}
    assert [r["name"] for r in a["results"]] == [
        "CRT validation accuracy",
        "parameters",
    ]
    assert b["results"] == [] and b["sources"] == {}
    assert {"seconds", "date", "commit", "title"} <= set(a)
    assert (a["note"], b["note"]) == ("our generator, not the lab's files", "")
    with pytest.raises(ValueError, match="cannot merge a full/offline run"):
        runner.results_document(runs, profile="full", data="offline", previous=doc)


def test_index_groups_by_sheet_and_shows_figures(tmp_path):
    path = _write(tmp_path / "a.ipynb", RECORDING)
    runs = runner.run_notebooks(
        [path], profile="smoke", data="offline", out_dir=tmp_path, echo=lambda _: None
    )
    page = runner.write_index(runs, tmp_path, profile="smoke", data="offline")
    text = page.read_text()
    assert '<a href="a.html">Sheet 9 · Task 1 — a test</a>' in text
    assert "<td>CRT validation accuracy</td><td>0.91</td><td>about 0.98</td>" in text
    assert "crt: generated, sum_series: generated" in text
    assert "<p>our generator, not the lab&#x27;s files</p>" in text


def test_cli_results_prints_markdown(tmp_path, capsys):
    doc = {
        "profile": "full",
        "data": "offline",
        "commit": "abc",
        "machine": {"cpus": 2, "gpu": []},
        "notebooks": [
            {
                "path": "notebooks/s05_x/t01_y.ipynb",
                "title": "Sheet 5 · Task 1",
                "seconds": 90.0,
                "status": "ok",
                "sources": {"fashion_mnist": "stand-in"},
                "results": [
                    {
                        "name": "test accuracy",
                        "value": 0.8,
                        "sheet": 0.771,
                        "unit": "",
                        "data": "fashion_mnist",
                    }
                ],
            }
        ],
    }
    file = tmp_path / "results.json"
    file.write_text(json.dumps(doc))
    assert cli.main(["results", str(file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "**Total: 1/1 notebooks ok, 1 min 30 s of wall time in all** "
        "(the sum of the notebooks' times)."
    ) in out
    assert cli.main(["results", str(file), "s05_x"]) == 0  # one notebook: no page
    assert "**1/1 notebooks ok, 1.5 min in all.**" in capsys.readouterr().out
    assert "## s05_x" in out and "### Sheet 5 · Task 1" in out
    assert "| test accuracy | 0.8 | 0.771 | fashion_mnist (stand-in) |" in out
    page = tmp_path / "docs" / "RESULTS.md"
    assert cli.main(["results", str(file), "--out", str(page)]) == 0
    assert page.read_text().startswith("<!-- generated by `cnnrnn results ")
    assert (
        "| test accuracy | 0.8 | 0.771 | fashion_mnist (stand-in) |" in page.read_text()
    )
    file.write_text("[1, 2]")
    assert cli.main(["results", str(file)]) == 2
    assert "not a results.json file" in capsys.readouterr().err


def test_cli_rejects_a_negative_timeout(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--timeout", "-5"])
    assert "expected seconds >= 0" in capsys.readouterr().err


def test_stamp_run_times_replaces_the_old_paragraph():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# T\n\nSummary.\n\n**Expected run time** (laptop): full about\n"
            "2 h, quick 1 min.\n\nMore."
        )
    ]
    times = runner.measured_times(
        [
            {
                "profile": "full",
                "notebooks": [{"path": "a", "seconds": 3725, "status": "ok"}],
            },
            {
                "profile": "smoke",
                "notebooks": [{"path": "a", "seconds": 9.4, "status": "ok"}],
            },
            {
                "profile": "quick",
                "notebooks": [{"path": "a", "seconds": 5, "status": "failed"}],
            },
        ]
    )
    assert times == {"a": {"full": 3725.0, "smoke": 9.4}}
    assert runner.stamp_run_times(nb, times["a"])
    assert nb.cells[0].source == (
        "# T\n\nSummary.\n\n**Run time** (2-core CPU, offline data, measured with "
        "`cnnrnn run`): full 1 h 02 min · quick not yet measured · smoke 9 s."
        "\n\nMore."
    )
    assert not runner.stamp_run_times(nb, times["a"])  # idempotent
    assert runner.run_time_line({"quick": 75}).endswith(
        "full not yet measured · quick 1 min 15 s · smoke not yet measured."
    )


def _result(text, **extra):
    return {"output_type": "execute_result", "data": {"text/plain": text, **extra}}


def test_stray_outputs_finds_bools_and_figures():
    assert runner.stray_outputs([_result("False")]) == [
        "the cell shows a stray return value 'False'"
    ]
    [msg] = runner.stray_outputs([_result("<Figure size 640x480 with 1 Axes>")])
    assert msg.startswith("the cell's last expression returns a figure")
    assert runner.stray_outputs([_result("<Figure>", **{"image/png": "iVBOR"})])
    fine = [
        _result("(28, 28)"),
        _result("table", **{"text/html": "<table></table>"}),
        {"output_type": "stream", "name": "stdout", "text": "False\n"},
    ]
    assert runner.stray_outputs(fine) == []


def test_run_with_a_relative_out_folder(tmp_path, monkeypatch, capsys):
    # the kernel runs in the notebook's folder, not in the caller's: every
    # output path must be resolved before it starts (issue 24)
    folder = tmp_path / "nbs"
    folder.mkdir()
    path = _write(folder / "rel.ipynb", RECORDING)
    monkeypatch.chdir(tmp_path)
    status = cli.main(
        ["run", "--profile", "smoke", "--data", "offline", "--no-html",
         "--out", "build/relcheck", str(path)]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "1/1 ok" in out
    done = tmp_path / "build" / "relcheck"
    assert (done / "rel.ipynb").is_file()
    doc = json.loads((done / "results.json").read_text())
    assert [r["name"] for r in doc["notebooks"][0]["results"]] == [
        "CRT validation accuracy",
        "parameters",
    ]
    assert not (folder / "build").exists()  # nothing written beside the notebook


def test_runner_writes_the_precision_into_results_json(tmp_path):
    run = runner.RunResult(
        path=tmp_path / "t01.ipynb", ok=True, seconds=1.0, precision="mixed_bfloat16"
    )
    doc = runner.results_document([run], profile="full", data="offline")
    assert doc["notebooks"][0]["precision"] == "mixed_bfloat16"
