"""What a gesture on the map means, without Qt: the area a split line cuts, where a point snaps, what a
search finds. The township of test_editing.py (A001–A004, B001–B004 in 200 × 100 m squares)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from test_editing import AREAS, X0, Y0, A, B, line, make_project, xy

from gis_census.editing import area_crossed, find, snap_to_project


@pytest.fixture(scope="module")
def township():
    return make_project()


@pytest.mark.parametrize("points, selection, expected", [
    (((100, -10), (100, 110)), (), AREAS[0]),  # across A001 only
    (((100, 20), (100, 80)), (), None),  # inside, cutting nothing
    (((100, -10), (100, 60)), (), None),  # into A001, not through it
    (((100, -10), (100, 210)), (), None),  # through A001 and A003: which one?
    (((100, -10), (100, 210)), (AREAS[2],), AREAS[2]),  # ...the selected one
    (((100, -10), (100, 210)), (AREAS[2], AREAS[0]), None),  # both selected: still no telling
    (((150, -10), (150, 60), (250, 60), (250, -10)), (), AREAS[1] if False else None),  # enters two, cuts both
])
def test_area_crossed(township, points, selection, expected):
    assert area_crossed(township, line(*points), selection) == expected


def test_snapping_prefers_a_vertex_then_an_edge_within_reach(township):
    assert snap_to_project(township, xy(200.4, 99.7), 1.0) == (*xy(200, 100), "vertex")
    x, y, kind = snap_to_project(township, xy(100.2, 100.6), 1.0)  # the boundary between A001 and A003
    assert (x, y) == pytest.approx(xy(100.2, 100)) and kind == "edge"
    assert snap_to_project(township, xy(100, 50), 1.0) == (*xy(100, 50), None)
    assert snap_to_project(township, xy(-0.5, 50), 1.0)[2] == "edge"  # the district's edge at x = 0


def test_snapping_to_a_road_where_no_area_is_within_reach():
    township = make_project()
    township.layers["roads"] = gpd.GeoDataFrame({"name": ["建设街"], "kind": ["residential"]},
                                                geometry=[line((50, 10), (50, 90))], crs=township["small_areas"].crs)
    x, y, kind = snap_to_project(township, xy(50.6, 40.3), 1.0)
    assert (x, y) == pytest.approx(xy(50, 40.3)) and kind == "edge"
    assert snap_to_project(township, xy(49.5, 10.4), 1.0) == (*xy(50, 10), "vertex")
    assert snap_to_project(township, xy(0.5, 50), 1.0)[2] == "edge"  # the area's edge at x = 0, no road near
    assert snap_to_project(township, xy(50.6, 40.3), 1.0, features=()) == (*xy(50.6, 40.3), None)


@pytest.mark.parametrize("text, layer, codes", [
    (AREAS[5], "small_areas", (AREAS[5],)),
    ("201002", "small_areas", (AREAS[5],)),  # the last digits are enough
    ("002", "small_areas", (AREAS[1], AREAS[5])),
    (f" {A} ", "districts", (A,)),
    ("王庄村委会", "districts", (B,)),
])
def test_find_by_code_its_end_or_name(township, text, layer, codes):
    found = find(township, text)
    assert (found.layer, found.codes) == (layer, codes)
    rows = township[layer][township[layer]["code"].isin(codes)]
    assert found.bounds == tuple(rows.total_bounds)


@pytest.mark.parametrize("text", ["", "  ", "02", "999", "东关"])
def test_find_nothing(township, text):
    assert find(township, text) is None


def test_found_bounds_are_in_metres(township):
    assert find(township, AREAS[0]).bounds == (X0, Y0, X0 + 200, Y0 + 100)
