"""Where the pack lives and which release to install: read from one place.

The repository address is ``[project.urls] Repository`` in ``pyproject.toml``
and the release is ``v`` + ``[project] version``.  The Colab and Binder badges
and the install cell of every notebook are built from these two values, so a
fork changes only ``pyproject.toml`` (then ``cnnrnn refresh`` rewrites the
badges) and tags its release (``git tag v0.1.0 && git push --tags``).

In a checkout the values come from ``pyproject.toml`` next to the package;
in an installed copy (``pip install`` on Colab) from the package metadata.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "binder_url",
    "colab_url",
    "github_repo",
    "install_requirement",
    "metadata",
    "release_tag",
    "repository_url",
    "version",
]

DIST_NAME = "cnnrnn"
_GITHUB = re.compile(
    r"^https://github\.com/(?P<repo>[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+?)"
    r"(?:\.git)?/?$"
)


def _pyproject() -> Path | None:
    candidate = Path(__file__).resolve().parent.parent / "pyproject.toml"
    return candidate if candidate.is_file() else None


def _parse_pyproject(text: str) -> dict[str, str]:
    """``name``, ``version`` and ``repository`` from a pyproject.toml text."""
    try:
        import tomllib  # Python >= 3.11
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        tomllib = None
    if tomllib is not None:
        doc = tomllib.loads(text)
        project = doc.get("project", {})
        urls = project.get("urls", {})
        return {
            "name": str(project.get("name", "")),
            "version": str(project.get("version", "")),
            "repository": str(urls.get("Repository", "")),
        }
    # Python 3.10: the three keys are simple 'key = "value"' lines
    found: dict[str, str] = {"name": "", "version": "", "repository": ""}
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]").strip()
            continue
        match = re.match(r'^([A-Za-z_-]+)\s*=\s*"([^"]*)"', stripped)
        if not match:
            continue
        key, value = match.groups()
        if section == "project" and key in ("name", "version"):
            found[key] = value
        elif section == "project.urls" and key == "Repository":
            found["repository"] = value
    return found


def metadata(pyproject: str | Path | None = None) -> dict[str, str]:
    """The pack's ``name``, ``version`` and ``repository`` URL.

    Parameters
    ----------
    pyproject
        A ``pyproject.toml`` to read; default: the checkout's, else the
        installed distribution's metadata.

    Returns
    -------
    dict
        ``{"name": "cnnrnn", "version": "0.1.0", "repository":
        "https://github.com/cnnrnn/cnnrnn"}``.

    Raises
    ------
    FileNotFoundError
        If there is neither a pyproject.toml nor an installed distribution.
    ValueError
        If the version or the repository URL is missing.
    """
    path = Path(pyproject) if pyproject is not None else _pyproject()
    if path is not None:
        found = _parse_pyproject(path.read_text(encoding="utf-8"))
        where = str(path)
    else:
        try:
            meta = importlib.metadata.metadata(DIST_NAME)
        except importlib.metadata.PackageNotFoundError as exc:
            raise FileNotFoundError(
                "neither a pyproject.toml next to cnnrnn_helpers nor an installed "
                f"{DIST_NAME!r} distribution"
            ) from exc
        urls = dict(
            (part.strip() for part in entry.split(",", 1))
            for entry in meta.get_all("Project-URL") or []
            if "," in entry
        )
        found = {
            "name": meta["Name"] or DIST_NAME,
            "version": meta["Version"] or "",
            "repository": urls.get("Repository", ""),
        }
        where = f"the metadata of the installed {DIST_NAME!r}"
    if not found["version"]:
        raise ValueError(f"no [project] version in {where}")
    if not found["repository"]:
        raise ValueError(f"no [project.urls] Repository in {where}")
    return found


def repository_url(pyproject: str | Path | None = None) -> str:
    """``[project.urls] Repository``, e.g. ``https://github.com/cnnrnn/cnnrnn``."""
    return metadata(pyproject)["repository"].rstrip("/")


def github_repo(pyproject: str | Path | None = None) -> str:
    """GitHub ``owner/name`` of the repository URL.

    Raises
    ------
    ValueError
        If the URL is not ``https://github.com/<owner>/<name>`` (Colab and
        Binder links need a GitHub repository).
    """
    url = repository_url(pyproject)
    match = _GITHUB.match(url)
    if not match:
        raise ValueError(
            f"[project.urls] Repository must be https://github.com/<owner>/<name>, "
            f"got {url!r}"
        )
    return match["repo"]


def version(pyproject: str | Path | None = None) -> str:
    """``[project] version``, e.g. ``"0.1.0"``."""
    return metadata(pyproject)["version"]


def release_tag(pyproject: str | Path | None = None) -> str:
    """The git tag of this version's release: ``"v" + version``."""
    return f"v{version(pyproject)}"


def _notebook_path(path: str | Path) -> str:
    rel = Path(path).as_posix()
    if not rel.startswith("notebooks/") or not rel.endswith(".ipynb"):
        raise ValueError(f"expected a notebooks/**/*.ipynb path, got {rel!r}")
    return rel


def colab_url(path: str | Path, pyproject: str | Path | None = None) -> str:
    """The Colab address of a notebook at the release tag.

    Parameters
    ----------
    path
        The notebook's path in the repository, ``notebooks/.../tNN_x.ipynb``.
    """
    rel = _notebook_path(path)
    repo, tag = github_repo(pyproject), release_tag(pyproject)
    return f"https://colab.research.google.com/github/{repo}/blob/{tag}/{rel}"


def binder_url(
    path: str | Path | None = None, pyproject: str | Path | None = None
) -> str:
    """The Binder (mybinder.org) address of the release, opening ``path`` in Lab."""
    repo, tag = github_repo(pyproject), release_tag(pyproject)
    url = f"https://mybinder.org/v2/gh/{repo}/{tag}"
    if path is not None:
        url += "?labpath=" + quote(_notebook_path(path), safe="")
    return url


def install_requirement(pyproject: str | Path | None = None) -> str:
    """The pip requirement that installs this release from the repository.

    ``cnnrnn @ git+https://github.com/<owner>/<name>.git@v<version>``: a
    tagged release, not a moving branch, and without the ``[run]`` extra, so
    that Colab's own Jupyter stays as it is.
    """
    name = metadata(pyproject)["name"] or DIST_NAME
    repo, tag = github_repo(pyproject), release_tag(pyproject)
    return f"{name} @ git+https://github.com/{repo}.git@{tag}"
