"""cnnrnn_helpers.data: one contract for every dataset loader (in the style of
scikit-learn's estimator checks): listed, same signature, same result object."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from cnnrnn_helpers import data
from cnnrnn_helpers.data import SourceUnavailable, sources
from cnnrnn_helpers.data.dataset import SOURCES

LOADERS = [
    data.load_mnist,
    data.load_fashion_mnist,
    data.load_cifar10,
    data.load_svhn,
    data.load_eeg_eye_state,
    data.load_mnist56,
    data.load_crt,
    data.load_r3,
    data.load_pulses,
]


IDS = [f.__name__ for f in LOADERS]


GENERATED = {"load_crt", "load_r3", "load_pulses"}


@pytest.fixture(autouse=True)
def empty_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNRNN_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sources, "_probe", lambda url, timeout: "no network (test)")


def test_every_loader_is_listed():
    names = {n for n in data.__all__ if n.startswith("load_")}
    assert names == set(IDS)


@pytest.mark.parametrize("loader", LOADERS, ids=IDS)
def test_signature(loader):
    params = inspect.signature(loader).parameters
    assert list(params)[:2] == ["source", "limit"]
    assert params["source"].default is None and params["limit"].default is None
    assert "source" in loader.__doc__ and "limit" in loader.__doc__


@pytest.mark.parametrize("loader", LOADERS, ids=IDS)
def test_result_object(loader, capsys):
    ds = loader(source="offline", limit=7)
    assert isinstance(ds, data.Dataset)
    assert ds.source in SOURCES
    assert ds.source == ("generated" if loader.__name__ in GENERATED else "stand-in")
    for x, y in ((ds.x_train, ds.y_train), (ds.x_test, ds.y_test)):
        assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
        assert 0 < len(x) <= 7 and len(x) == len(y)
        assert np.isfinite(x.astype(np.float64)).all()
    assert ds.x_val is ds.x_test and ds.y_val is ds.y_test
    assert isinstance(ds.class_names, tuple)
    if ds.class_names:  # classification: labels index the class names
        labels = ds.y_train if ds.y_train.ndim == 1 else ds.y_train.argmax(axis=1)
        assert labels.max() < len(ds.class_names)
    if ds.x_train.dtype == np.uint8:
        assert ds.x_train.ndim >= 3  # images: (n, h, w[, c])
    assert ds.name in ds.describe() and repr(ds).startswith("Dataset(")
    err = capsys.readouterr().err
    assert ("OFFLINE STAND-IN" in err) == ds.is_standin


@pytest.mark.parametrize("loader", LOADERS, ids=IDS)
def test_limit_is_a_prefix(loader):
    small, large = loader(source="offline", limit=3), loader(source="offline", limit=6)
    np.testing.assert_array_equal(small.x_train, large.x_train[:3])
    np.testing.assert_array_equal(small.y_test, large.y_test[:3])
    assert len(loader(source="offline", limit=np.int64(2)).x_train) == 2


@pytest.mark.parametrize("loader", LOADERS, ids=IDS)
def test_argument_checks(loader):
    with pytest.raises(ValueError, match="source must be one of auto, online, offline"):
        loader(source="internet")
    with pytest.raises(TypeError, match="source must be"):
        loader(source=1)
    with pytest.raises(ValueError, match="limit must be None or an int >= 1, got 0"):
        loader(source="offline", limit=0)
    for bad in (2.5, True, "3"):
        with pytest.raises(TypeError, match="limit must be None or an int >= 1"):
            loader(source="offline", limit=bad)


@pytest.mark.parametrize("loader", LOADERS, ids=IDS)
def test_auto_without_network_and_online(loader, capsys):
    ds = loader(source="auto", limit=2)
    assert ds.source in ("stand-in", "generated")
    if loader.__name__ in GENERATED:  # never downloaded: the same in every mode
        np.testing.assert_array_equal(
            loader(source="online", limit=2).x_train, ds.x_train
        )
    else:
        assert "no network (test)" in capsys.readouterr().err
        with pytest.raises(SourceUnavailable, match="cnnrnn fetch"):
            loader(source="online", limit=2)
