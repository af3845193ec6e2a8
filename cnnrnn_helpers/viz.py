"""Plots shared by the notebooks, and the presenter style for live sessions.

Every function returns the Matplotlib figure it drew (notebooks show it
automatically with the inline backend).  Images follow the NHWC convention:
a batch is (n, height, width) or (n, height, width, channels) with 1 or 3
channels, uint8 in [0, 255] or float in [0, 1] (other float ranges are
shown with per-image contrast stretching).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

__all__ = [
    "OKABE_ITO",
    "feature_map_grids",
    "feature_maps",
    "image_grid",
    "image_table",
    "plot_confusion_matrix",
    "plot_gradient_grid",
    "plot_heatmap",
    "plot_history",
    "plot_rnn_nodes",
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
        present = os.environ.get("CNNRNN_PRESENT", "") not in ("", "0")
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
    """
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
                key = f"{prefix}{metric}" if prefix else metric
                if prefix == "" and key not in series and f"train_{metric}" in series:
                    key = f"train_{metric}"
                if key not in series:
                    continue
                ys = series[key]
                xs = series[x] if x and x in series else np.arange(1, len(ys) + 1)
                name = f"{label} {kind}".strip()
                ax.plot(xs, ys, style, color=colour, label=name)
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
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.0 + 0.75 * k, 0.8 + 0.65 * k))
    else:
        fig = ax.figure
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    threshold = (shown.max() if shown.size else 0) / 1.6
    fontsize = "small" if k > 6 else "medium"
    for i in range(k):
        for j in range(k):
            text = f"{shown[i, j]:.2f}" if normalize else f"{int(counts[i, j]):,}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if shown[i, j] > threshold else "black",
            )
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xticklabels(names, rotation=45, ha="right")
    ax.set_yticklabels(names)
    ax.set_ylabel("true class")
    ax.set_xlabel(
        f"predicted class\naccuracy={accuracy:.4f}; misclassified={1 - accuracy:.4f}"
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def feature_maps(
    model: Any,
    image: ArrayLike,
    *,
    layer_types: Sequence[str] = ("Conv2D",),
    max_maps: int = 16,
    size: float = 1.3,
    cmap: str = "gray",
) -> tuple[plt.Figure, list[np.ndarray]]:
    """Feed one image through a Keras model and show every chosen layer's maps.

    A functional sub-model (``keras.Model(model.inputs, [layer.output ...])``)
    returns the intermediate activations in one forward pass.

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
    import keras

    layers = [layer for layer in model.layers if type(layer).__name__ in layer_types]
    if not layers:
        raise ValueError(f"the model has no layers of type {tuple(layer_types)}")
    x = np.asarray(image, dtype="float32")
    if x.ndim == 2:
        x = x[..., None]
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(inputs=inputs, outputs=[layer.output for layer in layers])
    outputs = probe(x[None], training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    acts = [np.asarray(out)[0] for out in outputs]
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


def feature_map_grids(
    model: Any,
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
    import keras

    batch = np.asarray(images, dtype="float32")
    if batch.ndim == 3:
        batch = batch[..., None]
    if batch.ndim != 4 or len(batch) == 0:
        raise ValueError(
            f"images must be a non-empty batch (n, h, w[, c]), got {batch.shape}"
        )
    if row_labels is not None and len(row_labels) != len(batch):
        raise ValueError(f"{len(row_labels)} row labels for {len(batch)} images")
    layers = [layer for layer in model.layers if type(layer).__name__ in layer_types]
    if not layers:
        raise ValueError(f"the model has no layers of type {tuple(layer_types)}")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(inputs=inputs, outputs=[layer.output for layer in layers])
    outputs = probe(batch, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    outputs = [np.asarray(out) for out in outputs]
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
