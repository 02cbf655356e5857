"""The base township of the division checks' tests, the helpers that plant a fault in it, and the assertions.

The base township has two villages side by side, 400 × 200 m each, each one district with the
village's code, tiled 2 × 2 by small areas of 200 × 100 m (seq 001 002 below, 003 004 above)
holding ten 10 m buildings of 30 people and 10 households each (300 people per area):

    y=200 +--------+--------+--------+--------+
          |  A003  |  A004  |  B003  |  B004  |
    y=100 +--------+--------+--------+--------+
          |  A001  |  A002  |  B001  |  B002  |
    y=0   +--------+--------+--------+--------+
          x=0     200      400      600      800
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from frames import ORIGIN, PROJECT_CRS
from gis_census.checks import Problem
from gis_census.project import CensusProject, ProjectMeta

TOWNSHIP = "370481102"
A, B = "370481102001", "370481102201"  # a residents' and a villagers' committee, one district each
C = "370481102202"
X0, Y0 = ORIGIN
PEOPLE, HOUSEHOLDS, PER_AREA = 30, 10, 10  # per building; buildings per small area
AREAS = [v + f"{s:03d}" for v in (A, B) for s in range(1, 5)]


# ---------------------------------------------------------------------------------------------
# Geometry in local metres (the township's own origin added) and the base township
# ---------------------------------------------------------------------------------------------

def box(x1: float, y1: float, x2: float, y2: float) -> shapely.Polygon:
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def polygon(*xy: tuple[float, float], holes=()) -> shapely.Polygon:
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in xy], [[(X0 + x, Y0 + y) for x, y in h] for h in holes])


def area_box(code: str) -> shapely.Polygon:
    v, s = AREAS.index(code) // 4, int(code[12:]) - 1
    x, y = 400 * v + 200 * (s % 2), 100 * (s // 2)
    return box(x, y, x + 200, y + 100)


def building_ids(code: str) -> list[int]:
    k = AREAS.index(code)
    return list(range(PER_AREA * k + 1, PER_AREA * (k + 1) + 1))


def base_layers() -> dict[str, gpd.GeoDataFrame]:
    villages = gpd.GeoDataFrame({"code": [A, B], "name": ["东关社区居委会", "王庄村委会"]},
                                geometry=[box(0, 0, 400, 200), box(400, 0, 800, 200)], crs=PROJECT_CRS)
    districts = villages.assign(village_code=villages["code"])
    areas = gpd.GeoDataFrame(
        {"code": AREAS, "district_code": [c[:12] for c in AREAS], "seq": [c[12:] for c in AREAS],
         "population": PEOPLE * PER_AREA, "households": HOUSEHOLDS * PER_AREA},
        geometry=[area_box(c) for c in AREAS], crs=PROJECT_CRS)
    rows = []
    for code in AREAS:
        ax, ay = area_box(code).bounds[:2]
        for j, bid in enumerate(building_ids(code)):
            x, y = ax + 15 + 18 * j, ay + 45
            rows.append({"id": bid, "population": PEOPLE, "households": HOUSEHOLDS, "use": "residential",
                         "village_code": code[:12], "district_code": code[:12], "small_area_code": code,
                         "number": j + 1, "geometry": shapely.box(x, y, x + 10, y + 10)})
    buildings = gpd.GeoDataFrame(rows, geometry="geometry", crs=PROJECT_CRS)
    return {"villages": villages, "districts": districts, "small_areas": areas, "buildings": buildings}


def make_project(layers: dict[str, gpd.GeoDataFrame]) -> CensusProject:
    meta = ProjectMeta(township_code=TOWNSHIP, township_name="青石镇", crs=PROJECT_CRS)
    return CensusProject(meta, layers)



# ---------------------------------------------------------------------------------------------
# Editing helpers: change one feature of a layer, found by its code (or building id)
# ---------------------------------------------------------------------------------------------

def edit(layers, layer: str, key, **values) -> None:
    gdf = layers[layer]
    column = "id" if layer == "buildings" else "code"
    (i,) = np.flatnonzero(gdf[column].to_numpy() == key)
    for col, value in values.items():
        gdf.loc[gdf.index[i], col] = value


def drop(layers, layer: str, key) -> None:
    gdf = layers[layer]
    column = "id" if layer == "buildings" else "code"
    layers[layer] = gdf[gdf[column] != key].reset_index(drop=True)


def add(layers, layer: str, **row) -> None:
    gdf = layers[layer]
    extra = gpd.GeoDataFrame([row], geometry="geometry", crs=gdf.crs)
    layers[layer] = gpd.GeoDataFrame(pd.concat([gdf, extra], ignore_index=True), geometry="geometry", crs=gdf.crs)


def recode(layers, old: str, new: str, seq: str | None = None, buildings: bool = True) -> None:
    """Rename a small area (and, as an editor would, the code its buildings carry)."""
    edit(layers, "small_areas", old, code=new, seq=new[12:] if seq is None else seq)
    if buildings:
        b = layers["buildings"]
        b.loc[b["small_area_code"] == old, "small_area_code"] = new


def set_buildings(layers, code: str, **values) -> None:
    """Give every building of small area `code` the same `values` and store their sums on the area."""
    b = layers["buildings"]
    mine = b["small_area_code"] == code
    for col, value in values.items():
        b.loc[mine, col] = value
    edit(layers, "small_areas", code, population=int(b.loc[mine, "population"].sum()),
         households=int(b.loc[mine, "households"].sum()))


# ---------------------------------------------------------------------------------------------
# Assertions
# ---------------------------------------------------------------------------------------------

def as_rows(problems: list[Problem]) -> list[tuple]:
    return sorted((p.kind, p.layer, tuple(str(f) for f in p.features), float(p.value), p.detail) for p in problems)


def assert_problems(problems: list[Problem], expected: list[tuple]) -> None:
    """The problems are exactly `expected`: (kind, layer, features, value[, detail]), values to 1e-6.

    The detail is compared where a row gives one (GEOS's wording of invalid geometry is not ours to fix).
    """
    got = as_rows(problems)
    want = sorted((e[0], e[1], tuple(e[2]), float(e[3]), *e[4:]) for e in expected)
    assert [g[:3] for g in got] == [w[:3] for w in want]
    assert [g[3] for g in got] == pytest.approx([w[3] for w in want], rel=1e-6, abs=1e-6)
    assert [g[4] for g, w in zip(got, want) if len(w) > 4] == [w[4] for w in want if len(w) > 4]
