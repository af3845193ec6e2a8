"""Course tooling: running, reporting, slides, student copies and the CLI.

Nothing here is imported by the notebooks or by the teaching library
(``cnnrnn_helpers`` outside this subpackage); this code may import the
library, never the reverse (``tests/test_layout.py`` checks it).

:mod:`runner`   execute notebooks (``cnnrnn run``), output policy, title cells
:mod:`report`   read what kernels recorded; results pages
:mod:`assets`   offline reveal.js and MathJax
:mod:`slides`   reveal.js decks (``cnnrnn slides``)
:mod:`student`  student copies (``cnnrnn student``)
:mod:`project`  the repository and release named in ``pyproject.toml``
:mod:`cli`      the ``cnnrnn`` command, the only argparse of the pack
"""
