"""The township index map: its districts with codes, names and populations, and a table of them."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.maps.overview import OverviewPlan, plan_overview
from gis_census.maps.page import Column

__all__ = ["plan_township", "DISTRICT_COLUMNS"]

DISTRICT_COLUMNS = [Column("map_col_district", 23.0, "l"), Column("map_col_name", 28.0, "l"),
                    Column("map_col_areas", 11.0, "r"), Column("map_col_population", 13.0, "r")]


def plan_township(ctx, paper: str = "A4") -> OverviewPlan:
    order = np.argsort(ctx.districts["code"], kind="stable")
    focus = shapely.union_all(ctx.districts.geoms) if len(ctx.districts) else shapely.union_all(ctx.areas.geoms)
    rows, lines, population, n_areas = [], [], 0, 0
    for j in order:
        code = str(ctx.districts["code"][j])
        mine = ctx.areas["district_code"] == code
        pop = int(ctx.areas["population"][mine].sum())
        population += pop
        n_areas += int(mine.sum())
        rows.append((code, str(ctx.districts["name"][j]), int(mine.sum()), pop))
        lines.append((code[-3:], f"{ctx.districts['name'][j]} {ctx.tr('map_people', n=pop)}"))
    title = ctx.tr("map_title_township", place=ctx.place_prefix).strip()
    line = f"{ctx.tr('map_code', code=ctx.meta.township_code)}　" + ctx.tr(
        "map_stats_township", population=population, districts=len(order), areas=n_areas)
    return plan_overview(ctx, focus, order, ctx.districts, title, line, DISTRICT_COLUMNS, rows, lines, paper)
