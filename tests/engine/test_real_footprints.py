"""The whole pipeline on footprints as real surveys deliver them: overlapping, nested, duplicated, cut by village lines.

`new` → `check` → `divide` → `code` → `check` → `maps` (one district) → `lists`, run through the
command line on generated hard cases and on real Suzhou old-town footprints (../shared/data/suzhou).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from frames import ORIGIN, PROJECT_CRS
from gis_census.cli import main
from gis_census.project import CensusProject
from gis_census.spatial import holding_index, overlap_groups

SUZHOU = Path(__file__).resolve().parents[3] / "shared" / "data" / "suzhou" / "footprints.geojson"
# Problems a township cannot act on after `divide`: the only error left may be a single building over the limit.
ALLOWED_AFTER_DIVIDE = {"population_out_of_range"}


def hard_case_inputs(folder: Path) -> dict[str, Path]:
    """Two 600 × 400 m villages side by side, a road across the first, and rows of houses holding every
    real-world fault: a footprint inside another, a chain of three overlapping footprints across the
    road, an exact duplicate, a house cut by the village line, and a podium under its tower."""
    x0, y0 = ORIGIN
    villages = gpd.GeoDataFrame(
        {"DM": ["370481102001", "370481102002"], "MC": ["东关社区居委会", "西关社区居委会"]},
        geometry=[shapely.box(x0, y0, x0 + 600, y0 + 400), shapely.box(x0 + 600, y0, x0 + 1200, y0 + 400)],
        crs=PROJECT_CRS,
    )
    rows = []
    for v in range(2):
        for r in range(8):
            for c in range(12):
                x, y = x0 + v * 600 + 20 + c * 47, y0 + 20 + r * 46
                rows.append((shapely.box(x, y, x + 18, y + 16), 14, f"{'东西'[v]}街{r + 1}排{c + 1}号"))
    special = [
        (shapely.box(x0 + 40, y0 + 380, x0 + 90, y0 + 395), 30, "大院"),  # holds the next one
        (shapely.box(x0 + 50, y0 + 384, x0 + 60, y0 + 390), 6, "大院内小屋"),
        (shapely.box(x0 + 300, y0 + 186, x0 + 330, y0 + 206), 20, "链1"),  # chain across the road y = 200
        (shapely.box(x0 + 325, y0 + 196, x0 + 345, y0 + 214), 20, "链2"),
        (shapely.box(x0 + 340, y0 + 209, x0 + 360, y0 + 230), 20, "链3"),
        (shapely.box(x0 + 900, y0 + 380, x0 + 920, y0 + 396), 12, "重复"),  # an exact duplicate
        (shapely.box(x0 + 900, y0 + 380, x0 + 920, y0 + 396), 12, "重复"),
        (shapely.box(x0 + 590, y0 + 378, x0 + 604, y0 + 396), 9, "跨界"),  # 10 m west, 4 m east of the village line
        (shapely.box(x0 + 700, y0 + 2, x0 + 760, y0 + 18), 0, "裙楼"),  # a podium ...
        (shapely.box(x0 + 720, y0 + 4, x0 + 740, y0 + 16), 160, "塔楼"),  # ... under its tower
    ]
    rows += special
    buildings = gpd.GeoDataFrame(
        {"DZ": [a for _, _, a in rows], "RK": [p for _, p, _ in rows], "HS": [max(1, p // 3) for _, p, _ in rows]},
        geometry=[g for g, _, _ in rows],
        crs=PROJECT_CRS,
    )
    roads = gpd.GeoDataFrame({"NAME": ["中山路"]}, geometry=[shapely.LineString([(x0, y0 + 200), (x0 + 600, y0 + 200)])],
                             crs=PROJECT_CRS)
    paths = {"villages": folder / "villages.gpkg", "buildings": folder / "buildings.gpkg", "roads": folder / "roads.gpkg"}
    villages.to_file(paths["villages"], engine="pyogrio")
    buildings.to_file(paths["buildings"], engine="pyogrio")
    roads.to_file(paths["roads"], engine="pyogrio")
    return paths


def suzhou_inputs(folder: Path, nested: bool = False) -> dict[str, Path]:
    """Real Suzhou footprints with the README's population, and the hull of them cut into four 社区
    by straight lines that run through houses, as real village lines do.

    With `nested`, the faults of 3D-model exports are added to the real ones: a shed inside every 15th
    footprint, an annex half over every 25th, and every 40th twice.
    """
    found = gpd.read_file(SUZHOU, engine="pyogrio").to_crs("EPSG:4549")
    people = np.round(found.area.to_numpy() * found["Floor"].to_numpy() * 0.7 / 40).astype(int)
    geoms = found.geometry.values
    if nested:
        sheds = [shapely.buffer(g, -0.2 * _width(g)) for g in geoms[::15]]
        annexes = [shapely.affinity.translate(g, xoff=0.5 * _width(g)) for g in geoms[::25]]
        extra = [g for g in [*sheds, *annexes] if not g.is_empty] + list(geoms[::40])
        geoms = np.r_[np.asarray(geoms, dtype=object), np.asarray(extra, dtype=object)]
        people = np.r_[people, np.full(len(extra), 4)]
    buildings = gpd.GeoDataFrame({"RK": people, "HS": np.round(people / 2.62).astype(int)}, geometry=geoms, crs=found.crs)
    hull = shapely.buffer(shapely.convex_hull(shapely.union_all(buildings.geometry.values)), 15)
    minx, miny, maxx, maxy = hull.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    quarters = [shapely.intersection(hull, shapely.box(a, b, c, d))
                for a, c in ((minx - 1, cx), (cx, maxx + 1)) for b, d in ((miny - 1, cy), (cy, maxy + 1))]
    villages = gpd.GeoDataFrame({"DM": [f"32050800100{k}" for k in range(1, 5)],
                                 "MC": ["平江社区居委会", "观前社区居委会", "临顿社区居委会", "北寺社区居委会"]},
                                geometry=quarters, crs=found.crs)
    paths = {"villages": folder / "villages.gpkg", "buildings": folder / "buildings.gpkg"}
    villages.to_crs("EPSG:4490").to_file(paths["villages"], engine="pyogrio")
    buildings.to_crs("EPSG:4490").to_file(paths["buildings"], engine="pyogrio")
    return paths


def _width(geom) -> float:
    x0, _, x1, _ = geom.bounds
    return x1 - x0


def run_pipeline(paths: dict[str, Path], folder: Path, capsys) -> dict[str, str]:
    """Every step through the command line; each must exit 0 (check: 0 or 1). The output of each step."""
    project = folder / "p.gpkg"
    out: dict[str, str] = {}
    extra = ["--roads", str(paths["roads"])] if "roads" in paths else []
    steps = [
        ("new", ["new", str(project), "--villages", str(paths["villages"]), "--buildings", str(paths["buildings"]),
                 "--township-name", "平江街道", *extra], (0,)),
        ("check_before", ["check", str(project)], (0, 1)),
        ("divide", ["divide", str(project)], (0,)),
        ("code", ["code", str(project)], (0,)),
        ("check_after", ["check", str(project), "--json"], (0, 1)),
        ("lists", ["lists", str(project), "--out", str(folder / "lists.xlsx")], (0,)),
    ]
    for name, argv, allowed in steps:
        status = main(argv)
        captured = capsys.readouterr()
        assert status in allowed, f"{name}: exit {status}\n{captured.out}\n{captured.err}"
        assert "Traceback" not in captured.err and "内部错误" not in captured.err
        out[name] = captured.out
    district = CensusProject.open(project)["districts"]["code"].iloc[0]
    assert main(["maps", str(project), "--out", str(folder / "maps"), "--kind", "atlas", "--district", district]) == 0
    capsys.readouterr()
    return out


def assert_division_sound(project_path: Path, check_json: str) -> CensusProject:
    """Every small area a valid (Multi)Polygon, no overlap group cut, no error after divide but oversize buildings."""
    project = CensusProject.open(project_path)
    areas = project["small_areas"]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    assert set(shapely.get_type_id(geoms)) <= {3, 6}, "every small area is a Polygon or MultiPolygon"
    assert shapely.is_valid(geoms).all()
    buildings = project["buildings"]
    footprints = np.asarray(buildings.geometry.array, dtype=object)
    held = holding_index(footprints, geoms)
    assert (held >= 0).all(), "every building lies in a small area"
    assert (buildings["small_area_code"].to_numpy() == areas["code"].to_numpy()[held]).all()
    group = overlap_groups(footprints)
    for g in np.flatnonzero(np.bincount(group) > 1):
        assert len(set(held[group == g])) == 1, f"overlap group {g} is cut between small areas"
    # No boundary passes through any footprint but an official village line: each footprint has in its
    # small area all that it has in its district.
    districts = np.asarray(project["districts"].geometry.array, dtype=object)
    in_district = shapely.area(shapely.intersection(footprints, districts[holding_index(footprints, districts)]))
    in_area = shapely.area(shapely.intersection(footprints, geoms[held]))
    assert np.allclose(in_area, in_district, rtol=1e-6, atol=1e-3)
    assert (buildings["district_code"].to_numpy() == areas["district_code"].to_numpy()[held]).all()
    report = json.loads(check_json)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert {p["kind"] for p in errors} <= ALLOWED_AFTER_DIVIDE, errors
    codes = areas["code"].to_numpy()
    for p in errors:  # an area over the limit is one building (one overlap group) that no division can help
        assert len(set(group[codes[held] == p["features"][0]])) == 1, p
    crossers = {p["features"][0] for p in report["problems"] if p["kind"] == "building_crosses_village"}
    share_out = 1 - in_district / shapely.area(footprints)
    assert crossers == set(buildings["id"].astype(str).to_numpy()[share_out > 0.1])
    return project


def test_hard_cases_go_through_the_whole_pipeline(tmp_path, capsys):
    paths = hard_case_inputs(tmp_path)
    out = run_pipeline(paths, tmp_path, capsys)
    assert json.loads(out["check_after"])["summary"]["errors"] == 0
    assert "相互重叠" in out["new"] and "跨越村" in out["new"] and "完全重合" in out["new"]
    project = assert_division_sound(tmp_path / "p.gpkg", out["check_after"])
    buildings = project["buildings"]
    by_address = dict(zip(buildings["address"], buildings["village_code"]))
    assert by_address["跨界"] == "370481102001", "the house cut by the village line goes to the village holding most of it"
    areas = dict(zip(buildings["address"], buildings["small_area_code"]))
    assert areas["大院"] == areas["大院内小屋"]
    assert areas["链1"] == areas["链2"] == areas["链3"]
    assert areas["裙楼"] == areas["塔楼"]


@pytest.mark.skipif(not SUZHOU.exists(), reason="needs ../shared/data/suzhou beside the project")
@pytest.mark.parametrize("nested", [False, True], ids=["as-surveyed", "with-sheds-annexes-duplicates"])
def test_real_suzhou_footprints_go_through_the_whole_pipeline(tmp_path, capsys, nested):
    paths = suzhou_inputs(tmp_path, nested)
    out = run_pipeline(paths, tmp_path, capsys)
    if nested:
        assert re.search(r"有 \d+ 对建筑物轮廓相互重叠（其中 [1-9]\d* 对为一栋位于另一栋之内或完全重合）", out["new"])
    project = assert_division_sound(tmp_path / "p.gpkg", out["check_after"])
    areas = project["small_areas"]
    assert len(areas) > 200
    people = areas["population"].to_numpy()
    assert people.sum() == project["buildings"]["population"].sum()
    # The table counts every area: each district's row agrees with the areas saved in the project.
    rows = [re.match(r"\s+(\d{12})\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\d+)%\s+(\d+)%", line) for line in out["divide"].splitlines()]
    rows = [m for m in rows if m]
    assert sorted(m[1] for m in rows) == sorted(project["districts"]["code"])
    for m in rows:
        mine = areas[areas["district_code"] == m[1]]["population"].to_numpy() / 300
        assert int(m[2]) == len(mine)
        assert int(m[4]) == round(100 * np.mean(np.abs(mine - 1) <= 0.2 + 1e-9))
        assert int(m[5]) == round(100 * np.mean(np.abs(mine - 1) <= 0.12 + 1e-9))
        assert int(m[6]) == round(100 * np.max(np.abs(mine - 1)))


# ---------------------------------------------------------------------------------------------
# The rules underneath: which polygon holds a building, which footprints are one
# ---------------------------------------------------------------------------------------------

def test_a_building_belongs_where_most_of_it_lies():
    west, east = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    buildings = [
        shapely.box(1, 1, 2, 2),  # inside the west
        shapely.box(8, 2, 13, 3),  # 2 m west, 3 m east
        shapely.box(9, 4, 10, 5),  # touching the line from the west
        shapely.Point(10, 5.5),  # on the line: the one listed first
        shapely.box(18, 6, 30, 7),  # more outside both than in the east
        shapely.box(9.5, 8, 10.5, 9),  # half and half: the one listed first
        None,
    ]
    assert holding_index(buildings, [west, east]).tolist() == [0, 1, 0, 0, -1, 0, -1]


def test_an_overlap_group_cut_by_a_line_belongs_where_most_of_the_group_lies():
    west, east = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    tower = shapely.box(2, 1, 9, 5)  # wholly in the west
    annex = shapely.box(8.5, 1, 12, 2)  # mostly east, but over the tower
    shed = shapely.box(11, 1, 12, 1.5)  # wholly east, inside the annex
    alone = shapely.box(15, 6, 16, 7)
    assert holding_index([tower, annex, shed, alone], [west, east]).tolist() == [0, 0, 0, 1]


def test_footprints_joined_by_overlap_are_one_group_touching_ones_are_not():
    footprints = [
        shapely.box(0, 0, 10, 10), shapely.box(2, 2, 3, 3),  # nested
        shapely.box(10, 0, 20, 10),  # touches the first: not joined
        shapely.box(30, 0, 40, 10), shapely.box(38, 0, 50, 10), shapely.box(35, 2, 45, 8),  # covered by the union of two others
        shapely.box(60, 0, 70, 10), shapely.box(60, 0, 70, 10),  # duplicates
    ]
    assert overlap_groups(footprints).tolist() == [0, 0, 1, 2, 2, 2, 3, 3]


def test_footprints_covered_by_the_union_of_others_are_divided(tmp_path, capsys):
    """Two footprints covered by the union of others crashed divide (IndexError in the grouping)."""
    from test_divide import _grid_district

    from gis_census.checks import check_project
    from gis_census.divide import divide_project

    project = _grid_district(big=0)
    buildings = project["buildings"]
    x, y = buildings.geometry.iloc[0].bounds[:2]
    extra = gpd.GeoDataFrame({"id": [1000, 1001], "population": [5, 5], "households": [2, 2], "use": "residential"},
                             geometry=[shapely.box(x + 2, y + 2, x + 40, y + 6), shapely.box(x + 5, y + 1, x + 35, y + 8)],
                             crs=buildings.crs)
    project.layers["buildings"] = gpd.GeoDataFrame(pd_concat([buildings, extra]), crs=buildings.crs)
    divide_project(project, target=300)
    held = project["buildings"].set_index("id")["small_area_code"]
    assert held[1000] == held[1001] == held[0] == held[1]  # the chain over houses 0 and 1 is one building
    problems = check_project(project)
    assert not [p for p in problems if p.severity == "error"]
    assert {p.kind for p in problems} >= {"building_overlap"}


def pd_concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def test_merge_duplicates_keeps_one_record_and_adds_differing_people(tmp_path, capsys):
    paths = hard_case_inputs(tmp_path)
    buildings = gpd.read_file(paths["buildings"])
    twin = buildings[buildings["DZ"] == "重复"].iloc[[0]].assign(DZ="重复", RK=7)  # a third record, other people
    gpd.GeoDataFrame(pd_concat([buildings, twin]), crs=buildings.crs).to_file(paths["buildings"], engine="pyogrio")
    project = tmp_path / "p.gpkg"
    argv = ["new", str(project), "--villages", str(paths["villages"]), "--buildings", str(paths["buildings"])]
    assert main(argv) == 0
    assert "--merge-duplicates" in capsys.readouterr().out
    assert main([*argv, "--overwrite", "--merge-duplicates"]) == 0
    assert "已合并 2 个" in capsys.readouterr().out
    merged = CensusProject.open(project)["buildings"]
    (row,) = merged[merged["address"] == "重复"].itertuples()
    assert row.population == 12 + 12 + 7 and len(merged) == len(buildings) + 1 - 2


# ---------------------------------------------------------------------------------------------
# Property: whatever footprints overlap, divide keeps each group whole and still tiles the district
# ---------------------------------------------------------------------------------------------

annex = st.tuples(st.integers(0, 399), st.floats(-6, 14), st.floats(-6, 12), st.floats(2, 40), st.floats(2, 25),
                  st.integers(0, 60))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(annex, min_size=1, max_size=25))
@example([(180, 0.0, 2.0, 2.0, 25.0, 0)])  # an annex whose end (2 m², 1.3 % of its group) crosses a block line
def test_divide_never_cuts_an_overlap_group_and_tiles_the_district(annexes):
    from test_divide import _grid_district

    from gis_census.checks import check_project
    from gis_census.divide import divide_project

    project = _grid_district(big=0)
    buildings = project["buildings"]
    rows = []
    for k, (house, dx, dy, w, h, people) in enumerate(annexes):
        x, y = buildings.geometry.iloc[house].bounds[:2]
        rows.append({"id": 1000 + k, "population": people, "households": max(people // 3, 1), "use": "residential",
                     "geometry": shapely.box(x + dx, y + dy, x + dx + w, y + dy + h)})
    extra = gpd.GeoDataFrame(rows, geometry="geometry", crs=buildings.crs)
    district = project["districts"].geometry.iloc[0]
    extra = extra[shapely.covered_by(extra.geometry.values, district)]
    project.layers["buildings"] = gpd.GeoDataFrame(pd_concat([buildings, extra]), crs=buildings.crs)
    divide_project(project, target=300)
    areas = project["small_areas"]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    assert shapely.is_valid(geoms).all() and set(shapely.get_type_id(geoms)) <= {3, 6}
    footprints = np.asarray(project["buildings"].geometry.array, dtype=object)
    held = holding_index(footprints, geoms)
    group = overlap_groups(footprints)
    for g in np.flatnonzero(np.bincount(group) > 1):
        assert len(set(held[group == g])) == 1
    inside = shapely.area(shapely.intersection(footprints, geoms[held]))
    assert np.allclose(inside, shapely.area(footprints), rtol=1e-6, atol=1e-3), "a boundary passes through a footprint"
    structural = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
                  "building_unassigned"}
    assert [p for p in check_project(project) if p.kind in structural] == []
