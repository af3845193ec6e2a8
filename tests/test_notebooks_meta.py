"""Static checks of every notebook: skeleton, stored outputs, own words."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cnnrnn_helpers.course.runner import (
    INSTALL_SOURCE,
    RELEASE_TAG,
    colab_url,
    differs_paragraph,
    find_notebooks,
    is_checked,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = find_notebooks()
SEEDS = ROOT.parent / "shared" / "seeds"
NAME_RE = re.compile(r"^(00_start_here|s\d\d_[a-z0-9_]+/t\d\d_[a-z0-9_]+)\.ipynb$")


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT / "notebooks"))


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_name_and_place(path):
    assert NAME_RE.match(_id(path)), f"{_id(path)} breaks notebooks/sNN_x/tMM_y.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_skeleton(path):
    nb = _read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# "), "first cell must be the title"
    runtime = [
        para
        for para in first.source.split("\n\n")
        if para.startswith("**Run time** (2-core CPU")
    ]
    assert len(runtime) == 1, "the title cell gives the measured run times"
    assert all(f" {p} " in runtime[0] for p in ("full", "quick", "smoke"))
    assert "estimat" not in first.source.lower()
    differs = differs_paragraph(nb)
    assert differs, "the title cell says where the notebook differs from the sheet"
    assert len(differs.split()) <= 80, "keep the 'Differs from the sheet' line short"
    paragraphs = [p.strip() for p in first.source.split("\n\n")]
    assert paragraphs[-1] == runtime[0].strip(), "run times close the title cell"
    headings = [
        line.strip()
        for md in _markdown(nb)
        for line in md.splitlines()
        if line.startswith("## ")
    ]
    assert "## Setup" in headings
    if path.name != "00_start_here.ipynb":
        assert "## Answers" in headings, "every task notebook ends with its answers"
        k = next(
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and c.source.startswith("## Answers")
        )
        before = [c for c in nb.cells[:k] if c.cell_type == "code"][-1]
        assert before.source.rstrip().endswith("results.table()"), (
            "the code cell before ## Answers shows results.table()"
        )
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "config.set_seed(" in code
    assert "config.banner()" in code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_only_checked_cells_store_outputs(path):
    nb = _read(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if not is_checked(cell):
            assert cell.execution_count is None
            assert cell.outputs == [], (
                "unchecked cell stores output (run `cnnrnn refresh`):\n"
                + cell.source[:200]
            )
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert "OFFLINE STAND-IN" not in text, "stand-in output stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_checked_cells_have_stored_output(path):
    nb = _read(path)
    checked = [c for c in nb.cells if is_checked(c)]
    assert all(c.outputs for c in checked), "a checked cell has no stored output"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())  # numbers (matrices) may match


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


SEED_NGRAMS: set[tuple[str, ...]] = set()
if SEEDS.is_dir():
    for seed in sorted(SEEDS.glob("*.txt")):
        SEED_NGRAMS |= _ngrams(_words(seed.read_text(encoding="utf-8")), 9)


@pytest.mark.skipif(not SEED_NGRAMS, reason="../shared/seeds not present")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_task_text_is_in_our_own_words(path):
    text = "\n".join(_markdown(_read(path)))
    copied = _ngrams(_words(text), 9) & SEED_NGRAMS
    assert not copied, f"9-word runs copied from the sheets: {sorted(copied)[:5]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_no_meeting_links_or_addresses(path):
    raw = path.read_text(encoding="utf-8")
    assert "zoom.us" not in raw
    assert not re.search(r"[\w.+-]+@[\w-]+\.(de|com|org|edu|ac\.uk)\b", raw)


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [_id(p) for p in NOTEBOOKS if _id(p) not in readme]
    assert not missing, f"README notebook table lacks {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_colab_link_matches_the_file(path):
    title = _read(path).cells[0].source
    colab = r"\((https://colab\.research\.google\.com/github/[^)]+)\)"
    links = re.findall(colab, title)
    rel = path.relative_to(ROOT).as_posix()
    assert links == [colab_url(path)], "run `cnnrnn refresh` to fix the Colab badge"
    assert links[0].endswith(f"/blob/{RELEASE_TAG}/" + rel)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_first_setup_cell_installs_the_pack_when_missing(path):
    cells = _read(path).cells
    setup = next(
        k
        for k, c in enumerate(cells)
        if c.cell_type == "markdown" and c.source.startswith("## Setup")
    )
    install = cells[setup + 1]
    assert install.cell_type == "code"
    assert install.source == INSTALL_SOURCE
    assert install.metadata.get("tags") == ["install"]
    assert sum(c.source == INSTALL_SOURCE for c in cells) == 1


def test_student_facing_text_states_no_exercise_answer():
    """README and 00_start_here are read by students: no answer of the key."""
    from cnnrnn_helpers.checks import key

    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8")}
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    texts["00_start_here"] = "\n".join(c.source for c in start.cells)
    found = [f"{name}: {h.text!r} ({h.name})" for name, t in texts.items()
             for h in key.leaks(t)]  # fmt: skip
    assert not found, found
