"""Automatic division: tiling, buildings, balance, locked areas, determinism, oversize buildings."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis_census.checks import check_district, check_project
from gis_census.demo import make_township
from gis_census.demo.project import county_project
from gis_census.divide import divide_district, divide_project
from gis_census.project import CensusProject, ProjectMeta
from gis_census.spatial import holding_index

STRUCTURAL = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
              "building_unassigned", "parent_missing", "code_duplicate"}
CRS = "EPSG:4527"


@pytest.fixture(scope="module")
def township():
    return make_township()


@pytest.fixture(scope="module")
def divided(township):
    project = county_project(township)
    return project, divide_project(project)


def test_township_division_has_no_structural_problems(divided):
    project, _ = divided
    found = [p for p in check_project(project) if p.kind in STRUCTURAL]
    assert found == []


def test_every_residential_building_is_in_exactly_one_area(divided):
    project, _ = divided
    buildings, areas = project["buildings"], project["small_areas"]
    residential = (buildings["use"] == "residential").to_numpy() | (buildings["population"] > 0).to_numpy()
    footprints = np.asarray(buildings.geometry.array[residential], dtype=object)
    hits = shapely.STRtree(np.asarray(areas.geometry.array)).query(shapely.point_on_surface(footprints), predicate="within")
    assert np.array_equal(np.bincount(hits[0], minlength=len(footprints)), np.ones(len(footprints)))
    where = holding_index(footprints, np.asarray(areas.geometry.array))
    assert list(buildings["small_area_code"][residential]) == list(areas["code"].to_numpy()[where])


def test_area_populations_come_from_their_buildings(divided):
    project, _ = divided
    totals = project["buildings"].groupby("small_area_code")["population"].sum()
    areas = project["small_areas"]
    assert list(areas["population"]) == [int(totals.get(c, 0)) for c in areas["code"]]


def test_township_balance(divided):
    _, results = divided
    populations = np.concatenate([_balanced(r) for r in results]) / 300
    within_20 = np.mean(np.abs(populations - 1) <= 0.2)
    within_12 = np.mean(np.abs(populations - 1) <= 0.12)
    print(f"within ±20 %: {within_20:.2f}, within ±12 %: {within_12:.2f}")
    assert within_20 >= 0.9
    assert within_12 >= 0.85
    assert min(r.polsby_popper_min for r in results) > 0.05


def test_codes_follow_locked_and_are_consecutive(divided):
    project, results = divided
    areas = project["small_areas"]
    for r in results:
        seqs = sorted(areas.loc[areas["district_code"] == r.district_code, "seq"])
        assert seqs == [f"{k:03d}" for k in range(1, r.areas + 1)]


def test_division_is_deterministic(township, divided):
    project, _ = divided
    again = county_project(township)
    divide_project(again)
    a, b = project["small_areas"], again["small_areas"]
    assert list(a["code"]) == list(b["code"])
    assert shapely.equals_exact(np.asarray(a.geometry.array), np.asarray(b.geometry.array), tolerance=0).all()


def test_locked_area_is_kept(township):
    project = county_project(township)
    district = "370481102003"
    areas = project["small_areas"]
    row = np.flatnonzero((areas["district_code"] == district).to_numpy())[1]
    areas.loc[row, "locked"] = 1
    kept_code, kept_geom = areas["code"].iat[row], areas.geometry.iat[row]
    divide_project(project, [district])
    found = project["small_areas"]
    again = found[found["code"] == kept_code]
    assert len(again) == 1 and again["locked"].iat[0] == 1
    assert shapely.equals_exact(again.geometry.iat[0], kept_geom, tolerance=0)
    # the demo's previous division of other districts splits some buildings: check this district only
    assert [p for p in check_district(project, district) if p.kind in STRUCTURAL] == []
    seqs = sorted(found.loc[found["district_code"] == district, "seq"])
    assert len(set(seqs)) == len(seqs)


def test_single_building_above_upper_limit_is_its_own_area():
    project = _grid_district(big=800)
    result = divide_district(project, "370481102201", target=300)
    assert result.oversize_buildings == [0]
    divide_project(project, target=300)
    buildings = project["buildings"]
    big_code = buildings["small_area_code"].iat[0]
    assert buildings.loc[buildings["small_area_code"] == big_code, "population"].sum() == 800
    assert [p for p in check_project(project) if p.kind in STRUCTURAL] == []


def test_count_fixes_the_number_of_areas():
    project = _grid_district(big=0)
    assert divide_district(project, "370481102201", target=300, count=3).areas == 3


def test_households_as_the_unit():
    project = _grid_district(big=0)
    result = divide_district(project, "370481102201", target=100, unit="households")
    assert result.areas == 4
    assert sum(result.populations) == 400
    assert result.within_12 == 1.0


def test_unknown_district_is_named():
    with pytest.raises(ValueError, match="999999999999"):
        divide_district(_grid_district(big=0), "999999999999")


def _balanced(result) -> np.ndarray:
    """Populations of a result's areas, without the areas that are one oversize building."""
    populations = np.array(result.populations, dtype=float)
    oversize = len(result.oversize_buildings)
    return np.sort(populations)[: len(populations) - oversize] if oversize else populations


def _grid_district(big: int) -> CensusProject:
    """A 600 m square district with 20 × 20 houses of 4 people, a road across it, and house 0 holding `big`."""
    x0, y0 = 39_500_000.0, 3_880_000.0
    district = shapely.box(x0, y0, x0 + 600, y0 + 600)
    xs, ys = np.meshgrid(np.arange(20) * 30 + x0 + 5, np.arange(20) * 30 + y0 + 5)
    houses = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 12, ys.ravel() + 10)
    population = np.full(len(houses), 4)
    population[0] = big or 4
    road = shapely.LineString([(x0 - 10, y0 + 301), (x0 + 610, y0 + 301)])
    code = "370481102201"
    layers = {
        "villages": gpd.GeoDataFrame({"code": [code], "name": ["村"]}, geometry=[district], crs=CRS),
        "districts": gpd.GeoDataFrame({"code": [code], "village_code": [code]}, geometry=[district], crs=CRS),
        "buildings": gpd.GeoDataFrame({"id": np.arange(len(houses)), "population": population,
                                       "households": np.maximum(population // 3, 1), "use": "residential"},
                                      geometry=houses, crs=CRS),
        "roads": gpd.GeoDataFrame({"name": ["路"], "kind": ["street"]}, geometry=[road], crs=CRS),
    }
    return CensusProject(ProjectMeta(township_code="370481", crs=CRS), layers)


def test_a_house_on_a_road_crossing_keeps_its_block_in_one_piece():
    """A footprint held by two faces diagonally opposite across a crossing (they meet only at a point) joins
    them through the faces it reaches, so the block is one polygon holding the whole house."""
    from gis_census.divide.blocks import merge_split_buildings, street_blocks

    region = shapely.box(-100, -100, 100, 100)
    roads = np.array([shapely.LineString([(-100, 0), (100, 0)]), shapely.LineString([(0, -100), (0, 100)])], dtype=object)
    house = shapely.buffer(shapely.LineString([(-10, -10), (10, 10)]), 0.5, cap_style="flat")  # along the diagonal
    faces = street_blocks(region, roads, np.zeros(0, dtype=object))
    shares = shapely.area(shapely.intersection(faces, house)) / house.area
    assert sorted(np.round(shares, 3))[:2] == [0.009, 0.009] and (shares > 0.4).sum() == 2  # two faces hold it
    blocks = merge_split_buildings(faces, np.array([house], dtype=object))
    holding = blocks[shapely.covers(blocks, house)]
    assert len(holding) == 1 and shapely.get_num_geometries(holding[0]) == 1


class _StopAfter:
    """Feedback that asks to stop once `after` districts are reported done."""

    def __init__(self, after: int, total: int):
        self.after, self.total, self.done = after, total, 0

    def set_progress(self, percent: float) -> None:
        self.done = round(percent * self.total / 100)

    def is_canceled(self) -> bool:
        return self.done >= self.after


def test_a_canceled_division_divides_no_district_and_keeps_the_areas(township):
    project = county_project(township)
    before = project["small_areas"].copy()
    assert divide_project(project, feedback=_StopAfter(0, len(project["districts"]))) == []
    assert project["small_areas"].equals(before)


def test_a_division_canceled_midway_keeps_the_districts_not_yet_divided(township, monkeypatch):
    """Two workers, two districts waiting for them: canceled once the first is done, the two at work finish and
    those waiting are not started."""
    monkeypatch.setattr("gis_census.divide.os.cpu_count", lambda: 2)
    project = county_project(township)
    codes = list(project["districts"]["code"])
    before = project["small_areas"].copy()
    results = divide_project(project, feedback=_StopAfter(1, len(codes)))
    done = [r.district_code for r in results]
    assert 1 <= len(done) <= 3 and done == codes[:len(done)]
    after = project["small_areas"]
    for code in codes[len(done):]:  # untouched
        assert after[after["district_code"] == code].reset_index(drop=True).equals(
            before[before["district_code"] == code].reset_index(drop=True))
