"""The sample township as tests divide it: a copy, so the shipped file is never written."""

from __future__ import annotations

import shutil
from pathlib import Path

from gis_census.divide import divide_project
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "demo_township.gpkg"


def coded_sample(folder: Path, districts: list[str] | None = None) -> CensusProject:
    """A copy of the sample township in `folder`, its `districts` (default all) divided and everything coded."""
    copy = folder / "township.gpkg"
    shutil.copy(SAMPLE, copy)
    project = CensusProject.open(copy)
    divide_project(project, districts)
    assign_codes(project)
    return project
