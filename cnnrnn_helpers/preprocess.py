"""Earlier name of :mod:`.digit_photos` and :mod:`.digit_samples` (notebooks use it).

``from cnnrnn_helpers import preprocess`` keeps working: every public name of
the two modules is here.  New code imports them directly.
"""

from .digit_photos import *  # noqa: F403
from .digit_photos import __all__ as _photos
from .digit_samples import *  # noqa: F403
from .digit_samples import __all__ as _samples

__all__ = [*_photos, *_samples]
