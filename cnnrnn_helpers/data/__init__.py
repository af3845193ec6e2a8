"""Datasets: real loaders, offline stand-ins and the lab's generators.

Every loader returns a :class:`Dataset` (raw arrays as the source gives them,
``source="real"`` or ``"stand-in"``) and takes ``source=None`` (follow
``config.DATA``: auto | online | offline) and ``limit=None`` (cap each split).

Module map
----------
dataset     the result object, the stand-in warning, a chronological split
generators  make_shapes, make_pulses, make_sum_series,
            make_variable_length_sequences (deterministic, seeded)
standins    offline stand-ins for every real dataset
lab         the lab's generated datasets (CRT, R3, pulses) and MNIST 5-vs-6
registry    the real datasets (a frozen dataclass each) and their cache files
sources     the one source rule (cached real, else download, else stand-in)
            shared with the TF Hub module; the expiring network probe
fetchers    one fetcher per real dataset (tfds, keras.datasets, openml, scipy.io)
idx         the IDX files of MNIST / Fashion-MNIST: read, verify, import into
            the cache (the system dataset folder, ``cnnrnn fetch --from``)
loaders     the real loaders, ``fetch``, ``import_folder`` and ``cache_status``
download    atomic, checksummed, retried downloads with progress bars
hub_module  the TF Hub CIFAR-10 module as a source: its cache, fetch, status
windows     sliding windows and min-max scaling for sequences (sheet s01)
batching    batches of variable-length sequences, grouped by length (s01 t6)
model_inputs
            a Dataset as network inputs: flat_images (flat float vectors,
            one-hot labels) and probe_batch (a fixed, seeded mini-batch)
"""

from .dataset import Dataset, chronological_split, warn_standin
from .generators import (
    make_pulses,
    make_shapes,
    make_sum_series,
    make_variable_length_sequences,
)
from .lab import load_crt, load_mnist56, load_pulses, load_r3
from .loaders import (
    REAL_DATASETS,
    DatasetSpec,
    cache_status,
    fetch,
    import_folder,
    load_cifar10,
    load_eeg_eye_state,
    load_fashion_mnist,
    load_mnist,
    load_svhn,
)
from .model_inputs import FlatImages, ProbeBatch, flat_images, probe_batch
from .sources import SourceUnavailable

__all__ = [
    "REAL_DATASETS",
    "Dataset",
    "DatasetSpec",
    "FlatImages",
    "ProbeBatch",
    "SourceUnavailable",
    "cache_status",
    "chronological_split",
    "fetch",
    "flat_images",
    "import_folder",
    "load_cifar10",
    "load_crt",
    "load_eeg_eye_state",
    "load_fashion_mnist",
    "load_mnist",
    "load_mnist56",
    "load_pulses",
    "load_r3",
    "load_svhn",
    "make_pulses",
    "make_shapes",
    "make_sum_series",
    "make_variable_length_sequences",
    "probe_batch",
    "warn_standin",
]
