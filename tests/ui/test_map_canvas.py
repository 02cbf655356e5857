"""The map canvas: fit to full extent, zoom about the cursor, pan by dragging."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from ui.canvas.map_canvas import WHEEL_STEP
from ui_township import X0, Y0


@pytest.fixture
def canvas(window, township_file, qtbot):
    window.open_project(township_file)
    qtbot.waitUntil(lambda: window.document.checked)  # its problems drawn: no redraw still to come
    return window.canvas


def wheel(widget, pos: QPointF, notches: int) -> None:
    event = QWheelEvent(
        pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_opening_fits_the_whole_township_in_view(canvas):
    assert canvas.full_extent() == pytest.approx((X0, Y0, X0 + 2000, Y0 + 800))
    view = canvas.view
    left, top = canvas.view.to_screen([[X0, Y0 + 800]])[0]
    right, bottom = canvas.view.to_screen([[X0 + 2000, Y0]])[0]
    assert 0 <= left < right <= view.width and 0 <= top < bottom <= view.height
    assert right - left == pytest.approx(view.width * 0.92)  # width limits; 4 % margin each side


@pytest.mark.parametrize("notches", [1, 3, -2])
def test_wheel_zooms_about_the_cursor(canvas, notches):
    cursor = QPointF(180.0, 130.0)
    under_cursor = canvas.to_map(cursor)
    scale = canvas.view.scale

    wheel(canvas, cursor, notches)

    assert canvas.view.scale == pytest.approx(scale * WHEEL_STEP**notches)
    assert canvas.to_map(cursor) == pytest.approx(under_cursor, abs=1e-6)


def test_dragging_moves_the_map_with_the_mouse(canvas, qtbot):
    start, end = QPoint(300, 300), QPoint(420, 250)
    grabbed = canvas.to_map(QPointF(start))
    scale = canvas.view.scale

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)

    assert canvas.view.scale == scale
    assert canvas.to_map(QPointF(end)) == pytest.approx(grabbed, abs=1e-6)


def test_zoom_to_full_extent_undoes_zoom_and_pan(window, canvas):
    fitted = canvas.view
    wheel(canvas, QPointF(100, 100), 4)
    assert canvas.view != fitted
    window.ui.zoom_full_action.trigger()
    assert canvas.view == fitted


def test_each_change_of_view_draws_the_map_once(canvas, qtbot):
    canvas.grab()
    with qtbot.waitSignal(canvas.rendered, timeout=5000):
        wheel(canvas, QPointF(200, 200), 1)
    with qtbot.assertNotEmitted(canvas.rendered, wait=100):
        canvas.repaint()  # nothing changed: the cached picture is reused
