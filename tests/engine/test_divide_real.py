"""Automatic division on real geography: Providence's 3,014 census blocks as indivisible buildings.

Tracts play villages (one district each) and blocks play buildings with their 2010
population, so the footprints tile every district exactly: the engine must divide
between them without cutting one (tests/data/README.md).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis_census.checks import CheckSettings, check_project
from gis_census.divide import divide_project
from gis_census.project import CensusProject, ProjectMeta

BLOCKS = Path(__file__).parent.parent / "data" / "providence_blocks.zip"
CRS = "EPSG:32619"
STRUCTURAL = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
              "building_unassigned", "parent_missing", "code_duplicate"}


@pytest.fixture(scope="module")
def blocks() -> gpd.GeoDataFrame:
    found = gpd.read_file(f"zip://{BLOCKS}", engine="pyogrio").to_crs(CRS)
    return found.sort_values("GEOID10").reset_index(drop=True)


@pytest.fixture(scope="module")
def city(blocks):
    project = providence_project(blocks)
    return project, divide_project(project, target=300)


def providence_project(blocks: gpd.GeoDataFrame, tracts: int | None = None) -> CensusProject:
    """Township 440070001: the first `tracts` tracts (default all) as villages, their blocks as buildings."""
    tract = blocks["GEOID10"].str[:11]
    keep = tract.isin(sorted(tract.unique())[:tracts]).to_numpy()
    blocks, tract = blocks[keep].reset_index(drop=True), tract[keep].reset_index(drop=True)
    codes = {t: f"440070001{k + 1:03d}" for k, t in enumerate(sorted(tract.unique()))}
    villages = blocks.assign(code=tract.map(codes))[["code", "geometry"]].dissolve("code").reset_index()
    villages = gpd.GeoDataFrame({"code": villages["code"], "name": villages["code"]}, geometry=villages.geometry.values, crs=CRS)
    population = blocks["TOTPOP"].to_numpy().astype(int)
    buildings = gpd.GeoDataFrame(
        {"id": np.arange(len(blocks)), "population": population, "households": np.round(population / 2.5).astype(int),
         "use": np.where(population > 0, "residential", "other")},
        geometry=blocks.geometry.values, crs=CRS)
    layers = {"villages": villages, "districts": villages.assign(village_code=villages["code"]), "buildings": buildings}
    return CensusProject(ProjectMeta(township_code="440070001", crs=CRS), layers)


def test_city_division_has_no_structural_problems(city):
    project, _ = city
    assert [p for p in check_project(project) if p.kind in STRUCTURAL] == []


def test_every_block_lies_wholly_in_one_area(city):
    project, _ = city
    blocks = np.asarray(project["buildings"].geometry.array)
    areas = np.asarray(project["small_areas"].geometry.array)
    held, _ = shapely.STRtree(areas).query(blocks, predicate="covered_by")
    assert np.array_equal(np.bincount(held, minlength=len(blocks)), np.ones(len(blocks)))


def test_city_balance(city):
    project, results = city
    hard_max = CheckSettings.for_project(project).hard_max
    populations = np.concatenate([_without_over_limit(r) for r in results]) / 300
    within_20 = np.mean(np.abs(populations - 1) <= 0.2)
    within_12 = np.mean(np.abs(populations - 1) <= 0.12)
    print(f"{len(populations)} areas, within ±20 %: {within_20:.3f}, within ±12 %: {within_12:.3f}")
    assert within_20 >= 0.9
    assert within_12 >= 0.8
    buildings = project["buildings"]
    over = sorted(int(i) for i in buildings.loc[buildings["population"] > hard_max, "id"])
    assert sorted(i for r in results for i in r.over_limit_buildings) == over


def test_division_is_deterministic(blocks):
    first, again = providence_project(blocks, tracts=6), providence_project(blocks, tracts=6)
    divide_project(first, target=300)
    divide_project(again, target=300)
    a, b = first["small_areas"], again["small_areas"]
    assert list(a["code"]) == list(b["code"])
    assert shapely.equals_exact(np.asarray(a.geometry.array), np.asarray(b.geometry.array), tolerance=0).all()


def _without_over_limit(result) -> np.ndarray:
    """Populations of a result's areas, without the areas that are one building above the hard maximum."""
    populations = np.sort(np.array(result.populations, dtype=float))
    return populations[: len(populations) - len(result.over_limit_buildings)]
