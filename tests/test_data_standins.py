"""cnnrnn_helpers.data.standins: real layouts, deterministic, prefixes, learnable."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from cnnrnn_helpers.data import standins
from cnnrnn_helpers.data.standins import (
    CIFAR10_CLASSES,
    DIGIT_CLASSES,
    FASHION_CLASSES,
    standin_cifar10,
    standin_eeg_eye_state,
    standin_fashion_mnist,
    standin_mnist,
    standin_svhn,
)

IMAGE_STANDINS = {
    "mnist": (standin_mnist, (28, 28), DIGIT_CLASSES),
    "fashion_mnist": (standin_fashion_mnist, (28, 28), FASHION_CLASSES),
    "cifar10": (standin_cifar10, (32, 32, 3), CIFAR10_CLASSES),
    "svhn": (standin_svhn, (32, 32, 3), DIGIT_CLASSES),
}


@pytest.mark.parametrize("name", sorted(IMAGE_STANDINS))
def test_image_standin_layout(name):
    make, shape, classes = IMAGE_STANDINS[name]
    ds = make(n_train=200, n_test=50, seed=0)
    assert ds.name == name and ds.source == "stand-in" and ds.is_standin
    assert ds.x_train.shape == (200, *shape) and ds.x_test.shape == (50, *shape)
    assert ds.x_train.dtype == ds.x_test.dtype == np.uint8
    assert ds.y_train.shape == (200,) and ds.y_train.dtype == np.uint8
    assert ds.class_names == classes and len(classes) == 10
    np.testing.assert_array_equal(np.bincount(ds.y_train, minlength=10), [20] * 10)
    assert ds.x_train.min() < 30 and ds.x_train.max() > 220  # uses the range
    assert "standin" in ds.info and ds.info["seed"] == 0
    assert "OFFLINE STAND-IN" in ds.describe()


@pytest.mark.parametrize("name", sorted(IMAGE_STANDINS))
def test_image_standin_deterministic_with_prefix(name):
    make = IMAGE_STANDINS[name][0]
    small = make(n_train=30, n_test=12, seed=3)
    again = make(n_train=30, n_test=12, seed=3)
    large = make(n_train=75, n_test=40, seed=3)
    np.testing.assert_array_equal(small.x_train, again.x_train)
    np.testing.assert_array_equal(small.x_train, large.x_train[:30])
    np.testing.assert_array_equal(small.y_train, large.y_train[:30])
    np.testing.assert_array_equal(small.x_test, large.x_test[:12])
    other = make(n_train=30, n_test=12, seed=4)
    assert not np.array_equal(small.x_train, other.x_train)
    # the test split is not a copy of the training split
    assert not np.array_equal(small.x_train[:12], small.x_test)


def _softmax_accuracy(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> float:
    """Test accuracy of a softmax regression fitted by gradient descent."""
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0) + 1e-3
    a = np.hstack([(x_train - mu) / sd, np.ones((len(x_train), 1))])
    b = np.hstack([(x_test - mu) / sd, np.ones((len(x_test), 1))])
    onehot = np.eye(10)[y_train]
    w = np.zeros((a.shape[1], 10))
    for _ in range(150):
        z = a @ w
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        w -= 0.5 * (a.T @ (p - onehot) / len(a) + 1e-3 * w)
    return float(np.mean((b @ w).argmax(axis=1) == y_test))


def _features(name: str, x: np.ndarray) -> np.ndarray:
    """Pixels pooled 2x2 (grey for SVHN, with the digit made bright)."""
    x = x.astype(np.float64) / 255.0
    if name == "svhn":
        g = x.mean(axis=-1)
        g = (g - g.mean(axis=(1, 2), keepdims=True)) / (
            g.std(axis=(1, 2), keepdims=True) + 1e-3
        )
        x = g * np.sign(g[:, 10:22, 12:20].mean(axis=(1, 2)))[:, None, None]
    n, h, w = x.shape[:3]
    pooled = x.reshape(n, h // 2, 2, w // 2, 2, *x.shape[3:]).mean(axis=(2, 4))
    return pooled.reshape(n, -1)


# Measured test accuracy of the softmax regression on 1000 training items
# (chance: 0.10): mnist 0.72, fashion 0.78 (calibrated to be about as hard as
# the real set, which gives 0.80 here), cifar10 0.75, svhn 0.77 (greyscale,
# polarity-normalised; on raw pixels SVHN is as hard for a linear model as the
# real data).  The thresholds leave room for other platforms' rounding.
THRESHOLDS = {"mnist": 0.6, "fashion_mnist": 0.7, "cifar10": 0.55, "svhn": 0.5}


@pytest.mark.parametrize("name", sorted(IMAGE_STANDINS))
def test_image_standin_is_learnable(name):
    ds = IMAGE_STANDINS[name][0](n_train=1000, n_test=400, seed=0)
    with threadpool_limits(1):
        acc = _softmax_accuracy(
            _features(name, ds.x_train),
            ds.y_train,
            _features(name, ds.x_test),
            ds.y_test,
        )
    assert acc > THRESHOLDS[name], f"{name}: accuracy {acc:.3f}"


def test_mnist_standin_looks_like_mnist():
    ds = standin_mnist(n_train=300, n_test=100)
    x = ds.x_train.astype(float)
    # black border (a few digits touch it, as in MNIST), centred by mass
    border = np.concatenate([x[:, :2], x[:, -2:], x[:, :, :2].transpose(0, 2, 1)], 1)
    assert np.mean(border.max(axis=(1, 2)) > 60) < 0.03
    rows = (x.sum(axis=2) * np.arange(28)).sum(axis=1) / x.sum(axis=(1, 2))
    cols = (x.sum(axis=1) * np.arange(28)).sum(axis=1) / x.sum(axis=(1, 2))
    assert abs(np.median(rows) - 13.5) < 1.0 and abs(np.median(cols) - 13.5) < 1.0
    # about a fifth of the pixels are ink, as in MNIST
    assert 0.1 < (x > 128).mean() < 0.3
    # train and test come from disjoint source images of scikit-learn's set
    assert 0 < standins._MNIST_SPLIT_AT < 1797


def test_standin_arguments_are_checked():
    with pytest.raises(ValueError, match="n_train"):
        standin_mnist(n_train=0, n_test=5)
    with pytest.raises(ValueError, match="seed"):
        standin_svhn(n_train=5, n_test=5, seed=-1)
    with pytest.raises(TypeError, match="n_test"):
        standin_cifar10(n_train=5, n_test=2.5)
    with pytest.raises(ValueError, match="n_rows"):
        standin_eeg_eye_state(n_rows=0)


def test_eeg_standin_layout_and_prefix():
    x, y = standin_eeg_eye_state()
    assert x.shape == (14980, 14) and x.dtype == np.float32
    assert y.shape == (14980,) and y.dtype == np.uint8
    assert x.min() > 3900 and x.max() < 4800
    assert 0.38 < y.mean() < 0.52  # about 45 % closed
    # eye state comes in blocks of at least 2 s (256 rows at 128 Hz)
    changes = np.flatnonzero(np.diff(y)) + 1
    assert 10 < len(changes) < 60
    assert np.diff(changes).min() >= 256
    x_small, y_small = standin_eeg_eye_state(n_rows=3000)
    np.testing.assert_array_equal(x_small, x[:3000])
    np.testing.assert_array_equal(y_small, y[:3000])
    assert not np.array_equal(standin_eeg_eye_state(n_rows=100, seed=1)[0], x[:100])


def test_eeg_standin_alpha_rhythm_grows_when_eyes_close():
    x, y = standin_eeg_eye_state(n_rows=8000)
    o1 = x[:, standins.EEG_CHANNELS.index("O1")].astype(float)
    detrended = o1 - np.convolve(o1, np.ones(64) / 64, mode="same")
    inner = slice(100, -100)
    closed = detrended[inner][y[inner] == 1].std()
    opened = detrended[inner][y[inner] == 0].std()
    assert closed > 1.5 * opened


def test_eeg_standin_windows_beat_the_majority_class():
    x, y = standin_eeg_eye_state()
    scaled = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    n_train = round(len(x) * 0.8)  # chronological split, as the loader
    windows = np.lib.stride_tricks.sliding_window_view(scaled, (10, 14))[:, 0]
    feats = np.concatenate([windows.mean(axis=1), windows.std(axis=1)], axis=1)
    target = y[9:]
    a, b = feats[: n_train - 9], feats[n_train:]
    ya, yb = target[: n_train - 9], target[n_train:]
    mu, sd = a.mean(axis=0), a.std(axis=0)
    a, b = (a - mu) / sd, (b - mu) / sd
    w, bias = np.zeros(a.shape[1]), 0.0
    for _ in range(300):  # logistic regression by gradient descent
        p = 1 / (1 + np.exp(-(a @ w + bias)))
        w -= 0.5 * a.T @ (p - ya) / len(a)
        bias -= 0.5 * np.mean(p - ya)
    acc = np.mean(((b @ w + bias) > 0) == yb)
    majority = max(yb.mean(), 1 - yb.mean())
    assert acc > majority + 0.15, (acc, majority)
