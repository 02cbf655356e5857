"""`gis-census divide` then `check`: the sample township divided and coded, with no structural problems, twice alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from geopandas.testing import assert_geodataframe_equal

from gis_census.cli import main
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
STRUCTURAL = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
              "building_unassigned", "building_code_mismatch", "parent_missing", "population_mismatch",
              "population_total_mismatch", "code_duplicate", "code_malformed", "code_sequence_gap", "building_number_duplicate"}


def test_divide_codes_and_passes_the_structural_checks(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, project)
    district = "370481102201"
    assert main(["divide", str(project), "--district", district]) == 0
    assert "已划分" in capsys.readouterr().out
    main(["check", str(project), "--village", district, "--json", "--no-save"])
    kinds = set(json.loads(capsys.readouterr().out)["summary"]["by_kind"])
    assert not kinds & STRUCTURAL
    first = CensusProject.open(project)
    assert main(["divide", str(project), "--district", district]) == 0
    again = CensusProject.open(project)
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(again[layer], first[layer])


def test_bad_setting_is_refused_with_its_name(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, project)
    assert main(["divide", str(project), "--district", "370481102201", "--target", "-5"]) == 2
    assert "-5" in capsys.readouterr().err
