"""Benchmark: ``training.train_iterations`` with its curves against a plain ``fit``.

    python bench/train_iterations.py                      # linear model, 20000 steps
    python bench/train_iterations.py --model mlp --steps 2000
    python bench/train_iterations.py --steps 2000 --repeat 2 --xla

The same model of sheet s03 (``models.mnist_linear`` with SGD 0.5, or
``models.mnist_mlp`` / ``models.mnist_cnn`` with the sheet's Adam), from the
same initial weights and on the same MNIST data (``data.load_mnist``; with
``CNNRNN_DATA=offline`` the stand-in), is trained for the same number of
mini-batch steps (batch 100) in two ways, side by side in one run:

* ``model.fit``: one plain ``fit`` over a shuffled, repeated ``tf.data``
  pipeline, ``steps_per_epoch=steps``, no evaluation at all;
* ``train_iterations``: the package's trainer, recording the curves every
  ``--every`` steps on fixed subsets of ``--eval-train`` training and
  ``--eval-test`` test images, and evaluating the whole test and training
  sets once at the end (all of it inside the timed call).

Both times include tracing.  The ratio ``train_iterations / fit`` is the cost of
the curves (issue 12 asks for at most 1.15 for a 20000-step run).  For a
shorter ``--steps`` run the bench also prints the ratio without the final
whole-set evaluation (a fixed cost, about 70000 forward passes) and the ratio
scaled to 20000 steps from this run's per-step times.  With ``--repeat`` the pair runs
several times, alternating, and the best time of each is compared (the machine
may be shared; the load average is printed).  ``--xla`` adds
``train_iterations(..., jit_compile=True)``.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
from _load import load_line

from cnnrnn_helpers import config, data, models, training

BUILDERS = {
    "linear": models.mnist_linear,
    "mlp": models.mnist_mlp,
    "cnn": lambda: models.mnist_cnn(bias=0.0),
}


def optimizer(name: str):
    """The sheet's optimiser: SGD 0.5 for the linear model, else Adam 1e-3."""
    import keras

    if name == "linear":
        return keras.optimizers.SGD(learning_rate=0.5)
    return keras.optimizers.Adam(1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8)


def run_fit(name, start, x, y, steps, batch, seed):
    """Seconds of one plain ``model.fit`` of ``steps`` steps (no evaluation)."""
    import keras
    import tensorflow as tf

    model = BUILDERS[name]()
    model.set_weights(start)
    model.compile(
        optimizer=optimizer(name), loss=keras.losses.CategoricalCrossentropy()
    )
    pipeline = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .shuffle(len(x), seed=seed)
        .batch(batch, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    t0 = time.perf_counter()
    hist = model.fit(pipeline, epochs=1, steps_per_epoch=steps, verbose=0)
    seconds = time.perf_counter() - t0
    return seconds, float(hist.history["loss"][-1]), model


def run_iterations(name, start, data_, args, jit):
    """Seconds of ``train_iterations`` with curves and final evaluation."""
    import keras

    x, y, xt, yt = data_
    model = BUILDERS[name]()
    model.set_weights(start)
    t0 = time.perf_counter()
    h = training.train_iterations(
        model,
        optimizer(name),
        keras.losses.CategoricalCrossentropy(),
        x,
        y,
        xt,
        yt,
        steps=args.steps,
        batch_size=args.batch,
        every=args.every,
        seed=args.seed,
        progress=False,
        eval_train=args.eval_train,
        eval_test=args.eval_test,
        jit_compile=jit,
    )
    return time.perf_counter() - t0, h


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(BUILDERS), default="linear")
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--eval-train", type=int, default=2000)
    parser.add_argument("--eval-test", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=None, help="images per split")
    parser.add_argument("--repeat", type=int, default=1, help="alternating pairs")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--xla", action="store_true", help="also jit_compile=True")
    args = parser.parse_args()

    import keras

    config.set_seed(args.seed, deterministic=False)
    ds = data.load_mnist(limit=args.limit)
    print(ds.describe())
    x = ds.x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    xt = ds.x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    y = keras.utils.to_categorical(ds.y_train, 10)
    yt = keras.utils.to_categorical(ds.y_test, 10)
    start = BUILDERS[args.model]().get_weights()
    load_before = os.getloadavg()

    times: dict[str, list[float]] = {"fit": [], "iter": [], "iter_xla": []}
    last = {}
    for _ in range(args.repeat):
        seconds, fit_loss, fit_model = run_fit(
            args.model, start, x, y, args.steps, args.batch, args.seed
        )
        times["fit"].append(seconds)
        last["fit"] = (fit_loss, fit_model)
        for key, jit in (("iter", False), ("iter_xla", True)):
            if jit and not args.xla:
                continue
            seconds, h = run_iterations(args.model, start, (x, y, xt, yt), args, jit)
            times[key].append(seconds)
            last[key] = h

    fit_loss, fit_model = last["fit"]
    probs = fit_model.predict(xt, batch_size=1000, verbose=0)
    fit_acc = float(np.mean(probs.argmax(1) == yt.argmax(1)))
    base = min(times["fit"])
    h = last["iter"]
    print(
        f"\n{args.model} ({models.count_params(fit_model):,} parameters), "
        f"{len(x)} training / {len(xt)} test images, {args.steps} steps of "
        f"{args.batch}; curves every {args.every} steps on {h.eval_train} + "
        f"{h.eval_test} images ({len(h)} records), whole sets once at the end"
    )
    header = (
        f"{'variant':<34} {'best s':>8} {'runs':>16} {'ratio':>6} "
        f"{'eval s':>7} {'test acc':>8}"
    )
    print(header)
    print("-" * len(header))
    runs = ", ".join(f"{t:.1f}" for t in times["fit"])
    print(
        f"{'model.fit (no evaluation)':<34} {base:8.1f} {runs:>16} {1.0:6.3f} "
        f"{'-':>7} {fit_acc:8.4f}"
    )
    for key, label in (
        ("iter", "train_iterations (curves)"),
        ("iter_xla", "train_iterations (curves, XLA)"),
    ):
        if not times[key]:
            continue
        hk = last[key]
        best = min(times[key])
        runs = ", ".join(f"{t:.1f}" for t in times[key])
        print(
            f"{label:<34} {best:8.1f} {runs:>16} {best / base:6.3f} "
            f"{hk.eval_seconds:7.1f} {hk.final_test_accuracy:8.4f}"
        )
    best = min(times["iter"])
    ratio = best / base
    verdict = "yes" if ratio <= 1.15 else "no"
    print(f"\ncost of the curves: {ratio:.3f} x plain fit -> within 1.15x: {verdict}")
    final = h.final_eval_seconds
    print(
        f"  of which the final whole-set evaluation: {final:.1f} s; without it "
        f"{(best - final) / base:.3f} x"
    )
    if args.steps < 20_000:
        # per-step costs of this run, scaled to the sheet's 20000 steps
        scale = 20_000 / args.steps
        longer = ((best - final) * scale + final) / (base * scale)
        print(
            f"  scaled to 20000 steps (this run's per-step times x {scale:g}, the "
            f"final evaluation once): {longer:.3f} x -> within 1.15x: "
            f"{'yes' if longer <= 1.15 else 'no'}"
        )
    print(load_line(load_before))


if __name__ == "__main__":
    main()
