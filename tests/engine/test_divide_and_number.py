"""Divide and number as one job: the divider locates the buildings and counts the areas once, the numbering renames."""

from __future__ import annotations

import numpy as np
import pytest

from gis_census.checks import check_project
from gis_census.demo import make_township
from gis_census.demo.project import county_project
from gis_census.divide import divide_and_number, divide_project
from gis_census.numbering import assign_codes
from gis_census.rules import count_population, locate_buildings


@pytest.fixture(scope="module")
def township():
    return make_township()


def _some_districts(project, n=4):
    return sorted(project["districts"]["code"])[:n]


def test_the_job_matches_dividing_then_numbering_everything_again(township):
    chosen = _some_districts(county_project(township))
    one_job = county_project(township)
    results, report = divide_and_number(one_job, chosen)
    two_steps = county_project(township)
    divide_project(two_steps, chosen)
    assign_codes(two_steps, chosen)

    assert [r.district_code for r in results] == chosen and report.groups > 0
    for layer, columns in (("small_areas", ["code", "seq", "population", "households", "supervisor_group"]),
                           ("buildings", ["id", "small_area_code", "number"])):
        assert one_job[layer][columns].reset_index(drop=True).equals(two_steps[layer][columns].reset_index(drop=True)), layer


def test_after_the_job_every_building_and_count_follows_the_one_rule(township):
    project = county_project(township)
    chosen = _some_districts(project)
    divide_and_number(project, chosen)
    areas, buildings = project["small_areas"], project["buildings"]
    assert list(buildings["small_area_code"]) == list(locate_buildings(areas, buildings))
    areas = areas[areas["district_code"].isin(chosen)]
    population, households = count_population(areas["code"].to_numpy(object), buildings)
    assert np.array_equal(areas["population"].to_numpy(), population)
    assert np.array_equal(areas["households"].to_numpy(), households)
    assert not [p for p in check_project(project) if p.kind == "population_mismatch" and p.features[0][:12] in chosen]


def test_the_numbering_step_of_the_job_locates_nothing_again(township, monkeypatch):
    project = county_project(township)

    def refuse(*_):
        raise AssertionError("buildings located a second time")

    monkeypatch.setattr("gis_census.numbering.codes.locate_buildings", refuse)
    monkeypatch.setattr("gis_census.numbering.codes.count_population", refuse)
    results, _ = divide_and_number(project, _some_districts(project, 2))
    assert len(results) == 2
