"""Calibration of the Fashion-MNIST stand-in against the real set.

The stand-in should be about as hard as real Fashion-MNIST for the networks
the pack trains, so that offline figures mean something.  This script trains
two of them from a few seeds on both datasets and prints their test
accuracies side by side:

* ``dense``: sheet 5 task 1's 10-10-10 network (8070 parameters), SGD with
  its default rate, 3 epochs, batch 64 (``models.deep_mlp(2, 10)``);
* ``cnn``: sheet 1 task 2's CNN with pooling (Conv 128 / pool / Conv 64 /
  pool / Dense 64 / 10), Adam, 1 epoch, batch 64
  (``models.fashion_cnn(pooling=True)``).

Target: the stand-in's mean test accuracy within 3 points of the real one
for both.  Both train on all 60 000 training images and are evaluated on the
10 000 test images.  The real set is read from the system dataset folder
(Debian's ``dataset-fashion-mnist``, or ``CNNRNN_DATASETS_DIR``) or from
``--real DIR``; the stand-in is ``standin_fashion_mnist(seed=0)``.  Run from
the repository root (the CNN takes about a minute per epoch on a free
2-core CPU)::

    python bench/fashion_calibration.py                # seeds 42 43 44, both
    python bench/fashion_calibration.py --only dense --limit 20000
    python bench/fashion_calibration.py --datasets stand-in --seeds 42
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _load import load_line

MODELS = {
    "dense": "10-10-10 dense, SGD, 3 epochs (s05 t01)",
    "cnn": "CNN with pooling, Adam, 1 epoch (s01 t02)",
}


def load(which: str, real_dir: str | None, limit: int | None):
    """(x_train, y_train, x_test, y_test) as float32 in [0, 1]."""
    from cnnrnn_helpers.data import idx, standins

    if which == "real":
        folder = real_dir or idx.local_folder("fashion_mnist")
        if folder is None:
            raise SystemExit(
                "no real Fashion-MNIST: apt-get install dataset-fashion-mnist, "
                "or --real DIR with its four IDX files"
            )
        a = idx.read_idx_folder("fashion_mnist", folder)
        arrays = (a["x_train"], a["y_train"], a["x_test"], a["y_test"])
    else:
        ds = standins.standin_fashion_mnist(60000, 10000, seed=0)
        arrays = (ds.x_train, ds.y_train, ds.x_test, ds.y_test)
    x_train, y_train, x_test, y_test = arrays
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    return (
        x_train.astype("float32") / 255.0,
        y_train,
        x_test.astype("float32") / 255.0,
        y_test,
    )


def accuracy(kind: str, arrays, seed: int) -> float:
    """Test accuracy of ``kind`` trained from ``seed`` on ``arrays``."""
    import keras

    from cnnrnn_helpers import config, models

    x_train, y_train, x_test, y_test = arrays
    config.set_seed(seed)
    if kind == "dense":
        model = models.deep_mlp(2, 10)
        assert models.count_params(model) == 8070
        x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(-1, 784)
        optimizer, epochs = keras.optimizers.SGD(), 3
    else:
        model = models.fashion_cnn(pooling=True)
        optimizer, epochs = keras.optimizers.Adam(), 1
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0)
    return float(model.evaluate(x_test, y_test, batch_size=512, verbose=0)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--only", choices=sorted(MODELS), nargs="+")
    parser.add_argument("--real", metavar="DIR", help="folder of the real IDX files")
    parser.add_argument(
        "--limit", type=int, help="train on the first N images only (a quick look)"
    )
    parser.add_argument(
        "--datasets",
        choices=("stand-in", "real"),
        nargs="+",
        default=["stand-in", "real"],
        help="train on these only (the real column does not change when only "
        "the stand-in does: same seeds, same figures)",
    )
    args = parser.parse_args()
    before = os.getloadavg()
    data = {w: load(w, args.real, args.limit) for w in args.datasets}
    first = data[args.datasets[0]]
    print(
        f"{len(first[0])} training / {len(first[2])} test images, batch 64, seeds "
        f"{' '.join(map(str, args.seeds))}",
        flush=True,
    )
    print(f"{'network':44s} {'seed':>4s} {'stand-in':>9s} {'real':>7s} {'diff':>7s}")

    def cells(acc: dict[str, float]) -> str:
        s, r = acc.get("stand-in"), acc.get("real")
        diff = f"{s - r:+7.4f}" if s is not None and r is not None else f"{'-':>7s}"
        return (
            f"{'-' if s is None else f'{s:.4f}':>9s} "
            f"{'-' if r is None else f'{r:.4f}':>7s} {diff}"
        )

    for kind in args.only or list(MODELS):
        accs: dict[str, list[float]] = {w: [] for w in args.datasets}
        started = time.monotonic()
        for seed in args.seeds:
            for which in accs:
                accs[which].append(accuracy(kind, data[which], seed))
            last = {w: v[-1] for w, v in accs.items()}
            print(f"{MODELS[kind]:44s} {seed:4d} {cells(last)}", flush=True)
        mean = {w: sum(v) / len(v) for w, v in accs.items()}
        verdict = ""
        if len(mean) == 2:
            ok = abs(mean["stand-in"] - mean["real"]) <= 0.03
            verdict = f"{'within' if ok else 'NOT within'} 3 points; "
        print(
            f"{MODELS[kind]:44s} {'mean':>4s} {cells(mean)}  ({verdict}"
            f"{time.monotonic() - started:.0f} s)",
            flush=True,
        )
    print(load_line(before))


if __name__ == "__main__":
    main()
