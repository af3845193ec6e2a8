"""Recurrent networks: the lab's stateful RNNs, the s03 LSTM, the EEG RNN of s01.

Builders return *uncompiled* Keras 3 models unless their docstring says
otherwise; the notebooks compile them with the optimiser the sheet asks for.
Recurrent layers take ``config.precision_policy("recurrent")`` (float32 under
``CNNRNN_PRECISION=auto``: ``bench/precision.py``) and output layers are
float32 whatever the global policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import config
from .._args import check_choice, check_int, check_ints

if TYPE_CHECKING:
    import keras


_RNN_CELLS = {"simple": "SimpleRNN", "gru": "GRU", "lstm": "LSTM"}


def stateful_rnn(
    cell: str = "simple",
    units: int = 5,
    layers: int = 1,
    batch_size: int = 20,
    *,
    chunk: int | None = 50,
    units2: int | None = None,
    activation: str = "tanh",
    dense_layers: int = 1,
    n_features: int = 1,
) -> keras.Sequential:
    """A stateful recurrent network for sequence-to-sequence regression (lab Q6-9).

    ``Input(batch_size, chunk, n_features) -> RNN(units) [-> RNN(units2)] ->
    dense_layers x TimeDistributed(Dense(1))``.  Every RNN layer is
    ``stateful=True`` with ``return_sequences=True``: the hidden state at the end
    of one chunk is the start state of the next chunk of the same sequences,
    until :meth:`reset_state` (see :func:`cnnrnn_helpers.training.train_tbptt`).
    The output layer is linear, one value per time step.  The lab's GRU with
    25 units and two TimeDistributed dense layers has 2,128 parameters
    (GRU 2,100 with Keras' ``reset_after=True``, dense 26 and 2).

    Parameters
    ----------
    cell
        ``"simple"`` (SimpleRNN), ``"gru"`` or ``"lstm"``.
    units
        Hidden nodes of the first recurrent layer, >= 1.
    layers
        1 or 2 recurrent layers.
    batch_size
        Fixed number of sequences per batch (stateful layers need it), >= 1.
    chunk
        Time steps per call (the truncated-BPTT length), or None for any length.
    units2
        Hidden nodes of the second recurrent layer (default: ``units``).
    activation
        Activation of the recurrent layers, e.g. ``"tanh"`` or ``"relu"``.
    dense_layers
        Number of stacked ``TimeDistributed(Dense(1))`` output layers, >= 1.
    n_features
        Input values per time step.

    Returns
    -------
    keras.Sequential
        Built, uncompiled; input float32 (batch_size, chunk, n_features), output
        float32 (batch_size, chunk, 1).  The recurrent layers are named
        ``rnn_1`` (and ``rnn_2``).
    """
    import keras

    key = check_choice(cell, "cell", sorted(_RNN_CELLS))
    layers = check_int(layers, "layers", minimum=1, maximum=2)
    units, batch_size, dense_layers, n_features = check_ints(
        ("units", units, 1),
        ("batch_size", batch_size, 1),
        ("dense_layers", dense_layers, 1),
        ("n_features", n_features, 1),
    )
    chunk = check_int(chunk, "chunk", minimum=1, allow_none=True)
    units2 = check_int(units2, "units2", minimum=1, allow_none=True)
    rnn = getattr(keras.layers, _RNN_CELLS[key])
    sizes = [units] if layers == 1 else [units, units2 or units]
    stack: list[Any] = [keras.Input(shape=(chunk, n_features), batch_size=batch_size)]
    for i, size in enumerate(sizes, start=1):
        stack.append(
            rnn(
                size,
                activation=activation,
                stateful=True,
                return_sequences=True,
                name=f"rnn_{i}",
                dtype=config.precision_policy("recurrent"),
            )
        )
    stack += [
        keras.layers.TimeDistributed(keras.layers.Dense(1))
        for _ in range(dense_layers - 1)
    ]
    stack.append(  # the output stays float32 whatever the policy
        keras.layers.TimeDistributed(
            keras.layers.Dense(1, dtype="float32"), dtype="float32"
        )
    )
    return keras.Sequential(stack, name=f"stateful_{key}_{'x'.join(map(str, sizes))}")


def lstm_sum_classifier(units: int = 200, length: int = 30) -> keras.Sequential:
    """The LSTM of sheet s03 (H6.2): is the sum of a digit series >= 100?

    ``Input(length, 1) -> LSTM(units) -> Dense(1, sigmoid)``.  The LSTM reads
    one number per time step and hands only its last output ``h(length)``
    to the output neuron, whose value is the probability of class 1.
    Keras' default initialisation (Glorot uniform input kernel, orthogonal
    recurrent kernel, forget-gate bias 1).

    Parameters
    ----------
    units
        LSTM cells, >= 1 (the sheet: 200).
    length
        Time steps per series, >= 1 (the sheet: 30); ``None`` is not allowed
        so that the summary shows fixed shapes.

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, length, 1), e.g. the digits
        divided by 9; output (batch, 1) in (0, 1).  4*(units*(units + 1) +
        units) + units + 1 parameters: 161,801 for 200 units.
    """
    import keras

    units, length = check_ints(("units", units, 1), ("length", length, 1))
    return keras.Sequential(
        [
            keras.Input(shape=(length, 1)),
            keras.layers.LSTM(units, dtype=config.precision_policy("recurrent")),
            keras.layers.Dense(1, activation="sigmoid", dtype="float32"),
        ],
        name=f"lstm{units}_sum",
    )


def eeg_rnn(
    cell: str = "simple",
    *,
    length: int | None = 10,
    n_features: int = 14,
    n_classes: int = 2,
) -> keras.Sequential:
    """The recurrent network of sheet s01 task 5 (EEG eye state).

    As the sheet gives it: ``Input(length, n_features) ->
    TimeDistributed(Dense(128, relu)) -> TimeDistributed(Dense(256, relu)) ->
    RNN(128, return_sequences=True) -> RNN(128) -> Dense(128, relu) ->
    Dropout(0.5) -> Dense(64, relu) -> Dropout(0.5) -> Dense(n_classes,
    softmax)``, where RNN is ``SimpleRNN`` (``cell="simple"``) or ``LSTM``
    (``cell="lstm"``, task 5e).

    The sheet leaves the time axis open (``None``); ``length=None`` builds
    it so.  In Keras 3.15 training ``TimeDistributed`` then fails when the
    batches themselves have an unknown time axis when the step is traced
    (as ``keras.utils.timeseries_dataset_from_array`` declares them); with
    batches that state the window length (``data.windows.make_windows``) it
    trains.  The default fixes the window length (10); the parameter count
    is the same either way.

    Parameters
    ----------
    cell
        ``"simple"`` or ``"lstm"``.
    length
        Time steps per window, >= 1 (the sheet's windows: 10), or ``None``
        for an open time axis (see above).
    n_features
        Values per time step, >= 1 (14 EEG channels).
    n_classes
        Softmax outputs, >= 2 (eyes open / closed).

    Returns
    -------
    keras.Sequential
        Built, uncompiled.  Input float32 (batch, length, n_features), e.g.
        windows of 10 scaled readings; output (batch, n_classes)
        probabilities.  142,018 parameters with SimpleRNN and 388,546 with
        LSTM (for 14 features and 2 classes).
    """
    import keras

    cells = {"simple": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}
    if cell not in cells:
        raise ValueError(f"cell must be 'simple' or 'lstm', got {cell!r}")
    n_features, n_classes = check_ints(
        ("n_features", n_features, 1), ("n_classes", n_classes, 2)
    )
    length = check_int(length, "length", minimum=1, allow_none=True)
    rnn, recurrent = cells[cell], config.precision_policy("recurrent")
    return keras.Sequential(
        [
            keras.Input(shape=(length, n_features)),
            keras.layers.TimeDistributed(keras.layers.Dense(128, activation="relu")),
            keras.layers.TimeDistributed(keras.layers.Dense(256, activation="relu")),
            rnn(128, return_sequences=True, dtype=recurrent),
            rnn(128, dtype=recurrent),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(n_classes, activation="softmax", dtype="float32"),
        ],
        name="eeg_lstm" if cell == "lstm" else "eeg_simplernn",
    )
