"""Small spatial helpers shared by import and assignment."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["holding_index", "is_in", "local_areas", "overlapping_pairs", "overlap_groups"]


def holding_index(geoms, polygons) -> np.ndarray:
    """For each geometry, the index of the polygon holding the largest share of it (-1 for none).

    This is the one rule for which village, district or small area holds a building: a footprint
    inside one polygon (its edge may touch the boundary) is held by it; a footprint that a line
    cuts (a village line across a house) by the polygon holding most of its area; a point by the
    polygon it lies in. Ties, and a point on a boundary shared by two polygons, go to the one listed
    first, so every geometry gets exactly one answer. A footprint lying more outside every polygon
    than in any one of them is held by none.
    """
    geoms = np.asarray(geoms, dtype=object)
    polygons = np.asarray(polygons, dtype=object)
    result = np.full(len(geoms), -1, dtype="int64")
    if not len(geoms) or not len(polygons):
        return result
    # Prepared polygons test whole footprints fast; only the few that no polygon covers are measured.
    p, g = shapely.STRtree(geoms).query(polygons, predicate="covers")
    _first(result, g, p)
    rest = np.flatnonzero((result < 0) & (shapely.get_dimensions(geoms) == 2))
    if len(rest):
        g, p = shapely.STRtree(polygons).query(geoms[rest], predicate="intersects")
        share = shapely.area(shapely.intersection(geoms[rest[g]], polygons[p]))
        # The land outside every polygon competes too: a house mostly beyond the township is no one's.
        outside = shapely.area(geoms[rest]) - np.bincount(g, weights=share, minlength=len(rest))
        held = (share > 0) & (share >= outside[g])
        g, p, share = g[held], p[held], share[held]
        order = np.lexsort((p, -share, g))
        _first(result, rest[g[order]], p[order], presorted=True)
    return result


def _first(result: np.ndarray, g: np.ndarray, p: np.ndarray, presorted: bool = False) -> None:
    """result[g] = p for the first pair of each g (lowest p unless the pairs are `presorted`)."""
    if not len(g):
        return
    order = np.arange(len(g)) if presorted else np.lexsort((p, g))
    g, p = g[order], p[order]
    keep = np.r_[True, g[1:] != g[:-1]]
    result[g[keep]] = p[keep]


def is_in(values: np.ndarray, members) -> np.ndarray:
    """``np.isin`` for text: hashed, where numpy compares every value with every member on object arrays."""
    members = set(members)
    return np.fromiter((v in members for v in values), dtype=bool, count=len(values))


def local_areas(geoms: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Areas in m² measured with each geometry moved near (0, 0) by its own origin.

    Gauss–Krüger eastings run to 4×10⁷ m; the shoelace formula on such coordinates loses
    about 0.1 m² per polygon to rounding, which would hide or fake small gaps.
    """
    coords = shapely.get_coordinates(geoms)
    counts = shapely.get_num_coordinates(geoms)
    shifted = shapely.set_coordinates(np.array(geoms, dtype=object, copy=True), coords - np.repeat(origins, counts, axis=0))
    return shapely.area(shifted)


def overlapping_pairs(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, i < j, of polygons whose interiors overlap: partly, one inside the other, or equal.

    Footprints that only touch (a terrace's shared walls) are not pairs.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geoms)
    # "overlaps" misses a footprint lying inside another; "contains" finds those and exact duplicates.
    pairs = [tree.query(geoms, predicate=p) for p in ("overlaps", "contains")]
    i = np.concatenate([q[0] for q in pairs])
    j = np.concatenate([q[1] for q in pairs])
    i, j = np.minimum(i, j), np.maximum(i, j)
    keep = i < j
    unique = np.unique(np.c_[i[keep], j[keep]], axis=0)
    return unique[:, 0], unique[:, 1]


def overlap_groups(geoms) -> np.ndarray:
    """A group number per polygon: polygons joined by overlapping interiors share one (numbered in order)."""
    n = len(geoms)
    parent = np.arange(n)

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in zip(*overlapping_pairs(geoms)):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(k) for k in range(n)], dtype=np.int64)
    return np.unique(roots, return_inverse=True)[1].astype(np.int64)
