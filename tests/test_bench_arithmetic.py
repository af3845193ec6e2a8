"""The arithmetic of bench/throughput.py and bench/precision.py (no timing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from cnnrnn_helpers import models

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))  # the benches import their siblings
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


flops = _bench_module("_flops")


def test_matmul_flops_is_two_n_cubed():
    assert flops.matmul_flops(2048) == 2 * 2048**3 == 17_179_869_184
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        flops.matmul_flops(0)


def test_fashion_cnn_flops_by_hand():
    # conv 26*26*128 outputs x 3*3*1, conv 24*24*64 x 3*3*128, dense 36864->64, 64->10
    by_hand = 2 * (26 * 26 * 128 * 9 + 24 * 24 * 64 * 9 * 128 + 36864 * 64 + 64 * 10)
    assert by_hand == 91_212_032
    assert flops.model_flops(models.fashion_cnn(pooling=False)) == by_hand


def test_recurrent_and_wrapped_layers_count_per_step():
    # GRU(25) over 50 steps of 1 input: 3 gates x 25 x (1 + 25) multiply-adds per
    # step; two TimeDistributed(Dense(1)): 25 and 1 multiply-adds per step
    model = models.stateful_rnn("gru", 25, dense_layers=2, chunk=50)
    by_hand = 2 * 50 * (3 * 25 * 26 + 25 + 1)
    assert flops.model_flops(model) == by_hand


def test_fraction_of_peak_is_training_flops_over_the_peak():
    fwd = 91_212_032
    gflops, fraction = flops.fraction_of_peak(fwd, 793.0, 384.0)
    assert gflops == pytest.approx(3 * fwd * 793 / 1e9)
    assert fraction == pytest.approx(gflops / 384.0)
    assert 0 < fraction <= 1


def test_no_model_may_exceed_the_peak_of_its_precision():
    # The measurement: 3002 images/s of the s01 t02 CNN in mixed_bfloat16
    # is 52 % of the bfloat16 peak (1583 GFLOP/s) but would be 214 % of the
    # float32 one (384): a fraction above 100 % means the wrong peak.
    fwd = 91_212_032
    _, of_bf16 = flops.fraction_of_peak(fwd, 3002.0, 1583.0)
    assert of_bf16 == pytest.approx(0.519, abs=1e-3)
    with pytest.raises(ValueError, match="above the peak"):
        flops.fraction_of_peak(fwd, 3002.0, 384.0)
    # the old bench's float32 "peak" of 47 GFLOP/s put the float32 run at 462 %
    with pytest.raises(ValueError, match="peak_gflops is not this precision"):
        flops.fraction_of_peak(fwd, 793.0, 47.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 1.0, 1.0), "forward_flops must be >= 0"),
        ((1, 0.0, 1.0), "items_per_second must be > 0"),
        ((1, 1.0, 0.0), "peak_gflops must be > 0"),
    ],
)
def test_fraction_of_peak_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        flops.fraction_of_peak(*args)


def test_precision_verdict_rule():
    verdict = _bench_module("precision").verdict
    assert verdict(2.0, 0.88, 0.004, 0.882, 0.003) == (True, True)
    assert verdict(1.05, 0.88, 0.004, 0.882, 0.003) == (False, True)  # too slow
    assert verdict(3.0, 0.88, 0.004, 0.86, 0.005) == (False, False)  # accuracy
    with pytest.raises(ValueError, match="speedup must be > 0"):
        verdict(0.0, 0.88, 0.0, 0.88, 0.0)
    with pytest.raises(ValueError, match="spread32 and spread_mixed must be >= 0"):
        verdict(1.5, 0.88, -0.1, 0.88, 0.0)
