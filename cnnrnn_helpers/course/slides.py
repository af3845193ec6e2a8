"""Slides for tutors: a reveal.js deck per notebook, formulas typeset offline.

``cnnrnn slides [--from DIR] [--out DIR] [NOTEBOOK ...]`` turns executed
notebooks (the copies ``cnnrnn run`` writes, or, where there is none, a fresh
run in the ``smoke`` profile) into reveal.js decks with nbconvert's
``SlidesExporter``, in a presenter style (large type, high contrast), plus an
``index.html`` that links them.

Which cell goes where
---------------------
A cell's ``metadata.slideshow.slide_type`` (as Jupyter's slide editor writes
it) is used when present.  Because the pack's notebooks keep only cell
*tags* (``cnnrnn refresh`` drops other metadata), a tag can say it too:
``slides:slide``, ``slides:subslide``, ``slides:fragment``, ``slides:skip``,
``slides:notes`` or ``slides:-``.  Every other cell gets its place from the
notebook's structure (:func:`slide_type`):

* the title cell opens the deck (``slide``);
* a markdown cell starting with ``## `` opens a slide, ``### `` a sub-slide;
* the install cell and the ``## Setup`` section are skipped (plumbing), as
  are cells tagged ``plumbing``;
* answers (cells tagged ``solution`` or ``answer``) are split into
  paragraphs that appear one by one (fragments) under their heading;
* everything else joins the current slide (``-``).

Offline
-------
reveal.js and MathJax are served from installed Python packages, never from
the network: reveal.js from ``sphinx-revealjs``'s static files, MathJax 2.7
from ``jupyter-server-mathjax`` (both in the ``[run]`` extra).  They are
copied once into ``<out>/_assets/`` and linked with relative paths, so a deck
folder can be copied to a laptop or a USB stick.  The environment variables
``CNNRNN_REVEAL_DIR`` (a reveal.js folder with ``dist/`` and ``plugin/``) and
``CNNRNN_MATHJAX_DIR`` (a MathJax 2 folder with ``MathJax.js``) point at other
copies.  :func:`offline_mathjax_url` gives the same MathJax to the HTML
copies of ``cnnrnn run``.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import nbformat

from .. import config
from .assets import (
    ASSETS,
    MATHJAX_CONFIG,
    _copy_assets,
    _relative_url,
    mathjax_dir,
    offline_mathjax_url,
    reveal_dir,
)
from .cells import (
    ANSWER_TAGS,
    INSTALL_TAG,
    MD_ANSWER_BEGIN,
    MD_ANSWER_END,
    PLUMBING_TAG,
    SLIDE_TAG_PREFIX,
    for_audience,
    is_marker_line,
)

__all__ = [
    "MATHJAX_CONFIG",
    "SLIDE_TYPES",
    "build_deck",
    "build_decks",
    "deck_notebook",
    "mathjax_dir",
    "offline_mathjax_url",
    "reveal_dir",
    "slide_type",
    "slides_command",
    "write_index",
]

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
TAG_PREFIX = SLIDE_TAG_PREFIX

# ----------------------------------------------------------- slide metadata


def _tag_type(cell: dict) -> str | None:
    for tag in cell.get("metadata", {}).get("tags", []):
        if tag.startswith(TAG_PREFIX) and tag[len(TAG_PREFIX) :] in SLIDE_TYPES:
            return tag[len(TAG_PREFIX) :]
    return None


def _first_line(cell: dict) -> str:
    lines = cell.get("source", "").lstrip().splitlines()
    return lines[0] if lines else ""


def _is_setup_heading(cell: dict) -> bool:
    return cell.get("cell_type") == "markdown" and _first_line(cell).startswith(
        "## Setup"
    )


def slide_type(nb: nbformat.NotebookNode, index: int) -> str:
    """The slide type of cell ``index``: explicit metadata, a tag, or derived.

    See the module docstring for the rules.

    Returns
    -------
    str
        One of :data:`SLIDE_TYPES`.
    """
    if not 0 <= index < len(nb.cells):
        raise IndexError(f"cell index {index} out of range (0..{len(nb.cells) - 1})")
    cell = nb.cells[index]
    explicit = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    if explicit in SLIDE_TYPES:
        return explicit
    tagged = _tag_type(cell)
    if tagged:
        return tagged
    tags = cell.get("metadata", {}).get("tags", [])
    if index == 0:
        return "slide"
    if INSTALL_TAG in tags or PLUMBING_TAG in tags:
        return "skip"
    # inside the Setup section: from "## Setup" to the next markdown heading
    for k in range(index, -1, -1):
        prev = nb.cells[k]
        if prev.get("cell_type") == "markdown" and _first_line(prev).startswith("#"):
            if _is_setup_heading(prev):
                return "skip"
            break
    if cell.get("cell_type") == "markdown":
        first = _first_line(cell)
        if first.startswith("## "):
            return "slide"
        if first.startswith("### "):
            return "subslide"
        if any(t in tags for t in ANSWER_TAGS):
            return "fragment"
    return "-"


def _split_answer(source: str) -> list[str]:
    """Split an answer cell into its heading lines and paragraphs."""
    chunks: list[str] = []
    current: list[str] = []
    in_math = False
    for line in source.splitlines():
        if line.strip().count("$$") % 2 == 1:
            in_math = not in_math
        if not line.strip() and not in_math:
            if current:
                chunks.append("\n".join(current))
                current = []
            continue
        if line.startswith("#") and current and not in_math:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def deck_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook with slide metadata on every cell.

    Answer cells are split into one cell per paragraph, the heading keeping
    the cell's own slide type and each paragraph a ``fragment``, so that the
    answers appear one step at a time.  The Colab badge leaves the title;
    ``# NBVAL_CHECK_OUTPUT``, solution and answer markers leave the cells.
    """
    deck = for_audience(nb)  # no progress lines or warnings; figures first
    cells = []
    for k, cell in enumerate(deck.cells):
        kind = slide_type(deck, k)
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown" and k == 0:
            cell.source = "\n".join(
                ln for ln in cell.source.splitlines() if "colab-badge" not in ln
            )
        if (
            cell.cell_type == "markdown"
            and kind not in ("skip", "notes")
            and any(t in tags for t in ANSWER_TAGS)
        ):
            for j, chunk in enumerate(_split_answer(cell.source)):
                part = nbformat.v4.new_markdown_cell(chunk)
                heading = chunk.startswith("#")
                part_kind = kind if j == 0 else "fragment"
                if heading and j > 0:
                    part_kind = "subslide" if chunk.startswith("### ") else "fragment"
                part.metadata["slideshow"] = {"slide_type": part_kind}
                cells.append(part)
            continue
        if cell.cell_type == "code":  # markers mean nothing to an audience
            cell.source = "\n".join(
                ln.replace("# ANSWER: ", "# ")
                for ln in cell.source.splitlines()
                if not is_marker_line(ln)
            )
        elif cell.cell_type == "markdown":
            cell.source = cell.source.replace(MD_ANSWER_BEGIN, "").replace(
                MD_ANSWER_END, ""
            )
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
        cells.append(cell)
    deck.cells = cells
    for k, cell in enumerate(deck.cells):
        cell["id"] = f"slide-cell-{k:03d}"
    return deck


# --------------------------------------------------------------- exporting

_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style>
/* presenter style: large type and high contrast for a shared screen */
.reveal .jp-RenderedHTMLCommon, .reveal .jp-RenderedText pre,
.reveal .jp-OutputArea-output pre { font-size: 112%; color: #111; }
.reveal .jp-InputArea pre, .reveal .highlight pre { font-size: 96%; }
:root { --r-main-font-size: 30px !important; }
.reveal h1, .reveal h2, .reveal h3 { text-transform: none !important; }
.reveal h1 { font-size: 1.7em !important; }
.reveal h2 { font-size: 1.35em !important; }
.reveal h3 { font-size: 1.1em !important; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal img { max-height: 520px; }
.reveal .slides { text-align: left; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ reveal_url_prefix }}/dist/reveal.js"></script>
<script src="{{ reveal_url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, center: false,
  transition: "{{ reveal_transition }}", slideNumber: "{{ reveal_number }}",
  plugins: [RevealNotes], width: {{ reveal_width }}, height: {{ reveal_height }},
});
function rerenderMath() {
  var slide = Reveal.getCurrentSlide();
  if (window.MathJax && MathJax.Hub) {
    MathJax.Hub.Queue(["Rerender", MathJax.Hub, slide], [fitSlide, slide]);
  }
}
// every slide fits the 1280x720 screen: a slide taller than that is scaled
// down as a whole (never cut off, never scrolled inside)
function fitSlide(slide) {
  if (!slide) { return; }
  slide.style.transform = ""; slide.style.width = "";
  var limit = {{ reveal_height }}, height = slide.scrollHeight;
  if (height > limit) {
    var k = limit / height;
    slide.style.transformOrigin = "top left";
    slide.style.transform = "scale(" + k + ")";
    slide.style.width = (100 / k) + "%";
    slide.dataset.fit = k.toFixed(3);
  }
}
function fitAll() { document.querySelectorAll(".reveal .slides section")
  .forEach(function (s) { if (!s.querySelector("section")) { fitSlide(s); } }); }
Reveal.on("slidechanged", function (e) { rerenderMath(); fitSlide(e.currentSlide); });
Reveal.on("ready", function (e) { fitSlide(e.currentSlide); });
if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(fitAll); }
</script>
{% endblock footer_js %}
"""


def _exporter(reveal_url: str, mathjax_url: str | None) -> Any:
    import jinja2
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        extra_loaders=[jinja2.DictLoader({"cnnrnn_slides.html.j2": _TEMPLATE})],
        template_file="cnnrnn_slides.html.j2",
        reveal_url_prefix=reveal_url,
        reveal_theme="white",
        reveal_transition="none",
        reveal_number="c/t",
        reveal_scroll=True,
        reveal_width="1280",
        reveal_height="720",
    )
    if mathjax_url:
        exporter.mathjax_url = mathjax_url
    return exporter


def build_deck(
    nb: nbformat.NotebookNode, target: str | os.PathLike, out_dir: Any
) -> Path:
    """Write the deck of one executed notebook to ``target`` (an ``.html`` file).

    Parameters
    ----------
    nb
        An executed notebook (outputs are shown as they are).
    target
        The HTML file to write, inside ``out_dir``.
    out_dir
        The deck folder whose ``_assets`` hold reveal.js and MathJax.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    reveal = _copy_assets(reveal_dir(), Path(out_dir), "reveal.js")
    mathjax = offline_mathjax_url(out_dir, target)
    if mathjax is None:
        mathjax_dir()  # raises with the install hint
    exporter = _exporter(_relative_url(reveal, target), mathjax)
    body, _ = exporter.from_notebook_node(
        deck_notebook(nb), resources={"metadata": {"name": _title(nb, target.stem)}}
    )
    target.write_text(body, encoding="utf-8")
    return target


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells[:1]:
        if cell.cell_type == "markdown":
            first = _first_line(cell)
            if first.startswith("# "):
                return first[2:].strip()
    return fallback


def _executed_copy(
    path: Path, rel: Path, from_dir: Path | None, profile: str, data: str, echo
) -> nbformat.NotebookNode:
    if from_dir is not None:
        candidate = Path(from_dir) / rel
        if candidate.is_file():
            return nbformat.read(candidate, as_version=4)
    from . import runner

    echo(f"  no executed copy of {rel}: running it ({profile}, {data}) ...")
    saved = os.environ.get("CNNRNN_PRESENT")
    os.environ["CNNRNN_PRESENT"] = "1"  # decks get the presenter style
    try:
        nb, result = runner.execute_notebook(path, profile=profile, data=data)
    finally:
        if saved is None:
            os.environ.pop("CNNRNN_PRESENT", None)
        else:
            os.environ["CNNRNN_PRESENT"] = saved
    if not result.ok:
        echo(f"  (it stopped with an error: {result.error}; the deck shows that)")
    return nb


def build_decks(
    paths: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike,
    *,
    from_dir: str | os.PathLike | None = None,
    profile: str = "smoke",
    data: str = "offline",
    echo: Callable[[str], Any] = print,
) -> list[Path]:
    """Write one deck per notebook and an ``index.html`` into ``out_dir``.

    Parameters
    ----------
    paths
        Notebooks under ``notebooks/`` (worked notebooks, not executed ones).
    out_dir
        Where the decks go, mirroring ``notebooks/`` (``s05_x/t01_y.html``).
    from_dir
        An output folder of ``cnnrnn run`` holding executed copies
        (``<from_dir>/notebooks/...ipynb``); notebooks without a copy there
        are executed with ``profile`` and ``data``.
    profile, data
        Used only for notebooks that have no executed copy.
    echo
        Progress messages.

    Returns
    -------
    list of pathlib.Path
        The decks, then the index page last.
    """
    from . import runner

    if profile not in config.PROFILES:
        raise ValueError(f"profile must be one of {config.PROFILES}, got {profile!r}")
    if data not in config.DATA_MODES:
        raise ValueError(f"data must be one of {config.DATA_MODES}, got {data!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = runner.notebooks_dir()
    written = []
    for item in paths:
        path = Path(item).resolve()
        try:
            inner = path.relative_to(root)
        except ValueError:
            inner = Path(path.name)
        rel = Path("notebooks") / inner
        nb = _executed_copy(path, rel, from_dir, profile, data, echo)
        deck = build_deck(nb, out / inner.with_suffix(".html"), out)
        echo(f"slides: {deck}")
        written.append(deck)
    index = write_index(out)
    written.append(index)
    return written


def write_index(out_dir: str | os.PathLike) -> Path:
    """Write ``out_dir/index.html`` linking every deck in the folder.

    Decks are found by their ``<title>`` (``"<notebook title> slides"``), so
    decks written by earlier runs stay listed.
    """
    out = Path(out_dir)
    rows = []
    for deck in sorted(out.rglob("*.html")):
        if ASSETS in deck.relative_to(out).parts or deck.name == "index.html":
            continue
        head = deck.read_text(encoding="utf-8", errors="replace")[:4000]
        found = re.search(r"<title>(.*?) slides</title>", head, re.DOTALL)
        if found:
            rows.append((deck.relative_to(out).as_posix(), html.unescape(found[1])))
    links = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a> '
        f"<small>{html.escape(href)}</small></li>"
        for href, title in rows
    )
    index = out / "index.html"
    index.write_text(
        "<!doctype html><meta charset='utf-8'><title>cnnrnn slides</title>"
        "<style>body{font-family:sans-serif;font-size:20px;margin:2em}"
        "li{margin:.4em 0}small{color:#666}</style>"
        "<h1>cnnrnn slides</h1><p>Arrow keys move, <kbd>s</kbd> opens the "
        "speaker view, <kbd>f</kbd> full screen.</p><ul>" + links + "</ul>",
        encoding="utf-8",
    )
    return index


# ------------------------------------------------------ the slides command


def slides_command(
    notebooks: Sequence[str] = (),
    *,
    from_dir: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    profile: str = "smoke",
    data: str = "offline",
) -> int:
    """What ``cnnrnn slides`` does (its arguments are parsed by the CLI).

    Decks for the selected notebooks (default: every task notebook) from the
    executed copies in ``from_dir`` (default ``build/quick-auto`` if it
    exists), into ``out`` (default ``build/slides``).
    """
    from . import runner

    paths = [
        p for p in runner.find_notebooks(notebooks) if p.name != "00_start_here.ipynb"
    ] or runner.find_notebooks(notebooks)
    root = runner.notebooks_dir().parent
    source = Path(from_dir) if from_dir else None
    if source is None:
        default = root / "build" / "quick-auto"
        source = default if default.is_dir() else None
    target = Path(out).resolve() if out else root / "build" / "slides"
    written = build_decks(
        paths,
        target,
        from_dir=source,
        profile=profile,
        data=data,
        echo=lambda msg: print(msg, flush=True),
    )
    print(f"{len(written) - 1} deck(s) and {written[-1].name} in {target}")
    return 0
