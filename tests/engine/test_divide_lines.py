"""Straight boundaries between new small areas: a staircase between house rows becomes a straight line,
as far as no footprint (held or a neighbour's) is swept over and no road is left; a lane between rows is
where a block is cut."""

from __future__ import annotations

import numpy as np
import shapely
from test_divide_cases import X0, Y0, _project

from gis_census.divide.district import divide_district
from gis_census.divide.lines import straighten
from gis_census.spatial import holding_index

LAND = shapely.box(0, 0, 100, 100)
#: The boundary steps 2 m left and right of x = 50 every 10 m, as it does when dissolved from building cells.
STEPS = [50, 52, 48, 52, 48, 52, 48, 52, 48, 50]
HOUSES = np.array([shapely.box(x, y + 2, x + 20, y + 8) for x in (10, 70) for y in range(0, 100, 10)], dtype=object)


def staircase() -> shapely.LineString:
    points = [(50, 0)]
    for band, x in enumerate(STEPS):
        points += [(x, band * 10), (x, band * 10 + 10)]
    return shapely.LineString([*points, (50, 100)])


def two_areas() -> np.ndarray:
    """The land cut along the staircase, west area first."""
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all([shapely.boundary(LAND), staircase()]))))
    return faces[np.argsort(shapely.get_x(shapely.centroid(faces)))]


def assert_tiles_and_holds(out: np.ndarray, before: np.ndarray, footprints: np.ndarray) -> None:
    assert shapely.is_valid(out).all() and shapely.coverage_is_valid(out)
    assert shapely.equals(shapely.coverage_union_all(out), LAND)
    assert sum(shapely.area(out)) == sum(shapely.area(before))
    assert np.array_equal(holding_index(footprints, out), holding_index(footprints, before))
    assert all(sum(shapely.area(shapely.intersection(f, out)) > 0.01) == 1 for f in footprints)  # none cut


def test_a_staircase_between_house_rows_becomes_straight():
    areas = two_areas()
    out = straighten(areas, HOUSES, np.zeros(0, dtype=object), np.zeros(0, dtype=object))
    assert_tiles_and_holds(out, areas, HOUSES)
    assert shapely.equals(out[0], shapely.box(0, 0, 50, 100))


def test_a_house_in_the_way_keeps_its_step():
    house = shapely.box(49, 41, 51.5, 49)  # east of the step to x = 48 between y 40 and 50: across x = 50
    footprints = np.r_[HOUSES, np.array([house], dtype=object)]
    areas = two_areas()
    out = straighten(areas, footprints, np.zeros(0, dtype=object), np.zeros(0, dtype=object))
    assert_tiles_and_holds(out, areas, footprints)
    assert shapely.get_num_coordinates(out[0]) < shapely.get_num_coordinates(areas[0])  # straighter elsewhere


def test_a_neighbours_footprint_is_not_swept_over_either():
    stray = np.array([shapely.box(49, 41, 51.5, 49)], dtype=object)
    areas = two_areas()
    out = straighten(areas, HOUSES, np.zeros(0, dtype=object), stray)
    assert shapely.area(shapely.intersection(stray[0], out[1])) == shapely.area(stray[0])


def test_a_boundary_along_a_road_is_kept():
    areas = two_areas()
    out = straighten(areas, HOUSES, np.array([staircase()], dtype=object), np.zeros(0, dtype=object))
    assert shapely.equals(out[0], areas[0]) and shapely.equals(out[1], areas[1])


def lane_between_rows() -> tuple:
    """Four rows of six 10 × 8 m houses of 25 people, 3 m apart, with a 10 m lane between rows 2 and 3: 600
    people, two areas. Cut across the columns the line is shorter (48 m against 75 m) but steps between houses;
    down the lane it is straight and can be walked."""
    xs = X0 + 10 + np.arange(6) * 13.0
    ys = Y0 + 10 + np.array([0, 11, 32, 43])
    houses = np.array([shapely.box(x, y, x + 10, y + 8) for y in ys for x in xs], dtype=object)
    land = shapely.box(X0, Y0, X0 + 95, Y0 + 71)
    return _project({"440070001001": land}, houses, np.full(len(houses), 25)), houses


def test_a_block_with_an_obvious_lane_is_cut_along_the_lane():
    project, houses = lane_between_rows()
    result = divide_district(project, "440070001001")
    areas = np.asarray(result.small_areas.geometry.array, dtype=object)
    assert result.populations == [300, 300]
    held = holding_index(houses, areas)
    rows = held.reshape(4, 6)
    assert (rows[:2] == rows[0, 0]).all() and (rows[2:] == rows[2, 0]).all() and rows[0, 0] != rows[2, 0]
    line = shapely.intersection(shapely.boundary(areas[0]), shapely.boundary(areas[1]))
    assert shapely.get_num_coordinates(shapely.line_merge(line)) == 2  # one straight segment down the lane
