"""Plots shared by the notebooks, and the presenter style for live sessions.

Every function returns the Matplotlib figure it drew (notebooks show it
automatically with the inline backend).  Images follow the NHWC convention:
a batch is (n, height, width) or (n, height, width, channels) with 1 or 3
channels, uint8 in [0, 255] or float in [0, 1] (other float ranges are
shown with per-image contrast stretching).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from . import config, models

if TYPE_CHECKING:
    import keras

__all__ = [
    "OKABE_ITO",
    "feature_maps_by_image",
    "feature_maps_by_layer",
    "feature_maps_of_image",
    "image_grid",
    "image_table",
    "layer_outputs",
    "marked_image_grid",
    "plot_confusion_matrix",
    "plot_gradient_grid",
    "plot_heatmap",
    "plot_history",
    "plot_labelled_series",
    "plot_prob_vs_value",
    "plot_rnn_nodes",
    "plot_sequences",
    "plot_series",
    "presenter",
    "prob_bars",
    "use_style",
]

#: Colour-blind-safe palette (Okabe & Ito, 2008), used in presenter mode.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

_NORMAL = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 90,
    "axes.grid": False,
    "font.size": 10,
}
_PRESENTER = {
    "figure.figsize": (12.0, 6.75),  # 16:9, fills a shared screen
    "figure.dpi": 110,
    "font.size": 17,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "lines.linewidth": 3.0,
    "lines.markersize": 9,
    "axes.linewidth": 1.6,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
    "image.cmap": "viridis",
}


def use_style(present: bool | None = None) -> bool:
    """Apply the notebook style; presenter style if asked.

    Parameters
    ----------
    present
        ``True`` for the presenter style (large fonts, thick lines,
        colour-blind-safe colours, 16:9 figures), ``False`` for the normal one,
        ``None`` to follow the environment variable ``CNNRNN_PRESENT``
        (any value but empty or ``0`` means on).

    Returns
    -------
    bool
        Whether presenter style is now active.
    """
    if present is None:
        present = config.presenter_mode()
    mpl.rcParams.update(mpl.rcParamsDefault)
    mpl.rcParams.update(_NORMAL)
    if present:
        mpl.rcParams.update(_PRESENTER)
    return bool(present)


def presenter(on: bool = True) -> bool:
    """Switch presenter mode on (or off) for the rest of the session."""
    return use_style(present=on)


def _prepare_image(img: ArrayLike) -> tuple[np.ndarray, dict[str, Any]]:
    arr = np.asarray(img)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] not in (3, 4)):
        raise ValueError(
            f"an image must be (h, w), (h, w, 1) or (h, w, 3), got shape {arr.shape}"
        )
    kwargs: dict[str, Any] = {}
    if arr.dtype == np.uint8:
        kwargs = {"vmin": 0, "vmax": 255}
    elif arr.ndim == 3:  # float RGB: clip into [0, 1]
        arr = np.clip(arr.astype(np.float64), 0.0, 1.0)
    elif arr.min() >= 0.0 and arr.max() <= 1.0 and arr.max() > 0.0:
        kwargs = {"vmin": 0.0, "vmax": 1.0}
    return arr, kwargs


def image_grid(
    images: ArrayLike,
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 5,
    cmap: str = "gray",
    size: float = 2.0,
    suptitle: str | None = None,
) -> plt.Figure:
    """Show a batch of images on a grid.

    Parameters
    ----------
    images
        (n, h, w), (n, h, w, 1) or (n, h, w, 3); uint8 in [0, 255] or float.
    titles
        Optional caption per image (e.g. class names).
    ncols
        Images per row.
    cmap
        Colour map for single-channel images.
    size
        Inches per image.
    suptitle
        Optional figure title.
    """
    batch = list(images)
    if not batch:
        raise ValueError("images is empty")
    if titles is not None and len(titles) != len(batch):
        raise ValueError(f"{len(titles)} titles for {len(batch)} images")
    ncols = max(1, min(ncols, len(batch)))
    nrows = int(np.ceil(len(batch) / ncols))
    # room for a caption above every row (and the figure title), so that a
    # caption is never mistaken for the one of the image above it
    caption = 0.35 if titles is not None else 0.0
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(size * ncols, (size + caption) * nrows + (0.5 if suptitle else 0.1)),
        squeeze=False,
        layout="constrained",
    )
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < len(batch):
            arr, kw = _prepare_image(batch[k])
            ax.imshow(arr, cmap=cmap, **kw)
            if titles is not None:
                ax.set_title(str(titles[k]), fontsize="small")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def marked_image_grid(
    images: ArrayLike,
    titles: Sequence[str] | None,
    marked: Sequence[bool] | ArrayLike,
    *,
    color: str = "red",
    **grid: Any,
) -> plt.Figure:
    """:func:`image_grid` with some images framed and captioned in a colour.

    Used to point at the mistakes among a model's predictions (e.g. the
    item that stopped a display loop).

    Parameters
    ----------
    images, titles
        As for :func:`image_grid`.
    marked
        One flag per image: ``True`` draws a thick frame around the image
        and colours its caption.
    color
        Matplotlib colour of the frame and caption.
    **grid
        Further keyword arguments of :func:`image_grid` (``ncols``, ``size``,
        ``suptitle``, ``cmap``).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``marked`` does not have one flag per image.
    """
    batch = list(images)
    flags = [bool(f) for f in np.asarray(marked).ravel()]
    if len(flags) != len(batch):
        raise ValueError(f"marked has {len(flags)} flags for {len(batch)} images")
    fig = image_grid(batch, titles, **grid)
    for ax, flag in zip(fig.axes, flags):
        if not flag:
            continue
        ax.title.set_color(color)
        ax.axis("on")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(color)
            spine.set_linewidth(4)
    return fig


def image_table(
    rows: Sequence[Sequence[ArrayLike]],
    *,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    cmap: str = "gray",
    size: float = 1.8,
    colorbar: bool = False,
) -> plt.Figure:
    """Show a table of images: one row per item, one column per variant.

    Typical use: original image and its filtered versions side by side.

    Parameters
    ----------
    rows
        ``rows[i][j]`` is the image in row i, column j; every row has the same
        length.  Each image is (h, w), (h, w, 1) or (h, w, 3).
    row_labels, col_labels
        Optional text at the left of each row / above each column.
    colorbar
        Draw a small colour bar next to each image (useful for filter
        responses with negative values).
    """
    nrows = len(rows)
    ncols = len(rows[0]) if nrows else 0
    if nrows == 0 or ncols == 0 or any(len(r) != ncols for r in rows):
        raise ValueError("rows must be a non-empty table with equal row lengths")
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(size * ncols * (1.25 if colorbar else 1), size * nrows + 0.3),
        squeeze=False,
    )
    for i in range(nrows):
        for j in range(ncols):
            ax = axes[i, j]
            arr, kw = _prepare_image(rows[i][j])
            shown = ax.imshow(arr, cmap=cmap, **kw)
            ax.set_xticks([])
            ax.set_yticks([])
            if colorbar:
                fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
            if i == 0 and col_labels is not None:
                ax.set_title(str(col_labels[j]), fontsize="small")
            if j == 0 and row_labels is not None:
                ax.set_ylabel(str(row_labels[i]), fontsize="small")
    fig.tight_layout()
    return fig


def _as_series(history: Any) -> dict[str, list[float]]:
    """Accept a Keras ``History``, an object with ``.history`` or a mapping."""
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            "history must be a keras History or a mapping of metric -> values, got "
            f"{type(history).__name__}"
        )
    return {str(k): list(np.asarray(v, dtype=float)) for k, v in data.items()}


def plot_history(
    histories: Any,
    metrics: Sequence[str] = ("loss", "accuracy"),
    *,
    x: str | None = None,
    xlabel: str = "epoch",
    title: str | None = None,
    kinds: Sequence[str] = ("train", "val", "test"),
) -> plt.Figure:
    """Learning curves: one panel per metric, training and validation overlaid.

    Parameters
    ----------
    histories
        One history (Keras ``History`` or mapping ``metric -> values``) or a
        mapping ``label -> history`` to compare several runs.
    metrics
        Metric names; ``val_<metric>`` (or ``test_<metric>``) is drawn dashed
        in the same colour when present.
    x
        Name of an entry holding the x values (e.g. ``"step"`` for iteration
        based training); default 1, 2, 3, ...
    xlabel, title
        Label of the x axis; title above the panels (none by default).
    kinds
        Which curves to draw: any of ``"train"`` (``<metric>``), ``"val"``
        (``val_<metric>``) and ``"test"`` (``test_<metric>``); e.g.
        ``("test",)`` compares only the test curves of several runs, each
        labelled by its run.

    Returns
    -------
    matplotlib.figure.Figure
        One row of panels, 5 x 3.6 inches each.

    Raises
    ------
    TypeError
        If a history is not a Keras History or a mapping.
    ValueError
        If ``kinds`` is empty or names an unknown kind.
    """
    kinds = tuple(kinds) if not isinstance(kinds, str) else (kinds,)
    unknown = [k for k in kinds if k not in ("train", "val", "test")]
    if not kinds or unknown:
        raise ValueError(
            f"kinds must be a non-empty selection of 'train', 'val', 'test', "
            f"got {kinds!r}"
        )
    if (
        isinstance(histories, Mapping)
        and histories
        and all(
            hasattr(v, "history") or isinstance(v, Mapping) for v in histories.values()
        )
    ):
        runs = {str(k): _as_series(v) for k, v in histories.items()}
    else:
        runs = {"": _as_series(histories)}
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(5.0 * len(metrics), 3.6), squeeze=False
    )
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes[0], metrics):
        drawn = False
        for r, (label, series) in enumerate(runs.items()):
            colour = colours[r % len(colours)]
            for prefix, style, kind in (
                ("", "-", "train"),
                ("val_", "--", "val"),
                ("test_", "--", "test"),
            ):
                if kind not in kinds:
                    continue
                key = f"{prefix}{metric}" if prefix else metric
                if prefix == "" and key not in series and f"train_{metric}" in series:
                    key = f"train_{metric}"
                if key not in series:
                    continue
                ys = series[key]
                xs = series[x] if x and x in series else np.arange(1, len(ys) + 1)
                name = label if label and len(kinds) == 1 else f"{label} {kind}"
                name = name.strip()
                line = style if len(kinds) > 1 else "-"
                ax.plot(xs, ys, line, color=colour, label=name)
                drawn = True
        ax.set_title(metric)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if drawn:
            ax.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_labelled_series(
    x: ArrayLike,
    labels: ArrayLike,
    *,
    channel: int = 0,
    split: int | None = None,
    clip_percent: float = 1.0,
    label_name: str = "label 1",
    xlabel: str = "time step",
) -> plt.Figure:
    """One channel of a multichannel recording over time, a binary label shaded.

    Used for the EEG eye-state recording (sheet s01 task 5): channel 0 with
    the stretches where the eyes are closed shaded, and the train/test
    boundary of a chronological split as a dashed line.

    Parameters
    ----------
    x
        The recording, shape (time, channels), any real dtype (raw values).
    labels
        One binary label per time step, shape (time,); steps with label 1
        are shaded.
    channel
        Index of the channel to draw, 0 <= channel < channels.
    split
        Optional index of the first test step: draws the boundary there.
    clip_percent
        The curve is clipped to its ``clip_percent`` and
        ``100 - clip_percent`` percentiles (in [0, 50)), so that a few
        spikes do not flatten everything else; 0 draws the raw values.
    label_name
        Legend text for the shaded stretches, e.g. ``"eyes closed"``.
    xlabel
        Text of the x axis.

    Returns
    -------
    matplotlib.figure.Figure
        One panel, 11 x 3.6 inches.

    Raises
    ------
    ValueError
        If the shapes do not fit, ``channel`` or ``split`` is out of range,
        or ``clip_percent`` is not in [0, 50).
    TypeError
        If ``channel`` or ``split`` is not an integer.
    """
    values = np.asarray(x, dtype=np.float64)
    flags = np.asarray(labels)
    if values.ndim != 2:
        raise ValueError(f"x must be 2-D (time, channels), got shape {values.shape}")
    if flags.shape != (len(values),):
        raise ValueError(
            f"labels must have shape ({len(values)},) like x's time axis, "
            f"got {flags.shape}"
        )
    for name, v in (("channel", channel), ("split", split)):
        if v is not None and (
            isinstance(v, bool) or not isinstance(v, (int, np.integer))
        ):
            raise TypeError(f"{name} must be an int, got {type(v).__name__}")
    if not 0 <= channel < values.shape[1]:
        raise ValueError(f"channel must be in 0..{values.shape[1] - 1}, got {channel}")
    if split is not None and not 0 <= split <= len(values):
        raise ValueError(f"split must be in 0..{len(values)}, got {split}")
    if not 0.0 <= float(clip_percent) < 50.0:
        raise ValueError(f"clip_percent must be in [0, 50), got {clip_percent}")
    curve = values[:, channel]
    lo, hi = np.percentile(curve, [clip_percent, 100.0 - clip_percent])
    fig, ax = plt.subplots(figsize=(11, 3.6))
    t = np.arange(len(curve))
    text = f"channel {channel}" + (" (clipped)" if clip_percent > 0 else "")
    ax.plot(t, np.clip(curve, lo, hi), lw=0.6, label=text)
    ax.fill_between(
        t, lo, hi, where=flags == 1, color="orange", alpha=0.25, label=label_name
    )
    if split is not None:
        ax.axvline(split, color="black", ls="--", lw=1.5, label="train | test")
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    fig.tight_layout()
    return fig


def plot_sequences(
    sequences: Sequence[ArrayLike],
    labels: ArrayLike,
    *,
    n: int = 6,
) -> plt.Figure:
    """A few variable-length sequences and the histogram of all lengths.

    Used for the synthetic sequences of sheet s01 task 6.

    Parameters
    ----------
    sequences
        Univariate sequences, each 1-D with its own length (values e.g. in
        [0, 1)).
    labels
        One label per sequence, shape (len(sequences),), shown in the legend.
    n
        How many sequences to draw on the left, 1 <= n (at most all).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, 11 x 3.5 inches: the first ``n`` sequences over their
        time steps, and the count of every length.

    Raises
    ------
    ValueError
        If there are no sequences, a sequence is not 1-D or empty, the
        number of labels differs, or ``n < 1``.
    TypeError
        If ``n`` is not an integer.
    """
    seqs = [np.asarray(s, dtype=np.float64) for s in sequences]
    tags = np.asarray(labels)
    if not seqs:
        raise ValueError("sequences is empty")
    if any(s.ndim != 1 or s.size == 0 for s in seqs):
        raise ValueError("every sequence must be a non-empty 1-D array")
    if tags.shape != (len(seqs),):
        raise ValueError(f"{tags.shape} labels for {len(seqs)} sequences")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
    top = max(float(s.max()) for s in seqs[:n])
    for s, t in zip(seqs[:n], tags[:n]):
        axes[0].plot(np.arange(1, len(s) + 1), s, marker="o", label=f"label {t}")
    axes[0].set(
        xlabel="time step", ylabel="value", title=f"{min(n, len(seqs))} sequences"
    )
    axes[0].set_ylim(-0.05, 1.55 * max(top, 1e-9))  # room for the legend on top
    axes[0].set_yticks(np.linspace(0.0, max(top, 1.0), 6))
    axes[0].legend(fontsize="small", ncol=3, loc="upper center")
    lengths, counts = np.unique([len(s) for s in seqs], return_counts=True)
    axes[1].bar(lengths, counts)
    axes[1].set(xlabel="sequence length", ylabel="count", title="lengths")
    fig.tight_layout()
    return fig


#: Tallest figure (inches) the series plots draw: a 16:9 screen at 12 in wide.
_MAX_HEIGHT = 6.75


def plot_series(
    rows: Sequence[tuple[str, Mapping[str, ArrayLike]]],
    *,
    t: ArrayLike | None = None,
    title: str | None = None,
    width: float = 12.0,
) -> plt.Figure:
    """Time series in stacked panels with a shared time axis (the lab's RNN plots).

    Parameters
    ----------
    rows
        One ``(label, {curve name: values})`` pair per panel; every curve is a
        1-D array of the same length T (e.g. one input or target series).  A
        panel with at most 8 curves gets a legend.
    t
        The time steps, shape (T,) (default 0, 1, ..., T-1).
    title
        Figure title.
    width
        Figure width in inches; the height grows with the number of panels but
        never exceeds a 16:9 screen of that width.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = list(rows)
    if not rows:
        raise ValueError("rows must name at least one panel")
    height = min(_MAX_HEIGHT * width / 12.0, 1.6 * len(rows) + 1.0)
    fig, axes = plt.subplots(len(rows), 1, figsize=(width, height), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, (label, curves) in zip(axes, rows):
        for name, values in curves.items():
            ys = np.asarray(values, dtype=float)
            if ys.ndim != 1:
                raise ValueError(f"curve {name!r} must be 1-D, got shape {ys.shape}")
            xs = np.arange(len(ys)) if t is None else np.asarray(t)
            ax.plot(xs, ys, ".-", label=name)
        ax.set_ylabel(label)
        if 0 < len(curves) <= 8:  # more curves: a legend would hide the panel
            ax.legend(loc="upper right", fontsize="x-small", ncol=min(len(curves), 4))
    axes[-1].set_xlabel("time step")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_rnn_nodes(
    model: Any,
    x: ArrayLike,
    target: ArrayLike,
    *,
    index: int = 0,
    title: str | None = None,
) -> tuple[plt.Figure, dict[str, np.ndarray]]:
    """Input, target, prediction and every recurrent layer's hidden nodes (lab Q8).

    Runs the sequences through a stateful RNN chunk by chunk, as in training
    (:func:`cnnrnn_helpers.training.hidden_activity`), and plots sequence
    ``index``: the input, the target with the prediction, then one panel per
    recurrent layer (SimpleRNN, GRU or LSTM) with the outputs of all its
    hidden nodes, so a second recurrent layer is shown when there is one.  The
    nodes of the last recurrent layer are labelled with their weight into the
    first output unit of the next layer (the prediction is a weighted sum of
    them when that layer is the linear output).  For an LSTM only the output
    ``h`` is shown, not the memory cell ``c``.

    Parameters
    ----------
    model
        A stateful model such as :func:`cnnrnn_helpers.models.stateful_rnn`.
    x
        Input sequences (n, T) or (n, T, 1), float, T a multiple of the model's
        chunk length.
    target
        Target sequences (n, T) or (n, T, 1).
    index
        Which sequence to plot, 0 <= index < n.
    title
        Figure title.

    Returns
    -------
    (figure, activity)
        ``activity`` maps each recurrent layer's name to its outputs, float32
        (n, T, units), and ``"prediction"`` to the model output (n, T, 1).
    """
    import keras

    from . import training

    xs = np.asarray(x, dtype=np.float32)
    ys = np.asarray(target, dtype=np.float32)
    if xs.ndim == 2:
        xs = xs[..., None]
    if ys.ndim == 3:
        ys = ys[..., 0]
    if xs.ndim != 3 or ys.shape != xs.shape[:2]:
        raise ValueError(
            f"x (n, T[, 1]) and target (n, T[, 1]) must match, got {xs.shape} "
            f"and {ys.shape}"
        )
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be an int, got {type(index).__name__}")
    if not 0 <= index < len(xs):
        raise ValueError(f"index must be in 0..{len(xs) - 1}, got {index}")
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]
    if not recurrent:
        raise ValueError("the model has no recurrent (SimpleRNN/GRU/LSTM) layer")
    activity = {
        layer.name: training.hidden_activity(model, xs, layer) for layer in recurrent
    }
    activity["prediction"] = training.hidden_activity(model, xs, -1)
    weights = None
    after = model.layers.index(recurrent[-1]) + 1
    if after < len(model.layers):
        nxt = model.layers[after]
        inner = getattr(nxt, "layer", nxt)  # TimeDistributed(Dense) or Dense
        if isinstance(inner, keras.layers.Dense):
            weights = np.asarray(inner.get_weights()[0])[:, 0]
    rows: list[tuple[str, Mapping[str, ArrayLike]]] = [
        ("input", {"input": xs[index, :, 0]}),
        (
            "output",
            {"target": ys[index], "prediction": activity["prediction"][index, :, 0]},
        ),
    ]
    for number, layer in enumerate(recurrent, start=1):
        act = activity[layer.name][index]
        last = number == len(recurrent)
        curves = {
            (
                f"node {k} (w={weights[k]:+.2f})"
                if last and weights is not None
                else f"node {k}"
            ): act[:, k]
            for k in range(act.shape[-1])
        }
        rows.append((f"hidden {number}\n{type(layer).__name__}", curves))
    fig = plot_series(rows, title=title)
    return fig, activity


def prob_bars(
    probs: ArrayLike,
    class_names: Sequence[str],
    *,
    true_label: int | None = None,
    image: ArrayLike | None = None,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Bar chart of predicted class probabilities (optionally with the image).

    Parameters
    ----------
    probs
        (k,) probabilities in [0, 1].
    class_names
        k names.
    true_label
        Index of the true class; its bar is outlined and named in the title.
    image
        If given, drawn to the left of the bars.
    """
    p = np.asarray(probs, dtype=float).ravel()
    if len(p) != len(class_names):
        raise ValueError(f"{len(p)} probabilities for {len(class_names)} class names")
    if ax is None:
        if image is not None:
            fig, (ax_img, ax) = plt.subplots(
                1, 2, figsize=(9, 3.2), gridspec_kw={"width_ratios": [1, 2.6]}
            )
            arr, kw = _prepare_image(image)
            ax_img.imshow(arr, cmap="gray", **kw)
            ax_img.axis("off")
        else:
            fig, ax = plt.subplots(figsize=(7, 3.2))
    else:
        fig = ax.figure
    colours = ["#0072B2"] * len(p)
    pred = int(p.argmax())
    colours[pred] = "#D55E00"
    bars = ax.bar(range(len(p)), p, color=colours)
    if true_label is not None:
        bars[true_label].set_edgecolor("black")
        bars[true_label].set_linewidth(2.5)
    ax.set_xticks(range(len(p)))
    ax.set_xticklabels(class_names, rotation=45, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    title = f"predicted: {class_names[pred]} ({p[pred]:.2f})"
    if true_label is not None:
        title += f" | true: {class_names[true_label]}"
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_prob_vs_value(
    values: ArrayLike,
    probs: ArrayLike,
    *,
    threshold: float | None = None,
    xlabel: str = "value",
    ylabel: str = "predicted P(class 1)",
    title: str | None = None,
) -> plt.Figure:
    """A binary classifier's output against the quantity that decides the label.

    One dot per item: its value (e.g. the sum of a digit series) on the x axis,
    the predicted probability of class 1 on the y axis.  A perfect classifier
    is a step from 0 to 1 at the decision ``threshold`` (dashed line); the
    dotted line marks probability 0.5.

    Parameters
    ----------
    values
        Numbers (n,), any real range, e.g. int sums in [0, 270].
    probs
        Predicted probabilities (n,) or (n, 1), in [0, 1].
    threshold
        Where the true label flips (e.g. 99.5 for "sum >= 100"); ``None``: no line.
    xlabel, ylabel, title
        Axis labels and an optional title.

    Returns
    -------
    matplotlib.figure.Figure
        An 8 x 4 inch scatter plot.

    Raises
    ------
    ValueError
        If the arrays are empty or differ in length.
    """
    xs = np.asarray(values, dtype=float).reshape(-1)
    ps = np.asarray(probs, dtype=float).reshape(-1)
    if xs.size == 0 or xs.size != ps.size:
        raise ValueError(
            f"values and probs must be non-empty and equally long, got {xs.size} "
            f"and {ps.size} items"
        )
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.scatter(xs, ps, s=8, alpha=0.5)
    if threshold is not None:
        ax.axvline(float(threshold), ls="--", color="black", lw=1)
    ax.axhline(0.5, ls=":", color="grey", lw=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(-0.03, 1.03)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    cm: ArrayLike,
    class_names: Sequence[str] | None = None,
    *,
    normalize: bool = False,
    title: str = "Confusion matrix",
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Draw a confusion matrix with counts or row-normalised rates.

    Parameters
    ----------
    cm
        (k, k) counts, rows = true class, columns = predicted class
        (see :func:`cnnrnn_helpers.stats.confusion_matrix`).
    class_names
        k names (default "class 1" ... "class k").
    normalize
        Show each row divided by its sum (the recall of each class on the
        diagonal) instead of counts.
    """
    counts = np.asarray(cm, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"cm must be square (k, k), got shape {counts.shape}")
    k = counts.shape[0]
    names = (
        list(class_names)
        if class_names is not None
        else [f"class {i + 1}" for i in range(k)]
    )
    if len(names) != k:
        raise ValueError(f"{len(names)} class names for a {k}x{k} matrix")
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    shown = counts
    if normalize:
        sums = counts.sum(axis=1, keepdims=True)
        shown = np.divide(counts, sums, out=np.zeros_like(counts), where=sums > 0)
    from sklearn.metrics import ConfusionMatrixDisplay

    if ax is None:
        fig, ax = plt.subplots(figsize=(1.0 + 0.75 * k, 0.8 + 0.65 * k))
    else:
        fig = ax.figure
    display = ConfusionMatrixDisplay(shown, display_labels=names)
    display.plot(
        ax=ax,
        cmap="Blues",
        colorbar=False,
        xticks_rotation=45,
        values_format=".2f" if normalize else ",.0f",
        text_kw={"fontsize": "small" if k > 6 else "medium"},
        im_kw={"vmin": 0, "vmax": 1 if normalize else None},
    )
    fig.colorbar(display.im_, ax=ax, fraction=0.046, pad=0.04)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    ax.set_ylabel("true class")
    ax.set_xlabel(
        f"predicted class\naccuracy={accuracy:.4f}; misclassified={1 - accuracy:.4f}"
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _layer_outputs(
    model: keras.Model, layers: Sequence[Any], x: np.ndarray
) -> list[np.ndarray]:
    """The outputs of ``layers`` for the batch ``x`` (inference mode), NumPy.

    Computed in float32 whatever precision the model trained in
    (:func:`cnnrnn_helpers.models.layer_output_model` probes a float32 copy).
    """
    return models.layer_outputs(models.layer_output_model(model, layers), x)


def feature_maps_of_image(
    model: keras.Model,
    image: ArrayLike,
    *,
    layer_types: Sequence[str] = ("Conv2D",),
    max_maps: int = 16,
    size: float = 1.3,
    cmap: str = "gray",
) -> tuple[plt.Figure, list[np.ndarray]]:
    """Feed one image through a Keras model and show every chosen layer's maps.

    One row per chosen layer, one panel per channel (at most ``max_maps``),
    for ONE image; :func:`feature_maps_by_image` shows several images (a row
    each) and :func:`feature_maps_by_layer` one figure per layer.  The
    activations come from :func:`layer_outputs` in one forward pass.

    Parameters
    ----------
    model
        A built Keras 3 model (Sequential or functional) whose inputs are known.
    image
        One input, (h, w, c) or (h, w), already scaled as the model expects.
    layer_types
        Layer class names to show, e.g. ``("Conv2D",)`` for the maps before
        pooling, ``("MaxPooling2D",)`` after pooling, or both.
    max_maps
        At most this many channels per layer are drawn.

    Returns
    -------
    (figure, activations)
        ``activations[i]`` has shape (h_i, w_i, channels_i) for the i-th
        selected layer, in model order.
    """
    x = np.asarray(image, dtype="float32")
    if x.ndim == 2:
        x = x[..., None]
    layers, outputs = layer_outputs(model, x[None], layer_types=layer_types)
    acts = [out[0] for out in outputs]
    ncols = min(max_maps, max(a.shape[-1] for a in acts))
    fig, axes = plt.subplots(
        len(acts) + 1,
        ncols,
        figsize=(size * ncols, size * (len(acts) + 1) + 0.3),
        squeeze=False,
    )
    for ax in axes.flat:
        ax.axis("off")
    shown, kw = _prepare_image(x if x.shape[-1] in (1, 3) else x[..., 0])
    axes[0, 0].imshow(shown, cmap=cmap, **kw)
    axes[0, 0].set_title("input", fontsize="small")
    for row, (layer, act) in enumerate(zip(layers, acts), start=1):
        for c in range(min(ncols, act.shape[-1])):
            ax = axes[row, c]
            ax.imshow(act[..., c], cmap=cmap)
            ax.set_title(f"{layer.name}[{c}]", fontsize="x-small")
    fig.tight_layout()
    return fig, acts


def plot_heatmap(
    values: ArrayLike,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    fmt: str = "{:.3f}",
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
) -> plt.Figure:
    """A table of numbers as coloured cells with the value written in each cell.

    Typical use: test accuracy of a grid of models (rows = depth,
    columns = activation).

    Parameters
    ----------
    values
        (rows, cols) numbers; NaN cells stay blank.
    row_labels, col_labels
        One label per row / column.
    fmt
        Format of the text in each cell, e.g. ``"{:.1%}"``.
    vmin, vmax
        Colour range (default: the data range).
    """
    table = np.asarray(values, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError(f"values must be a 2-D table, got shape {table.shape}")
    if len(row_labels) != table.shape[0] or len(col_labels) != table.shape[1]:
        raise ValueError(
            f"{len(row_labels)} row and {len(col_labels)} column labels for a "
            f"table of shape {table.shape}"
        )
    nrows, ncols = table.shape
    fig, ax = plt.subplots(figsize=(1.6 + 1.5 * ncols, 1.0 + 0.8 * nrows))
    image = ax.imshow(table, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if colorbar_label:
        bar.set_label(colorbar_label)
    for i in range(nrows):
        for j in range(ncols):
            if np.isnan(table[i, j]):
                continue
            # white text on dark cells, black text on light ones
            red, green, blue, _ = image.cmap(image.norm(table[i, j]))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(
                j,
                i,
                fmt.format(table[i, j]),
                ha="center",
                va="center",
                color="white" if dark else "black",
            )
    ax.set_xticks(range(ncols))
    ax.set_yticks(range(nrows))
    ax.set_xticklabels([str(c) for c in col_labels])
    ax.set_yticklabels([str(r) for r in row_labels])
    ax.grid(False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_gradient_grid(
    gradients: Mapping[Any, Mapping[str, ArrayLike]],
    *,
    panel_title: str = "{} hidden layers",
    log: bool = True,
    sharey: bool = True,
    ylabel: str = "max |dL/dW| in the layer",
    title: str | None = None,
) -> plt.Figure:
    """Grid of "layer depth vs. gradient" plots, one panel per network depth.

    Parameters
    ----------
    gradients
        ``{panel key: {curve label: values}}``, e.g.
        ``{5: {"relu": g1, "tanh": g2}, 20: {...}}``; ``values`` is a 1-D
        array with one non-negative number per layer, first layer first
        (as returned by :func:`cnnrnn_helpers.training.max_gradient_per_layer`).
    panel_title
        Format string for each panel's title, filled with the panel key.
    log
        Logarithmic y axis (zeros cannot be drawn on it and are left out).
    sharey
        Same y range in every panel, so panels can be compared.

    Returns
    -------
    matplotlib.figure.Figure
        One row of panels; x = layer number (1 = first hidden layer, last =
        output layer).
    """
    if not isinstance(gradients, Mapping) or not gradients:
        raise ValueError("gradients must be a non-empty mapping panel -> curves")
    panels = list(gradients.items())
    fig, axes = plt.subplots(
        1, len(panels), figsize=(4.6 * len(panels), 3.8), sharey=sharey, squeeze=False
    )
    markers = "osD^vP*X"
    for ax, (key, curves) in zip(axes[0], panels):
        if not isinstance(curves, Mapping) or not curves:
            raise ValueError(f"panel {key!r} must map curve labels to 1-D arrays")
        for k, (label, values) in enumerate(curves.items()):
            ys = np.asarray(values, dtype=np.float64)
            if ys.ndim != 1:
                raise ValueError(
                    f"curve {label!r} in panel {key!r} must be 1-D, got {ys.shape}"
                )
            if np.any(ys < 0) or not np.all(np.isfinite(ys)):
                raise ValueError(
                    f"curve {label!r} in panel {key!r} must be finite and >= 0"
                )
            xs = np.arange(1, len(ys) + 1)
            shown = np.where(ys > 0, ys, np.nan) if log else ys
            text = str(label)
            if log and np.all(ys == 0):
                text += " (all 0, not drawn)"
            elif log and np.any(ys == 0):
                text += " (zeros not drawn)"
            ax.plot(
                xs,
                shown,
                marker=markers[k % len(markers)],
                markersize=4,
                label=text,
            )
        if log:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(panel_title.format(key))
        ax.set_xlabel("layer (1 = first hidden, last = output)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize="small")
    axes[0, 0].set_ylabel(ylabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _mosaic(act: np.ndarray, pad: int = 1) -> np.ndarray:
    """Tile the channels of one activation (h, w, c) into a near-square 2-D array.

    Every channel is min-max scaled to [0, 1] on its own (a constant map is
    all 0); the gaps between tiles are NaN (drawn in white).
    """
    h, w, c = act.shape
    ncols = int(np.ceil(np.sqrt(c)))
    nrows = int(np.ceil(c / ncols))
    out = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.nan)
    for k in range(c):
        tile = act[..., k].astype(np.float64)
        lo, hi = tile.min(), tile.max()
        tile = (tile - lo) / (hi - lo) if hi > lo else np.zeros_like(tile)
        r, q = divmod(k, ncols)
        out[r * (h + pad) : r * (h + pad) + h, q * (w + pad) : q * (w + pad) + w] = tile
    return out


def feature_maps_by_image(
    model: keras.Model,
    images: ArrayLike,
    *,
    row_labels: Sequence[str] | None = None,
    layer_types: Sequence[str] = ("Conv2D",),
    size: float = 2.4,
    cmap: str = "viridis",
) -> tuple[plt.Figure, list[list[np.ndarray]]]:
    """Every filter's output for several images, grouped by layer.

    One row per image: the input, then one panel per selected layer showing
    *all* of that layer's channels tiled on a grid (channel 0 top left,
    row by row).  Each channel is scaled to its own [min, max], so the
    panels show *where* a filter responds, not how strongly; an all-dark
    tile is a filter that does not respond at all (a "dead" ReLU map).

    Parameters
    ----------
    model
        A built Keras 3 model whose inputs are known.
    images
        (n, h, w, c) or (n, h, w) inputs, already scaled as the model expects
        (e.g. float32 in [0, 1]).
    row_labels
        Optional text per image (e.g. its class).
    layer_types
        Layer class names to show (``("Conv2D",)``: the outputs of the
        convolutions after their activation).
    size
        Inches per panel.
    cmap
        Colour map of the feature maps.

    Returns
    -------
    (figure, activations)
        ``activations[i][j]`` is the output of the j-th selected layer for
        image i, shape (h_j, w_j, channels_j).
    """
    batch = _image_batch(images)
    if row_labels is not None and len(row_labels) != len(batch):
        raise ValueError(f"{len(row_labels)} row labels for {len(batch)} images")
    layers, outputs = layer_outputs(model, batch, layer_types=layer_types)
    acts = [[out[i] for out in outputs] for i in range(len(batch))]
    colour_map = plt.get_cmap(cmap).with_extremes(bad="white")
    fig, axes = plt.subplots(
        len(batch),
        len(layers) + 1,
        figsize=(size * (len(layers) + 1), size * len(batch) + 0.4),
        squeeze=False,
    )
    for i in range(len(batch)):
        first = batch[i] if batch.shape[-1] in (1, 3) else batch[i, ..., 0]
        shown, kw = _prepare_image(first)
        axes[i, 0].imshow(shown, cmap="gray", **kw)
        for j, act in enumerate(acts[i], start=1):
            axes[i, j].imshow(_mosaic(act), cmap=colour_map, vmin=0.0, vmax=1.0)
        if row_labels is not None:
            axes[i, 0].set_ylabel(str(row_labels[i]))
        for ax in axes[i]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_title("input")
    for j, (layer, out) in enumerate(zip(layers, outputs), start=1):
        h, w, c = out.shape[1:]
        axes[0, j].set_title(f"{type(layer).__name__} {j}\n{c} maps {h}x{w}")
    fig.tight_layout()
    return fig, acts


def _image_batch(images: ArrayLike) -> np.ndarray:
    """``images`` as a float32 batch (n, h, w, c); (n, h, w) gets a channel axis."""
    batch = np.asarray(images, dtype="float32")
    if batch.ndim == 3:
        batch = batch[..., None]
    if batch.ndim != 4 or len(batch) == 0:
        raise ValueError(
            f"images must be a non-empty batch (n, h, w[, c]), got {batch.shape}"
        )
    return batch


def layer_outputs(
    model: Any, images: ArrayLike, *, layer_types: Sequence[str] = ("Conv2D",)
) -> tuple[list[Any], list[np.ndarray]]:
    """The outputs of the chosen layers of a Keras model for a batch, in one pass.

    The probe is :func:`cnnrnn_helpers.models.layer_output_model` (the one
    place where intermediate activations are read), in float32 whatever
    precision the model trained in.

    Parameters
    ----------
    model
        A built Keras 3 model whose inputs are known.
    images
        (n, h, w, c) or (n, h, w) inputs, already scaled as the model expects.
    layer_types
        Layer class names to return, in model order.

    Returns
    -------
    (layers, outputs)
        The selected layers and, for each, a float32 array (n, h_j, w_j, c_j).

    Raises
    ------
    ValueError
        If ``images`` is not a non-empty batch or no layer has a chosen type.
    """
    batch = _image_batch(images)
    layers = models.layers_of_type(model, layer_types)
    return layers, _layer_outputs(model, layers, batch)


def feature_maps_by_layer(
    model: Any,
    images: ArrayLike,
    *,
    titles: Sequence[str] | None = None,
    layer_types: Sequence[str] = ("Conv2D",),
    ncols: int = 5,
    width: float = 12.0,
    cmap: str = "viridis",
) -> tuple[list[plt.Figure], list[list[np.ndarray]]]:
    """Every filter's output for several images: one figure per layer.

    The first figure shows the input images, then one figure per selected
    layer shows, for each image, *all* of that layer's channels tiled on a
    near-square grid (channel 0 top left, row by row; each channel scaled to
    its own [min, max], so an all-dark tile is a filter that does not respond).
    Each figure is ``width`` inches wide and, with ``ncols`` images per row,
    at most as tall as a 16:9 screen for up to ``2 * ncols`` images (the
    presenter style's 12 x 6.75 inches), unlike :func:`feature_maps_by_image`,
    which draws all layers of all images in one tall figure.

    Parameters
    ----------
    model
        A built Keras 3 model whose inputs are known.
    images
        (n, h, w, c) or (n, h, w) inputs, scaled as the model expects.
    titles
        Optional text per image (e.g. its class), shown over each panel.
    layer_types
        Layer class names to show (default: the convolutions, after their
        activation).
    ncols
        Images per row, >= 1.
    width
        Figure width in inches, > 0.
    cmap
        Colour map of the feature maps.

    Returns
    -------
    (figures, activations)
        ``figures[0]`` the inputs, ``figures[j]`` the j-th selected layer;
        ``activations[i][j]`` the j-th layer's output for image i,
        shape (h_j, w_j, channels_j).
    """
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)):
        raise TypeError(f"ncols must be an int, got {type(ncols).__name__}")
    if ncols < 1:
        raise ValueError(f"ncols must be >= 1, got {ncols}")
    if not float(width) > 0:
        raise ValueError(f"width must be > 0, got {width}")
    batch = _image_batch(images)
    layers, outputs = layer_outputs(model, batch, layer_types=layer_types)
    n = len(batch)
    if titles is not None and len(titles) != n:
        raise ValueError(f"{len(titles)} titles for {n} images")
    ncols = int(min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    panel = float(width) / ncols
    colour_map = plt.get_cmap(cmap).with_extremes(bad="white")
    figures = []
    for j in range(len(layers) + 1):
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(width, (panel + 0.35) * nrows + 0.5), squeeze=False
        )
        for i, ax in enumerate(axes.flat):
            ax.set_xticks([])
            ax.set_yticks([])
            if i >= n:
                ax.axis("off")
                continue
            if j == 0:
                first = batch[i] if batch.shape[-1] in (1, 3) else batch[i, ..., 0]
                shown, kw = _prepare_image(first)
                ax.imshow(shown, cmap="gray", **kw)
            else:
                ax.imshow(_mosaic(outputs[j - 1][i]), cmap=colour_map, vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize="small")
        if j == 0:
            fig.suptitle("input images")
        else:
            h, w, c = outputs[j - 1].shape[1:]
            fig.suptitle(
                f"{type(layers[j - 1]).__name__} {j}: {c} maps of {h}x{w} per image"
            )
        fig.tight_layout()
        figures.append(fig)
    acts = [[out[i] for out in outputs] for i in range(n)]
    return figures, acts


# Earlier names, kept for the notebooks that still call them.
feature_maps = feature_maps_of_image
feature_map_grids = feature_maps_by_image
feature_map_figures = feature_maps_by_layer
