"""Snapping a cursor position to the vertices and edges of nearby areas, else of roads and water (no Qt)."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["snap_point", "snap_to_project"]

#: Layers whose vertices and edges a point snaps to.
SNAPPED = ("small_areas", "districts")
#: Lines on the ground a point snaps to when no area is within reach: a boundary drawn along them can be walked.
FEATURES = ("roads", "water")


def snap_point(geoms, xy, tolerance: float) -> tuple[float, float, str | None]:
    """`(x, y, kind)`: the nearest vertex of `geoms` within `tolerance` of `xy` ("vertex"), else the
    nearest point on their edges within it ("edge"), else `xy` itself and None."""
    x, y = float(xy[0]), float(xy[1])
    geoms = np.asarray(geoms, dtype=object).ravel()
    geoms = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    if not len(geoms):
        return x, y, None
    coords = shapely.get_coordinates(geoms)
    if len(coords):
        d = np.hypot(coords[:, 0] - x, coords[:, 1] - y)
        k = int(np.argmin(d))
        if d[k] <= tolerance:
            return float(coords[k, 0]), float(coords[k, 1]), "vertex"
    point = shapely.Point(x, y)
    lines = np.where(shapely.get_dimensions(geoms) == 2, shapely.boundary(geoms), geoms)
    d = shapely.distance(lines, point)
    if np.isnan(d).all():
        return x, y, None
    k = int(np.nanargmin(d))
    if d[k] <= tolerance:
        nearest = shapely.get_coordinates(shapely.shortest_line(lines[k], point))[0]
        return float(nearest[0]), float(nearest[1]), "edge"
    return x, y, None


def snap_to_project(project, xy, tolerance: float, layers=SNAPPED, features=FEATURES) -> tuple[float, float, str | None]:
    """:func:`snap_point` over the features of `layers` (small areas and districts) near `xy`, else over those
    of `features` (roads, water: their lines and edges): the one rule for every corner drawn and both ends of a
    vertex drag. Areas come first so that a corner lands on their shared vertices and the tiling stays exact."""
    x, y = float(xy[0]), float(xy[1])
    window = shapely.box(x - tolerance, y - tolerance, x + tolerance, y + tolerance)
    snapped = snap_point(_near(project, layers, window), (x, y), tolerance)
    if snapped[2] is None and features:
        snapped = snap_point(_near(project, features, window), (x, y), tolerance)
    return snapped


def _near(project, layers, window) -> np.ndarray:
    """The geometries of `layers` whose bounding box meets `window`."""
    near = []
    for name in layers:
        gdf = project.layers.get(name)
        if gdf is not None and len(gdf):
            near.append(np.asarray(gdf.geometry.array, dtype=object)[gdf.sindex.query(window)])
    return np.concatenate(near) if near else np.zeros(0, dtype=object)
