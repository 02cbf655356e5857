"""Straight boundaries between new small areas: no staircase along every footprint an enumerator cannot follow."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.spatial import holding_index

__all__ = ["STRAIGHTEN_M", "straighten"]

#: Tolerances (m) tried in turn on each boundary, largest first: it may move this far to drop its steps.
STRAIGHTEN_M = (8.0, 4.0, 2.0, 1.0)

_CUT_M2 = 1e-6  # a footprint with more than this (float noise) on each of two areas, or swept over, is cut
_ON_FEATURE_M = 0.5  # a boundary with most of its length this near a road or water line follows it: kept


def straighten(geoms: np.ndarray, solids: np.ndarray, features: np.ndarray, strays: np.ndarray,
               tolerances: tuple[float, ...] = STRAIGHTEN_M) -> np.ndarray:
    """`geoms` (small areas tiling their land) with each boundary between two of them simplified by the
    largest of `tolerances` that sweeps over no footprint of `solids` (the buildings the areas hold) or
    `strays` (other footprints reaching onto their land) and crosses no other boundary.

    A boundary running along `features` (road and water lines) and the outer edge of the areas (the
    district's line, the edges along locked areas) are kept vertex for vertex, so the areas still tile
    exactly the land they tiled. The result is checked whole: every area one valid polygon of the same
    parts, every footprint whole and in the area that held it; `geoms` are returned unchanged otherwise.
    """
    if len(geoms) < 2 or not shapely.coverage_is_valid(geoms):
        return geoms
    outer = shapely.boundary(shapely.coverage_union_all(geoms))
    edges = _inner_edges(geoms, outer)
    along = _along(edges, features)
    footprints = np.r_[solids, strays]
    solid_tree, edge_tree = shapely.STRtree(footprints), shapely.STRtree(edges)
    current = edges.copy()
    for k in np.flatnonzero(~along):
        # an edge moves at most its tolerance: the others it could meet lie near where they were
        near = edge_tree.query(shapely.buffer(shapely.envelope(edges[k]), 2 * max(tolerances), join_style="mitre"))
        current[k] = _straightest(current[k], current[near[near != k]], footprints, solid_tree, tolerances)
    out = _rebuild(geoms, outer, current)
    return out if out is not None and _sound(out, geoms, solids) else geoms


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


def _straightest(edge, others: np.ndarray, solids: np.ndarray, solid_tree: shapely.STRtree, tolerances) -> shapely.LineString:
    """`edge` simplified by the largest tolerance that sweeps over no footprint and meets none of the `others`
    boundaries but at its ends, or as it is."""
    for tolerance in tolerances:
        line = shapely.simplify(edge, tolerance, preserve_topology=True)
        if shapely.get_num_coordinates(line) >= shapely.get_num_coordinates(edge):
            continue
        if not shapely.relate_pattern(line, others, "FF*******").all():  # its inside would meet another boundary
            continue
        swept = shapely.polygonize(shapely.get_parts(shapely.union_all([edge, line])))
        near = solid_tree.query(swept, predicate="intersects")
        inside = near[~shapely.touches(solids[near], swept)]  # footprints with some of their inside swept over
        if not len(inside) or shapely.area(shapely.intersection(solids[inside], swept)).max() <= _CUT_M2:
            return line
    return edge


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


def _sound(out: np.ndarray, geoms: np.ndarray, solids: np.ndarray) -> bool:
    """Whether `out` keeps what `geoms` promise: valid areas of the same parts and land, every footprint whole
    and in the same area."""
    area = float(shapely.area(geoms).sum())
    return bool(shapely.is_valid(out).all() and np.array_equal(shapely.get_num_geometries(out), shapely.get_num_geometries(geoms))
                and abs(float(shapely.area(out).sum()) - area) <= 1e-6 * area
                and np.array_equal(holding_index(solids, out), holding_index(solids, geoms)) and not _cuts(out, solids))


def _cuts(geoms: np.ndarray, solids: np.ndarray) -> bool:
    """Whether some footprint has more than a trace of its area in two of `geoms`."""
    solid, area = shapely.STRtree(geoms).query(solids, predicate="overlaps")  # a footprint inside one area is not
    shared = shapely.area(shapely.intersection(solids[solid], geoms[area])) > _CUT_M2
    return bool(len(np.unique(solid[shared])) < int(shared.sum()))
