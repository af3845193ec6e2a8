"""CIFAR-10 stand-in: small colour scenes, one recipe per class.

A scene is a background in the class's typical colours split by a horizon,
and an object made of simple parts; each class's recipe returns its parts
as (signed distance, colour) layers drawn in order.
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
    triangle,
)
from ..dataset import CIFAR10_CLASSES, Dataset
from ._common import labels, make_dataset

__all__ = ["CIFAR_RECIPES", "standin_cifar10"]

# Background (top colour, bottom colour) and object palettes per class, RGB.
_SKY = (0.55, 0.70, 0.90)
_CIFAR_BACKGROUND: dict[int, tuple[tuple[float, ...], tuple[float, ...]]] = {
    0: (_SKY, (0.75, 0.82, 0.92)),  # airplane: sky all over
    1: ((0.62, 0.64, 0.68), (0.33, 0.33, 0.35)),  # automobile: street, road
    2: ((0.45, 0.62, 0.80), (0.35, 0.55, 0.30)),  # bird: sky over foliage
    3: ((0.62, 0.52, 0.42), (0.50, 0.40, 0.32)),  # cat: indoors, warm
    4: ((0.30, 0.42, 0.25), (0.45, 0.40, 0.28)),  # deer: forest, brown ground
    5: ((0.60, 0.60, 0.55), (0.40, 0.58, 0.30)),  # dog: grass
    6: ((0.38, 0.45, 0.25), (0.42, 0.36, 0.25)),  # frog: ground close up
    7: (_SKY, (0.40, 0.60, 0.28)),  # horse: sky over a field
    8: ((0.65, 0.75, 0.88), (0.15, 0.32, 0.55)),  # ship: sky over water
    9: ((0.60, 0.63, 0.66), (0.30, 0.30, 0.32)),  # truck: street, road
}
_HORIZON: dict[int, tuple[float, float]] = {  # range of the horizon height
    0: (0.8, 1.0),
    1: (-0.1, 0.3),
    2: (0.0, 0.6),
    3: (-0.3, 0.3),
    4: (-0.2, 0.3),
    5: (-0.2, 0.2),
    6: (-0.9, -0.5),
    7: (-0.2, 0.2),
    8: (0.0, 0.35),
    9: (-0.1, 0.3),
}
_ANIMAL_COLOURS = np.array(
    [
        (0.55, 0.38, 0.22),  # brown
        (0.80, 0.60, 0.35),  # tan / golden
        (0.20, 0.18, 0.16),  # black
        (0.85, 0.83, 0.78),  # white
        (0.55, 0.55, 0.55),  # grey
        (0.85, 0.50, 0.20),  # ginger
    ]
)
_BIRD_COLOURS = np.array(
    [(0.55, 0.38, 0.22), (0.80, 0.20, 0.15), (0.20, 0.35, 0.75), (0.85, 0.75, 0.20)]
)
_FROG_COLOURS = np.array([(0.35, 0.55, 0.20), (0.50, 0.45, 0.25), (0.25, 0.45, 0.25)])


def pick(palette: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Palette colour for each uniform number in ``f`` (n,) -> (n, 3)."""
    return palette[np.minimum((f * len(palette)).astype(int), len(palette) - 1)]


def hue_colour(f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """A saturated colour of random hue (vehicles), (n, 3) in [0, 1]."""
    hue = 2 * np.pi * f[:, None]
    rgb = 0.5 + 0.45 * np.cos(hue - np.array([0.0, 2.1, 4.2])[None, :])
    # one vehicle in four is white, silver or black
    plain = np.where(g < 0.5, 0.9, np.where(g < 0.75, 0.6, 0.12))[:, None]
    return np.where((g < 0.25)[:, None] | (g > 0.85)[:, None], plain, rgb)


_RECIPE_PARAMS_FROM = 10  # columns 10.. belong to the class's recipe
_CIFAR_COMMON = (
    "scale",
    "flip",
    "shift_u",
    "shift_v",
    "sky_r",
    "sky_g",
    "sky_b",
    "horizon",
    "exposure",
    "other_scene",  # < 0.35: the background of another class
)
_N_PARAMS = 24
Layers = list[tuple[np.ndarray, np.ndarray]]
Recipe = Callable[[np.ndarray, np.ndarray, Params], Layers]


def _params(*names: str) -> Callable[[Recipe], Recipe]:
    """Declare the named random parameters of a recipe (columns 10, 11, ...)."""

    def wrap(recipe: Recipe) -> Recipe:
        recipe.params = names  # type: ignore[attr-defined]
        return recipe

    return wrap


def _flat(n: int, rgb: tuple[float, float, float]) -> np.ndarray:
    """The colour ``rgb`` for ``n`` items, (n, 3)."""
    return np.tile(rgb, (n, 1))


_DARK = (0.1, 0.1, 0.1)
_GLASS = (0.30, 0.36, 0.45)


@_params("tilt", "grey", "fuselage")
def airplane(u, v, p: Params) -> Layers:
    """Fuselage, swept wings and tail, tilted."""
    angle = p("tilt", -0.5, 0.5)
    cos, sin = np.cos(angle), np.sin(angle)
    x, y = u * cos + v * sin, -u * sin + v * cos
    colour = np.repeat(0.6 + 0.35 * p.columns("grey"), 3, axis=1)
    body = capsule(x, y, -0.75, 0.0, 0.75, 0.0, p("fuselage", 0.08, 0.13))
    wing = trapezoid(x, y, 0.05, -0.65, 0.65, 0.12, 0.22)
    wing = np.maximum(wing, np.abs(x - 0.05 - 0.25 * np.abs(y)) - 0.14)
    tail = capsule(x, y, 0.65, 0.0, 0.8, -0.3, 0.06)
    return [(np.minimum(np.minimum(body, wing), tail), colour)]


@_params("hue", "plain", "length", "height", "cabin_shift")
def automobile(u, v, p: Params) -> Layers:
    """Body, cabin with glass, two wheels."""
    colour = hue_colour(p.raw("hue"), p.raw("plain"))
    body = box(u, v, 0.0, 0.25, p("length", 0.65, 0.85), p("height", 0.15, 0.22))
    cabin = trapezoid(u, v, p("cabin_shift", -0.15, 0.15), -0.2, 0.1, 0.3, 0.5)
    wheels = np.minimum(
        ellipse(u, v, -0.5, 0.45, 0.15, 0.15),
        ellipse(u, v, 0.5, 0.45, 0.15, 0.15),
    )
    return [
        (cabin, _flat(len(p), _GLASS)),
        (body, colour),
        (wheels, _flat(len(p), _DARK)),
    ]


@_params("hue", "plain", "cargo_y", "cargo_height", "cab_hue", "cab_plain")
def truck(u, v, p: Params) -> Layers:
    """Cargo box, cab with a window, three wheels."""
    colour = hue_colour(p.raw("hue"), p.raw("plain"))
    cargo = box(
        u, v, 0.2, p("cargo_y", -0.15, 0.05), 0.62, p("cargo_height", 0.35, 0.5)
    )
    cab = box(u, v, -0.62, 0.2, 0.2, 0.28)
    window = box(u, v, -0.65, 0.05, 0.12, 0.1)
    wheels = np.minimum(
        np.minimum(
            ellipse(u, v, -0.6, 0.55, 0.13, 0.13),
            ellipse(u, v, 0.1, 0.55, 0.13, 0.13),
        ),
        ellipse(u, v, 0.5, 0.55, 0.13, 0.13),
    )
    cab_colour = hue_colour(p.raw("cab_hue"), p.raw("cab_plain"))
    return [
        (cargo, colour),
        (cab, cab_colour),
        (window, _flat(len(p), _GLASS)),
        (wheels, _flat(len(p), _DARK)),
    ]


@_params("dark_hull", "hue", "plain", "deck", "hull_length", "house_x", "house_width")
def ship(u, v, p: Params) -> Layers:
    """Hull, white superstructure and mast."""
    hull_colour = np.where(
        (p.raw("dark_hull") < 0.5)[:, None],
        np.array([0.15, 0.15, 0.18]),
        hue_colour(p.raw("hue"), p.raw("plain")),
    )
    top = p("deck", 0.05, 0.2)
    hull = trapezoid(u, v, 0.0, top, top + 0.3, p("hull_length", 0.75, 0.9), 0.55)
    house = box(
        u, v, p("house_x", -0.3, 0.3), top - 0.17, p("house_width", 0.2, 0.35), 0.17
    )
    mast = capsule(u, v, 0.0, top - 0.3, 0.0, top - 0.6, 0.04)
    return [
        (np.minimum(house, mast), _flat(len(p), (0.9, 0.9, 0.9))),
        (hull, hull_colour),
    ]


@_params("colour", "size")
def bird(u, v, p: Params) -> Layers:
    """Body, head, orange beak, tail."""
    colour = pick(_BIRD_COLOURS, p.raw("colour"))
    s = p("size", 0.7, 1.1)
    body = ellipse(u, v, 0.0, 0.1, 0.38 * s, 0.24 * s)
    head = ellipse(u, v, 0.35 * s, -0.15 * s, 0.16 * s, 0.16 * s)
    tail = capsule(u, v, -0.3 * s, 0.15, -0.65 * s, 0.0, 0.07 * s)
    beak = triangle(
        u, v, ((0.48 * s, -0.2 * s), (0.48 * s, -0.08 * s), (0.68 * s, -0.14 * s))
    )
    orange = _flat(len(p), (0.95, 0.6, 0.1))
    return [(np.minimum(np.minimum(body, head), tail), colour), (beak, orange)]


def _face(u, v, p: Params):
    colour = pick(_ANIMAL_COLOURS, p.raw("colour"))
    s = p("size", 0.85, 1.15)
    head = ellipse(u, v, 0.0, 0.15, 0.5 * s, 0.45 * s)
    eyes = np.minimum(
        ellipse(u, v, -0.2 * s, 0.05, 0.07, 0.08),
        ellipse(u, v, 0.2 * s, 0.05, 0.07, 0.08),
    )
    nose = ellipse(u, v, 0.0, 0.3 * s, 0.08, 0.06)
    return colour, s, head, eyes, nose


@_params("colour", "size")
def cat(u, v, p: Params) -> Layers:
    """A face filling the picture: pointed ears, green-yellow eyes."""
    colour, s, head, eyes, nose = _face(u, v, p)
    ears = np.minimum(
        triangle(u, v, ((-0.5 * s, -0.05), (-0.1 * s, -0.2), (-0.4 * s, -0.7))),
        triangle(u, v, ((0.5 * s, -0.05), (0.1 * s, -0.2), (0.4 * s, -0.7))),
    )
    eye_colour = _flat(len(p), (0.6, 0.7, 0.2))
    return [
        (np.minimum(head, ears), colour),
        (eyes, eye_colour),
        (nose, _flat(len(p), _DARK)),
    ]


@_params("colour", "size")
def dog(u, v, p: Params) -> Layers:
    """A face filling the picture: floppy ears at the sides, a lighter snout."""
    colour, s, head, eyes, nose = _face(u, v, p)
    ears = np.minimum(
        ellipse(u, v, -0.5 * s, 0.15, 0.15, 0.35 * s),
        ellipse(u, v, 0.5 * s, 0.15, 0.15, 0.35 * s),
    )
    snout = ellipse(u, v, 0.0, 0.35 * s, 0.22 * s, 0.16 * s)
    light = np.clip(colour + 0.25, 0, 1)
    return [
        (head, colour),
        (ears, colour * 0.6),
        (snout, light),
        (np.minimum(eyes, nose), _flat(len(p), _DARK)),
    ]


def _quadruped(u, v, p: Params, colour: np.ndarray, *, slender: bool) -> np.ndarray:
    """Body, neck, head and four legs (thinner for the deer)."""
    leg_r = 0.05 if slender else 0.065
    body = ellipse(u, v, 0.05, 0.0, 0.5, 0.22)
    neck = capsule(u, v, -0.3, -0.05, -0.5, -0.45, 0.1 if slender else 0.13)
    head = capsule(u, v, -0.5, -0.45, -0.75, -0.3, 0.09)
    legs = None
    for x0 in (-0.3, -0.15, 0.25, 0.4):
        leg = capsule(u, v, x0, 0.1, x0 + p("stance", -0.08, 0.08), 0.8, leg_r)
        legs = leg if legs is None else np.minimum(legs, leg)
    return np.minimum(np.minimum(body, neck), np.minimum(head, legs))


@_params("colour", "unused", "stance")
def deer(u, v, p: Params) -> Layers:
    """Slender brown quadruped with antlers."""
    colour = _flat(len(p), (0.58, 0.40, 0.24)) * (0.85 + 0.3 * p.columns("colour"))
    antlers = np.minimum(
        capsule(u, v, -0.5, -0.55, -0.35, -0.9, 0.03),
        capsule(u, v, -0.55, -0.55, -0.75, -0.9, 0.03),
    )
    return [
        (_quadruped(u, v, p, colour, slender=True), colour),
        (antlers, _flat(len(p), (0.35, 0.25, 0.15))),
    ]


@_params("colour", "unused", "stance")
def horse(u, v, p: Params) -> Layers:
    """Sturdier quadruped in a horse colour."""
    colour = pick(_ANIMAL_COLOURS[:4], p.raw("colour"))
    return [(_quadruped(u, v, p, colour, slender=False), colour)]


@_params("colour", "size")
def frog(u, v, p: Params) -> Layers:
    """Wide squat body, eye bumps with pupils, legs."""
    colour = pick(_FROG_COLOURS, p.raw("colour"))
    s = p("size", 0.8, 1.15)
    body = ellipse(u, v, 0.0, 0.2, 0.6 * s, 0.33 * s)
    bumps = np.minimum(
        ellipse(u, v, -0.28 * s, -0.12 * s, 0.14, 0.14),
        ellipse(u, v, 0.28 * s, -0.12 * s, 0.14, 0.14),
    )
    legs = np.minimum(
        ellipse(u, v, -0.55 * s, 0.45 * s, 0.3, 0.12),
        ellipse(u, v, 0.55 * s, 0.45 * s, 0.3, 0.12),
    )
    pupils = np.minimum(
        ellipse(u, v, -0.28 * s, -0.14 * s, 0.06, 0.06),
        ellipse(u, v, 0.28 * s, -0.14 * s, 0.06, 0.06),
    )
    return [
        (np.minimum(np.minimum(body, bumps), legs), colour),
        (pupils, _flat(len(p), _DARK)),
    ]


#: One recipe per class, in the order of :data:`CIFAR10_CLASSES`.
CIFAR_RECIPES: tuple[Recipe, ...] = (
    airplane,
    automobile,
    bird,
    cat,
    deer,
    dog,
    frog,
    horse,
    ship,
    truck,
)


_SCENE_CLASS = 17  # column: which other class's background (with other_scene)


def _render_cifar(
    labels: np.ndarray,
    q: np.ndarray,
    texture_rng: np.random.Generator,
    noise_rng: np.random.Generator,
):
    m = len(labels)
    p = Params(q, _CIFAR_COMMON)
    u0, v0 = grid(32, 16.0)
    scale = p("scale", 0.8, 1.15)
    flip = np.where(p.raw("flip") < 0.5, -1.0, 1.0).astype(np.float32)[:, None, None]
    u = np.broadcast_to(flip * (u0 - p("shift_u", -0.15, 0.15)) / scale, (m, 32, 32))
    v = np.broadcast_to((v0 - p("shift_v", -0.15, 0.15)) / scale, (m, 32, 32))

    texture = smooth_noise(texture_rng, m, 32, 6)[..., None]
    # The scene: usually the class's own background, in 35 % of the items
    # the background of a random class (objects are not always where they
    # are expected, as in real photos).
    other = np.minimum(q[:, _SCENE_CLASS] * 10, 9).astype(int)
    scene = np.where(p.raw("other_scene") < 0.35, other, labels)
    jitter = 0.25 * (p.columns("sky_r", "sky_g", "sky_b") - 0.5)
    img = np.empty((m, 32, 32, 3), dtype=np.float32)
    for c in range(10):
        sel = scene == c
        if not sel.any():
            continue
        top, bottom = (np.array(col) for col in _CIFAR_BACKGROUND[c])
        lo, hi = _HORIZON[c]
        horizon = (lo + (hi - lo) * p.raw("horizon")[sel]).astype(np.float32)
        horizon = horizon[:, None, None]
        t = np.clip((v0 - horizon) * 6.0 + 0.5, 0.0, 1.0)[..., None]
        top = (top + jitter[sel]).astype(np.float32)[:, None, None, :]
        bottom = bottom.astype(np.float32)
        img[sel] = (top * (1 - t) + bottom * t) * (0.8 + 0.4 * texture[sel])
    for c, recipe in enumerate(CIFAR_RECIPES):
        sel = labels == c
        if not sel.any():
            continue
        back = img[sel]
        shading = 0.85 + 0.3 * texture[sel]
        own = Params(q[sel], recipe.params, offset=_RECIPE_PARAMS_FROM)
        for dist, colour in recipe(u[sel], v[sel], own):
            coverage = cover(dist * scale[sel], 16.0)[..., None]
            colour = colour.astype(np.float32)[:, None, None, :]
            back += (colour * shading - back) * coverage
        img[sel] = back
    img *= p("exposure", 0.7, 1.2)[..., None]
    img += 0.06 * noise_rng.standard_normal((m, 32, 32, 3), dtype=np.float32)
    return img


def _make_cifar(split: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    y = labels(seed, split, n)
    q = stream(seed, split, 1).random((n, _N_PARAMS))
    rngs = (stream(seed, split, 2), stream(seed, split, 3))
    x = chunked(_render_cifar, y, q, rngs, (32, 32, 3))
    return x, y


def standin_cifar10(
    n_train: int = 50000, n_test: int = 10000, seed: int = 0
) -> Dataset:
    """Offline stand-in for CIFAR-10: small synthetic colour scenes.

    One recipe per class: a background in the class's typical colours (sky,
    street and road, foliage, a room, forest, grass, water) split by a
    horizon at a random height, and an object built from simple shapes
    (airplane: fuselage and wings; automobile and truck in random colours with
    windows and wheels; ship: hull and superstructure; bird, cat and dog
    faces, deer with antlers, horse, frog) with random size, position,
    mirror image, texture, exposure and noise.

    Parameters
    ----------
    n_train, n_test
        Split sizes, >= 1 (the real ones: 50000 / 10000).
    seed
        Non-negative integer (deterministic; smaller splits are prefixes).

    Returns
    -------
    Dataset
        ``name="cifar10"``, x uint8 (n, 32, 32, 3) in 0..255, y uint8 (n,) in
        0..9, the CIFAR-10 class names, ``source="stand-in"``.
    """
    return make_dataset(
        "cifar10",
        _make_cifar,
        n_train,
        n_test,
        seed,
        CIFAR10_CLASSES,
        "synthetic 32x32 colour scenes: class-typical background palettes and "
        "objects built from simple shapes, random size/position/mirroring, "
        "texture and noise",
    )
