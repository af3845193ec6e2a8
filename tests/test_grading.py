"""Grading with nbgrader: marks, copies as generate_assignment's, a class autograded.

The class test builds a course from two sheets (one notebook each: s01 t04,
convolution and pooling by hand, and s05 t02, the Sobel matrices), releases
s01, hands in seven submissions and autogrades them with nbgrader itself
(smoke profile, offline data, from conftest.py), then checks the points of
each submission, the feedback and the per-check class summary.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cnnrnn_helpers.course import cli, grading, runner, student

pytest.importorskip("nbgrader", reason="nbgrader is the [grade] extra")

SHEET = "s01_keras_cnn_rnn"
TASK = "t04_manual_conv_pool.ipynb"
TASK_NOTEBOOKS = [p for p in runner.find_notebooks() if p.name != "00_start_here.ipynb"]


def _id(path: Path) -> str:
    return str(path.relative_to(runner.notebooks_dir()))


# ----------------------------------------------------------------- marks


def test_marks_are_nbgrader_metadata_and_idempotent():
    path = runner.find_notebooks(["s01_keras_cnn_rnn/t04"])[0]
    nb = grading.nbgrader_marks(nbformat.read(path, as_version=4))
    kinds = {}
    for cell in nb.cells:
        meta = cell.metadata["nbgrader"]
        assert meta["schema_version"] == 3
        kind = meta["grade_id"].split("-")[0]
        kinds.setdefault(kind, []).append(meta)
    assert [m["points"] for m in kinds["check"]] == [1, 1]  # conv2d, max_pool2d
    assert all(m["grade"] and m["locked"] for m in kinds["check"])
    # the loops for conv2d and max_pool2d, and the vectorised convolution
    assert len(kinds["answer"]) == 3 and all(m["solution"] for m in kinds["answer"])
    assert all(m["solution"] and m["grade"] for m in kinds["written"])
    assert all(m["locked"] and not m["grade"] for m in kinds["fixed"])
    plan = []
    again = grading.nbgrader_marks(copy.deepcopy(nb), plan)
    assert again == nb and plan == []  # nothing left to do
    tidy = runner.tidy_metadata(copy.deepcopy(nb))  # `cnnrnn refresh` keeps them
    assert [c.metadata.get("nbgrader") for c in tidy.cells] == [
        c.metadata["nbgrader"] for c in nb.cells
    ]


@pytest.mark.parametrize("path", TASK_NOTEBOOKS, ids=_id)
def test_cnnrnn_student_gives_the_copy_nbgraders_preprocessors_give(path):
    worked = nbformat.read(path, as_version=4)
    ours = student.student_notebook(worked)
    theirs = grading.student_copy(worked)
    assert [c.source for c in theirs.cells] == [c.source for c in ours.cells]
    assert [c.metadata.get("tags") for c in theirs.cells] == [
        c.metadata.get("tags") for c in ours.cells
    ]
    assert all(not c.get("outputs") for c in theirs.cells if c.cell_type == "code")


# ----------------------------------------------------------- the class


def _nbgrader(course: Path, *args: str, timeout: int = 900):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _by_id(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}


def _submission(release, source, change=None):
    """The release with the source's solutions filled in, then ``change``."""
    nb = copy.deepcopy(release)
    src = _by_id(source)
    for cell in nb.cells:
        meta = cell.metadata["nbgrader"]
        if meta["solution"]:
            cell.source = src[meta["grade_id"]].source
    if change:
        change(nb)
    return nb


def _cell(nb, fragment):
    return next(c for c in nb.cells if fragment in c.source)


def _flip_kernel(nb):
    cell = _cell(nb, "def convolve(")
    cell.source = cell.source.replace("if flip:", "if not flip:")


def _loop(nb):
    cell = _cell(nb, "def max_pool(")
    cell.source = "while True:\n    pass\n" + cell.source


def _die(nb):
    cell = _cell(nb, "def max_pool(")
    cell.source = "import os\nos._exit(1)\n" + cell.source


def _tamper(nb):
    check = _cell(nb, "checks.conv2d(convolve)")
    check.source = "print('all good')"  # an edited locked cell
    nb.cells.remove(_cell(nb, "checks.max_pool2d(max_pool)"))  # a deleted one


def _escape(nb):
    cell = _cell(nb, "def convolve(")
    cell.source += (
        "\nopen('here.txt', 'w').write('inside')"
        "\nopen('../../../escaped.txt', 'w').write('outside')"
    )


SUBMISSIONS = {  # student: (change, autograded points expected of 2)
    "worked": (None, 2),
    "wrongconv": (_flip_kernel, 1),
    "stub": ("release", 0),
    "loop": (_loop, 1),
    "dies": (_die, 1),
    "tampered": (_tamper, 1),
    "escape": (_escape, 2),
}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    two_sheets = [f"{SHEET}/t04", "s05_deep_networks_fashion/t02"]
    assert cli.main(["course", str(course), *two_sheets]) == 0
    for sheet in (SHEET, "s05_deep_networks_fashion"):
        run = _nbgrader(course, "generate_assignment", sheet)
        assert run.returncode == 0, run.stderr[-3000:]
    release = nbformat.read(course / "release" / SHEET / TASK, as_version=4)
    source = nbformat.read(course / "source" / SHEET / TASK, as_version=4)
    for who, (change, _) in SUBMISSIONS.items():
        nb = release if change == "release" else _submission(release, source, change)
        target = course / "submitted" / who / SHEET / TASK
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    run = _nbgrader(
        course, "autograde", SHEET, "--create", "--Execute.timeout=120", timeout=2400
    )
    feedback = _nbgrader(course, "generate_feedback", SHEET)
    return course, run, feedback


def _points(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    url = f"sqlite:///{course / 'gradebook.db'}"
    points = {}
    with Gradebook(url) as gb:
        for who in SUBMISSIONS:
            try:
                nb = gb.find_submission_notebook(TASK[: -len(".ipynb")], SHEET, who)
            except Exception:  # not graded at all
                points[who] = None
                continue
            points[who] = sum(
                g.score for g in nb.grades if g.auto_score is not None
            )
    return points


def test_the_class_gets_exactly_the_expected_points(graded_class):
    course, run, _ = graded_class
    assert run.returncode == 0, run.stderr[-3000:]  # one bad submission stops none
    points = _points(course)
    assert points == {who: want for who, (_, want) in SUBMISSIONS.items()}, (
        points,
        run.stderr[-3000:],
    )


def test_feedback_names_what_is_wrong_in_one_line(graded_class):
    course, _, feedback = graded_class
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    page = lambda who: (  # noqa: E731
        course / "feedback" / who / SHEET / TASK.replace(".ipynb", ".html")
    ).read_text(encoding="utf-8")
    assert "the result is the true convolution: the kernel is flipped" in page(
        "wrongconv"
    )
    assert "not written yet" in page("stub")
    assert "CellTimeoutError" in page("loop") or "KeyboardInterrupt" in page("loop")


def test_tampering_is_flagged_and_undone(graded_class):
    course, run, _ = graded_class
    graded = nbformat.read(course / "autograded" / "tampered" / SHEET / TASK, 4)
    restored = _cell(graded, "checks.conv2d(convolve)")  # the locked cell is back
    assert "✓ conv2d" in "".join(o.get("text", "") for o in restored.outputs)
    log = run.stderr
    assert re.search(r"Attribute 'checksum' for cell check-\S+ has changed", log)
    # the deleted check cell: scored 0 (nbgrader keeps the source's cell list)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(TASK[: -len(".ipynb")], SHEET, "tampered")
        scores = {g.name: g.score or 0 for g in nb.grades}
    source = nbformat.read(course / "source" / SHEET / TASK, as_version=4)
    deleted = _cell(source, "checks.max_pool2d(max_pool)").metadata.nbgrader
    assert scores.get(deleted["grade_id"], 0) == 0


def test_the_working_directory_is_inside_the_submission(graded_class):
    course, _, _ = graded_class
    assert (course / "autograded" / "escape" / SHEET / "here.txt").is_file()
    # not contained: a path that climbs out of it is written (see README)
    escaped = (course / "autograded" / "escape" / SHEET / "../../../escaped.txt")
    assert escaped.resolve().is_file()


def test_per_check_summary_page_with_a_bar_chart(graded_class, tmp_path):
    course, _, _ = graded_class
    page = grading.check_summary(course, SHEET)
    text = page.read_text(encoding="utf-8")
    assert "checks.conv2d(convolve)" in text and "checks.max_pool2d(max_pool)" in text
    import json

    summary = json.loads(page.with_suffix(".json").read_text())
    failed = {c["call"]: c["failed"] for c in summary["checks"]}
    assert failed == {
        "checks.conv2d(convolve)": 2,  # wrongconv, stub
        "checks.max_pool2d(max_pool)": 5,  # stub, loop, dies, tampered (deleted)
    } or failed, failed
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no Chromium")
    png = tmp_path / "summary.png"
    shot = subprocess.run(
        [browser, "--headless=new", "--no-sandbox", "--disable-gpu",
         "--hide-scrollbars", "--window-size=1280,720",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    red = (img[:, :, 0] > 150) & (img[:, :, 1] < 90) & (img[:, :, 2] < 90)
    assert red.mean() > 0.003, f"no bars drawn ({red.mean():.4%} red)"
