"""Fashion-MNIST stand-in: grey silhouettes, one recipe per article type.

Every recipe maps pixel coordinates (frame [-1, 1], y downwards) and its own
named random parameters to a signed distance (< 0 inside the silhouette).

The difficulty (deformation, class overlap, prints, noise; the constants
below) is calibrated against the real set with ``bench/fashion_calibration.py``:
sheet 5's 10-10-10 dense network (SGD, 3 epochs) and sheet 1's CNN with
pooling (Adam, 1 epoch) reach test accuracies within 3 points of the real
Fashion-MNIST's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._draw import (
    Params,
    box,
    capsule,
    chunked,
    cover,
    ellipse,
    grid,
    smooth_noise,
    stream,
    trapezoid,
)
from ..dataset import FASHION_CLASSES, Dataset
from ._common import labels, make_dataset

__all__ = ["FASHION_RECIPES", "standin_fashion_mnist"]

Recipe = Callable[[np.ndarray, np.ndarray, Params], np.ndarray]

#: Columns 0..11 of an item's random numbers belong to its class's recipe,
#: the rest are common to all classes.
_N_RECIPE_PARAMS = 12
_FASHION_COMMON = ("scale", "shift_u", "shift_v", "shade", "detail")


def _params(*names: str) -> Callable[[Recipe], Recipe]:
    """Declare the named random parameters of a recipe (in column order)."""

    def wrap(recipe: Recipe) -> Recipe:
        recipe.params = names  # type: ignore[attr-defined]
        return recipe

    return wrap


_TOP_PARAMS = (
    "half_width",
    "hem",
    "sleeve_reach",
    "sleeve_end",
    "sleeve_radius",
    "neck_width",
    "neck_depth",
)


def _top(u, v, p: Params, *, short_sleeves: bool, long_body: bool) -> np.ndarray:
    """Torso and two sleeves with a neckline cut out."""
    hw = p("half_width", 0.40, 0.55)
    top = -0.85
    bottom = p("hem", 0.75, 0.95) if long_body else p("hem", 0.6, 0.85)
    torso = box(u, v, 0.0, (top + bottom) / 2, hw, (bottom - top) / 2)
    if short_sleeves:
        reach = p("sleeve_reach", 0.25, 0.45)
        drop = p("sleeve_end", -0.35, -0.05)
        r = p("sleeve_radius", 0.14, 0.2)
    else:
        reach = p("sleeve_reach", 0.22, 0.35)
        drop = p("sleeve_end", 0.55, 0.9)
        r = p("sleeve_radius", 0.12, 0.16)
    d = torso
    for side in (-1.0, 1.0):
        sleeve = capsule(u, v, side * (hw - r), -0.85 + r, side * (hw + reach), drop, r)
        d = np.minimum(d, sleeve)
    neck = ellipse(
        u, v, 0.0, -0.9, p("neck_width", 0.15, 0.25), p("neck_depth", 0.08, 0.2)
    )
    return np.maximum(d, -neck)


@_params(*_TOP_PARAMS)
def t_shirt(u, v, p: Params) -> np.ndarray:
    """T-shirt/top: short sleeves."""
    return _top(u, v, p, short_sleeves=True, long_body=False)


@_params(*_TOP_PARAMS)
def pullover(u, v, p: Params) -> np.ndarray:
    """Pullover: long sleeves."""
    return _top(u, v, p, short_sleeves=False, long_body=False)


@_params(*_TOP_PARAMS)
def coat(u, v, p: Params) -> np.ndarray:
    """Coat: long sleeves, a longer body (the opening is drawn as a detail)."""
    return _top(u, v, p, short_sleeves=False, long_body=True)


@_params(*_TOP_PARAMS)
def shirt(u, v, p: Params) -> np.ndarray:
    """Shirt: long sleeves (the check pattern is drawn as a detail)."""
    return _top(u, v, p, short_sleeves=False, long_body=False)


@_params("waist", "spread", "leg_radius")
def trouser(u, v, p: Params) -> np.ndarray:
    """Trouser: waistband and two legs."""
    waist = p("waist", 0.28, 0.4)
    spread = p("spread", 0.0, 0.12)
    r = p("leg_radius", 0.12, 0.15)
    d = box(u, v, 0.0, -0.88, waist, 0.1)
    for side in (-1.0, 1.0):
        leg = capsule(
            u, v, side * (waist - r), -0.8, side * (waist - r + spread), 0.88, r
        )
        d = np.minimum(d, leg)
    return d


@_params("waist_y", "shoulders", "waist_width", "hem_width")
def dress(u, v, p: Params) -> np.ndarray:
    """Dress: bodice and flared skirt."""
    waist_y = p("waist_y", -0.35, -0.1)
    waist = p("waist_width", 0.15, 0.22)
    bodice = trapezoid(u, v, 0.0, -0.9, waist_y, p("shoulders", 0.2, 0.3), waist)
    skirt = trapezoid(u, v, 0.0, waist_y, 0.92, waist, p("hem_width", 0.4, 0.75))
    return np.minimum(bodice, skirt)


@_params("sole_y", "strap_1", "strap_2", "strap_3", "strap_height", "heel_height")
def sandal(u, v, p: Params) -> np.ndarray:
    """Sandal: thin sole and a few straps with gaps between them."""
    sole_y = p("sole_y", 0.35, 0.55)
    d = box(u, v, 0.0, sole_y, 0.9, 0.06)
    height = p("strap_height", 0.35, 0.6)
    for name, x0 in zip(("strap_1", "strap_2", "strap_3"), (-0.6, -0.15, 0.3)):
        strap = capsule(u, v, x0, sole_y, x0 + p(name, 0.1, 0.4), sole_y - height, 0.06)
        d = np.minimum(d, strap)
    heel = capsule(u, v, 0.6, sole_y, 0.75, sole_y - p("heel_height", 0.4, 0.75), 0.07)
    return np.minimum(d, heel)


@_params("sole_y", "upper_length", "upper_height", "toe_height")
def sneaker(u, v, p: Params) -> np.ndarray:
    """Sneaker: sole plus a low rounded upper, toe on the left."""
    sole_y = p("sole_y", 0.35, 0.55)
    sole = box(u, v, 0.0, sole_y, 0.92, 0.08)
    upper = ellipse(
        u, v, 0.15, sole_y, p("upper_length", 0.65, 0.8), p("upper_height", 0.35, 0.5)
    )
    upper = np.maximum(upper, v - sole_y)
    toe = ellipse(u, v, -0.55, sole_y - 0.05, 0.4, p("toe_height", 0.15, 0.22))
    return np.minimum(sole, np.minimum(upper, toe))


@_params("half_width", "half_height", "handle_radius", "handle_thickness")
def bag(u, v, p: Params) -> np.ndarray:
    """Bag: body and handle arc."""
    hw, hh = p("half_width", 0.65, 0.9), p("half_height", 0.4, 0.55)
    top = 0.85 - 2 * hh
    body = box(u, v, 0.0, (top + 0.85) / 2, hw, hh)
    radius = p("handle_radius", 0.3, 0.55)
    ring = np.abs(np.hypot(u, v - top) - radius) - p("handle_thickness", 0.04, 0.09)
    handle = np.maximum(ring, v - top)
    return np.minimum(body, handle)


@_params("sole_y", "shaft_width")
def ankle_boot(u, v, p: Params) -> np.ndarray:
    """Ankle boot: foot, shaft at the back, heel."""
    sole_y = p("sole_y", 0.55, 0.7)
    foot = box(u, v, 0.0, sole_y - 0.15, 0.88, 0.17)
    toe = ellipse(u, v, -0.6, sole_y - 0.2, 0.32, 0.22)
    shaft_w = p("shaft_width", 0.3, 0.42)
    shaft = box(
        u,
        v,
        0.88 - shaft_w,
        (sole_y - 0.3 - 0.9) / 2,
        shaft_w,
        (sole_y - 0.3 + 0.9) / 2,
    )
    return np.minimum(np.minimum(foot, toe), shaft)


#: One recipe per class, in the order of :data:`FASHION_CLASSES`.
FASHION_RECIPES: tuple[Recipe, ...] = (
    t_shirt,
    trouser,
    pullover,
    dress,
    coat,
    sandal,
    shirt,
    sneaker,
    bag,
    ankle_boot,
)


#: Parameters drawn from a separate stream (purpose 4), so the columns above
#: keep their values: the deformation, the class overlap and the print.
_FASHION_HARD = (
    "angle",
    "aspect",
    "shear",
    "overlap",
    "detail_on",
    "print_on",
    "print_freq",
    "print_angle",
    "print_strength",
    "noise",
)

# Difficulty, calibrated with bench/fashion_calibration.py against the real set
# (see its docstring): the stand-in should be about as hard as real
# Fashion-MNIST for the pack's dense networks and CNNs.
MAX_ANGLE = 0.065  # radians of random rotation, either way
MAX_SHEAR = 0.05
ASPECT = (0.935, 1.065)  # horizontal stretch
WARP = 0.04  # amplitude of the smooth elastic warp, in frame units (1 = 12.5 px)
#: Class overlap: (class, drawn with the silhouette of, probability).  Real
#: shirts are often short-sleeved, coats and pullovers share their cut.
SHAPE_SWAPS = (
    (6, 0, 0.26),  # short-sleeved shirts
    (0, 2, 0.1),  # long-sleeved tops
    (4, 2, 0.13),  # short coats
    (2, 4, 0.13),  # long pullovers
    (5, 7, 0.065),  # closed sandals
    (9, 7, 0.05),  # low ankle boots
)
#: Probability that a coat shows its opening / a shirt its check pattern.
DETAIL_PROBABILITY = {4: 0.74, 6: 0.8}
PRINT_PROBABILITY = 0.23  # stripes or a print on any article
NOISE = (0.035, 0.075)  # per-item standard deviation of the pixel noise


def _render_fashion(
    labels: np.ndarray,
    q: np.ndarray,
    texture_rng: np.random.Generator,
    noise_rng: np.random.Generator,
    warp_rng: np.random.Generator,
):
    m = len(labels)
    p = Params(q, _FASHION_COMMON, offset=_N_RECIPE_PARAMS)
    h = Params(q, _FASHION_HARD, offset=_N_RECIPE_PARAMS + len(_FASHION_COMMON))
    u0, v0 = grid(28, 12.5)
    scale = p("scale", 0.75, 1.05)
    u = (u0 - p("shift_u", -0.1, 0.1)) / scale
    v = (v0 - p("shift_v", -0.1, 0.1)) / scale
    # Deformation: rotation, shear and stretch, then a smooth elastic warp.
    angle = h("angle", -MAX_ANGLE, MAX_ANGLE)
    cos, sin = np.cos(angle), np.sin(angle)
    u, v = cos * u + sin * v, cos * v - sin * u
    u = u / h("aspect", *ASPECT) + h("shear", -MAX_SHEAR, MAX_SHEAR) * v
    warp = smooth_noise(warp_rng, 2 * m, 28, 4).reshape(m, 2, 28, 28) - 0.5
    u = u + 2 * WARP * warp[:, 0]
    v = v + 2 * WARP * warp[:, 1]
    # Class overlap: some items take another class's silhouette.
    shape = labels.astype(np.int64)
    for label, other, prob in SHAPE_SWAPS:
        shape[(labels == label) & (h.raw("overlap") < prob)] = other
    dist = np.empty((m, 28, 28))
    for c, recipe in enumerate(FASHION_RECIPES):
        sel = shape == c
        if sel.any():
            dist[sel] = recipe(u[sel], v[sel], Params(q[sel], recipe.params))
    coverage = cover(dist * scale, 12.5)
    # Shade, a soft texture, class details (coat opening, shirt checks, not
    # always visible), a print on some items of every class, pixel noise.
    shade = p("shade", 0.35, 1.0)
    texture = 0.6 + 0.4 * smooth_noise(texture_rng, m, 28, 6)
    strength = p("detail", 0.0, 0.4)
    checks = (np.sin(u * 14.0) > 0.6) | (np.sin(v * 14.0) > 0.6)
    detail = np.ones((m, 28, 28))
    coat = labels == 4
    on = (h.raw("detail_on") < DETAIL_PROBABILITY[4])[:, None, None]
    detail[coat] = 1.0 - (strength * on)[coat] * 1.5 * (np.abs(u[coat]) < 0.04)
    shirt = labels == 6
    on = (h.raw("detail_on") < DETAIL_PROBABILITY[6])[:, None, None]
    detail[shirt] = 1.0 - (strength * on)[shirt] * checks[shirt]
    theta = h("print_angle", 0.0, np.pi)
    stripes = np.sin(
        h("print_freq", 6.0, 16.0) * (u * np.cos(theta) + v * np.sin(theta))
    )
    printed = (h.raw("print_on") < PRINT_PROBABILITY)[:, None, None]
    pattern = 1.0 - printed * h("print_strength", 0.1, 0.45) * (stripes > 0.3)
    img = coverage * shade * texture * detail * pattern
    sigma = h("noise", *NOISE)
    img = img + coverage * sigma * noise_rng.normal(0.0, 1.0, size=(m, 28, 28))
    return np.clip(img, 0.0, 1.0)


def _make_fashion(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = labels(seed, split, n)
    q = stream(seed, split, 1).random((n, _N_RECIPE_PARAMS + len(_FASHION_COMMON)))
    q = np.hstack([q, stream(seed, split, 4).random((n, len(_FASHION_HARD)))])
    rngs = (stream(seed, split, 2), stream(seed, split, 3), stream(seed, split, 5))
    x = chunked(_render_fashion, y, q, rngs, (28, 28))
    return x, y


def standin_fashion_mnist(
    n_train: int = 60000, n_test: int = 10000, seed: int = 0
) -> Dataset:
    """Offline stand-in for Fashion-MNIST: synthetic grey silhouettes.

    Each class has its own recipe of simple parts (T-shirt: torso and short
    sleeves; trouser: two legs; pullover, coat and shirt: long sleeves, the
    coat with a dark opening, the shirt with a check pattern; dress: flared
    trapezoids; sandal: sole and thin straps; sneaker: low shoe; bag: body and
    handle; ankle boot: foot and shaft) with random proportions, size,
    position, shade and texture, on a black background.  To be about as hard
    as the real set: a small random rotation, shear, stretch and elastic
    warp; class overlap as in the real data (some shirts short-sleeved, some
    tops long-sleeved, coats and pullovers of each other's length, closed
    sandals and low boots drawn like sneakers; the coat's opening and the
    shirt's checks not always visible, see :data:`SHAPE_SWAPS`); stripes on
    about a quarter of all items; pixel noise of varying strength.  Calibrated
    with ``bench/fashion_calibration.py``.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 60000 / 10000).
    seed
        Non-negative integer (deterministic; smaller splits are prefixes).

    Returns
    -------
    Dataset
        ``name="fashion_mnist"``, x uint8 (n, 28, 28) in 0..255, y uint8 (n,)
        in 0..9, the ten Fashion-MNIST class names, ``source="stand-in"``.
    """
    return make_dataset(
        "fashion_mnist",
        _make_fashion,
        n_train,
        n_test,
        seed,
        FASHION_CLASSES,
        "synthetic grey silhouettes of the ten item types (geometric parts with "
        "random proportions, size, shade and texture)",
    )
