"""Figures of the lines `divide` draws between new small areas, for divide_bench.py --lines (issue 18).

Per township and way of dividing: wall time, areas, shares within ±20 % and ±12 % (every area counted),
mean and least Polsby–Popper and the areas below check's threshold, the length of new boundary (between
small areas, the district lines left out), its share within VISIBLE_M of a road or water line ("roads"), its
share down a lane derived from the footprints (gis_census.divide.lanes.derived_lanes: within LANE_M / 2 of a
lane's centre line, in its middle LANE_M, and not on a road: "lanes"), the two together ("on feat", the
issue's measure), its share on neither and in open land (farther than REACH_M from every footprint: "fields",
where no house is to be told apart and no lane is), its vertices per km, and the buildings cut (footprints with
more than 0.01 m² in two areas of their own district).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings
from gis_census.checks.shape import polsby_popper
from gis_census.demo.register import make_register
from gis_census.divide import divide_project
from gis_census.divide.lanes import LANE_M, REACH_M, derived_lanes
from gis_census.importing import ImportOptions, build_project
from gis_census.project import CensusProject
from gis_census.register import import_register, read_register_table
from gis_census.spatial import holding_index

SUZHOU = Path(__file__).resolve().parents[2] / "shared" / "data" / "suzhou" / "footprints.geojson"
VISIBLE_M = 1.0
QUANTILES = (0.0, 0.01, 0.05, 0.10, 0.25, 0.50)
TARGET = 300.0


def suzhou_project() -> CensusProject:
    """Real Suzhou old-town footprints in four quarter villages, without roads (as tests/engine/test_real_footprints.py)."""
    found = gpd.read_file(SUZHOU, engine="pyogrio").to_crs("EPSG:4549")
    people = np.round(found.area.to_numpy() * found["Floor"].to_numpy() * 0.7 / 40).astype(int)
    buildings = gpd.GeoDataFrame({"RK": people, "HS": np.round(people / 2.62).astype(int)}, geometry=found.geometry.values,
                                 crs=found.crs)
    hull = shapely.buffer(shapely.convex_hull(shapely.union_all(buildings.geometry.values)), 15)
    minx, miny, maxx, maxy = hull.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    quarters = [shapely.intersection(hull, shapely.box(a, b, c, d))
                for a, c in ((minx - 1, cx), (cx, maxx + 1)) for b, d in ((miny - 1, cy), (cy, maxy + 1))]
    villages = gpd.GeoDataFrame({"DM": [f"32050800100{k}" for k in range(1, 5)],
                                 "MC": ["平江社区居委会", "观前社区居委会", "临顿社区居委会", "北寺社区居委会"]},
                                geometry=quarters, crs=found.crs)
    with tempfile.TemporaryDirectory() as folder:
        paths = {"villages": Path(folder) / "villages.gpkg", "buildings": Path(folder) / "buildings.gpkg"}
        villages.to_file(paths["villages"], engine="pyogrio")
        buildings.to_file(paths["buildings"], engine="pyogrio")
        project, _ = build_project(ImportOptions(villages=str(paths["villages"]), buildings=str(paths["buildings"]),
                                                 merge_duplicates=True))
    return project


def sample_with_register(sample: Path) -> CensusProject:
    """The sample township with its own 户籍 register imported (gis_census.demo.register, as `gis-census demo`
    writes it), as an office does before dividing: the register's addresses name the stairwells of the apartment
    blocks, which the import records (gis_census.register.stairwells)."""
    project = CensusProject.open(sample)
    tables, _ = make_register(project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "户籍.csv"
        tables["户籍"].to_csv(path, index=False)
        import_register(project, read_register_table(path, kind="户籍"))
    return project


def figures(project: CensusProject, seconds: float) -> dict[str, float]:
    """The figures of the module docstring for a divided `project`."""
    areas, districts = project["small_areas"], project["districts"]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    people = areas["population"].to_numpy()
    dev = np.abs(people / TARGET - 1)
    pp = polsby_popper(geoms)
    inner = []
    for code, edge in zip(districts["code"], shapely.boundary(np.asarray(districts.geometry.array, dtype=object))):
        mine = geoms[areas["district_code"].to_numpy() == code]
        if len(mine) > 1:
            lines = shapely.line_merge(shapely.difference(shapely.union_all(shapely.boundary(mine)), shapely.buffer(edge, 0.01)))
            inner.append(lines)
    inner_all = shapely.union_all(inner) if inner else shapely.LineString()
    km = shapely.length(inner_all) / 1000
    features = [*project["roads"].geometry.array, *shapely.boundary(np.asarray(project["water"].geometry.array, dtype=object))]
    near = shapely.buffer(shapely.union_all(features), VISIBLE_M) if features else shapely.Polygon()
    on = shapely.length(shapely.intersection(inner_all, near)) / 1000 if km else 0.0
    footprints = np.asarray(project["buildings"].geometry.array, dtype=object)
    lanes = np.concatenate([derived_lanes(footprints[shapely.intersects(footprints, d)], d)
                            for d in np.asarray(districts.geometry.array, dtype=object)])
    down = shapely.union_all(shapely.buffer(lanes, LANE_M / 2, quad_segs=2))
    off_roads = shapely.difference(inner_all, near)
    lane = shapely.length(shapely.intersection(off_roads, down)) / 1000 if km else 0.0
    settled = shapely.union_all(shapely.buffer(footprints, REACH_M, quad_segs=2))
    fields = shapely.length(shapely.difference(shapely.difference(off_roads, down), settled)) / 1000 if km else 0.0
    return {"s": seconds, "areas": len(geoms), "±20 %": float(np.mean(dev <= 0.2 + 1e-9)), "±12 %": float(np.mean(dev <= 0.12 + 1e-9)),
            "PP mean": float(pp.mean()), "PP min": float(pp.min()), "PP<thr": int((pp < CheckSettings().compactness_min).sum()),
            "km": km, "roads": on / km if km else 1.0, "lanes": lane / km if km else 0.0, "on feat": (on + lane) / km if km else 1.0,
            "fields": fields / km if km else 0.0, "vert/km": _vertices(inner) / km if km else 0.0,
            "pp": pp, "cut": _cut(np.asarray(project["buildings"].geometry.array, dtype=object), geoms, areas["district_code"].to_numpy())}


def _vertices(lines: list) -> int:
    """Vertices of the boundary lines, each shared vertex counted once per line through it."""
    return int(sum(shapely.get_num_coordinates(shapely.line_merge(g)) for g in lines))


def _cut(footprints: np.ndarray, geoms: np.ndarray, district: np.ndarray) -> int:
    """Footprints with area in two small areas of their own district (the part of a house a village line puts in
    a neighbouring district is the office's line, not divide's)."""
    b, a = shapely.STRtree(geoms).query(footprints, predicate="intersects")
    inside = shapely.area(shapely.intersection(footprints[b], geoms[a])) > 0.01
    b, a = b[inside], a[inside]
    own = district[holding_index(footprints, geoms)]
    b, a = b[district[a] == own[b]], a[district[a] == own[b]]
    return int((np.bincount(b, minlength=len(footprints)) > 1).sum())


def lines(townships: list[tuple[str, callable]], ways: dict[str, callable]) -> None:
    """Print the figures of each of `ways` (name -> context manager setting the way up) on each township."""
    columns = ["s", "areas", "±20 %", "±12 %", "PP mean", "PP min", "PP<thr", "km", "roads", "lanes", "on feat", "fields", "vert/km",
               "cut"]
    print(f"{'township':<30}{'way':<16}" + "".join(f"{c:>9}" for c in columns))
    spread = []
    for title, make in townships:
        for way, setup in ways.items():
            project = make()
            with setup():
                started = time.perf_counter()
                divide_project(project)
                seconds = time.perf_counter() - started
            f = figures(project, seconds)
            cells = [f"{f[c]:9.0%}" if c in ("±20 %", "±12 %", "roads", "lanes", "on feat", "fields") else f"{f[c]:9.2f}" if isinstance(f[c], float)
                     else f"{f[c]:9}" for c in columns]
            print(f"{title:<30}{way:<16}" + "".join(cells), flush=True)
            spread.append(f"{title:<30}{way:<16}" + "".join(f"{q:9.2f}" for q in np.quantile(f["pp"], QUANTILES)))
    print(f"roads = share of new boundary within {VISIBLE_M} m of a road or water line; lanes = the rest within {LANE_M / 2:.0f} m of"
          f" the centre line of a lane derived from the footprints (open space at least {LANE_M:.0f} m wide between buildings"
          f" facing each other at most {2 * REACH_M:.0f} m apart); on feat = roads + lanes (the aim: 0.6 on the sample); fields = share"
          f" on neither and farther than {REACH_M:.0f} m from every footprint (open land); vert/km = vertices per km of new boundary;"
          f" PP<thr = areas below check's compactness threshold ({CheckSettings().compactness_min}), each warned about;"
          " cut = buildings with area in two small areas of one district (must be 0). Times on a shared 2-core machine.")
    print("\nPolsby–Popper of the areas, the distribution check's threshold is chosen from (quantiles "
          + ", ".join(f"{q:.0%}" for q in QUANTILES) + "):")
    print("\n".join(spread))
