"""Fixtures for the desktop app's tests: an offscreen Qt, the Chinese interface, small saved projects."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import pytest  # noqa: E402

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
def window(qtbot):
    """The main window, shown at 1000 × 700, no project open."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    return win
