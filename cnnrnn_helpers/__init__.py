"""cnnrnn_helpers: the reusable code of the cnnrnn course pack, in two rooms.

The teaching library, what the notebooks import (by concept, never by
sheet): :mod:`config` (profiles, data mode, seeds, paths, presenter switch),
:mod:`conv` (convolution and pooling by hand), :mod:`activations`,
:mod:`data` (loaders, stand-ins, generators, sources; the TF Hub module's
cache), :mod:`models` (inspection and the one layer probe; dense, CNN and RNN
builders), :mod:`training` (iterations, truncated BPTT, probes, fit helpers,
the histories), :mod:`stats`, :mod:`viz`, :mod:`hub`, :mod:`digit_photos`
and :mod:`digit_samples` (imported as ``preprocess`` too), :mod:`results`,
:mod:`checks`, :mod:`model_cache` and :mod:`terminal`.

The course tooling, :mod:`cnnrnn_helpers.course`: the runner, the results
report, slides, student copies and the ``cnnrnn`` command.  The course may
import the library, never the reverse, and the package has no import cycle
(``tests/test_layout.py``).  Importing the package does not import
TensorFlow; the modules that need it import it themselves.
"""

from ._version import __version__ as __version__
from .config import quiet_tensorflow_import as _quiet_tensorflow_import

_quiet_tensorflow_import()  # hide TensorFlow's native start-up lines (see config)
