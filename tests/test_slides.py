"""Slides: slide types from headings and tags, decks, offline MathJax, Chromium."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest

from cnnrnn_helpers.course import assets, slides


def _md(source: str, *tags: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _code(source: str, *tags: str, outputs=()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.outputs = list(outputs)
    return cell


def _png_output() -> nbformat.NotebookNode:
    from PIL import Image

    img = np.zeros((120, 160, 3), dtype=np.uint8)
    img[:, :] = (230, 20, 20)  # a red figure, easy to find in a screenshot
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    data = base64.b64encode(buf.getvalue()).decode()
    return nbformat.v4.new_output("display_data", data={"image/png": data})


def _toy_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _md(
            "# Sheet 9 · Task 1 — Toy deck\n\n[![Open In Colab](https://colab."
            "research.google.com/assets/colab-badge.svg)](x)\n\nA summary."
        ),
        _md("## Setup"),
        _code("print('install')", "install"),
        _code("import numpy as np"),
        _md(
            "## The task in our words\n\nA formula: $n_\\text{in} \\cdot 10$ and\n\n"
            "$$(784 \\cdot 10 + 10) + (10 \\cdot 10 + 10)$$"
        ),
        _md("### (a) A sub-task"),
        _code(
            "# NBVAL_CHECK_OUTPUT\n### BEGIN SOLUTION\nplot()\n### END SOLUTION",
            outputs=[_png_output()],
        ),
        _code("helper = 1", "plumbing"),
        _code("shown = 2", "slides:skip"),
        _md(
            "## Answers\n\n**(a)** first paragraph.\n\n**(b)** second paragraph.",
            "solution",
        ),
    ]
    return nb


def test_slide_types_follow_headings_and_tags():
    nb = _toy_notebook()
    kinds = [slides.slide_type(nb, k) for k in range(len(nb.cells))]
    assert kinds == [
        "slide",
        "skip",
        "skip",
        "skip",
        "slide",
        "subslide",
        "-",
        "skip",
        "skip",
        "slide",
    ]
    nb.cells[6].metadata["slideshow"] = {"slide_type": "fragment"}
    assert slides.slide_type(nb, 6) == "fragment"
    with pytest.raises(IndexError, match="out of range"):
        slides.slide_type(nb, 99)


def test_deck_notebook_splits_answers_into_fragments_and_drops_the_badge():
    deck = slides.deck_notebook(_toy_notebook())
    kinds = [c.metadata["slideshow"]["slide_type"] for c in deck.cells]
    assert kinds[-3:] == ["slide", "fragment", "fragment"]
    assert deck.cells[-3].source == "## Answers"
    assert deck.cells[-1].source == "**(b)** second paragraph."
    assert "colab-badge" not in deck.cells[0].source
    assert "A summary." in deck.cells[0].source
    assert [c.source for c in deck.cells if c.cell_type == "code"][2] == "plot()"


def test_split_answer_keeps_display_math_together():
    text = "## A\n\n$$x =\n\n1$$\n\nafter"
    assert slides._split_answer(text) == ["## A", "$$x =\n\n1$$", "after"]


def _assets_or_skip() -> None:
    try:
        assets.reveal_dir()
        assets.mathjax_dir()
    except FileNotFoundError as exc:
        pytest.skip(f"offline slide assets not installed ({exc})")


def test_offline_mathjax_url_is_relative_to_the_page(tmp_path):
    _assets_or_skip()
    page = tmp_path / "notebooks" / "s05" / "t01.html"
    url = assets.offline_mathjax_url(tmp_path, page)
    assert url == (
        "../../_assets/mathjax/MathJax.js?config="
        "TeX-AMS-MML_HTMLorMML-full,Safe,local/cnnrnn"
    )
    local = tmp_path / "_assets" / "mathjax" / "config" / "local" / "cnnrnn.js"
    assert "STIX-Web" in local.read_text(encoding="utf-8")
    assert (tmp_path / "_assets" / "mathjax" / "MathJax.js").is_file()
    assert assets.offline_mathjax_url(tmp_path).startswith("file://")


def test_missing_assets_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNRNN_MATHJAX_DIR", str(tmp_path))
    monkeypatch.setattr(assets, "_package_dir", lambda module: None)
    with pytest.raises(FileNotFoundError, match=r"pip install -e '\.\[run\]'"):
        assets.mathjax_dir()
    assert assets.offline_mathjax_url(tmp_path) is None


def _build_toy_deck(tmp_path: Path) -> Path:
    _assets_or_skip()
    return slides.build_deck(_toy_notebook(), tmp_path / "s09" / "t01.html", tmp_path)


def test_deck_uses_only_local_files(tmp_path):
    deck = _build_toy_deck(tmp_path)
    text = deck.read_text(encoding="utf-8")
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', text)
    assert sources, "the deck loads reveal.js and MathJax"
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert "../_assets/reveal.js/dist/reveal.js" in sources
    assert text.count("<section") >= 4


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run_chromium(
    browser: str, *args: str, size: str = "1280,800"
) -> subprocess.CompletedProcess:
    offline = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--allow-file-access-from-files",
        "--hide-scrollbars",
        # no network: every host name fails to resolve, and no proxy works
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=socks5://127.0.0.1:9",
        "--virtual-time-budget=15000",
        f"--window-size={size}",
    ]
    return subprocess.run(
        [browser, *offline, *args], capture_output=True, text=True, timeout=120
    )


def test_deck_renders_in_headless_chromium_offline(tmp_path):
    """Title slide and figure are drawn, the formula is typeset, network off."""
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "no Chromium: install the Debian package (apt-get install chromium) to "
            "render a deck in a headless browser"
        )
    deck = _build_toy_deck(tmp_path)
    url = deck.resolve().as_uri()
    dom = _run_chromium(browser, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert re.search(r'class="reveal[^"]*\bready\b', html), "reveal.js did not start"
    title = re.search(
        r'<section[^>]*class="[^"]*present[^"]*"[^>]*>(.*?)</section>', html, re.DOTALL
    )
    assert title and "Toy deck" in title.group(1), "the title slide is not shown"
    # MathJax replaced the TeX by its own markup (the source stays in a script tag)
    assert 'class="MathJax' in html, "no formula was typeset"
    assert "$n_\\text{in}" not in html.replace('type="math/tex"', "")
    # screenshots: the title slide has text, the figure slide the red figure
    from PIL import Image

    shots = {}
    for name, fragment in (("title", "#/"), ("figure", "#/1/1")):
        png = tmp_path / f"{name}.png"
        run = _run_chromium(browser, f"--screenshot={png}", url + fragment)
        assert run.returncode == 0 and png.is_file(), run.stderr[-2000:]
        shots[name] = np.asarray(Image.open(png).convert("RGB")).astype(int)
    dark = (shots["title"].sum(axis=2) < 200).mean()
    assert dark > 0.002, f"title slide looks empty ({dark:.4%} dark pixels)"
    red = shots["figure"]
    is_red = (red[:, :, 0] > 180) & (red[:, :, 1] < 80) & (red[:, :, 2] < 80)
    assert is_red.mean() > 0.005, f"no figure drawn ({is_red.mean():.4%} red)"


def test_cli_parser_and_index(tmp_path, monkeypatch):
    from cnnrnn_helpers.course import cli

    parser = cli.build_parser()
    args = parser.parse_args(["slides", "--from", "build/x", "--out", "o", "s05"])
    assert (args.from_dir, args.out, args.notebooks) == ("build/x", "o", ["s05"])
    assert args.profile == "smoke" and args.data == "offline"
    with pytest.raises(ValueError, match="profile must be one of"):
        slides.build_decks([], tmp_path, profile="huge")


def test_html_copy_typesets_math_offline(tmp_path):
    """What `cnnrnn run` writes, given offline_mathjax_url (see runner._to_html)."""
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "no Chromium: install the Debian package (apt-get install chromium)"
        )
    _assets_or_skip()
    from nbconvert import HTMLExporter

    page = tmp_path / "notebooks" / "s09" / "t01.html"
    page.parent.mkdir(parents=True)
    exporter = HTMLExporter(mathjax_url=assets.offline_mathjax_url(tmp_path, page))
    body, _ = exporter.from_notebook_node(_toy_notebook())
    page.write_text(body, encoding="utf-8")
    dom = _run_chromium(browser, "--dump-dom", page.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'class="MathJax' in dom.stdout, "no formula was typeset"


def test_index_lists_every_deck_in_the_folder(tmp_path):
    _assets_or_skip()
    slides.build_deck(_toy_notebook(), tmp_path / "s09" / "t01.html", tmp_path)
    other = _toy_notebook()
    other.cells[0].source = "# Sheet 9 · Task 2 — Another <deck>"
    slides.build_deck(other, tmp_path / "s09" / "t02.html", tmp_path)
    index = slides.write_index(tmp_path).read_text(encoding="utf-8")
    assert index.count("<li>") == 2
    assert '<a href="s09/t01.html">Sheet 9 · Task 1 — Toy deck</a>' in index
    assert "Another &lt;deck&gt;" in index


# ------------------------------------------------ formulas: no MathJax errors

_PRIMES = "s02_mlp_gradients_svhn/t01_backprop_equations.ipynb"
_ERROR_ELEMENT = re.compile(r'<[^>]+class="[^"]*\bMathJax(?:_SVG)?_Error\b')


def _math_report(dom: str) -> tuple[int, int]:
    """(typeset formulas, error elements) in a page Chromium has rendered."""
    typeset = len(re.findall(r'<span[^>]+class="MathJax"[^>]*id="MathJax-Element', dom))
    errors = len(_ERROR_ELEMENT.findall(dom)) + dom.count("[Math Processing Error]")
    return typeset, errors


def _chromium_or_skip() -> str:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium: install the Debian package `chromium`")
    _assets_or_skip()
    return browser


def test_primes_typeset_in_the_html_copy_and_the_deck(tmp_path):
    """s02 t01 has 15 formulas with a prime; none may become a MathJax error."""
    from cnnrnn_helpers.course import runner

    browser = _chromium_or_skip()
    nb = nbformat.read(runner.notebooks_dir() / _PRIMES, as_version=4)
    page = tmp_path / "notebooks" / _PRIMES.replace(".ipynb", ".html")
    page.parent.mkdir(parents=True)
    page.write_text(
        runner._to_html(nb, assets.offline_mathjax_url(tmp_path, page)),
        encoding="utf-8",
    )
    deck = slides.build_deck(nb, tmp_path / "slides" / "t01.html", tmp_path / "slides")
    for what, url in (("HTML copy", page), ("deck", deck)):
        dom = _run_chromium(browser, "--dump-dom", url.resolve().as_uri())
        assert dom.returncode == 0, dom.stderr[-2000:]
        typeset, errors = _math_report(dom.stdout)
        assert errors == 0, f"{what}: {errors} MathJax error element(s)"
        assert typeset >= 15, f"{what}: only {typeset} formulas typeset"


def test_every_formula_of_the_pack_typesets(tmp_path):
    """All markdown of all notebooks in one page: no MathJax error anywhere."""
    from cnnrnn_helpers.course import runner

    browser = _chromium_or_skip()
    nb = nbformat.v4.new_notebook()
    for path in runner.find_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown" and "$" in cell.source:
                nb.cells.append(nbformat.v4.new_markdown_cell(cell.source))
    page = tmp_path / "all.html"
    page.write_text(
        runner._to_html(nb, assets.offline_mathjax_url(tmp_path, page)),
        encoding="utf-8",
    )
    dom = _run_chromium(browser, "--dump-dom", page.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    typeset, errors = _math_report(dom.stdout)
    assert errors == 0, f"{errors} MathJax error element(s) in the pack's formulas"
    assert typeset > 50, typeset


# ------------------------------------------ every slide fits a 1280x720 screen

_MEASURE = """<script>
function measureAll() { setTimeout(function () {
  var worst = 0, where = "-";
  try {
  Reveal.getSlides().forEach(function (s) {
    var at = Reveal.getIndices(s);
    Reveal.slide(at.h, at.v || 0);
    fitSlide(s);
    var h = s.getBoundingClientRect().height / Reveal.getScale();
    if (h > worst) { worst = h; where = at.h + "/" + (at.v || 0); }
  });
  } catch (err) { where = "error " + err; }
  var d = document.createElement("div");
  d.id = "fit-report"; d.textContent = worst.toFixed(1) + " at " + where;
  document.body.appendChild(d);
}, 1000); }
(function wait() {
  if (window.Reveal && Reveal.isReady()) { measureAll(); }
  else { setTimeout(wait, 200); }
})();
</script></body>"""


@pytest.mark.parametrize(
    "path",
    [p for p in __import__("cnnrnn_helpers.course.runner", fromlist=["x"])
     .find_notebooks() if p.name != "00_start_here.ipynb"],
    ids=lambda p: p.stem,
)  # fmt: skip
def test_every_deck_fits_a_1280x720_screen(path, tmp_path):
    """Each deck of a committed notebook: no slide taller than the screen."""
    browser = _chromium_or_skip()
    nb = nbformat.read(path, as_version=4)
    deck = slides.build_deck(nb, tmp_path / "deck.html", tmp_path)
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("</body>", _MEASURE, 1), encoding="utf-8")
    dom = _run_chromium(browser, "--dump-dom", deck.resolve().as_uri(), size="1280,720")
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'id="fit-report">([\d.]+) at ([^<]+)<', dom.stdout)
    assert found, "the measuring script did not run"
    assert float(found[1]) <= 722, f"slide {found[2]} is {found[1]} px tall"
