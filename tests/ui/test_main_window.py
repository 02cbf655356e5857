"""The main window: opening a project, the layer list, menus, status bar, refusing bad files."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from ui.main_window import MainWindow
from ui_township import BUILDING_CORNERS, X0, Y0


def layer_rows(window: MainWindow) -> list[tuple[str, str, bool]]:
    panel = window.layers_panel
    return [
        (item.text(0), item.text(1), item.checkState(0) == Qt.CheckState.Checked)
        for item in (panel.topLevelItem(i) for i in range(panel.topLevelItemCount()))
    ]


def test_opening_a_project_lists_its_layers_in_chinese_with_counts(window, township_file):
    assert window.open_project(township_file)
    assert window.windowTitle() == "gis-census — 青石镇"
    assert layer_rows(window) == [  # top of the drawing order first
        ("问题", "0", True),
        ("地标", "0", True),
        ("建筑物", "5", True),
        ("道路", "1", True),
        ("水系", "1", True),
        ("上次划分的普查小区", "0", True),  # none yet: File → Import → Previous Division fills it
        ("普查小区", "4", True),
        ("普查区", "2", True),
        ("村/居委会", "2", True),
    ]


def test_menus_are_chinese_with_the_usual_shortcuts(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "语言(&L)"]
    assert window.ui.open_action.text() == "打开(&O)…"
    assert window.ui.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.ui.quit_action.text() == "退出(&Q)"
    assert window.ui.zoom_full_action.text() == "全图(&F)"
    assert window.layers_dock.windowTitle() == "图层"
    assert window.ui.save_action.shortcut() == QKeySequence("Ctrl+S")
    assert window.ui.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    assert window.ui.redo_action.shortcut() == QKeySequence("Ctrl+Y")
    assert window.ui.undo_action.text() == "撤销(&U)"


def test_status_bar_shows_crs_and_mouse_position_in_metres(window, township_file, qtbot):
    window.open_project(township_file)
    qtbot.waitUntil(lambda: window.canvas.view.scale > 0.1)
    pos = QPoint(window.canvas.width() // 2, window.canvas.height() // 2)
    qtbot.mouseMove(window.canvas, pos)
    x, y = window.canvas.to_map(QPointF(pos))
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert f"东 {x:.1f} 米　北 {y:.1f} 米" in texts
    assert any(t.startswith("坐标系：EPSG:4527") for t in texts)
    assert X0 < x < X0 + 2000 and Y0 < y < Y0 + 800


def test_unticking_a_layer_hides_it_and_ticking_shows_it_again(window, township_file, qtbot):
    window.open_project(township_file)
    canvas = window.canvas
    x, y = BUILDING_CORNERS[0]
    inside = canvas.view.to_screen([[X0 + x + 20, Y0 + y + 15]])[0]
    pixel = (int(inside[0]), int(inside[1]))
    window.layers_panel.item_for("problems").setCheckState(0, Qt.CheckState.Unchecked)  # the live check's marks
    before = canvas.grab().toImage()
    item = window.layers_panel.item_for("buildings")

    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert not canvas.is_layer_visible("buildings")
    hidden = canvas.grab().toImage()
    assert hidden != before
    assert hidden.pixelColor(*pixel) != before.pixelColor(*pixel)
    assert before.pixelColor(*pixel).saturation() < 30  # the building's grey...
    fill = canvas.view.to_screen([[X0 + 900, Y0 + 350]])[0]  # the same small area, away from any building
    assert hidden.pixelColor(*pixel) == hidden.pixelColor(int(fill[0]), int(fill[1]))  # ...gives way to the area's tint

    item.setCheckState(0, Qt.CheckState.Checked)
    assert canvas.is_layer_visible("buildings")
    assert canvas.grab().toImage() == before


def test_a_file_that_is_no_project_is_refused_with_its_name(window, township_file, tmp_path, monkeypatch):
    window.open_project(township_file)
    bad = tmp_path / "坏文件.gpkg"
    bad.write_text("not a geopackage")
    shown = []
    monkeypatch.setattr(window, "report_error", lambda title, text: shown.append((title, text)))

    assert not window.open_project(bad)
    [(title, text)] = shown
    assert title == "无法打开项目"
    assert str(bad) in text and "Traceback" not in text
    assert window.project.path == township_file  # the open project stays
    assert window.windowTitle() == "gis-census — 青石镇"
