"""Benchmark: manual convolution and max-pooling against the naive loops, SciPy
and TensorFlow, measured side by side in one run.

    python bench/conv_pool.py            # sizes 28, 64, 256, 1024; kernels 3, 5, 7
    python bench/conv_pool.py --quick    # sizes 28, 64, 256 only

Prints, per image size n and kernel (or pool window) size k, the best-of-r wall
time of ``conv2d`` and the ratios  naive / fast, fast / scipy, fast / tf.
A ratio ``fast/scipy`` below 1 means our vectorised version is faster than
SciPy; ``naive/fast`` is the speed-up over the teaching loop.  The naive loop is
skipped (and its ratio extrapolated from n=256, marked ~) at n=1024, where it
would take minutes.  Pooling uses stride 1 (overlapping windows, as the sheet
asks); SciPy's reference is ``scipy.ndimage.maximum_filter`` cropped to the
valid part.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import scipy.ndimage
import scipy.signal

from cnnrnn_helpers.conv import (
    conv2d,
    conv2d_naive,
    max_pool2d,
    max_pool2d_naive,
)


def best_time(func, *args, repeat: int = 5, **kwargs) -> float:
    """Best wall time of ``repeat`` calls, in seconds (after one warm-up call)."""
    func(*args, **kwargs)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip n=1024")
    args = parser.parse_args()
    import tensorflow as tf

    sizes = (28, 64, 256) if args.quick else (28, 64, 256, 1024)
    rng = np.random.default_rng(0)
    print(
        f"numpy {np.__version__}, scipy {scipy.__version__}, tensorflow "
        f"{tf.__version__}, {os.cpu_count()} CPU(s)\n"
    )
    for op in ("conv", "pool"):
        title = "convolution (valid, stride 1)" if op == "conv" else "max-pooling"
        print(f"{title} (stride 1)" if op == "pool" else title)
        print(
            f"{'n':>5} {'k':>2} {'fast ms':>9} {'naive/fast':>11} "
            f"{'fast/scipy':>11} {'fast/tf':>8}"
        )
        naive_per_pixel: dict[int, float] = {}
        for n in sizes:
            image = rng.normal(size=(n, n))
            x4 = tf.constant(image[None, :, :, None], dtype=tf.float64)
            for k in (3, 5, 7):
                kernel = rng.normal(size=(k, k))
                m = n - k + 1
                reps = 5 if n <= 256 else 3
                if op == "conv":
                    fast = best_time(conv2d, image, kernel, repeat=reps)
                    ref = best_time(
                        scipy.signal.correlate2d, image, kernel, "valid", repeat=reps
                    )
                    w4 = tf.constant(kernel[:, :, None, None], dtype=tf.float64)
                    tf_t = best_time(
                        lambda: tf.nn.conv2d(x4, w4, 1, "VALID").numpy(), repeat=reps
                    )
                    naive_fn = lambda: conv2d_naive(image, kernel)
                else:
                    h = k // 2
                    fast = best_time(max_pool2d, image, k, repeat=reps)
                    ref = best_time(
                        lambda: scipy.ndimage.maximum_filter(image, size=k)[
                            h : h + m, h : h + m
                        ],
                        repeat=reps,
                    )
                    tf_t = best_time(
                        lambda: tf.nn.max_pool2d(x4, k, 1, "VALID").numpy(), repeat=reps
                    )
                    naive_fn = lambda: max_pool2d_naive(image, k)
                if n <= 256:
                    naive = best_time(naive_fn, repeat=1 if n == 256 else 3)
                    naive_per_pixel[k] = naive / m**2
                    mark = " "
                else:
                    naive = naive_per_pixel[k] * m**2  # extrapolated
                    mark = "~"
                print(
                    f"{n:>5} {k:>2} {fast * 1e3:>9.3f} {mark}{naive / fast:>10.0f} "
                    f"{fast / ref:>11.2f} {fast / tf_t:>8.2f}"
                )
        print()


if __name__ == "__main__":
    main()
