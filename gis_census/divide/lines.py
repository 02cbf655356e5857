"""Boundaries between new small areas an enumerator can follow: on the roads and lanes they run beside, and
straight elsewhere, with no staircase along every footprint."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.divide.cells import absorb_fragments, row_table
from gis_census.divide.lanes import LANE_M
from gis_census.spatial import holding_index

__all__ = ["STRAIGHTEN_M", "onto_lines", "straighten"]

#: Tolerances (m) tried in turn on each boundary, largest first: it may move this far to drop its steps.
STRAIGHTEN_M = (8.0, 4.0, 2.0, 1.0)

_CUT_M2 = 1e-6  # a footprint with more than this (float noise) on each of two areas, or swept over, is cut
_ON_FEATURE_M = 0.5  # a boundary with most of its length this near a road or water line follows it: kept on it,
_ALONG_M = 0.01  # its vertices this near the line through their neighbours dropped (the cells' ends along it)
_ROOM_SLACK = 0.9  # a straightened line may come this share of its room (see _room) near a footprint
_ON_M = 1e-6  # a piece of outline this near a line lies on it (noding moves vertices by float noise)
_OUTER_M = 0.01  # lines stop this short of the areas' outer edge: the district's line keeps its own vertices
_REACH_M = LANE_M / 2  # a boundary this near a road or lane line (half a lane) runs beside it: moved onto it


def onto_lines(geoms: np.ndarray, lines: np.ndarray, footprints: np.ndarray) -> np.ndarray:
    """`geoms` (small areas tiling their land, edge-matched) with each sliver between a road or lane of
    `lines` and a boundary wandering about it given to the area across the boundary: the boundary then runs
    on the line.

    A lane that ends inside its street block (a dead end) cuts no block, and the building cells either side
    of it meet on a line that wanders from one side of the lane to the other with the houses' offsets; a
    boundary there crosses the lane again and again, and an enumerator cannot tell which side is whose.

    A sliver is a face of the areas cut by the lines, on average no wider than two lanes (LANE_M), that holds
    no part of any of `footprints`, and whose outline runs only along lines and along the boundary with one
    other area: no house changes area, so no population does. Where a boundary leaves a line it ran beside, a
    foot from its corner to the line (within half a lane) closes the sliver. The areas are re-formed from one
    noded arrangement of their outlines and the lines, so they still share their edges vertex for vertex;
    `geoms` are returned unchanged when no sliver moves or the result does not keep every area one valid
    polygon of the same parts holding the same footprints.
    """
    if len(geoms) < 2 or not len(lines):
        return geoms
    land = shapely.coverage_union_all(geoms)
    outer = shapely.boundary(land)
    areas = shapely.STRtree(geoms)
    lines = shapely.get_parts(shapely.difference(lines[np.unique(areas.query(lines, predicate="intersects")[0])],
                                                 shapely.buffer(outer, _OUTER_M)))
    shapely.prepare(land)
    lines = lines[shapely.intersects(land, lines)]  # the pieces inside (each is inside or outside)
    if not len(lines):
        return geoms
    # Where a boundary leaves a line it runs beside, a foot from its vertex to the line closes the sliver.
    outlines = shapely.STRtree(shapely.boundary(geoms))
    corners = shapely.points(np.unique(shapely.get_coordinates(geoms), axis=0))
    (corner, line), gap = shapely.STRtree(lines).query_nearest(corners, max_distance=_REACH_M, return_distance=True,
                                                                all_matches=False)
    feet = shapely.shortest_line(corners[corner[gap > _ON_M]], lines[line[gap > _ON_M]])
    along = outlines.query(shapely.line_interpolate_point(feet, 0.5, normalized=True), predicate="dwithin",
                           distance=_ON_M)[0]
    lines = np.r_[lines, np.delete(feet, along)]  # not one along a boundary (its end would near-double a node)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all([*shapely.boundary(geoms), *lines]))))
    face, owner = areas.query(shapely.point_on_surface(faces), predicate="within")
    faces = faces[face]
    if len(faces) == len(geoms):  # no area cut by a line
        return geoms
    # slivers: no holes, and on average no wider than two lanes (2 × area / perimeter)
    slivers = np.flatnonzero((shapely.get_num_interior_rings(faces) == 0)
                             & (shapely.area(faces) <= LANE_M * shapely.length(faces)))
    taker = _takers(faces[slivers], owner[slivers], shapely.STRtree(lines), outlines)
    slivers, taker = slivers[taker >= 0], taker[taker >= 0]
    houses = shapely.STRtree(footprints)
    sliver, footprint = houses.query(faces[slivers], predicate="intersects")
    held = np.isin(np.arange(len(slivers)), sliver[~shapely.touches(faces[slivers[sliver]], footprints[footprint])])
    moved = owner.copy()
    moved[slivers[~held]] = taker[~held]
    out = _settled(faces, owner, moved, shapely.get_num_geometries(geoms), houses)
    if out is None:
        return geoms
    # only the footprints beside the moved faces can have changed area
    near = footprints[np.unique(houses.query(faces[moved != owner], predicate="dwithin", distance=_ON_M)[1])]
    out = shapely.coverage_simplify(out, _ON_M, simplify_boundary=False)  # the feet's ends left along the lines
    return out if _sound(out, geoms, near, near) else geoms


def _settled(faces: np.ndarray, owner: np.ndarray, moved: np.ndarray, parts: np.ndarray,
             footprints: shapely.STRtree) -> np.ndarray | None:
    """The areas of `faces` once the slivers of `owner` are `moved`; None when none moves.

    Moving slivers may leave an area with more than its `parts`: it keeps its largest ones. A bit left over
    holding a footprint was joined to the area through slivers: those touching it move back. An empty bit
    goes to the area beside sharing most boundary with it (:func:`~gis_census.divide.cells.absorb_fragments`).
    """
    while True:
        if np.array_equal(moved, owner):
            return None
        out = np.array([shapely.coverage_union_all(faces[moved == a]) for a in range(len(parts))], dtype=object)
        bits, area = shapely.get_parts(out, return_index=True)
        rank = np.lexsort((-shapely.area(bits), area))  # each area's parts, largest first
        first = np.searchsorted(area[rank], area[rank])
        extra = rank[np.arange(len(rank)) - first >= parts[area[rank]]]
        bits, area = bits[extra], area[extra]
        bit, footprint = footprints.query(bits, predicate="intersects")
        full = np.unique(bit[~shapely.touches(bits[bit], footprints.geometries[footprint])])
        if not len(full):
            break
        away = np.flatnonzero((moved != owner) & np.isin(owner, area[full]))
        back = away[np.isin(np.arange(len(away)), shapely.STRtree(faces[away]).query(bits[full], predicate="intersects")[1])]
        if not len(back):
            return None
        moved[back] = owner[back]
    return absorb_fragments(out, keep=parts)


def _takers(faces: np.ndarray, owner: np.ndarray, lines: shapely.STRtree, outlines: shapely.STRtree) -> np.ndarray:
    """Per sliver of `faces` (of the areas `owner`), the area it goes to: the one other area whose outline
    (`outlines`) bounds it wherever no line (`lines`) does, when lines bound it too; else -1. Judged by the
    middle of each edge of the faces' outer rings, all faces at once."""
    xy, face = shapely.get_coordinates(shapely.get_exterior_ring(faces), return_index=True)
    same = face[1:] == face[:-1]
    middles, of = shapely.points(((xy[1:] + xy[:-1]) / 2)[same]), face[1:][same]
    on_line = np.zeros(len(middles), dtype=bool)
    on_line[lines.query(middles, predicate="dwithin", distance=_ON_M)[0]] = True
    edge, area = outlines.query(middles, predicate="dwithin", distance=_ON_M)
    other = (area != owner[of[edge]]) & ~on_line[edge]
    beside = np.zeros(len(middles), dtype=bool)  # an edge off the lines on another area's outline
    beside[edge[other]] = True
    n = len(faces)
    pairs = np.unique(np.c_[of[edge[other]], area[other]], axis=0).reshape(-1, 2)  # (face, other area)
    fit = ((np.bincount(of[on_line], minlength=n) > 0)
           & (np.bincount(of[~on_line], minlength=n) == np.bincount(of[beside], minlength=n))
           & (np.bincount(pairs[:, 0], minlength=n) == 1))
    taker = np.full(n, -1)
    one = fit[pairs[:, 0]]
    taker[pairs[one, 0]] = pairs[one, 1]
    return taker


def straighten(geoms: np.ndarray, solids: np.ndarray, features: np.ndarray, strays: np.ndarray,
               tolerances: tuple[float, ...] = STRAIGHTEN_M) -> np.ndarray:
    """`geoms` (small areas tiling their land) with each boundary between two of them simplified by the
    largest of `tolerances` that sweeps over no footprint of `solids` (the buildings the areas hold) or
    `strays` (other footprints reaching onto their land) and crosses no other boundary.

    A line comes no nearer a footprint than the boundary did, nor than half a lane: one down the middle of a
    lane stays in it. A boundary running along `features` (road and water lines) keeps to them: only the
    vertices where building cells met it are dropped. The outer edge of the areas (the district's line, the
    edges along locked areas) is kept vertex for vertex, so the areas still tile exactly the land they tiled.
    The result is checked whole: every area one valid polygon of the same parts, every footprint whole and in
    the area that held it; `geoms` are returned unchanged otherwise.
    All boundaries are tried at once for each tolerance (vectorised: a district has dozens of them).
    """
    if len(geoms) < 2 or not shapely.coverage_is_valid(geoms):
        return geoms
    outer = shapely.boundary(shapely.coverage_union_all(geoms))
    edges = _inner_edges(geoms, outer)
    footprints = np.r_[solids, strays]
    tree = shapely.STRtree(footprints)
    current, swept = edges.copy(), []
    along = _along(edges, features)
    room = np.zeros(len(edges))
    room[~along] = _room(edges[~along], tree)

    def simplified(index: np.ndarray, tolerance: float) -> np.ndarray:
        """Edges `index` simplified by `tolerance` where that sweeps over no footprint, keeps the room and
        crosses no other boundary: the indexes replaced in `current`."""
        lines = shapely.simplify(edges[index], tolerance, preserve_topology=True)
        fewer = np.flatnonzero(shapely.get_num_coordinates(lines) < shapely.get_num_coordinates(edges[index]))
        regions = _between(edges[index[fewer]], lines[fewer])
        clear = _sweeps_clear(regions, footprints, tree)
        fewer, regions = fewer[clear], regions[clear]
        roomy = _keeps_room(lines[fewer], room[index[fewer]], tree)
        fewer, regions = fewer[roomy], regions[roomy]
        kept = _uncrossed(index[fewer], lines[fewer], current, outer)
        current[index[fewer[kept]]] = lines[fewer[kept]]
        swept.append(regions[kept])
        return index[fewer[kept]]

    simplified(np.flatnonzero(along), _ALONG_M)  # the vertices cells left along a road, not the road's own bends
    pending = np.flatnonzero(~along)  # the edges still stepped
    for tolerance in tolerances:
        pending = np.setdiff1d(pending, simplified(pending, tolerance))
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
