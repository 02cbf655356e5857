"""Fixtures for the desktop app's tests: an offscreen Qt, the Chinese interface, small saved projects."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from ui.language import setup_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui_township import two_village_township  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def chinese_interface(qapp):
    """The interface in Chinese, as an office sees it by default."""
    setup_language(qapp, "zh")


@pytest.fixture
def township_file(tmp_path):
    """two_village_township() saved as t.gpkg."""
    return two_village_township().save(tmp_path / "t.gpkg")


@pytest.fixture
def settings(tmp_path):
    """Settings in a file of the test's own, so recent files and the language do not leak between tests."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The main window, shown at 1000 × 700, no project open."""
    win = MainWindow(settings=settings)
    # No modal dialog may wait for a click that never comes: tests that ask set their own answers.
    win.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    win.ask = lambda title, question: False
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def editor(window, township_file, qtbot):
    """The window with the two-village township open, errors collected instead of shown in dialogs."""
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(township_file)
    qtbot.waitUntil(lambda: window.document.checked)  # the whole check that follows the first drawing
    window.canvas.setFocus()
    return window
