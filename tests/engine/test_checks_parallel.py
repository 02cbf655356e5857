"""Large projects check their buildings on several threads; the answer must not change."""

from __future__ import annotations

from pathlib import Path

from gis_census.checks import buildings as building_checks
from gis_census.checks import check_project
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


def test_threaded_building_check_finds_the_same_problems(monkeypatch):
    project = CensusProject.open(SAMPLE)
    serial = check_project(project)
    assert any(p.kind == "building_split" for p in serial)
    monkeypatch.setattr(building_checks, "_CHUNK", 100)  # the sample's 5,655 buildings go in halves
    threaded = check_project(project)
    key = lambda p: (p.kind, p.layer, p.features, round(float(p.value), 6))  # noqa: E731
    assert sorted(map(key, threaded)) == sorted(map(key, serial))
