"""Finding the course notebooks: the ``notebooks/`` folder and a selection of it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import config

__all__ = ["find_notebooks", "notebook_relpath", "notebooks_dir"]


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` folder of the checkout (or raise if installed)."""
    root = config.repo_root()
    if root is None or not (root / "notebooks").is_dir():
        raise FileNotFoundError(
            "no notebooks/ folder: run this from a clone of the course pack "
            "(git clone ...; pip install -e .)"
        )
    return root / "notebooks"


def find_notebooks(selection: Sequence[str] = ()) -> list[Path]:
    """Return the notebooks to run, sorted by path.

    Parameters
    ----------
    selection
        Paths or substrings of paths (e.g. ``"s05"`` or
        ``"notebooks/s01_keras_cnn_rnn/t04_manual_conv_pool.ipynb"``).  Empty:
        every notebook under ``notebooks/``.

    Raises
    ------
    FileNotFoundError
        If a selection item matches no notebook.
    """
    root = notebooks_dir()
    every = sorted(
        p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    if not selection:
        return every
    chosen: list[Path] = []
    for item in selection:
        path = Path(item)
        if path.suffix == ".ipynb" and path.is_file():
            matches = [path.resolve()]
        else:
            matches = [p for p in every if item in str(p.relative_to(root.parent))]
        if not matches:
            raise FileNotFoundError(f"no notebook matches {item!r}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def notebook_relpath(path: Path) -> Path:
    """``path`` relative to the checkout (``notebooks/...``), else its file name."""
    root = notebooks_dir().parent
    try:
        return Path(path).resolve().relative_to(root)
    except ValueError:
        return Path(Path(path).name)
