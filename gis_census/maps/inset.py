"""The overview inset of a map that shows only part of its area: the whole area small, and the main map's frame."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.maps.geometry import PageTransform, line_path, ring_path
from gis_census.maps.layout import Box
from gis_census.maps.page import Styles, rects_path
from gis_census.maps.render import PathItem

__all__ = ["inset_box", "add_inset"]

INSET_SHARE = 0.3  # of the frame's width and height, at most
INSET_PAD = 1.5  # mm inside the inset's border


def inset_box(frame: Box, area, anchors: np.ndarray) -> tuple[Box, PageTransform]:
    """The inset for `area` in the corner of `frame` that covers the fewest of `anchors` (page mm,
    the labels' anchors), and its ground-to-page transform."""
    x0, y0, x1, y1 = shapely.bounds(area)
    gw, gh = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    room_w, room_h = frame.w * INSET_SHARE - 2 * INSET_PAD, frame.h * INSET_SHARE - 2 * INSET_PAD
    mm_per_m = min(room_w / gw, room_h / gh)
    w, h = gw * mm_per_m + 2 * INSET_PAD, gh * mm_per_m + 2 * INSET_PAD
    corners = [Box(x, y, w, h) for x in (frame.x1 - w, frame.x) for y in (frame.y1 - h, frame.y)]
    x, y = np.asarray(anchors, np.float64).reshape(-1, 2).T

    def covered(b: Box) -> int:
        return int(np.count_nonzero((x > b.x - 2) & (x < b.x1 + 2) & (y > b.y - 2) & (y < b.y1 + 2)))

    box = min(corners, key=covered)
    return box, PageTransform((x0 + x1) / 2, (y0 + y1) / 2, box.cx, box.cy, mm_per_m)


def add_inset(spec, box: Box, t: PageTransform, area, buildings, shown) -> None:
    """Draw the inset in `box`: `area` and its `buildings` through `t`, and the ground rectangle `shown`
    (the main map's frame) in red, clipped to the area's bounds."""
    spec.paths.append(PathItem(*rects_path([(box.x, box.y, box.w, box.h)]), face="white", edge="black", lw=0.3,
                               z=10.0, join="miter"))
    spec.paths.append(PathItem(*ring_path([area], t), face=Styles.area_fill, edge=Styles.area_edge, lw=0.3, z=10.1))
    spec.paths.append(PathItem(*ring_path(buildings, t), face=Styles.home_edge, z=10.2))
    frame = shapely.intersection(shapely.box(*shown), shapely.box(*shapely.bounds(area)))
    spec.paths.append(PathItem(*line_path([frame], t), edge=Styles.enlargement, lw=0.5, z=10.3))
