"""Boundaries crossing a road between junctions are warned about; those following a road, meeting it at a
junction, on a district's line or between houses of both areas are not."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely import LineString

from check_township import PROJECT_CRS, X0, Y0, A, base_layers, make_project
from gis_census.checks import check_district, check_project
from gis_census.checks.report import write_report


def road(*xy: tuple[float, float]) -> LineString:
    """A road through the points, in the township's metres from its corner."""
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def crossings(*roads: LineString, district: str | None = None, houses: dict | None = None) -> list:
    """The crossing warnings with these `roads`, and extra `houses` (small-area code → box in the township's
    metres)."""
    layers = base_layers()
    if houses:
        rows = layers["buildings"].iloc[[0] * len(houses)].copy()
        rows["id"] = [900 + k for k in range(len(houses))]
        rows["small_area_code"] = list(houses)
        rows["geometry"] = [shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1) for x0, y0, x1, y1 in houses.values()]
        layers["buildings"] = gpd.GeoDataFrame(pd.concat([layers["buildings"], rows], ignore_index=True), crs=PROJECT_CRS)
    layers["roads"] = gpd.GeoDataFrame({"name": [f"路{k}" for k in range(len(roads))]}, geometry=list(roads), crs=PROJECT_CRS)
    project = make_project(layers)
    found = check_project(project) if district is None else check_district(project, district)
    return [p for p in found if p.kind == "boundary_crosses_road"]


def test_a_boundary_across_a_street_between_its_ends_is_warned_about():
    # Village A's areas 001 (x 0–200) and 002 (x 200–400) meet at x = 200; the street runs 0–400 at y = 30.
    [problem] = crossings(road((0, 30), (400, 30)))
    assert problem.features == (A + "001", A + "002") and problem.severity == "warning"
    assert problem.value == pytest.approx(200) and shapely.equals_exact(problem.location, shapely.MultiPoint([(X0 + 200, Y0 + 30)]), 1e-9)
    assert problem.message("en") == ("boundary crosses a road between junctions (hard to find on the ground): "
                                     f"small area {A}001, {A}002, 200 m from a junction")


def test_the_same_crossing_in_a_district_check_after_an_edit():
    assert len(crossings(road((0, 30), (400, 30)), district=A)) == 1


def test_a_crossing_at_a_junction_or_near_the_road_end_is_not():
    assert crossings(road((0, 30), (400, 30)), road((200, 0), (200, 60))) == []  # a side road meets it there
    assert crossings(road((185, 30), (400, 30))) == []  # the road ends 15 m away: a point one can find


def test_a_boundary_along_a_road_and_a_road_across_a_village_line_are_not():
    assert crossings(road((0, 100), (150, 100))) == []  # runs along the line between 001 and 003
    assert crossings(road((300, 30), (500, 30))) == []  # A's 002 and B's 001: the office's village line


def test_the_report_lists_the_crossing(tmp_path):
    layers = base_layers()
    layers["roads"] = gpd.GeoDataFrame({"name": ["东街"]}, geometry=[road((0, 30), (400, 30))], crs=PROJECT_CRS)
    project = make_project(layers)
    path = write_report(project, check_project(project), tmp_path / "r.html", "en")
    assert "boundary crosses a road between junctions" in path.read_text(encoding="utf-8")


def test_two_crossings_of_one_boundary_are_one_warning_at_both_points():
    [problem] = crossings(road((0, 30), (400, 30)), road((0, 70), (400, 70)))
    assert shapely.get_num_geometries(problem.location) == 2 and problem.value == pytest.approx(200)


def test_a_crossing_between_houses_of_both_areas_is_not():
    """A house of each area within 10 m of the crossing: the numbered houses either side show where it is."""
    street = road((0, 30), (400, 30))
    assert crossings(street, houses={A + "001": (192, 33, 198, 40), A + "002": (203, 33, 209, 40)}) == []
    assert len(crossings(street, houses={A + "001": (192, 33, 198, 40)})) == 1  # one side only: still warned
    assert len(crossings(street, houses={A + "001": (180, 33, 186, 40), A + "002": (214, 33, 220, 40)})) == 1
