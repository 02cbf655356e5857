"""Buildings in the app, on the demo township with the mouse: pick one and see its attributes, list a small
area's buildings, edit a building's fields, re-divide around an oversize block, assign a building by a
click — each undone and redone, then saved and read back from the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QPoint, Qt

from gis_census.project import CensusProject
from ui.panels.buildings import ID_ROLE

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
TOWN = "370481102001"  # 白坡镇's town centre: the district of the oversize blocks 杏坛街4号7栋 and 8栋
BLOCKS = {"白坡镇杏坛街4号7栋": 1346, "白坡镇杏坛街4号8栋": 1347}


@pytest.fixture
def demo(window, tmp_path, qtbot):
    """The window with a copy of the demo township open, errors collected instead of shown."""
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(shutil.copy(DEMO, tmp_path / "demo.gpkg"))
    qtbot.waitUntil(lambda: window.document.checked, timeout=30_000)
    window.canvas.setFocus()
    return window


# -- helpers ---------------------------------------------------------------------------------------


def building(window, building_id: int):
    buildings = window.project["buildings"]
    return buildings[buildings["id"] == building_id].iloc[0]


def pixel(canvas, x: float, y: float) -> QPoint:
    p = canvas.to_widget(x, y)
    return QPoint(round(p.x()), round(p.y()))


def click_building(qtbot, window, building_id: int) -> None:
    """Zoom to the building as a user would see it among its neighbours, and click inside it."""
    footprint = building(window, building_id).geometry
    window.canvas.zoom_to(footprint.bounds)
    inside = shapely.point_on_surface(footprint)
    point = pixel(window.canvas, inside.x, inside.y)
    qtbot.mouseMove(window.canvas, point)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def undo_redo(window, before, after) -> None:
    """Undo, see `before()` hold; redo, see `after()` hold."""
    window.undo()
    assert before()
    window.redo()
    assert after()


def errors_in(window, district: str, kind: str) -> list:
    return [p for p in window.document.problems
            if p.kind == kind and p.severity == "error" and any(str(f).startswith(district) for f in p.features)]


def divide(window, qtbot, district: str) -> None:
    """Select a small area of `district` and run Auto-Divide, as from the Tools menu."""
    codes = window.project["small_areas"]["code"]
    window.go_to(codes[codes.str.startswith(district)].iat[0])
    window.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)


# -- tests -----------------------------------------------------------------------------------------


def test_a_click_picks_a_building_and_shows_it_everywhere(demo, qtbot):
    target = 1346
    with qtbot.waitSignal(demo.canvas.buildings_selected) as picked:
        click_building(qtbot, demo, target)
    assert picked.args == [[target]]
    area = building(demo, target)["small_area_code"]
    assert demo.canvas.selected_buildings == [target]
    assert demo.canvas.selection == [area]  # its small area is selected and listed
    assert demo.attributes_panel.layer == "buildings" and demo.attributes_panel.key == target
    assert demo.attributes_panel.editors["address"].text() == "白坡镇杏坛街4号7栋"
    assert demo.attributes_panel.editors["population"].value() == 542
    assert demo.attributes_panel.editors["use"].currentText() == "住宅"
    panel = demo.buildings_panel
    assert panel.area == area and panel.selected_ids() == [target]
    listed = {panel.table.item(r, 0).data(ID_ROLE) for r in range(panel.table.rowCount())}
    buildings = demo.project["buildings"]
    assert listed == set(buildings.loc[buildings["small_area_code"] == area, "id"])

    # A click beside the buildings selects the small area as before, and no building.
    land = demo.project["small_areas"].set_index("code").geometry[area]
    free = shapely.point_on_surface(land.difference(buildings.buffer(8).union_all()))
    qtbot.mouseClick(demo.canvas, Qt.MouseButton.LeftButton, pos=pixel(demo.canvas, free.x, free.y))
    assert demo.canvas.selected_buildings == [] and demo.canvas.selection == [area]
    assert demo.attributes_panel.layer == "small_areas"


def test_far_out_a_click_picks_the_small_area(demo, qtbot):
    demo.canvas.zoom_full()
    footprint = building(demo, 1346).geometry
    qtbot.mouseClick(demo.canvas, Qt.MouseButton.LeftButton, pos=pixel(demo.canvas, *footprint.centroid.coords[0]))
    assert demo.canvas.selected_buildings == []
    assert demo.canvas.selection and demo.attributes_panel.layer == "small_areas"


def test_a_row_of_the_building_table_selects_the_building_on_the_map(demo, qtbot):
    buildings = demo.project["buildings"]
    busiest = buildings["small_area_code"].value_counts().index[0]
    first, other = buildings.loc[buildings["small_area_code"] == busiest, "id"].iloc[:2]
    click_building(qtbot, demo, first)
    panel = demo.buildings_panel
    assert panel.selected_ids() == [first] and panel.table.rowCount() > 2
    row = panel.row_of(other)
    cell = panel.table.visualItemRect(panel.table.item(row, 2)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert demo.canvas.selected_buildings == [other]
    assert demo.attributes_panel.key == other


def test_stairwells_of_the_oversize_blocks_let_the_district_divide_within_range(demo, qtbot):
    divide(demo, qtbot, TOWN)
    assert errors_in(demo, TOWN, "population_out_of_range")  # 7栋 (542) and 8栋 (503) stay over the limit
    for address, block in BLOCKS.items():
        click_building(qtbot, demo, block)
        assert demo.attributes_panel.editors["address"].text() == address
        units = demo.attributes_panel.editors["units"]
        units.setValue(2)
        units.editingFinished.emit()  # as when the user presses Enter or leaves the box
        assert building(demo, block)["units"] == 2
    assert demo.document.history.undo_text()  # each field edit is one step
    undo_redo(demo, lambda: building(demo, BLOCKS["白坡镇杏坛街4号8栋"])["units"] == 0,
              lambda: building(demo, BLOCKS["白坡镇杏坛街4号8栋"])["units"] == 2)

    divide(demo, qtbot, TOWN)
    assert errors_in(demo, TOWN, "population_out_of_range") == []
    halves = demo.project["buildings"]["address"].str.startswith("白坡镇杏坛街4号7栋")
    assert halves.sum() == 2  # the block divided between its stairwells
    undo_redo(demo, lambda: errors_in(demo, TOWN, "population_out_of_range") != [],
              lambda: errors_in(demo, TOWN, "population_out_of_range") == [])

    saved = CensusProject.open(demo.files.save() and demo.project.path)
    b = saved["buildings"]
    assert sorted(b.loc[b["address"].str.startswith("白坡镇杏坛街4号8栋"), "units"]) == [1, 1]
    assert len(b) == len(demo.project["buildings"])


def test_assign_a_building_by_clicking_it(demo, qtbot):
    split = next(p for p in demo.document.problems if p.kind == "building_split")
    target = int(split.features[0]) if split.layer == "buildings" else None
    assert target is not None
    footprint = building(demo, target).geometry
    areas = demo.project["small_areas"]
    shares = shapely.area(shapely.intersection(areas.geometry.to_numpy(), footprint))
    mine = building(demo, target)["small_area_code"]
    other = next(c for c, s in sorted(zip(areas["code"], shares), key=lambda cs: -cs[1]) if s > 0 and c != mine)
    demo.go_to(other)
    demo.ui.tool_actions["assign_building"].trigger()
    click_building(qtbot, demo, target)
    assert demo.errors == []

    def assigned() -> bool:
        area = demo.project["small_areas"].set_index("code").geometry[other]
        return shapely.area(shapely.intersection(area, footprint)) == pytest.approx(footprint.area)

    assert assigned() and building(demo, target)["small_area_code"] == other
    undo_redo(demo, lambda: not assigned(), assigned)
    assert demo.canvas.selection == [other]

    saved = CensusProject.open(demo.files.save() and demo.project.path)
    b = saved["buildings"]
    assert b.loc[b["id"] == target, "small_area_code"].iat[0] == other


def test_assign_by_click_without_an_area_selected_says_what_to_do(demo, qtbot):
    demo.canvas.set_selection([])
    demo.ui.tool_actions["assign_building"].trigger()
    before = demo.document.history.index
    click_building(qtbot, demo, 1346)
    assert demo.document.history.index == before
    assert demo.errors and "小区" in demo.errors[-1]
