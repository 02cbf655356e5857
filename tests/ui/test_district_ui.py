"""Issue 16 in the window: cut a village into two districts with a line drawn on the map, merge them back, draw a
special district, create and delete a virtual small area, set a village's urban–rural class — each undone and
redone — then save, reopen and find the result. A screenshot of the special district is saved for a person to look at.

The township (tests/ui/ui_township.py): villages 东关村 (x 0–1000 m) and 西河村 (x 1000–2000 m), 800 m high, one
district each, each cut into a south (001) and a north (002) small area.
"""

from __future__ import annotations

import os
from pathlib import Path

import shapely
from PySide6.QtCore import Qt

from test_editing_workflow import WEST, at, click, double_click, saved, tiling_problems
from ui.canvas.tools import SpecialDistrictTool, SplitDistrictTool

EAST = "370481102202"
NEW = "370481102600"  # the first further district of the township (district_codes "village+seq": 600–999)
SHOTS = Path(os.environ.get("DIST_SHOTS", "/tmp/dist_shots"))


def codes(window, layer="small_areas") -> list[str]:
    return sorted(window.project[layer]["code"])


def undo_redo(window, qtbot, before, after, layer="small_areas"):
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert codes(window, layer) == before
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert codes(window, layer) == after


def cut_west_village(window, qtbot):
    """Draw a line down the middle of 东关村 with the Cut Village into Districts tool."""
    canvas = window.canvas
    window.ui.tool_actions["split_district"].trigger()
    assert isinstance(canvas.tool, SplitDistrictTool)
    click(qtbot, canvas, at(canvas, 500, -50))
    double_click(qtbot, canvas, at(canvas, 500, 850))


def test_the_district_commands_are_in_the_edit_menu_in_chinese(editor):
    menu = editor.ui.districts_menu
    assert menu.title() == "普查区(&T)"
    assert [a.text() for a in menu.actions() if a.text()] == [
        "切分村/居委会为多个普查区(&C)", "新增特殊普查区(&S)…", "合并普查区(&D)", "新增虚拟普查小区(&V)…", "删除虚拟普查小区(&I)…"]


def test_cut_a_village_into_two_districts_recodes_and_merges_back(editor, qtbot):
    districts_before, areas_before = codes(editor, "districts"), codes(editor)
    cut_west_village(editor, qtbot)
    assert editor.errors == []
    d = editor.project["districts"].set_index("code")
    assert codes(editor, "districts") == [WEST, EAST, NEW] or sorted(d.index) == sorted([WEST, EAST, NEW])
    assert d.loc[NEW, "village_code"] == WEST and (d.loc[WEST, "seq"], d.loc[NEW, "seq"]) == (1, 2)
    cut = codes(editor)
    assert [c for c in cut if c.startswith(NEW)] == [NEW + "001", NEW + "002"]
    assert [c for c in cut if c.startswith(WEST)] == [WEST + "001", WEST + "002"]
    assert tiling_problems(editor.project) == []
    assert "切分普查区" in editor.ui.undo_action.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    editor.canvas.set_layer_visible("problems", False)
    qtbot.wait(100)
    editor.canvas.grab().save(str(SHOTS / "cut_village.png"))
    editor.canvas.set_layer_visible("problems", True)
    undo_redo(editor, qtbot, areas_before, cut)
    undo_redo(editor, qtbot, districts_before, sorted([WEST, EAST, NEW]), "districts")

    # Merge them back: select a small area in each and choose Merge Districts.
    editor.canvas.set_selection([WEST + "001", NEW + "001"])
    editor._selection_from_map([WEST + "001", NEW + "001"])
    assert editor.ui.merge_districts_action.isEnabled()
    editor.ui.merge_districts_action.trigger()
    assert editor.errors == [] and codes(editor, "districts") == districts_before
    assert [c for c in codes(editor) if c.startswith(WEST)] == [WEST + f"{k:03d}" for k in range(1, 5)]
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    reopened = saved(editor, qtbot)
    assert sorted(reopened["districts"]["code"]) == sorted([WEST, EAST, NEW])
    assert sorted(reopened["small_areas"]["code"]) == cut
    assert tiling_problems(reopened) == []


def test_a_line_through_a_house_is_refused_with_its_name(editor, qtbot):
    canvas = editor.canvas
    editor.ui.tool_actions["split_district"].trigger()
    click(qtbot, canvas, at(canvas, 120, -50))  # through the house at x 100–140 m
    double_click(qtbot, canvas, at(canvas, 120, 850))
    assert len(editor.errors) == 1 and "穿过建筑物" in editor.errors[0]
    assert codes(editor, "districts") == [WEST, EAST] and len(editor.document.history) == 0


def test_cancelling_the_special_district_kind_keeps_the_tool(editor):
    editor.district_flows.choose_special_kind = lambda: None
    editor.ui.special_district_action.trigger()
    assert editor.canvas.tool.name == "select" and editor.ui.tool_actions["select"].isChecked()


def test_a_special_district_drawn_on_the_map(editor, qtbot):
    canvas = editor.canvas
    editor.district_flows.choose_special_kind = lambda: ("学校", "青石中学")
    editor.ui.special_district_action.trigger()
    assert isinstance(canvas.tool, SpecialDistrictTool) and editor.ui.special_district_action.isChecked()
    before = codes(editor, "districts")
    for x, y in [(1150, 250), (1300, 250), (1300, 380)]:
        click(qtbot, canvas, at(canvas, x, y))
    double_click(qtbot, canvas, at(canvas, 1150, 380))
    assert editor.errors == []
    special = editor.project["districts"].iloc[-1]
    assert (special["code"], special["village_code"], special["kind"], special["name"]) == (NEW, EAST, "学校", "青石中学")
    assert shapely.area(special.geometry) > 0.9 * 150 * 130
    assert codes(editor)[-1] == NEW + "001" and tiling_problems(editor.project) == []
    after = codes(editor, "districts")
    undo_redo(editor, qtbot, before, after, "districts")

    SHOTS.mkdir(parents=True, exist_ok=True)
    editor.resize(1400, 900)
    canvas.zoom_to(shapely.buffer(special.geometry, 60).bounds)
    qtbot.wait(200)
    editor.grab().save(str(SHOTS / "special_district.png"))
    canvas.set_layer_visible("problems", False)  # the toy township's areas are all off target: see the outline itself
    qtbot.wait(200)
    canvas.grab().save(str(SHOTS / "special_district_no_problems.png"))
    canvas.set_layer_visible("problems", True)

    reopened = saved(editor, qtbot)
    row = reopened["districts"].set_index("code").loc[NEW]
    assert (row["kind"], row["name"], row["village_code"]) == ("学校", "青石中学", EAST)
    assert NEW + "001" in set(reopened["small_areas"]["code"]) and tiling_problems(reopened) == []


def test_create_and_delete_a_virtual_small_area(editor, qtbot):
    flows = editor.district_flows
    flows.ask_virtual_area = lambda: (WEST, "拆迁空挂户", 260, 90)
    before = codes(editor)
    editor.ui.new_virtual_action.trigger()
    assert editor.errors == []
    row = editor.project["small_areas"].set_index("code").loc[WEST + "900"]
    assert (row["population"], row["households"], row["notes"], row.geometry) == (260, 90, "拆迁空挂户", None)
    with_virtual = codes(editor)
    undo_redo(editor, qtbot, before, with_virtual)

    flows.ask_virtual_area = lambda: (WEST, "集体户", 5000, 10)
    editor.ui.new_virtual_action.trigger()
    assert len(editor.errors) == 1 and "4,995" in editor.errors[0] and codes(editor) == with_virtual

    offered = []
    flows.choose_virtual_area = lambda areas: offered.extend(areas) or areas[0][0]
    editor.ui.delete_virtual_action.trigger()
    assert offered == [(WEST + "900", "拆迁空挂户")] and codes(editor) == before
    undo_redo(editor, qtbot, with_virtual, before)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    reopened = saved(editor, qtbot)
    assert reopened["small_areas"].set_index("code").loc[WEST + "900", "population"] == 260


def test_urban_rural_class_is_edited_in_the_attributes_panel(editor, qtbot):
    assert editor.go_to(WEST)
    panel = editor.attributes_panel
    assert panel.layer == "villages" and panel.key == WEST
    box = panel.editors["urban_rural"]
    box.setCurrentIndex(box.findData("121"))
    box.activated.emit(box.currentIndex())
    assert editor.project["villages"].set_index("code").loc[WEST, "urban_rural"] == "121"
    assert panel.layer == "villages" and panel.editors["urban_rural"].currentData() == "121"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.project["villages"].set_index("code").loc[WEST, "urban_rural"] == ""
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert saved(editor, qtbot)["villages"].set_index("code").loc[WEST, "urban_rural"] == "121"
