"""Small areas of odd shape: two lumps joined by a thin neck and a strip are warned about; compact areas are not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from check_township import base_layers, make_project
from gis_census.checks import CheckSettings, Problem
from gis_census.checks.report import write_report
from gis_census.checks.shape import _lumps, polsby_popper, shape_problems
from gis_census.project import CensusProject

CODES = np.array(["001", "002", "003"])
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


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


def test_lumps_found_by_growing_only_split_parts_equal_the_full_opening():
    """Only parts the erosion splits are grown back: the lump counts of every small area of the sample, and of
    necks of every width, equal those of the opening of every part."""
    areas = CensusProject.open(SAMPLE).columns("small_areas", [])["geometry"]
    geoms = np.concatenate([areas, [two_lumps_and_neck(w) for w in (2.0, 8.0, 9.9, 10.1, 30.0)]])
    radius, share = CheckSettings().neck_width / 2, CheckSettings().lump_share
    parts, owner = shapely.get_parts(geoms, return_index=True)
    opened = shapely.buffer(shapely.buffer(parts, -radius, join_style="mitre"), radius, join_style="mitre")
    pieces, piece_owner = shapely.get_parts(opened, return_index=True)
    big = shapely.area(pieces) >= share * shapely.area(parts)[piece_owner]
    expected = np.zeros(len(geoms), dtype=int)
    np.maximum.at(expected, owner, np.bincount(piece_owner[big], minlength=len(parts)))
    found = _lumps(geoms, radius, share)
    assert np.array_equal(found >= 2, expected >= 2)
    assert np.array_equal(found[expected >= 2], expected[expected >= 2])
    assert (expected >= 2).sum() >= 2  # the narrow necks
