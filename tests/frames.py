"""Small real input frames shared by the engine tests: four villages and forty buildings near Tengzhou."""

from __future__ import annotations

import geopandas as gpd
import shapely

# A 2×2 block of villages near Tengzhou (117.15 E, 35.08 N), 1 km a side, in metres of GK zone 39.
ORIGIN = (39_513_000.0, 3_883_000.0)
PROJECT_CRS = "EPSG:4527"


def village_frame() -> gpd.GeoDataFrame:
    """Four 1 km square villages with 12-digit codes and Chinese names, in EPSG:4527."""
    x0, y0 = ORIGIN
    boxes = [shapely.box(x0 + i * 1000, y0 + j * 1000, x0 + (i + 1) * 1000, y0 + (j + 1) * 1000) for j in range(2) for i in range(2)]
    return gpd.GeoDataFrame(
        {
            "DM": ["370481102001", "370481102002", "370481102201", "370481102202"],
            "MC": ["东关社区居委会", "西关社区居委会", "王庄村委会", "李家洼村委会"],
        },
        geometry=boxes,
        crs=PROJECT_CRS,
    )


def building_frame() -> gpd.GeoDataFrame:
    """Ten 20 m square buildings per village with population 5..14 and address text."""
    x0, y0 = ORIGIN
    rows = []
    for v in range(4):
        vx, vy = x0 + (v % 2) * 1000, y0 + (v // 2) * 1000
        for k in range(10):
            x, y = vx + 100 + 80 * k, vy + 400
            rows.append({"DZ": f"人民路{v * 10 + k + 1}号", "RK": 5 + k, "HS": 2 + k % 3, "geometry": shapely.box(x, y, x + 20, y + 20)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=PROJECT_CRS)
