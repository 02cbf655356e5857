"""Boundaries that cross a road mid-street: a point an enumerator cannot find on the ground."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem

__all__ = ["road_crossing_problems"]


def road_crossing_problems(geoms: np.ndarray, codes: np.ndarray, parents: np.ndarray, roads: np.ndarray,
                           settings: CheckSettings) -> list[Problem]:
    """Warnings where the boundary between two small areas of one district crosses a road line farther than
    ``settings.junction_m`` from the road's ends and from every other road: there nothing on the ground
    marks where one area stops. A boundary may follow a road, meet it at a junction or end where the road
    does; a district's own line (the office's) is not judged. One warning per pair of areas: the value is the
    farthest of its crossings from a junction or road end, the location every crossing."""
    present = ~shapely.is_missing(geoms)
    roads = np.asarray(roads, dtype=object)
    roads = roads[~shapely.is_missing(roads) & (shapely.get_dimensions(roads) == 1)] if len(roads) else roads
    if not len(roads) or not present.any():
        return []
    rows = np.flatnonzero(present)
    road, area = shapely.STRtree(geoms[rows]).query(roads, predicate="crosses")
    if not len(road):
        return []
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
    marks = _junctions(roads)
    _, gap = shapely.STRtree(marks).query_nearest(points, return_distance=True, all_matches=False)
    far = gap > settings.junction_m
    a, b, gap, points = a[far], b[far], gap[far], points[far]
    # One warning per pair of areas: the farthest crossing's distance, every crossing in its location.
    pairs, which = np.unique(np.c_[a, b], axis=0, return_inverse=True)
    which = which.ravel()
    return [Problem("boundary_crosses_road", "small_areas", (codes[i], codes[j]), value=float(gap[which == k].max()),
                    location=shapely.multipoints(points[which == k])) for k, (i, j) in enumerate(pairs)]


def _junctions(roads: np.ndarray) -> np.ndarray:
    """Points a person can find along the roads: their ends and where two roads meet or cross."""
    ends = shapely.get_parts(shapely.boundary(roads))
    a, b = shapely.STRtree(roads).query(roads, predicate="intersects")
    keep = a < b
    met = shapely.get_parts(shapely.intersection(roads[a[keep]], roads[b[keep]]))
    met = met[shapely.get_type_id(met) == 0]
    out = np.concatenate([ends, met])
    return out if len(out) else np.array([shapely.Point(np.inf, np.inf)], dtype=object)
