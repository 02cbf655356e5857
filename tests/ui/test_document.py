"""The document without a window: edits through its history reach its observers, the dirty flag and the
autosave record follow the history, a refusal is a signal; closing asks with the real question."""

from __future__ import annotations

import shapely
from PySide6.QtWidgets import QMessageBox

from gis_census.editing import delete_small_area, merge_small_areas
from test_editing_workflow import WEST, at, click
from ui.document import AUTOSAVE_EDITS, ProjectDocument
from ui_township import X0, Y0, two_village_township


def test_edits_reach_the_observers_and_the_dirty_flag_follows_the_history(township_file):
    document = ProjectDocument(two_village_township())
    heard = []
    document.edited.connect(lambda edit: heard.append(("edited", edit.label)))
    document.problems_changed.connect(lambda district: heard.append(("problems", district)))
    document.dirty_changed.connect(lambda dirty: heard.append(("dirty", dirty)))

    assert document.perform(merge_small_areas, [f"{WEST}001", f"{WEST}002"])
    assert heard == [("edited", "edit_merge_areas"), ("problems", WEST), ("dirty", True)]
    assert document.autosave_keys()[AUTOSAVE_EDITS] == "1"
    heard.clear()
    document.history.undo()
    assert heard == [("edited", "edit_merge_areas"), ("problems", WEST), ("dirty", False)]
    assert len(document.project["small_areas"]) == 4

    document.history.redo()
    document.save(township_file)
    assert not document.dirty and heard[-1] == ("dirty", False)


def test_a_refused_edit_is_a_signal_and_changes_nothing():
    document = ProjectDocument(two_village_township())
    refused = []
    document.refused.connect(refused.append)
    inside = shapely.LineString([(X0 + 100, Y0 + 100), (X0 + 200, Y0 + 150)])
    assert not document.split_along(inside)
    assert not document.perform(delete_small_area, ["370481102209999"])
    assert refused[0] == "请让线穿过一个普查小区，或先选择要拆分的小区。" and len(refused) == 2
    assert len(document.history) == 0 and not document.dirty


def test_closing_with_unsaved_changes_asks_the_real_question(window, township_file, qtbot, monkeypatch):
    del window.ask_save_changes  # the fixture's answer: ask as the app does
    assert window.open_project(township_file)
    click(qtbot, window.canvas, at(window.canvas, 500, 600))
    window.delete_selected()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append((title, text))
                        or QMessageBox.StandardButton.Discard)
    assert window.close()
    assert asked == [("未保存的修改", "关闭前是否保存对 t.gpkg 的修改？")]
