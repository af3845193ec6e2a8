"""Property tests over the public API: what students pass either works or is refused.

Every call below gets NumPy integers, bools, floats, negative and huge
values, strings, ``None``, empty and non-finite arrays.  It must either work
or raise a ``TypeError`` / ``ValueError`` whose message names the argument;
any other exception (``IndexError``, ``AttributeError``, ``OverflowError``
...) fails the test.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnrnn_helpers import (
    _args,
    activations,
    config,
    conv,
    data,
    models,
    stats,
    training,
)
from cnnrnn_helpers.data import generators, windows

FAST = settings(max_examples=40, deadline=None, derandomize=True)
SLOW = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def numpy_ints(lo: int, hi: int) -> st.SearchStrategy:
    lo, hi = max(lo, -(2**63)), min(hi, 2**63 - 1)
    return st.integers(lo, hi).flatmap(
        lambda v: st.sampled_from([np.int8, np.int32, np.int64, np.uint16]).map(
            lambda t: t(v) if np.iinfo(t).min <= v <= np.iinfo(t).max else np.int64(v)
        )
    )


def int_like(lo: int = -3, hi: int = 12) -> st.SearchStrategy:
    """What a student may pass where an int is meant."""
    return st.one_of(
        st.integers(lo, hi),
        numpy_ints(lo, hi),
        st.booleans(),
        st.sampled_from([np.True_, 2**70, -(2**70), 1e300]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([np.float64(2.0), "3", "", None, [2], (1,), b"4"]),
    )


def small_arrays(max_side: int = 6) -> st.SearchStrategy:
    """Arrays with odd shapes and values: empty, 1-D, 3-D, NaN, inf, huge."""
    values = st.one_of(
        st.floats(-1e3, 1e3),
        st.sampled_from([np.nan, np.inf, -np.inf, 1e308, 0.0]),
    )
    shapes = st.one_of(
        st.tuples(st.integers(0, max_side), st.integers(0, max_side)),
        st.tuples(st.integers(0, max_side)),
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 2)),
    )
    return shapes.flatmap(
        lambda shape: st.lists(
            values, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))
        ).map(lambda v: np.array(v, dtype=np.float64).reshape(shape))
    )


def works_or_clear(call, *names: str):
    """Run ``call``; a TypeError/ValueError must name one of ``names``."""
    try:
        return call()
    except (TypeError, ValueError) as err:
        text = str(err)
        assert any(name in text for name in names), f"unclear error: {text!r}"
        return None


# --- the checker itself --------------------------------------------------------


@FAST
@given(value=int_like(-(2**70), 2**70))
def test_check_int_accepts_integrals_only(value):
    got = works_or_clear(
        lambda: _args.check_int(value, "n", minimum=0, maximum=2**64), "n must be"
    )
    if got is not None:
        assert type(got) is int and 0 <= got <= 2**64
        assert not isinstance(value, bool | np.bool_)


@FAST
@given(value=st.one_of(int_like(), st.floats(allow_nan=True)))
def test_check_float_gives_finite_floats_in_range(value):
    got = works_or_clear(
        lambda: _args.check_float(value, "rate", low=0.0, high=1.0, high_open=True),
        "rate must be",
    )
    if got is not None:
        assert type(got) is float and 0.0 <= got < 1.0


def test_messages_name_the_argument_the_expectation_and_what_came():
    with pytest.raises(TypeError, match=r"depth must be an int >= 1, got float 2.5"):
        _args.check_int(2.5, "depth", minimum=1)
    with pytest.raises(TypeError, match=r"depth must be an int >= 1, got bool True"):
        _args.check_int(True, "depth", minimum=1)
    with pytest.raises(ValueError, match=r"depth must be >= 1, got 0"):
        _args.check_int(np.int64(0), "depth", minimum=1)
    assert _args.check_int(np.uint8(5), "depth", minimum=1) == 5


# --- conv ------------------------------------------------------------------------


@FAST
@given(image=small_arrays(), kernel=small_arrays(4), flip=st.booleans())
def test_conv2d_works_or_refuses(image, kernel, flip):
    out = works_or_clear(
        lambda: conv.conv2d(image, kernel, flip=flip), "image", "kernel"
    )
    if out is not None:
        n, k = image.shape[0], kernel.shape[0]
        assert out.shape == (n - k + 1, n - k + 1) and np.isfinite(out).all()


@FAST
@given(image=small_arrays(), size=int_like(), stride=int_like())
def test_max_pool2d_works_or_refuses(image, size, stride):
    out = works_or_clear(
        lambda: conv.max_pool2d(image, size, stride=stride),
        "image",
        "size",
        "stride",
    )
    if out is not None:
        m = conv.pooled_size(image.shape[0], int(size), int(stride))
        assert out.shape == (m, m)
        naive = conv.max_pool2d_naive(image, size, stride=stride)
        np.testing.assert_array_equal(out, naive)


# --- generators and the lab's loaders ------------------------------------------


@FAST
@given(n=int_like(-2, 6), seed=int_like(-(2**70), 2**70))
def test_generators_work_or_refuse(n, seed):
    for make in (
        lambda: generators.make_pulses(n, length=20, seed=seed),
        lambda: generators.make_sum_series(n, length=5, seed=seed),
        lambda: generators.make_variable_length_sequences(n, seed=seed),
        lambda: generators.make_shapes("r3", n, seed=seed),
    ):
        out = works_or_clear(make, "n must", "seed must")
        if out is not None:
            assert len(out[0]) == int(n) == len(out[1])


@FAST
@given(
    kind=st.one_of(st.sampled_from(["crt", "r3", "CRT", " r3 ", "square"]), int_like()),
)
def test_make_shapes_kind(kind):
    works_or_clear(lambda: generators.make_shapes(kind, 2, seed=0), "kind")


@FAST
@given(
    limit=int_like(-2, 5),
    source=st.one_of(
        st.none(),
        st.sampled_from(["auto", "offline", " Online ", "web", ""]),
        int_like(),
    ),
)
def test_lab_loaders_work_or_refuse(limit, source):
    for load in (data.load_crt, data.load_r3, data.load_pulses):
        ds = works_or_clear(
            lambda load=load: load(source=source, limit=limit), "limit", "source"
        )
        if ds is not None:
            assert len(ds.x_train) == min(int(limit), 500)


@pytest.fixture(scope="module")
def offline_home(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNRNN_DATA_HOME", str(tmp_path_factory.mktemp("home")))
        yield


@SLOW
@given(
    limit=int_like(-2, 3).filter(
        lambda v: v is not None and not (isinstance(v, int) and v > 100)
    )
)
def test_real_loaders_check_limit(offline_home, limit):
    ds = works_or_clear(
        lambda: data.load_fashion_mnist(source="offline", limit=limit), "limit"
    )
    if ds is not None:
        assert len(ds.x_train) == int(limit)


@FAST
@given(test_size=st.one_of(st.floats(allow_nan=True), int_like()))
def test_eeg_test_size_is_checked_first(test_size):
    # bad values are refused before any data is made; good ones are not run here
    try:
        _args.check_float(
            test_size, "test_size", low=0.0, high=1.0, low_open=True, high_open=True
        )
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError), match="test_size"):
            data.load_eeg_eye_state(source="offline", test_size=test_size)


# --- windows and statistics ------------------------------------------------------


@FAST
@given(train=small_arrays(), test=small_arrays(), q=st.one_of(st.floats(), int_like()))
def test_minmax_scale_works_or_refuses(train, test, q):
    out = works_or_clear(
        lambda: windows.minmax_scale(train, test, clip_quantile=q),
        "x_train",
        "clip_quantile",
        "NaN",
    )
    if out is not None:
        assert out[0].shape == train.shape and out[1].shape == test.shape


@FAST
@given(
    y_true=st.lists(st.sampled_from([0, 1, 2, 0.5, np.nan]), max_size=8).map(np.array),
    y_prob=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=8).map(
        np.array
    ),
    threshold=st.one_of(st.floats(allow_nan=True), int_like()),
)
def test_binary_pred_stats_works_or_refuses(y_true, y_prob, threshold):
    out = works_or_clear(
        lambda: stats.binary_pred_stats(y_true, y_prob, threshold),
        "y_true",
        "y_prob",
        "threshold",
    )
    if out is not None:
        assert 0.0 <= out.accuracy <= 1.0


@FAST
@given(
    t=st.lists(st.integers(-1, 4), max_size=10).map(np.array),
    p=st.lists(st.integers(-1, 4), max_size=10).map(np.array),
    k=st.one_of(st.none(), int_like(-1, 6)),
)
def test_confusion_matrix_works_or_refuses(t, p, k):
    cm = works_or_clear(
        lambda: stats.confusion_matrix(t, p, k), "y_true", "labels", "n_classes"
    )
    if cm is not None:
        assert cm.sum() == len(t) and cm.shape[0] == cm.shape[1]


@FAST
@given(prob=small_arrays(4), y=st.lists(st.integers(-1, 4), max_size=4).map(np.array))
def test_multiclass_stats_works_or_refuses(prob, y):
    out = works_or_clear(
        lambda: stats.multiclass_stats(y, prob), "y_prob", "y_true", "labels"
    )
    if out is not None:
        assert np.isfinite(out.log_loss) and 0.0 <= out.accuracy <= 1.0


@FAST
@given(values=small_arrays())
def test_mean_std_works_or_refuses(values):
    out = works_or_clear(lambda: stats.mean_std(values), "values")
    if out is not None:
        assert not np.isnan(out).any()  # may overflow to inf for values near 1e308


@FAST
@given(name=st.one_of(st.sampled_from(["relu", "tanh", "elu", ""]), int_like()))
def test_activations_work_or_refuse(name):
    works_or_clear(
        lambda: activations.activation(name, [0.0, 1.0]), "name", "activation"
    )


# --- seeds, models, trainers -----------------------------------------------------


@SLOW
@given(
    seed=int_like(-(2**40), 2**40), deterministic=st.one_of(st.booleans(), int_like())
)
def test_set_seed_works_or_refuses(seed, deterministic, monkeypatch_module):
    works_or_clear(
        lambda: config.set_seed(seed, deterministic=deterministic),
        "seed must",
        "deterministic must",
    )


@pytest.fixture(scope="module")
def monkeypatch_module():
    """Op determinism would stay on for the whole test session: do not enable it."""
    import tensorflow as tf

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tf.config.experimental, "enable_op_determinism", lambda: None)
        yield mp


@SLOW
@given(depth=int_like(-1, 3), units=int_like(-1, 4))
def test_deep_mlp_works_or_refuses(depth, units):
    model = works_or_clear(
        lambda: models.deep_mlp(depth, units, input_dim=3), "depth", "units"
    )
    if model is not None:
        assert len(model.layers) == int(depth) + 1


@SLOW
@given(
    filters=st.one_of(
        st.lists(int_like(0, 3), min_size=0, max_size=3),
        st.lists(st.integers(1, 3), min_size=1, max_size=2).map(np.array),
        int_like(),
    ),
    pool=st.one_of(st.none(), int_like(0, 3)),
)
def test_lab_cnn_works_or_refuses(filters, pool):
    model = works_or_clear(
        lambda: models.lab_cnn(filters, pool_size=pool, input_shape=(12, 12, 1)),
        "filters",
        "pool_size",
        "too small",
    )
    if model is not None:
        assert model.output_shape == (None, 1)


@FAST
@given(x=small_arrays(), batch_size=int_like(-1, 4))
def test_predict_in_chunks_works_or_refuses(x, batch_size):
    out = works_or_clear(
        lambda: training.predict_in_chunks(lambda b: b * 2.0, x, batch_size),
        "batch_size",
        "x must",
    )
    if out is not None:
        np.testing.assert_array_equal(out, x * 2.0)
