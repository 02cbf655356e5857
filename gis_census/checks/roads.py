"""Boundaries that cross a road mid-street: a point an enumerator cannot find on the ground."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem

__all__ = ["Crossings", "Houses", "road_crossing_problems", "road_crossings"]


@dataclass
class Crossings:
    """Points where the boundary between two small areas `a` and `b` (indexes) of one district crosses a road
    between junctions, each `gap` m from the nearest junction or road end (see :func:`road_crossings`)."""

    points: np.ndarray
    a: np.ndarray
    b: np.ndarray
    gap: np.ndarray

    def __getitem__(self, rows) -> Crossings:
        return Crossings(self.points[rows], self.a[rows], self.b[rows], self.gap[rows])


@dataclass
class Houses:
    """The buildings of a check: the small area holding each (index into the areas, -1 for none), their bounds
    (minx, miny, maxx, maxy) and what gives back the footprints of some rows."""

    where: np.ndarray
    boxes: np.ndarray
    locate: Callable[[np.ndarray], np.ndarray]

    def flank(self, crossings: Crossings, reach: float) -> np.ndarray:
        """Which crossings have a footprint of each of their two areas within `reach` m. Bounds choose the
        candidates; only those footprints are read."""
        n = len(crossings.points)
        areas, points = np.r_[crossings.a, crossings.b], np.r_[crossings.points, crossings.points]
        order = np.argsort(self.where, kind="stable")
        first = np.searchsorted(self.where[order], areas, side="left")
        counts = np.searchsorted(self.where[order], areas, side="right") - first
        owner = np.repeat(np.arange(len(areas)), counts)
        rows = order[np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
        xy, box = shapely.get_coordinates(points)[owner], self.boxes[rows]
        off = np.maximum(np.maximum(box[:, :2] - xy, xy - box[:, 2:]), 0)  # from the point to the bounds
        near = np.hypot(off[:, 0], off[:, 1]) <= reach
        found = np.zeros(len(areas), dtype=bool)
        if near.any():
            close = shapely.distance(self.locate(rows[near]), points[owner[near]]) <= reach
            found[owner[near][close]] = True
        return found[:n] & found[n:]


def road_crossings(geoms: np.ndarray, parents: np.ndarray, roads: np.ndarray, settings: CheckSettings) -> Crossings:
    """Where the boundary between two small areas of one district (`parents`: their districts) crosses a road line
    farther than ``settings.junction_m`` from the road's ends and from every other road: there nothing on the
    road marks where one area stops. A boundary may follow a road, meet it at a junction or end where the road
    does; a district's own line (the office's) is not judged."""
    none = Crossings(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    present = ~shapely.is_missing(geoms)
    roads = np.asarray(roads, dtype=object)
    roads = roads[~shapely.is_missing(roads) & (shapely.get_dimensions(roads) == 1)] if len(roads) else roads
    if not len(roads) or not present.any():
        return none
    rows = np.flatnonzero(present)
    road, area = shapely.STRtree(geoms[rows]).query(roads, predicate="crosses")
    if not len(road):
        return none
    area = rows[area]
    # Where each road passes an area's outline: single points are crossings (a stretch shared is a road followed).
    pieces, pair = shapely.get_parts(shapely.intersection(roads[road], shapely.boundary(geoms[area])), return_index=True)
    point = shapely.get_type_id(pieces) == 0
    xy, pair = shapely.get_coordinates(pieces[point]), pair[point]
    _, first, spot = np.unique(np.round(xy, 3), axis=0, return_index=True, return_inverse=True)
    # Each crossing point with the distinct areas whose outline it is on: two, of one district, are judged.
    spot, owner = np.unique(np.c_[spot.ravel(), area[pair]], axis=0).T
    two = np.flatnonzero(np.bincount(spot) == 2)
    at = np.searchsorted(spot, two)  # the first of each spot's two owners (sorted), then the second
    a, b = owner[at], owner[at + 1]
    same = parents[a] == parents[b]
    two, a, b = two[same], a[same], b[same]
    points = shapely.points(xy[first[two]])
    _, gap = shapely.STRtree(_junctions(roads)).query_nearest(points, return_distance=True, all_matches=False)
    return Crossings(points, a, b, gap)[gap > settings.junction_m]


def road_crossing_problems(crossings: Crossings, codes: np.ndarray, settings: CheckSettings,
                           houses: Houses | None = None) -> list[Problem]:
    """One warning per pair of areas (`codes`) whose boundary has `crossings`: the value is the farthest of its
    crossings from a junction or road end, the location every crossing. With the `houses` (their areas index
    `codes`), a crossing with a house of each of its two areas within ``settings.flank_m`` is not warned about:
    it passes between the houses, and the numbered houses either side show where it runs."""
    if houses is not None and len(crossings.points):
        crossings = crossings[~houses.flank(crossings, settings.flank_m)]
    pairs, which = np.unique(np.c_[crossings.a, crossings.b], axis=0, return_inverse=True)
    order = np.argsort(which.ravel(), kind="stable")  # each pair's crossings together, in their order
    groups = np.split(order, np.searchsorted(which.ravel()[order], np.arange(1, len(pairs))))
    return [Problem("boundary_crosses_road", "small_areas", (codes[i], codes[j]), value=float(crossings.gap[g].max()),
                    location=shapely.multipoints(crossings.points[g])) for (i, j), g in zip(pairs, groups)]


def _junctions(roads: np.ndarray) -> np.ndarray:
    """Points a person can find along the roads: their ends and where two roads meet or cross."""
    ends = shapely.get_parts(shapely.boundary(roads))
    a, b = shapely.STRtree(roads).query(roads, predicate="intersects")
    keep = a < b
    met = shapely.get_parts(shapely.intersection(roads[a[keep]], roads[b[keep]]))
    met = met[shapely.get_type_id(met) == 0]
    out = np.concatenate([ends, met])
    return out if len(out) else np.array([shapely.Point(np.inf, np.inf)], dtype=object)
