"""The Register panel on the demo township: a small register imported (one undo step), an unmatched address
chosen in the panel and settled by a real click on a building at village scale, undone, redone, saved, reopened."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt

from gis_census.editing import set_building_fields
from gis_census.editing.edit import apply_edit
from gis_census.project import CensusProject
from gis_census.register import remembered_choices
from ui.panels.register import ADDRESS_ROLE

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "370481102003"
LOST = "白坡镇幸福路999号"  # no building has it
GONE = "白坡镇和平路旧8号"  # nor this one
NAMES = ("欧阳测甲", "司马测乙")  # must never reach the screen


@pytest.fixture
def demo_file(tmp_path) -> tuple[Path, list[tuple[int, str]]]:
    """The demo township with two buildings of DISTRICT given the same address (so a register row at it is
    ambiguous); returns the file and (id, address) of a few homes of DISTRICT with an address of their own."""
    path = tmp_path / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    project = CensusProject.open(path)
    b = project["buildings"]
    b = b[(b["district_code"] == DISTRICT) & (b["address"] != "")]
    homes = [(int(i), a) for i, a in zip(b["id"], b["address"])][:6]
    apply_edit(project, set_building_fields(project, homes[5][0], {"address": homes[4][1]}))
    project.save()
    return path, homes[:4]


def register_csv(path: Path, addresses: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["户号", "户主姓名", "姓名", "与户主关系", "公民身份号码", "住址", "所属村/居委会"])
        for h, (address, size) in enumerate(addresses):
            for p in range(size):
                w.writerow([f"H{h}", NAMES[0], NAMES[p % 2], "户主" if p == 0 else "子", f"37048119800101{h:03d}{p}",
                            address, ""])
    return path


def test_settle_an_unmatched_address_by_clicking_its_building(window, demo_file, tmp_path, qtbot):
    path, homes = demo_file
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.document.checked, timeout=30000)
    shared = window.project["buildings"].loc[lambda b: b["id"] == homes[0][0] + 4, "address"].iat[0]
    table = register_csv(tmp_path / "register.csv", [(a, 2) for _, a in homes[:3]] + [(LOST, 3), (GONE, 2), (shared, 2)])

    window.register_flows.choose_file = lambda: str(table)  # File → Import → Register…, its dialogues answered
    window.register_flows.choose_kind = lambda: "户籍"
    window.register_flows.choose_renames = lambda: ""
    window.ui.import_register_action.trigger()
    qtbot.waitUntil(lambda: len(window.project["register"]) == 13 or bool(window.errors), timeout=30000)
    assert window.errors == []
    assert window.document.history.undo_text() == "导入户籍资料（13 行）"
    panel = window.register_panel
    qtbot.waitUntil(lambda: panel.isVisible())
    lines = {panel.table.item(r, 1).text(): [panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
             for r in range(panel.table.rowCount())}
    assert set(lines) == {LOST, GONE, shared}
    assert lines[LOST][3:7] == ["3", "3", "1", "无对应建筑物"]
    assert lines[shared][6] == "多个建筑物" and len(lines[shared][7].split("、")) == 2
    shown = " ".join(panel.table.item(r, c).text() for r in range(panel.table.rowCount())
                     for c in range(panel.table.columnCount()))
    assert not any(name in shown for name in NAMES) and "370481198001" not in shown  # no names, no ID numbers
    if os.environ.get("REGISTER_SHOT"):
        window.register_dock.resize(900, 260)
        panel.resize(900, 260)
        panel.grab().save(os.environ["REGISTER_SHOT"])

    # an ambiguous address: its candidate buildings are marked on the map
    rect = panel.table.visualItemRect(panel.table.item(panel.row_of(shared), 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.canvas.register_address == shared and window.canvas._highlight is not None

    # choose the unmatched address in the panel, then click the building on the map at village scale
    row = panel.row_of(LOST)
    rect = panel.table.visualItemRect(panel.table.item(row, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.canvas.register_address == LOST and window.canvas.tool.name == "settle_register"
    target = homes[3][0]
    buildings = window.project["buildings"]
    footprint = buildings.geometry[buildings["id"] == target].iat[0]
    canvas = window.canvas
    canvas.zoom_to(footprint.bounds, least=150.0)
    point = shapely.get_coordinates(footprint.representative_point())[0]
    assert canvas.building_at(*point) == target
    at = canvas.to_widget(*point)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(at.x()), round(at.y())))

    def lost_rows():
        register = window.project["register"]
        return register[register["address"] == LOST]

    assert set(lost_rows()["status"]) == {"matched"} and set(lost_rows()["building_id"]) == {target}
    assert list(remembered_choices(window.project).values()) == [target]
    assert panel.row_of(LOST) is None and panel.table.rowCount() == 2
    assert window.canvas.register_address == ""  # the line left the list: the next click settles nothing
    assert LOST in window.document.history.undo_text()
    assert window.errors == []

    window.ui.undo_action.trigger()
    assert set(lost_rows()["status"]) == {"unmatched"} and remembered_choices(window.project) == {}
    assert panel.row_of(LOST) is not None
    window.ui.redo_action.trigger()
    assert set(lost_rows()["building_id"]) == {target} and panel.row_of(LOST) is None

    assert window.save()
    again = CensusProject.open(path)
    register = again["register"]
    assert set(register.loc[register["address"] == LOST, "status"]) == {"matched"}
    assert set(register.loc[register["address"] == LOST, "building_id"]) == {target}
    assert list(remembered_choices(again).values()) == [target]
    assert all(panel.table.item(r, 0).data(ADDRESS_ROLE) != LOST for r in range(panel.table.rowCount()))
    window.register_dock.hide()
    assert window.open_project(path)  # a project with a register opens with its panel shown
    assert window.register_dock.isVisible() and window.register_panel.table.rowCount() == 2


def test_a_register_naming_a_block_s_stairwells_records_them_in_one_undo_step(window, demo_file, tmp_path, qtbot):
    path, _ = demo_file
    block = "白坡镇杏坛街4号7栋"  # 542 people, no stairwells recorded
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.document.checked, timeout=30000)
    table = register_csv(tmp_path / "register.csv", [(f"{block}{u}单元{u}01室", 2) for u in (1, 2, 3, 4)])
    window.register_flows.choose_file = lambda: str(table)
    window.register_flows.choose_kind = lambda: "户籍"
    window.register_flows.choose_renames = lambda: ""
    window.ui.import_register_action.trigger()
    qtbot.waitUntil(lambda: len(window.project["register"]) == 8 or bool(window.errors), timeout=30000)
    assert window.errors == []

    def units() -> list[int]:
        b = window.project["buildings"]
        return b.loc[b["address"] == block, "units"].tolist()

    assert units() == [4]
    assert "已按地址中的单元号记录 1 栋楼的单元数" in window.statusBar().currentMessage()
    window.ui.undo_action.trigger()
    assert units() == [0] and len(window.project["register"]) == 0
    window.ui.redo_action.trigger()
    assert units() == [4]
