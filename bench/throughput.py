"""Benchmark: training throughput of every model the full profile trains.

    python bench/throughput.py                 # all models, 8 timed s per model
    python bench/throughput.py --seconds 4 --only mnist
    python bench/throughput.py --spe 16 --no-xla

For every model builder the notebooks train (``models.*``, with the batch size,
optimiser and input shape of its notebook) the bench trains on random data of
the right shape and prints

* items (images or sequences) per second of training,
* the model's forward FLOPs per item, counted analytically from the layer
  shapes (2 x multiply-adds of Dense, Conv and recurrent layers; pooling,
  activations and the optimiser update are left out), and the achieved
  GFLOP/s taking a training step as 3 x the forward FLOPs,
* that figure as a fraction of this machine's dense float32 matmul GFLOP/s
  (``tf.matmul`` of 1024 x 1024), measured in the same run between the model's
  timing windows (column ``peak``),
* the speed-up of XLA (``compile(jit_compile=True)``), of a larger
  ``steps_per_execution`` (``--spe``) and, with ``--xla-spe``, of both, over
  Keras' default on this machine (no XLA on a CPU-only machine, one step per
  execution).

The s03 models (trained with ``training.train_iterations``) also get rows for
that trainer with and without its ``jit_compile=True`` opt-in.

Every variant is first traced / compiled by a short call (its seconds are the
column ``1st s``); then the variants and the matmul take turns in ``--rounds``
rounds of short windows (about ``--seconds`` per model in all, at least
``--min-steps`` steps per window), and each
figure is the best of its windows.  The machine may be shared with other
jobs: taking turns and the best of several windows make the ratios of one
model comparable with each other; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
from _load import load_line

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


class Matmul:
    """This machine's dense float32 matmul rate, ``tf.matmul`` of n x n."""

    label = "matmul"

    def __init__(self, n: int = 1024) -> None:
        import tensorflow as tf

        self.n = n
        self.a = tf.random.uniform((n, n))
        self.b = tf.random.uniform((n, n))

        @tf.function
        def mm(a, b, reps):
            c = tf.zeros_like(a)
            for _ in tf.range(reps):
                c += tf.matmul(a, b)
            return tf.reduce_sum(c)

        self.mm = mm
        self.reps = 1

    def warm(self) -> float:
        import tensorflow as tf

        t0 = time.perf_counter()
        float(self.mm(self.a, self.b, tf.constant(1)))
        return time.perf_counter() - t0

    def gflops(self, seconds: float) -> float:
        """Best GFLOP/s over about ``seconds`` of repeated products."""
        import tensorflow as tf

        best, deadline = 0.0, time.perf_counter() + seconds
        while True:
            t0 = time.perf_counter()
            float(self.mm(self.a, self.b, tf.constant(self.reps)))
            dt = time.perf_counter() - t0
            best = max(best, 2 * self.n**3 * self.reps / dt / 1e9)
            if dt < 0.1:
                self.reps *= 2
            if time.perf_counter() > deadline:
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


class FitRunner:
    """``model.fit`` with a given ``jit_compile`` and ``steps_per_execution``."""

    def __init__(self, spec: dict, label: str, jit: bool, spe: int) -> None:
        import tensorflow as tf

        self.label, self.spe, self.batch = label, spe, spec["batch"]
        self.model = spec["build"]()
        x, y = random_data(self.model, self.batch * 64)
        self.model.compile(
            optimizer=_optimizer(spec["optimizer"]),
            loss=_loss(self.model),
            jit_compile=jit,
            steps_per_execution=spe,
        )
        self.data = (
            tf.data.Dataset.from_tensor_slices((x, y))
            .batch(self.batch, drop_remainder=True)
            .repeat()
            .prefetch(tf.data.AUTOTUNE)
        )

    def steps(self, n: int) -> int:
        return max(self.spe, -(-n // self.spe) * self.spe)

    def warm(self) -> float:
        """Seconds of the first, tracing / compiling, short fit."""
        t0 = time.perf_counter()
        self.model.fit(self.data, epochs=1, steps_per_epoch=self.steps(4), verbose=0)
        return time.perf_counter() - t0

    def window(self, n: int) -> float:
        """Items per second over about ``n`` steps (one epoch of one fit)."""
        steps = self.steps(n)
        timer = training.EpochTimer()
        self.model.fit(
            self.data, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[timer]
        )
        return steps * self.batch / timer.times[-1]


class IterationsRunner:
    """``training.train_iterations`` (its compiled multi-step loop)."""

    def __init__(self, spec: dict, label: str, jit: bool) -> None:
        self.spec, self.label, self.jit = spec, label, jit
        self.batch = spec["batch"]
        self.model = spec["build"]()
        self.x, self.y = random_data(self.model, self.batch * 64)

    def _run(self, steps: int, every: int) -> Any:
        return training.train_iterations(
            self.model, _optimizer(self.spec["optimizer"]), _loss(self.model),
            self.x, self.y, self.x[:1], self.y[:1], steps=steps,
            batch_size=self.batch, every=every, progress=False, eval_train=1,
            eval_test=1, final_eval=False, jit_compile=self.jit,
        )  # fmt: skip

    def warm(self) -> float:
        """Seconds of the first record (tracing included) of a short run."""
        return self._run(4, 4).history["seconds"][0]

    def window(self, n: int) -> float:
        """Items per second over ``n`` steps after a first traced chunk of n."""
        n = max(n, 4)
        secs = self._run(2 * n, n).history["seconds"]
        return n * self.batch / (secs[-1] - secs[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="timed budget per model"
    )
    parser.add_argument("--rounds", type=int, default=3, help="best of this many")
    parser.add_argument(
        "--min-steps", type=int, default=16, help="at least this many steps per window"
    )
    parser.add_argument("--spe", type=int, default=32, help="steps_per_execution")
    parser.add_argument("--only", default="", help="models whose name contains it")
    parser.add_argument("--no-xla", action="store_true", help="skip the XLA rows")
    parser.add_argument(
        "--xla-spe", action="store_true", help="also XLA with steps_per_execution"
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
    big = Matmul(2048)
    big.warm()
    matmul = Matmul(1024)
    matmul.warm()
    print(
        f"dense float32 matmul at the start: n=1024 {matmul.gflops(1.5):.1f} GFLOP/s, "
        f"n=2048 {big.gflops(1.5):.1f} GFLOP/s; the 'peak' column is the best "
        "n=1024 rate measured between the model's own timing windows\n"
    )
    del big

    header = (
        f"{'model':<19} {'notebook':<10} {'batch':>5} {'MFLOP/item':>10} "
        f"{'peak':>6} {'variant':<22} {'items/s':>9} {'GFLOP/s':>8} "
        f"{'of peak':>7} {'speed-up':>8} {'1st s':>6}"
    )
    print(header)
    print("-" * len(header))
    summary = []
    for name, spec in MODELS.items():
        if args.only and args.only not in name:
            continue
        runners: list[Any] = [
            FitRunner(spec, "fit default", False, 1),
            FitRunner(spec, f"fit spe={args.spe}", False, args.spe),
        ]
        if not args.no_xla:
            runners.append(FitRunner(spec, "fit XLA", True, 1))
            if args.xla_spe:
                runners.append(
                    FitRunner(spec, f"fit XLA+spe={args.spe}", True, args.spe)
                )
        if spec["trainer"] == "iterations":
            runners.append(IterationsRunner(spec, "train_iterations", False))
            if not args.no_xla:
                runners.append(IterationsRunner(spec, "train_iterations XLA", True))
        flops = model_flops(runners[0].model)
        first = {r.label: r.warm() for r in runners}
        # steps per window from a calibration window of the default fit
        probe = runners[0].window(8)
        share = args.seconds / args.rounds / (len(runners) + 0.5)
        n = max(args.min_steps, int(share * probe / spec["batch"]))
        rates: dict[str, list[float]] = {r.label: [] for r in runners}
        peaks = []
        for _ in range(args.rounds):
            peaks.append(matmul.gflops(share / 2))
            for runner in runners:
                rates[runner.label].append(runner.window(n))
        peak = max(peaks)
        base = max(rates[runners[0].label])
        for k, runner in enumerate(runners):
            rate = max(rates[runner.label])
            gflops = 3 * flops * rate / 1e9
            prefix = (
                f"{name:<19} {spec['notebook']:<10} {spec['batch']:>5} "
                f"{flops / 1e6:>10.3f} {peak:6.1f} "
                if k == 0
                else " " * 55
            )
            print(
                f"{prefix}{runner.label:<22} {rate:9.0f} {gflops:8.2f} "
                f"{gflops / peak:7.1%} {rate / base:7.2f}x {first[runner.label]:6.1f}",
                flush=True,
            )
        best = max(runners, key=lambda r: max(rates[r.label]))
        summary.append((name, best.label, max(rates[best.label]) / base))
    print("\nfastest variant per model (speed-up over Keras' default fit):")
    for name, label, ratio in summary:
        print(f"  {name:<19} {label:<22} {ratio:5.2f}x")
    print(load_line(load_before))


if __name__ == "__main__":
    main()
