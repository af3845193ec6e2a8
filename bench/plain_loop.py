"""Benchmark: the s03 t01 notebook's plain training loop against ``train_iterations``.

    python bench/plain_loop.py --model mlp --steps 500
    python bench/plain_loop.py --model cnn --steps 300 --repeat 2

The notebook writes its training loop out: one compiled ``train_step`` per
mini-batch, entered from Python at every iteration, and the curves' accuracy
on fixed 2000-image subsets every ``--every`` steps.  ``train_iterations`` runs
the same steps, in the same mini-batch order, with all the steps between two
records in one compiled call.  Both start from the same weights and record the
same curves (no final whole-set evaluation), side by side in one run; with
``--repeat`` the pair alternates and the best time of each is compared.  The
ratio ``plain / fast`` decides which loop the notebook uses in ``full``
(issue 21: keep the fast path where the plain loop is more than 1.3x slower).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
from _load import load_line
from train_iterations import optimizer  # the sheet's optimisers, one definition

from cnnrnn_helpers import config, data, models, training

BUILDERS = {"linear": models.mnist_linear, "mlp": models.mnist_mlp,
            "cnn": models.mnist_cnn}  # fmt: skip


def plain_loop(model, opt, x, y, xt, yt, steps, every, batch, seed):
    """The notebook's loop (``train_by_iterations``), timed; its last test accuracy."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.CategoricalCrossentropy()
    pick = np.random.default_rng([seed, 1])
    train_sub = pick.choice(len(x), min(2000, len(x)), replace=False)
    test_sub = pick.choice(len(xt), min(2000, len(xt)), replace=False)

    def accuracy(xs, ys, chunk=1000):
        hits = sum(
            int(np.sum(np.argmax(model(xs[i : i + chunk], training=False), 1)
                       == np.argmax(ys[i : i + chunk], 1)))
            for i in range(0, len(xs), chunk)
        )  # fmt: skip
        return hits / len(xs)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))

    rng = np.random.default_rng(seed)
    order, pos = rng.permutation(len(x)), 0
    test_acc = float("nan")
    t0 = time.perf_counter()
    for step in range(1, steps + 1):
        if pos + batch > len(x):
            order, pos = rng.permutation(len(x)), 0
        idx = order[pos : pos + batch]
        pos += batch
        train_step(x[idx], y[idx])
        if step % every == 0 or step == steps:
            accuracy(x[train_sub], y[train_sub])
            test_acc = accuracy(xt[test_sub], yt[test_sub])
    return time.perf_counter() - t0, test_acc


def fast_loop(model, opt, x, y, xt, yt, steps, every, batch, seed):
    """``train_iterations`` with the same curves, timed; its last test accuracy."""
    import keras

    t0 = time.perf_counter()
    h = training.train_iterations(
        model, opt, keras.losses.CategoricalCrossentropy(), x, y, xt, yt,
        steps=steps, batch_size=batch, every=every, seed=seed, progress=False,
        final_eval=False,
    )  # fmt: skip
    return time.perf_counter() - t0, h.history["test_accuracy"][-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(BUILDERS), default="mlp")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--limit", type=int, default=None, help="images per split")
    parser.add_argument("--repeat", type=int, default=1, help="alternating pairs")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    import keras

    config.set_seed(args.seed)
    ds = data.load_mnist(limit=args.limit)
    print(ds.describe())
    x = ds.x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    xt = ds.x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    y = keras.utils.to_categorical(ds.y_train, 10)
    yt = keras.utils.to_categorical(ds.y_test, 10)
    start = BUILDERS[args.model]().get_weights()
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {"plain": [], "fast": []}
    accs: dict[str, float] = {}
    for _ in range(args.repeat):
        for key, loop in (("plain", plain_loop), ("fast", fast_loop)):
            model = BUILDERS[args.model]()
            model.set_weights(start)
            seconds, acc = loop(
                model, optimizer(args.model), x, y, xt, yt, args.steps, args.every,
                args.batch, args.seed,
            )  # fmt: skip
            times[key].append(seconds)
            accs[key] = acc
    plain, fast = min(times["plain"]), min(times["fast"])
    print(
        f"\n{args.model}: {args.steps} steps of {args.batch}, curves every "
        f"{args.every} steps on 2000 + 2000 images"
    )
    for key in ("plain", "fast"):
        runs = ", ".join(f"{t:.1f}" for t in times[key])
        print(
            f"  {key:<6} best {min(times[key]):7.1f} s  (runs: {runs})  "
            f"{args.steps / min(times[key]):7.1f} steps/s  last test acc "
            f"{accs[key]:.4f}"
        )
    ratio = plain / fast
    print(
        f"plain / fast = {ratio:.2f} -> the plain loop is within 1.3x: "
        f"{'yes' if ratio <= 1.3 else 'no'}"
    )
    print(load_line(load_before))


if __name__ == "__main__":
    main()
