"""Repository and release read from pyproject.toml; badges, install line, extras."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cnnrnn_helpers.course import project

ROOT = Path(__file__).resolve().parent.parent

FORK = """\
[project]
name = "cnnrnn"
version = "1.2.3"

[project.urls]
Repository = "https://github.com/some-lab/cnn-course.git"
"""


@pytest.fixture
def fork(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(FORK, encoding="utf-8")
    return path


def test_values_of_this_checkout():
    assert project.repository_url() == "https://github.com/cnnrnn/cnnrnn"
    assert project.github_repo() == "cnnrnn/cnnrnn"
    assert project.version() == "0.1.0"
    assert project.release_tag() == "v0.1.0"
    assert project.install_requirement() == (
        "cnnrnn @ git+https://github.com/cnnrnn/cnnrnn.git@v0.1.0"
    )


def test_a_fork_changes_one_file(fork):
    assert project.github_repo(fork) == "some-lab/cnn-course"
    assert project.release_tag(fork) == "v1.2.3"
    assert project.colab_url("notebooks/s05_x/t01_y.ipynb", fork) == (
        "https://colab.research.google.com/github/some-lab/cnn-course/blob/v1.2.3/"
        "notebooks/s05_x/t01_y.ipynb"
    )
    assert project.binder_url("notebooks/00_start_here.ipynb", fork) == (
        "https://mybinder.org/v2/gh/some-lab/cnn-course/v1.2.3"
        "?labpath=notebooks%2F00_start_here.ipynb"
    )
    assert project.binder_url(pyproject=fork).endswith("cnn-course/v1.2.3")
    assert project.install_requirement(fork) == (
        "cnnrnn @ git+https://github.com/some-lab/cnn-course.git@v1.2.3"
    )


def test_python_310_fallback_parser_agrees_with_tomllib():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    tomllib = pytest.importorskip("tomllib")

    doc = tomllib.loads(text)
    assert project._parse_pyproject(text) == {
        "name": doc["project"]["name"],
        "version": doc["project"]["version"],
        "repository": doc["project"]["urls"]["Repository"],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[project]\nname = "x"\n', "no \\[project\\] version"),
        ('[project]\nversion = "1"\n', "no \\[project.urls\\] Repository"),
        (
            '[project]\nversion = "1"\n[project.urls]\n'
            'Repository = "https://gitlab.com/a/b"\n',
            "must be https://github.com/<owner>/<name>",
        ),
    ],
)
def test_bad_pyproject_is_named(tmp_path, text, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        project.github_repo(path)


def test_notebook_paths_are_checked():
    with pytest.raises(ValueError, match="expected a notebooks/"):
        project.colab_url("s05/t01.ipynb")
    with pytest.raises(ValueError, match="expected a notebooks/"):
        project.binder_url("notebooks/readme.md")


def test_installed_copy_reads_the_distribution_metadata(monkeypatch):
    class Meta(dict):
        def get_all(self, key):
            return ["Repository, https://github.com/x/y", "Docs, https://z"]

    monkeypatch.setattr(project, "_pyproject", lambda: None)
    monkeypatch.setattr(
        project.importlib.metadata,
        "metadata",
        lambda name: Meta(Name="cnnrnn", Version="0.9.0"),
    )
    assert (
        project.install_requirement()
        == "cnnrnn @ git+https://github.com/x/y.git@v0.9.0"
    )


def test_readme_binder_badge_points_at_the_release():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\((https://mybinder\.org/v2/gh/[^)]+)\)", readme)
    assert badges == [project.binder_url("notebooks/00_start_here.ipynb")]


def test_jupyter_is_an_extra_and_binder_installs_it():
    tomllib = pytest.importorskip("tomllib")

    doc = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    core = " ".join(doc["project"]["dependencies"])
    for name in ("jupyter", "nbclient", "nbconvert", "nbval"):
        assert not re.search(rf"(?<![\w-]){name}(?![\w-])", core), name
    extras = doc["project"]["optional-dependencies"]
    run = " ".join(extras["run"])
    for name in ("jupyter", "nbclient", "nbconvert", "jupyter-server-mathjax"):
        assert name in run
    assert "cnnrnn[run]" in extras["test"] and any("nbval" in r for r in extras["test"])
    assert '-e ".[test]"' in (ROOT / "Makefile").read_text(encoding="utf-8")
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert '-e ".[run]"' in post_build and "-c constraints.txt" in post_build
    assert (ROOT / "binder" / "runtime.txt").read_text().strip().startswith("python-3")
