"""The canvas tools' keys and buttons: Backspace drops the last point, Escape the sketch, Enter and a
right click finish it; switching tools drops an unfinished gesture; a job's Cancel button is Chinese."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from test_editing_workflow import WEST, areas_of, at, click
from ui.canvas.tools import DrawTool, SelectTool, SplitTool
from ui.tasks import run_job


def test_backspace_and_escape_drop_points_and_enter_finishes(editor, qtbot):
    canvas = editor.canvas
    editor.ui.tool_actions["split"].trigger()
    assert isinstance(canvas.tool, SplitTool) and canvas.cursor().shape() == Qt.CursorShape.CrossCursor
    for x, y in [(400, -50), (400, 300), (400, 450)]:
        click(qtbot, canvas, at(canvas, x, y))
    qtbot.keyClick(canvas, Qt.Key.Key_Backspace)
    assert len(canvas.tool.points) == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.tool.points == [] and len(editor.document.history) == 0

    for x, y in [(400, -50), (400, 450)]:
        click(qtbot, canvas, at(canvas, x, y))
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert editor.errors == [] and len(areas_of(editor)) == 5


def test_a_right_click_finishes_and_another_tool_drops_the_sketch(editor, qtbot):
    canvas = editor.canvas
    click(qtbot, canvas, at(canvas, 500, 600))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    editor.ui.tool_actions["draw"].trigger()
    for x, y in [(0, 400), (1000, 400)]:
        click(qtbot, canvas, at(canvas, x, y))
    editor.ui.tool_actions["select"].trigger()
    assert isinstance(canvas.tool, SelectTool)
    editor.ui.tool_actions["draw"].trigger()
    assert isinstance(canvas.tool, DrawTool) and canvas.tool.points == []
    for x, y in [(0, 400), (1000, 400), (1000, 800)]:
        click(qtbot, canvas, at(canvas, x, y))
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=at(canvas, 0, 800))
    assert editor.errors == [] and f"{WEST}002" in areas_of(editor)


def test_the_progress_dialog_cancels_in_chinese(editor, qtbot):
    ended = []
    run_job(editor, "测试", lambda feedback: None, lambda result: None, editor.errors.append, lambda: ended.append(True))
    [dialog] = editor.findChildren(QProgressDialog)
    assert [b.text() for b in dialog.findChildren(QPushButton)] == ["取消"]
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
