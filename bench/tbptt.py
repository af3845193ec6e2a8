"""Benchmark: the lab's truncated-BPTT loop against ``training.train_tbptt``.

    python bench/tbptt.py              # 3 timed epochs, 500 + 500 pulse series
    python bench/tbptt.py --epochs 2 --limit 100

The same model (the lab's stateful GRU with 25 units and two TimeDistributed
dense layers, 2,128 parameters, Adam 0.003) is trained on the same pulse data
(``data.load_pulses``) three times from the same initial weights:

* ``lab loop``: the lab's code, ported to Keras 3 - for every mini-batch of 20
  sequences ``reset_states`` and one ``train_on_batch`` per chunk of 50 steps;
  the validation error with one ``evaluate`` per chunk;
* ``train_tbptt``: one compiled ``tf.function`` step per chunk (the states are
  zeroed inside the step at the first chunk of a mini-batch);
* ``train_tbptt (XLA)``: the same with ``jit_compile=True``.

The first epoch of each variant includes tracing / compilation and is reported
separately; the ratio uses the mean of the following epochs.  Both loops
report the normalised error (MSE / target variance), so the table also shows
that they train the same way.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
from _load import load_line

from cnnrnn_helpers import config, data, models, training


def reset_states(model) -> None:
    """Keras 2's ``model.reset_states()``: zero every stateful layer's state."""
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_state()


def lab_loop(model, x, y, x_val, y_val, epochs, mb=20, batchlen=50):
    """The lab's loop (cell Ex4-2): train_on_batch / evaluate per chunk."""
    ns, tlen = x.shape[:2]
    nmb, ntsteps = ns // mb, tlen // batchlen
    var_trn, var_val = np.var(y), np.var(y_val)
    seconds, errors = [], []
    for _ in range(epochs):
        t0 = time.perf_counter()
        sum_trn = 0.0
        for batch in range(nmb):
            i1, i2 = batch * mb, (batch + 1) * mb
            reset_states(model)
            for tstep in range(ntsteps):
                t1, t2 = tstep * batchlen, (tstep + 1) * batchlen
                sum_trn += float(model.train_on_batch(x[i1:i2, t1:t2], y[i1:i2, t1:t2]))
        sum_val = 0.0
        for batch in range(len(x_val) // mb):
            i1, i2 = batch * mb, (batch + 1) * mb
            reset_states(model)
            for tstep in range(ntsteps):
                t1, t2 = tstep * batchlen, (tstep + 1) * batchlen
                sum_val += float(
                    model.evaluate(
                        x_val[i1:i2, t1:t2],
                        y_val[i1:i2, t1:t2],
                        batch_size=mb,
                        verbose=0,
                    )
                )
        seconds.append(time.perf_counter() - t0)
        errors.append(
            (
                sum_trn / (nmb * ntsteps) / var_trn,
                sum_val / (len(x_val) // mb * ntsteps) / var_val,
            )
        )
    return seconds, errors


def build(weights=None):
    import keras

    model = models.stateful_rnn("gru", 25, dense_layers=2, activation="relu")
    model.compile(optimizer=keras.optimizers.Adam(0.003), loss="mse")
    if weights is not None:
        model.set_weights(weights)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (>= 1)")
    parser.add_argument("--limit", type=int, default=None, help="series per split")
    args = parser.parse_args()

    config.set_seed(42, deterministic=False)
    ds = data.load_pulses(limit=args.limit)
    print(ds.describe())
    x, y, x_val, y_val = ds.x_train, ds.y_train, ds.x_test, ds.y_test
    start = build().get_weights()
    epochs = args.epochs + 1  # the first epoch includes tracing

    rows = []
    seconds, errors = lab_loop(build(start), x, y, x_val, y_val, epochs)
    rows.append(("lab loop (train_on_batch)", seconds, errors))
    for name, jit in (("train_tbptt", False), ("train_tbptt (XLA)", True)):
        hist = training.train_tbptt(
            build(start),
            x,
            y,
            x_val,
            y_val,
            epochs=epochs,
            jit_compile=jit,
            verbose=False,
        )
        rows.append(
            (name, hist["seconds"], list(zip(hist["error"], hist["val_error"])))
        )

    base = float(np.mean(rows[0][1][1:]))
    print(
        f"\nGRU(25) + 2 x TimeDistributed(Dense(1)), {len(x)} + {len(x_val)} series, "
        f"mini-batch 20, chunk 50, {args.epochs} timed epoch(s) after a first one"
    )
    header = (
        f"{'variant':<27} {'1st epoch s':>11} {'s/epoch':>8} {'speed-up':>8} "
        f"{'train err':>9} {'val err':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, secs, errs in rows:
        mean = float(np.mean(secs[1:]))
        print(
            f"{name:<27} {secs[0]:11.2f} {mean:8.2f} {base / mean:7.1f}x "
            f"{errs[-1][0]:9.4f} {errs[-1][1]:8.4f}"
        )
    print(load_line())


if __name__ == "__main__":
    main()
