"""The small saved township the UI tests open (青石镇, two villages)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from gis_census.project import CensusProject, ProjectMeta

CRS = "EPSG:4527"
X0, Y0 = 39_513_000.0, 3_883_000.0  # near Tengzhou, metres of CGCS2000 GK zone 39
#: Where the fixture's buildings lie (lower-left corners), 40 × 30 m each.
BUILDING_CORNERS = [(100, 100), (300, 500), (700, 200), (1200, 300), (1600, 600)]


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def box(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    """A w × h m box whose lower-left corner is (x, y) m from the township origin."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def two_village_township() -> CensusProject:
    """青石镇: two 1000 × 800 m villages side by side, one district each, two small areas each,
    five buildings, a road along the boundary between the villages' north halves, a pond; no landmarks."""
    codes = ["370481102201", "370481102202"]
    villages = frame(
        [{"code": c, "name": n, "geometry": box(i * 1000, 0, 1000, 800)} for i, (c, n) in enumerate(zip(codes, ["东关村", "西河村"]))]
    )
    small_areas = frame(
        [
            {"code": c + f"{k + 1:03d}", "district_code": c, "seq": f"{k + 1:03d}", "population": 300,
             "geometry": box(i * 1000, k * 400, 1000, 400)}
            for i, c in enumerate(codes)
            for k in range(2)
        ]
    )  # fmt: skip
    buildings = frame([{"id": i + 1, "population": 4, "geometry": box(x, y, 40, 30)} for i, (x, y) in enumerate(BUILDING_CORNERS)])
    roads = frame([{"name": "青石路", "kind": "primary", "geometry": shapely.LineString([(X0 + 1000, Y0 + 400), (X0 + 1000, Y0 + 800)])}])
    water = frame([{"name": "水塘", "kind": "pond", "geometry": shapely.Point(X0 + 500, Y0 + 650).buffer(60)}])
    meta = ProjectMeta(township_code="370481102", township_name="青石镇", crs=CRS)
    layers = {
        "villages": villages,
        "districts": villages.assign(village_code=villages["code"]),
        "small_areas": small_areas,
        "buildings": buildings,
        "roads": roads,
        "water": water,
    }
    return CensusProject(meta, layers)
