"""How well small models learn the offline stand-ins and the lab's shape data.

Run from the repository root, e.g.::

    python bench/standin_accuracy.py                 # everything, quick sizes
    python bench/standin_accuracy.py --size smoke crt r3
    python bench/standin_accuracy.py --size quick mnist eeg_eye_state

Prints one line per dataset: training items, epochs, test accuracy, chance
level and seconds.  Sizes: ``smoke`` (500 items, 1 epoch) and ``quick``
(2000 items, 3 epochs) mimic the notebook profiles; the lab shapes always
use the lab's 500 / 1000 split and its CNN (1237 parameters, Adam 0.003,
batch 50; 50 epochs in ``quick``, 10 in ``smoke``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

IMAGES = ("mnist", "fashion_mnist", "cifar10", "svhn")
SIZES = {"smoke": (500, 1), "quick": (2000, 3)}


def small_cnn(shape: tuple[int, ...], n_classes: int):
    import keras

    return keras.Sequential(
        [
            keras.Input(shape),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )


def run_image(name: str, size: str) -> tuple[int, int, float, float]:
    from cnnrnn_helpers.data import standins

    n, epochs = SIZES[size]
    ds = getattr(standins, f"standin_{name}")(n_train=n, n_test=1000, seed=0)
    x_train = ds.x_train.astype("float32") / 255.0
    x_test = ds.x_test.astype("float32") / 255.0
    if x_train.ndim == 3:
        x_train, x_test = x_train[..., None], x_test[..., None]
    model = small_cnn(x_train.shape[1:], 10)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, ds.y_train, epochs=epochs, batch_size=32, verbose=0)
    acc = model.evaluate(x_test, ds.y_test, verbose=0)[1]
    return n, epochs, float(acc), 0.1


def run_shapes(name: str, size: str) -> tuple[int, int, float, float]:
    import keras

    from cnnrnn_helpers.data import lab

    ds = lab.load_crt() if name == "crt" else lab.load_r3()
    x_train = ds.x_train.astype("float32") / 255.0
    x_val = ds.x_val.astype("float32") / 255.0
    epochs = 50 if size == "quick" else 10
    model = keras.Sequential(  # the lab's suggested model (1237 parameters)
        [
            keras.Input((64, 64, 1)),
            keras.layers.Conv2D(3, 3, activation="relu"),
            keras.layers.MaxPooling2D(3),
            keras.layers.Conv2D(3, 3, activation="relu"),
            keras.layers.MaxPooling2D(3),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(
        keras.optimizers.Adam(0.003), "categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(x_train, ds.y_train, epochs=epochs, batch_size=50, verbose=0)
    acc = model.evaluate(x_val, ds.y_val, verbose=0)[1]
    return len(x_train), epochs, float(acc), 1 / 3


def run_eeg(size: str) -> tuple[int, int, float, float]:
    import keras

    from cnnrnn_helpers.data import chronological_split, standins

    x, y = standins.standin_eeg_eye_state()
    x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    x_train, y_train, x_test, y_test = chronological_split(x, y, 0.2)
    epochs = SIZES[size][1]

    def windows(a, b):
        return keras.utils.timeseries_dataset_from_array(
            a, b[9:], sequence_length=10, batch_size=64
        )

    model = keras.Sequential(
        [
            keras.Input((None, 14)),
            keras.layers.SimpleRNN(32),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(windows(x_train, y_train), epochs=epochs, verbose=0)
    acc = model.evaluate(windows(x_test, y_test), verbose=0)[1]
    majority = max(y_test.mean(), 1 - y_test.mean())
    return len(x_train), epochs, float(acc), float(majority)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument(
        "datasets", nargs="*", default=[*IMAGES, "eeg_eye_state", "crt", "r3"]
    )
    args = parser.parse_args(argv)
    import keras

    keras.utils.set_random_seed(0)
    header = ("dataset", "n_train", "epochs", "acc", "chance", "s")
    print("{:15s} {:>7s} {:>6s} {:>6s} {:>6s} {:>6s}".format(*header))
    for name in args.datasets:
        start = time.perf_counter()
        if name in IMAGES:
            n, epochs, acc, chance = run_image(name, args.size)
        elif name in ("crt", "r3"):
            n, epochs, acc, chance = run_shapes(name, args.size)
        elif name == "eeg_eye_state":
            n, epochs, acc, chance = run_eeg(args.size)
        else:
            parser.error(f"unknown dataset {name!r}")
        seconds = time.perf_counter() - start
        print(f"{name:15s} {n:7d} {epochs:6d} {acc:6.3f} {chance:6.3f} {seconds:6.1f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
