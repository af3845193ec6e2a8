"""Benchmark: training throughput of every model the full profile trains.

    python bench/throughput.py                 # all models, about 3 s per variant
    python bench/throughput.py --seconds 2 --only mnist
    python bench/throughput.py --spe 16 --no-xla

For every model builder the notebooks train (``models.*``, with the batch size,
optimiser and input shape of its notebook) the bench trains on random data of
the right shape and prints

* items (images or sequences) per second of training,
* the model's forward FLOPs per item, counted analytically from the layer
  shapes (2 x multiply-adds of Dense, Conv and recurrent layers; pooling,
  activations and the optimiser update are left out), and the achieved
  GFLOP/s taking a training step as 3 x the forward FLOPs,
* that figure as a fraction of this machine's dense float32 matmul GFLOP/s,
  measured in the same run (``tf.matmul`` of 1024 x 1024 and 2048 x 2048 at
  the start, and 1024 x 1024 again just before each model, column ``peak``:
  on a shared machine the ratio uses the measurement next to the model),
* the speed-up of XLA (``compile(jit_compile=True)``), of a larger
  ``steps_per_execution`` (``--spe``) and, with ``--xla-spe``, of both, over
  Keras' default on this machine (no XLA on a CPU-only machine, one step per
  execution).

The s03 models (trained with ``training.train_iterations``) also get rows for
that trainer with and without its ``jit_compile=True`` opt-in.

Each variant is traced / compiled by a short first ``fit``, then timed over
about ``--seconds`` (the first-call time, which includes tracing and XLA
compilation, is printed too).  The machine may be shared: the load average is
printed, and the ratios of one run are comparable with each other only.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from cnnrnn_helpers import models, training


def _spec(
    notebook: str,
    build: Callable[[], Any],
    batch: int,
    optimizer: str = "adam",
    trainer: str = "fit",
) -> dict[str, Any]:
    return {
        "notebook": notebook,
        "build": build,
        "batch": batch,
        "optimizer": optimizer,
        "trainer": trainer,
    }


MODELS: dict[str, dict[str, Any]] = {
    "fashion_cnn": _spec("s01 t02", lambda: models.fashion_cnn(pooling=False), 64),
    "fashion_cnn(pool)": _spec("s01 t02", lambda: models.fashion_cnn(pooling=True), 64),
    "eeg_rnn(simple)": _spec("s01 t05", lambda: models.eeg_rnn("simple"), 32),
    "eeg_rnn(lstm)": _spec("s01 t05", lambda: models.eeg_rnn("lstm"), 32),
    "deep_mlp(5x32)": _spec("s02 t02-04", lambda: models.deep_mlp(5), 32, "sgd"),
    "deep_mlp(20x32)": _spec("s02 t02-04", lambda: models.deep_mlp(20), 32, "sgd"),
    "deep_mlp(40x32)": _spec("s02 t02-04", lambda: models.deep_mlp(40), 32, "sgd"),
    "svhn_cnn": _spec("s02 t05", lambda: models.svhn_cnn(), 64),
    "digit_cnn": _spec("s02 t06", lambda: models.digit_cnn(dropout=0.3), 128),
    "mnist_linear": _spec("s03 t01", models.mnist_linear, 100, "sgd", "iterations"),
    "mnist_mlp": _spec("s03 t01", models.mnist_mlp, 100, "adam", "iterations"),
    "mnist_mlp(drop)": _spec(
        "s03 t01", lambda: models.mnist_mlp(dropout=0.5), 100, "adam", "iterations"
    ),
    "mnist_cnn": _spec(
        "s03 t01", lambda: models.mnist_cnn(bias=0.0), 100, "adam", "iterations"
    ),
    "lstm_sum": _spec("s03 t02", models.lstm_sum_classifier, 50),
    "lab_cnn": _spec("s04 t01-02", models.lab_cnn, 64),
    "lab_cnn(CRT)": _spec(
        "s04 t03",
        lambda: models.lab_cnn(
            (8, 16, 32, 32),
            pool_size=2,
            dense_units=32,
            n_outputs=3,
            input_shape=(64, 64, 1),
        ),
        50,
    ),
    "deep_mlp(2x10)": _spec("s05 t01", lambda: models.deep_mlp(2, 10), 64, "sgd"),
    "deep_mlp(2x64)": _spec("s05 t01", lambda: models.deep_mlp(2, 64), 64, "sgd"),
    "small_cnn": _spec("s05 t03", models.small_cnn, 64, "sgd"),
    "small_cnn(strides)": _spec(
        "s05 t04", lambda: models.small_cnn(strides=True), 64, "sgd"
    ),
}


# ------------------------------------------------------------------ FLOPs


def _prod(values: Any) -> int:
    return int(np.prod([int(v) for v in values])) if len(values) else 1


def layer_flops(layer: Any, in_shape: tuple, out_shape: tuple) -> int:
    """Forward FLOPs (2 x multiply-adds) of one layer for ONE item.

    ``in_shape`` / ``out_shape`` exclude the batch axis.
    """
    import keras

    L = keras.layers
    if isinstance(layer, L.TimeDistributed):
        steps = int(in_shape[0])
        return steps * layer_flops(layer.layer, in_shape[1:], out_shape[1:])
    if isinstance(layer, L.Bidirectional):
        return layer_flops(layer.forward_layer, in_shape, out_shape) + layer_flops(
            layer.backward_layer, in_shape, out_shape
        )
    if isinstance(layer, L.Dense):
        return 2 * _prod(out_shape) * int(in_shape[-1])
    if isinstance(layer, L.Conv1D | L.Conv2D | L.Conv3D):
        kernel = _prod(layer.kernel_size)
        groups = getattr(layer, "groups", 1) or 1
        return 2 * _prod(out_shape) * kernel * int(in_shape[-1]) // groups
    gates = {L.SimpleRNN: 1, L.GRU: 3, L.LSTM: 4}
    for cls, n_gates in gates.items():
        if isinstance(layer, cls):
            steps, n_in = int(in_shape[0]), int(in_shape[-1])
            units = layer.units if hasattr(layer, "units") else layer.cell.units
            return 2 * steps * n_gates * units * (n_in + units)
    if isinstance(layer, keras.Model):
        return model_flops(layer)
    return 0


def model_flops(model: Any) -> int:
    """Forward FLOPs per item of a built Keras model (nested models included)."""
    total = 0
    for layer in model.layers:
        try:
            in_shape = tuple(layer.input.shape)[1:]
            out_shape = tuple(layer.output.shape)[1:]
        except (AttributeError, ValueError):
            continue
        total += layer_flops(layer, in_shape, out_shape)
    return total


# ----------------------------------------------------------------- machine


def matmul_gflops(
    seconds: float, sizes: tuple[int, ...] = (1024, 2048)
) -> dict[int, float]:
    """Best float32 ``tf.matmul`` GFLOP/s for n x n matrices, per n."""
    import tensorflow as tf

    best: dict[int, float] = {}
    for n in sizes:
        a = tf.random.uniform((n, n))
        b = tf.random.uniform((n, n))

        @tf.function
        def mm(a, b, reps):
            c = tf.zeros_like(a)
            for _ in tf.range(reps):
                c += tf.matmul(a, b)
            return tf.reduce_sum(c)

        float(mm(a, b, tf.constant(1)))  # trace
        reps = 1
        rates = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(rates) < 3:
            t0 = time.perf_counter()
            float(mm(a, b, tf.constant(reps)))
            dt = time.perf_counter() - t0
            rates.append(2 * n**3 * reps / dt / 1e9)
            if dt < 0.2:
                reps *= 2
        best[n] = max(rates)
    return best


# ---------------------------------------------------------------- training


def random_data(model: Any, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random inputs of the model's shape and targets of its output layout."""
    rng = np.random.default_rng(seed)
    shape = tuple(model.inputs[0].shape)[1:]
    x = rng.random((n, *shape), dtype=np.float32)
    k = int(model.outputs[0].shape[-1])
    y = rng.integers(0, max(k, 2), size=n).astype(np.float32)
    return x, y


def _loss(model: Any) -> str:
    k = int(model.outputs[0].shape[-1])
    return "binary_crossentropy" if k == 1 else "sparse_categorical_crossentropy"


def _optimizer(name: str) -> Any:
    import keras

    return keras.optimizers.SGD(0.01) if name == "sgd" else keras.optimizers.Adam()


def time_fit(spec: dict, jit: bool, spe: int, seconds: float) -> tuple[float, float]:
    """(items per second, first-call seconds) of ``model.fit``."""
    import tensorflow as tf

    model = spec["build"]()
    batch = spec["batch"]
    x, y = random_data(model, batch * 64)
    model.compile(
        optimizer=_optimizer(spec["optimizer"]),
        loss=_loss(model),
        jit_compile=jit,
        steps_per_execution=spe,
    )
    data = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(batch, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    pilot = max(2 * spe, 8)
    t0 = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=pilot, verbose=0)
    first = time.perf_counter() - t0
    # a second short fit gives the per-step time without tracing
    t0 = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=pilot, verbose=0)
    per_step = (time.perf_counter() - t0) / pilot
    steps = max(spe, int(seconds / max(per_step, 1e-6)) // spe * spe)
    timer = training.EpochTimer()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[timer])
    return steps * batch / timer.times[-1], first


def time_iterations(spec: dict, jit: bool, seconds: float) -> tuple[float, float]:
    """(items per second, first-record seconds) of ``train_iterations``."""
    model = spec["build"]()
    batch = spec["batch"]
    x, y = random_data(model, batch * 64)
    probe = spec["build"]()
    t0 = time.perf_counter()
    training.train_iterations(
        probe, _optimizer(spec["optimizer"]), _loss(probe), x, y, x[:1], y[:1],
        steps=8, batch_size=batch, every=4, progress=False, eval_train=1,
        eval_test=1, final_eval=False, jit_compile=jit,
    )  # fmt: skip
    pilot = (time.perf_counter() - t0) / 8
    every = max(4, int(seconds / max(pilot, 1e-6)) // 4)
    h = training.train_iterations(
        model, _optimizer(spec["optimizer"]), _loss(model), x, y, x[:1], y[:1],
        steps=5 * every, batch_size=batch, every=every, progress=False,
        eval_train=1, eval_test=1, final_eval=False, jit_compile=jit,
    )  # fmt: skip
    secs = h.history["seconds"]
    return 4 * every * batch / (secs[-1] - secs[0]), secs[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per variant")
    parser.add_argument("--spe", type=int, default=32, help="steps_per_execution")
    parser.add_argument("--only", default="", help="models whose name contains it")
    parser.add_argument("--no-xla", action="store_true", help="skip the XLA rows")
    parser.add_argument(
        "--xla-spe", action="store_true", help="also XLA with steps_per_execution"
    )
    parser.add_argument(
        "--fixed-peak",
        action="store_true",
        help="use the first matmul measurement for every model",
    )
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    load_before = os.getloadavg()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPU(s), GPUs: {len(tf.config.list_physical_devices('GPU'))}"
    )
    peak_by_n = matmul_gflops(min(args.seconds, 3.0))
    peak = max(peak_by_n.values())
    print(
        "dense float32 matmul: "
        + ", ".join(f"n={n}: {g:.1f} GFLOP/s" for n, g in peak_by_n.items())
        + f" -> machine limit used below: {peak:.1f} GFLOP/s\n"
    )

    variants = [("default", False, 1), (f"spe={args.spe}", False, args.spe)]
    if not args.no_xla:
        variants.append(("XLA", True, 1))
        if args.xla_spe:
            variants.append((f"XLA+spe={args.spe}", True, args.spe))
    header = (
        f"{'model':<19} {'notebook':<10} {'batch':>5} {'MFLOP/item':>10} "
        f"{'peak':>6} "
        f"{'variant':<20} {'items/s':>9} {'GFLOP/s':>8} {'of peak':>7} "
        f"{'speed-up':>8} {'1st s':>6}"
    )
    print(header)
    print("-" * len(header))
    summary = []
    for name, spec in MODELS.items():
        if args.only and args.only not in name:
            continue
        flops = model_flops(spec["build"]())
        local = max(peak, 1e-9) if args.fixed_peak else None
        if local is None:
            local = matmul_gflops(0.5, sizes=(1024,))[1024]
        rows = []
        for label, jit, spe in variants:
            rate, first = time_fit(spec, jit, spe, args.seconds)
            rows.append((f"fit {label}", rate, first))
        if spec["trainer"] == "iterations":
            for label, jit in (
                ("train_iterations", False),
                ("train_iterations XLA", True),
            ):
                if jit and args.no_xla:
                    continue
                rate, first = time_iterations(spec, jit, args.seconds)
                rows.append((label, rate, first))
        base = rows[0][1]
        for k, (label, rate, first) in enumerate(rows):
            gflops = 3 * flops * rate / 1e9
            if k == 0:
                prefix = (
                    f"{name:<19} {spec['notebook']:<10} {spec['batch']:>5} "
                    f"{flops / 1e6:>10.3f} {local:6.1f} "
                )
            else:
                prefix = " " * 55
            print(prefix, end="")
            print(
                f"{label:<20} {rate:9.0f} {gflops:8.2f} {gflops / local:7.1%} "
                f"{rate / base:7.2f}x {first:6.1f}"
            )
        best = max(rows, key=lambda r: r[1])
        summary.append((name, best[0], best[1] / base))
    print("\nfastest variant per model (speed-up over Keras' default fit):")
    for name, label, ratio in summary:
        print(f"  {name:<19} {label:<22} {ratio:5.2f}x")
    print(
        "(load average before / after:",
        ", ".join(f"{v:.1f}" for v in load_before),
        "/",
        ", ".join(f"{v:.1f}" for v in os.getloadavg()) + ")",
    )


if __name__ == "__main__":
    main()
