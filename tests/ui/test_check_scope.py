"""Which problems a live check of one district replaces (the rule the app's problems list follows after an edit)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import shapely

from gis_census.checks import Problem, check_district, check_project
from gis_census.checks.scope import belongs_to_district, owned_by_district, replace_district_problems
from gis_census.project import CensusProject
from test_panels import A1, A2, B1, B2, township

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


def keys(problems) -> Counter:
    return Counter((p.kind, p.layer, tuple(map(str, p.features)), round(float(p.value), 3)) for p in problems)


def test_belongs_to_district_by_codes_and_by_location():
    district, area = "370481102201", shapely.box(0, 0, 100, 100)
    inside, outside = shapely.box(10, 10, 20, 20), shapely.box(110, 10, 120, 20)
    assert belongs_to_district(Problem("population_empty", "small_areas", (A1,)), district)
    assert belongs_to_district(Problem("gap", "districts", (district,)), district)
    assert not belongs_to_district(Problem("overlap", "districts", (district, "370481102202")), district)  # vs villages
    assert not belongs_to_district(Problem("gap", "villages", ("370481102201",)), district)
    assert belongs_to_district(Problem("building_split", "buildings", ("7", B1, A2)), district)
    assert not belongs_to_district(Problem("building_split", "buildings", ("7", B1, B2)), district)
    unassigned = Problem("building_unassigned", "buildings", ("7",), location=inside)
    assert not belongs_to_district(unassigned, district)  # no code, no area: cannot tell
    assert belongs_to_district(unassigned, district, area)
    assert not belongs_to_district(Problem("building_unassigned", "buildings", ("8",), location=outside), district, area)
    assert not belongs_to_district(Problem("code_malformed", "small_areas", (B1,), location=inside), district, area)


def test_replace_district_swaps_in_a_live_check_and_keeps_the_other_districts():
    project = township(populations=(50, 300, 400, 300))
    shown = check_project(project)
    assert any(p.kind == "population_out_of_range" and p.features == (A1,) for p in shown)

    areas = project.layers["small_areas"]
    areas.loc[areas["code"] == A1, "population"] = 290  # the user fixes A1 in district …201
    district = "370481102201"
    area = project["districts"].set_index("code").geometry[district]
    shown = replace_district_problems(shown, district, check_district(project, district), area)
    assert keys(shown) == keys(check_project(project))
    assert not any(p.kind == "population_out_of_range" for p in shown)
    assert any(p.kind == "population_off_target" and p.features == (B1,) for p in shown)  # other district kept

    shown = replace_district_problems(shown, district, check_district(project, district), area)  # again: nothing doubles
    assert keys(shown) == keys(check_project(project))


def test_replace_district_on_the_demo_township_matches_a_full_check():
    project = CensusProject.open(DEMO)
    shown = check_project(project)
    areas = project.layers["small_areas"]
    district = areas["district_code"].iloc[0]
    first = areas.index[areas["district_code"] == district][0]
    areas.loc[first, "population"] = 0  # an edit empties one area
    area = project["districts"].set_index("code").geometry[district]
    shown = replace_district_problems(shown, district, check_district(project, district), area)
    assert keys(shown) == keys(check_project(project))
    # the recognition rule alone picks out exactly what check_district reports, district by district
    full = check_project(project)
    for code, geom in zip(project["districts"]["code"], project["districts"].geometry):
        owned = owned_by_district(full, code, geom)
        assert keys(p for p, mine in zip(full, owned) if mine) == keys(check_district(project, code))
