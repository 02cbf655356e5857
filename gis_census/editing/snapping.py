"""Snapping a cursor position to the vertices and edges of nearby polygons (no Qt)."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["snap_point"]


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
