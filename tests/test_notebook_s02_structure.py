"""Sheet 2 notebooks: taught code in view, stubs with contracts, answers that conclude.

Static checks of notebooks/s02_mlp_gradients_svhn/*.ipynb (issues 21, 24, 25):

* no code cell calls a package builder or probe that solves the sheet's exercise
  (the network, the gradient probe, the feature maps, the photo preprocessing);
* every solution block is preceded by exactly one comment line, its contract;
* the Answers section opens each sub-answer with a code cell whose last
  statement is ``results.conclude(...)``, followed by a markdown cell tagged
  ``solution``;
* comparisons that an answer relies on run over seeds (``SEEDS`` from
  ``config.pick``) or say they use one seed with a margin.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "notebooks" / "s02_mlp_gradients_svhn"
NOTEBOOKS = sorted(SHEET.glob("t*.ipynb"))

#: Helpers that used to do the exercise's work out of sight (issue 21).
HIDDEN = (
    "models.deep_mlp(",
    "models.svhn_cnn(",
    "models.digit_cnn(",
    "models.sample_dense_mnist(",
    "viz.plot_gradient_grid(",
    "viz.feature_map_figures(",
    "data.flat_images(",
    "data.probe_batch(",
    "preprocess.sheet_recipe(",
)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_there_are_six():
    assert len(NOTEBOOKS) == 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_hidden_exercise_helpers(path):
    code = "\n".join(_code(_read(path)))
    found = [name for name in HIDDEN if name in code]
    assert not found, f"{path.stem} calls {found}: write the code in the notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_block_has_one_contract_line(path):
    for source in _code(_read(path)):
        lines = source.splitlines()
        for i, line in enumerate(lines):
            if line.strip() != "### BEGIN SOLUTION":
                continue
            before = [x.strip() for x in lines[:i]]
            assert before and before[-1].startswith("# "), (
                f"{path.stem}: no contract comment right above a solution block:\n"
                + source[:200]
            )
            if len(before) > 1:
                one = not before[-2].startswith("#") or before[-2].startswith("# NBVAL")
                assert one, f"{path.stem}: the contract is one line:\n{source[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_answers_open_with_conclusions(path):
    cells = _read(path).cells
    start = next(
        k
        for k, c in enumerate(cells)
        if c.cell_type == "markdown" and c.source.startswith("## Answers")
    )
    answers = cells[start + 1 :]
    assert answers, f"{path.stem}: empty Answers section"
    pairs = 0
    for k, cell in enumerate(answers):
        if cell.cell_type != "code":
            continue
        last = ast.parse(cell.source).body[-1]
        call = getattr(last, "value", None)
        assert isinstance(last, ast.Expr) and ast.unparse(call.func) == (
            "results.conclude"
        ), (
            f"{path.stem}: an Answers code cell must end with results.conclude(...)"
        )
        after = answers[k + 1] if k + 1 < len(answers) else None
        assert after is not None and after.cell_type == "markdown", path.stem
        assert "solution" in after.metadata.get("tags", []), (
            f"{path.stem}: the reasoning after a conclusion is tagged 'solution'"
        )
        assert len(after.source.split()) <= 140, (
            f"{path.stem}: keep the reasoning short ({len(after.source.split())} words)"
        )
        pairs += 1
    assert pairs >= 1


@pytest.mark.parametrize(
    "stem", ["t02_depth_and_activation", "t04_lecun_activation", "t05_svhn_cnn"]
)
def test_comparisons_run_over_seeds(stem):
    code = "\n".join(_code(_read(SHEET / f"{stem}.ipynb")))
    assert "SEEDS = config.pick(full=[0, 1, 2], quick=[0, 1], smoke=[0, 1])" in code
    assert "results.compare(" in code
    assert "for seed in SEEDS" in code


def test_single_seed_comparison_states_its_margin():
    code = "\n".join(_code(_read(SHEET / "t06_digit_classifier.ipynb")))
    assert re.search(r"results\.compare\([^)]*margin=", code, re.S)


def test_no_test_set_in_validation():
    for path in NOTEBOOKS:
        code = "\n".join(_code(_read(path)))
        assert not re.search(r"validation_data=\(x_test", code), path.stem
