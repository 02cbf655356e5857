"""普查区图: a district with all its small areas, their codes and populations, and a table of them."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.maps.enlarge import enlargements, mark_window
from gis_census.maps.layout import plan_map_page
from gis_census.maps.overview import OverviewPlan, plan_overview
from gis_census.maps.page import Column
from gis_census.maps.scale import SCALES

__all__ = ["plan_district", "AREA_COLUMNS"]

AREA_COLUMNS = [Column("map_col_small_area", 27.0, "l"), Column("map_col_population", 11.0, "r"),
                Column("map_col_households", 11.0, "r"), Column("map_col_buildings", 12.0, "r"),
                Column("map_col_group", 11.0, "r")]


def plan_district(ctx, j: int, paper: str = "A4", buildings_count: dict | None = None) -> OverviewPlan:
    """Lay out the map of district number `j` of ``ctx.districts``: its small areas numbered and their
    populations, and where they crowd, enlargements (局部放大图) after the map, each framed on it. An area
    too narrow for its number and population even at 1:500 has them beside it, with a leader line to it."""
    code = str(ctx.districts["code"][j])
    focus = ctx.districts.geoms[j]
    areas = np.flatnonzero(ctx.areas["district_code"] == code)
    areas = areas[np.argsort(ctx.areas["code"][areas], kind="stable")]
    counts = buildings_count or {}
    rows = [(str(ctx.areas["code"][a]), int(ctx.areas["population"][a]), int(ctx.areas["households"][a]),
             int(counts.get(str(ctx.areas["code"][a]), 0)), int(ctx.areas["supervisor_group"][a])) for a in areas]
    lines = [(str(ctx.areas["seq"][a]), ctx.tr("map_people", n=int(ctx.areas["population"][a]))) for a in areas]
    population = int(ctx.areas["population"][areas].sum())
    households = int(ctx.areas["households"][areas].sum())
    title = ctx.tr("map_title_district", place=ctx.district_place(code)).strip()
    line = f"{ctx.tr('map_code', code=code)}　" + ctx.tr("map_stats_district", population=population,
                                                          households=households, areas=len(areas))
    plan = plan_overview(ctx, focus, areas, ctx.areas, title, line, AREA_COLUMNS, rows, lines, paper, short=False)
    scales = [d for d in SCALES if d < plan.layout.denominator and d <= 10_000][::-1]
    if plan.left and not scales:  # no enlargement is larger: slivers are led to from beside them
        plan = plan_overview(ctx, focus, areas, ctx.areas, title, line, AREA_COLUMNS, rows, lines, paper, short=False,
                             lead=plan.left)
    if not plan.left:
        return plan
    main_page = plan.pages[0]

    def draw(window, wanted: np.ndarray, n: int):
        # the other areas in the window are labelled too, after these, for the enumerator to find the way
        others = np.flatnonzero(shapely.contains_xy(window, *anchors.T) & ~np.isin(np.arange(len(areas)), wanted))
        heading, labelled = ctx.tr("map_title_enlargement", title=title, n=n), np.concatenate([wanted, others])
        page = plan_overview(ctx, focus, areas, ctx.areas, heading, line, AREA_COLUMNS, [], lines, paper, view=window,
                             labelled=labelled, short=False)
        still = set(page.left) & set(wanted.tolist())
        if still and page.layout.denominator <= scales[-1]:
            # a sliver too narrow for its number and population even at the largest scale: they go beside
            # it, with a leader line to it
            page = plan_overview(ctx, focus, areas, ctx.areas, heading, line, AREA_COLUMNS, [], lines, paper,
                                 view=window, labelled=labelled, short=False, lead=still)
            still = set(page.left) & set(wanted.tolist())
        if len(still) < len(wanted):
            mark_window(ctx, main_page, plan.grid, plan.transform, plan.labels, ctx.tr("map_enlargement", n=n),
                        page.transform.ground_rect(page.layout.map))
        return page, still

    anchors = shapely.get_coordinates(shapely.point_on_surface(ctx.areas.geoms[areas]))
    frame = plan_map_page(1.0, 1.0, "A4" if paper == "auto" else paper).map
    extra, left = enlargements(plan.left, dict(enumerate(anchors)), scales, frame, draw)
    plan.pages[1:1] = [page.pages[0] for page in extra]
    plan.enlargements, plan.left = extra, left
    return plan
