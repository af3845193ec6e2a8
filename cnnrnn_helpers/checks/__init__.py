"""Self-checks for the exercises: one line on success, one line if not.

Every exercise in which a student writes code or works out a number has a
check here.  A notebook calls it right after the exercise, e.g.::

    checks.conv2d(convolve)              # sheet 1, task 4 (a)
    checks.model(cnn, "s05_small_cnn")   # sheet 5, problem 3
    checks.value("s05_small_cnn_params", by_hand_cnn)

* **Right work** prints one ``✓`` line and returns a true :class:`Result`.
* **Wrong work** raises :class:`CheckFailed` with one line that names what
  is wrong (the position or the property that differs, or a typical mistake:
  "the result is the true convolution: the kernel is flipped"), never the
  value to be found.  ``checks.explain()`` prints the detail: the small case
  that failed, or a hint on the method.  ``checks.raise_on_failure(False)``
  prints the ``✗`` line instead of raising.
* **A stub** that is not written yet (``raise NotImplementedError``) stops
  with one friendly "not written yet" line, whether a check calls it or the
  cell runs it: importing this module registers an IPython handler for
  ``NotImplementedError`` raised in a notebook cell (and for a ``NameError``
  at the top of a cell, the usual follow-up of a stub above), so neither
  shows a traceback.

Layout: :mod:`.framework` (reporting), :mod:`.key` (the answer key, salted
hashes, also read by the leak test and the grader), and the checkers by
topic: :mod:`.values`, :mod:`.convolution`, :mod:`.networks`, :mod:`.data`,
:mod:`.gradients`.
"""

from __future__ import annotations

from . import key
from .convolution import conv2d, max_pool2d, sobel
from .data import (
    first_mistake,
    length_batches,
    mask,
    padding,
    ragged,
    scaled,
    sum_series,
    windows,
)
from .framework import CheckFailed, Result, array, explain, raise_on_failure
from .gradients import backprop
from .networks import REFERENCE_MODELS, classifier, model, reference_model
from .notebook import install_stub_handler
from .values import VALUES, value

__all__ = [
    "REFERENCE_MODELS",
    "VALUES",
    "CheckFailed",
    "Result",
    "array",
    "backprop",
    "classifier",
    "conv2d",
    "explain",
    "first_mistake",
    "key",
    "length_batches",
    "mask",
    "max_pool2d",
    "model",
    "padding",
    "ragged",
    "raise_on_failure",
    "reference_model",
    "scaled",
    "sobel",
    "sum_series",
    "value",
    "windows",
]

install_stub_handler()
