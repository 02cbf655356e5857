"""Issue 16: districts of any shape — cut a village's district along a line, merge districts of one village, draw a
special district — virtual small areas, and the villages' urban–rural class.

On the checks' base township (tests/check_township.py): villages A and B, 400 × 200 m each, one district each,
tiled 2 × 2 by small areas of 300 people.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_township import X0, Y0, A, B, base_layers, box, make_project
from gis_census.checks import check_project
from gis_census.checks.coverage import overlap_problems, tiling_problems
from gis_census.editing import (
    EditError,
    add_special_district,
    add_virtual_area,
    apply_edit,
    delete_small_area,
    merge_districts,
    next_district_codes,
    renumber_edit,
    set_fields,
    split_district,
)
from gis_census.lists import area_list
from gis_census.project import CensusProject
from gis_census.rules import is_virtual

LAYERS = ("villages", "districts", "small_areas", "buildings")


def line(*xy):
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


@pytest.fixture
def township() -> CensusProject:
    return make_project(base_layers())


def snapshot(project):
    return {n: project[n].copy() for n in LAYERS}


def assert_same(project, before):
    for n in LAYERS:
        assert_geodataframe_equal(project[n], before[n], check_like=False)


def tiling_errors(project) -> list:
    """Gaps, overlaps and protrusions of districts in villages and small areas in districts."""
    kinds = {"gap", "sliver_gap", "overlap", "outside_parent", "parent_missing", "no_children", "multipart",
             "code_missing", "code_malformed", "code_duplicate", "code_parent_mismatch", "code_sequence_gap",
             "building_code_mismatch", "building_unassigned", "building_split", "population_mismatch",
             "population_total_mismatch", "building_number_duplicate"}
    return sorted((p.kind, p.features) for p in check_project(project) if p.kind in kinds)


def test_cut_a_village_into_two_districts_recodes_their_small_areas(township):
    before = snapshot(township)
    edit = split_district(township, A, line((100, -10), (100, 210)))
    apply_edit(township, edit)
    d = township["districts"].set_index("code")
    assert list(d.index) == [A, B, "370481102600"]
    assert d.loc["370481102600", "village_code"] == A and d.loc["370481102600", "seq"] == 2 and d.loc[A, "seq"] == 1
    # A's west half (x < 100) is the new district; A keeps the east 300 m, where most people live
    assert shapely.equals(d.loc["370481102600"].geometry, box(0, 0, 100, 200))
    areas = township["small_areas"]
    for district, n in ((A, 4), ("370481102600", 2)):
        mine = areas[areas["district_code"] == district]
        assert sorted(mine["seq"]) == [f"{k:03d}" for k in range(1, n + 1)]
        assert (mine["code"] == mine["district_code"] + mine["seq"]).all()
    b = township["buildings"]
    of = dict(zip(areas["code"], areas["district_code"]))
    assert [of[c] for c in b["small_area_code"]] == list(b["district_code"])
    assert areas["population"].sum() == 2400 and tiling_errors(township) == []
    apply_edit(township, edit.inverse())
    assert_same(township, before)


def test_merge_districts_of_one_village_and_refuse_across_villages(township):
    apply_edit(township, split_district(township, A, line((100, -10), (100, 210))))
    with pytest.raises(EditError, match="different villages|不同的村"):
        merge_districts(township, ["370481102600", B])
    before = snapshot(township)
    edit = merge_districts(township, ["370481102600", A])
    apply_edit(township, edit)
    assert list(township["districts"]["code"]) == [A, B]
    mine = township["small_areas"][township["small_areas"]["district_code"] == A]
    assert sorted(mine["seq"]) == ["001", "002", "003", "004", "005", "006"]
    assert tiling_errors(township) == []
    apply_edit(township, edit.inverse())
    assert_same(township, before)


def test_special_district_takes_its_land_from_the_districts_it_lies_in(township):
    before = snapshot(township)
    edit = add_special_district(township, box(300, 20, 373, 80), "学校", "第一中学")
    apply_edit(township, edit)
    new = township["districts"].iloc[-1]
    assert (new["code"], new["village_code"], new["kind"], new["name"], new["seq"]) == ("370481102600", A, "学校", "第一中学", 2)
    assert shapely.area(township["districts"].geometry.iloc[0]) == pytest.approx(400 * 200 - 73 * 60)
    special = township["small_areas"][township["small_areas"]["district_code"] == new["code"]]
    assert list(special["code"]) == [new["code"] + "001"] and special["population"].iat[0] == 120
    assert tiling_errors(township) == []
    apply_edit(township, edit.inverse())
    assert_same(township, before)


@pytest.mark.parametrize("bad, message", [
    (lambda p: split_district(p, A, line((-10, 500), (500, 500))), "没有把普查区|does not cut"),
    (lambda p: split_district(p, A, line((20, -10), (20, 210))), "穿过建筑物|runs through building"),
    (lambda p: add_special_district(p, box(-5, -5, 405, 205), "营区"), "整个普查区|whole of district"),
    (lambda p: add_special_district(p, box(300, 20, 373, 80), " "), "类别|kind"),
    (lambda p: add_special_district(p, box(2000, 0, 2100, 100), "学校"), "不在任何|lies in no"),
    (lambda p: merge_districts(p, [A]), "至少需要两个|two or more"),
])
def test_refused_district_edits_name_what_is_wrong(township, bad, message):
    before = snapshot(township)
    with pytest.raises(EditError, match=message):
        bad(township)
    assert_same(township, before)


def test_a_gap_the_district_already_had_does_not_stop_a_cut():
    layers = base_layers()
    areas = layers["small_areas"]
    areas.loc[areas["code"] == A + "001", "geometry"] = box(0, 0, 190, 100)  # a 10 m strip of A left uncovered
    project = make_project(layers)
    apply_edit(project, split_district(project, A, line((100, -10), (100, 210))))
    gaps = [p for p in check_project(project) if p.kind in ("gap", "sliver_gap")]
    assert len(gaps) == 1 and shapely.area(gaps[0].location) == pytest.approx(10 * 100)


def test_district_code_scheme_is_a_project_setting(township):
    assert next_district_codes(township, A, 2) == ["370481102600", "370481102601"]
    township.meta.district_codes = "village-like"
    assert next_district_codes(township, A, 1) == ["370481102400"]


def test_virtual_area_over_the_limit_is_refused(township):
    with pytest.raises(EditError, match="4,995"):
        add_virtual_area(township, A, "拆迁空挂户", 4996, 1500)
    with pytest.raises(EditError, match="原因|reason"):
        add_virtual_area(township, A, "", 10, 3)


def test_virtual_area_lifecycle(township):
    before = snapshot(township)
    edit = add_virtual_area(township, A, "拆迁空挂户", 420, 150)
    apply_edit(township, edit)
    areas = township["small_areas"]
    row = areas.iloc[-1]
    assert (row["code"], row["seq"], row["population"], row["households"], row["notes"]) == (A + "900", "900", 420, 150, "拆迁空挂户")
    assert is_virtual(areas["seq"], areas.geometry.array)[-1]
    second = add_virtual_area(township, A, "集体户", 80, 1)
    assert second.codes == (A + "901",)
    listed = area_list(township)
    assert A + "900" in set(listed.iloc[:, 0].astype(str)) or (listed == A + "900").any().any()
    assert [p.kind for p in check_project(township) if A + "900" in p.features] == []
    # a renumbering keeps what was entered
    renumber = renumber_edit(township, [A])
    apply_edit(township, renumber)
    assert township["small_areas"].set_index("code").loc[A + "900", "population"] == 420
    delete = delete_small_area(township, [A + "900"])
    apply_edit(township, delete)
    assert A + "900" not in set(township["small_areas"]["code"])
    apply_edit(township, delete.inverse())
    apply_edit(township, renumber.inverse())
    apply_edit(township, edit.inverse())
    assert_same(township, before)


def test_check_applies_the_virtual_limit(township):
    apply_edit(township, add_virtual_area(township, A, "集体户", 4000, 900))
    township["small_areas"].loc[township["small_areas"].index[-1], "population"] = 5000
    assert [(p.kind, p.severity) for p in check_project(township) if A + "900" in p.features] == [("virtual_over_limit", "error")]


@pytest.mark.parametrize("value, ok", [("111", True), ("220", True), ("", True), ("130", False), ("城市", False)])
def test_urban_rural_class_is_editable_and_checked(township, value, ok):
    if ok:
        apply_edit(township, set_fields(township, "villages", A, {"urban_rural": value}))
        assert township["villages"].set_index("code").loc[A, "urban_rural"] == value
    else:
        with pytest.raises(EditError, match="城乡划分代码|Urban–rural class"):
            set_fields(township, "villages", A, {"urban_rural": value})


def test_urban_rural_class_is_carried_into_the_area_list(township):
    apply_edit(township, set_fields(township, "villages", A, {"urban_rural": "121"}))
    listed = area_list(township)
    assert "121" in set(listed.astype(str).to_numpy().ravel())


def _tiled(project) -> bool:
    """Villages tiled by districts and districts by small areas, measured by the checks' own coverage function."""
    d, v, a = project["districts"], project["villages"], project["small_areas"]
    from gis_census.checks import CheckSettings
    s = CheckSettings()
    land = ~is_virtual(a["seq"], a.geometry.array)
    found = tiling_problems("districts", np.asarray(d.geometry.array, dtype=object), d["code"].to_numpy(object),
                            d["village_code"].to_numpy(object), "villages", np.asarray(v.geometry.array, dtype=object),
                            v["code"].to_numpy(object), s)
    found += tiling_problems("small_areas", np.asarray(a.geometry.array, dtype=object)[land], a["code"].to_numpy(object)[land],
                             a["district_code"].to_numpy(object)[land], "districts", np.asarray(d.geometry.array, dtype=object),
                             d["code"].to_numpy(object), s)
    found += overlap_problems("districts", np.asarray(d.geometry.array, dtype=object), d["code"].to_numpy(object), None,
                              s.area_tolerance)
    found += overlap_problems("small_areas", np.asarray(a.geometry.array, dtype=object)[land], a["code"].to_numpy(object)[land],
                              None, s.area_tolerance)
    return not [p for p in found if p.kind in {"gap", "sliver_gap", "overlap", "outside_parent", "parent_missing"}]


edits = st.lists(st.tuples(st.sampled_from(["split", "merge", "special"]), st.integers(0, 7), st.floats(5, 395),
                           st.floats(5, 195), st.floats(10, 120)), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_every_accepted_district_edit_keeps_the_tiling(steps):
    project = make_project(base_layers())
    start = snapshot(project)
    done = []
    for kind, k, x, y, size in steps:
        districts = list(project["districts"]["code"])
        code = districts[k % len(districts)]
        village = project["districts"].set_index("code").loc[code, "village_code"]
        dx = 0 if village == A else 400
        before = snapshot(project)
        try:
            if kind == "split":
                edit = split_district(project, code, line((dx + x, -10), (dx + x + size - 60, 210)))
            elif kind == "merge":
                same = [c for c in districts if project["districts"].set_index("code").loc[c, "village_code"] == village]
                edit = merge_districts(project, same)
            else:
                edit = add_special_district(project, box(dx + x, y, dx + x + size, y + size / 2), "学校")
        except EditError:
            assert_same(project, before)
            continue
        apply_edit(project, edit)
        done.append(edit)
        assert _tiled(project), (kind, code, x, y, size)
        assert project["small_areas"]["population"].sum() == 2400
        codes = project["small_areas"]["code"]
        assert codes.is_unique and (codes == project["small_areas"]["district_code"] + project["small_areas"]["seq"]).all()
        d = project["districts"]
        assert d["code"].is_unique and d["code"].str.fullmatch(r"\d{12}").all()
        for village, seqs in d.groupby("village_code")["seq"]:  # a village's districts: distinct numbers
            assert sorted(max(int(q), 1) for q in seqs) == sorted(set(max(int(q), 1) for q in seqs)), village
        for district, seqs in project["small_areas"].groupby("district_code")["seq"]:  # recoded 001 upward
            land = sorted(q for q in seqs if q < "900")
            assert land == [f"{k:03d}" for k in range(1, len(land) + 1)], district
    for edit in reversed(done):
        apply_edit(project, edit.inverse())
    assert_same(project, start)


@pytest.mark.parametrize("field", ["CXFL", "城乡分类", "URBAN_RURAL"])
def test_urban_rural_class_is_read_on_import(tmp_path, capsys, field):
    from frames import building_frame, village_frame
    from gis_census.cli import main

    villages = village_frame().assign(**{field: ["111", "112", "220", None]})
    villages.to_file(tmp_path / "v.gpkg", engine="pyogrio")
    building_frame().to_file(tmp_path / "b.gpkg", engine="pyogrio")
    out = tmp_path / "p.gpkg"
    assert main(["new", str(out), "--villages", str(tmp_path / "v.gpkg"), "--buildings", str(tmp_path / "b.gpkg")]) == 0
    assert list(CensusProject.open(out)["villages"]["urban_rural"]) == ["111", "112", "220", ""]


def test_an_urban_rural_class_that_is_none_is_refused_on_import(tmp_path, capsys):
    from frames import building_frame, village_frame
    from gis_census.cli import main

    village_frame().assign(CXFL=["111", "999", "220", ""]).to_file(tmp_path / "v.gpkg", engine="pyogrio")
    building_frame().to_file(tmp_path / "b.gpkg", engine="pyogrio")
    assert main(["new", str(tmp_path / "p.gpkg"), "--villages", str(tmp_path / "v.gpkg"), "--buildings", str(tmp_path / "b.gpkg")]) != 0
    assert "999" in capsys.readouterr().err
    assert not (tmp_path / "p.gpkg").exists()


def test_district_codes_setting_is_saved_and_set_from_the_command_line(township, tmp_path, capsys):
    from gis_census.cli import main

    path = tmp_path / "t.gpkg"
    township.save(path)
    assert main(["set", str(path), "--district-codes", "village-like"]) == 0
    project = CensusProject.open(path)
    assert project.meta.district_codes == "village-like"
    apply_edit(project, add_special_district(project, box(300, 20, 373, 80), "营区"))
    project.save()
    again = CensusProject.open(path)
    assert list(again["districts"]["code"])[-1] == "370481102400" and list(again["districts"]["kind"])[-1] == "营区"
