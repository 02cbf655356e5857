"""The whole job in the window: File → New Project from the sample inputs (a refused file shown in the wizard
with the engine's message), Auto-Divide from a fresh project (a district clicked, or the whole township
chosen from the list), undone and redone, and the saved project reopened."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWizard

from gis_census.errors import InputError
from gis_census.importing import ImportOptions, build_project
from gis_census.project import PREVIOUS, CensusProject
from ui.division_scope import DivisionScopeDialog
from ui.job_flows import build_and_save

INPUTS = Path(__file__).resolve().parents[2] / "sample_data" / "inputs"
SHOTS = Path("/tmp/wiz_shots")


def shot(widget, name: str) -> None:
    """Save what `widget` shows, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # the layout settles after a message is shown
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def collecting(window):
    """The window with errors collected instead of shown in dialogs."""
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    return window


@pytest.fixture
def fresh_file(tmp_path):
    """The sample township built as `gis-census new` builds it: districts and buildings, no small areas."""
    project, _ = build_project(ImportOptions(
        villages=str(INPUTS / "villages.shp"), buildings=str(INPUTS / "buildings.gpkg"),
        roads=str(INPUTS / "roads.geojson"), water=str(INPUTS / "water.kml"),
        landmarks=str(INPUTS / "landmarks.geojson"), township_name="青石镇"))
    return project.save(tmp_path / "fresh.gpkg")


def open_wizard(window, qtbot):
    window.ui.new_action.trigger()
    wizard = window.files.wizard
    qtbot.waitExposed(wizard)
    return wizard


# -- the wizard ------------------------------------------------------------------------------------


def test_the_wizard_builds_the_sample_township_in_the_background_and_opens_it(collecting, qtbot, tmp_path):
    window = collecting
    wizard = open_wizard(window, qtbot)
    files = {"villages": "villages.shp", "buildings": "buildings.gpkg", "roads": "roads.geojson",
             "water": "water.kml", "landmarks": "landmarks.geojson"}
    for role, name in files.items():
        page = wizard.input_pages[role]
        assert wizard.currentPage() is page
        page.path_edit.setText(str(INPUTS / name))
        assert page.error_label.text() == ""
        assert page.preview.rowCount() == 5 and page.preview.columnCount() > 0
        shot(wizard, f"wizard_{role}")
        wizard.next()
    villages = wizard.input_pages["villages"]
    assert "代码：DM" in villages.fields_label.text() and "名称：MC" in villages.fields_label.text()
    summary = wizard.summary
    assert wizard.currentPage() is summary
    assert summary.township_code.text() == "370481102"
    assert "EPSG:4527" in summary.crs_label.text() and "EPSG:4490" in summary.crs_label.text()  # chosen, and from what
    summary.township_name.setText("青石镇")
    shot(wizard, "wizard_summary")

    target = tmp_path / "new.gpkg"
    wizard.ask_save_path = lambda: str(target)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.document is not None and not window.jobs, timeout=60_000)
    assert window.errors == []
    assert window.project.path == target.resolve()
    assert window.project.meta.township_name == "青石镇"
    assert len(window.project["districts"]) == 9 and len(window.project["small_areas"]) == 0
    assert len(window.project["buildings"]) == 5655
    assert window.ui.divide_action.isEnabled()  # a fresh project can be divided
    assert CensusProject.open(target).meta.township_code == "370481102"


def test_a_village_file_without_a_code_field_is_refused_in_the_wizard_until_one_is_chosen(collecting, qtbot, tmp_path):
    window = collecting
    villages = gpd.read_file(INPUTS / "villages.shp").rename(columns={"DM": "BIANMA"})
    bad = tmp_path / "no_code.gpkg"
    villages.to_file(bad, layer="villages")
    wizard = open_wizard(window, qtbot)
    page = wizard.input_pages["villages"]
    page.path_edit.setText(str(bad))
    assert page.preview.rowCount() == 5  # the file reads; the engine refuses it at Next
    wizard.next()
    assert wizard.currentPage() is page
    message = page.error_label.text()
    assert str(bad) in message and "villages" in message and "CODE/code/DM" in message and "BIANMA" in message
    assert "请在上方的列表中选择该字段" in message  # where the wizard has the command line's --village-code-field
    shot(wizard, "wizard_refused_no_code")
    assert list(tmp_path.glob("*.gpkg")) == [bad]  # nothing written

    code_box = page.field_boxes["code"][1]
    code_box.setCurrentIndex(code_box.findData("BIANMA"))  # the command line's --village-code-field
    wizard.next()
    assert wizard.currentPage() is wizard.input_pages["buildings"]
    assert wizard.options().village_code_field == "BIANMA"


def test_a_village_file_without_a_crs_is_refused_as_it_is_chosen(collecting, qtbot, tmp_path):
    window = collecting
    for part in INPUTS.glob("villages.*"):
        if part.suffix != ".prj":
            shutil.copy(part, tmp_path / part.name)
    wizard = open_wizard(window, qtbot)
    page = wizard.input_pages["villages"]
    page.path_edit.setText(str(tmp_path / "villages.shp"))
    assert str(tmp_path / "villages.shp") in page.error_label.text()
    assert "无坐标系文件的坐标系" in page.error_label.text()
    assert page.preview.rowCount() == 0
    wizard.next()
    assert wizard.currentPage() is page
    shot(wizard, "wizard_refused_no_crs")
    page.assume_crs.setText("EPSG:4490")  # what the message asks for, given in the wizard
    page.assume_crs.editingFinished.emit()
    assert page.error_label.text() == "" and page.preview.rowCount() == 5
    wizard.next()
    assert wizard.currentPage() is wizard.input_pages["buildings"]


class _Feedback:
    def __init__(self, canceled: bool):
        self.canceled = canceled

    def set_progress(self, percent):
        pass

    def is_canceled(self):
        return self.canceled


def test_building_leaves_no_file_when_canceled_or_refused(tmp_path):
    options = ImportOptions(villages=str(INPUTS / "villages.shp"), buildings=str(INPUTS / "buildings.gpkg"))
    target = tmp_path / "p.gpkg"
    assert build_and_save(options, target, _Feedback(True)) is None
    with pytest.raises(InputError):  # e.g. a file changed after the wizard read it
        build_and_save(ImportOptions(villages=str(INPUTS / "roads.geojson")), target, _Feedback(False))
    assert list(tmp_path.iterdir()) == []
    assert build_and_save(options, target, _Feedback(False)) == target and CensusProject.open(target)


# -- dividing from nothing -------------------------------------------------------------------------


def fresh(window, path, qtbot):
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.document.checked, timeout=30_000)
    assert len(window.project["small_areas"]) == 0
    assert window.ui.divide_action.isEnabled()


def test_the_whole_township_is_divided_from_a_fresh_project_undone_redone_and_reopened(collecting, fresh_file, qtbot):
    window = collecting
    fresh(window, fresh_file, qtbot)
    dialog = DivisionScopeDialog(window.project, window)
    assert dialog.list.count() == 1 + 9  # the township, its nine villages (one district each)
    assert dialog.codes() == sorted(window.project["districts"]["code"])  # the whole township is first
    shot(dialog, "divide_scope_dialog")
    window.choose_division_scope = dialog.codes
    window.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=120_000)
    # the sample's two high-rises hold more people than one area: said, as after the command line's divide
    assert all("超过一个普查小区的上限" in message for message in window.errors)
    areas = window.project["small_areas"]
    assert len(areas) > 90 and set(areas["district_code"]) == set(window.project["districts"]["code"])
    assert (window.project["buildings"]["small_area_code"] != "").all()
    window.canvas.zoom_full()
    shot(window, "window_after_divide")
    n = len(areas)

    window.undo()
    assert len(window.project["small_areas"]) == 0
    window.redo()
    assert len(window.project["small_areas"]) == n
    assert window.save()
    assert window.open_project(fresh_file)  # reopened in the window, as saved
    qtbot.waitUntil(lambda: window.document.checked, timeout=30_000)
    assert len(window.project["small_areas"]) == n and not window.document.dirty


def test_a_click_where_there_are_no_small_areas_picks_the_district_to_divide(collecting, fresh_file, qtbot):
    window = collecting
    fresh(window, fresh_file, qtbot)
    districts = window.project["districts"]
    code, geom = str(districts["code"].iat[0]), districts.geometry.iat[0]
    inside = shapely.point_on_surface(geom)
    window.canvas.zoom_to(geom.bounds)
    p = window.canvas.to_widget(inside.x, inside.y)
    with qtbot.waitSignal(window.canvas.district_picked) as picked:
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(p.x()), round(p.y())))
    assert picked.args == [code] and window.canvas.picked_district == code
    shot(window, "window_district_picked")
    window.choose_division_scope = lambda: pytest.fail("a picked district needs no list")
    window.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert all("超过一个普查小区的上限" in message for message in window.errors)
    assert set(window.project["small_areas"]["district_code"]) == {code}
    # Divided now: Auto-Divide asks before it throws the areas away, and the update keeps them.
    asked: list[int] = []
    window.choose_division_scope = lambda: [code]
    window.ask_divide_or_update = lambda n: asked.append(n) or "cancel"
    steps, areas = len(window.document.history), window.project["small_areas"].copy()
    window.ui.divide_action.trigger()
    assert asked == [1] and not window.jobs and len(window.document.history) == steps
    window.ask_divide_or_update = lambda n: "update"
    window.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert set(areas["code"]) <= set(window.project["small_areas"]["code"])  # every area keeps its code
    while window.document.history.can_undo():
        window.undo()
    assert len(window.project["small_areas"]) == 0


# -- File → Import ---------------------------------------------------------------------------------


def test_a_previous_division_and_small_areas_are_imported_as_one_undo_step_each(collecting, fresh_file, qtbot):
    window = collecting
    fresh(window, fresh_file, qtbot)
    window.imports.ask_file = lambda title: str(INPUTS / "small_areas_previous.gpkg")
    window.ui.import_previous_action.trigger()  # the reference to compare with: the buildings keep their places
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert window.errors == []
    assert len(window.project[PREVIOUS]) == 107 and len(window.project["small_areas"]) == 0
    assert (window.project["buildings"]["small_area_code"] == "").all()
    window.undo()
    assert len(window.project[PREVIOUS]) == 0
    window.redo()
    assert len(window.project[PREVIOUS]) == 107

    window.ui.import_areas_action.trigger()  # the same file as the project's own small areas, to start from
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert window.errors == []
    assert len(window.project["small_areas"]) == 107
    assert (window.project["buildings"]["small_area_code"] != "").all()
    assert "导入普查小区 107 个" in window.ui.undo_action.text()
    window.undo()
    assert len(window.project["small_areas"]) == 0
    window.redo()
    assert len(window.project["small_areas"]) == 107


def test_buildings_are_added_as_one_undo_step_and_a_refused_file_changes_nothing(collecting, fresh_file, qtbot):
    window = collecting
    fresh(window, fresh_file, qtbot)
    window.imports.ask_file = lambda title: str(INPUTS / "roads.geojson")  # lines, no population: refused
    window.ui.import_buildings_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert len(window.errors) == 1 and "roads.geojson" in window.errors[0] and "人口" in window.errors[0]
    assert not window.document.history.can_undo() and len(window.project["buildings"]) == 5655

    window.errors.clear()
    window.imports.ask_file = lambda title: str(INPUTS / "buildings.gpkg")
    window.ui.import_buildings_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    assert window.errors == []
    buildings = window.project["buildings"]
    assert len(buildings) == 2 * 5655 and buildings["id"].is_unique
    window.undo()
    assert len(window.project["buildings"]) == 5655


# -- the previous division's outline ---------------------------------------------------------------


def test_the_previous_division_is_drawn_as_a_dashed_outline_toggled_from_layers_and_view(collecting, fresh_file, qtbot):
    window = collecting
    fresh(window, fresh_file, qtbot)
    window.imports.ask_file = lambda title: str(INPUTS / "small_areas_previous.gpkg")
    window.ui.import_previous_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=60_000)
    window.choose_division_scope = lambda: sorted(window.project["districts"]["code"])
    window.ui.divide_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=120_000)
    item = window.layers_panel.item_for(PREVIOUS)
    assert item is not None and item.text(0) == "上次划分的普查小区" and item.text(1) == "107"
    assert window.layers_panel.indexOfTopLevelItem(item) == window.layers_panel.indexOfTopLevelItem(
        window.layers_panel.item_for("small_areas")) - 1  # drawn just above the current division
    window.canvas.zoom_full()
    window.canvas.repaint()
    shot(window, "window_previous_outline")

    assert window.ui.previous_action.isEnabled()  # the project has a previous division
    window.ui.previous_action.trigger()  # unticked
    assert not window.canvas.is_layer_visible(PREVIOUS) and item.checkState(0) == Qt.CheckState.Unchecked
    item.setCheckState(0, Qt.CheckState.Checked)
    assert window.canvas.is_layer_visible(PREVIOUS) and window.ui.previous_action.isChecked()


def test_file_menu_offers_new_project_and_imports_in_chinese(window):
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu.actions()[0].text() == "新建项目(&N)…" and file_menu.actions()[0].shortcut().toString() == "Ctrl+N"
    assert [a.text() for a in window.ui.import_menu.actions()] == ["上次普查小区划分(&P)…", "普查小区(&S)…", "建筑物(&B)…", "户籍资料(&R)…"]
    assert not window.ui.import_buildings_action.isEnabled() and not window.ui.divide_action.isEnabled()  # no project
