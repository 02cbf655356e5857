"""import-areas refuses bad input, an existing project is never harmed, and refusals read well in English."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from frames import PROJECT_CRS, village_frame
from gis_census.i18n import set_language
from gis_census.project import CensusProject
from refusals import (
    CJK,
    NAMES,
    Case,
    assert_ok,
    assert_refused,
    assert_words_of,
    bow_tie,
    buildings_with,
    good_villages,
    run,
    villages_with,
    write_gpkg,
    write_shp,
)

# ---------------------------------------------------------------------------------------------
# An existing project is never harmed
# ---------------------------------------------------------------------------------------------


def test_existing_project_is_not_overwritten(project_file, inputs, capsys):
    before = project_file.read_bytes()
    result = run(capsys, "new", project_file, "--villages", inputs["villages"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "p.gpkg" in result.err and "--overwrite" in result.err
    assert_words_of("project_exists", result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


def test_refused_input_with_overwrite_leaves_existing_project(project_file, tmp_path, capsys):
    before = project_file.read_bytes()
    villages = write_shp(tmp_path / "inputs", villages_with(DM={1: "37048110200"}), "bad")
    result = run(capsys, "new", project_file, "--villages", villages, "--overwrite")
    assert result.rc == 2 and "Traceback" not in result.text
    assert "bad.shp" in result.err and "37048110200" in result.err
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


# ---------------------------------------------------------------------------------------------
# import-areas
# ---------------------------------------------------------------------------------------------


def _areas(**changes) -> gpd.GeoDataFrame:
    """Small areas, one per village, coded village code + "001" (15 digits)."""
    v = village_frame()
    a = v.assign(DM=v["DM"] + "001")
    for column, rows in changes.items():
        for row, value in rows.items():
            a.loc[row, column] = value
    return a


def _text(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


AREA_CASES = [
    Case("code_12_digits", lambda d: [write_gpkg(d, _areas(DM={1: "370481102002"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #2", "字段 DM", "370481102002", "15 位数字"], "code_malformed"),
    Case("code_duplicate", lambda d: [write_gpkg(d, _areas(DM={1: "370481102001001"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #1, #2", "字段 DM", "370481102001001"], "code_duplicate"),
    Case("district_unknown", lambda d: [write_gpkg(d, _areas(DM={1: "370481102999001"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #2 (370481102999001)", "字段 DM", "370481102999"], "district_unknown"),
    Case("invalid_geometry", lambda d: [write_gpkg(d, _areas(geometry={2: bow_tie(2)}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #3 (370481102201001)", "Self-intersection", "--repair"],
         "geometry_invalid"),
    Case("code_field_given_not_there",
         lambda d: [write_gpkg(d, _areas(), "areas.gpkg", "small_areas"), "--code-field", "XQDM"],
         ["areas.gpkg", "图层 small_areas", "XQDM", "DM, MC"], "field_not_found"),
    Case("not_a_gis_file", lambda d: [_text(d / "areas.gpkg", "not a GIS file\n")], ["areas.gpkg"], "not_gis_file"),
    Case("missing_file", lambda d: [d / "nope.gpkg"], ["nope.gpkg", "普查小区"], "input_missing"),
    Case("no_crs", lambda d: [write_shp(d, _areas(), "areas", prj=False)], ["areas.shp", "图层 areas", "--assume-crs"],
         "missing_crs"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=c.marks) for c in AREA_CASES])
def test_import_areas_refuses_bad_input(case, project_file, tmp_path, capsys):
    folder = tmp_path / "areas"
    folder.mkdir()
    before = project_file.read_bytes()
    small_areas, *extra = case.build(folder)
    result = run(capsys, "import-areas", project_file, "--small-areas", small_areas, *extra)
    assert "Traceback" not in result.text
    assert result.rc == 2, result.text
    assert result.err.startswith("错误：")
    for fragment in case.fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"
    assert_words_of(case.key, result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


def test_import_areas_needs_replace_when_project_has_areas(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(), "areas.gpkg", "small_areas")
    assert_ok(run(capsys, "import-areas", project_file, "--small-areas", areas))
    before = project_file.read_bytes()
    result = run(capsys, "import-areas", project_file, "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "--replace" in result.err and "4" in result.err
    assert_words_of("small_areas_exist", result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]
    assert_ok(run(capsys, "import-areas", project_file, "--small-areas", areas, "--replace"))


def test_import_areas_repair_fixes_bow_tie(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(geometry={2: bow_tie(2)}), "areas.gpkg", "small_areas", crs=PROJECT_CRS)
    result = run(capsys, "import-areas", project_file, "--small-areas", areas, "--repair")
    assert_ok(result)
    assert "已修复" in result.out and "#3 (370481102201001)" in result.out
    assert len(CensusProject.open(project_file)["small_areas"]) == 4


def test_import_areas_into_missing_project(tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(), "areas.gpkg", "small_areas")
    result = run(capsys, "import-areas", tmp_path / "nope.gpkg", "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "nope.gpkg" in result.err
    assert_words_of("project_missing", result.err)
    assert not (tmp_path / "nope.gpkg").exists()


# ---------------------------------------------------------------------------------------------


# English
# ---------------------------------------------------------------------------------------------


def _headline(err: str) -> str:
    return err.splitlines()[0]


def test_english_missing_crs(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame(), prj=False)
    result = run(capsys, "--lang", "en", "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.shp", "Layer villages", "--assume-crs"], "missing_crs", lang="en")
    assert not CJK.search(result.err)


def test_english_negative_population_names_file_layer_feature_field(folders, capsys):
    folder, out = folders
    buildings = write_gpkg(folder, buildings_with(RK={2: -3}), "buildings.gpkg", "buildings")
    result = run(capsys, "--lang", "en", "new", out, "--villages", good_villages(folder), "--buildings", buildings)
    assert_refused(result, out, ["file buildings.gpkg", "layer buildings", "feature #3 (人民路3号)", "field RK",
                                 "value -3 is negative"], "input_refused", lang="en")
    assert not CJK.search(_headline(result.err))
    # Only the data (the address) is Chinese; every word of the message is English.
    assert not CJK.search(result.err.replace("人民路3号", ""))


def test_english_duplicate_code_and_bow_tie_together(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, villages_with(DM={2: "370481102001"}, geometry={3: bow_tie(3)}))
    result = run(capsys, "--lang", "en", "new", out, "--villages", villages)
    assert_refused(result, out, ["The input has 2 problem(s)", "file villages.shp", "layer villages", "feature #0, #2",
                                 "field DM", f"feature #3 ({NAMES[3]})", "invalid geometry", "--repair"],
                   "code_duplicate", lang="en")
    assert not CJK.search(_headline(result.err))


def test_english_import_areas(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(DM={1: "370481102999001"}), "areas.gpkg", "small_areas")
    before = project_file.read_bytes()
    result = run(capsys, "--lang", "en", "import-areas", project_file, "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert result.err.startswith("Error: ") and not CJK.search(result.err)
    for fragment in ("file areas.gpkg", "layer small_areas", "feature #2 (370481102999001)", "field DM",
                     "no district 370481102999"):
        assert fragment in result.err, result.err
    assert project_file.read_bytes() == before


def test_english_from_environment(folders, capsys, monkeypatch):
    folder, out = folders
    set_language(None)  # follow the environment, as the command line does without --lang
    monkeypatch.setenv("GIS_CENSUS_LANG", "en")
    result = run(capsys, "new", out, "--villages", folder / "nope.shp")
    assert_refused(result, out, ["nope.shp", "villages"], "input_missing", lang="en")


# ---------------------------------------------------------------------------------------------
# info
# ---------------------------------------------------------------------------------------------


def test_info_on_missing_file(tmp_path, capsys):
    result = run(capsys, "info", tmp_path / "nope.gpkg")
    assert result.rc == 2 and "Traceback" not in result.text
    assert "nope.gpkg" in result.err
    assert_words_of("project_missing", result.err)


def test_info_on_geopackage_that_is_not_a_project(inputs, capsys):
    result = run(capsys, "info", inputs["buildings"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "buildings.gpkg" in result.err and "census_meta" in result.err
    assert_words_of("not_a_project", result.err)


def test_info_on_text_file(tmp_path, capsys):
    path = tmp_path / "notes.gpkg"
    path.write_text("not a project\n")
    result = run(capsys, "info", path)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "notes.gpkg" in result.err
    assert_words_of("project_unreadable", result.err)


def test_info_on_shapefile(inputs, capsys):
    result = run(capsys, "--lang", "en", "info", inputs["villages"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "villages.shp" in result.err and not CJK.search(result.err)


# ---------------------------------------------------------------------------------------------
