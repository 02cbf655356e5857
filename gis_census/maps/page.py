"""Page furniture shared by every kind of map: title block, frame, legend, scale, north arrow, footer, tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gis_census.furniture import NORTH_LABEL_ABOVE, north_arrow
from gis_census.maps.geometry import CLOSEPOLY, LINETO, MOVETO
from gis_census.maps.layout import Box, PageLayout, TableLayout, plan_table_page
from gis_census.maps.render import PageSpec, PathItem, TextItem
from gis_census.maps.scale import format_scale

__all__ = ["Column", "Styles", "rects_path", "add_title", "add_frame", "add_legend", "add_scale", "add_north",
           "add_footer", "add_table", "table_pages", "fit_text", "PT_MM"]

PT_MM = 25.4 / 72  # mm per point


@dataclass(frozen=True)
class Column:
    """A table column: heading message key, width in mm, alignment."""

    key: str
    width: float
    align: str = "l"


class Styles:
    """Colours and widths (mm) of map features, shared by the map and its legend.

    Township offices print on black-and-white lasers: the fills differ in lightness as well as hue (grey
    values about 0.93 the area, 0.65 houses, 0.86 other buildings of the area, 0.93 buildings outside it
    with a light edge), so that a page printed in grey (``pdftoppm -gray``) still tells them apart."""

    area_fill = "#ffeba8"
    area_edge = "#d40000"
    area_lw = 0.8
    neighbour_edge = "#6f6f6f"
    neighbour_lw = 0.3
    neighbour_dash = (1.6, 0.8)
    district_edge = "#000000"
    district_lw = 0.5
    district_dash = (3.0, 0.8, 0.6, 0.8)
    village_lw = 0.8
    home_fill, home_edge = "#a6a6a6", "#3c3c3c"
    other_fill, other_edge = "#cfe1f3", "#3c5a78"
    far_fill, far_edge = "#ececec", "#a8a8a8"
    water_fill, water_edge, water_text = "#cde5f7", "#5b9bd5", "#1d5c99"
    road_casing, road_fill = "#8c8c8c", "#ffffff"
    roads = {"main": 1.5, "street": 1.15, "rural": 0.9, "lane": 0.55}
    landmark = "#8b0000"
    enlargement = "#0046b4"  # an enlargement's frame on the main map, and the main map's frame in the inset


def rects_path(boxes) -> tuple[np.ndarray, np.ndarray]:
    """A compound path of rectangles given as (x, y, w, h) rows."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    x, y, w, h = boxes.T
    verts = np.stack([np.c_[x, y], np.c_[x + w, y], np.c_[x + w, y + h], np.c_[x, y + h], np.c_[x, y]], axis=1)
    codes = np.tile(np.array([MOVETO, LINETO, LINETO, LINETO, CLOSEPOLY], np.uint8), len(boxes))
    return verts.reshape(-1, 2).astype(np.float32), codes


def segments_path(segments) -> tuple[np.ndarray, np.ndarray]:
    """A compound path of straight segments given as (x0, y0, x1, y1) rows."""
    seg = np.asarray(segments, dtype=np.float64).reshape(-1, 4)
    verts = seg.reshape(-1, 2).astype(np.float32)
    codes = np.tile(np.array([MOVETO, LINETO], np.uint8), len(seg))
    return verts, codes


def fit_text(measure, text: str, size: float, width: float, min_size: float = 5.0) -> float:
    """The largest size ≤ `size` (not below `min_size`) at which `text` fits `width` mm."""
    w = measure.width_mm(text, size)
    return size if w <= width else max(min_size, size * width / w)


def clip_text(measure, text: str, size: float, width: float) -> str:
    """`text` cut with "…" to fit `width` mm."""
    if measure.width_mm(text, size) <= width:
        return text
    while text and measure.width_mm(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def add_title(spec: PageSpec, box: Box, ctx, title: str, line: str, size: float = 17.0) -> None:
    """The title in large type at the top, the code (and figures) on a line beneath."""
    size = fit_text(ctx.measure_bold, title, size, box.w)
    spec.texts.append(TextItem(box.cx, box.y1 - 5.5, title, size, bold=True))
    if line:
        small = fit_text(ctx.measure, line, 9.0, box.w)
        spec.texts.append(TextItem(box.cx, box.y1 - 13.0, line, small))


def add_frame(spec: PageSpec, box: Box) -> None:
    spec.paths.append(PathItem(*rects_path([(box.x, box.y, box.w, box.h)]), edge="black", lw=0.35, z=20, join="miter"))
    spec.clip = (box.x, box.y, box.w, box.h)


LEGEND_NOTE_H = 4.6  # mm: the legend's row, and the line of its note


def add_legend(spec: PageSpec, box: Box, ctx, entries, note: str = "") -> None:
    """Legend entries (kind, style dict, message key) in columns filling `box`, top down, framed; `note` (the
    imagery's source and date) on a line of its own across the bottom. Without entries, the note alone."""
    # with a note the rows close up, so that the columns keep their width and their texts whole
    row_h, sym_w, sym_h = (4.0 if note else LEGEND_NOTE_H), 7.0, 2.8
    rows = max(1, int((box.h - 1.0 - (LEGEND_NOTE_H if note else 0.0)) // row_h))
    cols = max(1, -(-len(entries) // rows))
    col_w = box.w / cols
    if entries:
        spec.paths.append(PathItem(*rects_path([(box.x, box.y, box.w, box.h)]), edge="#808080", lw=0.2, z=20,
                                   join="miter"))
    for k, (kind, style, key) in enumerate(entries):
        col, row = divmod(k, rows)
        x = box.x + 2.0 + col * col_w
        y = box.y1 - 3.2 - row * row_h
        if kind == "fill":
            spec.paths.append(PathItem(*rects_path([(x, y - sym_h / 2, sym_w, sym_h)]), face=style.get("face"),
                                       edge=style.get("edge"), lw=style.get("lw", 0.15), z=21, join="miter"))
        elif kind == "line":
            for lw, colour in style.get("layers", [(style.get("lw", 0.3), style.get("edge", "black"))]):
                spec.paths.append(PathItem(*segments_path([(x, y, x + sym_w, y)]), edge=colour, lw=lw,
                                           dash=style.get("dash"), z=21, join="miter"))
        elif kind == "point":
            spec.paths.append(PathItem(*_marker([(x + sym_w / 2, y)]), face="white", edge=Styles.landmark, lw=0.3, z=21))
        label = ctx.tr(key)
        spec.texts.append(TextItem(x + sym_w + 1.5, y, clip_text(ctx.measure, label, 7.0, col_w - sym_w - 4.0), 7.0,
                                   ha="left", va="center_baseline"))
    if note:
        spec.texts.append(TextItem(box.x + 2.0, box.y + 2.2, clip_text(ctx.measure, note, 6.5, box.w - 4.0), 6.5,
                                   ha="left", va="center_baseline", color="#555555"))


def _marker(points, r: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Small squares turned 45° (diamonds) at `points` (page mm)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    offs = np.array([(0, r), (r, 0), (0, -r), (-r, 0), (0, r)])
    verts = (pts[:, None, :] + offs[None, :, :]).reshape(-1, 2).astype(np.float32)
    codes = np.tile(np.array([MOVETO, LINETO, LINETO, LINETO, CLOSEPOLY], np.uint8), len(pts))
    return verts, codes


marker_path = _marker


def add_scale(spec: PageSpec, layout: PageLayout, ctx) -> None:
    """Numeric scale and a true scale bar of alternate black and white segments."""
    bar, box = layout.bar, layout.scale
    spec.texts.append(TextItem(bar.x, box.y1 - 4.5, ctx.tr("map_scale", scale=format_scale(layout.denominator)), 9.0,
                               ha="left"))
    seg = bar.length_mm / bar.segments
    black = [(bar.x + i * seg, bar.y, seg, bar.height_mm) for i in range(0, bar.segments, 2)]
    spec.paths.append(PathItem(*rects_path(black), face="black", z=21, join="miter"))
    spec.paths.append(PathItem(*rects_path([(bar.x, bar.y, bar.length_mm, bar.height_mm)]), edge="black", lw=0.2,
                               z=22, join="miter"))
    ground = bar.ground_m
    unit = ctx.tr("map_metres")
    if ground >= 1000:
        ground, unit = ground / 1000, ctx.tr("map_kilometres")
    for frac in (0.0, 0.5, 1.0) if bar.segments % 2 == 0 else (0.0, 1.0):
        value = f"{ground * frac:g}"
        text = f"{value} {unit}" if frac == 1.0 else value
        spec.texts.append(TextItem(bar.x + frac * bar.length_mm, bar.y + bar.height_mm + 1.0, text, 6.5, va="bottom",
                                   ))


def add_north(spec: PageSpec, box: Box, ctx) -> None:
    """A north arrow (:func:`gis_census.furniture.north_arrow`): half-filled arrowhead under the word for north."""
    cx, top = box.cx, box.y1 - 8.0
    left, right = north_arrow(cx, top)
    codes = np.array([MOVETO, LINETO, LINETO, CLOSEPOLY], np.uint8)
    spec.paths.append(PathItem(left.astype(np.float32), codes, face="black", edge="black", lw=0.2, z=21, join="miter"))
    spec.paths.append(PathItem(right.astype(np.float32), codes, face="white", edge="black", lw=0.2, z=21, join="miter"))
    spec.texts.append(TextItem(cx, top + NORTH_LABEL_ABOVE, ctx.tr("map_north"), 9.0, bold=True))


def add_footer(spec: PageSpec, box: Box, ctx) -> None:
    """Blanks for who drew, reviewed and walked the map, and the date, at the bottom right outside the frame."""
    size, gap = 7.5, 3.5
    fields = [(ctx.tr(k) + ("：" if ctx.lang == "zh" else ": "), 15.0) for k in
              ("map_drawn_by", "map_reviewed_by", "map_enumerator", "map_supervisor")]
    fields.append((ctx.tr("map_date") + ("：" if ctx.lang == "zh" else ": "), 20.0))
    widths = [ctx.measure.width_mm(t, size) + blank for t, blank in fields]
    total = sum(widths) + gap * (len(fields) - 1)
    shrink = min(1.0, box.w / total)
    x = box.x1 - total * shrink
    y = box.y + 2.5
    lines = []
    for (label, blank), width in zip(fields, widths):
        spec.texts.append(TextItem(x, y, label, size * shrink if shrink < 1 else size, ha="left", va="baseline"))
        start = x + ctx.measure.width_mm(label, size) * shrink
        lines.append((start, y - 0.6, start + blank * shrink, y - 0.6))
        x += (width + gap) * shrink
    spec.paths.append(PathItem(*segments_path(lines), edge="black", lw=0.2, z=21, join="miter"))


def add_table(spec: PageSpec, table: TableLayout, ctx, columns: list[Column], rows: list[tuple],
              heading: str = "") -> int:
    """Fill `table` with as many of `rows` as it holds (header per column group); returns rows drawn."""
    box = table.box
    per_group = table.rows_per_group
    drawn = min(len(rows), table.capacity)
    stripes, rules = [], []
    size, head_size = 6.5, 6.8
    y_top = box.y1
    if heading:
        spec.texts.append(TextItem(box.x, box.y1 + 0.6, heading, 7.5, ha="left", va="bottom", bold=True))
    used_groups = -(-drawn // per_group) if per_group else 0
    for g in range(used_groups):
        gx = box.x + g * (table.group_w + table.group_gap)
        x = gx
        for col in columns:
            spec.texts.append(_cell(ctx.measure_bold, ctx.tr(col.key), x, col, y_top - table.header_h / 2, head_size,
                                    bold=True))
            x += col.width
        rules.append((gx, y_top - table.header_h, gx + table.group_w, y_top - table.header_h))
        rules.append((gx, y_top, gx + table.group_w, y_top))
        chunk = rows[g * per_group:min((g + 1) * per_group, drawn)]
        for r, row in enumerate(chunk):
            cy = y_top - table.header_h - (r + 0.5) * table.row_h
            if r % 2 == 1:
                stripes.append((gx, cy - table.row_h / 2, table.group_w, table.row_h))
            x = gx
            for col, value in zip(columns, row):
                spec.texts.append(_cell(ctx.measure, str(value), x, col, cy, size))
                x += col.width
        bottom = y_top - table.header_h - len(chunk) * table.row_h
        rules.append((gx, bottom, gx + table.group_w, bottom))
    if stripes:
        spec.paths.append(PathItem(*rects_path(stripes), face="#eeeeee", z=2))
    if rules:
        spec.paths.append(PathItem(*segments_path(rules), edge="black", lw=0.2, z=3, join="miter"))
    return drawn


def _cell(measure, text: str, x: float, col: Column, cy: float, size: float, bold: bool = False) -> TextItem:
    text = clip_text(measure, text, size, col.width - 1.6)
    if col.align == "r":
        return TextItem(x + col.width - 0.8, cy, text, size, ha="right", va="center_baseline", bold=bold)
    if col.align == "c":
        return TextItem(x + col.width / 2, cy, text, size, ha="center", va="center_baseline", bold=bold)
    return TextItem(x + 0.8, cy, text, size, ha="left", va="center_baseline", bold=bold)


def table_pages(ctx, paper: str, landscape: bool, title: str, columns: list[Column], rows: list[tuple],
                heading: str = "") -> list[PageSpec]:
    """Pages continuing a table that did not fit beside its map."""
    title_box, table_box, footer = plan_table_page(paper, landscape)
    widths = tuple((c.width, c.align) for c in columns)
    pages: list[PageSpec] = []
    start = 0
    while start < len(rows) or not pages:
        spec = PageSpec(*_size(paper, landscape))
        size = fit_text(ctx.measure_bold, title, 13.0, title_box.w)
        spec.texts.append(TextItem(title_box.cx, title_box.y1 - 5.0, title, size, bold=True))
        table = TableLayout(Box(table_box.x, table_box.y, table_box.w, table_box.h - 5.0), widths)
        start += add_table(spec, table, ctx, columns, rows[start:], heading)
        add_footer(spec, footer, ctx)
        pages.append(spec)
        if table.capacity == 0:
            break
    return pages


def _size(paper: str, landscape: bool):
    from gis_census.maps.layout import paper_size

    return paper_size(paper, landscape)
