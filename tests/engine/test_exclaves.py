"""Villages in several parts (飞地): a notice on import, no error before or after division, every part covered."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from frames import ORIGIN, PROJECT_CRS
from gis_census.project import CensusProject
from refusals import run

X0, Y0 = ORIGIN
EXCLAVE = "370481102202"


def _houses(x: float, y: float, n: int) -> list:
    """`n` 12 × 10 m houses in rows of 10, 30 m apart, from (x, y)."""
    return [shapely.box(x + 30 * (k % 10), y + 30 * (k // 10), x + 30 * (k % 10) + 12, y + 30 * (k // 10) + 10)
            for k in range(n)]


def _inputs(folder, far_inhabited: bool):
    """Village 201 a 500 m square; village 202 a 500 m square beside it and a 300 m square 1 km away,
    with 60 houses of 5 people in each village, and in the far part too when `far_inhabited`."""
    near = shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 500)
    far = shapely.box(X0 + 2000, Y0 + 2000, X0 + 2300, Y0 + 2300)
    villages = gpd.GeoDataFrame({"DM": ["370481102201", EXCLAVE], "MC": ["王庄村委会", "李家洼村委会"]},
                                geometry=[shapely.box(X0, Y0, X0 + 500, Y0 + 500), shapely.MultiPolygon([near, far])],
                                crs=PROJECT_CRS)
    houses = _houses(X0 + 50, Y0 + 50, 60) + _houses(X0 + 550, Y0 + 50, 60)
    if far_inhabited:
        houses += _houses(X0 + 2010, Y0 + 2010, 60)
    buildings = gpd.GeoDataFrame({"RK": 5, "HS": 2}, index=range(len(houses)), geometry=houses, crs=PROJECT_CRS)
    paths = folder / "villages.gpkg", folder / "buildings.gpkg"
    villages.to_file(paths[0], engine="pyogrio")
    buildings.to_file(paths[1], engine="pyogrio")
    return paths, far


def _check(capsys, project) -> dict:
    result = run(capsys, "check", project, "--json", "--no-save")
    return json.loads(result.out)


@pytest.mark.parametrize("far_inhabited", [False, True], ids=["fields_only", "both_inhabited"])
def test_two_part_village_passes_check_before_and_after_division(folders, capsys, far_inhabited):
    folder, out = folders
    (villages, buildings), far = _inputs(folder, far_inhabited)
    created = run(capsys, "new", out, "--villages", villages, "--buildings", buildings, "--township-name", "白坡镇")
    assert created.rc == 0, created.err
    notice = next(line for line in created.out.splitlines() if "飞地" in line)
    assert "李家洼村委会" in notice and "250,000, 90,000 平方米" in notice
    project = CensusProject.open(out)
    assert dict(zip(project["villages"]["code"], project["villages"]["exclave"])) == {"370481102201": 0, EXCLAVE: 1}
    assert dict(zip(project["districts"]["code"], project["districts"]["exclave"])) == {"370481102201": 0, EXCLAVE: 1}

    before = _check(capsys, out)
    assert "multipart" not in before["summary"]["by_kind"]
    assert before["summary"]["errors"] == 0, before["problems"]

    assert run(capsys, "divide", out).rc == 0
    assert run(capsys, "code", out).rc == 0
    after = _check(capsys, out)
    assert after["summary"]["errors"] == 0, [p["message"] for p in after["problems"] if p["severity"] == "error"]

    project = CensusProject.open(out)
    areas = project["small_areas"][project["small_areas"]["district_code"] == EXCLAVE]
    district = project["districts"].geometry.iloc[1]
    covered = shapely.union_all(np.asarray(areas.geometry.array))
    assert shapely.area(shapely.symmetric_difference(covered, district)) < 0.01
    in_far = areas[areas.geometry.intersects(far.buffer(-1))]
    assert shapely.area(shapely.union_all(np.asarray(in_far.geometry.array))) == pytest.approx(far.area)
    if far_inhabited:
        assert (in_far["population"] == 300).all() and (in_far["exclave"] == 0).all()
    else:  # the fields are an area of their own, nobody in it, marked as an uninhabited exclave
        assert len(in_far) == 1 and in_far["population"].iat[0] == 0 and in_far["exclave"].iat[0] == 1
    assert areas["population"].sum() == 5 * (120 if far_inhabited else 60)


def test_an_empty_area_not_flagged_as_exclave_is_still_reported(folders, capsys):
    folder, out = folders
    (villages, buildings), _ = _inputs(folder, far_inhabited=False)
    assert run(capsys, "new", out, "--villages", villages, "--buildings", buildings).rc == 0
    assert run(capsys, "divide", out).rc == 0
    project = CensusProject.open(out)
    project.layers["small_areas"]["exclave"] = 0
    project.save()
    after = _check(capsys, out)
    assert after["summary"]["by_kind"].get("population_empty") == 1
    assert after["summary"]["by_kind"].get("multipart") is None  # the areas are single parts: only the flag differs
