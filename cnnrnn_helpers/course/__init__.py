"""Course tooling: running, reporting, slides, student copies, grading, the CLI.

Nothing here is imported by the notebooks or by the teaching library
(``cnnrnn_helpers`` outside this subpackage); this code may import the
library, never the reverse (``tests/test_layout.py`` checks it).

:mod:`cells`    every cell marker, tag and output-policy rule (one home)
:mod:`finding`  the ``notebooks/`` folder and a selection of it
:mod:`execute`  run notebooks in fresh kernels (``cnnrnn run``)
:mod:`pages`    results pages: time table, results.json, index, RESULTS.md
:mod:`titles`   title-cell edits: Colab badge, install cell, run times
:mod:`runner`   the five above under one name (what the CLI and tests import)
:mod:`report`   read what kernels recorded; Markdown reports
:mod:`assets`   offline reveal.js and MathJax
:mod:`slides`   reveal.js decks (``cnnrnn slides``)
:mod:`student`  student copies (``cnnrnn student``)
:mod:`marks`    add missing answer marks and slide tags (``cnnrnn marks``)
:mod:`project`  the repository and release named in ``pyproject.toml``
:mod:`cli`      the ``cnnrnn`` command, the only argparse of the course tooling
"""
