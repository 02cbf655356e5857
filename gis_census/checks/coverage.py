"""Tiling checks: overlaps, gaps and slivers, areas reaching outside their parent, holes in the township.

GEOS's CoverageValidator (``shapely.coverage_invalid_edges``) wants vertex-matched shared
edges and ignores gaps, so it cannot be the whole answer: each parent is compared with
the union of its children, and overlaps are measured pair by pair from an STRtree.
"""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem
from gis_census.rules import has_land
from gis_census.spatial import local_areas

__all__ = ["overlap_problems", "tiling_problems", "township_holes", "township_hole_problems", "allowed_mask"]


def overlap_problems(layer: str, geoms: np.ndarray, codes: np.ndarray, groups: np.ndarray | None, tolerance: float,
                     involving: np.ndarray | None = None) -> list[Problem]:
    """Pairs of areas (of one group, when `groups` is given; with one of the areas `involving`, a mask, when
    that is given) whose interiors share more than `tolerance` m²."""
    present = np.flatnonzero(~shapely.is_missing(geoms))
    g = geoms[present]
    if involving is None:
        a, b = shapely.STRtree(g).query(g, predicate="intersects")
    else:  # only the pairs with one of them: both ways round, each once
        chosen = np.flatnonzero(np.asarray(involving, dtype=bool)[present])
        k, b = shapely.STRtree(g).query(g[chosen], predicate="intersects")
        a, b = np.minimum(chosen[k], b), np.maximum(chosen[k], b)
        pairs = np.unique(np.c_[a, b], axis=0) if len(a) else np.zeros((0, 2), dtype=int)
        a, b = pairs[:, 0], pairs[:, 1]
    keep = a < b
    if groups is not None:
        keep &= groups[present[a]] == groups[present[b]]
    a, b = a[keep], b[keep]
    # Neighbours touch along edges; only a 2-dimensional interior intersection is an overlap.
    inner = shapely.relate_pattern(g[a], g[b], "2********")
    a, b = a[inner], b[inner]
    shared = shapely.intersection(g[a], g[b])
    area = shapely.area(shared)
    mixed = np.flatnonzero(shapely.get_type_id(shared) == 7)  # polygon plus the lines of a shared edge
    shared[mixed] = [_polygonal(x) for x in shared[mixed]]
    return [
        Problem("overlap", layer, (codes[present[i]], codes[present[j]]), value=area[k], location=shared[k])
        for k, (i, j) in enumerate(zip(a, b))
        if area[k] > tolerance
    ]


def tiling_problems(
    layer: str,
    geoms: np.ndarray,
    codes: np.ndarray,
    parent_codes: np.ndarray,
    parent_layer: str,
    parents: np.ndarray,
    parent_code_list: np.ndarray,
    settings: CheckSettings,
    overlapping: frozenset[int] | set[int] = frozenset(),
) -> list[Problem]:
    """Children that reach outside their parent, name no existing parent, or leave part of it uncovered.

    `overlapping` holds the parent indexes with overlapping children: their gaps must be
    found by union, as the areas of their children no longer add up.
    """
    tol = settings.area_tolerance
    problems: list[Problem] = []
    index = {code: i for i, code in enumerate(parent_code_list)}
    pi = np.array([index.get(code, -1) for code in parent_codes], dtype=int)
    present = ~shapely.is_missing(geoms)
    for i in np.flatnonzero(present & (pi < 0)):
        problems.append(Problem("parent_missing", layer, (codes[i],), location=geoms[i], detail=parent_codes[i]))

    ok = np.flatnonzero(present & (pi >= 0) & ~shapely.is_missing(parents[np.maximum(pi, 0)]))
    shapely.prepare(parents[~shapely.is_missing(parents)])
    inside = shapely.covered_by(geoms[ok], parents[pi[ok]])
    stray = ok[~inside]
    outside = shapely.difference(geoms[stray], parents[pi[stray]])
    outside_area = shapely.area(outside)
    for k, i in enumerate(stray):
        if outside_area[k] > tol:
            problems.append(Problem("outside_parent", layer, (codes[i], parent_codes[i]), value=outside_area[k], location=outside[k]))

    # A parent whose children are inside it and do not overlap is tiled exactly when their
    # areas add up to its own; only the others need the union.
    origins = _origins(parents)
    child_area = np.bincount(pi[ok], weights=local_areas(geoms[ok], origins[pi[ok]]), minlength=len(parents))
    has_children = np.bincount(pi[ok], minlength=len(parents)) > 0
    parent_area = local_areas(parents, origins)
    crossing = set(pi[stray[outside_area > tol]].tolist())  # not float-noise protrusions
    suspect = has_children & ((parent_area - child_area) > tol)
    for p in sorted(set(np.flatnonzero(suspect).tolist()) | crossing | set(overlapping)):
        if has_children[p]:
            members = ok[pi[ok] == p]
            problems += _gaps(parent_layer, parent_code_list[p], parents[p], geoms[members], codes[members], settings)
    return problems


def _origins(parents: np.ndarray) -> np.ndarray:
    """A corner of each parent's bounding box ((0, 0) for a missing one)."""
    bounds = shapely.bounds(parents)[:, :2]
    return np.nan_to_num(bounds)


def _gaps(parent_layer: str, parent_code: str, parent, children: np.ndarray, codes: np.ndarray,
          settings: CheckSettings) -> list[Problem]:
    uncovered = shapely.difference(parent, _union(children))
    return _holes_to_problems(parent_layer, parent_code, shapely.get_parts(uncovered), settings, children, codes)


def _polygonal(geom):
    """Only the 2-dimensional parts of a geometry collection."""
    return shapely.union_all([p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == 2])


def _union(polygons: np.ndarray):
    """Union of areas; GEOS's coverage union is much faster where edges are vertex-matched."""
    if shapely.coverage_is_valid(polygons):
        return shapely.coverage_union_all(polygons)
    return shapely.union_all(polygons)


def _holes_to_problems(layer: str, code: str, parts: np.ndarray, settings: CheckSettings,
                       around: np.ndarray | None = None, around_codes: np.ndarray | None = None) -> list[Problem]:
    """A gap or sliver per part, naming `code` and then the `around` areas it borders (what a reviewer
    must correct: the small areas on either side of it)."""
    parts = parts[shapely.area(parts) > settings.area_tolerance]
    if not len(parts):
        return []
    # A gap that vanishes when shrunk by half the sliver width is narrower than that width.
    thin = shapely.is_empty(shapely.buffer(parts, -settings.sliver_width / 2))
    beside: list[list[str]] = [[] for _ in parts]
    if around is not None and around_codes is not None and len(around):
        g, a = shapely.STRtree(around).query(parts, predicate="dwithin", distance=0.01)
        # An area only touching the gap's end (a sliver's short side) is not one of its sides.
        shared = shapely.length(shapely.intersection(shapely.boundary(parts[g]), shapely.buffer(around[a], 0.01)))
        for k, i in zip(g[shared >= 0.05 * shapely.length(parts[g])].tolist(), a[shared >= 0.05 * shapely.length(parts[g])].tolist()):
            beside[k].append(str(around_codes[i]))
    return [
        Problem("sliver_gap" if thin[k] else "gap", layer, (code, *sorted(set(beside[k]))), value=shapely.area(part), location=part)
        for k, part in enumerate(parts)
    ]


def township_holes(villages: np.ndarray) -> np.ndarray:
    """Land enclosed by the villages that no village covers: the holes in their union, as polygons."""
    present = villages[~shapely.is_missing(villages)]
    if not len(present):
        return np.array([], dtype=object)
    union = _union(present)
    rings = [ring for poly in shapely.get_parts(union) for ring in poly.interiors]
    return np.asarray(shapely.polygons(np.array(rings, dtype=object)) if rings else [], dtype=object)


def township_hole_problems(villages: np.ndarray, codes: np.ndarray, township_code: str, settings: CheckSettings,
                           allowed: np.ndarray | None = None) -> list[Problem]:
    """Holes in the township (see :func:`township_holes`), each naming the villages around it, except those
    recorded as allowed: a hole whose representative point lies in an `allowed` polygon (an enclave of
    another jurisdiction)."""
    holes = township_holes(villages)
    if len(holes) and allowed is not None and len(allowed):
        holes = holes[~allowed_mask(holes, allowed)]
    present = ~shapely.is_missing(villages)
    return _holes_to_problems("villages", township_code, holes, settings, villages[present], codes[present])


def allowed_mask(holes: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Whether each hole is recorded as allowed: its representative point lies in one of `allowed`."""
    allowed = np.asarray(allowed, dtype=object)
    allowed = allowed[has_land(allowed)]
    if not len(allowed) or not len(holes):
        return np.zeros(len(holes), dtype=bool)
    points = shapely.point_on_surface(holes)
    hit = shapely.STRtree(allowed).query(points, predicate="within")
    mask = np.zeros(len(holes), dtype=bool)
    mask[hit[0]] = True
    return mask
