"""Figures of a division: balance against the target, compactness, size and walking distance."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["polsby_popper", "diameters", "walk_lengths", "share_within"]


def polsby_popper(geoms: np.ndarray) -> np.ndarray:
    """Polsby–Popper compactness 4πA/P² of each polygon: 1 for a circle, about 0.785 for a square."""
    perimeter = shapely.length(geoms)
    return np.where(perimeter > 0, 4 * np.pi * shapely.area(geoms) / np.maximum(perimeter, 1e-12) ** 2, 0.0)


def diameters(geoms: np.ndarray) -> np.ndarray:
    """Longest straight distance across each polygon in m (between two vertices of its convex hull)."""
    out = np.zeros(len(geoms))
    for k, hull in enumerate(shapely.convex_hull(geoms)):
        xy = shapely.get_coordinates(hull)
        if len(xy) > 1:
            out[k] = float(np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)).max())
    return out


#: A step between two houses longer than this (m) follows the roads and lanes where both lie near them: a short
#: step crosses a yard or runs along one lane, where the straight line is the walk.
LONG_STEP_M = 50.0
#: How far (m) a house may stand from the road it is reached by.
ROAD_REACH_M = 60.0
_NODE_SPACING_M = 10.0  # road vertices at least this close, for the houses to join the network near themselves


def walk_lengths(footprints: np.ndarray, where: np.ndarray, n: int, roads: np.ndarray | None = None) -> np.ndarray:
    """Metres an enumerator walks through each of `n` areas: building to building in the order the buildings
    are numbered (:func:`~gis_census.numbering.walk.building_numbers`); `where` gives each footprint's area, -1
    for none. A step longer than LONG_STEP_M goes along `roads` (lines) where both houses are within
    ROAD_REACH_M of them and the roads join them; other steps are straight (a lower bound of the walk)."""
    from gis_census.numbering.walk import building_numbers

    out = np.zeros(n)
    held = np.flatnonzero(where >= 0)
    if len(held) < 2:
        return out
    area = where[held]
    numbers = building_numbers(footprints[held], area.astype(str))
    order = np.lexsort((numbers, area))
    xy = shapely.get_coordinates(shapely.point_on_surface(footprints[held][order]))
    area = area[order]
    same = area[1:] == area[:-1]
    steps = np.hypot(*(xy[1:] - xy[:-1]).T)
    long = np.flatnonzero(same & (steps > LONG_STEP_M))
    if roads is not None and len(roads) and len(long):
        steps[long] = np.maximum(steps[long], _along_roads(xy[long], xy[long + 1], roads, steps[long]))
    return np.bincount(area[1:][same], weights=steps[same], minlength=n)


def _along_roads(a: np.ndarray, b: np.ndarray, roads: np.ndarray, straight: np.ndarray) -> np.ndarray:
    """Metres from each point of `a` to the one of `b` along the `roads`: to the nearest road vertex, along the
    network, and on; `straight` where either lies farther than ROAD_REACH_M from a road or the roads do not join."""
    from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
    from scipy.sparse.csgraph import dijkstra  # type: ignore[import-untyped]

    lines = shapely.segmentize(np.asarray(roads, dtype=object), _NODE_SPACING_M)
    coords, line = shapely.get_coordinates(lines, return_index=True)
    keys, node = np.unique(np.round(coords, 2), axis=0, return_inverse=True)  # roads meeting at a vertex join there
    node = node.ravel()
    joined = line[1:] == line[:-1]
    u, v = node[:-1][joined], node[1:][joined]
    length = np.hypot(*(coords[1:][joined] - coords[:-1][joined]).T)
    graph = coo_matrix((np.r_[length, length], (np.r_[u, v], np.r_[v, u])), shape=(len(keys), len(keys))).tocsr()
    tree = shapely.STRtree(shapely.points(keys))
    out = straight.copy()
    ends = shapely.points(np.r_[a, b])
    found, near = tree.query_nearest(ends, max_distance=ROAD_REACH_M, return_distance=True, all_matches=False)
    reach = np.full(len(ends), -1)
    gap = np.zeros(len(ends))
    reach[found[0]], gap[found[0]] = found[1], near
    k = len(a)
    both = np.flatnonzero((reach[:k] >= 0) & (reach[k:] >= 0))
    if not len(both):
        return out
    sources, row = np.unique(reach[:k][both], return_inverse=True)
    network = dijkstra(graph, indices=sources)[row.ravel(), reach[k:][both]]
    joins = np.isfinite(network)
    out[both[joins]] = gap[:k][both[joins]] + network[joins] + gap[k:][both[joins]]
    return out


def share_within(values: np.ndarray, target: float, tolerance: float) -> float:
    """Share of `values` within ``target × (1 ± tolerance)``; 1.0 for none."""
    if not len(values):
        return 1.0
    return float(np.mean(np.abs(np.asarray(values, dtype=float) / target - 1) <= tolerance + 1e-9))
