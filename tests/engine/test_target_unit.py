"""The target's unit is people or households, nothing else: the checker and the divider once read any other
value differently (the checks counted people, the divider households)."""

from __future__ import annotations

import sqlite3

import pytest

from frames import PROJECT_CRS, village_frame
from gis_census.errors import ProjectError
from gis_census.project import CensusProject, ProjectMeta
from gis_census.rules import Target


@pytest.mark.parametrize("unit", ["people", "households"])
def test_a_known_unit_is_kept(unit):
    assert Target.of(ProjectMeta(target_unit=unit)).unit == unit
    assert Target.of(None, unit=unit).unit == unit


@pytest.mark.parametrize("unit", ["人口", "persons", "Households"])
def test_another_unit_is_refused(unit):
    with pytest.raises(ValueError, match="people.*households"):
        Target.of(ProjectMeta(target_unit=unit))
    with pytest.raises(ValueError, match="people.*households"):
        Target.of(None, unit=unit)


def test_a_project_file_naming_another_unit_is_refused_on_opening(tmp_path):
    v = village_frame().rename(columns={"DM": "code", "MC": "name"})
    path = CensusProject(ProjectMeta(township_code="370481102", crs=PROJECT_CRS),
                         {"villages": v, "districts": v.assign(village_code=v["code"])}).save(tmp_path / "p.gpkg")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE census_meta SET value = '人口' WHERE key = 'target_unit'")
    db.close()
    with pytest.raises(ProjectError) as refused:
        CensusProject.open(path)
    assert refused.value.key == "project_layer_unreadable" and "人口" in refused.value.message()
