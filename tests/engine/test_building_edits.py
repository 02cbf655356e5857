"""Building edits: each is located by the one rule, numbered without renumbering others, recounts its areas,
names the building by its one name and undoes exactly.

The township is the checks' base township (tests/check_township.py): two districts A and B side by side,
tiled 2 × 2 by small areas of 200 × 100 m, each holding ten 10 m buildings of 30 people and 10 households,
numbered 1..10 from west to east (building j of an area at x = 15 + 18 j .. 25 + 18 j, y = 45..55).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_township import A, B, base_layers, box, make_project
from gis_census.cli import main
from gis_census.editing import (
    KEYS,
    EditError,
    History,
    add_building,
    apply_edit,
    delete_buildings,
    find_building,
    merge_buildings,
    move_building,
    renumber_edit,
    reshape_building,
    set_building_fields,
    set_fields,
    split_building,
)
from gis_census.project import CensusProject
from gis_census.rules import locate_buildings, whole_shares

SAMPLE = Path(__file__).parent.parent.parent / "sample_data" / "demo_township.gpkg"
A1, A2, A3, B1 = A + "001", A + "002", A + "003", B + "001"


@pytest.fixture
def township() -> CensusProject:
    return make_project(base_layers())


def building(project: CensusProject, bid: int):
    b = project["buildings"]
    return b[b["id"] == bid].iloc[0]


def area(project: CensusProject, code: str):
    a = project["small_areas"]
    return a[a["code"] == code].iloc[0]


def layers_of(project: CensusProject) -> dict:
    return {name: project.layers[name] for name in KEYS}


def assert_same_layers(before: dict, after: dict) -> None:
    """Equal in content (rows sorted by key), geometry coordinate for coordinate."""
    for name, key in KEYS.items():
        a = before[name].sort_values(key).reset_index(drop=True)
        b = after[name].sort_values(key).reset_index(drop=True)
        assert_geodataframe_equal(a, b)
        assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0).all()


def apply_and_undo(project: CensusProject, edit) -> None:
    """Apply `edit` (leaving it applied), asserting that its inverse restores the project exactly."""
    before = layers_of(project)
    apply_edit(project, edit)
    after = layers_of(project)
    apply_edit(project, edit.inverse())
    assert_same_layers(before, layers_of(project))
    apply_edit(project, edit)
    assert_same_layers(after, layers_of(project))


def assert_consistent(project: CensusProject) -> None:
    """Every small area counts exactly its buildings, and every building carries the code of the area holding it."""
    b, a = project["buildings"], project["small_areas"]
    assert (b["small_area_code"].to_numpy(object) == locate_buildings(a, b)).all()
    sums = b.groupby("small_area_code")[["population", "households"]].sum()
    for col in ("population", "households"):
        assert (a[col].to_numpy() == sums[col].reindex(a["code"], fill_value=0).to_numpy()).all(), col
    assert int(a["population"].sum()) == int(b.loc[b["small_area_code"] != "", "population"].sum())


def test_add_building_takes_the_next_number_of_its_area_and_is_counted(township):
    edit = add_building(township, box(20, 20, 30, 30), address="杏坛街4号9栋", population=12, households=4, units=2,
                        use="dormitory")
    assert edit.text("zh") == f"新增建筑物 {A1}-011"
    assert edit.text("en") == f"Add building {A1}-011"
    before = layers_of(township)
    apply_and_undo(township, edit)
    new = building(township, 81)
    assert (new["small_area_code"], new["district_code"], new["village_code"], new["number"]) == (A1, A, A, 11)
    assert (new["address"], new["population"], new["households"], new["units"], new["use"]) == ("杏坛街4号9栋", 12, 4, 2, "dormitory")
    assert (area(township, A1)["population"], area(township, A1)["households"]) == (312, 104)
    others = township["buildings"][township["buildings"]["id"] != 81].sort_values("id").reset_index(drop=True)
    assert (others["number"].to_numpy() == before["buildings"]["number"].to_numpy()).all()  # nobody renumbered
    assert_consistent(township)


def test_a_footprint_overlapping_another_is_located_with_it(township):
    """Overlapping footprints are one building (spatial.holding_index): an annex reaching into A002 that makes
    the pair mostly A002's takes building 10 of A001 along, which then gets A002's next number too."""
    edit = add_building(township, box(183, 45, 225, 55), population=6, households=2)  # building 10: x 177..187
    apply_and_undo(township, edit)
    assert (building(township, 81)["small_area_code"], building(township, 81)["number"]) == (A2, 11)
    assert (building(township, 10)["small_area_code"], building(township, 10)["number"]) == (A2, 12)
    assert area(township, A1)["population"] == 270 and area(township, A2)["population"] == 336
    assert_consistent(township)
    apply_and_undo(township, delete_buildings(township, [81]))  # alone again, building 10 goes home
    assert (building(township, 10)["small_area_code"], building(township, 10)["number"]) == (A1, 10)
    assert_consistent(township)


def test_add_a_point_and_a_bowtie(township):
    point = add_building(township, shapely.Point(*box(450, 150, 450, 150).bounds[:2]))
    assert point.diff("buildings").added["small_area_code"].iat[0] == B + "003"
    bowtie = shapely.Polygon([box(250, 20, 250, 20).bounds[:2], box(270, 40, 270, 40).bounds[:2],
                              box(270, 20, 270, 20).bounds[:2], box(250, 40, 250, 40).bounds[:2]])
    edit = add_building(township, bowtie, population=5)
    footprint = edit.diff("buildings").added.geometry.iat[0]
    assert footprint.is_valid and shapely.area(footprint) == pytest.approx(200)
    assert edit.diff("buildings").added["small_area_code"].iat[0] == A2


def test_add_refusals_name_the_building(township):
    with pytest.raises(EditError) as exc:
        add_building(township, box(900, 20, 910, 30))
    assert exc.value.message("zh") == "建筑物 #81 不在任何普查区内"
    with pytest.raises(EditError) as exc:
        add_building(township, box(20, 20, 30, 30), use="palace")
    assert "palace" in exc.value.message("en") and "residential" in exc.value.message("en")
    with pytest.raises(EditError) as exc:
        add_building(township, box(20, 20, 30, 30), population="many")
    assert "population" in exc.value.message("en")
    with pytest.raises(EditError):
        add_building(township, shapely.LineString([(0, 0), (1, 1)]))


def test_move_within_its_area_keeps_the_number(township):
    edit = move_building(township, 3, 0, -20)
    assert edit.text("zh") == f"移动建筑物 {A1}-003"
    apply_and_undo(township, edit)
    moved = building(township, 3)
    assert moved["number"] == 3 and moved["small_area_code"] == A1
    assert moved.geometry.bounds == box(51, 25, 61, 35).bounds
    assert edit.diff("small_areas") is None  # nobody changed area
    assert_consistent(township)


def test_move_into_another_area_takes_its_next_number_and_recounts_both(township):
    edit = move_building(township, 3, 0, 100)  # from A001 up into A003
    assert edit.text("en") == f"Move building {A1}-003 (now {A3}-011)"
    apply_and_undo(township, edit)
    moved = building(township, 3)
    assert (moved["small_area_code"], moved["number"]) == (A3, 11)
    assert area(township, A1)["population"] == 270 and area(township, A3)["population"] == 330
    assert sorted(township["buildings"].query("small_area_code == @A1")["number"]) == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert_consistent(township)


def test_move_across_a_district_line(township):
    edit = move_building(township, 20, 400, 0)  # A002's last building into B002
    apply_edit(township, edit)
    moved = building(township, 20)
    assert (moved["small_area_code"], moved["district_code"], moved["village_code"], moved["number"]) == (B + "002", B, B, 11)
    assert edit.districts == {A, B}
    assert_consistent(township)


def test_reshape_relocates_by_the_largest_share(township):
    edit = reshape_building(township, 10, box(180, 45, 260, 55))  # now mostly in A002
    assert edit.text("zh") == f"修改建筑物 {A1}-010 的轮廓（现为 {A2}-011）"
    apply_and_undo(township, edit)
    assert (building(township, 10)["small_area_code"], building(township, 10)["number"]) == (A2, 11)
    assert_consistent(township)


def test_delete_keeps_the_other_numbers(township):
    edit = delete_buildings(township, [2, 15])
    assert edit.text("zh") == f"删除建筑物 {A1}-002, {A2}-005"
    apply_and_undo(township, edit)
    ids = set(township["buildings"]["id"])
    assert 2 not in ids and 15 not in ids and len(ids) == 78
    assert sorted(township["buildings"].query("small_area_code == @A1")["number"]) == [1, 3, 4, 5, 6, 7, 8, 9, 10]
    assert area(township, A1)["population"] == 270 and area(township, A2)["population"] == 270
    assert_consistent(township)


def test_delete_undo_puts_the_rows_back_in_place(township):
    order = township["buildings"]["id"].tolist()
    edit = delete_buildings(township, [2, 15])
    apply_edit(township, edit)
    apply_edit(township, edit.inverse())
    assert township["buildings"]["id"].tolist() == order


def test_merge_sums_into_the_lowest_number(township):
    layers = base_layers()
    b = layers["buildings"]
    b.loc[b["id"] == 4, "geometry"] = box(69, 45, 80, 55)  # buildings 4 and 5 of A001 made to touch
    b.loc[b["id"] == 5, "geometry"] = box(80, 45, 97, 55)
    b["address"], b["notes"], b["units"] = "", "", 0
    b.loc[b["id"] == 4, ["address", "notes", "units"]] = ["杏坛街4号", "临街", 2]
    b.loc[b["id"] == 5, ["address", "notes", "units"]] = ["杏坛街5号", "后院", 1]
    project = make_project(layers)
    edit = merge_buildings(project, [5, 4])
    assert edit.text("zh") == f"合并建筑物 {A1}-004, {A1}-005"
    apply_and_undo(project, edit)
    merged = building(project, 4)
    assert 5 not in set(project["buildings"]["id"])
    assert (merged["population"], merged["households"], merged["units"], merged["number"]) == (60, 20, 3, 4)
    assert (merged["address"], merged["notes"]) == ("杏坛街4号", "临街；后院")
    assert merged.geometry.equals(box(69, 45, 97, 55))
    assert area(project, A1)["population"] == 300
    assert_consistent(project)


def test_merge_refusals(township):
    with pytest.raises(EditError) as exc:
        merge_buildings(township, [1, 2])  # 8 m apart
    assert exc.value.message("zh") == f"建筑物 {A1}-001, {A1}-002 互不相接，合并后不是一个整体"
    layers = base_layers()
    b = layers["buildings"]
    b.loc[b["id"] == 20, "geometry"] = box(385, 45, 400, 55)
    b.loc[b["id"] == 71, "geometry"] = box(400, 45, 425, 55)
    with pytest.raises(EditError) as exc:
        merge_buildings(make_project(layers), [20, 71])
    assert "different districts" in exc.value.message("en")
    with pytest.raises(EditError):
        merge_buildings(township, [1])
    with pytest.raises(EditError) as exc:
        merge_buildings(township, [1, 999])
    assert "999" in exc.value.message("en")


def test_split_shares_people_by_area_exactly(township):
    layers = base_layers()
    b = layers["buildings"]
    b.loc[b["id"] == 1, ["population", "households", "units"]] = [31, 7, 3]
    project = make_project(layers)
    edit = split_building(project, 1, shapely.LineString([box(22.5, 0, 22.5, 0).bounds[:2], box(22.5, 100, 22.5, 100).bounds[:2]]))
    assert edit.text("zh") == f"拆分建筑物 {A1}-001"
    apply_and_undo(project, edit)
    kept, new = building(project, 1), building(project, 81)
    assert shapely.area(kept.geometry) == pytest.approx(75) and shapely.area(new.geometry) == pytest.approx(25)
    assert (kept["number"], new["number"], new["small_area_code"]) == (1, 11, A1)
    assert (kept["population"], new["population"]) == (23, 8)  # 23.25 and 7.75: the larger remainder rounds up
    assert (kept["households"], new["households"]) == (5, 2)
    assert (kept["units"], new["units"]) == (2, 1)
    assert area(project, A1)["population"] == 301
    assert_consistent(project)


def test_split_refused_when_the_line_misses(township):
    with pytest.raises(EditError) as exc:
        split_building(township, 1, shapely.LineString([box(0, 0, 0, 0).bounds[:2], box(5, 90, 5, 90).bounds[:2]]))
    assert exc.value.message("zh") == f"所画的线没有把建筑物 {A1}-001 分成两块以上"


@pytest.mark.parametrize("total, weights, expected", [
    (31, [3, 1], [23, 8]), (10, [1, 1, 1], [4, 3, 3]), (0, [2, 1], [0, 0]), (5, [1, 1e-9], [5, 0]),
])
def test_shares_add_up(total, weights, expected):
    assert whole_shares(total, weights) == expected


def test_set_building_fields_recounts_and_validates_use(township):
    edit = set_building_fields(township, 12, {"population": 50, "units": 2, "use": "mixed"})
    assert edit.text("zh") == f"修改建筑物 {A2}-002 的属性（population, units, use）"
    apply_and_undo(township, edit)
    assert area(township, A2)["population"] == 320
    assert (building(township, 12)["units"], building(township, 12)["use"]) == (2, "mixed")
    with pytest.raises(EditError) as exc:
        set_building_fields(township, 12, {"use": "castle"})
    assert f"{A2}-002" in exc.value.message("zh") and "castle" in exc.value.message("zh")
    with pytest.raises(EditError) as exc:
        set_building_fields(township, 12, {"colour": "red"})
    assert "colour" in exc.value.message("en") and f"{A2}-002" in exc.value.message("en")
    # The generic field edit delegates for buildings.
    assert set_fields(township, "buildings", 12, {"households": 1}).text("en") == f"Change households of building {A2}-002"


def test_edits_in_the_history_undo_in_turn_and_save(township, tmp_path):
    start = layers_of(township)
    history = History(township)
    history.push(add_building(township, box(20, 20, 40, 30), population=9, households=3))
    history.push(split_building(township, 81, shapely.LineString([box(30, 0, 30, 0).bounds[:2], box(30, 99, 30, 99).bounds[:2]])))
    history.push(merge_buildings(township, [81, 82]))
    assert history.undo_text() == f"合并建筑物 {A1}-011, {A1}-012"
    assert building(township, 81)["population"] == 9 and building(township, 81).geometry.equals(box(20, 20, 40, 30))
    after = layers_of(township)
    township.save(tmp_path / "p.gpkg")
    assert_same_layers(after, layers_of(CensusProject.open(tmp_path / "p.gpkg")))
    while history.can_undo():
        history.undo()
    assert_same_layers(start, layers_of(township))


def test_find_building_by_name_short_name_id_and_address(township):
    layers = base_layers()
    layers["buildings"]["address"] = [f"青石路{i}号" for i in layers["buildings"]["id"]]
    project = make_project(layers)
    assert find_building(project, f"{A2}-003") == 13
    assert find_building(project, "002-3") is None  # A002 and B002 both have a building 3
    assert find_building(project, "001002-3") == 13
    assert find_building(project, f"{B}002-03") == 53
    assert find_building(project, "#42") == 42
    assert find_building(project, "#4200") is None
    assert find_building(project, "青石路42号") == 42
    assert find_building(project, "nowhere") is None


def test_edits_on_the_sample_township():
    project = CensusProject.open(SAMPLE)
    apply_edit(project, renumber_edit(project))  # the sample's old division has no building numbers yet
    b = project["buildings"]
    row = b[(b["number"] == 3) & (b["population"] > 0)].iloc[0]
    name = f"{row['small_area_code']}-003"
    assert find_building(project, name) == row["id"]
    assert find_building(project, f"#{row['id']}") == row["id"]
    assert find_building(project, row["address"]) == row["id"]
    edit = set_building_fields(project, row["id"], {"units": 2, "population": int(row["population"]) + 10})
    assert edit.text("zh") == f"修改建筑物 {name} 的属性（units, population）"
    stored = area(project, row["small_area_code"])["population"]
    apply_and_undo(project, edit)
    assert area(project, row["small_area_code"])["population"] == stored + 10
    x0, y0, x1, y1 = row.geometry.bounds
    edit = split_building(project, row["id"], shapely.LineString([((x0 + x1) / 2, y0 - 1), ((x0 + x1) / 2, y1 + 1)]))
    apply_and_undo(project, edit)
    parts = project["buildings"][project["buildings"]["address"] == row["address"]]
    assert len(parts) == 2 and parts["population"].sum() == row["population"] + 10
    assert area(project, row["small_area_code"])["population"] == stored + 10


# ---------------------------------------------------------------------------------------------
# Any sequence of adds, moves and deletes keeps the areas' counts and the buildings' codes right
# ---------------------------------------------------------------------------------------------

_steps = st.lists(st.one_of(
    st.tuples(st.just("add"), st.floats(5, 780), st.floats(5, 180), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(1, 90), st.floats(-250, 250), st.floats(-120, 120)),
    st.tuples(st.just("delete"), st.integers(1, 90)),
), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=_steps)
def test_any_sequence_keeps_counts_and_codes(steps):
    project = make_project(base_layers())
    for step in steps:
        ids = set(project["buildings"]["id"])
        try:
            if step[0] == "add":
                x, y = step[1], step[2]
                edit = add_building(project, box(x, y, x + 8, y + 8), population=step[3], households=step[3] // 3)
            elif step[0] == "move":
                if step[1] not in ids:
                    continue
                edit = move_building(project, step[1], step[2], step[3])
            else:
                if step[1] not in ids:
                    continue
                edit = delete_buildings(project, [step[1]])
        except EditError:
            continue  # outside every district: refused, nothing changed
        apply_edit(project, edit)
        assert_consistent(project)
        numbers = project["buildings"].query("small_area_code != ''").groupby("small_area_code")["number"]
        assert (numbers.nunique() == numbers.size()).all()  # no number given twice in an area


# ---------------------------------------------------------------------------------------------
# gis-census building: the README walkthrough
# ---------------------------------------------------------------------------------------------

def test_building_verb_lets_two_high_rises_be_divided_by_stairwells(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    assert main(["divide", str(path)]) == 0
    b = CensusProject.open(path)["buildings"]
    big = b[(b["population"] > 500) & (b["district_code"] == A)].sort_values("id")
    names = [f"{code}-{number:03d}" for code, number in zip(big["small_area_code"], big["number"])]
    assert list(big["address"]) == ["白坡镇杏坛街4号7栋", "白坡镇杏坛街4号8栋"]
    assert f"建筑物 {names[0]}（白坡镇杏坛街4号7栋）（普查区 {A}）人数超过上限，单独成为一个普查小区" in capsys.readouterr().out
    for name in names:
        assert main(["building", str(path), name, "--units", "2"]) == 0
    out = capsys.readouterr().out
    assert f"修改建筑物 {names[0]} 的属性（units）" in out and f"修改建筑物 {names[1]} 的属性（units）" in out
    assert list(CensusProject.open(path)["buildings"].set_index("id").loc[big["id"], "units"]) == [2, 2]
    assert main(["divide", str(path), "--district", A]) == 0
    out = capsys.readouterr().out
    parts = CensusProject.open(path)["buildings"].query("address.str.startswith('白坡镇杏坛街4号7栋（')", engine="python")
    assert len(parts) == 2 and parts["population"].sum() == 542 and parts["small_area_code"].nunique() == 2
    shown = "、".join(f"{c}-{n:03d}" for c, n in zip(parts["small_area_code"], parts["number"]))
    assert f"建筑物 白坡镇杏坛街4号7栋（普查区 {A}）人数超过上限，已按单元竖向划分为 {shown}，" in out
    assert main(["check", str(path), "--no-save"]) == 0
    assert "错误 0 个" in capsys.readouterr().out


def test_building_verb_refusals_write_nothing(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    stamp = path.read_bytes()
    assert main(["building", str(path), "370481102001099-001", "--units", "2"]) == 2
    assert "370481102001099-001" in capsys.readouterr().err
    assert main(["--lang", "en", "building", str(path), "#1", "--use", "palace"]) == 2
    err = capsys.readouterr().err
    assert "palace" in err and "#1" in err and "Traceback" not in err
    assert main(["building", str(path), "#1"]) == 2
    assert "--units" in capsys.readouterr().err
    assert path.read_bytes() == stamp
