"""Benchmark: training throughput of every model the full profile trains.

    python bench/throughput.py                 # all models, 8 timed s per model
    python bench/throughput.py --seconds 4 --only mnist
    python bench/throughput.py --no-xla --only fashion_cnn,svhn,small_cnn
    python bench/throughput.py --spe 16 --no-xla

For every model builder the notebooks train (``models.*``, with the batch size,
optimiser and input shape of its notebook) the bench trains on random data of
the right shape and prints

* items (images or sequences) per second of training,
* the model's forward FLOPs per item, counted analytically from the layer
  shapes (2 x multiply-adds of Dense, Conv and recurrent layers; pooling,
  activations and the optimiser update are left out), and the achieved
  GFLOP/s taking a training step as 3 x the forward FLOPs,
* that figure as a fraction of this machine's dense matmul GFLOP/s *in the
  precision the variant ran in* (column ``peak``): a ``tf.function`` of
  ``tf.matmul`` of two 2048 x 2048 matrices, warmed up, in float32 for the
  float32 variants and in bfloat16 for the ``mixed_bfloat16`` one (the way
  TensorFlow reaches its peak: one large product per call; oneDNN's AMX /
  AVX512-BF16 kernels for bfloat16), measured in the same run between the
  model's timing windows.  The arithmetic is :mod:`_flops`
  (``fraction_of_peak`` refuses a fraction above 100 %: a row marked ``!``
  means the peak is wrong, and the bench exits with status 1),
* the speed-up of XLA (``compile(jit_compile=True)``), of a larger
  ``steps_per_execution`` (``--spe``), of the ``mixed_bfloat16`` policy
  (``--no-mixed`` leaves it out; on a machine with bf16 units, see
  ``config.hardware_policy``) and, with ``--xla-spe``, of XLA with
  ``steps_per_execution``, over Keras' default on this machine (float32, no
  XLA on a CPU-only machine, one step per execution).

The s03 models (trained with ``training.train_iterations``) also get rows for
that trainer with and without its ``jit_compile=True`` opt-in.

On a shared machine the fraction is not meaningful: a model's short window
can catch a quiet moment that a matmul call of a second or more (n=2048 on a
loaded CPU) averages away, so rows above 100 % there (one run at load average
20-25 flagged 10 of 27) measure the load, not the arithmetic; use an idle
machine or a larger ``--seconds``.

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
from _flops import fraction_of_peak, matmul_flops, model_flops
from _load import load_line

from cnnrnn_helpers import config, models, training


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


# ----------------------------------------------------------------- machine


class Matmul:
    """This machine's dense matmul rate: a ``tf.function`` of ``tf.matmul``.

    Two n x n matrices (n = 2048: large enough for oneDNN's blocked kernels
    to reach their peak, small enough for a short window) in ``dtype``
    (``"float32"`` or ``"bfloat16"``), one product per call, the result
    forced after the last call of a window.
    """

    def __init__(self, n: int = 2048, dtype: str = "float32") -> None:
        import tensorflow as tf

        self.n, self.dtype = n, dtype
        self.a = tf.cast(tf.random.uniform((n, n)), dtype)
        self.b = tf.cast(tf.random.uniform((n, n)), dtype)
        self.mm = tf.function(tf.matmul)
        self.reps = 1

    def warm(self) -> float:
        """Seconds of the first (tracing) call and a few more."""
        t0 = time.perf_counter()
        for _ in range(3):
            float(self.mm(self.a, self.b)[0, 0])
        return time.perf_counter() - t0

    def gflops(self, seconds: float) -> float:
        """Best GFLOP/s over about ``seconds`` of windows of repeated products."""
        best, deadline = 0.0, time.perf_counter() + seconds
        while True:
            t0 = time.perf_counter()
            for _ in range(self.reps):
                c = self.mm(self.a, self.b)
            float(c[0, 0])
            dt = time.perf_counter() - t0
            best = max(best, matmul_flops(self.n) * self.reps / dt / 1e9)
            if dt < 0.1:
                self.reps *= 2
            if time.perf_counter() > deadline:
                return best


def plain_matmul_gflops(
    n: int = 2048, dtype: str = "float32", calls: int = 10
) -> float:
    """``tf.matmul`` at n, eager, the simplest way: best of ``calls`` single calls."""
    import tensorflow as tf

    a = tf.cast(tf.random.uniform((n, n)), dtype)
    b = tf.cast(tf.random.uniform((n, n)), dtype)
    float(tf.matmul(a, b)[0, 0])
    best = 0.0
    for _ in range(calls):
        t0 = time.perf_counter()
        float(tf.matmul(a, b)[0, 0])
        best = max(best, matmul_flops(n) / (time.perf_counter() - t0) / 1e9)
    return best


def ran_in(model: Any) -> str:
    """``"bfloat16"`` if any layer of ``model`` computes in it, else ``"float32"``.

    The output layer stays float32 under ``mixed_bfloat16``; the bulk of the
    FLOPs (and so the peak to compare with) is bfloat16 then.
    """
    for layer in model.layers:
        if getattr(layer, "compute_dtype", "float32") == "bfloat16":
            return "bfloat16"
    return "float32"


def use_policy(policy: str) -> None:
    """Put a Keras global dtype policy in force (the builders' layers follow it)."""
    config.PRECISION = "float32" if policy == "float32" else "mixed"
    config.apply_precision(policy)


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

    def __init__(
        self, spec: dict, label: str, jit: bool, spe: int, policy: str = "float32"
    ) -> None:
        import tensorflow as tf

        self.label, self.spe, self.batch = label, spe, spec["batch"]
        use_policy(policy)
        try:
            self.model = spec["build"]()
        finally:
            use_policy("float32")
        self.precision = ran_in(self.model)
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
        self.precision = ran_in(self.model)
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
    parser.add_argument(
        "--only", default="", help="models whose name contains it (comma: any of)"
    )
    parser.add_argument("--no-xla", action="store_true", help="skip the XLA rows")
    parser.add_argument(
        "--xla-spe", action="store_true", help="also XLA with steps_per_execution"
    )
    parser.add_argument(
        "--no-mixed", action="store_true", help="skip the mixed_bfloat16 rows"
    )
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    load_before = os.getloadavg()
    mixed = None if args.no_mixed else config.hardware_policy()
    if mixed not in (None, "mixed_bfloat16"):
        mixed = None  # a float16 GPU: its peak is not measured here
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPU(s), GPUs: {len(tf.config.list_physical_devices('GPU'))}"
        f", mixed policy: {mixed or 'none (float32 only)'}"
    )
    print(load_line())
    peak_mm = {"float32": Matmul(2048, "float32"), "bfloat16": Matmul(2048, "bfloat16")}
    for mm in peak_mm.values():
        mm.warm()
    plain = plain_matmul_gflops(2048, "float32")
    start_peak = {k: mm.gflops(1.5) for k, mm in peak_mm.items()}
    plain_bf16 = plain_matmul_gflops(2048, "bfloat16")
    print(
        f"dense matmul n=2048 at the start: plain eager tf.matmul float32 "
        f"{plain:.1f} GFLOP/s (bfloat16 {plain_bf16:.1f}); tf.function peak "
        f"float32 {start_peak['float32']:.1f}, bfloat16 {start_peak['bfloat16']:.1f} "
        f"GFLOP/s ({start_peak['bfloat16'] / start_peak['float32']:.1f}x).  The "
        "'peak' column is the best tf.function rate of the row's precision, "
        "measured between the model's own timing windows (and at the start)\n"
    )
    best_peak = dict(start_peak)

    header = (
        f"{'model':<19} {'notebook':<10} {'batch':>5} {'MFLOP/item':>10} "
        f"{'variant':<26} {'items/s':>9} {'GFLOP/s':>8} {'peak':>7} "
        f"{'of peak':>7} {'speed-up':>8} {'1st s':>6}"
    )
    print(header)
    print("-" * len(header))
    summary, fractions, above = [], [], []
    for name, spec in MODELS.items():
        if args.only and not any(part in name for part in args.only.split(",")):
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
        if mixed:
            candidate = FitRunner(spec, f"fit {mixed}", False, 1, policy=mixed)
            if candidate.precision == "bfloat16":  # not a float32-only builder
                runners.append(candidate)
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
        used = sorted({r.precision for r in runners})
        for _ in range(args.rounds):
            for precision in used:  # windows as long as a model's
                mm = peak_mm[precision]
                best_peak[precision] = max(best_peak[precision], mm.gflops(share))
            for runner in runners:
                rates[runner.label].append(runner.window(n))
        base = max(rates[runners[0].label])
        for k, runner in enumerate(runners):
            rate = max(rates[runner.label])
            peak = best_peak[runner.precision]
            try:
                gflops, fraction = fraction_of_peak(flops, rate, peak)
                share_text = f"{fraction:7.1%}"
            except ValueError:
                gflops = 3 * flops * rate / 1e9
                share_text = f"{gflops / peak:6.0%}!"
                above.append((name, runner.label))
                fraction = gflops / peak
            fractions.append((name, runner.label, runner.precision, fraction))
            prefix = (
                f"{name:<19} {spec['notebook']:<10} {spec['batch']:>5} "
                f"{flops / 1e6:>10.3f} "
                if k == 0
                else " " * 48
            )
            print(
                f"{prefix}{runner.label:<26} {rate:9.0f} {gflops:8.2f} "
                f"{peak:7.1f} {share_text} {rate / base:7.2f}x "
                f"{first[runner.label]:6.1f}",
                flush=True,
            )
        best = max(runners, key=lambda r: max(rates[r.label]))
        summary.append((name, best.label, max(rates[best.label]) / base))
    plain = max(plain, plain_matmul_gflops(2048, "float32"))  # start and end
    print(
        f"\npeaks of the run (tf.function of tf.matmul, n=2048): float32 "
        f"{best_peak['float32']:.1f} GFLOP/s, bfloat16 {best_peak['bfloat16']:.1f} "
        f"GFLOP/s; plain eager tf.matmul float32 (best of start and end) "
        f"{plain:.1f} GFLOP/s "
        f"(float32 peak / plain = {best_peak['float32'] / plain:.2f})"
    )
    print("\nfastest variant per model (speed-up over Keras' default fit):")
    for name, label, ratio in summary:
        print(f"  {name:<19} {label:<26} {ratio:5.2f}x")
    if fractions:
        top = max(fractions, key=lambda f: f[3])
        print(
            f"\nhighest fraction of peak: {top[0]}, {top[1]} ({top[2]}): {top[3]:.1%}"
        )
    print(load_line(load_before))
    if above:
        print(f"ABOVE 100 % OF PEAK (the peak is wrong): {above}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
