"""Straight boundaries between new small areas: no staircase along every footprint an enumerator cannot follow."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.divide.cells import row_table
from gis_census.divide.lanes import LANE_M
from gis_census.spatial import holding_index

__all__ = ["STRAIGHTEN_M", "straighten"]

#: Tolerances (m) tried in turn on each boundary, largest first: it may move this far to drop its steps.
STRAIGHTEN_M = (8.0, 4.0, 2.0, 1.0)

_CUT_M2 = 1e-6  # a footprint with more than this (float noise) on each of two areas, or swept over, is cut
_ON_FEATURE_M = 0.5  # a boundary with most of its length this near a road or water line follows it: kept
_ROOM_SLACK = 0.9  # a straightened line may come this share of its room (see _room) near a footprint


def straighten(geoms: np.ndarray, solids: np.ndarray, features: np.ndarray, strays: np.ndarray,
               tolerances: tuple[float, ...] = STRAIGHTEN_M) -> np.ndarray:
    """`geoms` (small areas tiling their land) with each boundary between two of them simplified by the
    largest of `tolerances` that sweeps over no footprint of `solids` (the buildings the areas hold) or
    `strays` (other footprints reaching onto their land) and crosses no other boundary.

    A line comes no nearer a footprint than the boundary did, nor than half a lane: one down the middle of a
    lane stays in it. A boundary running along `features` (road and water lines) and the outer edge of the
    areas (the district's line, the edges along locked areas) are kept vertex for vertex, so the areas still tile
    exactly the land they tiled. The result is checked whole: every area one valid polygon of the same
    parts, every footprint whole and in the area that held it; `geoms` are returned unchanged otherwise.
    All boundaries are tried at once for each tolerance (vectorised: a district has dozens of them).
    """
    if len(geoms) < 2 or not shapely.coverage_is_valid(geoms):
        return geoms
    outer = shapely.boundary(shapely.coverage_union_all(geoms))
    edges = _inner_edges(geoms, outer)
    footprints = np.r_[solids, strays]
    tree = shapely.STRtree(footprints)
    current, swept = edges.copy(), []
    pending = np.flatnonzero(~_along(edges, features))  # the edges still stepped, in order
    room = np.zeros(len(edges))
    room[pending] = _room(edges[pending], tree)
    for tolerance in tolerances:
        lines = shapely.simplify(edges[pending], tolerance, preserve_topology=True)
        fewer = np.flatnonzero(shapely.get_num_coordinates(lines) < shapely.get_num_coordinates(edges[pending]))
        regions = _between(edges[pending[fewer]], lines[fewer])
        clear = _sweeps_clear(regions, footprints, tree)
        fewer, regions = fewer[clear], regions[clear]
        roomy = _keeps_room(lines[fewer], room[pending[fewer]], tree)
        fewer, regions = fewer[roomy], regions[roomy]
        kept = _uncrossed(pending[fewer], lines[fewer], current, outer)
        current[pending[fewer[kept]]] = lines[fewer[kept]]
        swept.append(regions[kept])
        pending = np.delete(pending, fewer[kept])
    regions = np.concatenate(swept) if swept else np.zeros(0, dtype=object)
    if not len(regions):
        return geoms
    out = _rebuild(geoms, outer, current)
    near = np.unique(tree.query(regions, predicate="intersects")[1])  # only these footprints can have moved
    return out if out is not None and _sound(out, geoms, solids, footprints[near]) else geoms


def _inner_edges(geoms: np.ndarray, outer) -> np.ndarray:
    """The boundaries between two areas, each one line from junction to junction."""
    pieces = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(geoms))))
    middle = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    return pieces[shapely.distance(middle, outer) > 1e-6]


def _along(edges: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Which `edges` run along the `features` for most of their length (judged at 11 points of each)."""
    if not len(features):
        return np.zeros(len(edges), dtype=bool)
    points = shapely.line_interpolate_point(edges[:, None], np.linspace(0, 1, 11)[None, :], normalized=True).ravel()
    near = np.unique(shapely.STRtree(features).query(points, predicate="dwithin", distance=_ON_FEATURE_M)[0])
    return np.bincount(near // 11, minlength=len(edges)) > 5


def _room(edges: np.ndarray, tree: shapely.STRtree) -> np.ndarray:
    """How near a footprint of `tree` each of `edges` may come when straightened: as near as it comes now,
    but no nearer than half a lane (LANE_M): a boundary down a lane stays in it, not against the houses."""
    (edge, _), distance = tree.query_nearest(edges, max_distance=LANE_M / 2, return_distance=True, all_matches=False)
    room = np.full(len(edges), LANE_M / 2)
    room[edge] = distance
    return room * _ROOM_SLACK


def _keeps_room(lines: np.ndarray, room: np.ndarray, tree: shapely.STRtree) -> np.ndarray:
    """Which of `lines` keep at least `room` (one per line) from every footprint of `tree` (no room: a line
    along a wall may stay along it, the sweep alone decides)."""
    some = np.flatnonzero(room > _CUT_M2)
    line, _ = tree.query(lines[some], predicate="dwithin", distance=room[some])
    return ~np.isin(np.arange(len(lines)), some[line])


def _between(edges: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The land each of `edges` sweeps over when replaced by the line of `lines` with the same ends: the faces
    the two enclose, polygonized from their noded union row by row (one call for all)."""
    parts, row = shapely.get_parts(shapely.union(edges, lines), return_index=True)
    return shapely.polygonize(row_table(parts, row, len(edges)), axis=-1)  # row k: edge k's noded pieces


def _sweeps_clear(regions: np.ndarray, footprints: np.ndarray, tree: shapely.STRtree) -> np.ndarray:
    """Whether each of the swept `regions` has no more than a trace (float noise) of any footprint inside."""
    region, footprint = tree.query(regions, predicate="intersects")
    inside = ~shapely.touches(footprints[footprint], regions[region])  # with some of their inside swept over
    region, footprint = region[inside], footprint[inside]
    cut = _shared_area(footprints[footprint], regions[region]) > _CUT_M2
    return ~np.isin(np.arange(len(regions)), region[cut])


def _uncrossed(index: np.ndarray, lines: np.ndarray, current: np.ndarray, outer) -> np.ndarray:
    """Which of `lines` (to replace edges `index` of `current`) meet no other boundary but at their ends:
    not the outer edge, no other edge as it is, and no line kept before it in this order."""
    meets = lambda a, b: ~shapely.relate_pattern(a, b, "FF*******")  # noqa: E731  inside meets b
    line, other = shapely.STRtree(current).query(lines, predicate="intersects")
    mine = index[line] == other
    crossing = meets(lines[line[~mine]], current[other[~mine]])
    kept = ~meets(lines, outer) & ~np.isin(np.arange(len(lines)), line[~mine][crossing])
    a, b = shapely.STRtree(lines).query(lines, predicate="intersects")
    pair = (a < b) & kept[a] & kept[b]
    a, b = a[pair], b[pair]
    crossing = meets(lines[b], lines[a])
    for i, j in zip(a[crossing].tolist(), b[crossing].tolist()):  # two new lines crossing: the first is kept
        if kept[i]:
            kept[j] = False
    return kept


def _rebuild(geoms: np.ndarray, outer, edges: np.ndarray) -> np.ndarray | None:
    """The areas re-formed from the outer edge and the (straightened) `edges`: each face goes to the area
    holding a point inside it (a face is an area with thin strips gained or lost, so the point, drawn
    across its widest part, lies in its own area); None when a face or an area is left without a match."""
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all([outer, *edges]))))
    face, area = shapely.STRtree(geoms).query(shapely.point_on_surface(faces), predicate="within")
    owner = np.full(len(faces), -1)
    owner[face] = area
    if len(face) != len(faces) or (owner < 0).any() or len(np.unique(owner)) < len(geoms):
        return None
    return np.array([shapely.coverage_union_all(faces[owner == i]) for i in range(len(geoms))], dtype=object)


def _sound(out: np.ndarray, geoms: np.ndarray, solids: np.ndarray, near: np.ndarray) -> bool:
    """Whether `out` keeps what `geoms` promise: valid areas of the same parts and land, every footprint of
    `solids` in the same area, and those `near` the moved boundaries whole."""
    area = float(shapely.area(geoms).sum())
    return bool(shapely.is_valid(out).all() and np.array_equal(shapely.get_num_geometries(out), shapely.get_num_geometries(geoms))
                and abs(float(shapely.area(out).sum()) - area) <= 1e-6 * area
                and np.array_equal(holding_index(solids, out), holding_index(solids, geoms)) and not _cuts(out, near))


def _cuts(geoms: np.ndarray, solids: np.ndarray) -> bool:
    """Whether some footprint has more than a trace of its area in two of `geoms`."""
    solid, area = shapely.STRtree(geoms).query(solids, predicate="overlaps")  # a footprint inside one area is not
    shared = _shared_area(solids[solid], geoms[area]) > _CUT_M2
    return bool(len(np.unique(solid[shared])) < int(shared.sum()))


def _shared_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The area of each pair's intersection; where GEOS cannot overlay a pair (a side location conflict on
    nearly coincident real edges), infinite: the line is then not moved there."""
    try:
        return shapely.area(shapely.intersection(a, b))
    except shapely.errors.GEOSException:
        out = np.full(len(a), np.inf)
        for k, (x, y) in enumerate(zip(a, b)):
            try:
                out[k] = shapely.area(shapely.intersection(x, y))
            except shapely.errors.GEOSException:
                pass
        return out
