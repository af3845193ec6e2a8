"""The results recorder: records, sources, the table and the JSON-lines file."""

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
