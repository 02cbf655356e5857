"""Settling a register address by hand, and importing a register, as undoable edits: the rows, the remembered
choices and the balancing counts come back exactly on undo, and again on redo."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from geopandas.testing import assert_geodataframe_equal

from gis_census.editing import EditError, History, register_import_edit, settle_edit
from gis_census.editing.edit import key_values
from gis_census.project import CensusProject
from gis_census.register import read_register_table, remembered_choices, set_balance

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "370481102003"
LOST = "幸福路999号"  # no building has it: unmatched until settled
CHANGED = ("register", "register_choices", "buildings", "small_areas")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("settle") / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    return path


def homes(project: CensusProject, n: int = 3) -> list[tuple[int, str]]:
    b = project["buildings"]
    b = b[(b["district_code"] == DISTRICT) & (b["address"] != "")]
    b = b[~b["address"].duplicated(keep=False)]
    return [(int(i), a) for i, a in zip(b["id"], b["address"])][:n]


def register_csv(path: Path, addresses: list[str]) -> Path:
    """Two persons (one household) at each address, then three at LOST."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["户号", "姓名", "与户主关系", "住址"])
        for h, address in enumerate(addresses + [LOST]):
            for p in range(3 if address == LOST else 2):
                w.writerow([f"H{h}", f"测试{h}{p}", "户主" if p == 0 else "子", address])
    return path


@pytest.fixture
def project(demo, tmp_path) -> CensusProject:
    """The demo township balanced on a small register: three homes matched, one address unmatched."""
    project = CensusProject.open(demo)
    set_balance(project, "register")
    table = read_register_table(register_csv(tmp_path / "r.csv", [a for _, a in homes(project)]))
    History(project).push(register_import_edit(project, table)[0])
    return project


def layers(project: CensusProject) -> dict:
    return {n: project[n] for n in CHANGED}


def assert_same(before: dict, after: dict) -> None:
    for name in CHANGED:
        assert_geodataframe_equal(before[name], after[name], check_less_precise=False)


def test_settling_places_the_rows_remembers_and_counts(project):
    register = project["register"]
    assert list(register.loc[register["address"] == LOST, "status"]) == ["unmatched"] * 3
    target = homes(project)[0][0]
    buildings = project["buildings"]
    people_before = int(buildings.loc[buildings["id"] == target, "population"].iat[0])
    before = layers(project)
    edit = settle_edit(project, LOST, target)
    assert_same(before, layers(project))  # building the edit changes nothing
    assert {d.layer for d in edit.diffs} == set(CHANGED)
    assert "幸福路999号" in edit.text("zh") and "(3 rows)" in edit.text("en")
    history = History(project)
    history.push(edit)
    register = project["register"]
    lost = register[register["address"] == LOST]
    assert list(lost["status"]) == ["matched"] * 3 and set(lost["building_id"]) == {target}
    assert list(lost["confidence"]) == [1.0] * 3
    assert list(remembered_choices(project).values()) == [target]
    buildings = project["buildings"]
    assert int(buildings.loc[buildings["id"] == target, "population"].iat[0]) == people_before + 3
    area = buildings.loc[buildings["id"] == target, "small_area_code"].iat[0]
    assert area in set(edit.diff("small_areas").added["code"])
    assert DISTRICT in edit.districts
    after = layers(project)
    history.undo()
    assert_same(before, layers(project))
    assert remembered_choices(project) == {}
    history.redo()
    assert_same(after, layers(project))


def test_settling_again_replaces_the_choice_and_undo_brings_the_first_back(project):
    (first, _), (second, _) = homes(project)[:2]
    history = History(project)
    history.push(settle_edit(project, LOST, first))
    before = layers(project)
    history.push(settle_edit(project, "幸福路 999 号", second))  # the same address written otherwise
    assert list(remembered_choices(project).values()) == [second]
    assert set(project["register"].loc[lambda r: r["address"] == LOST, "building_id"]) == {second}
    history.undo()
    assert_same(before, layers(project))
    assert list(remembered_choices(project).values()) == [first]


def test_a_settled_project_saves_and_reopens_settled(project, tmp_path):
    target = homes(project)[1][0]
    History(project).push(settle_edit(project, LOST, target))
    again = CensusProject.open(project.save(tmp_path / "saved.gpkg"))
    lost = again["register"][again["register"]["address"] == LOST]
    assert set(lost["status"]) == {"matched"} and set(lost["building_id"]) == {target}
    assert remembered_choices(again) == remembered_choices(project)


def test_register_rows_have_a_key_each(project):
    keys = key_values(project["register"], "register")
    assert len(set(keys)) == len(keys) == 9


def test_an_unknown_building_is_refused(project):
    with pytest.raises(EditError):
        settle_edit(project, LOST, 10**9)


def test_import_is_one_undo_step(demo, tmp_path):
    project = CensusProject.open(demo)
    set_balance(project, "register")
    before = layers(project)
    history = History(project)
    table = read_register_table(register_csv(tmp_path / "r.csv", [a for _, a in homes(project)]))
    edit, stored = register_import_edit(project, table)
    assert (stored.rows, stored.matched, stored.unmatched) == (9, 6, 3)
    history.push(edit)
    assert len(project["register"]) == 9
    after = layers(project)
    history.undo()
    assert_same(before, layers(project))
    history.redo()
    assert_same(after, layers(project))
    # importing the kind again replaces its rows, one step again
    again = read_register_table(register_csv(tmp_path / "s.csv", [a for _, a in homes(project, 1)]))
    history.push(register_import_edit(project, again)[0])
    assert len(project["register"]) == 5
    history.undo()
    assert_same(after, layers(project))


def test_a_door_number_without_a_street_is_settled_in_its_village(demo, tmp_path):
    """"9999号" means nothing without its 所属村: the rows of 西关社区 are settled, those of 北关社区 stay."""
    project = CensusProject.open(demo)
    path = tmp_path / "v.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["户号", "姓名", "与户主关系", "住址", "所属村/居委会"])
        w.writerows([["H1", "测试甲", "户主", "9999号", "西关社区居委会"], ["H2", "测试乙", "户主", "9999号", "北关社区居委会"]])
    History(project).push(register_import_edit(project, read_register_table(path))[0])
    target = int(project["buildings"]["id"].iat[0])
    edit = settle_edit(project, "9999号", target, "西关社区居委会")
    assert dict(edit.params)["n"] == "1"
    History(project).push(edit)
    register = project["register"].set_index("village")
    assert register.loc["西关社区居委会", "building_id"] == target and register.loc["北关社区居委会", "status"] == "unmatched"


def test_rows_that_cannot_be_told_apart_are_refused_not_half_settled(project):
    from gis_census.register.store import _set_table

    register = project["register"]
    _set_table(project, "register", register.assign(row=1).drop(columns=register.geometry.name))
    before = layers(project)
    with pytest.raises(EditError, match="import"):
        settle_edit(project, LOST, homes(project)[0][0])
    assert_same(before, layers(project))


def test_import_takes_the_street_renamings(demo, tmp_path):
    """An old street name of the renamings is matched under the present one, in the same undo step."""
    project = CensusProject.open(demo)
    _, address = homes(project, 1)[0]
    old = address.replace("和平路", "老槐树街")
    assert old != address
    table = read_register_table(register_csv(tmp_path / "r.csv", [old]))
    assert register_import_edit(project, table)[1].matched == 0
    assert register_import_edit(project, table, {"老槐树街": "和平路"})[1].matched == 2
