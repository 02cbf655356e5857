"""Lanes derived from footprints alone (no road layer): the middle of the open space between buildings that a
person walks, not the gap between two touching houses nor the middle of a field."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.divide.lanes import LANE_M, REACH_M, derived_lanes

X0, Y0 = 39_500_000.0, 3_880_000.0  # Gauss–Krüger eastings, as real projects have them


def rows(gap_y: float, gap_x: float = 3.0, n: int = 6) -> np.ndarray:
    """Two rows of `n` 10 × 8 m houses, `gap_x` m apart in a row, `gap_y` m between the rows."""
    xs = X0 + np.arange(n) * (10 + gap_x)
    return np.array([shapely.box(x, y, x + 10, y + 8) for y in (Y0, Y0 + 8 + gap_y) for x in xs], dtype=object)


def land(houses: np.ndarray):
    return shapely.buffer(shapely.envelope(shapely.union_all(houses)), 30, join_style="mitre")


def test_the_lane_between_two_rows_is_found_down_its_middle():
    houses = rows(6.0)
    lanes = derived_lanes(houses, land(houses))
    middle = shapely.LineString([(X0 + 5, Y0 + 11), (X0 + 5 * 13 + 5, Y0 + 11)])  # between the rows' first and last houses
    along = shapely.union_all(shapely.buffer(lanes, 0.5))
    assert shapely.length(shapely.intersection(middle, along)) >= 0.95 * middle.length
    assert not shapely.intersects(shapely.union_all(lanes), shapely.union_all(houses))


def test_gaps_narrower_than_a_lane_are_not_lanes():
    houses = rows(2.0, gap_x=2.0)  # 2 m between the rows and between neighbours: no lane inside the rows
    lanes = derived_lanes(houses, land(houses))
    inner = shapely.box(X0 + 1, Y0 + 1, X0 + 5 * 12 + 9, Y0 + 17)
    assert LANE_M > 2.0
    assert shapely.length(shapely.intersection(shapely.union_all(lanes), inner)) == 0


def test_the_middle_of_a_field_is_not_a_lane():
    houses = rows(2 * REACH_M + 20)  # rows 60 m apart: a field between them
    lanes = derived_lanes(houses, land(houses))
    field_middle = shapely.box(X0, Y0 + 8 + REACH_M + 1, X0 + 75, Y0 + 8 + REACH_M + 19)
    assert not shapely.intersects(shapely.union_all(lanes), field_middle)


def test_no_lanes_from_fewer_than_two_buildings():
    house = np.array([shapely.box(X0, Y0, X0 + 10, Y0 + 8)], dtype=object)
    assert len(derived_lanes(house, land(house))) == 0


def test_no_lane_runs_inside_a_building():
    """Real footprints overlap (an annex drawn over its house): the line between their outlines is inside a roof."""
    houses = rows(6.0)
    annex = shapely.box(X0 + 2, Y0 - 6, X0 + 8, Y0 + 6)  # overlaps the first house by 4 m
    footprints = np.r_[houses, np.array([annex], dtype=object)]
    lanes = shapely.union_all(derived_lanes(footprints, land(footprints)))
    assert shapely.length(shapely.intersection(lanes, shapely.union_all(footprints))) < 0.5
