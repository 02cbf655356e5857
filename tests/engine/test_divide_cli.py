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


def test_the_line_preference_is_a_setting_and_changes_the_lines(tmp_path, capsys):
    """--settled 0 evens every group (the lines step off the roads); the default leaves settled groups alone."""
    lengths = {}
    for settled in ("0", "0.05"):
        project = tmp_path / f"p{settled}.gpkg"
        shutil.copy(SAMPLE, project)
        assert main(["divide", str(project), "--district", "370481102201", "--settled", settled, "--lane-cost", "0.25"]) == 0
        areas = CensusProject.open(project)["small_areas"]
        lengths[settled] = float(areas[areas["district_code"] == "370481102201"].boundary.length.sum())
    assert lengths["0"] != lengths["0.05"]


def test_a_line_preference_out_of_range_is_refused_before_the_project_is_touched(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, project)
    before = project.read_bytes()
    assert main(["divide", str(project), "--lane-cost", "0"]) == 2
    assert "--lane-cost 的值 0.0 超出范围（应为 0 < F ≤ 1）" in capsys.readouterr().err
    assert main(["divide", str(project), "--settled", "0.3"]) == 2
    assert "--settled" in capsys.readouterr().err
    assert project.read_bytes() == before
