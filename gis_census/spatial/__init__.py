"""Small spatial helpers shared by import and assignment."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.spatial.rings import ring_segments
from gis_census.spatial.shares import shared_areas

__all__ = ["holding_index", "holding", "is_in", "local_areas", "overlapping_pairs",
           "overlap_groups", "overlapping", "ring_segments"]

#: Polygons whose covered footprints :func:`holding` looks up in one go (a county's would be millions of pairs).
_COVERS_SLICE = 10_000


def holding_index(geoms, polygons) -> np.ndarray:
    """For each geometry, the index of the polygon holding the largest share of it (-1 for none).

    This is the one rule for which village, district or small area holds a building: a footprint
    inside one polygon (its edge may touch the boundary) is held by it; a footprint that a line
    cuts (a village line across a house) by the polygon holding most of its area; a point by the
    polygon it lies in. Footprints that overlap (a podium and its tower, an annex, a duplicate) are
    one building: a group of them that a line cuts is held, every member, by the polygon holding most
    of the group. Ties, and a point on a boundary shared by two polygons, go to the one listed
    first, so every geometry gets exactly one answer. A footprint lying more outside every polygon
    than in any one of them is held by none.
    """
    return holding(geoms, polygons)[0]


def holding(geoms, polygons, tree: shapely.STRtree | None = None) -> tuple[np.ndarray, tuple[np.ndarray, ...], np.ndarray]:
    """:func:`holding_index`, with `tree` (an STRtree of `geoms`, built if None); the pairs it measured:
    arrays (footprint, polygon, area of their intersection) of every polygon meeting a footprint no polygon covers;
    and those footprints (the polygonal ones no polygon covers), whose overlap groups decide together."""
    geoms = np.asarray(geoms, dtype=object)
    polygons = np.asarray(polygons, dtype=object)
    result = np.full(len(geoms), -1, dtype="int64")
    none = np.zeros(0, dtype=np.int64)
    if not len(geoms) or not len(polygons):
        return result, (none, none, np.zeros(0)), np.flatnonzero(shapely.get_dimensions(geoms) == 2)
    tree = shapely.STRtree(geoms) if tree is None else tree
    # Prepared polygons test whole footprints fast; only the few that no polygon covers are measured.
    for start in range(0, len(polygons), _COVERS_SLICE):  # in order: a footprint a slice finds stays the first's
        p, g = tree.query(polygons[start:start + _COVERS_SLICE], predicate="covers")
        unset = result[g] < 0
        _first(result, g[unset], p[unset] + start)
    rest = np.flatnonzero((result < 0) & (shapely.get_dimensions(geoms) == 2))
    if not len(rest):
        return result, (none, none, np.zeros(0)), rest
    result[rest], (g, p, area) = _largest_share(geoms[rest], polygons)
    # An overlap group can only straddle a line through one of its members: start from those.
    members, group = _groups_through(geoms, rest, tree)
    if len(members):
        solids = np.array([shapely.union_all(geoms[members[group == k]]) for k in range(int(group.max()) + 1)], dtype=object)
        result[members] = _largest_share(solids, polygons)[0][group]
    return result, (rest[g], p, area), rest


def _largest_share(geoms: np.ndarray, polygons: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """For each polygonal geometry, the polygon holding most of its area, unless more lies outside all (-1);
    and the pairs measured: (geometry, polygon, area of their intersection)."""
    result = np.full(len(geoms), -1, dtype="int64")
    g, p = shapely.STRtree(polygons).query(geoms, predicate="intersects")
    share = shared_areas(geoms, polygons, g, p)
    measured = g, p, share
    # The land outside every polygon competes too: a house mostly beyond the township is no one's.
    outside = shapely.area(geoms) - np.bincount(g, weights=share, minlength=len(geoms))
    held = (share > 0) & (share >= outside[g])
    g, p, share = g[held], p[held], share[held]
    order = np.lexsort((p, -share, g))
    _first(result, g[order], p[order], presorted=True)
    return result, measured


def _groups_through(geoms: np.ndarray, seeds: np.ndarray, tree: shapely.STRtree) -> tuple[np.ndarray, np.ndarray]:
    """The members of the overlap groups of several footprints that hold one of `seeds`, and a group
    number for each (footprints overlapping nothing are left out); `tree` is an STRtree of `geoms`."""
    found: set[int] = set()
    pairs_i: list[np.ndarray] = []
    pairs_j: list[np.ndarray] = []
    frontier = np.asarray(seeds, dtype=np.int64)
    while len(frontier):
        found.update(frontier.tolist())
        a, b = tree.query(geoms[frontier], predicate="intersects")
        a, b = frontier[a], b
        other = a != b
        a, b = a[other], b[other]
        inner = shapely.relate_pattern(geoms[a], geoms[b], "2********") if len(a) else np.zeros(0, dtype=bool)
        pairs_i.append(a[inner])
        pairs_j.append(b[inner])
        frontier = np.setdiff1d(np.unique(b[inner]), np.fromiter(found, dtype=np.int64))
    i, j = np.concatenate(pairs_i), np.concatenate(pairs_j)
    members = np.unique(np.r_[i, j])
    if not len(members):
        return members, members
    local = np.searchsorted(members, i), np.searchsorted(members, j)
    return members, _components(len(members), *local)


def _first(result: np.ndarray, g: np.ndarray, p: np.ndarray, presorted: bool = False) -> None:
    """result[g] = p for the first pair of each g (lowest p unless the pairs are `presorted`)."""
    if not len(g):
        return
    order = np.arange(len(g)) if presorted else np.lexsort((p, g))
    g, p = g[order], p[order]
    keep = np.r_[True, g[1:] != g[:-1]]
    result[g[keep]] = p[keep]


def is_in(values: np.ndarray, members) -> np.ndarray:
    """``np.isin`` for text: hashed (pandas' hash table), where numpy compares every value with every member
    on object arrays."""
    import pandas as pd  # here: the command line starts without pandas

    members = list(members if isinstance(members, (list, tuple, np.ndarray)) else set(members))
    if not len(values) or not len(members):
        return np.zeros(len(values), dtype=bool)
    return pd.Series(np.asarray(values, dtype=object), copy=False).isin(np.asarray(members, dtype=object)).to_numpy()


def local_areas(geoms: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Areas in m² measured with each geometry moved near (0, 0) by its own origin.

    Gauss–Krüger eastings run to 4×10⁷ m; the shoelace formula on such coordinates loses
    about 0.1 m² per polygon to rounding, which would hide or fake small gaps.
    """
    coords = shapely.get_coordinates(geoms)
    counts = shapely.get_num_coordinates(geoms)
    shifted = shapely.set_coordinates(np.array(geoms, dtype=object, copy=True), coords - np.repeat(origins, counts, axis=0))
    return shapely.area(shifted)


#: Footprints whose box pairs :func:`overlapping_pairs` looks at in one go.
_PAIRS_SLICE = 100_000


def overlapping_pairs(geoms, tree: shapely.STRtree | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, i < j, of footprints whose interiors overlap: partly, one inside the other, or
    equal; and of a point building with the footprint it lies inside. `tree`: an STRtree of `geoms`, if built.

    Footprints that only touch (a terrace's shared walls) are not pairs.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geoms) if tree is None else tree
    found_i, found_j = [], []
    # In slices of footprints: a county's millions of box pairs at once would hold hundreds of MB.
    for start in range(0, len(geoms), _PAIRS_SLICE):
        i, j = tree.query(geoms[start:start + _PAIRS_SLICE])
        i = i + start
        i, j = i[i < j], j[i < j]
        overlap = overlapping(geoms[i], geoms[j])
        found_i.append(i[overlap])
        found_j.append(j[overlap])
    return np.concatenate(found_i), np.concatenate(found_j)


def overlapping(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair ``(a[k], b[k])`` of footprints overlaps as :func:`overlapping_pairs` means it."""
    if not len(a):
        return np.zeros(0, dtype=bool)
    dim_a, dim_b = shapely.get_dimensions(a), shapely.get_dimensions(b)
    # Bounding boxes first: only boxes sharing some area can hold overlapping interiors, which rules out most
    # walls shared along the axes before GEOS is asked.
    box_a, box_b = shapely.bounds(a), shapely.bounds(b)
    wide = np.minimum(box_a[:, 2], box_b[:, 2]) > np.maximum(box_a[:, 0], box_b[:, 0])
    high = np.minimum(box_a[:, 3], box_b[:, 3]) > np.maximum(box_a[:, 1], box_b[:, 1])
    areas = (dim_a == 2) & (dim_b == 2) & wide & high
    overlap = np.zeros(len(a), dtype=bool)
    overlap[areas] = shapely.relate_pattern(a[areas], b[areas], "2********")
    point = (dim_a + dim_b == 2) & ((dim_a == 0) | (dim_b == 0))
    if point.any():
        polygon, inner = np.where(dim_a[point] == 2, a[point], b[point]), np.where(dim_a[point] == 2, b[point], a[point])
        overlap[point] = shapely.contains_properly(polygon, inner)
    return overlap


def overlap_groups(geoms) -> np.ndarray:
    """A group number per polygon: polygons joined by overlapping interiors share one (numbered in order)."""
    return _components(len(geoms), *overlapping_pairs(geoms))


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component number of each of `n` items joined by the pairs ``(i, j)``, numbered in item order."""
    parent = np.arange(n)

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in zip(i.tolist(), j.tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(k) for k in range(n)], dtype=np.int64)
    return np.unique(roots, return_inverse=True)[1].astype(np.int64)
