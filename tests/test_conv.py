"""Manual convolution and pooling against SciPy, TensorFlow and each other."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnrnn_helpers.conv import (
    conv2d,
    conv2d_naive,
    max_pool2d,
    max_pool2d_naive,
    pooled_size,
)

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


# ---------------------------------------------------------------- examples


def test_conv2d_small_example_by_hand():
    image = np.arange(16).reshape(4, 4)
    kernel = np.array([[1, 0], [0, -1]])
    # out[i, j] = image[i, j] - image[i + 1, j + 1] = -5 everywhere
    expected = np.full((3, 3), -5.0)
    np.testing.assert_array_equal(conv2d(image, kernel), expected)
    np.testing.assert_array_equal(conv2d_naive(image, kernel), expected)


def test_conv2d_flip_small_example_by_hand():
    image = np.arange(16).reshape(4, 4)
    kernel = np.array([[1, 0], [0, -1]])
    # flipped kernel [[-1, 0], [0, 1]]: image[i + 1, j + 1] - image[i, j] = +5
    np.testing.assert_array_equal(
        conv2d(image, kernel, flip=True), np.full((3, 3), 5.0)
    )


def test_vertical_edge_detector_finds_the_edge():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0  # dark left half, bright right half
    out = conv2d(image, SOBEL_X)
    # 4x4 output; the edge sits between columns 2 and 3 of the image, i.e.
    # under output columns 1 and 2 (windows that straddle it)
    np.testing.assert_array_equal(out, np.tile([0.0, 4.0, 4.0, 0.0], (4, 1)))


def test_max_pool_small_example_by_hand():
    image = np.array([[1, 3, 2], [4, 0, 1], [2, 5, 7]])
    np.testing.assert_array_equal(max_pool2d(image, 2), [[4, 3], [5, 7]])
    np.testing.assert_array_equal(max_pool2d_naive(image, 2), [[4, 3], [5, 7]])
    np.testing.assert_array_equal(max_pool2d(image, 2, stride=2), [[4]])


def test_output_shapes_and_dtype():
    image = np.ones((10, 10), dtype=np.uint8)
    assert conv2d(image, np.ones((3, 3))).shape == (8, 8)
    assert conv2d(image, np.ones((3, 3))).dtype == np.float64
    assert max_pool2d(image, 3).shape == (8, 8)
    assert max_pool2d(image, 3, stride=3).shape == (3, 3)
    assert max_pool2d(image, 2, stride=4).shape == (3, 3)
    assert pooled_size(10, 2, 4) == 3


def test_kernel_as_large_as_image_gives_one_value():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    np.testing.assert_allclose(conv2d(image, kernel), [[np.sum(image * kernel)]])
    np.testing.assert_allclose(max_pool2d(image, 5), [[image.max()]])


def test_negative_values_pool_correctly():
    image = -np.arange(1, 10).reshape(3, 3)
    np.testing.assert_array_equal(max_pool2d(image, 2), [[-1, -2], [-4, -5]])


# ------------------------------------------------------ against SciPy / TF


@pytest.mark.parametrize(("n", "k"), [(5, 3), (28, 3), (28, 5), (17, 4), (9, 1)])
def test_conv2d_matches_scipy_correlate2d(n, k):
    rng = np.random.default_rng(n * 100 + k)
    image, kernel = rng.normal(size=(n, n)), rng.normal(size=(k, k))
    expected = scipy.signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(conv2d(image, kernel), expected, atol=1e-12)
    np.testing.assert_allclose(conv2d_naive(image, kernel), expected, atol=1e-12)


@pytest.mark.parametrize(("n", "k"), [(5, 3), (28, 3), (28, 5), (11, 7)])
def test_conv2d_flip_matches_scipy_ndimage_convolve(n, k):
    rng = np.random.default_rng(n + k)
    image, kernel = rng.normal(size=(n, n)), rng.normal(size=(k, k))
    h = k // 2  # odd kernel: ndimage output is centred, crop the border
    expected = scipy.ndimage.convolve(image, kernel, mode="constant")[h:-h, h:-h]
    np.testing.assert_allclose(conv2d(image, kernel, flip=True), expected, atol=1e-12)
    np.testing.assert_allclose(
        scipy.signal.convolve2d(image, kernel, mode="valid"),
        conv2d_naive(image, kernel, flip=True),
        atol=1e-12,
    )


@pytest.mark.parametrize(("n", "size", "stride"), [(28, 2, 2), (28, 3, 1), (13, 3, 2)])
def test_matches_tensorflow(n, size, stride):
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(n)
    image, kernel = rng.normal(size=(n, n)), rng.normal(size=(size, size))
    x = tf.constant(image[None, :, :, None])
    w = tf.constant(kernel[:, :, None, None])
    tf_conv = tf.nn.conv2d(x, w, strides=1, padding="VALID").numpy()[0, :, :, 0]
    np.testing.assert_allclose(conv2d(image, kernel), tf_conv, atol=1e-10)
    tf_pool = tf.nn.max_pool2d(x, ksize=size, strides=stride, padding="VALID")
    np.testing.assert_array_equal(
        max_pool2d(image, size, stride=stride), tf_pool.numpy()[0, :, :, 0]
    )


# ---------------------------------------------------------- property tests


@st.composite
def image_and_kernel(draw):
    n = draw(st.integers(1, 24))
    k = draw(st.integers(1, n))
    finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
    image = draw(arrays(np.float64, (n, n), elements=finite))
    kernel = draw(arrays(np.float64, (k, k), elements=finite))
    return image, kernel


@settings(max_examples=150, deadline=None)
@given(image_and_kernel(), st.booleans())
def test_fast_and_naive_conv_agree(pair, flip):
    image, kernel = pair
    fast = conv2d(image, kernel, flip=flip)
    naive = conv2d_naive(image, kernel, flip=flip)
    n, k = image.shape[0], kernel.shape[0]
    assert fast.shape == naive.shape == (n - k + 1, n - k + 1)
    scale = 1.0 + np.abs(image).max() * np.abs(kernel).sum()
    np.testing.assert_allclose(fast, naive, rtol=0, atol=1e-9 * scale)
    ref = (scipy.signal.convolve2d if flip else scipy.signal.correlate2d)(
        image, kernel, mode="valid"
    )
    np.testing.assert_allclose(fast, ref, rtol=0, atol=1e-9 * scale)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fast_and_naive_pool_agree_with_brute_force(data):
    n = data.draw(st.integers(1, 24))
    size = data.draw(st.integers(1, n))
    stride = data.draw(st.integers(1, n + 2))
    image = data.draw(arrays(np.float64, (n, n), elements=st.floats(-1e6, 1e6)))
    m = (n - size) // stride + 1
    brute = np.array(
        [
            [
                image[
                    i * stride : i * stride + size, j * stride : j * stride + size
                ].max()
                for j in range(m)
            ]
            for i in range(m)
        ]
    )
    np.testing.assert_array_equal(max_pool2d(image, size, stride=stride), brute)
    np.testing.assert_array_equal(max_pool2d_naive(image, size, stride=stride), brute)


# --------------------------------------------------------------- bad input

BAD_IMAGES = [
    (np.ones((3, 4)), "square"),
    (np.ones(5), "2-D"),
    (np.ones((2, 3, 3)), "2-D"),
    (np.zeros((0, 0)), "empty"),
    (np.array([[1.0, np.nan], [0.0, 1.0]]), "NaN or infinite"),
    (np.array([[1.0, np.inf], [0.0, 1.0]]), "NaN or infinite"),
    ([["a", "b"], ["c", "d"]], "numbers"),
    ([[1, 2], [3]], "2-D array of numbers"),
    (np.ones((2, 2), dtype=complex), "real-valued"),
]


@pytest.mark.parametrize(("image", "message"), BAD_IMAGES)
@pytest.mark.parametrize("func", [conv2d, conv2d_naive])
def test_conv_rejects_bad_images(func, image, message):
    with pytest.raises(ValueError, match=message):
        func(image, np.ones((1, 1)))


@pytest.mark.parametrize(("image", "message"), BAD_IMAGES)
@pytest.mark.parametrize("func", [max_pool2d, max_pool2d_naive])
def test_pool_rejects_bad_images(func, image, message):
    with pytest.raises(ValueError, match=message):
        func(image, 1)


@pytest.mark.parametrize("func", [conv2d, conv2d_naive])
def test_conv_rejects_bad_kernels(func):
    image = np.ones((4, 4))
    with pytest.raises(ValueError, match="kernel must be square"):
        func(image, np.ones((2, 3)))
    with pytest.raises(ValueError, match="larger than the image"):
        func(image, np.ones((5, 5)))
    with pytest.raises(ValueError, match="kernel contains NaN"):
        func(image, np.full((2, 2), np.nan))


@pytest.mark.parametrize("func", [max_pool2d, max_pool2d_naive])
def test_pool_rejects_bad_sizes(func):
    image = np.ones((4, 4))
    with pytest.raises(ValueError, match="size must be >= 1"):
        func(image, 0)
    with pytest.raises(ValueError, match="larger than the image"):
        func(image, 5)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        func(image, 2, stride=0)
    with pytest.raises(TypeError, match="size must be an int"):
        func(image, 2.5)
    with pytest.raises(TypeError, match="stride must be an int"):
        func(image, 2, stride=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 12))
def test_random_rectangular_images_are_rejected(rows, cols, k):
    image = np.zeros((rows, cols))
    if rows == cols and k <= rows:
        assert conv2d(image, np.zeros((k, k))).shape == (rows - k + 1,) * 2
    else:
        with pytest.raises(ValueError, match=r"square|larger than the image"):
            conv2d(image, np.zeros((k, k)))
