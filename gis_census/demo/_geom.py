"""Small vectorised geometry helpers for the demo generator (local metre coordinates)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Polygon

from gis_census.rules import has_land


def rectangles(cx, cy, w, h, angle=0.0) -> np.ndarray:
    """Rotated rectangles centred on ``(cx, cy)`` with width ``w``, height ``h``, angle in radians."""
    cx, cy, w, h, angle = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (cx, cy, w, h, angle)))
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx = corners[None, :, 0] * w[:, None]
    dy = corners[None, :, 1] * h[:, None]
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    xy = np.stack([cx[:, None] + dx * c - dy * s, cy[:, None] + dx * s + dy * c], axis=-1)
    return shapely.polygons(xy)


def blob(cx: float, cy: float, radius: float, rng: np.random.Generator, roughness: float = 0.18,
         vertices: int = 72) -> Polygon:
    """Irregular star-shaped polygon: a circle with smooth random radial noise."""
    theta = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    r = np.ones_like(theta)
    for k in range(2, 7):
        r += roughness / k * rng.uniform(0.4, 1.0) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r = radius * np.clip(r, 0.45, None)
    return Polygon(np.column_stack([cx + r * np.cos(theta), cy + r * np.sin(theta)]))


def wiggle_line(p0, p1, rng: np.random.Generator, amplitude: float, step: float = 150.0) -> LineString:
    """Line from ``p0`` to ``p1`` with smooth lateral meanders of about ``amplitude`` metres."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    length = float(np.hypot(*(p1 - p0)))
    n = max(2, int(length / step) + 1)
    t = np.linspace(0.0, 1.0, n)
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(length, 1e-9)
    offset = np.zeros(n)
    for k in (1, 2, 3, 5):
        offset += amplitude / k * rng.uniform(-1, 1) * np.sin(np.pi * k * t + rng.uniform(0, np.pi))
    offset *= np.sin(np.pi * t) ** 0.3  # ends stay on the straight line
    xy = p0[None, :] + t[:, None] * (p1 - p0)[None, :] + offset[:, None] * normal[None, :]
    return LineString(xy)


def polygonal(geom):
    """Polygonal part of ``geom`` (drops points and lines from overlay output)."""
    parts = shapely.get_parts(geom)
    parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    if len(parts) == 0:
        return Polygon()
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts)


def merge_fragments(geoms: list) -> list:
    """Make every tile one Polygon: give each stray part to the neighbour it shares most edge with."""
    geoms = [polygonal(g) for g in geoms]
    for _ in range(10):
        changed = False
        for i, g in enumerate(geoms):
            if g.geom_type != "MultiPolygon":
                continue
            parts = sorted(shapely.get_parts(g), key=lambda p: -p.area)
            keep = [parts[0]]
            for frag in parts[1:]:
                edge = frag.boundary
                shared = [shapely.length(shapely.intersection(edge, geoms[j])) if j != i else 0.0
                          for j in range(len(geoms))]
                j = int(np.argmax(shared))
                if shared[j] > 0:
                    geoms[j] = polygonal(shapely.union(geoms[j], frag))
                    changed = True
                else:
                    keep.append(frag)
            geoms[i] = keep[0] if len(keep) == 1 else shapely.union_all(keep)
        if not changed:
            break
    return geoms


def voronoi_tiles(region: Polygon, points: np.ndarray, fixed: list | None = None) -> list:
    """Tiles of ``region``, one per point (same order): Voronoi cells clipped to single Polygons.

    ``fixed`` optionally gives exact polygons for the first tiles (inside ``region``); they are cut
    out of all other cells.
    """
    cells = shapely.get_parts(
        shapely.voronoi_polygons(MultiPoint(points), extend_to=region.envelope.buffer(10.0), ordered=True)
    )
    cells = shapely.intersection(cells, region)
    if fixed:
        hole = shapely.union_all(fixed)
        cells = shapely.difference(cells, hole)
        for k, poly in enumerate(fixed):
            cells[k] = shapely.union(cells[k], poly)
    return merge_fragments(list(cells))


def dart_throw(region: Polygon, n: int, min_dist: float, rng: np.random.Generator,
               avoid=None, avoid_dist: float = 0.0, tries: int = 4000) -> np.ndarray:
    """Up to ``n`` random points in ``region`` at least ``min_dist`` apart and ``avoid_dist`` from geometry ``avoid``."""
    minx, miny, maxx, maxy = region.bounds
    cand = np.column_stack([rng.uniform(minx, maxx, tries), rng.uniform(miny, maxy, tries)])
    cand = cand[shapely.contains_xy(region, cand[:, 0], cand[:, 1])]
    if has_land(avoid):
        cand = cand[shapely.distance(avoid, shapely.points(cand)) >= avoid_dist]
    chosen: list[np.ndarray] = []
    for p in cand:
        if all(np.hypot(*(p - q)) >= min_dist for q in chosen):
            chosen.append(p)
            if len(chosen) == n:
                break
    return np.array(chosen).reshape(-1, 2)


def make_river(rng, names, region, through, angle: float, width: float, amplitude: float):
    """A river crossing ``region`` through point ``through``: (polygon, centre line, name)."""
    minx, miny, maxx, maxy = region.bounds
    half = 0.75 * max(maxx - minx, maxy - miny)
    d = np.array([np.cos(angle), np.sin(angle)])
    p = np.asarray(through, float)
    line = wiggle_line(p - half * d, p + half * d, rng, amplitude, step=max(60.0, amplitude / 3))
    line = shapely.intersection(line, region.buffer(50.0))
    if line.geom_type != "LineString":
        line = max(shapely.get_parts(line), key=lambda g: g.length)
    poly = shapely.intersection(line.buffer(width / 2, cap_style="flat", quad_segs=4), region)
    if poly.geom_type != "Polygon":
        poly = max(shapely.get_parts(poly), key=lambda g: g.area)
    return poly, line, names.river()
