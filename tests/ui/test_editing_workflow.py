"""Editing on the real canvas with the mouse: draw with snapping, split, merge, drag a shared vertex,
undo and redo each, save and reopen — asserting on the saved GeoPackage."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt

from gis_census.checks import check_project
from gis_census.project import CensusProject
from ui_township import X0, Y0, box

TILING = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "multipart", "building_split"}
WEST = "370481102201"  # 东关村: areas 001 (south half) and 002 (north half), 1000 × 400 m each


def at(canvas, x: float, y: float, jitter: tuple[int, int] = (0, 0)) -> QPoint:
    """The widget pixel of the township point (x, y) m, moved by `jitter` pixels."""
    p = canvas.to_widget(X0 + x, Y0 + y)
    return QPoint(round(p.x()) + jitter[0], round(p.y()) + jitter[1])


def where(canvas, point: QPoint) -> tuple[float, float]:
    """The map point (m) a click at the widget pixel `point` lands on, before snapping."""
    return canvas.to_map(QPointF(point))


def click(qtbot, canvas, point: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseMove(canvas, point)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, modifier, point)


def double_click(qtbot, canvas, point: QPoint) -> None:
    """A real double-click: Qt delivers a press and release, then the double-click event."""
    click(qtbot, canvas, point)
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=point)


def areas_of(window) -> dict[str, shapely.Geometry]:
    gdf = window.project["small_areas"]
    return dict(zip(gdf["code"], gdf.geometry))


def tiling_problems(project) -> list:
    return [p for p in check_project(project) if p.kind in TILING]


def saved(window, qtbot) -> CensusProject:
    """Save with Ctrl+S and read the file back."""
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.document.dirty
    return CensusProject.open(window.project.path)


def test_draw_a_small_area_snapping_to_its_neighbours(editor, qtbot):
    canvas = editor.canvas
    click(qtbot, canvas, at(canvas, 500, 600))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert f"{WEST}002" not in areas_of(editor)

    editor.ui.tool_actions["draw"].trigger()
    # Each corner clicked a few pixels off: snapping puts it on the district's and neighbour's vertices.
    for (x, y), jitter in zip([(0, 400), (1000, 400), (1000, 800)], [(3, -2), (-4, 3), (2, 4)]):
        click(qtbot, canvas, at(canvas, x, y, jitter))
    double_click(qtbot, canvas, at(canvas, 0, 800, (-3, 2)))

    assert editor.errors == []
    new = areas_of(editor)[f"{WEST}002"]
    assert shapely.equals_exact(shapely.normalize(new), shapely.normalize(box(0, 400, 1000, 400)), tolerance=1e-6)
    assert tiling_problems(editor.project) == []
    reopened = saved(editor, qtbot)
    row = reopened["small_areas"].set_index("code").loc[f"{WEST}002"]
    assert row.geometry.area == pytest.approx(400_000)
    assert row.population == 4  # the building at (300, 500)
    assert tiling_problems(reopened) == []


def test_drawing_over_existing_areas_is_clipped_to_free_land(editor, qtbot):
    canvas = editor.canvas
    click(qtbot, canvas, at(canvas, 500, 600))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    editor.ui.tool_actions["draw"].trigger()
    corners = [at(canvas, x, y) for x, y in [(200, 200), (800, 200), (800, 700), (200, 700)]]  # 200 m into the south area
    for point in corners[:-1]:
        click(qtbot, canvas, point)
    double_click(qtbot, canvas, corners[-1])
    drawn = shapely.Polygon([where(canvas, p) for p in corners])
    new = areas_of(editor)[f"{WEST}002"]
    assert shapely.normalize(new).equals_exact(shapely.normalize(drawn.intersection(box(0, 400, 1000, 400))), 1e-6)
    assert not any(shapely.overlaps(new, g) for c, g in areas_of(editor).items() if c != f"{WEST}002")


def test_split_undo_redo(editor, qtbot):
    canvas = editor.canvas
    before = areas_of(editor)
    editor.ui.tool_actions["split"].trigger()
    start, end = at(canvas, 400, -50), at(canvas, 400, 450)
    click(qtbot, canvas, start)
    double_click(qtbot, canvas, end)
    assert editor.errors == []
    after = areas_of(editor)
    assert len(after) == len(before) + 1
    line = shapely.LineString([where(canvas, start), where(canvas, end)])
    west_of_line = shapely.Polygon([*line.coords, (X0 - 100, Y0 + 450), (X0 - 100, Y0 - 50)])
    expected = sorted([box(0, 0, 1000, 400).intersection(west_of_line).area, box(0, 0, 1000, 400).difference(west_of_line).area])
    halves = [g for c, g in after.items() if c.startswith(WEST) and c != f"{WEST}002"]
    assert sorted(g.area for g in halves) == pytest.approx(expected, rel=1e-9)
    assert 150_000 < expected[0] < 170_000
    assert tiling_problems(editor.project) == []
    assert editor.ui.undo_action.text().startswith("撤销")

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(areas_of(editor)) == set(before)
    assert all(shapely.equals_exact(areas_of(editor)[c], g, tolerance=0) for c, g in before.items())
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert set(areas_of(editor)) == set(after)

    reopened = saved(editor, qtbot)
    assert len(reopened["small_areas"]) == 5
    parts = reopened["small_areas"][reopened["small_areas"]["code"] != f"{WEST}002"]
    parts = parts[parts["district_code"] == WEST]
    assert sorted(parts["population"]) == [4, 4]  # the two buildings of the old area, one on each side of the line
    assert tiling_problems(reopened) == []


def test_merge_two_selected_areas_undo_redo(editor, qtbot):
    canvas = editor.canvas
    click(qtbot, canvas, at(canvas, 500, 200))
    click(qtbot, canvas, at(canvas, 500, 600), Qt.KeyboardModifier.ShiftModifier)
    assert canvas.selection == [f"{WEST}001", f"{WEST}002"]
    qtbot.keyClick(canvas, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    merged = areas_of(editor)
    assert f"{WEST}002" not in merged
    assert merged[f"{WEST}001"].symmetric_difference(box(0, 0, 1000, 800)).area < 1e-6
    assert tiling_problems(editor.project) == []

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(areas_of(editor)) == 4
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(areas_of(editor)) == 3
    reopened = saved(editor, qtbot)
    merged = reopened["small_areas"].set_index("code").loc[f"{WEST}001"]
    assert merged.population == 12 and merged.geometry.area == pytest.approx(800_000)


def test_drag_a_shared_boundary_moves_both_neighbours(editor, qtbot):
    canvas = editor.canvas
    editor.ui.tool_actions["vertex"].trigger()
    start, end = at(canvas, 500, 400, (2, 1)), at(canvas, 500, 500)
    qtbot.mouseMove(canvas, start)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)

    assert editor.errors == []
    south, north = areas_of(editor)[f"{WEST}001"], areas_of(editor)[f"{WEST}002"]
    tip = where(canvas, end)
    assert any(np.allclose(c, tip, atol=1e-6) for c in shapely.get_coordinates(south))
    assert any(np.allclose(c, tip, atol=1e-6) for c in shapely.get_coordinates(north))
    moved = 0.5 * 1000 * (tip[1] - (Y0 + 400))  # the triangle between the old edge and the new peak
    assert south.area == pytest.approx(400_000 + moved, rel=1e-9)
    assert north.area == pytest.approx(400_000 - moved, rel=1e-9)
    assert tiling_problems(editor.project) == []

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert areas_of(editor)[f"{WEST}001"].area == pytest.approx(400_000)
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    reopened = saved(editor, qtbot)
    assert reopened["small_areas"].set_index("code").loc[f"{WEST}001"].geometry.area == pytest.approx(400_000 + moved, rel=1e-9)
    assert tiling_problems(reopened) == []


def test_refused_edit_says_why_and_changes_nothing(editor, qtbot):
    canvas = editor.canvas
    before = areas_of(editor)
    editor.ui.tool_actions["split"].trigger()
    click(qtbot, canvas, at(canvas, 100, 600))
    double_click(qtbot, canvas, at(canvas, 200, 650))  # inside, not across
    assert editor.errors and not editor.document.dirty
    assert set(areas_of(editor)) == set(before)


def test_live_check_shows_a_deleted_area_as_a_gap(editor, qtbot):
    canvas = editor.canvas
    assert not [p for p in editor.document.problems if p.kind == "gap"]
    click(qtbot, canvas, at(canvas, 500, 600))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    gaps = [p for p in editor.document.problems if p.kind == "gap"]
    assert len(gaps) == 1 and gaps[0].value == pytest.approx(400_000)
    assert editor.windowTitle().endswith("*")
