"""Dividing the demo county: every small area of several buildings within the hard limits, no sliver holes.

Two districts of the generated county (tests/data/county_districts.gpkg, cut out of
``make_county()`` with their buildings and the roads near them) reproduce what went wrong
there: town-centre apartments of about the target each, where the bisection lost groups and
left areas of 4,000 people, a village whose groups came apart at nanometre slivers
between building cells, handing a few hundred people to a neighbour, and a village where a
building's cell came out in two pieces joined at a point, so that a group held together
through it came apart and left areas of 603 and 0 people. The whole county is
divided once for the module.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis_census.checks import check_project
from gis_census.demo import make_county
from gis_census.demo.project import county_project
from gis_census.divide import divide_project
from gis_census.project import CensusProject, ProjectMeta
from gis_census.rules import AREA_TOLERANCE, HARD_MAX, HARD_MIN

DISTRICTS = Path(__file__).parent.parent / "data" / "county_districts.gpkg"
TILING = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
          "building_unassigned", "parent_missing", "code_duplicate"}


def county_districts() -> CensusProject:
    """Districts 370481115001 (a town centre of apartments), 370481101209 (a village) and 370481103207 (a village
    whose building cell comes out of a pinched block in two pieces) of the demo county."""
    read = lambda layer: gpd.read_file(DISTRICTS, layer=layer, engine="pyogrio")  # noqa: E731
    districts, buildings, roads = read("districts"), read("buildings"), read("roads")
    villages = gpd.GeoDataFrame({"code": districts["code"], "name": districts["code"]}, geometry=districts.geometry.values,
                                crs=districts.crs)
    layers = {"villages": villages, "districts": villages.assign(village_code=villages["code"]), "buildings": buildings,
              "roads": roads}
    return CensusProject(ProjectMeta(township_code="370481", crs=districts.crs), layers)


@pytest.fixture(scope="module")
def county():
    """The demo county, divided."""
    project = county_project(make_county())
    return project, divide_project(project)


def outside_limits(project: CensusProject) -> list[tuple[str, int, int]]:
    """(code, people, buildings) of the small areas of several buildings outside the hard limits."""
    areas, buildings = project["small_areas"], project["buildings"]
    held = buildings.groupby("small_area_code").size().reindex(areas["code"], fill_value=0).to_numpy()
    people = areas["population"].to_numpy()
    bad = (held > 1) & ((people < HARD_MIN) | (people > HARD_MAX))
    return list(zip(areas["code"].to_numpy()[bad], people[bad].tolist(), held[bad].tolist()))


def noise(project: CensusProject) -> list[str]:
    """Codes of the small areas with a hole or a part smaller than AREA_TOLERANCE."""
    geoms = np.asarray(project["small_areas"].geometry.array, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    hole = np.r_[False, ring_part[1:] == ring_part[:-1]]  # every ring after its part's exterior
    small_holes = owner[ring_part[hole & (shapely.area(shapely.polygons(rings)) < AREA_TOLERANCE)]]
    small_parts = owner[shapely.area(parts) < AREA_TOLERANCE]
    codes = project["small_areas"]["code"].to_numpy()
    return sorted(set(codes[np.r_[small_holes, small_parts]]))


def test_the_county_districts_divide_within_the_hard_limits():
    project = county_districts()
    divide_project(project)
    assert outside_limits(project) == []
    assert noise(project) == []
    assert [p for p in check_project(project) if p.kind in TILING] == []


def test_no_area_of_several_buildings_in_the_county_is_outside_the_hard_limits(county):
    project, results = county
    assert outside_limits(project) == []
    # A single building above the limit is an area of its own, reported, never joined to others.
    over = {i for r in results for i in r.over_limit_buildings}
    buildings = project["buildings"]
    assert over == set(buildings.loc[buildings["population"] > HARD_MAX, "id"].tolist())


def test_no_area_in_the_county_has_a_sliver_hole_or_part(county):
    project, _ = county
    assert noise(project) == []


def test_the_county_areas_tile_their_districts(county):
    project, _ = county
    districts, areas = project["districts"], project["small_areas"]
    for code, district in zip(districts["code"], districts.geometry.array):
        union = shapely.union_all(np.asarray(areas.geometry.array[areas["district_code"] == code], dtype=object))
        assert shapely.area(shapely.symmetric_difference(union, district)) < AREA_TOLERANCE, code
    # Areas of neighbouring districts need not share vertices: they may overlap by float noise, no more.
    geoms = np.asarray(areas.geometry.array, dtype=object)
    i, j = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    assert (shapely.area(shapely.intersection(geoms[i], geoms[j])) < AREA_TOLERANCE).all()
