"""The lanes a person walks between buildings, derived from the footprints where no road layer draws them."""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import Voronoi  # type: ignore[import-untyped]

__all__ = ["LANE_M", "REACH_M", "derived_lanes"]

#: Open space at least this wide (m) between two buildings is a lane: a boundary down it can be walked.
LANE_M = 4.0
#: A lane has buildings on both sides within this distance (m) of its middle; beyond it is open land.
REACH_M = 20.0
#: m between points along the footprint outlines: the lanes' middle is found to about a tenth of this.
_SPACING_M = 2.0
#: m the lines are simplified by: the middle of a lane, not every corner of the houses beside it.
_SIMPLIFY_M = 0.5


def derived_lanes(footprints: np.ndarray, region) -> np.ndarray:
    """The centre lines of the lanes between `footprints` inside `region` (a polygon), as LineStrings.

    A lane's centre is where the nearest two buildings are equally far: the edges of the Voronoi
    diagram of points spaced along the outlines, between points of different buildings (a
    building's own edges, its medial axis, are left out). Kept where the buildings stand at least LANE_M
    and at most 2 × REACH_M apart (a gap a person walks, not a field) and face each other across it (at
    least 90° apart seen from it): past the end of a row the line between two neighbours runs on into
    the open with both behind it, a lane only for its first LANE_M (where it joins the lane in front).
    None runs inside a footprint (between two that overlap). Merged and simplified.
    """
    footprints = np.asarray(footprints, dtype=object)
    if len(footprints) < 2 or shapely.is_empty(region):
        return np.zeros(0, dtype=object)
    parts, owner = shapely.get_parts(footprints, return_index=True)
    xy, ring = shapely.get_coordinates(shapely.segmentize(shapely.get_exterior_ring(parts), _SPACING_M), return_index=True)
    xy, first = np.unique(np.round(xy, 1), axis=0, return_index=True)  # touching houses: one point per 0.1 m
    owner = owner[ring[first]]
    if len(xy) < 4 or len(np.unique(owner)) < 2:
        return np.zeros(0, dtype=object)
    origin = xy.mean(axis=0)  # Qhull on Gauss–Krüger eastings loses precision: work near (0, 0)
    diagram = Voronoi(xy - origin)
    points, ends = diagram.ridge_points, np.asarray(diagram.ridge_vertices)
    keep = (owner[points[:, 0]] != owner[points[:, 1]]) & (ends >= 0).all(axis=1)
    points, ends = points[keep], ends[keep]
    a, b = diagram.vertices[ends[:, 0]] + origin, diagram.vertices[ends[:, 1]] + origin
    to_p, to_q = xy[points[:, 0]] - (a + b) / 2, xy[points[:, 1]] - (a + b) / 2  # its generators: the nearest points
    clearance = np.hypot(*to_p.T)
    facing = (to_p * to_q).sum(axis=1) <= 0  # buildings on both sides, not both behind
    keep = (clearance >= LANE_M / 2) & (clearance <= REACH_M) & (facing | (clearance <= LANE_M))
    keep[keep] &= shapely.contains_xy(region, *a[keep].T) & shapely.contains_xy(region, *b[keep].T)
    middle = shapely.points((a[keep] + b[keep]) / 2)
    keep[np.flatnonzero(keep)[shapely.STRtree(footprints).query(middle, predicate="within")[0]]] = False  # overlapping footprints
    if not keep.any():
        return np.zeros(0, dtype=object)
    segments = shapely.linestrings(np.stack([a[keep], b[keep]], axis=1))
    merged = shapely.line_merge(shapely.multilinestrings(segments))
    return shapely.get_parts(shapely.simplify(merged, _SIMPLIFY_M))
