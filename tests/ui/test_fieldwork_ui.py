"""File → Field Work in the window: packages written for the selected small area, results read back, the change
report shown, and the corrections applied as one undo step (undone, redone and saved)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject
from ui.fieldwork_flows import ChangeReportDialog

ROOT = Path(__file__).resolve().parents[2]
AREA = "370481102003001"


@pytest.fixture
def office(window, tmp_path, qtbot):
    """The window on the demo township with its buildings numbered; errors collected, not shown."""
    path = tmp_path / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    project = CensusProject.open(path)
    assign_codes(project)
    project.save()
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.document.checked, timeout=20000)
    return window


def _wait_jobs(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.jobs, timeout=60000)


def _export_selected_area(window, tmp_path, qtbot) -> Path:
    """Select AREA and export its field package through the window into tmp_path/out; its register's path."""
    window.canvas.set_selection([AREA])
    window._selection_changed([AREA])
    out = tmp_path / "out"
    out.mkdir()
    window.fieldwork.export_packages_to(out)
    _wait_jobs(window, qtbot)
    return out / AREA / f"{AREA}_register.xlsx"


def test_export_then_import_applies_the_walk_as_one_undo_step(office, tmp_path, qtbot):
    window = office
    register = _export_selected_area(window, tmp_path, qtbot)
    out = register.parent.parent
    assert register.exists() and (out / AREA / f"small_area_{AREA}.pdf").exists()
    assert [p.name for p in out.iterdir()] == [AREA]  # only the selected small area

    buildings = window.document.project["buildings"]
    mine = buildings[buildings["small_area_code"] == AREA].sort_values("number")
    first = mine.iloc[0]
    workbook = load_workbook(register)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    people = header.index("摸底人数") + 1
    households = header.index("摸底户数") + 1
    sheet.cell(row=2, column=households, value=3)
    sheet.cell(row=2, column=people, value=int(first["population"]) + 7)
    workbook.save(register)

    shown = []
    window.fieldwork.review = lambda changes: shown.append(changes.text("zh")) or True
    before = int(window.document.project["small_areas"].set_index("code").at[AREA, "population"])
    window.fieldwork.import_results_from([register])
    _wait_jobs(window, qtbot)
    assert window.errors == []
    assert shown and AREA in shown[0]
    after = window.document.project["small_areas"].set_index("code").at[AREA, "population"]
    assert after == before + 7
    assert "摸底" in window.ui.undo_action.text()

    window.undo()
    assert window.document.project["small_areas"].set_index("code").at[AREA, "population"] == before
    window.redo()
    assert window.document.project["small_areas"].set_index("code").at[AREA, "population"] == before + 7
    assert window.save()
    reopened = CensusProject.open(window.document.project.path)
    row = reopened["buildings"].set_index("id").loc[int(first["id"])]
    assert (row["population"], row["households"]) == (int(first["population"]) + 7, 3)


def test_a_refused_register_changes_nothing_and_says_where(office, tmp_path, qtbot):
    window = office
    register = _export_selected_area(window, tmp_path, qtbot)
    workbook = load_workbook(register)
    sheet = workbook.active
    people = [c.value for c in sheet[1]].index("摸底人数") + 1
    sheet.cell(row=3, column=people, value="十二")
    workbook.save(register)
    window.fieldwork.review = lambda changes: pytest.fail("a refused import shows no change report")
    version = window.document.history.version
    window.fieldwork.import_results_from([register])
    _wait_jobs(window, qtbot)
    assert window.document.history.version == version
    assert len(window.errors) == 1 and register.name in window.errors[0] and "3" in window.errors[0]


def test_the_change_report_dialog_shows_the_report_and_flags(office, tmp_path, qtbot):
    window = office
    register = _export_selected_area(window, tmp_path, qtbot)
    workbook = load_workbook(register)
    sheet = workbook.active
    people = [c.value for c in sheet[1]].index("摸底人数") + 1
    sheet.cell(row=2, column=people, value=900)  # the area leaves the band
    workbook.save(register)
    from gis_census.fieldwork import read_fieldwork

    changes = read_fieldwork(window.document.project, [register])
    dialog = ChangeReportDialog(changes, window)
    qtbot.addWidget(dialog)
    assert AREA in dialog.report.toPlainText()
    assert changes.flagged() == [AREA]
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "report.png"))


def test_update_division_rebalances_the_grown_area_as_one_undo_step(window, tmp_path, qtbot):
    """Tools → Update Division after the walk grew an area: it comes back into the band, the rest stays."""
    from gis_census.demo import make_township
    from gis_census.demo.project import county_project
    from gis_census.divide import divide_and_number
    from gis_census.divide.update import outside_band, update_division
    from gis_census.editing import set_building_fields

    project = county_project(make_township())
    divide_and_number(project)
    update_division(project)
    path = project.save(tmp_path / "settled.gpkg")
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.document.checked, timeout=20000)
    document = window.document
    areas = document.project["small_areas"]
    area = areas.assign(off=(areas["population"] - 300).abs()).sort_values(["off", "code"])["code"].iat[0]
    district = area[:12]
    buildings = document.project["buildings"]
    house = buildings[buildings["small_area_code"] == area].sort_values("population").iloc[-1]
    assert document.perform(set_building_fields, int(house["id"]), {"population": int(house["population"]) + 200})

    def outside():
        p = document.project
        return set(p["small_areas"]["code"][outside_band(p) & (p["small_areas"]["district_code"] == district).to_numpy()])

    assert area in outside()
    names_before = buildings.set_index("id")[["small_area_code", "number"]].copy()
    window.canvas.set_selection([area])
    window._selection_changed([area])
    window.ui.update_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs, timeout=120000)
    assert area not in outside()
    other = document.project["buildings"]["district_code"] != district
    after = document.project["buildings"].set_index("id")[["small_area_code", "number"]]
    assert after[other.to_numpy()].equals(names_before.loc[after.index[other.to_numpy()]])  # other districts untouched
    assert "更新" in window.ui.undo_action.text()
    window.undo()
    assert area in outside()
    window.redo()
    assert area not in outside()
