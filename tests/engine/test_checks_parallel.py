"""Buildings are checked a batch at a time, two batches at once, whether held or read from the file batch by
batch: the answer must not change, nor its order."""

from __future__ import annotations

from pathlib import Path

import pytest

from gis_census.checks import buildings as building_checks
from gis_census.checks import check_project
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


@pytest.mark.parametrize("lazy", [False, True], ids=["held", "read in batches"])
def test_batches_find_the_same_problems_in_the_same_order(monkeypatch, lazy):
    serial = check_project(CensusProject.open(SAMPLE))
    assert any(p.kind == "building_split" for p in serial)
    monkeypatch.setattr(building_checks, "_BATCH", 100)  # the sample's 5,655 buildings in 57 batches
    assert check_project(CensusProject.open(SAMPLE, lazy=lazy)) == serial
