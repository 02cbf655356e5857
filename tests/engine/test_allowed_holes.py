"""Holes that are not gaps: an enclave of another jurisdiction recorded with `allow-hole` is no longer reported."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from frames import ORIGIN, village_frame
from gis_census.project import CensusProject, ProjectMeta
from refusals import run

PRECINCTS = Path(__file__).parent.parent / "data" / "providence_precincts.zip"
X0, Y0 = ORIGIN
ENCLAVE = shapely.box(X0 + 400, Y0 + 400, X0 + 600, Y0 + 600)  # inside village 370481102001


def _holes(capsys, path) -> list[float]:
    result = run(capsys, "check", path, "--json", "--no-save")
    problems = json.loads(result.out)["problems"]
    return sorted(round(p["value"], 2) for p in problems if p["kind"] in ("gap", "sliver_gap") and p["layer"] == "villages")


@pytest.fixture
def township(folders, capsys):
    """The four fixture villages, the first with a 200 m square enclave of another township cut out of it."""
    folder, out = folders
    villages = village_frame()
    villages.loc[0, "geometry"] = villages.geometry.iloc[0].difference(ENCLAVE)
    path = folder / "villages.gpkg"
    villages.to_file(path, engine="pyogrio")
    assert run(capsys, "new", out, "--villages", path).rc == 0
    return out


def test_allowed_hole_is_not_reported_again(township, capsys):
    assert _holes(capsys, township) == [40_000.0]
    centre = ENCLAVE.centroid
    result = run(capsys, "allow-hole", township, "--at", f"{centre.x},{centre.y}", "--note", "属邻镇")
    assert result.rc == 0, result.err
    assert "40,000.00 平方米" in result.out
    assert _holes(capsys, township) == []
    project = CensusProject.open(township)
    allowed = project["allowed_holes"]
    assert list(allowed["note"]) == ["属邻镇"]
    assert shapely.equals(shapely.normalize(allowed.geometry.iloc[0]), shapely.normalize(ENCLAVE))
    check = run(capsys, "check", township)
    assert check.rc == 0, check.out


def test_allowing_where_there_is_no_hole_is_refused(township, capsys):
    result = run(capsys, "allow-hole", township, "--at", f"{X0 + 100},{Y0 + 100}")
    assert result.rc == 2
    assert f"({X0 + 100:.2f}, {Y0 + 100:.2f})" in result.err and "1 个空洞" in result.err
    assert "Traceback" not in result.err
    result = run(capsys, "allow-hole", township, "--at", "east,north")
    assert result.rc == 2 and "X,Y" in result.err
    assert len(CensusProject.open(township)["allowed_holes"]) == 0


def test_allowing_twice_is_refused_and_remove_reports_the_hole_again(township, capsys):
    at = f"{ENCLAVE.centroid.x},{ENCLAVE.centroid.y}"
    assert run(capsys, "allow-hole", township, "--at", at).rc == 0
    again = run(capsys, "allow-hole", township, "--lang", "en", "--at", at)
    assert again.rc == 2 and "already recorded as allowed" in again.err
    assert run(capsys, "allow-hole", township, "--at", at, "--remove").rc == 0
    assert _holes(capsys, township) == [40_000.0]
    nothing = run(capsys, "allow-hole", township, "--lang", "zh", "--at", at, "--remove")
    assert nothing.rc == 2 and "没有记为允许的空洞" in nothing.err


def test_old_project_without_the_layer_opens_with_none(project_file):
    assert "allowed_holes" not in set(pyogrio.list_layers(project_file)[:, 0])
    project = CensusProject.open(project_file)
    assert len(project["allowed_holes"]) == 0 and list(project["allowed_holes"].columns) == ["note", "geometry"]


def test_providence_precincts_one_of_three_holes_allowed(tmp_path, capsys):
    """Real precincts with 3 holes in their union: allowing the largest leaves the other two reported."""
    precincts = gpd.read_file(f"zip://{PRECINCTS}", engine="pyogrio").to_crs("EPSG:32619")
    codes = [f"440070001{i + 1:03d}" for i in range(len(precincts))]
    villages = gpd.GeoDataFrame({"code": codes, "name": precincts["NAME"].astype(str)},
                                geometry=precincts.geometry.values, crs="EPSG:32619")
    path = tmp_path / "providence.gpkg"
    CensusProject(ProjectMeta(township_code="440070001", crs="EPSG:32619"),
                  {"villages": villages, "districts": villages.assign(village_code=villages["code"])}).save(path)
    assert _holes(capsys, path) == [47.67, 12748.16, 85246.23]
    union = shapely.union_all(precincts.geometry.values)
    largest = max((shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors), key=lambda h: h.area)
    at = largest.point_on_surface()
    assert run(capsys, "allow-hole", path, "--at", f"{at.x},{at.y}", "--note", "enclave").rc == 0
    assert _holes(capsys, path) == [47.67, 12748.16]
