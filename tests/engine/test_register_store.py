"""The household register in the project file: person and household tables read (xlsx, GBK csv), stored by
kind with their matches, malformed tables refused by sheet, row and column, counts by kind and the count that
balances the division, the split per small area, clear — and no personal name in any map, list or report."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import xlsxwriter
from openpyxl import load_workbook

from gis_census.checks import check_project
from gis_census.cli import main
from gis_census.divide import divide_and_number
from gis_census.editing import apply_edit, set_building_fields
from gis_census.errors import InputError
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject
from gis_census.register import read_register_table, register_counts, set_balance, settle_address
from gis_census.rules import BALANCE_COUNTS

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "370481102003"  # the town's smallest district
SURNAMES = "欧阳司马上官诸葛东方皇甫"
NOWHERE = "江苏省南京市玄武区中山路999号"  # outside the township: never placed


@pytest.fixture(scope="module")
def numbered(tmp_path_factory) -> Path:
    """The demo township with its buildings numbered (as after `gis-census code`)."""
    path = tmp_path_factory.mktemp("register") / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    project = CensusProject.open(path)
    assign_codes(project)
    project.save()
    return path


@pytest.fixture
def project_file(numbered, tmp_path) -> Path:
    return Path(shutil.copy(numbered, tmp_path / "p.gpkg"))


def _homes(path: Path, n: int = 12) -> list[tuple[int, str, str]]:
    """(id, address, small area) of `n` residential buildings of DISTRICT, each address held by one building."""
    b = CensusProject.open(path)["buildings"]
    b = b[(b["district_code"] == DISTRICT) & (b["address"] != "")]
    b = b[~b["address"].duplicated(keep=False)]
    step = max(len(b) // n, 1)
    return [(int(i), a, s) for i, a, s in zip(b["id"], b["address"], b["small_area_code"])][::step][:n]


def _people(homes) -> list[dict]:
    """Two households a home (3 and 2 persons), names no map or list could hold by chance, then 2 rows from
    outside the township."""
    rows = []
    for h, (_, address, _) in enumerate(homes):
        for k, size in enumerate((3, 2)):
            for p in range(size):
                rows.append({"户号": f"H{h:03d}{k}", "姓名": f"{SURNAMES[(h + p) % 8 // 2 * 2:][:2]}{'甲乙丙丁'[p]}{h:02d}{k}",
                             "与户主关系": "户主" if p == 0 else "子", "性别": "男",
                             "公民身份号码": f"37048119800101{h:02d}{k}{p}X", "住址": address})
    rows += [{"户号": "OUT1", "姓名": "外地甲", "与户主关系": "户主", "性别": "女", "公民身份号码": "320102199001011234",
              "住址": NOWHERE}] * 2
    return rows


def _xlsx(path: Path, rows: list[dict], title: str = "户籍人口核对数据资料表", sheet: str = "南关") -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        ws = book.add_worksheet(sheet)
        ws.write_string(0, 0, title)  # the police's title row above the header
        for c, key in enumerate(rows[0]):
            ws.write_string(1, c, key)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row.values()):
                ws.write(r, c, value) if not isinstance(value, str) else ws.write_string(r, c, value)
    return path


def _csv(path: Path, rows: list[dict], encoding: str = "gbk") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _households(homes) -> list[dict]:
    return [{"户主姓名": f"暂住户主{h:02d}", "住址": a, "户数": 1, "人数": 4 + h % 3} for h, (_, a, _) in enumerate(homes)]


def test_a_person_table_is_stored_with_its_matches_and_counted_by_building(project_file, tmp_path):
    homes = _homes(project_file)
    book = _xlsx(tmp_path / "户籍.xlsx", _people(homes))
    assert main(["register", "import", str(project_file), str(book)]) == 0
    project = CensusProject.open(project_file)
    rows = project["register"]
    assert len(rows) == 5 * len(homes) + 2 and set(rows["per"]) == {"person"} and set(rows["kind"]) == {"户籍"}
    assert list(rows["row"][:2]) == [3, 4] and set(rows["sheet"]) == {"南关"}
    assert (rows.loc[rows["address"] == NOWHERE, "status"] == "unmatched").all()
    placed = rows[rows["address"] != NOWHERE]
    assert (placed["status"] == "matched").all()
    assert set(placed["building_id"]) == {i for i, _, _ in homes}
    counts = register_counts(project).loc[[i for i, _, _ in homes]]
    assert (counts["registered_persons"] == 5).all() and (counts["registered_households"] == 2).all()
    assert (counts[["temporary_persons", "foreign_persons"]] == 0).all().all()
    assert project.meta.balance_count == "recorded"  # the register alone changes no count that balances


def test_a_household_table_in_gbk_csv_is_a_kind_of_its_own_and_a_reimport_replaces_only_its_kind(project_file, tmp_path):
    homes = _homes(project_file)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", _people(homes)))])
    table = _csv(tmp_path / "暂住.csv", _households(homes))
    assert main(["register", "import", str(project_file), str(table), "--kind", "暂住"]) == 0
    project = CensusProject.open(project_file)
    rows = project["register"]
    temporary = rows[rows["kind"] == "暂住"]
    assert len(temporary) == len(homes) and set(temporary["per"]) == {"household"}
    assert temporary["head"].iloc[0] == "暂住户主00"  # GBK decoded
    counts = register_counts(project).loc[[i for i, _, _ in homes]]
    assert list(counts["temporary_persons"]) == [4 + h % 3 for h in range(len(homes))]
    assert (counts["temporary_households"] == 1).all() and (counts["registered_persons"] == 5).all()
    assert list(counts["persons"]) == [5 + 4 + h % 3 for h in range(len(homes))]
    # the same kind again, fewer rows: that kind's rows replaced, the other kept
    _csv(table, _households(homes[:3]), encoding="utf-8-sig")
    assert main(["register", "import", str(project_file), str(table), "--kind", "暂住"]) == 0
    rows = CensusProject.open(project_file)["register"]
    assert (rows["kind"] == "暂住").sum() == 3 and (rows["kind"] == "户籍").sum() == 5 * len(homes) + 2


@pytest.mark.parametrize("fault", ["bad_count", "id_as_number", "no_address", "blank_name"])
def test_a_malformed_table_is_refused_naming_sheet_row_and_column_and_the_project_is_unchanged(
        fault, project_file, tmp_path, capsys):
    homes = _homes(project_file, 3)
    rows = _people(homes)
    if fault == "bad_count":
        rows = _households(homes)
        rows[1]["人数"] = "四"
        path, where = _csv(tmp_path / "暂住.csv", rows), "工作表 暂住.csv，第 3 行，「人数」列"
    elif fault == "id_as_number":
        rows[4]["公民身份号码"] = 370481198001011234
        path, where = _xlsx(tmp_path / "户籍.xlsx", rows), "工作表 南关，第 7 行，「公民身份号码」列"
    elif fault == "no_address":
        rows = [{("门牌号码" if k == "住址" else k): v for k, v in row.items()} for row in rows]
        path, where = _xlsx(tmp_path / "户籍.xlsx", rows), "工作表 南关，第 1 行"
    else:
        rows[2]["姓名"] = " "
        path, where = _csv(tmp_path / "户籍.csv", rows, "utf-8"), "工作表 户籍.csv，第 4 行，「姓名」列"
    before = project_file.read_bytes()
    assert main(["register", "import", str(project_file), str(path)]) == 2
    err = capsys.readouterr().err
    assert f"文件 {path.name}" in err and where in err, err
    assert project_file.read_bytes() == before


def test_a_given_address_column_and_the_per_flag_read_a_table_the_names_do_not_fit(project_file, tmp_path):
    rows = [{"门牌号码": a, "口数": 3} for _, a, _ in _homes(project_file, 3)]
    path = _csv(tmp_path / "t.csv", rows, "utf-8")
    with pytest.raises(InputError):
        read_register_table(path)
    with pytest.raises(InputError) as refused:
        read_register_table(_csv(tmp_path / "empty.csv", [{"姓名": "", "住址": ""}], "utf-8"))
    assert "表头下没有任何记录" in refused.value.message("zh")
    table = read_register_table(path, fields={"address": "门牌号码", "persons": "口数"}, per="household")
    assert list(table["persons"]) == [3, 3, 3] and list(table["households"]) == [1, 1, 1]


def test_the_balance_setting_sets_the_counts_divide_and_check_use(project_file, tmp_path):
    homes = _homes(project_file)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", _people(homes)))])
    project = CensusProject.open(project_file)
    recorded = project["buildings"].set_index("id")[["population", "households"]]
    outside = project["buildings"].loc[project["buildings"]["district_code"] != DISTRICT, "id"]
    set_balance(project, "register")
    b, counts = project["buildings"], register_counts(project)
    assert (b["population"].to_numpy() == counts["persons"].to_numpy()).all()
    assert (b["households"].to_numpy() == counts["households"].to_numpy()).all()
    assert not [p for p in check_project(project) if p.kind == "population_mismatch"]  # the areas were recounted
    home = homes[0][0]
    apply_edit(project, set_building_fields(project, home, {"population": 40}))  # the office's count, kept aside
    row = project["buildings"].set_index("id").loc[home]
    assert (row["recorded_population"], row["population"]) == (40, 5)
    apply_edit(project, set_building_fields(project, home, {"population": int(recorded.loc[home, "population"])}))
    set_balance(project, "largest")
    b = project["buildings"]
    assert (b["population"].to_numpy() == np.maximum(recorded["population"].to_numpy(), counts["persons"].to_numpy())).all()
    in_district = b.loc[b["district_code"] == DISTRICT, "population"].sum()
    divide_and_number(project, [DISTRICT])  # divide balances on what population holds
    areas = project["small_areas"]
    assert areas.loc[areas["district_code"] == DISTRICT, "population"].sum() == in_district
    project.save()
    assert main(["set", str(project_file), "--balance-count", "recorded"]) == 0
    again = CensusProject.open(project_file)
    assert again.meta.balance_count == "recorded"  # the recorded counts back (a block divided between its stairwells shares them)
    after = again["buildings"].set_index("id")[["population", "households"]]
    assert (after.sum() == recorded.sum()).all()
    assert after.loc[outside].equals(recorded.loc[outside])


def test_a_settled_address_places_its_rows_and_is_applied_first_on_the_next_import(project_file, tmp_path):
    homes = _homes(project_file, 3)
    book = _xlsx(tmp_path / "户籍.xlsx", _people(homes))
    main(["register", "import", str(project_file), str(book)])
    project = CensusProject.open(project_file)
    assert settle_address(project, NOWHERE, homes[0][0]) == 2
    project.save()
    main(["register", "import", str(project_file), str(book)])
    rows = CensusProject.open(project_file)["register"]
    assert (rows.loc[rows["address"] == NOWHERE, "building_id"] == homes[0][0]).all()
    assert (rows["status"] == "matched").all()


def _cells(path: Path) -> list[list]:
    return [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]


def test_the_split_puts_every_placed_row_in_one_small_area_workbook_in_number_order(project_file, tmp_path, capsys):
    homes = _homes(project_file)
    b = CensusProject.open(project_file)["buildings"]
    door = b["address"].str.extract(r"^(.+?\d+号)院\d+号$")[0].dropna().iloc[0]  # a compound: 12号院1号, 12号院2号, …
    twins = b[b["address"].str.startswith(door[:-1] + "号院")]
    assert len(twins) > 1
    shared = {"户号": "TWIN", "姓名": "双址甲", "与户主关系": "户主", "性别": "男", "公民身份号码": "370481198001019999",
              "住址": door}  # the compound's door alone: any house behind it
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", _people(homes) + [shared]))])
    out = tmp_path / "split"
    assert main(["register", "split", str(project_file), "--out", str(out)]) == 0
    project = CensusProject.open(project_file)
    number = dict(zip(project["buildings"]["id"], project["buildings"]["number"]))
    areas = sorted({s for _, _, s in homes})
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{a}_户籍资料_含个人信息.xlsx" for a in areas] + ["未落位_户籍资料_含个人信息.xlsx"])
    seen: list[str] = []
    for area in areas:
        cells = _cells(out / f"{area}_户籍资料_含个人信息.xlsx")
        assert "个人信息" in cells[0][0] and area in cells[1][0] and "普查小区" in cells[1][0]
        assert cells[2][:3] == ["建筑物编号", "建筑物", "类别"]
        numbers = [r[0] for r in cells[3:]]
        assert numbers == sorted(numbers)
        assert {r[1] for r in cells[3:]} == {f"{area}-{number[i]:03d}" for i, _, s in homes if s == area}
        seen += [r[5] for r in cells[3:]]
    placed = [r["姓名"] for r in _people(homes) if r["住址"] != NOWHERE]
    assert sorted(seen) == sorted(placed)  # every placed row once
    unplaced = _cells(out / "未落位_户籍资料_含个人信息.xlsx")
    assert sorted(r[2] for r in unplaced[3:]) == sorted([NOWHERE, NOWHERE, shared["住址"]]) and unplaced[2][4] == "候选建筑物"
    twin = next(r for r in unplaced[3:] if r[2] == shared["住址"])
    assert twin[3] == "ambiguous" and set(twin[4].split("、")) == {
        f"{a}-{n:03d}" for a, n in zip(twins["small_area_code"], twins["number"])} and "双址甲" in twin


def test_the_walk_package_carries_its_small_areas_register_rows_when_asked(project_file, tmp_path, capsys):
    homes = _homes(project_file)
    people = _people(homes)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", people))])
    area = homes[0][2]
    plain, carried = tmp_path / "plain", tmp_path / "carried"
    assert main(["fieldwork", "export", str(project_file), "--out", str(plain), "--small-area", area]) == 0
    assert not [p for p in plain.rglob("*") if "户籍资料" in p.name]  # personal data only when asked for
    capsys.readouterr()
    assert main(["fieldwork", "export", str(project_file), "--out", str(carried), "--small-area", area, "--with-register"]) == 0
    assert "个人信息" in capsys.readouterr().out
    book = carried / area / f"{area}_户籍资料_含个人信息.xlsx"
    assert sorted(p.name for p in carried.rglob("*户籍资料*")) == [book.name]  # its own area's only, no unplaced rows
    names = {r[5] for r in _cells(book)[3:]}
    homes_here = {a for _, a, s in homes if s == area}
    assert names == {r["姓名"] for r in people if r["住址"] in homes_here}


def test_the_split_without_names_holds_counts_and_no_name_or_id_number(project_file, tmp_path):
    homes = _homes(project_file)
    people = _people(homes)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", people))])
    out = tmp_path / "counts"
    assert main(["register", "split", str(project_file), "--out", str(out), "--no-names"]) == 0
    files = sorted(out.iterdir())
    assert files and all("含个人信息" not in p.name for p in files)
    text = "\n".join(str(v) for p in files for row in _cells(p) for v in row)
    assert not [r for r in people if r["姓名"] in text or r["公民身份号码"] in text]
    cells = _cells(out / f"{homes[0][2]}_户籍资料_户数人数.xlsx")
    row = next(r for r in cells if r[1] and r[1].endswith(f"-{_number(project_file, homes[0][0]):03d}"))
    assert row[3:5] == [2, 5]  # 户籍户数, 户籍人数


def _number(path: Path, building: int) -> int:
    b = CensusProject.open(path)["buildings"]
    return int(b.loc[b["id"] == building, "number"].iloc[0])


def test_no_personal_name_reaches_a_map_a_list_or_the_report(project_file, tmp_path):
    homes = _homes(project_file)
    people = _people(homes)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", people))])
    main(["set", str(project_file), "--balance-count", "register"])
    out = tmp_path / "out"
    area = homes[0][2]
    assert main(["maps", str(project_file), "--out", str(out), "--small-area", area]) == 0
    assert main(["maps", str(project_file), "--out", str(out), "--kind", "district", "--district", DISTRICT]) == 0
    assert main(["lists", str(project_file), "--out", str(out / "名单.xlsx")]) == 0
    main(["check", str(project_file), "--report", str(out / "report.html")])
    texts = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
             for p in out.glob("*.pdf")]
    assert len(texts) == 2 and area in texts[0] + texts[1]
    texts.append("\n".join(str(v) for ws in load_workbook(out / "名单.xlsx", read_only=True).worksheets
                           for row in ws.iter_rows(values_only=True) for v in row))
    texts.append((out / "report.html").read_text(encoding="utf-8"))
    for text in texts:
        assert not [r for r in people if r["姓名"] in text or r["公民身份号码"] in text]


def test_clear_removes_the_rows_and_leaves_no_trace_of_them_in_the_file(project_file, tmp_path, capsys):
    homes = _homes(project_file, 3)
    people = _people(homes)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", people))])
    main(["register", "import", str(project_file), str(_csv(tmp_path / "暂住.csv", _households(homes))), "--kind", "暂住"])
    main(["set", str(project_file), "--balance-count", "register"])
    assert main(["register", "clear", str(project_file), "--kind", "暂住"]) == 0
    assert set(CensusProject.open(project_file)["register"]["kind"]) == {"户籍"}
    capsys.readouterr()
    assert main(["register", "clear", str(project_file)]) == 0
    assert "已从" in capsys.readouterr().out
    project = CensusProject.open(project_file)
    assert project["register"].empty and (project["buildings"]["population"] == 0).all()  # balancing on an empty register
    data = project_file.read_bytes()
    assert not [r for r in people if r["姓名"].encode() in data or r["公民身份号码"].encode() in data]


def test_a_new_import_leaves_no_trace_of_the_rows_it_replaced_in_the_file(project_file, tmp_path):
    homes = _homes(project_file, 3)
    old = _people(homes)
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "old.xlsx", old))])
    assert [r for r in old if r["姓名"].encode() in project_file.read_bytes()]  # stored, as the rows must be
    new = [{**r, "姓名": "新" + r["姓名"][1:], "公民身份号码": r["公民身份号码"][:-1] + "9"} for r in old[:3]]  # fewer
    assert main(["register", "import", str(project_file), str(_xlsx(tmp_path / "new.xlsx", new))]) == 0
    data = project_file.read_bytes()
    assert not [r for r in old if r["姓名"].encode() in data or r["公民身份号码"].encode() in data]
    assert CensusProject.open(project_file)["register"]["name"].str.startswith("新").all()


def test_the_walk_corrects_the_recorded_counts_keeps_its_own_and_the_balance_is_set_again(project_file, tmp_path):
    homes = _homes(project_file, 3)
    building, _, area = homes[0]
    main(["register", "import", str(project_file), str(_xlsx(tmp_path / "户籍.xlsx", _people(homes)))])
    main(["set", str(project_file), "--balance-count", "register"])
    main(["fieldwork", "export", str(project_file), "--out", str(tmp_path / "walk"), "--small-area", area])
    book = load_workbook(tmp_path / "walk" / area / f"{area}_register.xlsx")
    row = _number(project_file, building) + 1
    book.active.cell(row, 8, 3)  # 摸底户数
    book.active.cell(row, 9, 9)  # 摸底人数
    book.save(tmp_path / "filled.xlsx")
    assert main(["fieldwork", "import", str(project_file), str(tmp_path / "filled.xlsx")]) == 0
    project = CensusProject.open(project_file)
    b = project["buildings"].set_index("id").loc[building]
    assert (b["walk_households"], b["walk_population"]) == (3, 9)
    assert (b["recorded_households"], b["recorded_population"]) == (3, 9)
    assert (b["households"], b["population"]) == (2, 5)  # the register balances
    set_balance(project, "largest")
    b = project["buildings"].set_index("id").loc[building]
    assert (b["households"], b["population"]) == (3, 9)
    set_balance(project, "recorded")
    assert project["buildings"].set_index("id").loc[building, "population"] == 9
    apply_edit(project, set_building_fields(project, building, {"population": 40}))  # a later count by hand
    unwalked = homes[1][0]
    recorded = project["buildings"].set_index("id").loc[unwalked, ["households", "population"]].tolist()
    set_balance(project, "walk")  # the walk's own counts win where it counted; the recorded elsewhere
    b = project["buildings"].set_index("id")
    assert (b.loc[building, "households"], b.loc[building, "population"]) == (3, 9)
    assert b.loc[building, "recorded_population"] == 40
    assert b.loc[unwalked, ["households", "population"]].tolist() == recorded
    assert not [p for p in check_project(project) if p.kind == "population_mismatch"]  # its area recounted
    set_balance(project, "largest")  # of recorded, register and walk
    assert project["buildings"].set_index("id").loc[building, "population"] == 40


def test_the_command_line_offers_every_balance_source():
    from gis_census.cli import build_parser

    action = next(a for a in build_parser()._subparsers._group_actions[0].choices["set"]._actions
                  if a.dest == "balance_count")
    assert tuple(action.choices) == BALANCE_COUNTS


def test_the_demo_registers_of_every_kind_are_read_as_the_office_gets_them(tmp_path):
    """The sample's 户籍 (person rows, xlsx and GBK csv), 暂住 (its 暂住地址, not its 户籍地址) and 境外 (English
    names in two columns) tables, as `gis-census demo` writes them."""
    from gis_census.demo.register import write_register

    write_register(CensusProject.open(ROOT / "sample_data" / "demo_township.gpkg"), tmp_path, seed=7)
    registered = read_register_table(tmp_path / "register_户籍.xlsx")
    assert set(registered["per"]) == {"person"} and registered["name"].ne("").all()
    assert registered.equals(read_register_table(tmp_path / "register_户籍.csv").assign(
        file=registered["file"], sheet=registered["sheet"], row=registered["row"]))
    temporary = read_register_table(tmp_path / "register_暂住.xlsx", kind="暂住")
    book = load_workbook(tmp_path / "register_暂住.xlsx", read_only=True).active
    header = next(book.iter_rows(values_only=True))
    first = next(book.iter_rows(min_row=2, values_only=True))
    assert temporary["address"].iloc[0] == first[header.index("暂住地址")]
    foreign = read_register_table(tmp_path / "register_境外.xlsx", kind="境外")
    assert foreign["name"].str.contains(" ").all() and foreign["id_number"].ne("").all()


def test_an_old_street_name_matches_under_its_present_one_given_the_renamings(project_file, tmp_path, capsys):
    homes = [h for h in _homes(project_file, 40) if re.search(r"镇(.+?(?:路|街))\d+号$", h[1])][:1]
    street = re.search(r"镇(.+?(?:路|街))\d+号$", homes[0][1]).group(1)
    people = [dict(r, 住址=r["住址"].replace(street, "前进旧街")) for r in _people(homes)]
    book = _xlsx(tmp_path / "户籍.xlsx", people)
    renames = _csv(tmp_path / "更名.csv", [{"旧名": "前进旧街", "现名": street}])
    main(["register", "import", str(project_file), str(book)])
    assert (CensusProject.open(project_file)["register"]["building_id"] != homes[0][0]).all()
    assert main(["register", "import", str(project_file), str(book), "--renamed", str(renames)]) == 0
    rows = CensusProject.open(project_file)["register"]
    assert (rows.loc[rows["address"] != NOWHERE, "building_id"] == homes[0][0]).all()
    _csv(renames, [{"旧名": "前进旧街", "现名": ""}])
    before = project_file.read_bytes()
    assert main(["register", "import", str(project_file), str(book), "--renamed", str(renames)]) == 2
    assert "第 2 行，「现名」列" in capsys.readouterr().err and project_file.read_bytes() == before


def test_a_block_divided_between_its_stairwells_shares_its_register_rows_among_its_parts(project_file, tmp_path):
    block = "白坡镇杏坛街4号7栋"  # 542 people recorded, 2 stairwells given below
    rows = [{"户主姓名": "楼长", "住址": block, "户数": 170, "人数": 520}]
    main(["register", "import", str(project_file), str(_csv(tmp_path / "户籍.csv", rows)), "--per", "household"])
    main(["set", str(project_file), "--balance-count", "register"])
    main(["building", str(project_file), block, "--units", "2"])
    assert main(["divide", str(project_file), "--district", "370481102001"]) == 0
    parts = CensusProject.open(project_file)["buildings"]
    parts = parts[parts["address"].str.startswith(block)]
    assert len(parts) == 2 and parts["population"].tolist() == [260, 260] and (parts["part_of"] == parts["id"].min()).all()
    # another kind imported later: the block's rows, at its first part, are shared again, never heaped on one part
    extra = [{"户主姓名": "暂住者", "住址": block, "户数": 3, "人数": 11}]
    main(["register", "import", str(project_file), str(_csv(tmp_path / "暂住.csv", extra)), "--kind", "暂住"])
    parts = CensusProject.open(project_file)["buildings"]
    parts = parts[parts["address"].str.startswith(block)].sort_values("id")
    assert parts["population"].tolist() == [266, 265] and parts["households"].tolist() == [87, 86]
    # the 户籍 table again: its address is the block's, less the 单元 its parts are named by, so the block's
    main(["register", "import", str(project_file), str(tmp_path / "户籍.csv"), "--per", "household"])
    again = CensusProject.open(project_file)
    assert (again["register"]["building_id"] == parts["id"].min()).all()
    assert again["buildings"].set_index("id").loc[parts["id"], "population"].tolist() == [266, 265]
