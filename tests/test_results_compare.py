"""results.compare (verdicts over seeds) and results.conclude (answers' first lines)."""

import json

import numpy as np
import pytest

from cnnrnn_helpers import results
from cnnrnn_helpers.course import report


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv(results.RESULTS_FILE_ENV, raising=False)
    results.clear()
    yield
    results.clear()


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
