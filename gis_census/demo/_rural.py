"""Rural parts of a demo township: village settlements with lanes, farms, factories, ponds."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString

from ._geom import blob, rectangles, wiggle_line
from ._town import Candidates, rural_people
from .names import NamePool

LANE_PITCH = 44.0  # one E-W lane every two rows of courtyards
HOUSE_PITCH = 17.0
PLOT_AREA = LANE_PITCH / 2 * HOUSE_PITCH
MEAN_RESIDENTS = 4.05  # of rural_people()


def _rotate(u, v, cx, cy, theta):
    c, s = np.cos(theta), np.sin(theta)
    return cx + u * c - v * s, cy + u * s + v * c


def settlement(rng: np.random.Generator, names: NamePool, cx: float, cy: float, people: float, stem: str,
               cand: Candidates, lanes: list, water: list, rich: bool = True) -> None:
    """A compact village of courtyard houses in rows along E-W lanes around ``(cx, cy)``.

    Adds buildings to ``cand``, lanes ``(geom, "", "lane")`` to ``lanes`` and maybe a pond to ``water``.
    """
    occupancy = 0.86
    n_plots = people / MEAN_RESIDENTS / occupancy / 0.8  # ~20 % of plots are lost to lanes and roads
    radius = float(np.sqrt(n_plots * PLOT_AREA / np.pi))
    theta = float(rng.normal(0.0, 0.1))
    outline = blob(cx, cy, radius, rng, roughness=0.3, vertices=48)
    # village office, school and temple near the centre come first
    extras = [(25.0, 22.0, 26.0, 12.0, "public", (stem + "村委会", "government"))]
    if rng.random() < (0.5 if rich else 0.3):
        extras.append((-45.0, 22.0 + LANE_PITCH, 44.0, 14.0, "school", (stem + "小学", "school")))
    if rng.random() < (0.35 if rich else 0.15):
        extras.append((40.0, 22.0 - LANE_PITCH, 12.0, 10.0, "public", (names.temple(), "temple")))
    for u, v, w, h, use, mark in extras:
        x, y = _rotate(u, v, cx, cy, theta)
        cand.add(rectangles([x], [y], w, h, theta), 0, 0, use, None, mark)
    # courtyard houses: rows at 11 m and 33 m north of every lane
    span = radius * 1.35
    k = np.arange(-np.ceil(span / LANE_PITCH), np.ceil(span / LANE_PITCH) + 1)
    rows = (k[:, None] * LANE_PITCH + np.array([11.0, 33.0])[None, :]).ravel()
    cols = np.arange(-span, span + 1, HOUSE_PITCH)
    u, v = np.meshgrid(cols, rows)
    u = u.ravel() + rng.uniform(-1.0, 1.0, u.size)
    v = v.ravel() + rng.uniform(-0.8, 0.8, v.size)
    x, y = _rotate(u, v, cx, cy, theta)
    keep = shapely.contains_xy(outline, x, y) & (rng.random(x.size) < occupancy)
    x, y = x[keep], y[keep]
    n = int(keep.sum())
    pop, hh = rural_people(rng, n)
    widths, heights = rng.uniform(10.0, 14.0, n), rng.uniform(10.0, 12.5, n)
    cand.add(rectangles(x, y, widths, heights, theta + rng.normal(0, 0.02, n)), pop, hh, "residential")
    # lanes: E-W every LANE_PITCH, one N-S lane through the centre
    frame = outline.buffer(12.0)
    ends = []
    for kk in k:
        ends.append(_rotate(np.array([-span, span]), np.array([kk, kk]) * LANE_PITCH, cx, cy, theta))
    ends.append(_rotate(np.array([0.0, 0.0]), np.array([-span, span]), cx, cy, theta))
    lines = shapely.intersection(shapely.linestrings([np.column_stack(e) for e in ends]), frame)
    for part in shapely.get_parts(lines):
        if part.geom_type == "LineString" and part.length > 30:
            lanes.append((part, "", "lane"))
    # a pond at the edge of the village
    if rng.random() < (0.6 if rich else 0.25):
        a = rng.uniform(0, 2 * np.pi)
        r = rng.uniform(25, 55)
        d = radius + r * 0.6
        water.append((blob(cx + d * np.cos(a), cy + d * np.sin(a), r, rng, 0.35, 32), names.pond(), "pond"))


def scattered(rng: np.random.Generator, tile, count: int, cand: Candidates) -> None:
    """``count`` isolated farmhouses at random places in ``tile``."""
    minx, miny, maxx, maxy = tile.bounds
    px, py = rng.uniform(minx, maxx, count * 4), rng.uniform(miny, maxy, count * 4)
    inside = shapely.contains_xy(tile, px, py)
    px, py = px[inside][:count], py[inside][:count]
    n = len(px)
    pop, hh = rural_people(rng, n)
    pop = np.minimum(pop, 5)
    cand.add(rectangles(px, py, rng.uniform(11, 15, n), rng.uniform(9, 12, n), rng.normal(0, 0.15, n)),
             pop, hh, "residential")


def factories(rng: np.random.Generator, roads: list, count: int, cand: Candidates) -> None:
    """``count`` factories set back 40-90 m beside random points of ``roads`` (LineStrings)."""
    if not roads or count <= 0:
        return
    pick = rng.integers(len(roads), size=count)
    for r_i in pick:
        line = roads[int(r_i)]
        t = rng.uniform(0.15, 0.85)
        p = np.array(line.interpolate(t, normalized=True).coords[0])
        q = np.array(line.interpolate(min(1.0, t + 0.01), normalized=True).coords[0])
        d = q - p
        if not np.any(d):
            continue
        d /= np.hypot(*d)
        side = rng.choice([-1.0, 1.0])
        off = rng.uniform(45, 90)
        c = p + side * off * np.array([-d[1], d[0]])
        w, h = rng.uniform(50, 90), rng.uniform(24, 40)
        ang = np.arctan2(d[1], d[0])
        dorm = int(rng.integers(0, 9))
        cand.add(rectangles([c[0]], [c[1]], w, h, ang), dorm, int(dorm > 0), "factory")


def road(p0, p1, rng: np.random.Generator, amplitude: float = 60.0) -> LineString:
    """Gently bending country road from ``p0`` to ``p1``."""
    return wiggle_line(p0, p1, rng, amplitude, step=120.0)
