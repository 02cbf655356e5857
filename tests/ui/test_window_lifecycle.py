"""The window around the edits: unsaved-changes prompt, autosave and recovery, recent files, search,
background division with undo, problems panel zooming to a problem."""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pandas as pd
import shapely
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gis_census.lists import AREA_COLUMNS
from gis_census.project import CensusProject
from test_editing_workflow import WEST, areas_of, at, click
from ui.document import autosave_path
from ui.language import setup_language
from ui.main_window import MainWindow
from ui_township import box


def delete_north_area(window, qtbot) -> None:
    canvas = window.canvas
    click(qtbot, canvas, at(canvas, 500, 600))
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert window.document.dirty


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(editor, qtbot):
    delete_north_area(editor, qtbot)
    editor.ask_save_changes = lambda: QMessageBox.StandardButton.Cancel
    assert not editor.close()
    assert editor.isVisible()
    editor.ask_save_changes = lambda: QMessageBox.StandardButton.Save
    assert editor.close()
    assert f"{WEST}002" not in set(CensusProject.open(editor.project.path)["small_areas"]["code"])


def test_autosave_copy_is_offered_after_a_crash(editor, qtbot, settings):
    delete_north_area(editor, qtbot)
    path = editor.project.path
    editor.files.autosave()
    qtbot.waitUntil(lambda: autosave_path(path).exists(), timeout=10_000)
    assert f"{WEST}002" in set(CensusProject.open(path)["small_areas"]["code"])  # the file itself is untouched

    # The app dies here; a new one opens the same file and is offered the work.
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    asked = []
    again.ask = lambda title, question: asked.append(question) or True
    assert again.open_project(path)
    assert asked and path.name in asked[0]
    assert f"{WEST}002" not in set(again.project["small_areas"]["code"])
    assert again.document.dirty and again.project.path == path.resolve()
    again.ask_save_changes = lambda: QMessageBox.StandardButton.Save
    assert again.close()
    assert not autosave_path(path).exists()


def test_recent_files_remember_what_was_opened(editor, township_file):
    assert [a.text() for a in editor.ui.recent_menu.actions()] == [str(township_file.resolve())]


def test_search_box_zooms_to_and_selects_a_code(editor, qtbot):
    editor.ui.search_box.setText("202002")  # the end of a small area's code is enough
    qtbot.keyClick(editor.ui.search_box, Qt.Key.Key_Return)
    assert editor.canvas.selection == ["370481102202002"]
    view = editor.canvas.view
    area = areas_of(editor)["370481102202002"]
    width_shown = view.width / view.scale
    assert width_shown < 2000 and area.centroid.distance(shapely.Point(view.center_x, view.center_y)) < 200


def test_auto_divide_runs_in_the_background_and_undoes(editor, qtbot):
    project = editor.project
    # 60 more houses of 5 people in the west village: 320 people, so about one area more than now.
    houses = [(x, y) for x in range(50, 950, 90) for y in range(50, 350, 50)]
    extra = gpd.GeoDataFrame({"id": range(100, 100 + len(houses)), "population": 5, "households": 2},
                             geometry=[box(x, y, 12, 10) for x, y in houses], crs=project.crs)
    project.layers["buildings"] = pd.concat([project["buildings"], extra], ignore_index=True)
    before = areas_of(editor)
    click(qtbot, editor.canvas, at(editor.canvas, 500, 200))
    editor.ask_divide_or_update = lambda n: "divide"
    editor.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: len(editor.document.history) == 1, timeout=30_000)
    assert editor.errors == []
    after = areas_of(editor)
    assert after != before and all(c.startswith(WEST) for c in set(after) - set(before))
    assert editor.statusBar().currentMessage().startswith(f"普查区 {WEST}：")  # the division's figures
    assert editor.ui.undo_action.text().startswith("撤销")
    editor.ui.undo_action.trigger()
    assert set(areas_of(editor)) == set(before)


def test_double_clicking_a_problem_zooms_to_it(editor, qtbot):
    delete_north_area(editor, qtbot)
    editor.canvas.zoom_full()
    full = editor.canvas.view.scale
    gaps = [p for p in editor.document.problems if p.kind == "gap"]
    editor.problems_panel.problem_activated.emit(gaps[0])
    assert editor.canvas.view.scale > full
    centre = shapely.Point(editor.canvas.view.center_x, editor.canvas.view.center_y)
    assert gaps[0].location.buffer(1).contains(centre)


def test_export_lists_runs_in_the_background(editor, qtbot, tmp_path):
    target = tmp_path / "名单.xlsx"
    editor.job_flows.export_lists_to(target)
    qtbot.waitUntil(lambda: not editor.jobs and target.exists(), timeout=30_000)
    assert editor.errors == []
    sheet = openpyxl.load_workbook(target).worksheets[0]
    column = AREA_COLUMNS.index("small_area_code")
    codes = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]]
    assert sorted(codes) == sorted(editor.project["small_areas"]["code"])


def test_export_the_selected_small_areas_map_in_the_background(editor, qtbot, tmp_path):
    click(qtbot, editor.canvas, at(editor.canvas, 500, 600))
    editor.job_flows.export_maps_to(tmp_path, "small-area")
    qtbot.waitUntil(lambda: not editor.jobs, timeout=60_000)
    assert editor.errors == []
    [pdf] = tmp_path.glob("*.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"{WEST}002" in text and "普查小区" in text


def test_switching_to_english_keeps_the_work_and_its_undo_history(editor, qtbot, qapp):
    delete_north_area(editor, qtbot)
    click(qtbot, editor.canvas, at(editor.canvas, 500, 200))
    view = editor.canvas.view
    try:
        english = editor.choose_language("en")
        qtbot.addWidget(english)
        english.report_error = editor.report_error
        english.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        assert [a.text() for a in english.menuBar().actions()][:2] == ["&File", "&Edit"]
        assert english.settings.value("language") == "en"
        assert english.document.dirty and f"{WEST}002" not in areas_of(english)
        assert english.canvas.selection == [f"{WEST}001"] and english.canvas.view.scale == view.scale
        assert english.problems_panel.summary.text().endswith("warnings")
        english.ui.undo_action.trigger()
        assert f"{WEST}002" in areas_of(english)
    finally:
        setup_language(qapp, "zh")


# Another program saves the project while the app has it open (issue 11).

def other_writer_renames_a_village(path, name="另一程序改的名") -> None:
    other = CensusProject.open(path)
    other.layers["villages"].loc[0, "name"] = name
    other.save()


def test_saving_over_another_programs_save_asks_and_never_overwrites(editor, qtbot, tmp_path, monkeypatch):
    path = editor.project.path
    other_writer_renames_a_village(path)
    delete_north_area(editor, qtbot)
    asked = []
    editor.ask_changed_on_disk = lambda message: asked.append(message) or "cancel"
    assert not editor.save()
    assert asked and path.name in asked[0] and "villages" in asked[0]
    assert editor.document.dirty
    on_disk = CensusProject.open(path)
    assert on_disk["villages"]["name"].iloc[0] == "另一程序改的名"
    assert f"{WEST}002" in set(on_disk["small_areas"]["code"])  # the app's edit did not go in

    # Save as a copy: the edits go to the copy, the file keeps the other program's change.
    copy = tmp_path / "copy.gpkg"
    editor.ask_changed_on_disk = lambda message: "save_as"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    assert editor.save()
    assert f"{WEST}002" not in set(CensusProject.open(copy)["small_areas"]["code"])
    assert CensusProject.open(path)["villages"]["name"].iloc[0] == "另一程序改的名"
    assert editor.project.path == copy.resolve() and not editor.document.dirty


def test_reloading_after_another_programs_save_asks_before_dropping_the_edits(editor, qtbot):
    path = editor.project.path
    other_writer_renames_a_village(path)
    delete_north_area(editor, qtbot)
    editor.ask_changed_on_disk = lambda message: "reload"
    confirmations = []
    editor.ask = lambda title, question: confirmations.append(question) or False  # not sure after all
    assert not editor.save()
    assert confirmations and editor.document.dirty
    editor.ask = lambda title, question: True
    assert not editor.save()
    assert not editor.document.dirty
    assert editor.project["villages"]["name"].iloc[0] == "另一程序改的名"
    assert f"{WEST}002" in set(editor.project["small_areas"]["code"])
    editor.document.project.layers["small_areas"] = editor.project["small_areas"]  # the app saves again: fine now
    editor.document.history.reset_clean()
    assert editor.save()


def test_autosave_is_offered_even_after_another_program_saved(editor, qtbot, settings):
    path = editor.project.path
    delete_north_area(editor, qtbot)
    editor.files.autosave()
    qtbot.waitUntil(lambda: autosave_path(path).exists(), timeout=10_000)
    qtbot.wait(500)  # the copy is renamed into place last: let the thread finish
    # The app dies; `gis-census check` (here: another program) saves the project afterwards.
    other_writer_renames_a_village(path)
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    again.ask_save_changes = lambda: QMessageBox.StandardButton.Cancel  # closing at the end keeps the copy
    again.errors = []
    again.report_error = lambda title, message: again.errors.append(message)
    asked = []
    again.ask = lambda title, question: asked.append(question) or True
    assert again.open_project(path)
    assert asked, "recovery must be offered although the project is newer than the autosave"
    assert f"{WEST}002" not in set(again.project["small_areas"]["code"]) and again.document.dirty
    assert autosave_path(path).exists()  # kept until the work is saved somewhere

    # Saving the recovered work must not clobber the other program's save: the app asks.
    choices = []
    again.ask_changed_on_disk = lambda message: choices.append(message) or "cancel"
    assert not again.save()
    assert choices and CensusProject.open(path)["villages"]["name"].iloc[0] == "另一程序改的名"
    assert autosave_path(path).exists()

    # Declining recovery discards the copy: that, and only that, removes it.
    third = MainWindow(settings=settings)
    qtbot.addWidget(third)
    third.report_error = lambda title, message: again.errors.append(message)
    third.ask = lambda title, question: False
    assert third.open_project(path)
    assert not autosave_path(path).exists() and not third.document.dirty and again.errors == []
    again.ask_save_changes = lambda: QMessageBox.StandardButton.Discard


def test_the_apps_save_keeps_what_qgis_and_the_office_added(editor, qtbot):
    """QGIS saves a style and the office a metadata key into the open project: the app's save keeps them."""
    import sqlite3

    path = editor.project.path
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY, f_table_name TEXT, styleName TEXT, styleQML TEXT)")
        db.execute("INSERT INTO layer_styles (f_table_name, styleName, styleQML) VALUES ('small_areas', '普查小区', '<qgis/>')")
        db.execute("INSERT INTO census_meta (key, value) VALUES ('office_contact', '张三')")
    delete_north_area(editor, qtbot)
    assert editor.save()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT styleName FROM layer_styles").fetchall() == [("普查小区",)]
        assert db.execute("SELECT value FROM census_meta WHERE key = 'office_contact'").fetchone() == ("张三",)
    assert f"{WEST}002" not in set(CensusProject.open(path)["small_areas"]["code"])
