"""County and township names: given to `new` or `set`, kept in the project, printed in titles, lists and the report."""

from __future__ import annotations

import subprocess

import openpyxl
import pyogrio
import pytest

from frames import village_frame
from gis_census.checks import check_project
from gis_census.checks.report import write_report
from gis_census.project import CensusProject
from refusals import run

SA = "370481102001001"  # the first small area of 东关社区居委会 once divided and coded


def _new(capsys, inputs, out, *extra):
    result = run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", inputs["buildings"], *extra)
    assert result.rc == 0, result.err
    return result


def _divided(capsys, out):
    assert run(capsys, "divide", out).rc == 0
    assert run(capsys, "code", out).rc == 0


def _title(capsys, out, folder) -> str:
    """The first line of the small-area map SA, read back from the PDF."""
    assert run(capsys, "maps", out, "--out", folder, "--small-area", SA).rc == 0
    text = subprocess.run(["pdftotext", str(folder / f"small_area_{SA}.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return next(line for line in text.splitlines() if "普查小区" in line)


def test_names_are_kept_and_survive_save_and_open(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    result = _new(capsys, inputs, out, "--county-name", "滕州市", "--township-name", "白坡镇")
    assert "--township-name" not in result.out  # no notice: the name is there
    meta = CensusProject.open(out).meta
    assert (meta.county_code, meta.county_name, meta.township_name) == ("370481", "滕州市", "白坡镇")
    info = run(capsys, "info", out)
    assert "滕州市（370481）" in info.out


@pytest.mark.parametrize("code, words", [("37048", "应为 6 位数字"), ("3704x1", "应为 6 位数字"),
                                         ("370482", "与乡镇代码 370481102 的前 6 位不符")])
def test_bad_county_code_is_refused(inputs, tmp_path, capsys, code, words):
    out = tmp_path / "p.gpkg"
    result = run(capsys, "new", out, "--villages", inputs["villages"], "--county-code", code)
    assert result.rc == 2 and words in result.err and code in result.err and "Traceback" not in result.err
    assert not out.exists()


def test_missing_township_name_is_a_notice_and_titles_leave_it_out(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    result = _new(capsys, inputs, out)
    notice = next(line for line in result.out.splitlines() if "乡镇（街道）名称" in line)
    assert "gis-census set" in notice and "--township-name" in notice
    _divided(capsys, out)
    title = _title(capsys, out, tmp_path / "maps")
    assert title.strip() == "东关社区居委会第001普查小区"


def test_set_names_later_and_titles_carry_them(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    _new(capsys, inputs, out)
    _divided(capsys, out)
    result = run(capsys, "set", out, "--county-name", "滕州市", "--township-name", "白坡镇")
    assert result.rc == 0 and "滕州市" in result.out and "白坡镇" in result.out
    meta = CensusProject.open(out).meta
    assert (meta.county_name, meta.township_name, meta.county_code) == ("滕州市", "白坡镇", "370481")
    assert _title(capsys, out, tmp_path / "maps").strip() == "滕州市白坡镇东关社区居委会第001普查小区"
    assert run(capsys, "set", out).rc == 2
    assert run(capsys, "set", out, "--county-code", "12").rc == 2


def test_village_name_that_begins_with_the_township_is_not_doubled(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    villages = village_frame()
    villages["MC"] = "白坡镇" + villages["MC"]
    villages.to_file(folder / "v.gpkg", engine="pyogrio")
    from frames import building_frame

    building_frame().to_file(folder / "b.gpkg", engine="pyogrio")
    out = tmp_path / "p.gpkg"
    assert run(capsys, "new", out, "--villages", folder / "v.gpkg", "--buildings", folder / "b.gpkg",
               "--township-name", "白坡镇", "--county-name", "滕州市").rc == 0
    _divided(capsys, out)
    assert _title(capsys, out, tmp_path / "maps").strip() == "滕州市白坡镇东关社区居委会第001普查小区"
    run(capsys, "set", out, "--township-name", "Leicester", "--county-name", "")
    project = CensusProject.open(out)
    project.layers["villages"]["name"] = "Leicester 00" + project["villages"]["code"].str[-1]
    project.save()
    assert run(capsys, "maps", out, "--lang", "en", "--out", tmp_path / "en", "--small-area", SA).rc == 0
    text = subprocess.run(["pdftotext", str(tmp_path / "en" / f"small_area_{SA}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Leicester 001 small area 001" in text and "LeicesterLeicester" not in text and "Leicester Leicester" not in text


def test_lists_and_report_carry_the_county(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    _new(capsys, inputs, out, "--county-name", "滕州市", "--township-name", "白坡镇")
    _divided(capsys, out)
    assert run(capsys, "lists", out, "--out", tmp_path / "名单.xlsx").rc == 0
    sheet = openpyxl.load_workbook(tmp_path / "名单.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["县级代码", "县（市、区）名称", "乡镇（街道）代码", "乡镇（街道）名称"]
    body = [r for r in rows[1:] if r[5]]  # the totals row has no village code
    assert len(body) == 4 and {r[:4] for r in body} == {("370481", "滕州市", "370481102", "白坡镇")}
    project = CensusProject.open(out)
    html = write_report(project, check_project(project), tmp_path / "r.html", lang="zh").read_text(encoding="utf-8")
    assert "<h1>普查区划分检查报告 — 滕州市白坡镇（370481102）</h1>" in html


def test_old_project_without_county_opens_with_empty_names(project_file):
    meta = pyogrio.read_dataframe(project_file, layer="census_meta", read_geometry=False)
    old = meta[~meta["key"].str.startswith("county_")]
    assert len(old) == len(meta) - 2
    pyogrio.write_dataframe(old, project_file, layer="census_meta", driver="GPKG")
    opened = CensusProject.open(project_file).meta
    assert (opened.county_code, opened.county_name) == ("", "")
