"""Offline stand-ins for the real datasets.

When the real data cannot be downloaded (``CNNRNN_DATA=offline``, or no
network in ``auto`` mode) the loaders return one of these instead, with
``source="stand-in"``.  Each stand-in keeps the real dataset's shapes,
dtypes, value ranges, split sizes and class names, and is *learnable*: a small
model gets well above chance on it, so every notebook runs and its plots make
sense.  The numbers are not comparable with published results.

Design
------
* MNIST: scikit-learn's bundled real handwritten digits (1797 images of 8x8
  pixels, 16 grey levels) upscaled to 20x20 and placed in 28x28 centred by
  their centre of mass, as in MNIST, with random rotation, scale, shear,
  stroke thickness and shift.  Training items come from digits 0..1349 of
  scikit-learn's set, test items from 1350..1796: no source image is in both.
* Fashion-MNIST: grey silhouettes of the ten item types (T-shirt with short
  sleeves, trouser legs, dress, coat with an opening, shoes, bag with handle
  ...) drawn from simple geometric parts with random proportions, size,
  shade and texture, deformed, with class overlap, prints and noise so that
  the pack's networks find it about as hard as the real set (calibrated with
  ``bench/fashion_calibration.py``: within 3 points of real Fashion-MNIST's
  test accuracy).
* CIFAR-10: 32x32 colour scenes, one recipe per class (background palette
  such as sky, road, water or grass plus an object built from simple shapes
  in class-typical colours), with texture and noise.
* SVHN: digits rendered with matplotlib's bundled DejaVu fonts (sans and
  serif, regular and bold), placed with random affine transforms, random
  colours, neighbouring digits cut by the border, lighting and noise.
* EEG eye state: 14 channels around the real value range (about 4000-4700),
  128 Hz, eyes open or closed in blocks of a few seconds (about 45 % closed);
  closing the eyes strengthens an 8-12 Hz alpha rhythm (mostly at the back of
  the head) and shifts a few channels, on top of a slow drift and noise.

Module map: ``mnist``, ``fashion``, ``svhn``, ``cifar10``, ``eeg`` (one per
dataset, each image class drawn by its own recipe function), ``_common``
(splits, labels, the Dataset); the drawing primitives are shared with the
generators in :mod:`cnnrnn_helpers.data._draw`.

Every generator is deterministic for a seed and has the prefix property: a
smaller split is the start of a larger one (random numbers are drawn per item
from streams derived from ``(seed, split, purpose)``).  Labels come in
shuffled blocks of ten, so every prefix is close to balanced.
"""

from ..dataset import CIFAR10_CLASSES, DIGIT_CLASSES, FASHION_CLASSES
from .cifar10 import standin_cifar10
from .eeg import EEG_CHANNELS, standin_eeg_eye_state
from .fashion import standin_fashion_mnist
from .mnist import _MNIST_SPLIT_AT as _MNIST_SPLIT_AT
from .mnist import standin_mnist
from .svhn import standin_svhn

__all__ = [
    "CIFAR10_CLASSES",
    "DIGIT_CLASSES",
    "EEG_CHANNELS",
    "FASHION_CLASSES",
    "standin_cifar10",
    "standin_eeg_eye_state",
    "standin_fashion_mnist",
    "standin_mnist",
    "standin_svhn",
]
