"""Self-checks for the exercises: one line on success, one short message if not.

Every exercise in which a student writes code or works out a number has a
check here.  A notebook calls it right after the exercise, e.g.::

    checks.conv2d(convolve)              # sheet 1, task 4 (a)
    checks.model(cnn, "s05_small_cnn")   # sheet 5, problem 3
    checks.value("s05_small_cnn_params", by_hand_cnn)

Behaviour
---------
* **Right work** prints one line, ``✓ conv2d: 40 random cases agree with
  SciPy``, and the check returns a true :class:`Result` (which Jupyter does
  not echo as ``Out[...]``).
* **Wrong work** raises :class:`CheckFailed` (an ``AssertionError``) whose
  message names the first difference, small enough to read.  In Jupyter
  (IPython) the exception shows only that message, in red, without a
  traceback (it has IPython's ``_render_traceback_`` hook), and "Run all"
  stops there, so later cells do not run on top of wrong work.  Raising was
  chosen over printing because a printed failure scrolls away while the
  following cells go on and fail with confusing errors.  Call
  ``checks.raise_on_failure(False)`` to get a printed ``✗`` line and a
  false :class:`Result` instead (e.g. to try several variants in one cell).
* **A stub that is not written yet** (``raise NotImplementedError``) gives
  ``NotImplementedError: <check>: not written yet: fill in the cell above``,
  again without a traceback wall.

Answers a student works out by hand (parameter counts, the Sobel matrices)
live here, in the package, never in the student copy of a notebook.  The
failure messages say what is wrong and give a hint; they never print the
expected answer itself.
"""

from __future__ import annotations

import inspect
import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "REFERENCE_MODELS",
    "VALUES",
    "CheckFailed",
    "Result",
    "array",
    "backprop",
    "conv2d",
    "first_mistake",
    "length_batches",
    "mask",
    "max_pool2d",
    "model",
    "padding",
    "ragged",
    "raise_on_failure",
    "reference_model",
    "scaled",
    "sobel",
    "sum_series",
    "value",
    "windows",
]

_RAISE = True


def raise_on_failure(flag: bool = True) -> bool:
    """Choose how a failed check reports: raise (default) or print and return.

    Parameters
    ----------
    flag
        ``True``: a failed check raises :class:`CheckFailed`; ``False``: it
        prints a ``✗`` line and returns ``False``.

    Returns
    -------
    bool
        The previous setting.
    """
    global _RAISE
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"flag must be True or False, got {type(flag).__name__}")
    previous, _RAISE = _RAISE, bool(flag)
    return previous


class CheckFailed(AssertionError):
    """A self-check found a difference; the message says which one.

    IPython calls ``_render_traceback_`` instead of printing a traceback, so a
    notebook shows only the short message.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m✗ {self}\x1b[0m"]


class Result:
    """What a check returns: true if the work is right.

    It shows nothing in Jupyter (the check has printed its line already), so
    a check as the last line of a cell does not add an ``Out[...]: True``.
    """

    __slots__ = ("message", "ok")

    def __init__(self, ok: bool, message: str) -> None:
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Result(ok={self.ok}, message={self.message!r})"

    def _ipython_display_(self) -> None:
        """Display nothing: the line was printed when the check ran."""


def _ok(name: str, detail: str) -> Result:
    print(f"✓ {name}: {detail}")
    return Result(True, f"{name}: {detail}")


def _fail(name: str, message: str) -> Result:
    if _RAISE:
        raise CheckFailed(f"{name}: {message}") from None
    print(f"✗ {name}: {message}")
    return Result(False, f"{name}: {message}")


def _not_written(name: str) -> NotImplementedError:
    exc = NotImplementedError(
        f"{name}: not written yet: fill in the cell above (replace the "
        "`raise NotImplementedError` line by your code), then run this check again"
    )
    exc._render_traceback_ = lambda: [f"\x1b[31mNotImplementedError: {exc}\x1b[0m"]
    return exc


def _call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's function; a stub gives the friendly message."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise _not_written(name) from None


def _fmt(a: Any) -> str:
    arr = np.asarray(a)
    if arr.ndim == 0:
        return _num(arr.item())
    text = np.array2string(
        arr, precision=3, suppress_small=True, max_line_width=70, threshold=64
    )
    return "\n    " + text.replace("\n", "\n    ")


def _num(x: Any) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}"
    if isinstance(x, numbers.Real):
        return f"{float(x):.6g}"
    return repr(x)


def _as_array(name: str, got: Any, what: str) -> np.ndarray | None:
    try:
        arr = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    except (TypeError, ValueError):
        _fail(name, f"{what} is not an array (got {type(got).__name__})")
        return None
    if arr.dtype == object:
        _fail(name, f"{what} is not an array of numbers (got {type(got).__name__})")
        return None
    return arr


def _difference(expected: np.ndarray, got: np.ndarray, atol: float) -> str | None:
    """Describe the first difference of two arrays, or None if they agree."""
    if got.shape != expected.shape:
        return f"shape {got.shape}, expected {expected.shape}"
    if not np.issubdtype(got.dtype, np.number) and got.dtype != np.bool_:
        return f"dtype {got.dtype}, expected numbers"
    if np.issubdtype(expected.dtype, np.number) and not np.all(np.isfinite(got)):
        return "it contains NaN or infinite values"
    bad = ~np.isclose(got, expected, atol=atol, rtol=1e-6)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return (
        f"{int(bad.sum())} of {bad.size} entries differ; the first at index "
        f"{index}: {_num(got[index].item())} instead of "
        f"{_num(expected[index].item())}"
    )


def array(name: str, got: Any, expected: Any, *, atol: float = 1e-6) -> Result:
    """Compare an array with the expected one; name the first difference.

    Parameters
    ----------
    name
        What is checked, used in the message (e.g. ``"x_train"``).
    got, expected
        Array-likes (NumPy, lists, tensors with ``.numpy()``).
    atol
        Absolute tolerance of the comparison (relative tolerance 1e-6).

    Returns
    -------
    Result
        true if shapes and values agree (else see the module docstring).
    """
    arr = _as_array(name, got, name)
    if arr is None:
        return False
    diff = _difference(np.asarray(expected), arr, atol)
    if diff:
        return _fail(name, diff)
    return _ok(name, f"shape {arr.shape}, all {arr.size} values as expected")


# ------------------------------------------------------------- conv and pool


def _accepts(fn: Callable[..., Any], parameter: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return parameter in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )


def _check_cases(cases: Any) -> int:
    if isinstance(cases, (bool, np.bool_)) or not isinstance(cases, numbers.Integral):
        raise TypeError(f"cases must be an int, got {type(cases).__name__}")
    if cases < 1:
        raise ValueError(f"cases must be >= 1, got {cases}")
    return int(cases)


def _bad_input_notes(
    name: str, fn: Callable[..., Any], bad: Sequence[tuple[str, tuple]], strict: bool
) -> tuple[bool, list[str]]:
    """Try inputs the contract rejects; return (ok, notes on accepted ones)."""
    notes = []
    for label, args in bad:
        try:
            with np.errstate(all="ignore"):
                fn(*args)
        except NotImplementedError:
            raise _not_written(name) from None
        except (ValueError, TypeError, IndexError):
            continue
        except Exception as exc:  # any clear error is acceptable
            if strict and not isinstance(exc, (ValueError, TypeError)):
                notes.append(f"{label}: raised {type(exc).__name__}, not ValueError")
            continue
        notes.append(f"{label}: accepted without an error")
    if strict and notes:
        _fail(
            name,
            "the contract says bad input raises ValueError, but " + "; ".join(notes),
        )
        return False, notes
    return True, notes


def conv2d(
    fn: Callable[..., Any], *, cases: int = 40, seed: int = 0, strict: bool = False
) -> Result:
    """Check a hand-written 2-D convolution (valid, stride 1) on random cases.

    Parameters
    ----------
    fn
        ``fn(image, kernel)`` returning the ``(n-k+1, n-k+1)`` cross-
        correlation, as Keras' ``Conv2D`` computes it; if ``fn`` has a
        ``flip`` parameter, ``fn(image, kernel, flip=True)`` must give the true
        convolution (kernel rotated by 180 degrees).
    cases
        Number of random square cases (sizes 1..9, smallest first), each
        compared with ``scipy.signal.correlate2d`` / ``convolve2d``.
    seed
        Seed of the random cases.
    strict
        Also require ``ValueError``/``TypeError`` for the inputs the package's
        contract rejects (not 2-D, not square, kernel larger than the image,
        NaN).  Without it, accepting them is only noted.

    Returns
    -------
    Result
        true if every case agrees.
    """
    import scipy.signal

    name = "conv2d"
    cases = _check_cases(cases)
    rng = np.random.default_rng(seed)
    flip = _accepts(fn, "flip")
    specs = sorted(
        ((int(n), int(rng.integers(1, n + 1))) for n in rng.integers(1, 10, cases)),
        key=lambda nk: nk[0] * nk[0] + nk[1],
    )
    for n, k in specs:
        image = rng.integers(-4, 5, size=(n, n)).astype(float)
        kernel = rng.integers(-2, 3, size=(k, k)).astype(float)
        runs = [("", scipy.signal.correlate2d(image, kernel, mode="valid"), {})]
        if flip:
            runs.append(
                (
                    " with flip=True",
                    scipy.signal.convolve2d(image, kernel, mode="valid"),
                    {"flip": True},
                )
            )
        for label, expected, kwargs in runs:
            got = _call(name, fn, image.copy(), kernel.copy(), **kwargs)
            arr = _as_array(name, got, "the result")
            if arr is None:
                return False
            diff = _difference(expected, arr, 1e-8)
            if diff:
                hint = ""
                if arr.shape == expected.shape and np.allclose(
                    arr,
                    scipy.signal.convolve2d(image, kernel, mode="valid")
                    if not kwargs
                    else scipy.signal.correlate2d(image, kernel, mode="valid"),
                ):
                    hint = (
                        "\n  (this is the result of the other operation: "
                        "flip=True must rotate the kernel by 180°, flip=False not)"
                    )
                return _fail(
                    name,
                    f"{n}x{n} image, {k}x{k} kernel{label}: {diff}\n"
                    f"  image:{_fmt(image)}\n  kernel:{_fmt(kernel)}\n"
                    f"  expected:{_fmt(expected)}\n  got:{_fmt(arr)}{hint}",
                )
    bad = [
        ("a 3x4 (non-square) image", (np.zeros((3, 4)), np.ones((2, 2)))),
        ("a 3-D image", (np.zeros((4, 4, 1)), np.ones((2, 2)))),
        ("a 3x3 kernel on a 2x2 image", (np.zeros((2, 2)), np.ones((3, 3)))),
        ("an image with NaN", (np.full((3, 3), np.nan), np.ones((2, 2)))),
    ]
    ok, notes = _bad_input_notes(name, fn, bad, strict)
    if not ok:
        return False
    what = "and flip=True with convolve2d" if flip else "(no flip parameter)"
    tail = f"; note: {notes[0]} (the package raises ValueError)" if notes else ""
    return _ok(name, f"{cases} random cases agree with SciPy {what}{tail}")


def _brute_max_pool(image: np.ndarray, size: int, stride: int) -> np.ndarray:
    m = (image.shape[0] - size) // stride + 1
    return np.array(
        [
            [
                max(
                    image[i * stride + a, j * stride + b]
                    for a in range(size)
                    for b in range(size)
                )
                for j in range(m)
            ]
            for i in range(m)
        ]
    ).reshape(m, m)


def max_pool2d(
    fn: Callable[..., Any], *, cases: int = 40, seed: int = 0, strict: bool = False
) -> Result:
    """Check a hand-written max-pooling on random square cases.

    Parameters
    ----------
    fn
        ``fn(image, size)`` returning the ``(n-size+1)^2`` maxima of the
        overlapping windows (stride 1); if it has a ``stride`` parameter,
        ``fn(image, size, stride=s)`` must give ``floor((n-size)/s)+1`` rows.
    cases, seed, strict
        As in :func:`conv2d`; the reference is a brute-force maximum, the bad
        inputs are a size of 0, a size larger than the image, a non-square
        and a 3-D image.

    Returns
    -------
    Result
        true if every case agrees.
    """
    name = "max_pool2d"
    cases = _check_cases(cases)
    rng = np.random.default_rng(seed)
    has_stride = _accepts(fn, "stride")
    specs = []
    for n in rng.integers(1, 10, cases):
        size = int(rng.integers(1, n + 1))
        stride = int(rng.integers(1, 4)) if has_stride else 1
        specs.append((int(n), size, stride))
    specs.sort(key=lambda s: s[0] * s[0] + s[1])
    for n, size, stride in specs:
        image = rng.integers(-9, 10, size=(n, n)).astype(float)
        expected = _brute_max_pool(image, size, stride)
        kwargs = {"stride": stride} if has_stride else {}
        got = _call(name, fn, image.copy(), size, **kwargs)
        arr = _as_array(name, got, "the result")
        if arr is None:
            return False
        diff = _difference(expected, arr, 1e-8)
        if diff:
            return _fail(
                name,
                f"{n}x{n} image, size {size}, stride {stride}: {diff}\n"
                f"  image:{_fmt(image)}\n  expected:{_fmt(expected)}\n"
                f"  got:{_fmt(arr)}",
            )
    bad = [
        ("size 0", (np.zeros((3, 3)), 0)),
        ("size 4 on a 3x3 image", (np.zeros((3, 3)), 4)),
        ("a 3x4 (non-square) image", (np.zeros((3, 4)), 2)),
        ("a 3-D image", (np.zeros((4, 4, 1)), 2)),
    ]
    ok, notes = _bad_input_notes(name, fn, bad, strict)
    if not ok:
        return False
    what = "with strides 1-3" if has_stride else "(stride 1)"
    tail = f"; note: {notes[0]} (the package raises ValueError)" if notes else ""
    return _ok(name, f"{cases} random cases {what} agree with a brute-force max{tail}")


# -------------------------------------------------------------------- models


@dataclass(frozen=True)
class _Reference:
    build: Callable[[], Any]
    what: str


def _refs() -> dict[str, _Reference]:
    from . import models as m

    def keras_seq(*layers: Callable[[Any], Any]) -> Callable[[], Any]:
        def build() -> Any:
            import keras

            return keras.Sequential([f(keras) for f in layers])

        return build

    refs = {
        "s01_fashion_cnn": _Reference(
            lambda: m.fashion_cnn(pooling=False), "sheet 1 task 2: the CNN"
        ),
        "s01_fashion_cnn_pooled": _Reference(
            lambda: m.fashion_cnn(pooling=True), "sheet 1 task 2: with max-pooling"
        ),
        "s01_eeg_simple": _Reference(
            lambda: m.eeg_rnn("simple", length=None), "sheet 1 task 5: SimpleRNN"
        ),
        "s01_eeg_lstm": _Reference(
            lambda: m.eeg_rnn("lstm", length=None), "sheet 1 task 5: LSTM"
        ),
        "s01_vlen_lstm": _Reference(
            keras_seq(
                lambda k: k.Input(shape=(None, 1)),
                lambda k: k.layers.LSTM(16),
                lambda k: k.layers.Dense(5, activation="softmax"),
            ),
            "sheet 1 task 6: LSTM(16) for sequences of any length",
        ),
        "s01_vlen_lstm_masked": _Reference(
            keras_seq(
                lambda k: k.Input(shape=(None, 1)),
                lambda k: k.layers.Masking(mask_value=-1.0),
                lambda k: k.layers.LSTM(16),
                lambda k: k.layers.Dense(5, activation="softmax"),
            ),
            "sheet 1 task 6: Masking + LSTM(16)",
        ),
        "s01_cifar_scratch": _Reference(
            keras_seq(
                lambda k: k.Input(shape=(32, 32, 3)),
                lambda k: k.layers.Conv2D(16, 3, activation="relu"),
                lambda k: k.layers.MaxPooling2D(2),
                lambda k: k.layers.Conv2D(32, 3, activation="relu"),
                lambda k: k.layers.MaxPooling2D(2),
                lambda k: k.layers.Flatten(),
                lambda k: k.layers.Dense(1, activation="sigmoid"),
            ),
            "sheet 1 task 3: small CNN trained from scratch",
        ),
        "s02_svhn_cnn": _Reference(m.svhn_cnn, "sheet 2 task 5: SVHN CNN"),
        "s02_digit_cnn": _Reference(m.digit_cnn, "sheet 2 task 6: digit CNN"),
        "s03_linear": _Reference(m.mnist_linear, "sheet 3 H6.1: linear softmax"),
        "s03_mlp": _Reference(m.mnist_mlp, "sheet 3 H6.1: MLP 3x1500"),
        "s03_mlp_dropout": _Reference(
            lambda: m.mnist_mlp(dropout=0.5), "sheet 3 H6.1: MLP + dropout"
        ),
        "s03_cnn": _Reference(m.mnist_cnn, "sheet 3 H6.1: CNN"),
        "s03_lstm_sum": _Reference(
            m.lstm_sum_classifier, "sheet 3 H6.2: LSTM(200) sum classifier"
        ),
        "s04_lab_cnn_185": _Reference(m.lab_cnn, "sheet 4 Q1: the given network"),
        "s04_lab_cnn_text": _Reference(
            lambda: m.lab_cnn((4, 4), pool_size=2, dense_units=10),
            "sheet 4 Q1: the network of the lab's text",
        ),
        "s04_simple_5": _Reference(
            lambda: m.stateful_rnn("simple", 5), "sheet 4 Q6: SimpleRNN(5)"
        ),
        "s04_gru_3": _Reference(lambda: m.stateful_rnn("gru", 3), "sheet 4 Q8: GRU(3)"),
        "s04_gru_reverse": _Reference(
            lambda: m.stateful_rnn("gru", 25, dense_layers=2, activation="relu"),
            "sheet 4 Q9: GRU(25) + two TimeDistributed dense layers",
        ),
        "s05_dense_10": _Reference(
            lambda: m.deep_mlp(2, 10), "sheet 5 problem 1: 784-10-10-10"
        ),
        "s05_dense_64": _Reference(
            lambda: m.deep_mlp(2, 64), "sheet 5 problem 1: 784-64-64-10"
        ),
        "s05_small_cnn": _Reference(m.small_cnn, "sheet 5 problem 3: small CNN"),
        "s05_strided_cnn": _Reference(
            lambda: m.small_cnn(strides=True), "sheet 5 problem 4: strided CNN"
        ),
    }
    for depth in (5, 20, 40):
        for act in ("relu", "tanh", "sigmoid", "lecun_tanh"):
            refs[f"s02_mlp_{depth}_{act}"] = _Reference(
                lambda d=depth, a=act: m.deep_mlp(d, 32, activation=a),
                f"sheet 2: MLP with {depth} hidden layers of 32 {act} units",
            )
    return refs


#: Names accepted by :func:`model` (filled on first use; see ``reference_model``).
REFERENCE_MODELS: dict[str, str] = {}


def reference_model(name: str) -> Any:
    """Build the sheet's network registered under ``name`` (a fresh Keras model).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    refs = _refs()
    REFERENCE_MODELS.update({k: r.what for k, r in refs.items()})
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in refs:
        raise ValueError(f"unknown model name {name!r}; known: {', '.join(refs)}")
    return refs[name].build()


def _layer_row(layer: Any) -> tuple[str, tuple, int, str | None]:
    shape = layer.output.shape
    if isinstance(shape, list):
        shape = shape[0]
    activation = None
    try:
        act = layer.get_config().get("activation")
        activation = act if isinstance(act, str) else None
    except Exception:  # layers without a config
        activation = None
    return type(layer).__name__, tuple(shape), int(layer.count_params()), activation


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def model(net: Any, name: str) -> Result:
    """Compare a student's Keras model with the sheet's network ``name``.

    Layer by layer: the kind (``Conv2D``, ``MaxPooling2D`` ...), the output
    shape (the batch axis is not compared, so stateful models with a fixed
    batch size match), the parameter count and the activation; then the
    total parameter count.

    Parameters
    ----------
    net
        A built Keras model (``keras.Sequential`` or functional).
    name
        A key of the registry, e.g. ``"s05_small_cnn"``, ``"s01_fashion_cnn"``,
        ``"s04_lab_cnn_185"``, ``"s04_gru_reverse"`` (see
        :func:`reference_model` for the list).

    Returns
    -------
    Result
        true if everything matches.

    Examples
    --------
    >>> checks.model(models.small_cnn(), "s05_small_cnn")  # doctest: +SKIP
    ✓ s05_small_cnn: 5 layers, output shapes and 3,330 parameters as on the sheet
    """
    ref = reference_model(name)
    check = f"model {name}"
    if net is None:
        return _fail(check, "got None: the cell above must assign the model")
    layers = getattr(net, "layers", None)
    if layers is None:
        return _fail(check, f"expected a Keras model, got {type(net).__name__}")
    layers = [la for la in layers if type(la).__name__ != "InputLayer"]
    try:
        got = [_layer_row(layer) for layer in layers]
    except (AttributeError, ValueError):
        return _fail(
            check,
            "the model is not built: start it with keras.Input(shape=...) so "
            "that every layer has an output shape",
        )
    want = [_layer_row(layer) for layer in ref.layers]
    for i, (w, g) in enumerate(zip(want, got), start=1):
        wkind, wshape, wparams, wact = w
        gkind, gshape, gparams, gact = g
        if wkind != gkind or wshape[1:] != gshape[1:]:
            return _fail(
                check,
                f"layer {i}: expected {wkind} {_shape_text(wshape)}, got {gkind} "
                f"{_shape_text(gshape)}",
            )
        if wparams != gparams:
            return _fail(
                check,
                f"layer {i} ({wkind} {_shape_text(wshape)}): {gparams:,} parameters, "
                f"the sheet's layer has a different number (check units, filters "
                f"and kernel size)",
            )
        if wact and gact and wact != gact:
            return _fail(
                check, f"layer {i} ({wkind}): activation {gact!r}, expected {wact!r}"
            )
    if len(got) < len(want):
        w = want[len(got)]
        return _fail(
            check,
            f"layer {len(got) + 1}: expected {w[0]} {_shape_text(w[1])}, "
            f"but your model ends after {len(got)} layer{'s' * (len(got) != 1)}",
        )
    if len(got) > len(want):
        g = got[len(want)]
        return _fail(
            check,
            f"layer {len(want) + 1}: got an extra {g[0]} {_shape_text(g[1])}; the "
            f"sheet's network ends after {len(want)} layers",
        )
    total = sum(row[2] for row in got)
    return _ok(
        check,
        f"{len(got)} layers, output shapes and {total:,} parameters as on the sheet",
    )


# -------------------------------------------------------- hand-computed values


@dataclass(frozen=True)
class _Value:
    value: float | tuple[float, ...]
    hint: str
    rtol: float = 0.0


VALUES: dict[str, _Value] = {
    "s01_cnn_params": _Value(
        2_435_082,
        "add (kernel height x width x input channels + 1) x filters for each "
        "Conv2D and (inputs + 1) x units for each Dense layer",
    ),
    "s01_cnn_pooled_params": _Value(
        178_186, "only the Dense layer after Flatten changes: how many values reach it?"
    ),
    "s01_cnn_flatten": _Value(36_864, "height x width x channels after conv 2"),
    "s01_cnn_pooled_flatten": _Value(1_600, "each 2x2 pool halves the side (floor)"),
    "s01_vlen_lstm_params": _Value(
        1_237, "an LSTM layer has 4 x (units x (inputs + units) + units) parameters"
    ),
    "s02_relu_derivative_range": _Value((0.0, 1.0), "relu'(z) is 0 or 1"),
    "s02_tanh_derivative_range": _Value(
        (0.0, 1.0), "tanh'(z) = 1 - tanh(z)^2; where is it largest?"
    ),
    "s02_sigmoid_derivative_range": _Value(
        (0.0, 0.25), "sigmoid'(z) = s(z)(1 - s(z)); where is it largest?"
    ),
    "s02_lecun_derivative_range": _Value(
        (0.01, 1.7159 * 2 / 3 + 0.01),
        "f'(z) = 1.7159 (2/3) (1 - tanh(2z/3)^2) + 0.01",
        1e-4,
    ),
    "s02_svhn_params": _Value(26_979, "conv: (3 x 3 x channels + 1) x filters"),
    "s03_linear_params": _Value(7_850, "784 inputs x 10 classes + 10 biases"),
    "s03_mlp_params": _Value(
        5_695_510, "three hidden layers of 1500: inputs x units + units each"
    ),
    "s03_cnn_params": _Value(
        83_466, "5x5 kernels: (5 x 5 x channels + 1) x filters; 7 x 7 x 64 to Dense"
    ),
    "s04_lab_params": _Value(
        185, "28 -> conv 26 -> pool 8 -> conv 6 -> pool 2: how many values reach Dense?"
    ),
    "s04_lab_text_params": _Value(1_209, "4 + 4 kernels, 2x2 pooling, Dense(10)"),
    "s04_gru_reverse_params": _Value(
        2_128,
        "Keras' GRU (reset_after=True) has 3 x (units x (inputs + units) + 2 x units)",
    ),
    "s05_dense_params": _Value(
        8_070, "count weights and biases: inputs x units + units, for each layer"
    ),
    "s05_dense_wide_params": _Value(55_050, "the same sum with 64 hidden units"),
    "s05_default_lr": _Value(0.01, "keras.optimizers.SGD().learning_rate"),
    "s05_conv1_params": _Value(160, "16 filters x (3 x 3 x 1 + 1)"),
    "s05_conv2_params": _Value(1_160, "8 filters, each sees 3 x 3 x 16 values + bias"),
    "s05_cnn_side": _Value(5, "28 -> conv -> pool -> conv -> pool (floor division)"),
    "s05_cnn_dense_params": _Value(2_010, "(side x side x 8) x 10 + 10"),
    "s05_small_cnn_params": _Value(3_330, "conv 1 + conv 2 + dense"),
    "s05_strided_side": _Value(
        6, "a stride-2 valid convolution gives floor((n - 3) / 2) + 1"
    ),
    "s05_strided_params": _Value(4_210, "the convolutions are unchanged; the dense?"),
}


def _as_number(x: Any) -> float | None:
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return None
    return float(x)


def value(name: str, x: Any) -> Result:
    """Check a number (or a pair of numbers) worked out by hand.

    The right answers are stored in :data:`VALUES`, not in the notebook, so
    that a student copy does not give them away; a wrong answer gets a hint,
    not the answer.

    Parameters
    ----------
    name
        Key of :data:`VALUES`, e.g. ``"s05_dense_params"`` (8070 on sheet 5),
        ``"s05_small_cnn_params"``, ``"s04_lab_params"``, ``"s01_cnn_params"``.
    x
        The student's number: Python or NumPy int/float (a 0-d array or a
        tensor is fine), or a tuple such as ``(low, high)`` for ranges.

    Returns
    -------
    Result
        true if right.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in VALUES:
        raise ValueError(f"unknown value name {name!r}; known: {', '.join(VALUES)}")
    ref = VALUES[name]
    expected = ref.value if isinstance(ref.value, tuple) else (ref.value,)
    items = list(x) if isinstance(x, (tuple, list)) else [x]
    if x is None or x is Ellipsis:
        return _fail(name, "no value yet: assign your result in the cell above")
    if len(items) != len(expected):
        return _fail(name, f"expected {len(expected)} number(s), got {len(items)}")
    got = [_as_number(v) for v in items]
    if any(g is None for g in got):
        return _fail(name, f"expected a number, got {type(items[0]).__name__}")
    for k, (g, e) in enumerate(zip(got, expected)):
        # float32 answers (e.g. a learning rate read from Keras) are fine
        rtol = ref.rtol or (0.0 if float(e).is_integer() else 1e-6)
        tol = max(rtol * abs(e), 1e-12)
        if not math.isclose(g, e, rel_tol=0, abs_tol=tol):
            where = f"entry {k + 1}: " if len(expected) > 1 else ""
            direction = "too small" if g < e else "too large"
            return _fail(
                name, f"{where}{_num(items[k])} is not right ({direction}); {ref.hint}"
            )
    shown = ", ".join(_num(v) for v in items)
    return _ok(name, f"{shown} is right")


# ----------------------------------------------------------------------- Sobel


def _sobel_setup() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    i_a = np.zeros((5, 5), dtype=int)
    i_a[:, 2] = 1
    k_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    return {"K_x": k_x, "K_y": k_x.T.copy()}, {"I_A": i_a, "I_B": i_a.T.copy()}


def sobel(by_hand: Mapping[tuple[str, str], Any]) -> Result:
    """Check the four hand-computed Sobel convolutions of sheet 5, problem 2.

    Parameters
    ----------
    by_hand
        ``{("K_x", "I_A"): matrix, ("K_y", "I_A"): ..., ("K_x", "I_B"): ...,
        ("K_y", "I_B"): ...}``: the 5x5 results of the true convolution
        (kernel rotated) with ``"nearest"`` borders, where ``I_A`` has a
        vertical and ``I_B`` a horizontal line in the middle, and ``K_x``,
        ``K_y`` are the Sobel kernels.  Some keys may be missing (checked:
        the ones given); at least one is needed.

    Returns
    -------
    Result
        true if every given matrix is right.  On a wrong one the message
        gives the first wrong entry and a hint (a flipped sign means the
        kernel was not rotated; a wrong border row means zero padding).
    """
    import scipy.ndimage

    name = "sobel"
    if not isinstance(by_hand, Mapping) or not by_hand:
        return _fail(
            name, 'expected a dict such as {("K_x", "I_A"): matrix, ...} with results'
        )
    kernels, images = _sobel_setup()
    for key, got in by_hand.items():
        if (
            not isinstance(key, tuple)
            or len(key) != 2
            or key[0] not in kernels
            or key[1] not in images
        ):
            return _fail(
                name, f"unknown key {key!r}; use ('K_x' or 'K_y', 'I_A' or 'I_B')"
            )
        label = f"{key[0]} * {key[1]}"
        kernel, image = kernels[key[0]], images[key[1]]
        expected = scipy.ndimage.convolve(image, kernel, mode="nearest")
        arr = _as_array(name, got, label)
        if arr is None:
            return False
        if arr.shape != expected.shape:
            return _fail(
                name,
                f"{label}: shape {arr.shape}, the image is 5x5 and so is the result",
            )
        if np.allclose(arr, expected):
            continue
        if np.allclose(arr, -expected) and expected.any():
            hint = "every sign is flipped: convolution rotates the kernel by 180°"
        elif np.allclose(arr, scipy.ndimage.convolve(image, kernel, mode="constant")):
            hint = "the border is wrong: 'nearest' repeats the edge pixel, not zeros"
        else:
            hint = "lay the rotated kernel over each 3x3 neighbourhood and add up"
        r, c = (int(i) for i in np.argwhere(~np.isclose(arr, expected))[0])
        return _fail(
            name, f"{label}: row {r}, column {c} (counting from 0) is wrong; {hint}"
        )
    return _ok(name, f"{len(by_hand)} matrices agree with scipy.ndimage.convolve")


# ----------------------------------------------------------- data steps


def scaled(x: Any, raw: Any, *, channel_axis: bool | None = None) -> Result:
    """Check images scaled from uint8 0..255 to float32 in [0, 1].

    Parameters
    ----------
    x
        The student's array: ``raw / 255`` as float32, optionally with a
        trailing channel axis of length 1 (``channel_axis=True`` requires it,
        ``False`` forbids it, ``None`` accepts both) or flattened to
        (n, height*width) when ``raw`` is (n, height, width) and
        ``channel_axis`` is None.
    raw
        The loader's uint8 images, e.g. ``ds.x_train``.

    Returns
    -------
    Result
    """
    name = "scaled images"
    arr = _as_array(name, x, "x")
    if arr is None:
        return False
    raw = np.asarray(raw)
    shapes = {
        True: [(*raw.shape, 1)],
        False: [raw.shape],
        None: [raw.shape, (*raw.shape, 1), (len(raw), int(np.prod(raw.shape[1:])))],
    }[channel_axis if channel_axis is None else bool(channel_axis)]
    if arr.shape not in shapes:
        return _fail(
            name,
            f"shape {arr.shape}, expected " + " or ".join(str(s) for s in shapes),
        )
    if arr.dtype != np.float32:
        return _fail(name, f"dtype {arr.dtype}, expected float32 (.astype('float32'))")
    if arr.size and float(arr.max()) > 1.0 + 1e-6:
        return _fail(name, f"the largest value is {arr.max():g}: divide by 255")
    diff = _difference(raw.reshape(arr.shape).astype(np.float32) / 255.0, arr, 1e-6)
    if diff:
        return _fail(name, diff)
    return _ok(name, f"{arr.shape} float32 in [0, 1], equal to the images / 255")


def windows(
    dataset: Any, x: Any, y: Any, length: int = 10, *, shuffled: bool | None = None
) -> Result:
    """Check sliding windows: inputs ``x[i:i+length]``, target ``y[i+length-1]``.

    Parameters
    ----------
    dataset
        A ``tf.data.Dataset`` of ``(inputs, targets)`` batches, e.g. from
        ``keras.utils.timeseries_dataset_from_array``, or a pair of arrays
        ``(windows, targets)``.
    x, y
        The series (n, features) and its labels (n,).
    length
        Rows per window (the sheet: 10).
    shuffled
        Whether the windows may come in any order (``None``: accept both).

    Returns
    -------
    Result
        true if there are exactly ``n - length + 1`` windows, each a slice
        of ``x`` labelled with the label of its last row, every start once.
    """
    name = "windows"
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if isinstance(dataset, tuple) and len(dataset) == 2:
        batches: Iterable[Any] = [dataset]
    else:
        batches = dataset
    inputs, targets = [], []
    try:
        for xb, yb in batches:
            inputs.append(np.asarray(xb))
            targets.append(np.asarray(yb))
    except NotImplementedError:
        raise _not_written(name) from None
    except (TypeError, ValueError) as exc:
        return _fail(name, f"expected (inputs, targets) batches: {exc}")
    if not inputs:
        return _fail(name, "the dataset is empty")
    w, t = np.concatenate(inputs), np.concatenate(targets)
    n_expected = len(x) - length + 1
    if w.ndim != 3 or w.shape[1:] != (length, x.shape[1]):
        return _fail(
            name, f"window shape {w.shape[1:]}, expected ({length}, {x.shape[1]})"
        )
    if len(w) != n_expected:
        return _fail(
            name,
            f"{len(w)} windows, expected {n_expected} (n - length + 1 for "
            f"n = {len(x)}, length {length}: one per start position, stride 1)",
        )
    starts: dict[bytes, list[int]] = {}
    for i in range(n_expected):
        starts.setdefault(x[i].tobytes(), []).append(i)
    found = []
    for j in range(len(w)):
        hit = next(
            (
                i
                for i in starts.get(w[j, 0].astype(np.float32).tobytes(), [])
                if np.array_equal(x[i : i + length], w[j])
            ),
            None,
        )
        if hit is None:
            return _fail(name, f"window {j} is not {length} consecutive rows of x")
        if t[j] != y[hit + length - 1]:
            guess = " (the label of its first row?)" if t[j] == y[hit] else ""
            return _fail(
                name,
                f"window {j} (rows {hit}..{hit + length - 1}) has target {t[j]}, "
                f"expected the label of its last row{guess}",
            )
        found.append(hit)
    in_order = found == list(range(n_expected))
    if shuffled is False and not in_order:
        return _fail(name, "the windows are shuffled; keep them in time order here")
    if sorted(found) != list(range(n_expected)):
        return _fail(name, "some start positions repeat and others are missing")
    order = "in time order" if in_order else "shuffled"
    return _ok(name, f"{len(w)} windows of {length} rows, {order}, targets right")


def sum_series(x: Any, y: Any, *, threshold: int = 100) -> Result:
    """Check the labels of sheet 3's sum series: 1 where the sum >= threshold.

    Parameters
    ----------
    x
        (n, length) integers 0..9.
    y
        (n,) labels 0/1 (or (n, 1)).
    """
    name = "sum-series labels"
    xa = np.asarray(x)
    ya = np.asarray(y).reshape(-1)
    if xa.ndim != 2 or len(ya) != len(xa):
        return _fail(name, f"x {xa.shape} and y {np.shape(y)}: one label per series")
    expected = (xa.sum(axis=1) >= threshold).astype(int)
    if not np.array_equal(ya.astype(int), expected):
        k = int(np.flatnonzero(ya.astype(int) != expected)[0])
        return _fail(
            name,
            f"series {k} sums to {int(xa[k].sum())} and has label {ya[k]}; the label "
            f"is 1 exactly when the sum is >= {threshold}",
        )
    return _ok(name, f"{len(ya)} labels, {int(expected.sum())} of them 1")


def padding(
    padded: Any,
    sequences: Sequence[Any],
    *,
    max_len: int = 11,
    pad: float = -1.0,
    where: str = "post",
) -> Result:
    """Check padded sequences: shape (n, max_len, 1), values first, ``pad`` after.

    Parameters
    ----------
    padded
        The student's array (n, max_len) or (n, max_len, 1).
    sequences
        The original 1-D sequences.
    max_len, pad, where
        Target length, padding value, ``"post"`` (pad at the end) or ``"pre"``.
    """
    name = "padding"
    arr = _as_array(name, padded, "padded")
    if arr is None:
        return False
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.shape != (len(sequences), max_len):
        return _fail(
            name, f"shape {arr.shape}, expected ({len(sequences)}, {max_len}, 1)"
        )
    for i, seq in enumerate(sequences):
        seq = np.asarray(seq, dtype=np.float32)
        row = np.full(max_len, pad, dtype=np.float32)
        if where == "post":
            row[: len(seq)] = seq
        else:
            row[max_len - len(seq) :] = seq
        if not np.allclose(arr[i], row):
            return _fail(
                name,
                f"sequence {i} (length {len(seq)}): got{_fmt(arr[i])}\n  expected "
                f"its values {'first' if where == 'post' else 'last'}, "
                f"the rest {pad:g}",
            )
    return _ok(name, f"{arr.shape[0]} sequences padded to {max_len} with {pad:g}")


def mask(mask_values: Any, lengths: Sequence[int], *, where: str = "post") -> Result:
    """Check a padding mask: True for real time steps, False for padding."""
    name = "mask"
    arr = _as_array(name, mask_values, "mask")
    if arr is None:
        return False
    lengths = [int(n) for n in lengths]
    if arr.ndim != 2 or len(arr) != len(lengths):
        return _fail(name, f"shape {arr.shape}, expected ({len(lengths)}, max_len)")
    steps = np.arange(arr.shape[1])
    for i, n in enumerate(lengths):
        want = steps < n if where == "post" else steps >= arr.shape[1] - n
        if not np.array_equal(arr[i].astype(bool), want):
            return _fail(
                name,
                f"row {i} (length {n}): got {arr[i].astype(int)}, expected "
                f"{want.astype(int)}",
            )
    return _ok(name, f"{len(lengths)} rows mark exactly the real time steps")


def ragged(tensor: Any, sequences: Sequence[Any]) -> Result:
    """Check a ragged tensor that recovers the unpadded sequences."""
    name = "ragged"
    try:
        rows = tensor.to_list()
    except AttributeError:
        return _fail(name, f"expected a tf.RaggedTensor, got {type(tensor).__name__}")
    if len(rows) != len(sequences):
        return _fail(name, f"{len(rows)} rows, expected {len(sequences)}")
    for i, (row, seq) in enumerate(zip(rows, sequences)):
        row = np.asarray(row, dtype=np.float32).reshape(-1)
        seq = np.asarray(seq, dtype=np.float32)
        if row.shape != seq.shape:
            return _fail(
                name, f"row {i} has {len(row)} values, the sequence has {len(seq)}"
            )
        if not np.allclose(row, seq):
            return _fail(name, f"row {i}: values differ from sequence {i}")
    return _ok(name, f"{len(rows)} rows equal the unpadded sequences")


def length_batches(
    fn: Callable[..., Any],
    sequences: Sequence[Any],
    labels: Any,
    batch_size: int = 32,
    seed: int = 0,
) -> Result:
    """Check a generator of same-length batches (sheet 1 task 6).

    ``fn(sequences, labels, batch_size, seed)`` must yield ``(x, y)`` with x
    float32 (b, length, 1), all sequences of a batch of one length,
    ``b <= batch_size``, y the labels of those sequences, every sequence
    exactly once per pass.
    """
    name = "length_batches"
    labels = np.asarray(labels)
    seen: list[int] = []
    index: dict[bytes, list[int]] = {}
    for i, s in enumerate(sequences):
        index.setdefault(np.asarray(s, np.float32).tobytes(), []).append(i)
    try:
        batches = list(fn(sequences, labels, batch_size, seed))
    except NotImplementedError:
        raise _not_written(name) from None
    for b, item in enumerate(batches):
        try:
            xb, yb = (np.asarray(v) for v in item)
        except (TypeError, ValueError):
            return _fail(name, f"batch {b}: expected a pair (x, y)")
        if xb.ndim != 3 or xb.shape[2] != 1:
            return _fail(
                name, f"batch {b}: x has shape {xb.shape}, expected (b, length, 1)"
            )
        if xb.dtype != np.float32:
            return _fail(name, f"batch {b}: x has dtype {xb.dtype}, expected float32")
        if len(xb) > batch_size or len(xb) != len(yb):
            return _fail(
                name,
                f"batch {b}: {len(xb)} sequences and {len(yb)} labels "
                f"(at most {batch_size})",
            )
        for row, label in zip(xb[:, :, 0], yb):
            hits = index.get(row.tobytes(), [])
            if not hits:
                return _fail(name, f"batch {b}: a row is not one of the sequences")
            i = next((h for h in hits if h not in seen), hits[0])
            if labels[i] != label:
                return _fail(name, f"batch {b}: sequence {i} has the wrong label")
            seen.append(i)
    if sorted(seen) != list(range(len(sequences))):
        missing = len(set(range(len(sequences))) - set(seen))
        return _fail(
            name, f"{missing} sequence(s) missing or repeated in one pass over the data"
        )
    return _ok(name, f"{len(batches)} batches, one length each, every sequence once")


def first_mistake(
    shown: Sequence[int], predictions: Any, y_true: Any, label: int
) -> Result:
    """Check the "show until the first misclassification" loop (sheet 5, 1j).

    ``shown`` lists the test indices the loop displayed, in order: every item
    predicted as ``label`` up to and including the first one whose true class
    differs.
    """
    name = "first_mistake"
    pred = np.asarray(predictions).reshape(-1)
    y = np.asarray(y_true).reshape(-1)
    expected = []
    for i in np.flatnonzero(pred == label):
        expected.append(int(i))
        if y[i] != label:
            break
    got = [int(i) for i in shown]
    if got != expected:
        k = next(
            (j for j, (a, b) in enumerate(zip(got, expected)) if a != b),
            min(len(got), len(expected)),
        )
        return _fail(
            name,
            f"the loop showed {len(got)} items; they differ from the expected ones "
            f"at position {k} (show every item predicted as {label}, stop after "
            f"the first wrong one)",
        )
    if not got:
        return _ok(name, f"no item is predicted as {label}, so the loop shows none")
    stop = "stops at the first mistake" if y[got[-1]] != label else "finds no mistake"
    return _ok(name, f"the loop shows {len(got)} item(s) and {stop}")


def backprop(
    fn: Callable[..., Any], *, activations: Sequence[str] = ("relu", "tanh", "sigmoid")
) -> Result:
    """Check hand-written backpropagation against TensorFlow's autodiff.

    ``fn(weights, x, y, name)`` gets ``weights`` = [(kernel, bias), ...] of a
    softmax MLP (hidden layers first), a batch ``x`` (n, inputs), one-hot
    ``y`` (n, classes) and an activation name, and returns dC/dW for each
    kernel, C being the mean categorical cross-entropy over the batch.
    """
    import tensorflow as tf

    from . import activations as act_mod

    name = "backprop"
    rng = np.random.default_rng(0)
    sizes = [5, 4, 3, 3]
    weights = [
        (rng.normal(size=(a, b)) * 0.7, rng.normal(size=b) * 0.1)
        for a, b in itertools.pairwise(sizes)
    ]
    x = rng.normal(size=(6, sizes[0]))
    y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 6)]
    for act in activations:
        kernels = [tf.Variable(k) for k, _ in weights]
        with tf.GradientTape() as tape:
            a = tf.constant(x)
            for layer, (kernel, (_, bias)) in enumerate(zip(kernels, weights)):
                z = a @ kernel + bias
                if layer < len(weights) - 1:
                    a = (
                        {"relu": tf.nn.relu, "tanh": tf.tanh, "sigmoid": tf.sigmoid}[
                            act
                        ](z)
                        if act != "lecun_tanh"
                        else act_mod.lecun_tanh(z)
                    )
            loss = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)
            )
        expected = [g.numpy() for g in tape.gradient(loss, kernels)]
        got = _call(name, fn, [(k.copy(), b.copy()) for k, b in weights], x, y, act)
        if len(got) != len(expected):
            return _fail(
                name, f"{act}: {len(got)} gradients for {len(expected)} layers"
            )
        for layer, (g, e) in enumerate(zip(got, expected), start=1):
            arr = _as_array(name, g, f"the gradient of layer {layer}")
            if arr is None:
                return False
            diff = _difference(e, arr, 1e-8)
            if diff:
                hint = ""
                if arr.shape == e.shape and np.allclose(arr, e * len(x)):
                    hint = (
                        " (a factor n too large: the cost is the mean over the batch)"
                    )
                return _fail(
                    name, f"{act}, layer {layer} of {len(expected)}: {diff}{hint}"
                )
    return _ok(
        name,
        f"gradients of a {'-'.join(map(str, sizes))} network agree with TensorFlow "
        f"for {', '.join(activations)}",
    )


# ------------------------------------------- a network of the student's design


def classifier(net: Any, input_shape: Sequence[int], n_classes: int) -> Result:
    """Check that a network of one's own design fits a classification task.

    For exercises that leave the architecture open (sheet 4, questions 4 and
    5): the layers are free, only the interface is checked.

    Parameters
    ----------
    net
        A built Keras model.
    input_shape
        The shape of one example without the batch axis, e.g. ``(64, 64, 1)``.
    n_classes
        Number of classes: the output layer needs ``n_classes`` units with a
        softmax (or, for ``n_classes == 1``, one sigmoid unit).

    Returns
    -------
    Result
        true if input shape, output shape and output activation fit.

    Raises
    ------
    TypeError, ValueError
        If ``input_shape`` or ``n_classes`` is not valid.
    """
    name = "classifier"
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(
        n_classes, numbers.Integral
    ):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}")
    if n_classes < 1:
        raise ValueError(f"n_classes must be >= 1, got {n_classes}")
    try:
        want_in = tuple(int(d) for d in input_shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"input_shape must be a sequence of ints, got {input_shape!r}"
        ) from None
    if net is None:
        return _fail(name, "got None: the cell above must assign the model")
    layers = getattr(net, "layers", None)
    if layers is None:
        return _fail(name, f"expected a Keras model, got {type(net).__name__}")
    try:
        got_in = tuple(net.inputs[0].shape)[1:]
        last = [la for la in layers if type(la).__name__ != "InputLayer"][-1]
        got_out = tuple(_layer_row(last)[1])[1:]
    except (AttributeError, IndexError, ValueError, TypeError):
        return _fail(
            name,
            "the model is not built: start it with keras.Input(shape=...) so "
            "that every layer has an output shape",
        )
    if got_in != want_in:
        return _fail(
            name, f"input shape {_shape_text(got_in)}, expected {_shape_text(want_in)}"
        )
    if got_out != (n_classes,):
        return _fail(
            name,
            f"the last layer gives {_shape_text(got_out)}, expected "
            f"{_shape_text((n_classes,))}: one output per class",
        )
    activation = _layer_row(last)[3]
    want_act = "sigmoid" if n_classes == 1 else "softmax"
    if activation != want_act:
        return _fail(
            name,
            f"the last layer's activation is {activation!r}, expected {want_act!r} "
            f"(outputs that are class probabilities)",
        )
    return _ok(
        name,
        f"{_shape_text(want_in)} in, {n_classes} class probabilities ({want_act}) out",
    )
# ------------------------------------------- more reference networks (sheet 2)

_refs_before_s02 = _refs


def _refs() -> dict[str, _Reference]:  # extends the registry above
    from . import models as m

    refs = _refs_before_s02()
    refs["s02_svhn_cnn_sheet"] = _Reference(
        lambda: m.svhn_cnn(pool_strides=3),
        "sheet 2 task 5: SVHN CNN in the sheet's layout (pooling stride 3)",
    )
    return refs
