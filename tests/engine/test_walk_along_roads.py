"""The longest-walk figure: a long step between two houses follows the road joining them, a short one is straight."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_census.divide.measures import walk_lengths

#: Two houses 200 m apart (their centres at y = 5) and a road that leaves the first 10 m south of it, runs 90 m
#: south, 200 m east and 90 m north to 10 m south of the second.
HOUSES = np.array([shapely.box(0, 0, 10, 10), shapely.box(200, 0, 210, 10)], dtype=object)
ROUND = shapely.LineString([(5, -10), (5, -100), (205, -100), (205, -10)])


def walk(roads) -> float:
    return float(walk_lengths(HOUSES, np.zeros(2, dtype=int), 1, roads)[0])


def test_a_long_step_goes_round_by_the_road():
    assert walk(np.array([ROUND], dtype=object)) == pytest.approx(15 + 90 + 200 + 90 + 15)


def test_without_a_road_near_both_houses_the_step_is_straight():
    assert walk(None) == pytest.approx(200)
    far = shapely.LineString([(5, -100), (205, -100)])  # 105 m from each house: beyond reach
    assert walk(np.array([far], dtype=object)) == pytest.approx(200)
    apart = np.array([shapely.LineString([(5, -10), (5, -50)]), shapely.LineString([(205, -10), (205, -50)])], dtype=object)
    assert walk(apart) == pytest.approx(200)  # near both, but the roads do not join them


def test_a_road_shorter_than_the_straight_line_does_not_shorten_the_walk():
    straight_road = shapely.LineString([(5, 5), (205, 5)])
    assert walk(np.array([straight_road], dtype=object)) == pytest.approx(200)
