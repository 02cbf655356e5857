"""`gis-census code`: numbers the sample's small areas and buildings, saves, and a second run changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gis_census.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


def test_code_then_check_finds_no_code_problems_and_rerun_is_a_no_op(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, project)
    assert main(["code", str(project), "--groups"]) == 0
    out = capsys.readouterr().out
    assert "普查指导员分组" in out and "370481102001001" in out
    assert main(["code", str(project)]) == 0
    assert "已编码：0 个普查小区代码改变，0 栋建筑物改属小区，0 栋建筑物重新编号" in capsys.readouterr().out
    main(["check", str(project), "--json", "--no-save"])
    kinds = json.loads(capsys.readouterr().out)["summary"]["by_kind"]
    assert not {k for k in kinds if k.startswith("code_")} | ({"building_number_duplicate", "building_code_mismatch"} & set(kinds))


def test_unknown_district_is_refused(tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, project)
    before = project.read_bytes()
    assert main(["code", str(project), "--district", "999999999999"]) == 2
    assert "999999999999" in capsys.readouterr().err
    assert project.read_bytes() == before
