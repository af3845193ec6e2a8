"""The results recorder: records, sources, the table, the JSON-lines file,
verdicts over seeds (compare) and the answers' first lines (conclude)."""

import json

import numpy as np
import pytest

from cnnrnn_helpers import results
from cnnrnn_helpers.course import report
from cnnrnn_helpers.data import Dataset, load_crt, make_sum_series


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv(results.RESULTS_FILE_ENV, raising=False)
    results.clear()
    yield
    results.clear()


def test_record_returns_value_and_converts_numpy_scalars():
    acc = np.float32(0.75)
    assert results.record("acc", acc, sheet=np.float64(0.768)) is acc
    results.record("params", np.int64(8070), sheet=8070, unit="params", data="")
    results.record("done", np.bool_(True))
    results.record("loss", float("nan"))
    recs = {r.name: r for r in results.records()}
    assert recs["acc"].value == 0.75 and type(recs["acc"].value) is float
    assert recs["params"].value == 8070 and type(recs["params"].value) is int
    assert recs["done"].value is True
    assert recs["loss"].value == "nan"
    assert results.value("params") == 8070


def test_recording_again_replaces_in_place():
    results.record("a", 1)
    results.record("b", 2)
    results.record("a", 3)
    assert [(r.name, r.value) for r in results.records()] == [("a", 3), ("b", 2)]


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"name": 3, "value": 1}, TypeError, "name must be a str"),
        ({"name": " ", "value": 1}, ValueError, "name must not be empty"),
        ({"name": "x", "value": [1, 2]}, TypeError, "value must be a number"),
        ({"name": "x", "value": 1, "unit": 5}, TypeError, "unit must be a str"),
        ({"name": "x", "value": 1, "data": 5}, TypeError, "data must be a Dataset"),
    ],
)
def test_record_rejects_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        results.record(**kwargs)


def test_value_of_unknown_name_lists_known_ones():
    results.record("acc", 0.5)
    with pytest.raises(KeyError, match="'acc'"):
        results.value("accuracy")


def test_loaders_and_generators_note_their_sources():
    load_crt(limit=10)
    make_sum_series(5)
    Dataset("mnist", *[np.zeros((1, 2))] * 4, ("a",), "stand-in")
    assert results.sources() == {
        "crt": "generated",
        "sum_series": "generated",
        "mnist": "stand-in",
    }
    results.record("acc", 0.9)  # the dataset loaded last
    results.record("crt acc", 0.8, data="crt")
    results.record("params", 10, data="")
    rows = results.table().rows
    assert rows == [
        ["acc", "0.9", "", "mnist (stand-in)"],
        ["crt acc", "0.8", "", "crt (generated)"],
        ["params", "10", "", "-"],
    ]


def test_table_renders_text_markdown_and_html():
    assert repr(results.table()) == "(no figures recorded yet)"
    results.record("CNN test acc", 0.85771, sheet=0.8577)
    results.record("seconds per epoch", 12.345, unit="s", data="")
    tab = results.table()
    row = repr(tab).splitlines()[2].split()
    assert row == ["CNN", "test", "acc", "0.8577", "0.8577", "-"]
    md = tab._repr_markdown_().splitlines()
    assert md[0] == "| figure | this run | sheet | data |"
    assert md[3] == "| seconds per epoch | 12.35 s |  | - |"
    assert "<td>CNN test acc</td><td>0.8577</td>" in tab._repr_html_()


def test_events_go_to_the_results_file(tmp_path, monkeypatch):
    target = tmp_path / "events.jsonl"
    monkeypatch.setenv(results.RESULTS_FILE_ENV, str(target))
    load_crt(limit=10)
    results.record("acc", 0.5, sheet=0.98)
    results.record("acc", 0.6, sheet=0.98)
    with open(target, "a") as fh:
        fh.write('{"kind": "record", "name": "torn')  # a kernel killed mid-line
    recs, srcs = report.read_events(target)
    assert srcs == {"crt": "generated"}
    assert recs == [
        {"name": "acc", "value": 0.6, "sheet": 0.98, "unit": "", "data": "crt"}
    ]
    assert len(target.read_text().splitlines()) == 4
    assert json.loads(target.read_text().splitlines()[0])["kind"] == "source"
    assert report.read_events(tmp_path / "missing") == ([], {})


# ------------------------------------------------ compare and conclude


def test_clear_difference_is_a_verdict():
    c = results.compare("acc", [0.90, 0.91, 0.92], [0.80, 0.81, 0.82], a="x", b="y")
    assert c.verdict == "a"
    assert c.winner == "x"
    assert c.mean_a == pytest.approx(0.91)
    assert c.sd_b == pytest.approx(0.01)
    assert c.threshold == pytest.approx(0.02)  # 2 x pooled sd 0.01
    assert c.difference == pytest.approx(0.10)
    assert "x is ahead by 0.1000" in c.sentence()


def test_difference_inside_the_spread_is_a_tie():
    c = results.compare("acc", [0.90, 0.91, 0.92], [0.905, 0.915, 0.925])
    assert c.verdict == "tie"
    assert c.winner is None
    assert "neither is ahead" in str(c)
    assert results.value("acc: verdict") == "no difference"


def test_pooled_sd_uses_both_spreads():
    # sd 0.01 and 0.03, n=3 each: pooled sqrt((0.0001+0.0009)/2) = 0.02236
    c = results.compare("acc", [0.50, 0.51, 0.52], [0.40, 0.43, 0.46])
    assert c.threshold == pytest.approx(2 * np.sqrt(0.0005))
    assert c.verdict == "a"


def test_lower_is_better_and_margin_floor():
    c = results.compare(
        "s/epoch",
        [10.0, 10.1, 9.9],
        [12.0, 12.1, 11.9],
        a="strided",
        b="pooled",
        higher_is_better=False,
    )
    assert c.verdict == "a"
    c = results.compare("s/epoch", [10.0, 10.1], [10.5, 10.6], margin=1.0)
    assert c.threshold == 1.0
    assert c.verdict == "tie"


def test_single_run_needs_a_margin():
    with pytest.raises(ValueError, match="margin"):
        results.compare("acc", [0.9], [0.8, 0.81])
    c = results.compare("acc", [0.9], [0.8], margin=0.05)
    assert c.verdict == "a"
    assert c.summary("a") == "0.9000 (one run)"
    assert results.records()[0].n is None  # a plain figure, no "± 0"


def test_records_mean_spread_and_n():
    results.compare("acc", np.array([0.9, 0.92]), [np.float32(0.5), 0.52], a="p")
    rec = {r.name: r for r in results.records()}
    assert rec["acc: p"].n == 2
    assert rec["acc: p"].spread == pytest.approx(0.0141421, rel=1e-5)
    assert rec["acc: verdict"].value == "p"
    text = repr(results.table())
    assert "0.91 ± 0.0141 (n=2)" in text


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"a_runs": "0.9", "b_runs": [0.8]}, TypeError),
        ({"a_runs": [], "b_runs": [0.8, 0.9]}, ValueError),
        ({"a_runs": [0.9, True], "b_runs": [0.8, 0.9]}, TypeError),
        ({"a_runs": [0.9, 0.8], "b_runs": [0.8, 0.9], "margin": -1}, ValueError),
        ({"a_runs": [0.9, 0.8], "b_runs": [0.8, 0.9], "a": ""}, TypeError),
    ],
)
def test_bad_input(kwargs, error):
    with pytest.raises(error):
        results.compare("acc", **kwargs)


def test_record_spread_and_n_go_together():
    with pytest.raises(ValueError, match="both or neither"):
        results.record("x", 1.0, spread=0.1)
    with pytest.raises(ValueError, match="spread"):
        results.record("x", 1.0, spread=-0.1, n=3)


def test_conclude_renders_records_and_reaches_the_report(tmp_path, monkeypatch):
    target = tmp_path / "r.jsonl"
    monkeypatch.setenv(results.RESULTS_FILE_ENV, str(target))
    c = results.conclude("(b)", "Pooling  gives 0.912\n against 0.905.")
    assert c == "Pooling gives 0.912 against 0.905."
    assert c._repr_markdown_() == "**(b)** Pooling gives 0.912 against 0.905."
    results.conclude("(c)", "Three of 10 filters stay silent.")
    results.conclude("(b)", "Pooling gives 0.913.")  # a re-run replaces
    assert results.conclusions() == {
        "(b)": "Pooling gives 0.913.",
        "(c)": "Three of 10 filters stay silent.",
    }
    assert report.read_conclusions(target) == results.conclusions()
    doc = {
        "notebooks": [
            {
                "path": "notebooks/s01_x/t01_y.ipynb",
                "status": "ok",
                "seconds": 1,
                "conclusions": results.conclusions(),
            }
        ]
    }
    page = report.markdown_report(doc, summary=False)
    assert "* **(b)** Pooling gives 0.913." in page
    assert json.loads(target.read_text().splitlines()[0])["kind"] == "conclusion"


def test_conclude_wants_figures():
    with pytest.raises(ValueError, match="no figure"):
        results.conclude("(a)", "Pooling helps.")
    with pytest.raises(TypeError):
        results.conclude("(a)", 0.9)
    with pytest.raises(ValueError, match="empty"):
        results.conclude("(a)", "   ")
