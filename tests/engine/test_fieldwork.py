"""The pre-count walk round trip: the package exported per small area, the filled registers and edited map files
read back into one edit of the demo township, and every unusable entry refusing the whole set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from openpyxl import load_workbook

from gis_census.cli import main
from gis_census.editing import EditError, apply_edit
from gis_census.errors import InputError
from gis_census.fieldwork import export_fieldwork, fieldwork_edit, read_fieldwork
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject
from gis_census.rules import building_name

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "370481102003"  # the town's smallest district: four small areas


@pytest.fixture(scope="module")
def numbered(tmp_path_factory) -> Path:
    """The demo township with its buildings numbered (as after `gis-census code`)."""
    path = tmp_path_factory.mktemp("fieldwork") / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    project = CensusProject.open(path)
    assign_codes(project)
    project.save()
    return path


@pytest.fixture(scope="module")
def package(numbered, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("package")
    return out, export_fieldwork(CensusProject.open(numbered), out, district=DISTRICT)


@pytest.fixture
def project_file(numbered, tmp_path) -> Path:
    """A copy of the numbered township this test may change."""
    return Path(shutil.copy(numbered, tmp_path / "p.gpkg"))


def _areas(project: CensusProject) -> list[str]:
    areas = project["small_areas"]
    return sorted(areas.loc[areas["district_code"] == DISTRICT, "code"])


def _of(project: CensusProject, code: str):
    buildings = project["buildings"]
    return buildings[buildings["small_area_code"] == code].sort_values("number")


# The package
# ---------------------------------------------------------------------------------------------


def test_export_writes_a_folder_per_small_area_named_by_its_code(numbered, package):
    out, written = package
    project = CensusProject.open(numbered)
    codes = _areas(project)
    assert sorted(p.name for p in out.iterdir()) == codes  # no staging folder left behind
    for code in codes:
        folder = out / code
        expected = {f"small_area_{code}.pdf", f"{code}.gpkg", f"{code}.geojson", f"{code}.kml", f"{code}_register.xlsx"}
        assert {p.name for p in folder.iterdir()} == expected
        assert {p for p in written if p.parent == folder} == {folder / name for name in expected}
        assert (folder / f"small_area_{code}.pdf").read_bytes()[:5] == b"%PDF-"


def test_register_has_a_row_per_building_codes_as_text_and_blank_walk_columns(numbered, package):
    out, _ = package
    project = CensusProject.open(numbered)
    code = _areas(project)[0]
    own = _of(project, code)
    book = load_workbook(out / code / f"{code}_register.xlsx")
    sheet = book[code]
    header = [c.value for c in sheet[1]]
    assert header == ["编号", "建筑物", "门牌地址", "户数", "人数", "单元数", "户主姓名", "摸底户数", "摸底人数", "新增/拆除", "备注"]
    assert sheet.max_row == len(own) + 1 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:K{len(own) + 1}"
    first = own.iloc[0]
    row = [c for c in sheet[2]]
    assert row[0].value == 1 and row[1].value == building_name(code, 1) and row[1].data_type == "s"
    assert [row[i].value for i in range(2, 6)] == [first["address"], first["households"], first["population"], first["units"]]
    assert all(c.value is None for c in row[6:])
    assert sum(sheet.cell(r, 5).value for r in range(2, sheet.max_row + 1)) == own["population"].sum()


def test_map_files_hold_the_boundary_and_the_numbered_buildings_in_wgs84(numbered, package):
    out, _ = package
    project = CensusProject.open(numbered)
    code = _areas(project)[1]
    own = _of(project, code)
    data = json.loads((out / code / f"{code}.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data  # RFC 7946: WGS 84 implied
    props = [f["properties"] for f in data["features"]]
    assert [p["kind"] for p in props] == ["boundary"] + ["building"] * len(own)
    assert [p["name"] for p in props[1:]] == [building_name(code, n) for n in own["number"]]
    assert [p["population"] for p in props[1:]] == own["population"].tolist()
    assert {p["status"] for p in props} == {""}
    lon, lat = data["features"][1]["geometry"]["coordinates"][0][0]
    assert 117 < lon < 118 and 34 < lat < 36
    gpkg = out / code / f"{code}.gpkg"
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["boundary", "buildings", "new_buildings"]
    buildings = gpd.read_file(gpkg, layer="buildings")
    assert buildings.crs.to_epsg() == 4326 and buildings["number"].tolist() == own["number"].tolist()
    assert len(gpd.read_file(gpkg, layer="new_buildings")) == 0
    kml = gpd.read_file(out / code / f"{code}.kml")
    assert len(kml) == len(own) + 1 and set(building_name(code, n) for n in own["number"]) <= set(kml["Name"])


def test_a_formula_in_an_address_is_written_as_text(project_file, tmp_path):
    project = CensusProject.open(project_file)
    code = _areas(project)[0]
    buildings = project["buildings"]
    first = _of(project, code).index[0]
    buildings.loc[first, "address"] = '=HYPERLINK("http://x","点击")'
    export_fieldwork(project, tmp_path / "out", small_area=code)
    cell = load_workbook(tmp_path / "out" / code / f"{code}_register.xlsx")[code]["C2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","点击")' and cell.quotePrefix


# Back from the walk
# ---------------------------------------------------------------------------------------------


def _fill_register(source: Path, target: Path, rows: dict[int, list[tuple]]) -> None:
    """Write the walk into a copy of a register: for building number n, one row per household (户数, 人数, status)."""
    book = load_workbook(source)
    sheet = book.active
    for number, households in rows.items():
        first, *more = households
        r = number + 1
        sheet.cell(r, 7, "张某")  # 户主姓名: the report must not print it
        sheet.cell(r, 8, first[0])
        sheet.cell(r, 9, first[1])
        if len(first) > 2:
            sheet.cell(r, 10, first[2])
        for hh, pop in more:
            sheet.append([number, None, None, None, None, None, "李某", hh, pop])
    book.save(target)


def _walk(package, project: CensusProject, tmp_path: Path) -> tuple[list[Path], dict]:
    """Two registers with counts changed, a GeoJSON with one building demolished and one added, a GeoPackage with a
    new point: the files an office gets back, and what they say."""
    out, _ = package
    a, b = _areas(project)[:2]
    reg_a, reg_b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _fill_register(out / a / f"{a}_register.xlsx", reg_a, {1: [(2, 3), (1, 4)], 2: [(1, 2)]})
    _fill_register(out / b / f"{b}_register.xlsx", reg_b, {1: [(1, 700)], 3: [(0, 0, "拆除")]})
    data = json.loads((out / a / f"{a}.geojson").read_text(encoding="utf-8"))
    data["features"][3]["properties"]["status"] = "拆除"  # building 3 of area a
    inside = shapely.Point(data["features"][5]["geometry"]["coordinates"][0][0])
    data["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [inside.x + 1e-5, inside.y + 1e-5]},
                             "properties": {"households": 2, "population": 5, "address": "新村路8号", "units": 1}})
    geojson = tmp_path / "a.geojson"
    geojson.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    gpkg = tmp_path / "b.gpkg"
    shutil.copy(out / b / f"{b}.gpkg", gpkg)
    boundary = gpd.read_file(gpkg, layer="boundary").geometry[0]
    point = gpd.GeoDataFrame({"status": ["新增"], "households": [1], "population": [3], "use": ["住宅"]},
                             geometry=[boundary.representative_point()], crs="EPSG:4326")
    pyogrio.write_dataframe(point, gpkg, layer="new_buildings", append=True)
    return [reg_a, reg_b, geojson, gpkg], {"a": a, "b": b}


def test_round_trip_corrects_counts_adds_and_demolishes_in_one_edit(package, project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    files, area = _walk(package, project, tmp_path)
    a, b = area["a"], area["b"]
    before_a, before_b = _of(project, a), _of(project, b)
    max_id = project["buildings"]["id"].max()
    assert main(["fieldwork", "import", str(project_file), *map(str, files)]) == 0
    report = capsys.readouterr().out
    after = CensusProject.open(project_file)
    new_a, new_b = _of(after, a), _of(after, b)
    # counts: the rows of a building add up and replace the recorded ones
    assert new_a.iloc[0][["households", "population"]].tolist() == [3, 7]
    assert new_a.iloc[0][["walk_households", "walk_population"]].tolist() == [3, 7]  # and are kept as the walk's
    assert new_a.iloc[1][["households", "population"]].tolist() == [1, 2]
    assert new_b.iloc[0][["households", "population"]].tolist() == [1, 700]
    # demolished: building 3 of each area, the others keep their numbers
    assert 3 not in set(new_a["number"]) and 3 not in set(new_b["number"])
    assert set(before_a["id"]) - set(new_a["id"]) == {before_a.iloc[2]["id"]}
    # new buildings: next ids, the area holding them, the next number there
    added = after["buildings"][after["buildings"]["id"] > max_id].sort_values("id")
    assert added["small_area_code"].tolist() == [a, b] and added["district_code"].tolist() == [DISTRICT] * 2
    assert added["number"].tolist() == [before_a["number"].max() + 1, before_b["number"].max() + 1]
    assert added["id"].tolist() == [max_id + 1, max_id + 2]
    assert added[["households", "population", "units"]].values.tolist() == [[2, 5, 1], [1, 3, 0]]
    assert added["address"].tolist() == ["新村路8号", ""] and added["use"].tolist() == ["residential", "residential"]
    # the small areas' figures are recounted from their buildings
    areas = after["small_areas"].set_index("code")
    for code, own in ((a, new_a), (b, new_b)):
        assert areas.loc[code, "population"] == own["population"].sum()
        assert areas.loc[code, "households"] == own["households"].sum()
    expected_b = before_b["population"].sum() - before_b.iloc[0]["population"] + 700 - before_b.iloc[2]["population"] + 3
    assert areas.loc[b, "population"] == expected_b
    # the report: figures before and after, the buildings' names, area b flagged (over 500 people); no names of people
    assert f"{b}  人口 {before_b['population'].sum()} → {expected_b}" in report
    assert building_name(a, before_a["number"].max() + 1) in report and building_name(a, 3) in report
    assert "人口超出上下限" in report.split(f"{b}  人口")[1] and "人口超出上下限" not in report.split(f"{b}  人口")[0]
    assert "张某" not in report and "李某" not in report


def test_report_is_data_in_either_language_and_the_edit_undoes(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    files, area = _walk(package, project, tmp_path)
    changes = read_fieldwork(project, files)
    assert changes.flagged() == [area["b"]]
    by_code = {c.code: c for c in changes.areas}
    assert set(by_code) == {area["a"], area["b"]} and by_code[area["b"]].flags == ("population_out_of_range",)
    assert len(by_code[area["a"]].added) == 1 and len(by_code[area["a"]].removed) == 1
    assert "Walk changes" in changes.text("en") and "摸底变更" in changes.text("zh")
    before = {name: project[name].copy() for name in ("buildings", "small_areas")}
    edit = fieldwork_edit(project, changes)
    assert project["buildings"].equals(before["buildings"])  # making the edit changes nothing
    apply_edit(project, edit)
    assert len(project["buildings"]) == len(before["buildings"])  # two demolished, two added
    apply_edit(project, edit.inverse())
    for name, frame in before.items():
        assert project[name].drop(columns="geometry").equals(frame.drop(columns="geometry"))


def test_dry_run_prints_the_report_and_writes_nothing(package, project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    files, _ = _walk(package, project, tmp_path)
    bytes_before = project_file.read_bytes()
    assert main(["fieldwork", "import", str(project_file), *map(str, files), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "摸底变更" in out and "试运行" in out
    assert project_file.read_bytes() == bytes_before


def test_a_malformed_register_refuses_the_whole_set_naming_file_sheet_row_and_column(package, project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    files, area = _walk(package, project, tmp_path)
    bad = tmp_path / "bad.xlsx"
    book = load_workbook(files[0])
    sheet = book.active
    sheet["I3"] = "十二"  # text in 摸底人数 of building 2
    sheet.append([999, None, None, None, None, None, "王某", 1, 2])  # no building 999
    book.save(bad)
    bytes_before = project_file.read_bytes()
    assert main(["fieldwork", "import", str(project_file), str(bad), *map(str, files[1:])]) == 2
    err = capsys.readouterr().err
    assert "2 处无法使用" in err and "项目未作任何修改" in err
    assert f"文件 bad.xlsx：工作表 {area['a']}，第 3 行，「摸底人数」列：“十二” 不是非负整数" in err
    last = sheet.max_row
    assert f"文件 bad.xlsx：工作表 {area['a']}，第 {last} 行，「编号」列：普查小区 {area['a']} 没有编号为 999 的建筑物" in err
    assert project_file.read_bytes() == bytes_before
    with pytest.raises(InputError) as refused:
        read_fieldwork(project, [bad])
    assert "sheet" in refused.value.message("en") and len(refused.value.findings) == 2


def test_a_new_building_outside_every_district_and_a_bad_map_count_are_refused(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    out, _ = package
    a = _areas(project)[0]
    data = json.loads((out / a / f"{a}.geojson").read_text(encoding="utf-8"))
    data["features"][2]["properties"]["households"] = "很多"
    data["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [100.0, 30.0]},
                             "properties": {"status": "新增", "population": 3}})
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_fieldwork(project, [path])
    lines = refused.value.message("zh").splitlines()
    assert f"文件 a.geojson，图层 {a}，要素 3，字段 households：“很多” 不是非负整数" in lines[1]
    assert lines[2].endswith("新建筑物不在任何普查区内") and f"要素 {len(data['features'])}" in lines[2]


def test_cli_export_names_what_it_wrote(numbered, tmp_path, capsys):
    project = CensusProject.open(numbered)
    code = _areas(project)[2]
    assert main(["fieldwork", "export", str(numbered), "--out", str(tmp_path / "o"), "--small-area", code]) == 0
    assert f"已导出 1 个普查小区的摸底材料到 {tmp_path / 'o'}" in capsys.readouterr().out
    assert main(["fieldwork", "export", str(numbered), "--out", str(tmp_path / "o"), "--small-area", "370481102999001"]) == 2
    assert "没有可导出的普查小区：370481102999001" in capsys.readouterr().err


def test_kml_comes_back_too_and_a_bare_outline_is_not_a_new_building(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    out, _ = package
    code = _areas(project)[1]
    kml = (out / code / f"{code}.kml").read_text(encoding="utf-8")
    at = kml.index(f"<name>{building_name(code, 2)}</name>")
    blank = '<SimpleData name="status"></SimpleData>'
    done = kml.index(blank, at)
    kml = kml[:done] + '<SimpleData name="status">拆除</SimpleData>' + kml[done + len(blank):]
    kml = kml.replace('<SimpleData name="kind">boundary</SimpleData>', "")  # an app that keeps only the names
    path = tmp_path / "walked.kml"
    path.write_text(kml, encoding="utf-8")
    changes = read_fieldwork(project, [path])
    assert changes.added.empty and not changes.updates
    assert [(a.code, a.removed) for a in changes.areas] == [(code, (building_name(code, 2),))]


def test_the_same_register_twice_is_refused_once_rather_than_counted_twice(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    files, area = _walk(package, project, tmp_path)
    again = Path(shutil.copy(files[0], tmp_path / "again.xlsx"))
    with pytest.raises(InputError) as refused:
        read_fieldwork(project, [files[0], again])
    assert [f.key for f in refused.value.findings] == ["fieldwork_register_twice"]
    assert f"普查小区 {area['a']} 的底册已在 a.xlsx 中读入" in refused.value.message("zh")


def test_missing_and_foreign_files_are_named_and_a_stale_edit_refused(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_fieldwork(project, [tmp_path / "gone.xlsx", notes])
    assert refused.value.message("zh").splitlines()[1:] == [
        "  - 文件 gone.xlsx：文件不存在", "  - 文件 notes.txt：不是摸底文件（应为 .xlsx、.geojson、.json、.gpkg 或 .kml）"]
    files, _ = _walk(package, project, tmp_path)
    changes = read_fieldwork(project, files)
    apply_edit(project, fieldwork_edit(project, changes))
    with pytest.raises(EditError):
        fieldwork_edit(project, changes)  # its new buildings' ids are taken now


def test_a_map_file_corrects_a_building_and_the_register_walk_counts_win(package, project_file, tmp_path):
    project = CensusProject.open(project_file)
    out, _ = package
    code = _areas(project)[0]
    data = json.loads((out / code / f"{code}.geojson").read_text(encoding="utf-8"))
    data["features"][1]["properties"].update(households=9, units=2, use="住宅")  # building 1
    data["features"][2]["properties"].update(population=50)  # building 2, counted again in the register
    path = tmp_path / "m.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    register = tmp_path / "r.xlsx"
    _fill_register(out / code / f"{code}_register.xlsx", register, {2: [(1, 4)]})
    changes = read_fieldwork(project, [path, register])
    one, two = (int(_of(project, code).iloc[k]["id"]) for k in (0, 1))
    assert changes.updates[one] == {"households": 9, "units": 2, "use": "residential"}
    assert changes.updates[two]["population"] == 4


def test_a_map_file_imported_again_does_not_add_its_new_buildings_twice(package, project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    files, _ = _walk(package, project, tmp_path)
    geojson = files[2]
    assert main(["fieldwork", "import", str(project_file), str(geojson)]) == 0
    once = CensusProject.open(project_file)
    capsys.readouterr()
    assert main(["fieldwork", "import", str(project_file), str(geojson)]) == 2
    message = capsys.readouterr().err
    added = once["buildings"].sort_values("id").iloc[-1]
    assert building_name(added["small_area_code"], added["number"]) in message and geojson.name in message
    assert len(CensusProject.open(project_file)["buildings"]) == len(once["buildings"])
