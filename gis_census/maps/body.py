"""The map inside the frame: context layers clipped to the frame, and the labels of roads, water and landmarks."""

from __future__ import annotations

import math

import numpy as np
import shapely

from gis_census.maps.geometry import PageTransform, line_path, ring_path
from gis_census.maps.labels import Label, LabelGrid
from gis_census.maps.layout import Box
from gis_census.maps.page import PT_MM, Styles, marker_path
from gis_census.maps.render import ImageItem, PageSpec, PathItem, TextItem

__all__ = ["clipped", "clip_to_rect", "draw_basemap", "draw_water", "draw_roads", "draw_landmarks", "label_roads",
           "label_water", "label_landmarks", "label_box_h", "add_labels", "add_leaders"]


def label_box_h(size: float) -> float:
    """Height in mm of the box of a label set at `size` points (digits and CJK both fit)."""
    return size * PT_MM * 0.92


def clipped(layer, rect) -> tuple[np.ndarray, np.ndarray]:
    """Indices of `layer`'s features meeting `rect` and their geometries clipped to it."""
    idx = layer.query(rect)
    geoms = clip_to_rect(layer.geoms[idx], rect) if len(idx) else np.array([], dtype=object)
    keep = ~shapely.is_empty(geoms) if len(idx) else np.zeros(0, bool)
    return idx[keep], geoms[keep]


def clip_to_rect(geoms: np.ndarray, rect) -> np.ndarray:
    """`geoms` clipped to the ground rectangle `rect`, whatever valid geometry they hold.

    GEOS's fast rectangle clip refuses some valid polygons ("Invalid number of points in LinearRing"
    from a hole of 1e-8 m² that divide's unions can leave): those few are intersected with the
    rectangle instead, which copes with any valid geometry.
    """
    try:
        return shapely.clip_by_rect(geoms, *rect)
    except shapely.errors.GEOSException:
        box = shapely.box(*rect)
        return np.array([_clip_one(g, rect, box) for g in geoms], dtype=object)


def _clip_one(geom, rect, box):
    try:
        return shapely.clip_by_rect(geom, *rect)
    except shapely.errors.GEOSException:
        return shapely.intersection(geom, box)


def draw_basemap(spec: PageSpec, ctx, frame: Box, rect, dpi: float = 150.0) -> str:
    """The imagery of ``ctx.basemap`` (lightened) for the ground `rect` filling `frame`, at `dpi`, under the map;
    returns the legend's note naming it ("" without imagery or where it does not reach). Every map kind draws it so."""
    if ctx.basemap is None:
        return ""
    rgb = ctx.basemap.image(rect, max(1, round(frame.w / 25.4 * dpi)), max(1, round(frame.h / 25.4 * dpi)))
    if rgb is None:
        return ""
    spec.images.append(ImageItem(frame.x, frame.y, frame.w, frame.h, rgb))
    return ctx.tr("map_basemap_note", source=ctx.basemap.source, date=ctx.basemap.date)


def draw_water(spec: PageSpec, ctx, rect, t: PageTransform):
    idx, geoms = clipped(ctx.water, rect)
    areal = shapely.get_dimensions(geoms) == 2 if len(geoms) else np.zeros(0, bool)
    spec.paths.append(PathItem(*ring_path(geoms[areal], t), face=Styles.water_fill, edge=Styles.water_edge, lw=0.15,
                               z=1.0, clip=True))
    spec.paths.append(PathItem(*line_path(geoms[~areal], t), edge=Styles.water_edge, lw=0.6, z=1.0, clip=True))
    return idx, geoms


def draw_roads(spec: PageSpec, ctx, rect, t: PageTransform, scale_factor: float = 1.0):
    """Roads as cased lines (grey edges, white middle), widths by kind."""
    idx, geoms = clipped(ctx.roads, rect)
    kinds = ctx.roads["kind"][idx]
    order = ["lane", "rural", "street", "main"]
    known = np.isin(kinds, order)
    kinds = np.where(known, kinds, "lane")
    for casing in (True, False):
        for k, kind in enumerate(order):
            mine = geoms[kinds == kind]
            if not len(mine):
                continue
            width = Styles.roads[kind] * scale_factor
            path = line_path(mine, t)
            if casing:
                spec.paths.append(PathItem(*path, edge=Styles.road_casing, lw=width, z=2.0 + 0.01 * k, clip=True))
            else:
                spec.paths.append(PathItem(*path, edge=Styles.road_fill, lw=max(width - 0.35, 0.15),
                                           z=2.1 + 0.01 * k, clip=True))
    return idx, geoms


def draw_landmarks(spec: PageSpec, ctx, rect, t: PageTransform):
    idx = ctx.landmarks.query(rect)
    xy = t(shapely.get_coordinates(shapely.point_on_surface(ctx.landmarks.geoms[idx]))) if len(idx) else np.zeros((0, 2))
    if len(xy):
        spec.paths.append(PathItem(*marker_path(xy), face="white", edge=Styles.landmark, lw=0.3, z=6.0, clip=True))
    return idx, xy


def label_landmarks(grid: LabelGrid, ctx, idx, xy, size: float = 6.0):
    labels = []
    h = label_box_h(size)
    for i, (x, y) in zip(idx, xy):
        name = str(ctx.landmarks["name"][i])
        if not name:
            continue
        w = ctx.measure.width_mm(name, size)
        d = 1.3
        offsets = [((w / 2 + d) / (w + 0.25), 0.0), (-(w / 2 + d) / (w + 0.25), 0.0), (0.0, (h / 2 + d) / (h + 0.25)),
                   (0.0, -(h / 2 + d) / (h + 0.25))]
        label = grid.place(name, x, y, w, h, size, "landmark", offsets=offsets)
        if label:
            labels.append(label)
    return labels


def label_water(grid: LabelGrid, ctx, idx, geoms, t: PageTransform, size: float = 6.5):
    labels: list[Label] = []
    seen: set[str] = set()
    h = label_box_h(size)
    if not len(idx):
        return labels
    order = np.argsort(-shapely.area(geoms) - shapely.length(geoms))
    for j in order:
        name = str(ctx.water["name"][idx[j]])
        if not name or name in seen:
            continue
        x, y = t(shapely.get_coordinates(shapely.point_on_surface(geoms[j])))[0]
        w = ctx.measure.width_mm(name, size)
        label = grid.place(name, x, y, w, h, size, "water")
        if label:
            labels.append(label)
            seen.add(name)
    return labels


def label_roads(grid: LabelGrid, ctx, idx, geoms, t: PageTransform, size: float = 6.5):
    """Each named road once, along its longest visible piece, at the first free spot of a few along it."""
    labels: list[Label] = []
    if not len(idx):
        return labels
    names = ctx.roads["name"][idx]
    h = label_box_h(size)
    for name in dict.fromkeys(n for n in names if n):
        merged = shapely.line_merge(shapely.union_all(geoms[names == name]))
        parts = shapely.get_parts(merged)
        parts = parts[shapely.get_type_id(parts) == 1]
        if not len(parts):
            continue
        line = parts[np.argmax(shapely.length(parts))]
        length_mm = line.length * t.mm_per_m
        w = ctx.measure.width_mm(name, size)
        if length_mm < w * 1.1:
            continue
        for frac in (0.5, 0.3, 0.7, 0.15, 0.85):
            at = line.length * frac
            half = w / 2 / t.mm_per_m
            p0 = line.interpolate(max(at - half, 0.0))
            p1 = line.interpolate(min(at + half, line.length))
            (x0, y0), (x1, y1) = t(np.array([[p0.x, p0.y], [p1.x, p1.y]]))
            angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
            if angle > 90:
                angle -= 180
            elif angle < -90:
                angle += 180
            cx, cy = t(np.array([[line.interpolate(at).x, line.interpolate(at).y]]))[0]
            a = math.radians(angle)
            bw = abs(w * math.cos(a)) + abs(h * math.sin(a))
            bh = abs(w * math.sin(a)) + abs(h * math.cos(a))
            label = grid.place(name, cx, cy, bw, bh, size, "road", offsets=((0.0, 0.0),), rotation=angle)
            if label:
                labels.append(label)
                break
    return labels


def add_labels(spec: PageSpec, labels, colours: dict[str, str], backed: set[str], z: float = 8.0) -> None:
    """Texts of placed labels, a white box behind the roles in `backed`, leader lines to moved labels."""
    from gis_census.maps.page import rects_path

    boxes = [(lb.box.x, lb.box.y, lb.box.w, lb.box.h) for lb in labels if lb.role in backed]
    if boxes:
        spec.paths.append(PathItem(*rects_path(boxes), face="white", alpha=0.8, z=z - 0.2, clip=True))
    add_leaders(spec, [lb for lb in labels if lb.role == "building"], z - 0.1)
    for lb in labels:
        spec.texts.append(TextItem(lb.x, lb.y, lb.text, lb.size, color=colours.get(lb.role, "black"),
                                   rotation=lb.rotation, va="center_baseline", z=z, clip=True))


def add_leaders(spec: PageSpec, labels, z: float = 7.9) -> None:
    """Leader lines from the anchors of the `labels` moved off them to the nearest point of their boxes."""
    from gis_census.maps.page import segments_path

    leaders = []
    for lb in labels:
        if lb.anchor is not None:
            ax, ay = lb.anchor
            ex = min(max(ax, lb.box.x), lb.box.x1)
            ey = min(max(ay, lb.box.y), lb.box.y1)
            if math.hypot(ex - ax, ey - ay) > 0.6:
                leaders.append((ax, ay, ex, ey))
    if leaders:
        spec.paths.append(PathItem(*segments_path(leaders), edge="#333333", lw=0.12, z=z, clip=True))
