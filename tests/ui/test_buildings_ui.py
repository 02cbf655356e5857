"""Buildings in the app, on the demo township with the mouse: pick one and see its attributes, list a small
area's buildings, edit a building's fields, re-divide around an oversize block, assign a building by a
click — each undone and redone, then saved and read back from the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt

from gis_census.project import CensusProject
from ui.building_text import building_title
from ui.canvas.renderer import build_layer
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
    window.ask_divide_or_update = lambda n: "divide"  # the stairwells need a new division of the district
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


def test_building_numbers_are_labels_that_show_once_a_building_is_big_enough(demo, qtbot):
    demo.job_flows.renumber()
    qtbot.waitUntil(lambda: not demo.jobs, timeout=60_000)
    buildings = demo.project["buildings"]
    (group,) = build_layer("buildings", buildings).groups
    assert sorted(map(int, group.labels)) == sorted(n for n in buildings["number"] if n > 0)
    fit_w, fit_h = group.style.label_fit
    assert (np.median(group.extents, axis=0) * 0.25 < (fit_w, fit_h)).all()  # a typical house's not at 4 m a pixel…
    assert (group.extents.min(axis=0) * 2.0 >= (fit_w, fit_h)).all()  # …all at 0.5 m a pixel


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
    demo.canvas.zoom_full()  # the building chosen in the table is brought into view
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert demo.canvas.selected_buildings == [other]
    assert demo.attributes_panel.key == other
    xmin, ymin, xmax, ymax = demo.canvas.view.bounds()
    assert shapely.box(xmin, ymin, xmax, ymax).contains(building(demo, other).geometry)
    assert demo.canvas.building_at(*shapely.point_on_surface(building(demo, other).geometry).coords[0]) == other


def test_stairwells_of_the_oversize_blocks_let_the_district_divide_within_range(demo, qtbot):
    divide(demo, qtbot, TOWN)
    assert errors_in(demo, TOWN, "population_out_of_range")  # 7栋 (542) and 8栋 (503) stay over the limit
    for block in BLOCKS.values():  # the notice names them as people read them
        assert building_title(building(demo, block)) in demo.errors[-1]
    for address, block in BLOCKS.items():
        click_building(qtbot, demo, block)
        assert demo.attributes_panel.editors["address"].text() == address
        units = demo.attributes_panel.editors["units"]
        units.setValue(2)
        with qtbot.waitSignal(demo.document.problems_changed) as checked:  # the live check follows the edit
            units.editingFinished.emit()  # as when the user presses Enter or leaves the box
        assert checked.args == [TOWN]
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


# -- building tools --------------------------------------------------------------------------------

OPEN_LAND = "370481102001001"  # a wide small area with empty land away from its boundaries


def free_spot(window, code: str = OPEN_LAND, clearance: float = 40.0) -> shapely.Point:
    """A point of small area `code` at least `clearance` m from its boundary and from every building."""
    area = window.project["small_areas"].set_index("code").geometry[code]
    buildings = window.project["buildings"].geometry
    near = buildings[buildings.intersects(area.buffer(clearance))]
    return shapely.point_on_surface(area.buffer(-clearance).difference(near.buffer(clearance).union_all()))


def look_at(window, point: shapely.Point) -> None:
    window.canvas.zoom_to((point.x - 60, point.y - 60, point.x + 60, point.y + 60))


def drag(qtbot, canvas, start: QPoint, end: QPoint) -> None:
    qtbot.mouseMove(canvas, start)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, (start + end) / 2)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def ids(window) -> set[int]:
    return set(window.project["buildings"]["id"].tolist())


def test_add_a_building_by_a_click_and_by_its_footprint_then_save(demo, qtbot):
    canvas, before = demo.canvas, ids(demo)
    spot = free_spot(demo)
    look_at(demo, spot)
    demo.ui.tool_actions["add_building"].trigger()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, spot.x, spot.y))
    (point_id,) = ids(demo) - before
    added = building(demo, point_id)
    assert added.geometry.geom_type == "Point" and added.geometry.distance(spot) < 1.0
    assert added["small_area_code"] == OPEN_LAND and added["number"] > 0
    assert demo.errors == []
    undo_redo(demo, lambda: point_id not in ids(demo), lambda: point_id in ids(demo))
    demo.ui.tool_actions["select"].trigger()
    where = pixel(canvas, spot.x, spot.y)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert canvas.selected_buildings == [point_id]
    image = canvas.grab().toImage()
    ring = [image.pixelColor(where + QPoint(dx, dy)) for dx in range(-8, 9) for dy in range(-8, 9)]
    assert any(c.red() > c.green() + 80 and c.blue() > c.green() + 40 for c in ring)  # marked in magenta

    demo.ui.tool_actions["draw_building"].trigger()
    corners = [(spot.x + 15, spot.y + 15), (spot.x + 35, spot.y + 15), (spot.x + 35, spot.y + 30), (spot.x + 15, spot.y + 30)]
    for x, y in corners:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, x, y))
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, *corners[-1]))
    (drawn_id,) = ids(demo) - before - {point_id}
    drawn = building(demo, drawn_id)
    assert drawn.geometry.area == pytest.approx(20 * 15, rel=0.1)
    assert drawn["small_area_code"] == OPEN_LAND and drawn["number"] == added["number"] + 1
    undo_redo(demo, lambda: drawn_id not in ids(demo), lambda: drawn_id in ids(demo))

    saved = CensusProject.open(demo.files.save() and demo.project.path)
    b = saved["buildings"].set_index("id")
    assert {point_id, drawn_id} <= set(b.index)
    assert b.geometry[drawn_id].area == pytest.approx(drawn.geometry.area)
    assert b.loc[drawn_id, "small_area_code"] == OPEN_LAND


def test_move_reshape_and_demolish_a_building_then_save(demo, qtbot):
    canvas, target = demo.canvas, 1300
    old = building(demo, target).geometry
    demo.ui.tool_actions["move_building"].trigger()
    canvas.zoom_to(old.bounds)
    inside = shapely.point_on_surface(old)
    start = pixel(canvas, inside.x, inside.y)
    drag(qtbot, canvas, start, start + QPoint(0, -12))  # 12 px north
    moved = building(demo, target).geometry
    dy = moved.centroid.y - old.centroid.y
    assert dy == pytest.approx(12 / canvas.view.scale, rel=0.05) and moved.area == pytest.approx(old.area)
    assert demo.errors == []
    undo_redo(demo, lambda: building(demo, target).geometry.equals(old), lambda: building(demo, target).geometry.equals(moved))

    demo.ui.tool_actions["reshape_building"].trigger()
    xmin, ymin, xmax, ymax = moved.bounds
    corner = pixel(canvas, xmax, ymax)
    drag(qtbot, canvas, corner, corner + QPoint(8, -8))
    reshaped = building(demo, target).geometry
    assert reshaped.area > moved.area and reshaped.bounds[2] > xmax
    undo_redo(demo, lambda: building(demo, target).geometry.equals(moved),
              lambda: building(demo, target).geometry.equals(reshaped))

    demo.ui.tool_actions["select"].trigger()
    click_building(qtbot, demo, target)
    assert canvas.selected_buildings == [target]
    assert demo.ui.delete_action.text() == "拆除建筑物(&D)"  # what Del does now, as the Edit menu says
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)  # demolishes the building, not its small area
    assert target not in ids(demo) and len(demo.project["small_areas"]) == 107
    assert canvas.selected_buildings == []
    undo_redo(demo, lambda: target in ids(demo), lambda: target not in ids(demo))

    saved = CensusProject.open(demo.files.save() and demo.project.path)
    assert target not in set(saved["buildings"]["id"]) and len(saved["buildings"]) == len(demo.project["buildings"])


def test_split_a_building_with_a_line_and_merge_it_back(demo, qtbot):
    canvas, target, before = demo.canvas, 1300, ids(demo)
    old = building(demo, target)
    canvas.zoom_to(old.geometry.bounds)
    xmin, ymin, xmax, ymax = old.geometry.bounds
    middle = (xmin + xmax) / 2
    demo.ui.tool_actions["split_building"].trigger()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, middle, ymax + 4))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, middle, ymin - 4))
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=pixel(canvas, middle, ymin - 4))
    assert demo.errors == []
    (piece,) = ids(demo) - before
    assert building(demo, target)["population"] + building(demo, piece)["population"] == old["population"]
    undo_redo(demo, lambda: piece not in ids(demo), lambda: piece in ids(demo))

    demo.ui.tool_actions["select"].trigger()
    click_building(qtbot, demo, target)
    other = shapely.point_on_surface(building(demo, piece).geometry)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pixel(canvas, other.x, other.y))
    assert sorted(canvas.selected_buildings) == [target, piece]
    assert demo.attributes_panel.values["population"].text() == str(old["population"])  # the two summed
    qtbot.keyClick(canvas, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert piece not in ids(demo)
    assert building(demo, target).geometry.area == pytest.approx(old.geometry.area)
    assert building(demo, target)["population"] == old["population"]
    undo_redo(demo, lambda: piece in ids(demo), lambda: piece not in ids(demo))


def test_the_assign_dialog_takes_the_building_name(demo, qtbot):
    demo.job_flows.renumber()
    qtbot.waitUntil(lambda: not demo.jobs, timeout=60_000)
    split = next(p for p in demo.document.problems if p.kind == "building_split")
    target = int(split.features[0])
    b = building(demo, target)
    areas = demo.project["small_areas"]
    shares = shapely.area(shapely.intersection(areas.geometry.to_numpy(), b.geometry))
    other = next(c for c, s in sorted(zip(areas["code"], shares), key=lambda cs: -cs[1]) if s > 0 and c != b["small_area_code"])
    demo.go_to(other)
    name = f"{b['small_area_code']}-{int(b['number']):03d}"
    assert not demo.assign_building_named("999-999") and "999-999" in demo.errors[-1]
    assert demo.assign_building_named(name)
    assert building(demo, target)["small_area_code"] == other
