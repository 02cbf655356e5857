"""Small spatial helpers shared by import and assignment."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["containing_index", "is_in", "local_areas"]


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
