"""Small areas of odd shape: two lumps joined by a thin neck and a strip are warned about; compact areas are not."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from check_township import base_layers, make_project
from gis_census.checks import CheckSettings, Problem
from gis_census.checks.report import write_report
from gis_census.checks.shape import polsby_popper, shape_problems

CODES = np.array(["001", "002", "003"])


def two_lumps_and_neck(neck: float) -> shapely.Polygon:
    """Two 100 m squares 60 m apart, joined by a strip `neck` m wide."""
    return shapely.union_all([shapely.box(0, 0, 100, 100), shapely.box(160, 0, 260, 100),
                              shapely.box(100, 50 - neck / 2, 160, 50 + neck / 2)])


def problems_of(*geoms) -> list[Problem]:
    return shape_problems(np.array(geoms, dtype=object), CODES[:len(geoms)], CheckSettings())


def test_polsby_popper_of_square_and_empty():
    assert polsby_popper(np.array([shapely.box(0, 0, 10, 10), shapely.Polygon()])) == pytest.approx([np.pi / 4, 0])


def test_two_lumps_joined_by_a_neck_are_warned_about():
    [problem] = problems_of(two_lumps_and_neck(8.0))
    assert (problem.kind, problem.features, problem.value, problem.severity) == ("thin_neck", ("001",), 2, "warning")
    assert problem.message("en") == "lumps joined only by a thin neck: small area 001, 2 pieces"


def test_compact_area_and_a_wide_joint_are_not_warned_about():
    assert problems_of(shapely.box(0, 0, 200, 150), two_lumps_and_neck(60.0), None) == []


def test_a_long_strip_is_an_odd_shape():
    [problem] = problems_of(shapely.box(0, 0, 400, 12))
    assert problem.kind == "odd_shape" and problem.value == pytest.approx(4 * np.pi * 4800 / 824**2)
    assert problem.message() == "形状不规整（紧凑度低，难以沿界走查）：普查小区 001，紧凑度 0.09"


def test_each_part_of_an_exclave_is_judged_on_its_own():
    far = shapely.MultiPolygon([shapely.box(0, 0, 100, 100), shapely.box(1000, 0, 1100, 100)])
    assert problems_of(far) == []


def test_the_report_shows_shape_warnings(tmp_path):
    path = write_report(make_project(base_layers()), problems_of(two_lumps_and_neck(8.0)), tmp_path / "r.html", "en")
    assert "lumps joined only by a thin neck" in path.read_text(encoding="utf-8")
