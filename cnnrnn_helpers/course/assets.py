"""Offline copies of reveal.js and MathJax for the decks and HTML copies.

reveal.js comes from ``sphinx-revealjs``'s static files and MathJax 2.7 from
``jupyter-server-mathjax`` (both in the ``[run]`` extra); the environment
variables ``CNNRNN_REVEAL_DIR`` and ``CNNRNN_MATHJAX_DIR`` point at other
copies.  They are copied once into ``<out>/_assets/`` and linked with
relative paths, so an output folder can be moved or served over HTTP.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

__all__ = [
    "ASSETS",
    "MATHJAX_CONFIG",
    "MATHJAX_LOCAL_CONFIG",
    "mathjax_dir",
    "offline_mathjax_url",
    "reveal_dir",
]

#: MathJax 2 configuration: the combined file shipped by ``jupyter-server-mathjax``
#: (TeX and MathML in, HTML-CSS out), ``Safe`` as in nbconvert's default, then our
#: own ``local/cnnrnn`` (:data:`MATHJAX_LOCAL_CONFIG`, written into the copy).
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe,local/cnnrnn"
#: ``jupyter-server-mathjax`` ships only the STIX-Web fonts, not MathJax's TeX
#: fonts, while HTML-CSS looks for the TeX fonts first.  Without them it falls
#: back to "generic" font data yet still names the font "TeX", and every glyph
#: that needs a font variant (a prime: ``\sigma'``, ``f'``, ``\tanh'``) fails
#: with "Math Processing Error" (``o.fontInherit`` of an undefined variant).
#: Pinning the web font to STIX-Web, as the classic Jupyter notebook did with
#: the same package, typesets all of the pack's TeX offline.
MATHJAX_LOCAL_CONFIG = """\
MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web",
               imageFont: null},
  SVG: {font: "STIX-Web"}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/cnnrnn.js");
"""
ASSETS = "_assets"
_INSTALL_HINT = (
    "install the slide extras: pip install -e '.[run]' (or set {var} to a "
    "folder with {what})"
)



def _package_dir(module: str) -> Path | None:
    """Folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def reveal_dir() -> Path:
    """A reveal.js (4 or 5) folder with ``dist/reveal.js`` and ``plugin/notes``.

    ``CNNRNN_REVEAL_DIR`` if set, else the static files of the installed
    ``sphinx-revealjs`` package.

    Raises
    ------
    FileNotFoundError
        If neither is there; the message says what to install.
    """
    env = os.environ.get("CNNRNN_REVEAL_DIR")
    candidates = [Path(env)] if env else []
    pkg = _package_dir("sphinx_revealjs")
    if pkg is not None:
        candidates.append(pkg / "_static" / "revealjs")
    for folder in candidates:
        if (folder / "dist" / "reveal.js").is_file():
            return folder
    raise FileNotFoundError(
        "no offline copy of reveal.js: "
        + _INSTALL_HINT.format(var="CNNRNN_REVEAL_DIR", what="dist/reveal.js")
    )


def mathjax_dir() -> Path:
    """A MathJax 2 folder with ``MathJax.js`` and the ``{MATHJAX_CONFIG}`` config.

    ``CNNRNN_MATHJAX_DIR`` if set, else the static files of the installed
    ``jupyter-server-mathjax`` package.

    Raises
    ------
    FileNotFoundError
        If neither is there; the message says what to install.
    """
    env = os.environ.get("CNNRNN_MATHJAX_DIR")
    candidates = [Path(env)] if env else []
    pkg = _package_dir("jupyter_server_mathjax")
    if pkg is not None:
        candidates.append(pkg / "static")
    for folder in candidates:
        if (folder / "MathJax.js").is_file():
            return folder
    raise FileNotFoundError(
        "no offline copy of MathJax: "
        + _INSTALL_HINT.format(var="CNNRNN_MATHJAX_DIR", what="MathJax.js")
    )


def _copy_assets(source: Path, out_dir: Path, name: str) -> Path:
    """Copy ``source`` to ``out_dir/_assets/name`` once; return the copy."""
    target = Path(out_dir) / ASSETS / name
    marker = target / ".cnnrnn-complete"
    if not marker.is_file():
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("*.map", "*.esm.js")
        )
        marker.write_text(str(source), encoding="utf-8")
    return target


def _relative_url(target: Path, page: Path | None) -> str:
    if page is None:
        return target.resolve().as_uri()
    rel = os.path.relpath(target.resolve(), Path(page).resolve().parent)
    return Path(rel).as_posix()


def offline_mathjax_url(out_dir: str | os.PathLike, page: Any = None) -> str | None:
    """MathJax for HTML files under ``out_dir``, served from the folder itself.

    Copies MathJax (see :func:`mathjax_dir`) into ``out_dir/_assets/mathjax``
    the first time and returns the URL to give nbconvert's ``mathjax_url``.

    Parameters
    ----------
    out_dir
        The folder the HTML files are written to (e.g. ``build/quick-auto``).
    page
        The HTML file that will load MathJax: the URL is then relative to its
        folder, so the whole ``out_dir`` can be moved or served over HTTP.
        Without it the URL is an absolute ``file://`` address.

    Returns
    -------
    str or None
        ``.../_assets/mathjax/MathJax.js?config=...``, or ``None`` when no
        offline MathJax is installed (the caller keeps nbconvert's default).
    """
    try:
        source = mathjax_dir()
    except FileNotFoundError:
        return None
    target = _copy_assets(source, Path(out_dir), "mathjax")
    local = target / "config" / "local" / "cnnrnn.js"
    if not local.is_file() or local.read_text(encoding="utf-8") != MATHJAX_LOCAL_CONFIG:
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(MATHJAX_LOCAL_CONFIG, encoding="utf-8")
    return f"{_relative_url(target / 'MathJax.js', page)}?config={MATHJAX_CONFIG}"


