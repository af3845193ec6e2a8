"""cnnrnn_helpers.data.lab: CRT, R3, pulses (generated) and MNIST 5-vs-6."""

from __future__ import annotations

import numpy as np
import pytest

from cnnrnn_helpers.data import Dataset, lab, loaders
from cnnrnn_helpers.data.lab import (
    LAB_SEEDS,
    load_crt,
    load_mnist56,
    load_pulses,
    load_r3,
)


@pytest.mark.parametrize(
    ("loader", "names"),
    [
        (load_crt, ("circle", "rectangle", "triangle")),
        (load_r3, ("square", "wide rectangle", "tall rectangle")),
    ],
)
def test_shape_datasets_layout(loader, names):
    ds = loader()
    assert ds.x_train.shape == (500, 64, 64, 1) and ds.x_train.dtype == np.uint8
    assert ds.x_val.shape == (1000, 64, 64, 1)
    assert ds.y_train.shape == (500, 3) and ds.y_train.dtype == np.float32
    assert ds.y_val.shape == (1000, 3)
    assert ds.class_names == names
    assert ds.source == "generated" and not ds.is_standin
    assert ds.info["seed_train"] != ds.info["seed_val"]
    # validation images are new images, not copies of training images
    train = {img.tobytes() for img in ds.x_train}
    assert not any(img.tobytes() in train for img in ds.x_val)
    counts = ds.y_val.sum(axis=0)
    assert counts.max() - counts.min() <= 1


def test_shape_datasets_are_reproducible_and_limited():
    a, b = load_crt(), load_crt(limit=30)
    assert b.x_train.shape[0] == b.x_val.shape[0] == 30
    np.testing.assert_array_equal(b.x_train, a.x_train[:30])
    np.testing.assert_array_equal(b.y_val, a.y_val[:30])
    assert load_r3(limit=5000).x_train.shape[0] == 500  # clipped
    assert LAB_SEEDS["crt"] != LAB_SEEDS["r3"]
    assert not np.array_equal(a.x_train[:30], load_r3(limit=30).x_train)


def test_pulses_dataset():
    ds = load_pulses()
    assert ds.x_train.shape == ds.y_train.shape == (500, 100, 1)
    assert ds.x_val.shape == ds.y_val.shape == (500, 100, 1)
    assert ds.x_train.dtype == np.float32 and ds.class_names == ()
    # targets are triangles: same peak heights as the pulses, never above
    assert ds.y_train.max() <= ds.x_train.max() + 1e-6
    assert 0.0 < ds.y_train.mean() < ds.x_train.mean() * 2.5
    small = load_pulses(limit=7)
    np.testing.assert_array_equal(small.x_val, ds.x_val[:7])


@pytest.mark.parametrize("bad", [0, -3])
def test_limit_must_be_positive(bad):
    for loader in (load_crt, load_r3, load_pulses, load_mnist56):
        with pytest.raises(ValueError, match="limit"):
            loader(limit=bad)
    with pytest.raises(TypeError, match="limit"):
        load_crt(limit=2.5)


def _fake_mnist(n_train: int, n_test: int) -> Dataset:
    """MNIST-like arrays whose labels cycle 0..9 and whose pixels encode the index."""

    def split(n: int) -> tuple[np.ndarray, np.ndarray]:
        x = np.zeros((n, 28, 28), dtype=np.uint8)
        x[:, 0, 0] = np.arange(n) % 251
        return x, (np.arange(n) % 10).astype(np.uint8)

    x_train, y_train = split(n_train)
    x_test, y_test = split(n_test)
    return Dataset(
        "mnist", x_train, y_train, x_test, y_test, tuple("0123456789"), "real"
    )


def test_mnist56_selects_the_first_fives_and_sixes(monkeypatch):
    calls = []

    def fake_load_mnist(source=None, limit=None):
        calls.append((source, limit))
        n_train = 60000 if limit is None else min(limit, 60000)
        n_test = 10000 if limit is None else min(limit, 10000)
        return _fake_mnist(n_train, n_test)

    monkeypatch.setattr(loaders, "load_mnist", fake_load_mnist)
    ds = load_mnist56(source="online")
    assert calls[0][0] == "online"
    assert ds.x_train.shape == (2000, 28, 28, 1) and ds.x_train.dtype == np.uint8
    assert ds.x_val.shape == (1850, 28, 28, 1)
    assert ds.y_train.dtype == np.float32
    assert ds.class_names == ("5", "6") and ds.source == "real"
    # labels cycle 0..9, so the fives and sixes are items 5, 6, 15, 16, ...
    expected = np.sort(
        np.concatenate([np.arange(5, 10000, 10), np.arange(6, 10000, 10)])
    )
    np.testing.assert_array_equal(ds.x_train[:, 0, 0, 0], expected[:2000] % 251)
    np.testing.assert_array_equal(ds.y_train[:4], [0.0, 1.0, 0.0, 1.0])
    assert ds.y_train.mean() == 0.5 and ds.info["complete"]
    # 10000 test items hold only 2000 fives and sixes: 1850 are taken
    np.testing.assert_array_equal(ds.x_val[:, 0, 0, 0], expected[:1850] % 251)


def test_mnist56_offline_standin_is_small_and_labelled():
    # conftest forces CNNRNN_DATA=offline: the MNIST stand-in is used
    ds = load_mnist56(limit=150)
    assert ds.is_standin and "OFFLINE STAND-IN" in ds.describe()
    assert ds.x_train.shape == (150, 28, 28, 1) and ds.x_val.shape == (150, 28, 28, 1)
    assert set(np.unique(ds.y_train)) == {0.0, 1.0}
    assert 0.3 < ds.y_val.mean() < 0.7
    # the generated digits really are fives and sixes: the mean six is
    # brighter in the lower left (the loop) than the mean five
    six = ds.x_train[ds.y_train == 1][..., 0].mean(axis=0)
    five = ds.x_train[ds.y_train == 0][..., 0].mean(axis=0)
    assert six[16:24, 6:14].mean() > five[16:24, 6:14].mean()
    assert lab.MNIST56_SIZES == (2000, 1850)
