"""Drawing primitives shared by the generators and the offline stand-ins.

Random streams (one independent generator per purpose, so that every
generator has the prefix property), class labels in shuffled blocks,
chunked rendering, coordinate grids, named random parameters, signed
distance shapes, anti-aliased coverage, smooth noise and image resampling
(:func:`scipy.ndimage.map_coordinates` / :func:`scipy.ndimage.zoom`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "Params",
    "affine_coords",
    "balanced_labels",
    "chunked",
    "cover",
    "grid",
    "sample_stack",
    "smooth_noise",
    "stream",
]

CHUNK = 256  # items rendered at once (bounded memory, cache-friendly)


def stream(*keys: int) -> np.random.Generator:
    """An independent generator for one purpose, e.g. ``stream(seed, split, 1)``."""
    return np.random.default_rng(list(keys))


def balanced_labels(rng: np.random.Generator, n: int, n_classes: int) -> np.ndarray:
    """Class indices (int64, (n,)) in shuffled blocks of ``n_classes``.

    Each block holds every class once, so any prefix is balanced to within
    one item per class.
    """
    n_blocks = -(-n // n_classes)
    keys = rng.random((n_blocks, n_classes))
    return np.argsort(keys, axis=1).reshape(-1)[:n]


def chunked(
    render: Callable[..., np.ndarray],
    labels: np.ndarray,
    params: np.ndarray,
    rngs: tuple[np.random.Generator, ...],
    out_shape: tuple[int, ...],
) -> np.ndarray:
    """Call ``render(labels, params, *rngs)`` chunk by chunk into uint8.

    ``render`` returns floats in [0, 1].  It must draw a fixed amount of
    random numbers per item from each generator in ``rngs`` (one generator
    per purpose), so that the result does not depend on the chunking: that
    keeps the prefix property.
    """
    out = np.empty((len(labels), *out_shape), dtype=np.uint8)
    for start in range(0, len(labels), CHUNK):
        stop = min(start + CHUNK, len(labels))
        img = render(labels[start:stop], params[start:stop], *rngs)
        img = np.clip(img * 255.0 + 0.5, 0.0, 255.0)
        out[start:stop] = img.astype(np.uint8)  # truncation of x + 0.5 rounds
    return out


def grid(size: int, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates of a size x size image in units of ``unit`` px.

    Returns ``u`` (1, 1, size) growing to the right and ``v`` (1, size, 1)
    growing downwards, both 0 at the image centre.
    """
    c = ((np.arange(size) + 0.5 - size / 2.0) / unit).astype(np.float32)
    return c[None, None, :], c[None, :, None]


class Params:
    """Named columns of a block of uniform random numbers ``q`` (n, k).

    A recipe declares the meaning of its columns once, e.g.
    ``Params(q, ("width", "height"))``; ``p("width", 0.4, 0.6)`` is then
    column 0 mapped to [0.4, 0.6) as float32 (n, 1, 1), ready to broadcast
    against (n, h, w) coordinate grids, and ``p.raw("height")`` column 1 as
    it is, (n,).  ``offset`` starts the names at a later column.
    """

    def __init__(self, q: np.ndarray, names: tuple[str, ...], offset: int = 0):
        if offset + len(names) > q.shape[1]:
            raise ValueError(f"{len(names)} names from column {offset} for {q.shape}")
        self.q = q
        self.index = {name: offset + i for i, name in enumerate(names)}
        if len(self.index) != len(names):
            raise ValueError(f"duplicate parameter names in {names}")

    def __len__(self) -> int:
        return len(self.q)

    def raw(self, name: str) -> np.ndarray:
        """The column ``name`` as drawn, (n,) in [0, 1)."""
        return self.q[:, self.index[name]]

    def columns(self, *names: str) -> np.ndarray:
        """Several columns as drawn, (n, len(names))."""
        return self.q[:, [self.index[name] for name in names]]

    def __call__(self, name: str, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
        return (lo + (hi - lo) * self.raw(name)).astype(np.float32)[:, None, None]


# Signed-distance primitives (< 0 inside) on coordinate grids; every
# parameter broadcasts against (n, 1, 1).  Union = minimum, cut = maximum(d, -e).


def box(u, v, cx, cy, hw, hh):
    return np.maximum(np.abs(u - cx) - hw, np.abs(v - cy) - hh)


def ellipse(u, v, cx, cy, a, b):
    return (np.hypot((u - cx) / a, (v - cy) / b) - 1.0) * np.minimum(a, b)


def capsule(u, v, x0, y0, x1, y1, r):
    """A thick line segment from (x0, y0) to (x1, y1) with radius r."""
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy + 1e-12), 0, 1)
    return np.hypot(u - x0 - t * dx, v - y0 - t * dy) - r


def trapezoid(u, v, cx, y0, y1, a0, a1):
    """Symmetric trapezoid: half-width a0 at height y0, a1 at y1 (y0 < y1)."""
    t = np.clip((v - y0) / (y1 - y0), 0.0, 1.0)
    return np.maximum(np.abs(u - cx) - (a0 + (a1 - a0) * t), np.maximum(y0 - v, v - y1))


def triangle(u, v, pts):
    """Triangle through three points ``pts`` = ((x, y), (x, y), (x, y))."""
    (ax, ay), (bx, by), (cx, cy) = pts
    # orientation of the vertex order, so the normals point outwards
    sign = np.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax))
    d = None
    for (x0, y0), (x1, y1) in (
        ((ax, ay), (bx, by)),
        ((bx, by), (cx, cy)),
        ((cx, cy), (ax, ay)),
    ):
        ex, ey = x1 - x0, y1 - y0
        length = np.hypot(ex, ey) + 1e-12
        edge = sign * ((u - x0) * ey - (v - y0) * ex) / length
        d = edge if d is None else np.maximum(d, edge)
    return d


def cover(d: np.ndarray, px_per_unit: float) -> np.ndarray:
    """Anti-aliased coverage in [0, 1] from a signed distance in grid units."""
    return np.clip(0.5 - d * px_per_unit, 0.0, 1.0)


def smooth_noise(rng: np.random.Generator, n: int, size: int, cells: int) -> np.ndarray:
    """Smooth random field in [0, 1], shape (n, size, size), float32.

    A (cells x cells) grid of uniform random numbers per item, upsampled
    bilinearly with :func:`scipy.ndimage.zoom` (corner-aligned: the corner
    values of the grid are the corner pixels).
    """
    from scipy.ndimage import zoom

    coarse = rng.random((n, cells, cells), dtype=np.float32)
    factor = size / cells
    return zoom(coarse, (1, factor, factor), order=1, mode="nearest", grid_mode=False)


def sample_stack(
    stack: np.ndarray, index: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Bilinear samples of images ``stack[index]`` at fractional (rows, cols).

    :func:`scipy.ndimage.map_coordinates` (order 1) on the stack, with the
    item index as the first coordinate.  ``stack`` (m, H, W) with a zero
    border of at least one pixel (points outside are clamped onto the border,
    so they read 0); ``index`` (n,) ints; ``rows``, ``cols`` (n, h, w) in
    pixel-index coordinates.  Returns float32 (n, h, w).
    """
    from scipy.ndimage import map_coordinates

    item = np.broadcast_to(
        np.asarray(index, dtype=np.float32)[:, None, None], np.shape(rows)
    )
    coords = np.stack([item, np.asarray(rows), np.asarray(cols)]).astype(np.float32)
    return map_coordinates(
        np.asarray(stack, dtype=np.float32),
        coords,
        order=1,
        mode="nearest",
        output=np.float32,
    )


def affine_coords(
    n: int,
    out_size: int,
    centre_src: np.ndarray,
    centre_out: np.ndarray,
    scale: np.ndarray,
    angle: np.ndarray,
    shear: np.ndarray,
    aspect: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Source (row, col) of every output pixel for a per-item affine map.

    The output pixel at ``centre_out`` (n, 2) reads the source point
    ``centre_src`` (n, 2); around it the source is magnified by ``scale``
    (n,), rotated by ``angle`` (radians, n), sheared by ``shear`` (n) and
    stretched horizontally by ``aspect`` (n).  Returns two (n, out, out)
    arrays.
    """
    if aspect is None:
        aspect = np.ones(n)

    def per_item(values) -> np.ndarray:  # (n,) -> float32 (n, 1, 1)
        return np.asarray(values, dtype=np.float32)[:, None, None]

    g = np.arange(out_size, dtype=np.float32)
    dr = g[None, :, None] - per_item(centre_out[:, 0])
    dc = g[None, None, :] - per_item(centre_out[:, 1])
    cos, sin = per_item(np.cos(angle)), per_item(np.sin(angle))
    # inverse map: undo the rotation, then the shear, then the scale
    r1 = cos * dr - sin * dc
    c1 = sin * dr + cos * dc
    c1 -= per_item(shear) * r1
    r1 *= per_item(1.0 / scale)
    c1 *= per_item(1.0 / (scale * aspect))
    r1 += per_item(centre_src[:, 0])
    c1 += per_item(centre_src[:, 1])
    return r1, c1
