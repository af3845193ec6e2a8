"""Benchmark: float32 against mixed precision for the pack's largest models.

    nice -n 5 python bench/precision.py              # every model, 3 seeds
    python bench/precision.py --only fashion --seeds 2
    python bench/precision.py --scale 0.25           # shorter runs

For each model the pack trains longest (the s01 t02 CNNs with and without
pooling, the s03 t01 MLP 3x1500 and CNN, the s02 t05 SVHN CNN, the s05 CNNs
and the truncated-BPTT GRU of s04 t04; and, as the small end, sheet 2's deep
MLP of 20 x 32 units, written out here because ``models.deep_mlp`` is float32
whatever the policy: it is reported, not part of a kind's verdict) the bench
trains the model with Keras' ``float32`` policy and with this machine's mixed policy
(:func:`cnnrnn_helpers.config.hardware_policy`, ``mixed_bfloat16`` on a CPU
with AVX512-BF16 or AMX) from the same seeds, 3 by default, the two policies
taking turns seed by seed so that both see the same machine load.  Per model
and policy it prints

* images (or sequences) per second of training: the steady epochs of
  ``fit`` (the first epoch, which traces the step, is left out),
* test accuracy (for the GRU: the normalised validation error, MSE / target
  variance, lower is better): mean ± spread over the seeds, where the spread
  is the sample standard deviation (``stats.mean_std``),

and per model the speed-up (images/s mixed / float32, ratio of the means)
and the verdict :func:`verdict` gives: mixed *pays* when it is at least
:data:`MIN_SPEEDUP` times faster and its mean accuracy is within the seed
spread of float32's (the difference of the means is at most the larger of
the two spreads).  The closing table groups the verdicts by model kind
(``feedforward``, ``recurrent``): a kind is mixed when every model of it
stays within the seed spread and the geometric mean of its speed-ups is at
least :data:`MIN_SPEEDUP`.  ``config.AUTO_MIXED`` encodes that table, and
``CNNRNN_PRECISION=auto`` follows it.

Runs are short (a subset of the training set and a few epochs, ``--scale``
multiplies both sizes), enough for the accuracy to separate from chance and
for the throughput to settle, not the notebooks' full runs.  Data: the real
Fashion-MNIST IDX files of ``/usr/share/datasets/fashion-mnist`` (Debian's
dataset folder, or ``--fashion DIR``) for every 28x28 model (the s03 models
too: the same shapes as MNIST, and a real dataset), else the offline
stand-ins; the SVHN stand-in (``CNNRNN_DATA=offline``) for the SVHN CNN; the
lab's generated pulses for the GRU.  The machine may be shared: absolute
rates are upper bounds on the time, the ratios within one run are fair; the
load average is printed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CNNRNN_DATA", "offline")

import numpy as np
from _load import load_line

from cnnrnn_helpers import config, data, models, stats, training

#: Mixed precision must be at least this many times faster to be worth it.
MIN_SPEEDUP = 1.1
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def verdict(
    speedup: float,
    mean32: float,
    spread32: float,
    mean_mixed: float,
    spread_mixed: float,
) -> tuple[bool, bool]:
    """Whether mixed precision is fast enough and accurate enough for a model.

    Parameters
    ----------
    speedup
        Images/s in mixed precision over images/s in float32, > 0.
    mean32, spread32, mean_mixed, spread_mixed
        Mean and spread (sample standard deviation over seeds, >= 0) of the
        test figure in float32 and in mixed precision.

    Returns
    -------
    (pays, same)
        ``same``: ``|mean_mixed - mean32| <= max(spread32, spread_mixed)``,
        i.e. the two policies differ by no more than the seeds do;
        ``pays``: ``same`` and ``speedup >= MIN_SPEEDUP``.

    Raises
    ------
    ValueError
        If ``speedup`` is not positive or a spread is negative.
    """
    if not speedup > 0:
        raise ValueError(f"speedup must be > 0, got {speedup!r}")
    if spread32 < 0 or spread_mixed < 0:
        raise ValueError(
            f"spread32 and spread_mixed must be >= 0, got {spread32}, {spread_mixed}"
        )
    same = abs(mean_mixed - mean32) <= max(spread32, spread_mixed)
    return same and speedup >= MIN_SPEEDUP, same


# ------------------------------------------------------------------- data


def _idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion(folder: Path, n_train: int, n_test: int) -> tuple[str, tuple]:
    """Fashion-MNIST scaled to [0, 1], (n, 28, 28); real IDX files if present."""
    files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
    files += ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    paths = [folder / f"{name}.gz" for name in files]
    if all(p.is_file() for p in paths):
        xtr, ytr, xte, yte = (_idx(p) for p in paths)
        source = f"real ({folder})"
    else:
        ds = data.load_fashion_mnist(limit=max(n_train, n_test))
        xtr, ytr, xte, yte = ds.x_train, ds.y_train, ds.x_test, ds.y_test
        source = ds.source
    rng = np.random.default_rng(0)
    tr = rng.permutation(len(xtr))[:n_train]
    te = rng.permutation(len(xte))[:n_test]
    scale = np.float32(1 / 255)
    return source, (xtr[tr] * scale, ytr[tr], xte[te] * scale, yte[te])


def svhn(n_train: int, n_test: int) -> tuple[str, tuple]:
    """SVHN (the offline stand-in unless a real copy is cached), (n, 32, 32, 3)."""
    ds = data.load_svhn(limit=max(n_train, n_test))
    scale = np.float32(1 / 255)
    return ds.source, (
        ds.x_train[:n_train] * scale,
        ds.y_train[:n_train],
        ds.x_test[:n_test] * scale,
        ds.y_test[:n_test],
    )


# ----------------------------------------------------------------- models


def _spec(
    notebook: str,
    kind: str,
    build: Callable[[], Any],
    batch: int,
    optimizer: Callable[[], Any],
    dataset: str,
    n_train: int,
    epochs: int,
) -> dict[str, Any]:
    return {
        "notebook": notebook,
        "kind": kind,
        "build": build,
        "batch": batch,
        "optimizer": optimizer,
        "dataset": dataset,
        "n_train": n_train,
        "epochs": epochs,
    }


def _adam(lr: float = 1e-3) -> Callable[[], Any]:
    import keras

    return lambda: keras.optimizers.Adam(lr)


def _sgd(lr: float = 0.01) -> Callable[[], Any]:
    import keras

    return lambda: keras.optimizers.SGD(lr)


FF, RNN = "feedforward", "recurrent"  # config.MODEL_KINDS
PINNED = "float32-only"  # a builder that is float32 whatever the policy
MODELS: dict[str, dict[str, Any]] = {
    "fashion_cnn": _spec(
        "s01 t02", FF, lambda: models.fashion_cnn(pooling=False), 64, _adam(),
        "fashion", 4096, 3,
    ),
    "fashion_cnn(pool)": _spec(
        "s01 t02", FF, lambda: models.fashion_cnn(pooling=True), 64, _adam(),
        "fashion", 8192, 3,
    ),
    "mnist_mlp 3x1500": _spec(
        "s03 t01", FF, lambda: models.mnist_mlp(), 100, _adam(), "fashion28x1",
        12000, 3,
    ),
    "mnist_cnn": _spec(
        "s03 t01", FF, lambda: models.mnist_cnn(), 100, _adam(), "fashion28x1",
        6000, 3,
    ),
    "svhn_cnn": _spec(
        "s02 t05", FF, lambda: models.svhn_cnn(), 64, _adam(), "svhn", 8192, 3,
    ),
    "small_cnn": _spec(
        "s05 t03", FF, lambda: models.small_cnn(), 64, _adam(), "fashion28x1",
        12000, 3,
    ),
    "small_cnn(strides)": _spec(
        "s05 t04", FF, lambda: models.small_cnn(strides=True), 64, _adam(),
        "fashion28x1", 12000, 3,
    ),
    "deep MLP 20x32": _spec(
        "s02 t02", PINNED, lambda: _deep_mlp(20), 32, _adam(), "fashion784", 12000,
        3,
    ),
    "GRU 25 TBPTT": _spec(
        "s04 t04", RNN,
        lambda: models.stateful_rnn("gru", 25, dense_layers=2, activation="relu"),
        20, _adam(0.003), "pulses", 500, 6,
    ),
}  # fmt: skip


def _deep_mlp(depth: int) -> Any:
    """``models.deep_mlp`` written out with the global policy (the builder is
    float32 whatever the policy, since sheet 2 inspects its gradients)."""
    import keras

    return keras.Sequential(
        [keras.Input((784,))]
        + [keras.layers.Dense(32, activation="relu") for _ in range(depth)]
        + [keras.layers.Dense(10, activation="softmax", dtype="float32")]
    )


def use_policy(policy: str) -> None:
    """Put ``policy`` in force for every layer, recurrent ones too."""
    config.PRECISION = "float32" if policy == "float32" else "mixed"
    config.apply_precision(policy)


def run_fit(spec: dict, arrays: tuple, seed: int) -> tuple[float, float]:
    """(images/s of the steady epochs, test accuracy) of one seeded fit."""
    x, y, xt, yt = arrays
    config.set_seed(seed)
    model = spec["build"]()
    model.compile(
        optimizer=spec["optimizer"](),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    timer = training.EpochTimer()
    model.fit(
        x, y, epochs=spec["epochs"], batch_size=spec["batch"], verbose=0,
        callbacks=[timer],
    )  # fmt: skip
    steps = len(x) // spec["batch"] + (len(x) % spec["batch"] > 0)
    rate = steps * spec["batch"] / float(np.mean(timer.times[1:]))
    acc = model.evaluate(xt, yt, batch_size=500, verbose=0)[1]
    return rate, float(acc)


def run_tbptt(spec: dict, arrays: tuple, seed: int) -> tuple[float, float]:
    """(sequences/s of the steady epochs, normalised validation error)."""
    x, y, xv, yv = arrays
    config.set_seed(seed)
    model = spec["build"]()
    hist = training.train_tbptt(
        model, x, y, xv, yv, epochs=spec["epochs"], batch_size=spec["batch"],
        chunk=50, learning_rate=0.003, seed=seed, verbose=False,
    )  # fmt: skip
    seconds = hist.history["seconds"]
    usable = len(x) // spec["batch"] * spec["batch"]
    rate = usable / float(np.mean(seconds[1:]))
    return rate, float(hist.history["val_error"][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per policy")
    parser.add_argument("--only", default="", help="models whose name contains it")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply training sizes by this"
    )
    parser.add_argument(
        "--epochs", type=int, default=0, help="epochs per run (0: each model's own)"
    )
    parser.add_argument("--fashion", type=Path, default=FASHION_DIR)
    args = parser.parse_args()
    if args.seeds < 2:
        parser.error("--seeds must be >= 2 (the spread needs two runs)")
    if args.epochs == 1 or args.epochs < 0:
        parser.error("--epochs must be 0 or >= 2 (the first epoch is not timed)")

    import keras
    import tensorflow as tf

    mixed = config.hardware_policy()
    if mixed is None:
        raise SystemExit("this machine has no bf16/fp16 units: nothing to compare")
    load_before = os.getloadavg()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPU(s), GPUs: {len(tf.config.list_physical_devices('GPU'))}"
        f", mixed policy: {mixed}, {args.seeds} seeds per policy"
    )
    print(load_line())
    cache: dict[str, tuple[str, tuple]] = {}
    rows = []
    header = (
        f"{'model':<19} {'notebook':<8} {'kind':<11} {'policy':<15} "
        f"{'images/s':>9} {'test figure':>17}"
    )
    print(header)
    print("-" * len(header))
    for name, spec in MODELS.items():
        if args.only and args.only not in name:
            continue
        n_train = max(spec["batch"] * 4, int(spec["n_train"] * args.scale))
        if args.epochs:
            spec = {**spec, "epochs": args.epochs}
        key = f"{spec['dataset']}:{n_train}"
        if key not in cache:
            if spec["dataset"].startswith("fashion"):
                source, arrays = fashion(args.fashion, n_train, 2000)
                shape = {"fashion28x1": (28, 28, 1), "fashion784": (784,)}
                if spec["dataset"] in shape:
                    new = shape[spec["dataset"]]
                    arrays = (arrays[0].reshape(-1, *new), arrays[1],
                              arrays[2].reshape(-1, *new), arrays[3])  # fmt: skip
            elif spec["dataset"] == "svhn":
                source, arrays = svhn(n_train, 2000)
            else:
                ds = data.load_pulses(limit=n_train)
                source = ds.source
                arrays = (ds.x_train, ds.y_train, ds.x_val, ds.y_val)
            cache[key] = (source, arrays)
        source, arrays = cache[key]
        run = run_tbptt if spec["kind"] == RNN else run_fit
        figures: dict[str, list[tuple[float, float]]] = {"float32": [], mixed: []}
        start = time.perf_counter()
        for seed in range(args.seeds):
            order = ("float32", mixed) if seed % 2 == 0 else (mixed, "float32")
            for policy in order:
                use_policy(policy)
                figures[policy].append(run(spec, arrays, seed))
        use_policy("float32")
        summary = {}
        for policy, values in figures.items():
            rate = float(np.mean([r for r, _ in values]))
            acc, spread = stats.mean_std([a for _, a in values])
            summary[policy] = (rate, acc, spread)
            label = "val error" if spec["kind"] == RNN else "accuracy"
            print(
                f"{name:<19} {spec['notebook']:<8} {spec['kind']:<11} {policy:<15} "
                f"{rate:9.0f} {label:>9} {acc:.4f} ± {spread:.4f}",
                flush=True,
            )
        speedup = summary[mixed][0] / summary["float32"][0]
        pays, same = verdict(
            speedup, summary["float32"][1], summary["float32"][2],
            summary[mixed][1], summary[mixed][2],
        )  # fmt: skip
        print(
            f"{'':<19} {'':<8} {'':<11} speed-up {speedup:.2f}x, "
            f"{'within' if same else 'OUTSIDE'} the seed spread -> "
            f"{'mixed pays' if pays else 'float32'}   "
            f"({n_train} training items, {source}, "
            f"{time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        rows.append((name, spec["kind"], speedup, same, pays))
    print(
        "\nper kind (auto uses mixed where every model of the kind stays within the "
        f"seed spread and the geometric mean speed-up is >= {MIN_SPEEDUP}):"
    )
    for kind in config.MODEL_KINDS:
        mine = [r for r in rows if r[1] == kind]
        if not mine:
            continue
        mean_speedup = float(np.exp(np.mean([np.log(r[2]) for r in mine])))
        ok = all(r[3] for r in mine) and mean_speedup >= MIN_SPEEDUP
        detail = ", ".join(
            f"{r[0]} {r[2]:.2f}x{'' if r[3] else ' (accuracy!)'}" for r in mine
        )
        print(
            f"  {kind:<11} {'mixed' if ok else 'float32':<8} geometric mean "
            f"{mean_speedup:.2f}x: {detail}   "
            f"(config.AUTO_MIXED[{kind!r}] = {config.AUTO_MIXED[kind]})"
        )
    for r in rows:
        if r[1] not in config.MODEL_KINDS:
            print(
                f"  {r[0]}: {r[2]:.2f}x, {'within' if r[3] else 'outside'} the seed "
                "spread; not decided by auto (its builder, models.deep_mlp, is "
                "float32 whatever the policy: sheet 2 inspects its gradients)"
            )
    print(load_line(load_before))


if __name__ == "__main__":
    main()
