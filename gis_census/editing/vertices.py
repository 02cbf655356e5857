"""Topological vertex editing: a vertex shared by small areas moves in all of them, so no gap or overlap opens."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.editing.changes import MIN_AREA, area_edit, area_row
from gis_census.editing.edit import Edit, EditError
from gis_census.editing.guard import guarded
from gis_census.project import CensusProject

__all__ = ["move_vertex", "vertex_at"]


def _near(project: CensusProject, xy, tolerance: float) -> np.ndarray:
    """Row positions of the small areas whose boundary lies within `tolerance` of `xy`."""
    areas = project["small_areas"]
    x, y = xy
    hits = areas.sindex.query(shapely.box(x - tolerance, y - tolerance, x + tolerance, y + tolerance))
    geoms = np.asarray(areas.geometry.array, dtype=object)[hits]
    close = shapely.distance(shapely.boundary(geoms), shapely.Point(x, y)) <= tolerance
    return np.sort(hits[close])


def vertex_at(project: CensusProject, xy, tolerance: float) -> tuple[float, float] | None:
    """The small-area vertex nearest to `xy` within `tolerance`, or None."""
    hits = _near(project, (float(xy[0]), float(xy[1])), tolerance)
    if not len(hits):
        return None
    coords = shapely.get_coordinates(np.asarray(project["small_areas"].geometry.array, dtype=object)[hits])
    d = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
    k = int(np.argmin(d))
    return (float(coords[k, 0]), float(coords[k, 1])) if d[k] <= tolerance else None


@guarded
def move_vertex(project: CensusProject, old_xy, new_xy, tolerance: float = 0.01) -> Edit:
    """Move the vertex at `old_xy` (within `tolerance`) to `new_xy` in every small area that has it.

    A point on edges but at no vertex is first inserted into each area whose edge it lies on, so a
    shared boundary is dragged as one. Where the two sides of a boundary are not vertex-matched (a
    densely vertexed side along a neighbour's long edge), the edges meeting at the point first take
    the vertices other areas have on them, so both sides bend alike and no gap or overlap opens.
    Refused when nothing is there, when the point lies on a district boundary, when an area would
    cross itself, overlap another or leave its district, or (the guard every edit passes, see
    :mod:`gis_census.editing.guard`) when the district would no longer be tiled.
    """
    old_xy = (float(old_xy[0]), float(old_xy[1]))
    new_xy = (float(new_xy[0]), float(new_xy[1]))
    anchor = vertex_at(project, old_xy, tolerance) or old_xy
    areas = project["small_areas"]
    hits = _near(project, anchor, tolerance)
    if not len(hits):
        raise EditError("edit_no_vertex", x=f"{old_xy[0]:.3f}", y=f"{old_xy[1]:.3f}")
    districts = project["districts"]
    d_codes = districts["code"].to_numpy(object)
    d_geoms = np.asarray(districts.geometry.array, dtype=object)
    d_of = {c: g for c, g in zip(d_codes, d_geoms)}
    point = shapely.Point(anchor)
    for district in sorted(set(areas["district_code"].to_numpy(object)[hits])):
        g = d_of.get(district)
        if g is not None and shapely.distance(shapely.boundary(g), point) <= tolerance:
            raise EditError("edit_vertex_on_district_boundary", district=district)

    geoms = np.asarray(areas.geometry.array, dtype=object)
    codes = areas["code"].to_numpy(object)
    others = _vertices_near(areas, geoms, hits, anchor, tolerance)
    moved = {i: _moved(geoms[i], anchor, new_xy, tolerance, others) for i in hits}
    moved = {i: g for i, g in moved.items() if g is not None}
    if not moved:
        raise EditError("edit_no_vertex", x=f"{old_xy[0]:.3f}", y=f"{old_xy[1]:.3f}")
    for i, g in moved.items():
        if not shapely.is_valid(g):
            raise EditError("edit_invalid_result", code=codes[i], reason=shapely.is_valid_reason(g))
        district = areas["district_code"].iat[i]
        parent = d_of.get(district)
        if parent is not None:
            outside = shapely.area(shapely.difference(g, parent)) - shapely.area(shapely.difference(geoms[i], parent))
            if outside > MIN_AREA:
                raise EditError("edit_outside_district", code=codes[i], district=district, area=f"{outside:,.2f}")
    _refuse_overlaps(areas, geoms, codes, moved)
    rows = [area_row(areas.iloc[i], geometry=g) for i, g in sorted(moved.items())]
    return area_edit(project, "edit_move_vertex", rows, codes=tuple(sorted(codes[i] for i in moved)))


def _refuse_overlaps(areas, geoms: np.ndarray, codes: np.ndarray, moved: dict) -> None:
    """EditError when a moved area overlaps another more than it did before the move."""
    idx = np.array(sorted(moved), dtype=int)
    new = np.array([moved[i] for i in idx], dtype=object)
    a, b = areas.sindex.query(new, predicate="intersects")
    for k, j in zip(a, b):
        i = idx[k]
        if i == j or (j in moved and j < i):
            continue
        other = moved.get(j, geoms[j])
        if not shapely.relate_pattern(new[k], other, "2********"):
            continue
        after = shapely.area(shapely.intersection(new[k], other))
        before = shapely.area(shapely.intersection(geoms[i], geoms[j]))
        if after - before > MIN_AREA:
            raise EditError("edit_overlap_result", code=codes[i], other=codes[j], area=f"{after - before:,.2f}")


def _vertices_near(areas, geoms: np.ndarray, hits: np.ndarray, anchor, tolerance: float) -> np.ndarray:
    """The vertices of every small area near the edges that meet at `anchor` (the bounding box of the
    rings through it): where another area's vertex lies on one of those edges, the moved rings must
    bend there too, or the boundary they share with it would part."""
    x, y = anchor
    reach = shapely.bounds(geoms[hits])
    box = shapely.box(min(reach[:, 0].min(), x) - tolerance, min(reach[:, 1].min(), y) - tolerance,
                      max(reach[:, 2].max(), x) + tolerance, max(reach[:, 3].max(), y) + tolerance)
    near = areas.sindex.query(box)
    coords = shapely.get_coordinates(geoms[near])
    inside = (coords[:, 0] >= box.bounds[0]) & (coords[:, 0] <= box.bounds[2]) & (coords[:, 1] >= box.bounds[1]) & (coords[:, 1] <= box.bounds[3])
    return np.unique(coords[inside], axis=0)


def _moved(geom, anchor, new_xy, tolerance: float, others: np.ndarray | None = None):
    """`geom` with its vertices within `tolerance` of `anchor` moved to `new_xy` (a ring passing
    through `anchor` in the middle of an edge gets a vertex there first, which then moves); None
    when nothing moves.

    The edges that meet at the moved vertex first take every vertex of `others` lying on them
    (within `tolerance`): two areas sharing a boundary then share the vertices next to the moved one,
    so the boundary bends the same way on both sides and no gap or overlap opens between them.
    """
    if geom is None or geom.is_empty:
        return None
    others = np.zeros((0, 2)) if others is None else others
    polygons, changed = [], False
    for poly in shapely.get_parts(geom):
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            coords, hit = _move_ring(np.asarray(ring.coords), anchor, new_xy, tolerance, others)
            changed |= hit
            rings.append(coords)
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    if not changed:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _move_ring(coords: np.ndarray, anchor, new_xy, tolerance: float, others: np.ndarray) -> tuple[np.ndarray, bool]:
    pts = coords[:-1, :2].copy()
    ax, ay = anchor
    hit = np.hypot(pts[:, 0] - ax, pts[:, 1] - ay) <= tolerance
    if not hit.any():
        a, b = pts, np.roll(pts, -1, axis=0)
        t, dist = _on_segments(a, b, np.array([[ax, ay]]))
        k = int(np.argmin(dist[:, 0]))
        if dist[k, 0] > tolerance:
            return coords, False
        pts = np.insert(pts, k + 1, (ax, ay), axis=0)
        hit = np.insert(hit, k + 1, True)
    pts, hit = _match_incident_edges(pts, hit, others, tolerance)
    pts[hit] = new_xy
    return np.vstack([pts, pts[:1]]), True


def _on_segments(a: np.ndarray, b: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For segments a[i]–b[i] and `points` p[j]: the position t[i, j] (0..1) of p[j]'s nearest point
    on the segment, and its distance dist[i, j]."""
    ab = b - a
    length2 = (ab ** 2).sum(axis=1)[:, None]
    ap_x = points[None, :, 0] - a[:, None, 0]
    ap_y = points[None, :, 1] - a[:, None, 1]
    t = np.clip((ap_x * ab[:, None, 0] + ap_y * ab[:, None, 1]) / np.where(length2 > 0, length2, 1), 0, 1)
    dist = np.hypot(ap_x - t * ab[:, None, 0], ap_y - t * ab[:, None, 1])
    return t, dist


def _match_incident_edges(pts: np.ndarray, hit: np.ndarray, others: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """`pts` (an open ring) with the `others` lying inside the edges between a `hit` vertex and one that
    is not inserted into those edges, in order along them."""
    n = len(pts)
    if not len(others) or hit.all():
        return pts, hit
    nxt = np.roll(np.arange(n), -1)
    incident = np.flatnonzero(hit != hit[nxt])  # edge k runs from pts[k] to pts[k + 1]
    if not len(incident):
        return pts, hit
    a, b = pts[incident], pts[nxt[incident]]
    t, dist = _on_segments(a, b, others)
    length = np.hypot(*(b - a).T)[:, None]
    inner = (dist <= tolerance) & (t * length > tolerance) & ((1 - t) * length > tolerance)
    if not inner.any():
        return pts, hit
    out_pts, out_hit = [], []
    for k in range(n):
        out_pts.append(pts[k])
        out_hit.append(hit[k])
        where = np.flatnonzero(incident == k)
        if len(where):
            e = where[0]
            on = np.flatnonzero(inner[e])
            if len(on):
                on = on[np.argsort(t[e, on])]
                out_pts.extend(others[on])
                out_hit.extend([False] * len(on))
    return np.asarray(out_pts, dtype=float), np.asarray(out_hit, dtype=bool)
