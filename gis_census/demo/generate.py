"""Deterministic synthetic township and county data for demos, tests and benchmarks.

Everything is generated in local metres around ``(0, 0)`` and moved to CGCS2000 3-degree
Gauss-Kruger zone 39 (EPSG:4527) at the end, around 117.15 E, 35.08 N (Tengzhou, Shandong).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._county import county_layout
from ._geom import blob, make_river, wiggle_line
from ._town import make_town
from ._township import TownshipSpec, _bridges, build_township
from .names import NamePool

__all__ = ["DemoData", "make_township", "make_county", "CRS"]

#: CGCS2000 / 3-degree Gauss-Kruger zone 39 (easting with the zone prefix 39).
CRS = "EPSG:4527"
COUNTY = "370481"
COUNTY_NAME = "滕州市"  # the county the sample's codes belong to, for complete map titles
LON, LAT = 117.15, 35.08


@dataclass
class DemoData:
    """A generated township or county.

    Attributes
    ----------
    crs : str
        ``"EPSG:4527"``; every GeoDataFrame is in it.
    townships : pandas.DataFrame
        ``code`` (9 digits), ``name``.
    villages : geopandas.GeoDataFrame
        ``code`` (12 digits), ``name``, ``township_code``; Polygons tiling each township.
    buildings : geopandas.GeoDataFrame
        ``id`` (1..n), ``address``, ``population``, ``households``, ``use``; Polygon footprints.
    roads : geopandas.GeoDataFrame
        ``name`` ("" for lanes), ``kind`` (main, street, lane, rural); LineStrings.
    water : geopandas.GeoDataFrame
        ``name``, ``kind`` (river, pond, canal); Polygons.
    landmarks : geopandas.GeoDataFrame
        ``name``, ``kind`` (government, school, hospital, market, temple, bridge); Points.
    small_areas : geopandas.GeoDataFrame
        ``code`` (15 digits), ``population``, ``households``; Polygons tiling each village.
    boundaries : geopandas.GeoDataFrame
        ``code``, ``name``; the township boundary polygons as generated (villages tile them).
    """

    crs: str
    townships: pd.DataFrame
    villages: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    landmarks: gpd.GeoDataFrame
    small_areas: gpd.GeoDataFrame
    boundaries: gpd.GeoDataFrame = field(default=None)


@lru_cache(maxsize=1)
def origin() -> tuple[float, float]:
    """Projected position (whole metres, EPSG:4527) of the demo area's centre."""
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4490", CRS, always_xy=True).transform(LON, LAT)
    return float(round(x)), float(round(y))


def _clip_line(line, region) -> list:
    return [g for g in shapely.get_parts(shapely.intersection(line, region))
            if g.geom_type == "LineString" and g.length > 1.0]


def _assemble(rng_results: list, townships: list, boundaries: list, roads: list, water: list, marks: list) -> DemoData:
    ox, oy = origin()

    def move(geoms):
        return shapely.transform(np.asarray(geoms, dtype=object), lambda c: c + (ox, oy))

    def gdf(data: dict, geoms) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(data, geometry=move(list(geoms)), crs=CRS)

    vil = [v for r in rng_results for v in r["villages"]]
    sa = [s for r in rng_results for s in r["small_areas"]]
    parts = [r["buildings"] for r in rng_results]
    b_geoms, pop, hh, use, address = (np.concatenate([p[k] for p in parts]) for k in range(5))
    roads = roads + [x for r in rng_results for x in r["roads"]]
    water = water + [x for r in rng_results for x in r["water"]]
    marks = marks + [x for r in rng_results for x in r["landmarks"]]
    return DemoData(
        crs=CRS,
        townships=pd.DataFrame({"code": [c for c, _ in townships], "name": [n for _, n in townships]}),
        villages=gdf({"code": [v[0] for v in vil], "name": [v[1] for v in vil],
                      "township_code": [v[2] for v in vil]}, [v[3] for v in vil]),
        buildings=gdf({"id": np.arange(1, len(b_geoms) + 1, dtype=np.int64), "address": address.astype(str),
                       "population": pop.astype(np.int64), "households": hh.astype(np.int64),
                       "use": use.astype(str)}, b_geoms),
        roads=gdf({"name": [r[1] for r in roads], "kind": [r[2] for r in roads]}, [r[0] for r in roads]),
        water=gdf({"name": [w[1] for w in water], "kind": [w[2] for w in water]}, [w[0] for w in water]),
        landmarks=gdf({"name": [m[1] for m in marks], "kind": [m[2] for m in marks]}, [m[0] for m in marks]),
        small_areas=gdf({"code": [s[0] for s in sa], "population": np.array([s[1] for s in sa], dtype=np.int64),
                         "households": np.array([s[2] for s in sa], dtype=np.int64)}, [s[3] for s in sa]),
        boundaries=gdf({"code": [c for c, _ in townships], "name": [n for _, n in townships]}, boundaries),
    )


def make_township(seed: int = 2020, villages: int = 9) -> DemoData:
    """Generate one township ("青石镇"-like) of about 20,000-40,000 people.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives identical data.
    villages : int
        Number of villages (2-3 residents' committees, the rest villagers' committees).

    Returns
    -------
    DemoData
        Township ``370481102`` tiled by its villages, with buildings, roads, water,
        landmarks and a simple small-area division.
    """
    if villages < 1:
        raise ValueError("villages must be >= 1")
    rng = np.random.default_rng(seed)
    names = NamePool(rng)
    tname, code = names.township(), f"{COUNTY}102"
    radius = 3300.0 + 120.0 * villages ** 0.5 * 3
    region = blob(0.0, 0.0, radius, rng, roughness=0.22)
    n_rc = 1 if villages < 3 else (2 if villages < 7 else 3)
    apartment_pop = 3000.0 * n_rc * rng.uniform(0.9, 1.1)
    town = make_town(rng, names, rng.uniform(-300, 300), rng.uniform(-300, 300), 3)
    river_poly, river_line, river = make_river(rng, names, region, (town.cx, town.cy - town.half * rng.uniform(0.45, 0.8)),
                                                rng.uniform(-0.35, 0.35), rng.uniform(22, 36), 260.0)
    water = [(river_poly, river, "river")]
    rivers = [(river_line, river)]
    # a canal leading off the river, away from the town
    start = np.array(river_line.interpolate(rng.uniform(0.15, 0.3), normalized=True).coords[0])
    canal_line = _clip_line(wiggle_line(start, start + [rng.uniform(-800, 800), -3000.0], rng, 40.0), region)
    if canal_line:
        canal = shapely.difference(canal_line[0].buffer(4.0, cap_style="flat"), river_poly)
        canal = max(shapely.get_parts(canal), key=lambda g: g.area)
        water.append((canal, names.canal(), "canal"))
        rivers.append((canal_line[0], water[-1][1]))
    g = town.gates()
    minx, miny, maxx, maxy = region.bounds
    trunk = []
    for a, b, name in ((g[0], (g[0][0] + rng.uniform(-900, 900), miny - 200), "S245省道"),
                       (g[1], (g[1][0] + rng.uniform(-900, 900), maxy + 200), "S245省道"),
                       (g[2], (minx - 200, g[2][1] + rng.uniform(-900, 900)), f"滕{tname[0]}路"),
                       (g[3], (maxx + 200, g[3][1] + rng.uniform(-900, 900)), f"滕{tname[0]}路")):
        for part in _clip_line(wiggle_line(a, b, rng, 150.0), region):
            trunk.append((part, name, "main", None))
    spec = TownshipSpec(code, tname, region, town, villages, n_rc, apartment_pop, 2300.0, rich=True)
    result = build_township(rng, names, spec, trunk, water, rivers)
    marks = _bridges(names, trunk, rivers)
    return _assemble([result], [(code, tname)], [region], [t[:3] for t in trunk], water, marks)


def make_county(seed: int = 2020, townships: int = 24, villages_per_township: int = 14) -> DemoData:
    """Generate a county of townships (benchmark scale: ~7,000 small areas, ~200,000 buildings).

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives identical data.
    townships : int
        Number of townships; about one in eight is a sub-district (街道, codes 001..),
        the rest towns (镇, codes 101..).
    villages_per_township : int
        Villages in each township.

    Returns
    -------
    DemoData
        All townships of county ``370481`` in one dataset.
    """
    if townships < 1 or villages_per_township < 1:
        raise ValueError("townships and villages_per_township must be >= 1")
    rng = np.random.default_rng(seed)
    names = NamePool(rng)
    specs, trunk, water, rivers, marks = county_layout(rng, names, townships, villages_per_township)
    results = [build_township(rng, names, s, trunk, water, rivers) for s in specs]
    return _assemble(results, [(s.code, s.name) for s in specs], [s.region for s in specs],
                     [t[:3] for t in trunk], water, marks)

