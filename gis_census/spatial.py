"""Small spatial helpers shared by import and assignment."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["containing_index"]


def containing_index(geoms, polygons) -> np.ndarray:
    """For each geometry, the index of the polygon holding its representative point (-1 for none).

    A point on a boundary shared by two polygons goes to the one listed first, so every
    geometry gets exactly one answer.
    """
    points = shapely.point_on_surface(np.asarray(geoms))
    result = np.full(len(points), -1, dtype="int64")
    if not len(points) or not len(polygons):
        return result
    g_idx, p_idx = shapely.STRtree(np.asarray(polygons)).query(points, predicate="intersects")
    if not len(g_idx):
        return result
    first = np.lexsort((p_idx, g_idx))
    keep = np.r_[True, g_idx[first][1:] != g_idx[first][:-1]]
    result[g_idx[first][keep]] = p_idx[first][keep]
    return result
