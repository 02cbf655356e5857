"""The checker on real digitising faults: Providence's 59 voting precincts as villages.

The precincts are known to hold 2 overlapping pairs and 3 holes in their union
(tests/data/README.md); the checker must find exactly those, and nothing else of the tiling kinds.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from gis_census.checks import check_project
from gis_census.project import CensusProject, ProjectMeta

PRECINCTS = Path(__file__).parent.parent / "data" / "providence_precincts.zip"


@pytest.fixture(scope="module")
def problems():
    precincts = gpd.read_file(f"zip://{PRECINCTS}", engine="pyogrio").to_crs("EPSG:32619")
    codes = [f"440070001{i + 1:03d}" for i in range(len(precincts))]
    villages = gpd.GeoDataFrame({"code": codes, "name": precincts["NAME"].astype(str)}, geometry=precincts.geometry.values, crs="EPSG:32619")
    project = CensusProject(ProjectMeta(township_code="440070001", crs="EPSG:32619"),
                            {"villages": villages, "districts": villages.assign(village_code=villages["code"])})
    return check_project(project)


def test_two_overlapping_pairs(problems):
    overlaps = sorted((p.features, round(p.value, 2)) for p in problems if p.kind == "overlap" and p.layer == "villages")
    assert overlaps == [(("440070001006", "440070001022"), 0.59), (("440070001008", "440070001022"), 3.36)]


def test_three_holes_in_the_township(problems):
    holes = sorted(round(p.value, 2) for p in problems if p.kind in ("gap", "sliver_gap") and p.layer == "villages")
    assert holes == [47.67, 12748.16, 85246.23]


def test_nothing_else_of_the_tiling_kinds(problems):
    tiling = {"overlap", "gap", "sliver_gap", "outside_parent", "invalid_geometry", "empty_geometry"}
    found = [p for p in problems if p.kind in tiling]
    assert len(found) == 2 * 2 + 3  # each overlapping pair is reported for villages and for their districts
    multipart = sorted(p.features[0] for p in problems if p.kind == "multipart" and p.layer == "villages")
    assert multipart == ["440070001007", "440070001022", "440070001026"]  # precincts drawn in several pieces
