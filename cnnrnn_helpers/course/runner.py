"""The runner's public names in one place (``cnnrnn run``, ``cnnrnn refresh``).

The runner is five concepts, each in its own module:

* :mod:`.finding`: the ``notebooks/`` folder and a selection of it;
* :mod:`.cells`: cell markers, tags and the output policy of committed
  notebooks (which cells keep outputs, tidy metadata, stray outputs);
* :mod:`.execute`: running one notebook in a fresh kernel, or many, with
  executed copies and HTML copies;
* :mod:`.pages`: the results pages (time table, ``results.json``, the HTML
  index, ``docs/RESULTS.md``);
* :mod:`.titles`: title-cell edits (Colab badge, install cell, run times).

This module re-exports them so that ``from cnnrnn_helpers.course import
runner`` keeps working for the CLI, the tests and ``conftest.py``.
"""

from __future__ import annotations

from .cells import (
    CHECK_MARKER,
    KERNELSPEC,
    is_checked,
    keep_checked_outputs,
    stray_outputs,
    tidy_metadata,
)
from .execute import (
    DEFAULT_TIMEOUTS,
    HEARTBEAT_SECONDS,
    RunResult,
    _to_html,
    data_label,
    execute_notebook,
    git_commit,
    machine_info,
    notebook_title,
    run_notebooks,
)
from .finding import find_notebooks, notebook_relpath, notebooks_dir
from .pages import (
    differs_paragraph,
    format_table,
    measured_times,
    merge_documents,
    notebook_differs,
    results_document,
    results_page,
    write_index,
    write_results_json,
)
from .titles import (
    COLAB_BADGE,
    GITHUB_REPO,
    INSTALL_SOURCE,
    INSTALL_TAG,
    RELEASE_TAG,
    colab_url,
    ensure_colab_badge,
    ensure_install_cell,
    prepare_notebook,
    refresh_notebook,
    run_time_line,
    stamp_run_times,
)

__all__ = [
    "CHECK_MARKER",
    "COLAB_BADGE",
    "DEFAULT_TIMEOUTS",
    "GITHUB_REPO",
    "HEARTBEAT_SECONDS",
    "INSTALL_SOURCE",
    "INSTALL_TAG",
    "KERNELSPEC",
    "RELEASE_TAG",
    "RunResult",
    "_to_html",
    "colab_url",
    "data_label",
    "differs_paragraph",
    "ensure_colab_badge",
    "ensure_install_cell",
    "execute_notebook",
    "find_notebooks",
    "format_table",
    "git_commit",
    "is_checked",
    "keep_checked_outputs",
    "machine_info",
    "measured_times",
    "merge_documents",
    "notebook_differs",
    "notebook_relpath",
    "notebook_title",
    "notebooks_dir",
    "prepare_notebook",
    "refresh_notebook",
    "results_document",
    "results_page",
    "run_notebooks",
    "run_time_line",
    "stamp_run_times",
    "stray_outputs",
    "tidy_metadata",
    "write_index",
    "write_results_json",
]
