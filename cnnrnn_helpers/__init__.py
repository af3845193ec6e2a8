"""cnnrnn_helpers: the reusable code of the cnnrnn course pack.

Modules, by concept: :mod:`config` (profiles, data mode, seeds, paths),
:mod:`conv` (convolution and pooling by hand), :mod:`data` (loaders, stand-ins,
generators), :mod:`models`, :mod:`training`, :mod:`stats`, :mod:`viz`,
:mod:`hub`, :mod:`notebooks` (executing and checking the notebooks) and
:mod:`cli` (the ``cnnrnn`` command).  Importing the package does not import
TensorFlow; the modules that need it import it themselves.
"""

from ._version import __version__ as __version__
from .config import quiet_tensorflow_import as _quiet_tensorflow_import

_quiet_tensorflow_import()  # hide TensorFlow's native start-up lines (see config)
