"""The segments of polygons' rings, as arrays."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["ring_segments"]


def ring_segments(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every segment of the rings of `polygons` (each part's, holes included): start points and end points
    (arrays of x, y rows) and the index of the polygon each segment belongs to, in the polygons' order."""
    parts, polygon = shapely.get_parts(polygons, return_index=True)
    rings, part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    start = np.flatnonzero(ring[1:] == ring[:-1])  # a segment from each point to the next of its ring
    return xy[start], xy[start + 1], polygon[part[ring[start]]]
