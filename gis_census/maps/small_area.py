"""普查小区图: the enumerator's map of one small area, with its building list."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from gis_census.maps.body import (
    add_labels,
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
from gis_census.maps.enlarge import enlargements, mark_window
from gis_census.maps.geometry import PageTransform, line_path, ring_path
from gis_census.maps.inset import add_inset, inset_box, legend_room
from gis_census.maps.labels import Label, LabelGrid
from gis_census.maps.layout import Box, PageLayout, TableLayout, plan_map_page
from gis_census.maps.page import (
    Column,
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
from gis_census.maps.render import PageSpec, PathItem
from gis_census.maps.scale import SCALES

__all__ = ["SmallAreaPlan", "plan_small_area", "page_frame", "BUILDING_COLUMNS"]

BUILDING_COLUMNS = [Column("map_col_number", 9.0, "r"), Column("map_col_address", 45.0, "l"),
                    Column("map_col_households", 11.0, "r"), Column("map_col_population", 11.0, "r")]
MIN_EXTENT_M = 60.0
SETTLED_PAD_M = 10.0  # around the buildings' extent, for the numbers of those on its edge


@dataclass
class _MapPage:
    """One map page of a small area: its spec, geometry, labels, label grid and the buildings left unnumbered."""

    spec: PageSpec
    layout: PageLayout
    transform: PageTransform
    labels: list[Label]
    grid: LabelGrid
    left: list[int]
    inset: Box | None = None


@dataclass
class SmallAreaPlan:
    """A small-area map laid out: its pages, the main map's geometry and labels, its enlargement pages and the
    building numbers left off every page."""

    code: str
    title: str
    layout: PageLayout
    transform: PageTransform
    pages: list[PageSpec]
    labels: list[Label] = field(default_factory=list)
    unplaced: list[int] = field(default_factory=list)
    enlargements: list[_MapPage] = field(default_factory=list)
    inset: Box | None = None  # the main map's overview inset (page mm), when it shows only part of the area

    @property
    def building_labels(self) -> list[Label]:
        return [lb for lb in self.labels if lb.role == "building"]


def small_area_title(ctx, i: int) -> str:
    district = str(ctx.areas["district_code"][i])
    return ctx.tr("map_title_small_area", place=ctx.district_place(district), seq=str(ctx.areas["seq"][i])).strip()


def page_frame(ctx, i: int, paper: str, rows: int, focus=None) -> tuple[PageLayout, PageTransform]:
    """The page of small area `i`'s map listing `rows` buildings, and its ground-to-page transform;
    the frame shows `focus` (a geometry; the whole area when None)."""
    x0, y0, x1, y1 = shapely.bounds(ctx.areas.geoms[i] if focus is None else focus)
    gw, gh = max(x1 - x0, MIN_EXTENT_M), max(y1 - y0, MIN_EXTENT_M)
    layout = plan_map_page(gw, gh, paper, tuple((c.width, c.align) for c in BUILDING_COLUMNS), rows)
    return layout, PageTransform((x0 + x1) / 2, (y0 + y1) / 2, layout.map.cx, layout.map.cy, layout.mm_per_m)


def settled_part(ctx, mine: np.ndarray):
    """The extent of the buildings `mine` with room for their numbers around them (None without buildings)."""
    if not len(mine):
        return None
    return shapely.box(*shapely.total_bounds(ctx.buildings.geoms[mine])).buffer(SETTLED_PAD_M, join_style="mitre")


def plan_small_area(ctx, i: int, paper: str = "A4", buildings_by_area: dict | None = None) -> SmallAreaPlan:
    """Lay out the map of small area number `i` of ``ctx.areas``.

    When numbers are left off at the scale that shows the whole area and its buildings' extent allows
    a larger scale, the map shows that extent instead, with the whole area in an overview inset. The
    numbers still left off go on enlargement pages (局部放大图), each framed on the main map."""
    code = str(ctx.areas["code"][i])
    if buildings_by_area is not None:
        mine = buildings_by_area.get(code, np.zeros(0, np.int64))
    else:
        mine = np.flatnonzero(ctx.buildings["small_area_code"] == code)
    mine = mine[np.argsort(ctx.buildings["number"][mine], kind="stable")]
    title = small_area_title(ctx, i)
    main = _map_page(ctx, i, paper, mine, None, mine, title, len(mine))
    focus = settled_part(ctx, mine)
    if main.left and focus is not None:
        layout, _ = page_frame(ctx, i, paper, len(mine), focus)
        if layout.denominator < main.layout.denominator:
            main = _map_page(ctx, i, paper, mine, focus, mine, title, len(mine))
    extra, left = _enlargements(ctx, i, paper, mine, main, title)
    rows = [(int(ctx.buildings["number"][b]), str(ctx.buildings["address"][b]), int(ctx.buildings["households"][b]),
             int(ctx.buildings["population"][b])) for b in mine]
    heading = ctx.tr("map_col_buildings")
    if extra:
        heading += "　" + ctx.tr("map_enlarged", n=len(main.left) - len(left))
    if left:
        heading += "　" + ctx.tr("map_unplaced", n=len(left))
    pages = [main.spec] + [page.spec for page in extra]
    if main.layout.table is not None:
        table = TableLayout(main.layout.table, tuple((c.width, c.align) for c in BUILDING_COLUMNS))
        add_table(main.spec, table, ctx, BUILDING_COLUMNS, rows, heading)
    elif rows:
        pages += table_pages(ctx, main.layout.paper, False, ctx.tr("map_title_continued", title=title),
                             BUILDING_COLUMNS, rows, heading)
    unplaced = sorted(int(ctx.buildings["number"][b]) for b in left)
    return SmallAreaPlan(code, title, main.layout, main.transform, pages, main.labels, unplaced, extra, main.inset)


def _enlargements(ctx, i: int, paper: str, mine: np.ndarray, main: _MapPage, title: str):
    """Enlargement pages for the buildings `main` left unnumbered, each at the smallest of the standard scales
    finer than the main map's (1:2,000 at most) that numbers them, framed and named on the main map.
    Returns the pages and the buildings still left unnumbered at 1:500."""
    scales = [d for d in SCALES if d < main.layout.denominator and d <= 2_000][::-1]
    xy_mine = shapely.get_coordinates(shapely.point_on_surface(ctx.buildings.geoms[mine]))

    def draw(window, wanted: np.ndarray, n: int):
        (x0, y0, x1, y1), xy = shapely.bounds(window), xy_mine
        # the others in the window are numbered too, after these, for the enumerator to find the way
        others = mine[(xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1) & ~np.isin(mine, wanted)]
        page = _map_page(ctx, i, paper, mine, window, np.concatenate([wanted, others]),
                         ctx.tr("map_title_enlargement", title=title, n=n), 0)
        still = set(page.left) & set(wanted.tolist())
        if len(still) < len(wanted):
            mark_window(ctx, main.spec, main.grid, main.transform, main.labels, ctx.tr("map_enlargement", n=n),
                        page.transform.ground_rect(page.layout.map))
        return page, still

    frame = plan_map_page(1.0, 1.0, "A4" if paper == "auto" else paper).map
    pages, left = enlargements(list(main.left), dict(zip(mine.tolist(), xy_mine)), scales, frame, draw)
    return pages, left


def _map_page(ctx, i: int, paper: str, mine: np.ndarray, focus, numbered: np.ndarray, title: str,
              rows: int) -> _MapPage:
    """The map page of area `i` showing `focus` (the whole area when None), the buildings `numbered` numbered,
    with room for a table of `rows` rows."""
    code = str(ctx.areas["code"][i])
    geom = ctx.areas.geoms[i]
    layout, t = page_frame(ctx, i, paper, rows, focus)
    frame = layout.map
    rect = t.ground_rect(frame)
    spec = PageSpec(layout.width, layout.height, bookmark=None)

    # map body, bottom to top
    note = draw_basemap(spec, ctx, frame, rect)
    spec.paths.append(PathItem(*ring_path([geom], t), face=Styles.area_fill, z=0.5, clip=True,
                               alpha=0.35 if note else 1.0))
    water_idx, water_geoms = draw_water(spec, ctx, rect, t)
    road_idx, road_geoms = draw_roads(spec, ctx, rect, t, _road_factor(layout.denominator))
    b_idx, b_geoms = clipped(ctx.buildings, rect)
    own = ctx.buildings["small_area_code"][b_idx] == code
    home = ctx.buildings["households"][b_idx] > 0
    spec.paths.append(PathItem(*ring_path(b_geoms[~own], t), face=Styles.far_fill, edge=Styles.far_edge, lw=0.1, z=3.0,
                               clip=True))
    spec.paths.append(PathItem(*ring_path(b_geoms[own & home], t), face=Styles.home_fill, edge=Styles.home_edge,
                               lw=0.12, z=3.1, clip=True))
    spec.paths.append(PathItem(*ring_path(b_geoms[own & ~home], t), face=Styles.other_fill, edge=Styles.other_edge,
                               lw=0.12, z=3.1, clip=True))
    n_idx, n_geoms = clipped(ctx.areas, rect)
    others = ctx.areas["code"][n_idx] != code
    spec.paths.append(PathItem(*line_path(n_geoms[others], t), edge=Styles.neighbour_edge, lw=Styles.neighbour_lw,
                               dash=Styles.neighbour_dash, z=4.0, clip=True))
    d_idx, d_geoms = clipped(ctx.districts, rect)
    spec.paths.append(PathItem(*line_path(shapely.boundary(ctx.districts.geoms[d_idx]), t), edge=Styles.district_edge,
                               lw=Styles.district_lw, dash=Styles.district_dash, z=4.5, clip=True))
    spec.paths.append(PathItem(*line_path([geom], t), edge=Styles.area_edge, lw=Styles.area_lw, z=5.0, clip=True))
    l_idx, l_xy = draw_landmarks(spec, ctx, rect, t)

    # labels: building numbers first, then landmarks, roads, water, neighbours
    grid = LabelGrid(Box(frame.x + 0.8, frame.y + 0.8, frame.w - 1.6, frame.h - 1.6), cell=3.0)
    box = None
    if focus is not None:
        anchors = t(shapely.get_coordinates(shapely.centroid(ctx.buildings.geoms[mine])))
        box, inset_t = inset_box(frame, geom, anchors, shapely.transform(b_geoms[own], t), legend_room(layout, note))
        add_inset(spec, box, inset_t, geom, ctx.buildings.geoms[mine], rect)
        grid.take(box)
    size = 6.0 if layout.denominator <= 1000 else 5.5
    labels, left = _label_buildings(grid, ctx, numbered, t, size)
    labels += label_landmarks(grid, ctx, l_idx, l_xy)
    labels += label_roads(grid, ctx, road_idx, road_geoms, t)
    labels += label_water(grid, ctx, water_idx, water_geoms, t)
    for x0, y0, x1, y1 in shapely.bounds(shapely.transform(b_geoms[own], t)):  # neighbours' codes keep off
        grid.take(Box(x0, y0, x1 - x0, y1 - y0))
    labels += _label_neighbours(grid, ctx, n_idx[others], n_geoms[others], t)
    add_labels(spec, labels, {"water": Styles.water_text, "neighbour": "#505050", "landmark": Styles.landmark,
                              "road": "#202020"}, backed={"neighbour", "landmark", "water"})

    # furniture
    add_frame(spec, frame)
    stats = ctx.tr("map_stats_small_area", population=int(ctx.areas["population"][i]),
                   households=int(ctx.areas["households"][i]), buildings=len(mine),
                   group=int(ctx.areas["supervisor_group"][i]))
    add_title(spec, layout.title, ctx, title, f"{ctx.tr('map_code', code=code)}　{stats}")
    entries = legend_entries() if box is None or frame.contains(box) else []  # [] where the inset took its place
    add_legend(spec, layout.legend, ctx, entries, note)  # the imagery's source and date in the legend
    add_scale(spec, layout, ctx)
    add_north(spec, layout.north, ctx)
    add_footer(spec, layout.footer, ctx)
    return _MapPage(spec, layout, t, labels, grid, left, box)


def _road_factor(denominator: int) -> float:
    return {500: 1.6, 1000: 1.3, 2000: 1.0, 2500: 0.95}.get(denominator, 0.8)


def legend_entries():
    return [
        ("fill", {"face": Styles.area_fill, "edge": Styles.area_edge, "lw": Styles.area_lw * 0.6}, "map_legend_area"),
        ("line", {"edge": Styles.neighbour_edge, "lw": Styles.neighbour_lw, "dash": Styles.neighbour_dash},
         "map_legend_area_boundary"),
        ("line", {"edge": Styles.district_edge, "lw": Styles.district_lw, "dash": Styles.district_dash},
         "map_legend_district_boundary"),
        ("fill", {"face": Styles.home_fill, "edge": Styles.home_edge}, "map_legend_building_home"),
        ("fill", {"face": Styles.other_fill, "edge": Styles.other_edge}, "map_legend_building_other"),
        ("line", {"layers": [(1.2, Styles.road_casing), (0.85, Styles.road_fill)]}, "map_legend_road"),
        ("fill", {"face": Styles.water_fill, "edge": Styles.water_edge}, "map_legend_water"),
        ("point", {}, "map_legend_landmark"),
    ]


def _label_buildings(grid: LabelGrid, ctx, mine: np.ndarray, t: PageTransform, size: float):
    """Numbers of the area's buildings at their footprints, moved beside them when crowded, left off when no
    spot is free. Returns the labels and the buildings left off."""
    labels, unplaced = [], []
    h = label_box_h(size)
    anchors = t(shapely.get_coordinates(shapely.point_on_surface(ctx.buildings.geoms[mine]))) if len(mine) else np.zeros((0, 2))
    for b, (x, y) in zip(mine, anchors):
        text = str(int(ctx.buildings["number"][b]))
        w = ctx.measure.width_mm(text, size)
        label = grid.place(text, x, y, w, h, size, "building", pad=0.3)
        if label is None:
            unplaced.append(int(b))
        else:
            labels.append(label)
    return labels, unplaced


def _label_neighbours(grid: LabelGrid, ctx, idx, geoms, t: PageTransform, size: float = 5.5):
    labels: list[Label] = []
    h = label_box_h(size)
    if not len(idx):
        return labels
    visible = shapely.area(geoms) * t.mm_per_m ** 2
    points = t(shapely.get_coordinates(shapely.point_on_surface(geoms)))
    for j in np.argsort(-visible):
        code = str(ctx.areas["code"][idx[j]])
        w = ctx.measure.width_mm(code, size)
        if visible[j] < w * h * 3:
            continue
        label = grid.place(code, points[j, 0], points[j, 1], w, h, size, "neighbour")
        if label:
            labels.append(label)
    return labels
