"""Calibration of the lab's shape datasets: CRT about 98 %, R3 clearly harder.

Trains the lab's own networks with the lab's settings (Adam 0.003, batch 50,
50 epochs, 500 training / 1000 validation images) from a few seeds and
prints the validation accuracy of each run and their mean:

* CRT with the sample report's 1,671-parameter layout (4 + 4 filters, 3x3
  pooling, Dense(10)); the report gives about 0.98;
* R3 with the lab's 1,237-parameter layout (3 + 3 filters); the report
  gives about 0.78 (the lab's own cell printed 0.696).

The CRT difficulty is set by the ``CRT_*`` constants of
``cnnrnn_helpers.data.generators``; this script checks them.  Run from the
repository root (about 20 s per training on a free CPU core)::

    python bench/crt_calibration.py            # seeds 42 43 44, both datasets
    python bench/crt_calibration.py --seeds 42 --only crt
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

LAYOUTS = {"crt": ((4, 4), 1671, "about 0.98"), "r3": ((3, 3), 1237, "about 0.78")}


def accuracy(kind: str, seed: int, epochs: int = 50) -> float:
    """Validation accuracy of the lab's layout for ``kind`` after training."""
    import keras

    from cnnrnn_helpers import config, data, models, stats

    ds = data.load_crt() if kind == "crt" else data.load_r3()
    x_train = ds.x_train.astype("float32") / 255.0
    x_val = ds.x_val.astype("float32") / 255.0
    filters, n_params, _ = LAYOUTS[kind]
    config.set_seed(seed)
    model = models.lab_cnn(
        filters, dense_units=10, n_outputs=3, input_shape=(64, 64, 1)
    )
    assert models.count_params(model) == n_params
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=0.003),
        metrics=["accuracy"],
    )
    model.fit(x_train, ds.y_train, epochs=epochs, batch_size=50, verbose=0)
    return stats.multiclass_stats(ds.y_val, model.predict(x_val, verbose=0)).accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--only", choices=sorted(LAYOUTS), nargs="+")
    args = parser.parse_args()
    for kind in args.only or sorted(LAYOUTS):
        accs = [accuracy(kind, seed) for seed in args.seeds]
        _, n_params, sheet = LAYOUTS[kind]
        runs = ", ".join(f"{a:.3f}" for a in accs)
        print(
            f"{kind}: lab layout ({n_params} params), validation accuracy per seed "
            f"{runs}; mean {sum(accs) / len(accs):.3f} (lab: {sheet})",
            flush=True,
        )


if __name__ == "__main__":
    main()
