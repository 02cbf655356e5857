"""普查区图: a district with all its small areas, their codes and populations, and a table of them."""

from __future__ import annotations

import numpy as np

from gis_census.maps.overview import OverviewPlan, plan_overview
from gis_census.maps.page import Column

__all__ = ["plan_district", "AREA_COLUMNS"]

AREA_COLUMNS = [Column("map_col_small_area", 27.0, "l"), Column("map_col_population", 11.0, "r"),
                Column("map_col_households", 11.0, "r"), Column("map_col_buildings", 12.0, "r"),
                Column("map_col_group", 11.0, "r")]


def plan_district(ctx, j: int, paper: str = "A4", buildings_count: dict | None = None) -> OverviewPlan:
    """Lay out the map of district number `j` of ``ctx.districts``."""
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
    return plan_overview(ctx, focus, areas, ctx.areas, title, line, AREA_COLUMNS, rows, lines, paper)
