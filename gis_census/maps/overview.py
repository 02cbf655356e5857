"""Maps of many areas at once: the district map (its small areas) and the township index map (its districts)."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.maps.body import (
    add_labels,
    add_leaders,
    clipped,
    draw_basemap,
    draw_landmarks,
    draw_roads,
    draw_water,
    label_box_h,
    label_landmarks,
    label_roads,
    label_water,
)
from gis_census.maps.geometry import PageTransform, line_path, ring_path
from gis_census.maps.inset import add_inset, inset_box, legend_room
from gis_census.maps.labels import OFFSETS, LabelGrid
from gis_census.maps.layout import Box, PageLayout, TableLayout, plan_map_page
from gis_census.maps.page import (
    Styles,
    add_footer,
    add_frame,
    add_legend,
    add_north,
    add_scale,
    add_table,
    add_title,
    table_pages,
)
from gis_census.maps.render import PageSpec, PathItem, TextItem

__all__ = ["OverviewPlan", "plan_overview", "page_frame"]


class OverviewPlan:
    """A map of many units laid out: `labels` those of its first page, `left` the positions (in its units) not
    labelled with both lines, `enlargements` the plans of its enlargement pages."""

    def __init__(self, title, layout, transform, pages, labels, grid=None, left=(), inset=None):
        self.title, self.layout, self.transform, self.pages, self.labels = title, layout, transform, pages, labels
        self.grid, self.left = grid, list(left)
        self.inset: Box | None = inset  # the overview inset (page mm) of a map showing part of its focus
        self.enlargements: list[OverviewPlan] = []


def page_frame(focus, paper: str, columns, rows: int, least: float = 100.0) -> tuple[PageLayout, PageTransform]:
    """The page of a map of `focus` with a table of `rows` rows, and its ground-to-page transform; the frame
    shows at least `least` m each way."""
    x0, y0, x1, y1 = shapely.bounds(focus)
    layout = plan_map_page(max(x1 - x0, least), max(y1 - y0, least), paper, tuple((c.width, c.align) for c in columns),
                           rows)
    return layout, PageTransform((x0 + x1) / 2, (y0 + y1) / 2, layout.map.cx, layout.map.cy, layout.mm_per_m)


def plan_overview(ctx, focus, units_idx, unit_layer, title: str, line: str, columns, rows, label_lines,
                  paper: str = "A4", view=None, labelled=None, short: bool = True, lead=()) -> OverviewPlan:
    """A map of `focus` (a polygon) with the units `units_idx` of `unit_layer` outlined and labelled.

    label_lines : per unit, (big text, small text) written at its inside point
    view : the part of `focus` the frame shows (all of it when None; else `focus` is drawn in an inset)
    labelled : the positions of the units to label (all when None)
    short : where both lines do not fit, label a unit with its big text alone (else leave it to enlargements)
    lead : the positions of units that, where both lines fit nowhere inside them, are labelled in free space
        beside them with a leader line to their inside point (after the others, so as to take no one's room)
    """
    # an enlargement's window is sized for its scale, down to 1:500 (some 70 m across)
    layout, t = page_frame(focus, paper, columns, len(rows)) if view is None else \
        page_frame(view, paper, columns, len(rows), least=1.0)
    frame = layout.map
    rect = t.ground_rect(frame)
    spec = PageSpec(layout.width, layout.height)
    note = draw_basemap(spec, ctx, frame, rect)  # the imagery under everything, the focus tinted lightly over it
    spec.paths.append(PathItem(*ring_path([focus], t), face=Styles.area_fill, z=0.5, clip=True,
                               alpha=0.35 if note else 1.0))
    water_idx, water_geoms = draw_water(spec, ctx, rect, t)
    road_idx, road_geoms = draw_roads(spec, ctx, rect, t, 0.7 if layout.denominator <= 5000 else 0.5)
    b_idx, b_geoms = clipped(ctx.buildings, rect)
    if layout.denominator <= 10_000 and len(b_geoms):
        spec.paths.append(PathItem(*ring_path(b_geoms, t), face=Styles.far_fill, edge=Styles.far_edge, lw=0.06,
                                   z=3.0, clip=True))
    a_idx, a_geoms = clipped(ctx.areas, rect)
    spec.paths.append(PathItem(*line_path(a_geoms, t), edge=Styles.neighbour_edge, lw=Styles.neighbour_lw,
                               dash=Styles.neighbour_dash, z=4.0, clip=True))
    d_idx, d_geoms = clipped(ctx.districts, rect)
    spec.paths.append(PathItem(*line_path(shapely.boundary(ctx.districts.geoms[d_idx]), t), edge=Styles.district_edge,
                               lw=Styles.district_lw, dash=Styles.district_dash, z=4.5, clip=True))
    spec.paths.append(PathItem(*line_path([focus], t), edge=Styles.area_edge, lw=Styles.area_lw, z=5.0, clip=True))
    l_idx, l_xy = draw_landmarks(spec, ctx, rect, t)

    grid = LabelGrid(Box(frame.x + 0.8, frame.y + 0.8, frame.w - 1.6, frame.h - 1.6), cell=4.0)
    labels, left = [], []
    geoms = unit_layer.geoms[units_idx]
    points = t(shapely.get_coordinates(shapely.point_on_surface(geoms))) if len(geoms) else np.zeros((0, 2))
    box = None
    if view is not None:  # the inset hides none of the focus's buildings
        shapely.prepare(focus)
        mine = b_geoms[shapely.intersects(focus, ctx.buildings.geoms[b_idx])] if len(b_idx) else b_geoms
        box, inset_t = inset_box(frame, focus, points, shapely.transform(mine, t), legend_room(layout, note))
        add_inset(spec, box, inset_t, focus, np.array([], dtype=object), rect)
        grid.take(box)
    on_page = shapely.transform(geoms, t) if len(geoms) else geoms
    lead, led = set(lead), []
    for k in range(len(geoms)) if labelled is None else labelled:
        (x, y), (big, small), unit = points[k], label_lines[k], on_page[k]
        bw, sw = ctx.measure_bold.width_mm(big, 8.0), ctx.measure.width_mm(small, 6.0)
        bh, sh = label_box_h(8.0), label_box_h(6.0)
        w, h = max(bw, sw), bh + sh + 0.4
        label = grid.place(big + "\n" + small, x, y, w, h, 8.0, "unit", offsets=_inside(unit, x, y, w, h))
        if label is None and k in lead:
            led.append((k, big + "\n" + small, w, h))
            continue
        if label is None:
            left.append(k)
        if label is None and short:
            label = grid.place(big, x, y, bw, bh, 8.0, "unit-big", offsets=_inside(unit, x, y, bw, bh))
        if label is not None:  # else the unit is too small at this scale: the table lists it
            labels.append(label)
    for k, text, w, h in led:
        x, y = float(points[k][0]), float(points[k][1])
        label = grid.place(text, x, y, w, h, 8.0, "unit-led", offsets=_beside(on_page[k], x, y, w, h))
        if label is None:
            left.append(k)
        else:
            labels.append(label)
    labels += label_landmarks(grid, ctx, l_idx, l_xy)
    labels += label_roads(grid, ctx, road_idx, road_geoms, t)
    labels += label_water(grid, ctx, water_idx, water_geoms, t)
    boxes = [lb for lb in labels if lb.role.startswith("unit")]
    others = [lb for lb in labels if not lb.role.startswith("unit")]
    add_labels(spec, others, {"water": Styles.water_text, "landmark": Styles.landmark, "road": "#202020"},
               backed={"landmark", "water"})
    add_leaders(spec, [lb for lb in boxes if lb.role == "unit-led"], z=8.9)
    for lb in boxes:  # two lines: code in bold, figures beneath
        big, _, small = lb.text.partition("\n")
        if small:
            spec.texts.append(TextItem(lb.x, lb.box.y1 - 0.2, big, 8.0, va="top", bold=True, z=9, clip=True))
            spec.texts.append(TextItem(lb.x, lb.box.y + 0.2, small, 6.0, va="bottom", z=9, clip=True, color="#333333"))
        else:
            spec.texts.append(TextItem(lb.x, lb.y, big, 8.0, va="center_baseline", bold=True, z=9, clip=True))
    add_frame(spec, frame)
    add_title(spec, layout.title, ctx, title, line)
    add_legend(spec, layout.legend, ctx, _legend() if box is None or frame.contains(box) else [], note)
    add_scale(spec, layout, ctx)
    add_north(spec, layout.north, ctx)
    add_footer(spec, layout.footer, ctx)
    pages = [spec]
    if layout.table is not None:
        add_table(spec, TableLayout(layout.table, tuple((c.width, c.align) for c in columns)), ctx, columns, rows)
    elif rows:
        pages += table_pages(ctx, layout.paper, False, ctx.tr("map_title_continued", title=title), columns, rows)
    return OverviewPlan(title, layout, t, pages, labels, grid, left, box)


def _inside(unit, x: float, y: float, w: float, h: float, pad: float = 0.25) -> list[tuple[float, float]]:
    """The candidate label offsets that keep the middle of the label's upper and lower halves inside `unit`
    (page mm): a number or a population moved out of its area would name a neighbour's land."""
    shifts = np.array(OFFSETS)
    cx, cy = x + shifts[:, 0] * (w + pad), y + shifts[:, 1] * (h + pad)
    ok = shapely.contains_xy(unit, cx, cy + h / 4) & shapely.contains_xy(unit, cx, cy - h / 4)
    return [o for o, keep in zip(OFFSETS, ok) if keep]


def _beside(unit, x: float, y: float, w: float, h: float, pad: float = 0.25) -> list[tuple[float, float]]:
    """Candidate offsets (as :meth:`LabelGrid.place` takes them) of a label led to (x, y) from beside `unit`
    (page mm): the box clear of the unit, nearest first, up to 12 mm from the point in 16 directions."""
    angles = np.radians(np.arange(16) * 22.5 + 90.0)  # upwards first, then round
    offsets = []
    for gap in (1.5, 3.0, 5.0, 8.0, 12.0):
        dx = np.cos(angles) * (w / 2 + gap)
        dy = np.sin(angles) * (h / 2 + gap)
        boxes = shapely.box(x + dx - w / 2 - pad, y + dy - h / 2 - pad, x + dx + w / 2 + pad, y + dy + h / 2 + pad)
        clear = ~shapely.intersects(boxes, unit)
        offsets += [(float(a / (w + pad)), float(b / (h + pad))) for a, b in zip(dx[clear], dy[clear])]
    return offsets


def _legend():
    return [
        ("fill", {"face": Styles.area_fill, "edge": Styles.area_edge, "lw": Styles.area_lw * 0.6}, "map_legend_focus"),
        ("line", {"edge": Styles.neighbour_edge, "lw": Styles.neighbour_lw, "dash": Styles.neighbour_dash},
         "map_legend_area_boundary"),
        ("line", {"edge": Styles.district_edge, "lw": Styles.district_lw, "dash": Styles.district_dash},
         "map_legend_district_boundary"),
        ("fill", {"face": Styles.far_fill, "edge": Styles.far_edge}, "map_legend_building_other"),
        ("line", {"layers": [(1.2, Styles.road_casing), (0.85, Styles.road_fill)]}, "map_legend_road"),
        ("fill", {"face": Styles.water_fill, "edge": Styles.water_edge}, "map_legend_water"),
        ("point", {}, "map_legend_landmark"),
    ]
