"""`divide --update`: after the pre-count walk the division changes only where it must, and says what changed."""

from __future__ import annotations

import copy
import csv

import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gis_census.checks import check_district
from gis_census.cli import main
from gis_census.demo import make_township
from gis_census.demo.project import county_project
from gis_census.divide import divide_and_number
from gis_census.divide.update import outside_band, update_division
from gis_census.editing import apply_edit, update_edit
from gis_census.errors import CensusError
from gis_census.numbering.carry import carry_numbers, match_areas
from gis_census.project import CensusProject
from gis_census.rules import Target, building_name

STRUCTURAL = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split",
              "building_unassigned", "building_code_mismatch", "parent_missing", "population_mismatch",
              "code_duplicate", "code_malformed", "building_number_duplicate"}


@pytest.fixture(scope="module")
def divided():
    """The demo township divided, numbered and settled by an update: the maps the enumerators hold."""
    project = county_project(make_township())
    divide_and_number(project)
    update_division(project)
    return project


def _copy(project: CensusProject) -> CensusProject:
    out = copy.copy(project)
    out.layers = {name: layer.copy() for name, layer in project.layers.items()}
    return out


def _areas_near_target(project: CensusProject, n: int) -> list[str]:
    """`n` small areas in different districts, each the one nearest the target in its district."""
    areas = project["small_areas"]
    areas = areas.assign(off=(areas["population"] - 300).abs()).sort_values(["off", "code"])
    return areas.drop_duplicates("district_code")["code"].head(n).tolist()


def _walked(project: CensusProject, over: str, under: str) -> CensusProject:
    """The pre-count walk's changes: +150 people in the 3 most populous houses of `over`, and the people of
    `under`'s most populous houses gone until it holds under 200."""
    walked = _copy(project)
    b = walked["buildings"]
    rows = b[b["small_area_code"] == over].sort_values(["population", "id"], ascending=False).index[:3]
    b.loc[rows, "population"] += 50
    mine = b[b["small_area_code"] == under].sort_values(["population", "id"], ascending=False)
    gone = mine.index[: int(np.searchsorted(mine["population"].cumsum().to_numpy(), mine["population"].sum() - 200)) + 1]
    b.loc[gone, ["population", "households"]] = 0
    return walked


@pytest.fixture(scope="module")
def updated(divided):
    over, under = _areas_near_target(divided, 2)
    before = _walked(divided, over, under)
    # lock a neighbour of the area over the band: it must stay exactly as it is
    areas = before["small_areas"]
    geom = areas.geometry[areas["code"] == over].iat[0]
    neighbours = areas[(areas["district_code"] == over[:12]) & (areas["code"] != over)
                       & (shapely.length(shapely.intersection(areas.geometry.boundary.values, geom.boundary)) > 1)]
    locked = neighbours["code"].iat[0]
    areas.loc[areas["code"] == locked, "locked"] = 1
    after = _copy(before)
    report = update_division(after)
    return before, after, report, (over, under, locked)


def _rows(project: CensusProject, layer: str, districts) -> object:
    frame = project[layer]
    return frame[frame["district_code"].isin(districts)].sort_values(frame.columns[0]).reset_index(drop=True)


def test_the_walk_put_two_areas_outside_the_band(updated):
    before, _, report, (over, under, _) = updated
    outside = set(before["small_areas"]["code"][outside_band(before)])
    assert {over, under} <= outside
    assert {over[:12], under[:12]} <= set(report.redivided)


def test_every_area_of_a_divided_district_is_in_the_band_or_reported(updated):
    _, after, report, (over, under, _) = updated
    goal = Target.of(after.meta)
    areas = after["small_areas"]
    heaviest = after["buildings"].groupby("small_area_code")["population"].max()
    for district in report.redivided:
        mine = areas[areas["district_code"] == district]
        # an area that is one building above the band cannot be balanced (divide makes it an area of its own)
        one_big = heaviest.reindex(mine["code"]).fillna(0).to_numpy() > goal.top
        off = mine[((mine["population"] < goal.size * (1 - goal.tolerance)) | (mine["population"] > goal.top)) & ~one_big]
        assert set(off["code"]) <= set(report.still_outside.get(district, []))
        assert not {over, under} & set(report.still_outside.get(district, []))
        assert [p for p in check_district(after, district) if p.kind in STRUCTURAL] == []


def test_other_districts_rows_are_identical(updated):
    before, after, report, _ = updated
    others = sorted(set(before["districts"]["code"]) - set(report.redivided))
    assert others
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(_rows(after, layer, others), _rows(before, layer, others))


def test_locked_area_and_its_buildings_are_kept(updated):
    before, after, _, (_, _, locked) = updated
    for layer, column in (("small_areas", "code"), ("buildings", "small_area_code")):
        a, b = (p[layer][p[layer][column] == locked].reset_index(drop=True) for p in (after, before))
        assert len(a) and (layer == "buildings" or a["locked"].iat[0] == 1)
        assert_geodataframe_equal(a, b)


def test_only_the_areas_divided_again_change_and_they_keep_their_codes(updated):
    before, after, report, _ = updated
    for district, freed in report.redivided.items():
        old, new = (p["small_areas"][p["small_areas"]["district_code"] == district].set_index("code") for p in (before, after))
        kept = sorted(set(old.index) - set(freed))
        assert len(kept) >= len(old) - len(freed) > 0
        assert old.loc[kept, ["seq", "locked", "supervisor_group"]].equals(new.loc[kept, ["seq", "locked", "supervisor_group"]])
        assert shapely.equals_exact(np.asarray(old.loc[kept].geometry.array), np.asarray(new.loc[kept].geometry.array), 0).all()
        # the new areas took the old codes (the same number of areas came back) or the next free ones
        assert set(freed) & set(new.index)
        top = max(int(s) for s in old["seq"])
        assert all(c in old.index or int(c[-3:]) > top for c in new.index)


def test_buildings_keep_their_numbers_unless_they_changed_area(updated):
    before, after, _, _ = updated
    old = before["buildings"].set_index("id")
    new = after["buildings"].set_index("id").loc[old.index]
    stayed = old["small_area_code"] == new["small_area_code"]
    assert (old.loc[stayed, "number"] == new.loc[stayed, "number"]).all()
    moved = new[~stayed]
    assert len(moved)
    for code, group in moved.groupby("small_area_code"):
        top = old.loc[old["small_area_code"] == code, "number"].max()
        if not np.isnan(top):  # arrivals in an area that existed are numbered after its highest
            assert (group["number"] > top).all()
    numbered = new[new["small_area_code"] != ""]
    assert not numbered.duplicated(["small_area_code", "number"]).any()


def test_the_renumbering_list_is_exactly_what_changed(updated):
    before, after, report, _ = updated
    old = before["buildings"].set_index("id")
    new = after["buildings"].set_index("id").loc[old.index]
    changed = (old["small_area_code"] != new["small_area_code"]) | (old["number"] != new["number"])
    expected = {(int(i), building_name(o.small_area_code, o.number), building_name(n.small_area_code, n.number))
                for i, o, n in zip(old.index[changed], old[changed].itertuples(), new[changed].itertuples())}
    assert {(b.building_id, b.old_name, b.new_name) for b in report.buildings} == expected

    def geoms(p):
        return dict(zip(p["small_areas"]["code"], p["small_areas"].geometry))

    g0, g1 = geoms(before), geoms(after)
    expected_areas = ({(c, "gone") for c in set(g0) - set(g1)} | {(c, "new") for c in set(g1) - set(g0)}
                      | {(c, "reshaped") for c in set(g0) & set(g1) if not shapely.equals_exact(g0[c], g1[c], 0)})
    assert {(a.code, a.kind) for a in report.areas} == expected_areas
    assert expected_areas


def test_a_second_update_changes_nothing(updated):
    _, after, _, _ = updated
    again = _copy(after)
    report = update_division(again)
    assert not report.redivided and not report.areas and not report.buildings
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(again[layer], after[layer])


def test_the_update_is_one_undoable_edit(updated):
    before, after, _, _ = updated
    project = _copy(before)
    edit, report = update_edit(project)
    assert report.redivided and not edit.is_empty() and edit.districts == frozenset(report.districts)
    apply_edit(project, edit)
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(_by_key(project, layer), _by_key(after, layer))
    apply_edit(project, edit.inverse())
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(project[layer], before[layer])


def _by_key(project: CensusProject, layer: str):
    return project[layer].sort_values(project[layer].columns[0]).reset_index(drop=True)


def test_a_named_district_in_the_band_is_left_alone(divided):
    project = _copy(divided)
    district = sorted(set(project["districts"]["code"]) - set(project["small_areas"]["district_code"][outside_band(project)]))[0]
    report = update_division(project, [district])
    assert report.districts == [district] and not report.redivided and not report.buildings
    with pytest.raises(ValueError, match="999999999999"):
        update_division(project, ["999999999999"])
    areas = project["small_areas"]
    areas.loc[1, "code"] = areas.loc[0, "code"]
    with pytest.raises(CensusError, match=areas.loc[0, "code"]):
        update_division(project)


def test_a_building_the_walk_found_is_numbered_after_the_others_and_nothing_else_changes(divided):
    project = _copy(divided)
    areas, buildings = project["small_areas"], project["buildings"]
    area = areas[~outside_band(project) & (areas["population"] < 330)].iloc[0]
    spot = area.geometry.difference(shapely.union_all(buildings.geometry.buffer(3).values)).representative_point()
    new = buildings.iloc[[0]].assign(id=int(buildings["id"].max()) + 1, population=5, households=2, small_area_code="",
                                     number=0, district_code=area["district_code"], village_code=area["district_code"],
                                     geometry=[spot.buffer(2, cap_style="square")])
    project.layers["buildings"] = pd.concat([buildings, new], ignore_index=True)
    before = _copy(project)
    report = update_division(project)
    top = buildings.loc[buildings["small_area_code"] == area["code"], "number"].max()
    name = building_name(area["code"], top + 1)
    assert [(b.old_name, b.new_name) for b in report.buildings] == [("", name)] and not report.areas
    assert area["district_code"] in report.districts and not report.redivided
    others = before["buildings"]["id"] != new["id"].iat[0]
    assert_geodataframe_equal(project["buildings"][others], before["buildings"][others])
    grown = project["small_areas"].set_index("code").loc[area["code"], "population"]
    assert grown == area["population"] + 5


def test_new_buildings_get_the_next_numbers_and_new_areas_walk_order():
    xy = np.array([[0, 10], [10, 10], [0, 0], [10, 0], [20, 0]], dtype=float)
    geoms = shapely.points(xy)
    old_codes = np.array(["A", "A", "B", "B", ""], dtype=object)
    old_numbers = np.array([1, 2, 7, 3, 0])
    new_codes = np.array(["A", "B", "C", "C", "A"], dtype=object)
    # 0 stays in A; 1 moves to B (after B's 7); 2, 3 form new area C (walk: 1, 2); 4 is new in A (after 2)
    assert carry_numbers(geoms, old_codes, old_numbers, new_codes, {"C"}).tolist() == [1, 8, 1, 2, 3]


def test_areas_are_matched_by_the_people_they_share():
    weights = np.array([[5.0, 4.0, 0], [4.0, 0, 0], [0, 0, 0]])
    assert match_areas(weights) == {0: 1, 1: 0}  # the best total (8), where taking 5 first gives 5
    assert match_areas(np.zeros((2, 0))) == {}


@pytest.fixture
def walked_file(tmp_path, divided):
    over, under = _areas_near_target(divided, 2)
    path = tmp_path / "p.gpkg"
    _walked(divided, over, under).save_copy(path)
    return path


def test_command_line_writes_the_renumbering_list(walked_file, tmp_path, capsys):
    out = tmp_path / "改号.csv"
    assert main(["divide", str(walked_file), "--update", "--renumbered", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已更新" in printed and "→" in printed
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["变动", "建筑物ID", "原代码/编号", "新代码/编号"]
    renamed = [r for r in rows[1:] if r[0] == "建筑物"]
    assert renamed and all(f"  {r[2]} → {r[3]}" in printed for r in renamed)
    project = CensusProject.open(walked_file)
    names = {building_name(c, n) for c, n in zip(project["buildings"]["small_area_code"], project["buildings"]["number"])}
    assert {r[3] for r in renamed} <= names


def test_command_line_xlsx_cells_are_text(walked_file, tmp_path):
    import openpyxl

    out = tmp_path / "renumbered.xlsx"
    assert main(["divide", str(walked_file), "--update", "--renumbered", str(out), "--lang", "en"]) == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Change", "Building id", "Old code/name", "New code/name")
    assert all(isinstance(r[3], str) for r in rows[1:] if r[0] == "building")


@pytest.mark.parametrize("argv, key", [
    (["--renumbered", "out.txt"], "out.txt"),
    (["--count", "3"], "--count"),
    (["--renumbered", "list.csv", "--no-update"], "--update"),
])
def test_command_line_refusals_write_nothing(walked_file, tmp_path, capsys, argv, key):
    argv = [str(tmp_path / a) if a.endswith((".txt", ".csv")) else a for a in argv]
    if "--no-update" in argv:
        argv.remove("--no-update")
    else:
        argv.append("--update")
    stamp = walked_file.stat().st_mtime_ns
    assert main(["divide", str(walked_file), *argv]) == 2
    assert key in capsys.readouterr().err
    assert walked_file.stat().st_mtime_ns == stamp and not list(tmp_path.glob("list.csv"))


def test_the_renumbering_file_never_holds_a_formula(tmp_path):
    import openpyxl

    from gis_census.divide.update import AreaChange, BuildingChange, UpdateReport
    from gis_census.lists import write_renumbering

    evil = '=HYPERLINK("http://x","y")'
    report = UpdateReport(areas=[AreaChange(evil, "new")], buildings=[BuildingChange(7, evil, "-1+2")])
    with open(write_renumbering(report, tmp_path / "r.csv"), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][3] == "'" + evil and rows[2][2:] == ["'" + evil, "'-1+2"]
    sheet = openpyxl.load_workbook(write_renumbering(report, tmp_path / "r.xlsx")).active
    assert [c.value for c in sheet[3]] == ["建筑物", 7, evil, "-1+2"] and sheet["D2"].value == evil
    assert {c.data_type for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)} == {"s"}


def test_a_canceled_update_changes_nothing(updated):
    from gis_census.feedback import Feedback

    class Stop(Feedback):
        def is_canceled(self) -> bool:
            return True

    before = updated[0]
    project = _copy(before)
    edit, report = update_edit(project, feedback=Stop())
    assert report.canceled and edit.is_empty()
    for layer in ("small_areas", "buildings"):
        assert_geodataframe_equal(project[layer], before[layer])


def test_a_district_never_divided_is_divided_and_coded(divided):
    project = _copy(divided)
    district = sorted(project["districts"]["code"])[-1]
    areas = project["small_areas"]
    project.layers["small_areas"] = areas[areas["district_code"] != district].reset_index(drop=True)
    before = _copy(project)
    report = update_division(project)
    assert district in report.redivided and {a.kind for a in report.areas if a.code[:12] == district} == {"new"}
    mine = project["small_areas"][project["small_areas"]["district_code"] == district]
    assert sorted(mine["seq"]) == [f"{k:03d}" for k in range(1, len(mine) + 1)] and (mine["supervisor_group"] > 0).all()
    buildings = project["buildings"][project["buildings"]["district_code"] == district]
    for _, group in buildings.groupby("small_area_code"):
        assert sorted(group["number"]) == list(range(1, len(group) + 1))
    assert set(buildings["small_area_code"]) == set(mine["code"])
    others = sorted(set(project["districts"]["code"]) - set(report.redivided))
    assert_geodataframe_equal(_rows(project, "small_areas", others), _rows(before, "small_areas", others))
