"""The overview inset of a map that shows only part of its area: the whole area small, and the main map's frame."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.maps.geometry import PageTransform, line_path, ring_path
from gis_census.maps.layout import Box
from gis_census.maps.page import LEGEND_NOTE_H, Styles, rects_path
from gis_census.maps.render import PathItem

__all__ = ["inset_box", "add_inset", "legend_room"]

INSET_SHARES = (0.3, 0.26, 0.22, 0.18, 0.15)  # of the frame's width and height, at most: shrunk to find room
INSET_PAD = 1.5  # mm inside the inset's border
CLEAR = 0.8  # mm kept between the inset and the buildings it must not hide
SLIDES = 8  # positions along each edge of the frame, corners included


def inset_box(frame: Box, area, anchors: np.ndarray, footprints=None, spare: Box | None = None
              ) -> tuple[Box, PageTransform]:
    """The inset for `area` (page mm) and its ground-to-page transform: inside `frame` where it hides none of
    `footprints`, else in `spare`.

    In the frame, the inset takes the largest size (from a third of the frame down to a sixth) and the place
    along the frame's edges (a corner first) that covers none of `footprints` (the buildings of the map's own
    area, page mm, as drawn), and of those the one covering the fewest `anchors` (the labels' anchors, page mm).
    Where every place hides a building (a dense town at 1:500), the inset fills `spare` (a box outside the frame,
    the legend's, for the caller to give up) when given, else the corner covering the fewest anchors."""
    x, y = np.asarray(anchors, np.float64).reshape(-1, 2).T
    fp = np.asarray(footprints if footprints is not None else [], dtype=object)
    tree = shapely.STRtree(fp) if len(fp) else None
    best: tuple | None = None
    for size, share in enumerate(INSET_SHARES):
        w, h, _ = _fit(area, frame.w * share, frame.h * share)
        boxes = _places(frame, w, h)
        hidden = np.zeros(len(boxes), bool)
        if tree is not None:
            rects = shapely.box(*np.array([(b.x - CLEAR, b.y - CLEAR, b.x1 + CLEAR, b.y1 + CLEAR) for b in boxes]).T)
            hidden[tree.query(rects, predicate="intersects")[0]] = True
        for k, b in enumerate(boxes):
            if hidden[k] and (size or k >= 4 or spare is not None):  # the last resort: a corner, largest
                continue
            covered = int(np.count_nonzero((x > b.x - 2) & (x < b.x1 + 2) & (y > b.y - 2) & (y < b.y1 + 2)))
            key = (bool(hidden[k]), covered, size if not hidden[k] else 0, k)
            if best is None or key < best[0]:
                best = (key, b)
        if best is not None and best[0][:2] == (False, 0):
            break  # free of buildings and of labels: no smaller inset does better
    if best is None:  # every place in the frame hides a building: the inset goes out of it
        assert spare is not None
        w, h, _ = _fit(area, spare.w, spare.h)
        box = Box(spare.x, spare.y + (spare.h - h) / 2, w, h)
    else:
        box = best[1]
    x0, y0, x1, y1 = shapely.bounds(area)
    _, _, mm_per_m = _fit(area, box.w, box.h)
    return box, PageTransform((x0 + x1) / 2, (y0 + y1) / 2, box.cx, box.cy, mm_per_m)


def legend_room(layout, note: str) -> Box:
    """The legend's box of a page, less its note's line: where an inset goes that no place in the frame takes
    (the legend then gives way, as it repeats the main map's)."""
    lg, below = layout.legend, (LEGEND_NOTE_H if note else 0.0)
    return Box(lg.x + 0.5, lg.y + below + 0.5, lg.w - 1.0, lg.h - below - 1.0)


def _fit(area, room_w: float, room_h: float) -> tuple[float, float, float]:
    """Width and height (mm) of the inset showing `area` within `room_w` × `room_h` mm, and its mm per m."""
    x0, y0, x1, y1 = shapely.bounds(area)
    gw, gh = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    mm_per_m = min((room_w - 2 * INSET_PAD) / gw, (room_h - 2 * INSET_PAD) / gh)
    return gw * mm_per_m + 2 * INSET_PAD, gh * mm_per_m + 2 * INSET_PAD, mm_per_m


def _places(frame: Box, w: float, h: float) -> list[Box]:
    """Boxes `w` × `h` inside `frame` along its edges: the four corners, then slid along each edge."""
    corners = [Box(x, y, w, h) for x in (frame.x1 - w, frame.x) for y in (frame.y1 - h, frame.y)]
    xs = np.linspace(frame.x, frame.x1 - w, SLIDES)[1:-1]
    ys = np.linspace(frame.y, frame.y1 - h, SLIDES)[1:-1]
    slides = [Box(float(px), py, w, h) for py in (frame.y1 - h, frame.y) for px in xs]
    slides += [Box(px, float(py), w, h) for px in (frame.x1 - w, frame.x) for py in ys]
    return corners + slides


def add_inset(spec, box: Box, t: PageTransform, area, buildings, shown) -> None:
    """Draw the inset in `box`: `area` and its `buildings` through `t`, and the ground rectangle `shown`
    (the main map's frame) in red, clipped to the area's bounds."""
    spec.paths.append(PathItem(*rects_path([(box.x, box.y, box.w, box.h)]), face="white", edge="black", lw=0.3,
                               z=10.0, join="miter"))
    spec.paths.append(PathItem(*ring_path([area], t), face=Styles.area_fill, edge=Styles.area_edge, lw=0.3, z=10.1))
    spec.paths.append(PathItem(*ring_path(buildings, t), face=Styles.home_edge, z=10.2))
    frame = shapely.intersection(shapely.box(*shown), shapely.box(*shapely.bounds(area)))
    spec.paths.append(PathItem(*line_path([frame], t), edge=Styles.enlargement, lw=0.5, z=10.3))
