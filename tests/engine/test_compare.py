"""`compare` and the previous division: a planted set of changes is reported exactly, the workbook lists it, a bad
previous file is refused, and the first re-division keeps the small areas as they were."""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geoseries_equal

from check_township import AREAS, A, B, add, area_box, base_layers, box, drop, edit, make_project, set_buildings
from gis_census.compare import compare_divisions
from gis_census.divide import divide_and_number
from gis_census.divide.update import update_division
from gis_census.editing import apply_edit, update_edit
from gis_census.messages import MESSAGES
from gis_census.project import CensusProject
from refusals import assert_ok, assert_refused, run, write_gpkg

C001 = "370481102202001"
VIRTUAL = B + "901"
STRIP = 1001  # a house in the 5 m strip of B002 that the new area C001 took


def _virtual(codes_population) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": [c for c, _ in codes_population], "district_code": [c[:12] for c, _ in codes_population],
                             "seq": [c[12:] for c, _ in codes_population], "population": [p for _, p in codes_population]},
                            geometry=[None] * len(codes_population), crs=base_layers()["small_areas"].crs)


@pytest.fixture
def planted():
    """The base township as the previous division (and a virtual area B901), and the current one with A001 split
    (A005 its east half), A003 and A004 merged into A003, B002 redrawn 5 m short of its east edge, and a new
    area C001 east of it over that strip and new land with 3 houses; the rest kept."""
    layers = base_layers()
    previous = pd.concat([layers["small_areas"], _virtual([(VIRTUAL, 40)])], ignore_index=True)
    add(layers, "buildings", id=STRIP, population=12, households=4, geometry=box(796, 10, 800, 14))
    for k in range(3):
        add(layers, "buildings", id=2001 + k, population=30, households=10, geometry=box(850 + 30 * k, 40, 860 + 30 * k, 50))
    edit(layers, "small_areas", A + "001", geometry=box(0, 0, 100, 100))
    add(layers, "small_areas", code=A + "005", district_code=A, seq="005", geometry=box(100, 0, 200, 100))
    edit(layers, "small_areas", A + "003", geometry=box(0, 100, 400, 200))
    drop(layers, "small_areas", A + "004")
    edit(layers, "small_areas", B + "002", geometry=box(600, 0, 795, 100))
    add(layers, "small_areas", code=C001, district_code=C001[:12], seq="001", geometry=box(795, 0, 1000, 100))
    layers["small_areas"] = pd.concat([layers["small_areas"], _virtual([(VIRTUAL, 45)])], ignore_index=True)
    layers["previous_small_areas"] = previous
    return make_project(layers)


EXPECTED = [  # change, old codes, new codes, buildings before, after, moved, people before, after, moved
    ("split", A + "001", f"{A}001, {A}005", 10, 10, 5, 300, 300, 150),
    ("kept", A + "002", A + "002", 10, 10, 0, 300, 300, 0),
    ("merged", f"{A}003, {A}004", A + "003", 20, 20, 10, 600, 600, 300),
    ("kept", B + "001", B + "001", 10, 10, 0, 300, 300, 0),
    ("redrawn", B + "002", B + "002", 11, 10, 1, 312, 300, 12),
    ("kept", B + "003", B + "003", 10, 10, 0, 300, 300, 0),
    ("kept", B + "004", B + "004", 10, 10, 0, 300, 300, 0),
    ("kept", VIRTUAL, VIRTUAL, 0, 0, 0, 40, 45, 0),
    ("new", "", C001, 0, 4, 1, 0, 102, 12),
]


def test_compare_reports_exactly_the_planted_changes(planted):
    result = compare_divisions(planted["previous_small_areas"], planted["small_areas"], planted["buildings"])
    rows = [tuple(r[1:]) for r in result.changes.drop(columns="district_code").itertuples()]
    assert rows == EXPECTED
    assert result.counts() == {"kept": 5, "recoded": 0, "redrawn": 1, "split": 1, "merged": 1, "new": 1, "removed": 0}
    # 81 houses had a small area (C001's three had none); 5 left A001, 10 left A004, the strip's left B002
    assert (result.previous_areas, result.buildings, result.buildings_kept) == (9, 81, 65)


def test_a_recoded_area_and_a_removed_one(planted):
    areas = planted["small_areas"]
    recoded = areas.assign(code=areas["code"].replace({B + "003": B + "005"}))
    removed = recoded[recoded["code"] != B + "004"]
    changes = compare_divisions(planted["previous_small_areas"], removed, planted["buildings"]).changes
    by_old = changes.set_index("old_codes")
    assert tuple(by_old.loc[B + "003", ["change", "new_codes", "buildings_moved"]]) == ("recoded", B + "005", 10)
    assert tuple(by_old.loc[B + "004", ["change", "new_codes", "buildings_after"]]) == ("removed", "", 0)


def test_against_no_areas_every_previous_area_is_removed(planted):
    result = compare_divisions(planted["previous_small_areas"], planted["small_areas"].iloc[:0], planted["buildings"])
    assert result.counts()["removed"] == 9 and len(result.changes) == 9
    assert (result.buildings, result.buildings_kept) == (81, 0)


def test_a_boundary_within_a_metre_is_kept():
    layers = base_layers()
    previous = layers["small_areas"].copy()
    edit(layers, "small_areas", A + "001", geometry=shapely.segmentize(area_box(A + "001").buffer(0.3, join_style="mitre"), 10))
    changes = compare_divisions(previous, layers["small_areas"], layers["buildings"]).changes
    assert set(changes["change"]) == {"kept"} and len(changes) == len(AREAS)


def test_cli_prints_the_summary_and_writes_the_workbook(planted, tmp_path, capsys):
    path = planted.save(tmp_path / "p.gpkg")
    out = tmp_path / "changes.xlsx"
    result = run(capsys, "compare", path, "--out", out)
    assert_ok(result)
    assert "保留 5，改号 0，重划边界 1，拆分 1，合并 1，新增 1，撤销 0" in result.out
    assert "65 / 81（80%）" in result.out
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("变动", "普查区代码", "原普查小区代码", "现普查小区代码")
    assert [(r[0], r[2] or "", r[3] or "") for r in rows] == [
        (MESSAGES["compare_" + e[0]][0], e[1], e[2]) for e in EXPECTED]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert all(sheet.cell(row, 3).data_type == "s" for row in range(2, len(rows) + 2) if sheet.cell(row, 3).value)
    assert rows[0][4:] == (10, 10, 5, 300, 300, 150)


def test_cli_compares_with_a_file_and_in_english(planted, tmp_path, capsys):
    path = planted.save(tmp_path / "p.gpkg")
    previous = write_gpkg(tmp_path, planted["previous_small_areas"].iloc[:8], "old.gpkg", "small_areas")
    result = run(capsys, "compare", path, "--previous", previous, "--out", tmp_path / "changes.csv", "--lang", "en")
    assert_ok(result)
    assert "kept 4, recoded 0, redrawn 1, split 1, merged 1, new 2, removed 0" in result.out  # B901 is new now


def test_cli_compares_with_a_layer_of_the_offices_own_in_the_project_file(planted, tmp_path, capsys):
    path = planted.save(tmp_path / "p.gpkg")
    write_gpkg(tmp_path, planted["previous_small_areas"].iloc[:8], "p.gpkg", "areas_2010")
    result = run(capsys, "compare", path, "--previous", "areas_2010", "--out", tmp_path / "changes.csv", "--lang", "en")
    assert_ok(result)
    assert "kept 4, recoded 0, redrawn 1, split 1, merged 1, new 2, removed 0" in result.out
    missing = run(capsys, "compare", path, "--previous", "areas_2000", "--out", tmp_path / "none.csv")
    assert missing.rc == 2 and "areas_2000" in missing.err and not (tmp_path / "none.csv").exists()


def test_cli_refuses_a_bad_previous_file_and_writes_nothing(planted, tmp_path, capsys):
    path = planted.save(tmp_path / "p.gpkg")
    bad = planted["previous_small_areas"].iloc[:8].copy()
    bad.loc[2, "code"] = "37048110200"
    previous = write_gpkg(tmp_path, bad, "old.gpkg", "small_areas")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "changes.xlsx"
    result = run(capsys, "compare", path, "--previous", previous, "--out", out)
    assert_refused(result, out, ["old.gpkg", "37048110200", "code"])


def test_cli_refuses_a_project_without_a_previous_division(tmp_path, capsys):
    path = make_project(base_layers()).save(tmp_path / "p.gpkg")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "changes.xlsx"
    assert_refused(run(capsys, "compare", path, "--out", out), out, [str(path)], key="compare_no_previous")


def test_import_areas_previous_fills_the_layer_and_leaves_the_division(tmp_path, capsys):
    project = make_project(base_layers())
    path = project.save(tmp_path / "p.gpkg")
    file = write_gpkg(tmp_path, project["small_areas"].iloc[:4], "old.gpkg", "small_areas")
    assert_ok(run(capsys, "import-areas", path, "--small-areas", file, "--previous"))
    after = CensusProject.open(path)
    assert list(after["previous_small_areas"]["code"]) == AREAS[:4]
    assert list(after["previous_small_areas"]["population"]) == [300] * 4  # counted from the buildings
    assert after["small_areas"]["code"].tolist() == AREAS
    assert after["buildings"]["small_area_code"].equals(project["buildings"]["small_area_code"])
    again = run(capsys, "import-areas", path, "--small-areas", file, "--previous")
    assert again.rc == 2 and "--replace" in again.err


def _off_band() -> CensusProject:
    """The base township with A001's houses holding 45 people each: 450, above the band."""
    layers = base_layers()
    set_buildings(layers, A + "001", population=45)
    return make_project(layers)


def test_divide_update_keeps_the_division_it_started_from(tmp_path, capsys):
    path = _off_band().save(tmp_path / "p.gpkg")
    before = CensusProject.open(path)["small_areas"]
    result = run(capsys, "divide", path, "--update")
    assert_ok(result)
    assert "previous_small_areas" in result.out
    kept = CensusProject.open(path)["previous_small_areas"]
    assert kept["code"].tolist() == before["code"].tolist()
    assert_geoseries_equal(kept.geometry, before.geometry)
    after = CensusProject.open(path)["small_areas"]
    assert len(after) != len(before) or not shapely.equals(after.geometry.values, before.geometry.values).all()


def test_a_filled_previous_division_is_never_overwritten():
    project = _off_band()
    reference = base_layers()["small_areas"].iloc[[5]]
    project.layers["previous_small_areas"] = reference
    update_division(project)
    divide_and_number(project, [A])
    assert project["previous_small_areas"]["code"].tolist() == [AREAS[5]]


def test_a_plain_divide_keeps_the_areas_it_replaces_and_a_fresh_one_keeps_none():
    project = make_project(base_layers())
    divide_and_number(project, [B])
    assert project["previous_small_areas"]["code"].tolist() == AREAS
    layers = base_layers()
    layers["small_areas"] = layers["small_areas"].iloc[:0]
    fresh = make_project(layers)
    divide_and_number(fresh)
    assert fresh["previous_small_areas"].empty


def test_the_apps_update_keeps_the_previous_division_in_its_undo_step():
    project = _off_band()
    edit, _ = update_edit(project)
    apply_edit(project, edit)
    assert project["previous_small_areas"]["code"].tolist() == AREAS
    apply_edit(project, edit.inverse())
    assert project["previous_small_areas"].empty


def test_an_update_that_changes_nothing_keeps_nothing():
    project = make_project(base_layers())
    report = update_division(project)
    assert not report.areas and project["previous_small_areas"].empty


def test_the_check_report_lists_the_changes_against_the_previous_division(planted, tmp_path, capsys):
    path = planted.save(tmp_path / "p.gpkg")
    run(capsys, "check", path, "--no-save", "--report", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>与上次划分对比</h2>" in page
    assert "保留 5，改号 0，重划边界 1，拆分 1，合并 1，新增 1，撤销 0" in page
    changed = [e for e in EXPECTED if e[0] != "kept"]
    assert page.count("<tr><td>拆分</td>") == 1 and f"<td>{A}001, {A}005</td>" in page
    assert page.split('<table class="changes">')[1].split("</table>")[0].count("<tr>") == len(changed) + 1
