"""Page geometry in millimetres (origin bottom left): margins, title block, map frame, legend strip, table, footer.

Frame margins follow the paper-map guideline: 15 mm top, bottom and right, 35 mm left for binding.
The map frame gets what the title block, the strip (legend, scale, north arrow) and the footer
(blanks for the people who drew and checked the map) leave, less any table kept on the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gis_census.maps.scale import ScaleBar, fit_scale, scale_bar

__all__ = ["PAPERS", "MARGINS", "Box", "TableLayout", "PageLayout", "plan_map_page", "plan_table_page", "paper_size"]

#: Paper sizes (width, height) in mm, portrait.
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: Frame margins in mm: left (binding), right, top, bottom.
MARGINS = (35.0, 15.0, 15.0, 15.0)
TITLE_H = 19.0
CONT_TITLE_H = 12.0
STRIP_H = 22.0
FOOTER_H = 8.0
GAP = 2.5
MAP_PAD = 1.12  # the area and this much context fill the frame
SCALE_W = 62.0
NORTH_W = 14.0
TABLE_HEAD = 4.5  # room for a table's heading above it


@dataclass(frozen=True)
class Box:
    """A rectangle on the page: lower-left corner (x, y), width and height, in mm."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, other: Box, tol: float = 1e-6) -> bool:
        return (other.x >= self.x - tol and other.y >= self.y - tol and other.x1 <= self.x1 + tol
                and other.y1 <= self.y1 + tol)

    def overlaps(self, other: Box) -> bool:
        return self.x < other.x1 and other.x < self.x1 and self.y < other.y1 and other.y < self.y1


@dataclass(frozen=True)
class TableLayout:
    """Rows of a table in column groups side by side inside `box`.

    columns : (width mm, alignment "l"/"r"/"c") of each column
    """

    box: Box
    columns: tuple[tuple[float, str], ...]
    row_h: float = 3.9
    header_h: float = 5.0
    group_gap: float = 5.0

    @property
    def group_w(self) -> float:
        return sum(w for w, _ in self.columns)

    @property
    def groups(self) -> int:
        return max(0, int((self.box.w + self.group_gap + 1e-9) // (self.group_w + self.group_gap)))

    @property
    def rows_per_group(self) -> int:
        return max(0, int((self.box.h - self.header_h + 1e-9) // self.row_h))

    @property
    def capacity(self) -> int:
        return self.groups * self.rows_per_group

    def height_for(self, rows: int) -> float:
        """Height this table needs for `rows` rows spread over its groups."""
        if rows <= 0:
            return 0.0
        per_group = math.ceil(rows / max(self.groups, 1))
        return self.header_h + per_group * self.row_h


@dataclass(frozen=True)
class PageLayout:
    """Where everything goes on one map page."""

    paper: str
    landscape: bool
    width: float
    height: float
    denominator: int
    content: Box
    title: Box
    map: Box
    strip: Box
    legend: Box
    scale: Box
    north: Box
    footer: Box
    bar: ScaleBar
    table: Box | None = None

    @property
    def mm_per_m(self) -> float:
        """Millimetres of paper per metre of ground."""
        return 1000.0 / self.denominator


def paper_size(paper: str, landscape: bool) -> tuple[float, float]:
    w, h = PAPERS[paper]
    return (h, w) if landscape else (w, h)


def _content(width: float, height: float) -> Box:
    left, right, top, bottom = MARGINS
    return Box(left, bottom, width - left - right, height - top - bottom)


def _frame_box(content: Box) -> Box:
    """The largest map frame a page offers (no table)."""
    top = content.y1 - TITLE_H - GAP
    bottom = content.y + FOOTER_H + GAP + STRIP_H + GAP
    return Box(content.x, bottom, content.w, top - bottom)


def plan_map_page(ground_w: float, ground_h: float, paper: str = "A4", table_columns=None, table_rows: int = 0,
                  pad: float = MAP_PAD, orientation: str = "auto") -> PageLayout:
    """The page for a map of a `ground_w` × `ground_h` m extent at the largest standard scale that fits.

    Portrait or landscape is chosen to give the larger scale (portrait on a tie); paper "auto"
    takes A3 only when A4 would need a scale smaller than 1:5,000 and A3 allows a larger one.
    When `table_columns` are given and `table_rows` rows fit under the map at that scale,
    the frame is shortened to make room and ``table`` is the table's box; otherwise ``table`` is None.
    """
    papers = ["A4", "A3"] if paper == "auto" else [paper]
    best = None
    for name in papers:
        if name not in PAPERS:
            raise ValueError(f"unknown paper {name!r}: use A4, A3 or auto")
        for landscape in ((False, True) if orientation == "auto" else (orientation == "landscape",)):
            width, height = paper_size(name, landscape)
            frame = _frame_box(_content(width, height))
            denominator = fit_scale(ground_w * pad, ground_h * pad, frame.w, frame.h)
            if best is None or denominator < best[0]:
                if best is not None and name == "A3" and best[0] <= 5_000:
                    continue
                best = (denominator, name, landscape)
    assert best is not None  # `papers` and the orientations are never empty
    denominator, name, landscape = best
    width, height = paper_size(name, landscape)
    content = _content(width, height)
    frame = _frame_box(content)
    table = None
    if table_columns and table_rows:
        needed = min(frame.h, ground_h * pad * 1000 / denominator + 6.0)
        spare = frame.h - needed - GAP - TABLE_HEAD
        probe = TableLayout(Box(content.x, 0, content.w, max(spare, 0)), table_columns)
        if spare > 0 and probe.capacity >= table_rows:
            table_h = probe.height_for(table_rows)
            frame = Box(frame.x, frame.y + table_h + GAP + TABLE_HEAD, frame.w, frame.h - table_h - GAP - TABLE_HEAD)
            table = Box(content.x, content.y + FOOTER_H + GAP, content.w, table_h)
    strip = Box(content.x, frame.y - GAP - STRIP_H, content.w, STRIP_H)
    north = Box(strip.x1 - NORTH_W, strip.y, NORTH_W, strip.h)
    scale_box = Box(north.x - SCALE_W, strip.y, SCALE_W, strip.h)
    legend = Box(strip.x, strip.y, scale_box.x - strip.x - 3.0, strip.h)
    bar = scale_bar(denominator, scale_box.x + 4.0, strip.y + 6.0, max_mm=SCALE_W - 14.0)
    return PageLayout(name, landscape, width, height, denominator, content,
                      Box(content.x, content.y1 - TITLE_H, content.w, TITLE_H), frame, strip, legend, scale_box,
                      north, Box(content.x, content.y, content.w, FOOTER_H), bar, table)


def plan_table_page(paper: str, landscape: bool = False) -> tuple[Box, Box, Box]:
    """Title, table and footer boxes of a page that continues a table."""
    width, height = paper_size(paper, landscape)
    content = _content(width, height)
    title = Box(content.x, content.y1 - CONT_TITLE_H, content.w, CONT_TITLE_H)
    footer = Box(content.x, content.y, content.w, FOOTER_H)
    table = Box(content.x, footer.y1 + GAP, content.w, title.y - GAP - footer.y1 - GAP)
    return title, table, footer

