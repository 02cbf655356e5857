"""The statistics, problems and attributes dock panels on their own, driven like a user would."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit

from gis_census.checks import check_project
from gis_census.project import CensusProject
from ui.deviation import ON, OVER, UNDER, deviation_class
from ui.panels.attributes import AttributesPanel
from ui.panels.problems import PROBLEM_ROLE, ProblemsPanel
from ui.panels.statistics import CODE_ROLE, DEVIATION, POPULATION, StatisticsPanel
from ui_township import two_village_township

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
A1, A2, B1, B2 = "370481102201001", "370481102201002", "370481102202001", "370481102202002"


# -- helpers ---------------------------------------------------------------------------------------


def township(populations=(200, 300, 400, 300), households=(60, 90, 100, 130)) -> CensusProject:
    """two_village_township() with its four small areas at `populations` and `households`."""
    project = two_village_township()
    areas = project.layers["small_areas"]
    areas["population"] = list(populations)
    areas["households"] = list(households)
    return project


def codes_in_view(panel) -> list[str]:
    proxy = panel.proxy
    return [proxy.data(proxy.index(r, 0), CODE_ROLE) for r in range(proxy.rowCount())]


def column(panel, col: int) -> list[str]:
    proxy = panel.proxy
    return [proxy.data(proxy.index(r, col)) for r in range(proxy.rowCount())]


def row_centre(view, row: int, col: int = 0) -> QPoint:
    return view.visualRect(view.model().index(row, col)).center()


def double_click(qtbot, view, pos: QPoint) -> None:
    """A user's double click: Qt 6 item views act on it only after the press of its first click."""
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def click_header(qtbot, view, col: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


@pytest.fixture
def stats(qtbot):
    panel = StatisticsPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.fixture
def problems_panel(qtbot):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.fixture
def attributes(qtbot):
    panel = AttributesPanel()
    qtbot.addWidget(panel)
    panel.resize(350, 450)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# -- deviation -------------------------------------------------------------------------------------


def test_deviation_class_uses_the_checkers_bounds():
    values = np.array([0, 239, 240, 300, 360, 361, 1000])
    assert deviation_class(values, 300, 0.2).tolist() == [-1, -1, 0, 0, 0, 1, 1]
    assert deviation_class(values, 0, 0.2).tolist() == [0] * 7
    assert len({UNDER.name(), ON.name(), OVER.name()}) == 3


# -- statistics ------------------------------------------------------------------------------------


def test_statistics_lists_areas_with_signed_deviation_and_class_colours(stats):
    stats.set_project(township())
    assert stats.proxy.rowCount() == 4
    assert codes_in_view(stats) == [A1, A2, B1, B2]  # sorted by code
    assert column(stats, POPULATION) == ["200", "300", "400", "300"]
    assert column(stats, DEVIATION) == ["-33.3%", "0.0%", "+33.3%", "0.0%"]
    colours = [stats.proxy.data(stats.proxy.index(r, 2), Qt.ItemDataRole.BackgroundRole) for r in range(4)]
    assert colours == [UNDER, ON, OVER, ON]
    summary = stats.summary.text()
    assert "4" in summary and "50%" in summary and "1,200" in summary


def test_statistics_measures_households_when_the_target_is_households(stats):
    project = township(households=(60, 90, 100, 130))
    project.meta.target_unit, project.meta.target_population = "households", 100
    stats.set_project(project)
    assert column(stats, DEVIATION) == ["-40.0%", "-10.0%", "0.0%", "+30.0%"]
    colours = [stats.proxy.data(stats.proxy.index(r, 0), Qt.ItemDataRole.BackgroundRole) for r in range(4)]
    assert colours == [UNDER, ON, ON, OVER]


def test_typing_in_the_filter_box_keeps_matching_codes(stats, qtbot):
    stats.set_project(township())
    qtbot.keyClicks(stats.filter_edit, "2202")
    assert stats.proxy.rowCount() == 2
    assert codes_in_view(stats) == [B1, B2]
    stats.filter_edit.clear()
    assert stats.proxy.rowCount() == 4


def test_clicking_the_population_header_sorts_by_population_both_ways(stats, qtbot):
    stats.set_project(township(populations=(250, 410, 120, 300)))
    click_header(qtbot, stats.view, POPULATION)
    first = [int(v) for v in column(stats, POPULATION)]
    assert first in (sorted(first), sorted(first, reverse=True))
    click_header(qtbot, stats.view, POPULATION)
    assert [int(v) for v in column(stats, POPULATION)] == first[::-1]


def test_refresh_after_an_edit_keeps_sort_order_and_selection(stats, qtbot):
    project = township(populations=(250, 410, 120, 300))
    stats.set_project(project)
    stats.view.sortByColumn(POPULATION, Qt.SortOrder.DescendingOrder)
    assert codes_in_view(stats) == [A2, B2, A1, B1]
    with qtbot.assertNotEmitted(stats.selection_changed, wait=50):
        stats.select_codes([A1, B2])
    assert sorted(stats.selected_codes()) == [A1, B2]

    areas = project.layers["small_areas"]
    areas.loc[areas["code"] == B1, "population"] = 500  # an edit moved people into B1
    with qtbot.assertNotEmitted(stats.selection_changed, wait=50):
        stats.refresh()
    assert codes_in_view(stats) == [B1, A2, B2, A1]  # still by population, descending
    assert sorted(stats.selected_codes()) == [A1, B2]
    assert stats.proxy.data(stats.proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole) == OVER

    with qtbot.assertNotEmitted(stats.selection_changed, wait=50):
        stats.refresh(areas[areas["code"] != A1])  # an area merged away: rows rebuilt
    assert codes_in_view(stats) == [B1, A2, B2]
    assert stats.selected_codes() == [B2]


def test_double_clicking_a_row_activates_its_area(stats, qtbot):
    stats.set_project(township())
    stats.view.sortByColumn(POPULATION, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(stats.area_activated) as blocker:
        double_click(qtbot, stats.view, row_centre(stats.view, 0))
    assert blocker.args == [A1]  # the smallest area


def test_clicking_rows_reports_the_users_selection(stats, qtbot):
    stats.set_project(township())
    with qtbot.waitSignal(stats.selection_changed) as blocker:
        qtbot.mouseClick(stats.view.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(stats.view, 2))
    assert blocker.args == [[B1]]
    with qtbot.waitSignal(stats.selection_changed) as blocker:
        qtbot.mouseClick(
            stats.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, row_centre(stats.view, 0)
        )
    assert blocker.args == [[A1, B1]]


def test_county_size_table_sets_refreshes_sorts_and_filters(stats, qtbot):
    n = 7_000
    rng = np.random.default_rng(7)
    codes = [f"370481{t:03d}{v:03d}{k:03d}" for t in range(1, 26) for v in range(1, 15) for k in range(1, 21)][:n]
    areas = gpd.GeoDataFrame(
        {
            "code": codes,
            "district_code": [c[:12] for c in codes],
            "seq": [c[12:] for c in codes],
            "population": rng.integers(50, 600, n),
            "households": rng.integers(20, 200, n),
            "locked": rng.integers(0, 2, n),
            "notes": "",
            "exclave": 0,
            "supervisor_group": rng.integers(0, 30, n),
        },
        geometry=shapely.points(rng.random(n), rng.random(n)),
        crs="EPSG:4527",
    )
    project = CensusProject(two_village_township().meta, {"small_areas": areas})
    times = {}
    start = time.perf_counter()
    stats.set_project(project)
    times["set_project"] = time.perf_counter() - start
    start = time.perf_counter()
    stats.view.sortByColumn(POPULATION, Qt.SortOrder.DescendingOrder)
    times["sort"] = time.perf_counter() - start
    stats.select_codes(codes[:2000])
    start = time.perf_counter()
    stats.refresh(areas.assign(population=areas["population"] + 1))
    times["refresh"] = time.perf_counter() - start
    start = time.perf_counter()
    qtbot.keyClicks(stats.filter_edit, "001001")
    times["filter"] = time.perf_counter() - start
    print("county-size statistics:", ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in times.items()))
    assert stats.model.rowCount() == n
    assert stats.proxy.rowCount() == sum("001001" in c for c in codes)
    populations = [int(v.replace(",", "")) for v in column(stats, POPULATION)]
    assert populations == sorted(populations, reverse=True)


# -- problems --------------------------------------------------------------------------------------


def test_problems_table_shows_checker_problems_with_icons_and_filter(problems_panel, qtbot):
    project = CensusProject.open(DEMO)
    problems = check_project(project)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    assert errors and warnings
    problems_panel.set_problems(problems)
    proxy = problems_panel.proxy
    assert proxy.rowCount() == len(problems)
    assert f"{errors:,}" in problems_panel.summary.text() and f"{warnings:,}" in problems_panel.summary.text()
    shown = [proxy.data(proxy.index(r, 0), PROBLEM_ROLE) for r in range(proxy.rowCount())]
    assert Counter(map(id, shown)) == Counter(map(id, problems))
    assert [p.severity for p in shown] == sorted(p.severity for p in shown)  # errors first
    first = shown[0]
    assert not proxy.data(proxy.index(0, 0), Qt.ItemDataRole.DecorationRole).isNull()
    assert proxy.data(proxy.index(0, 1)) == first.label()
    assert proxy.data(proxy.index(0, 2)) == ", ".join(first.shown_features())
    assert proxy.data(proxy.index(0, 4)) == first.message()
    # a building is shown by its one name (area code and number), never by its internal id
    row = next(r for r, p in enumerate(shown) if p.layer == "buildings" and p.names)
    building = shown[row]
    named = proxy.data(proxy.index(row, 2))
    assert named.split("（")[0] == building.names[0][0] and re.fullmatch(r"\d{15}-\d{3}|#\d+", building.names[0][0])

    problems_panel.filter_combo.setCurrentIndex(problems_panel.ERRORS)
    assert proxy.rowCount() == errors
    problems_panel.filter_combo.setCurrentIndex(problems_panel.ALL)
    assert proxy.rowCount() == len(problems)


def test_double_clicking_a_problem_emits_it(problems_panel, qtbot):
    problems = check_project(township(populations=(50, 300, 400, 300)))
    problems_panel.set_problems(problems)
    view = problems_panel.view
    row = 1
    expected = problems_panel.proxy.data(problems_panel.proxy.index(row, 0), PROBLEM_ROLE)
    with qtbot.waitSignal(problems_panel.problem_activated) as blocker:
        double_click(qtbot, view, row_centre(view, row, 1))
    assert blocker.args[0] is expected
    assert blocker.args[0].location is not None


# -- attributes ------------------------------------------------------------------------------------


def test_attributes_show_a_small_area_with_notes_and_locked_editable(attributes, qtbot):
    project = township()
    row = project["small_areas"].iloc[0]
    attributes.show_feature("small_areas", row)
    assert attributes.layer == "small_areas" and attributes.key == A1
    assert set(attributes.editors) == {"notes", "locked"}
    assert isinstance(attributes.editors["notes"], QLineEdit) and isinstance(attributes.editors["locked"], QCheckBox)
    assert attributes.values["code"].text() == A1
    assert attributes.values["population"].text() == "200"
    assert attributes.values["area"].text().startswith("400,000")
    assert not attributes.findChildren(QLineEdit, "edit_population")  # read-only

    notes = attributes.editors["notes"]
    notes.setFocus()
    qtbot.keyClicks(notes, "school dorm")
    with qtbot.waitSignal(attributes.field_edited) as blocker:
        qtbot.keyClick(notes, Qt.Key.Key_Return)
    assert blocker.args == ["small_areas", A1, {"notes": "school dorm"}]

    with qtbot.waitSignal(attributes.field_edited) as blocker:
        qtbot.mouseClick(attributes.editors["locked"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["small_areas", A1, {"locked": 1}]
    assert project["small_areas"]["notes"].iloc[0] == "" and project["small_areas"]["locked"].iloc[0] == 0  # data untouched


def test_attributes_report_unconfirmed_text_before_showing_another_feature(attributes, qtbot):
    districts = township()["districts"]
    attributes.show_feature("districts", districts.iloc[0])
    assert set(attributes.editors) == {"name"}
    assert attributes.editors["name"].text() == "东关村"
    qtbot.keyClicks(attributes.editors["name"], " East")
    with qtbot.waitSignal(attributes.field_edited) as blocker:
        attributes.show_feature("districts", districts.iloc[1])
    assert blocker.args == ["districts", "370481102201", {"name": "东关村 East"}]
    assert attributes.key == "370481102202"


def test_attributes_of_a_building_are_editable(attributes, qtbot):
    building = township()["buildings"].iloc[2]
    attributes.show_feature("buildings", building)
    assert attributes.key == 3
    assert {"population", "households", "units", "use", "address", "notes"} <= set(attributes.editors)
    assert attributes.editors["population"].value() == 4
    assert "id" not in attributes.values and attributes.title.text().endswith("#3")  # not numbered yet
    units = attributes.editors["units"]
    units.setValue(6)
    with qtbot.waitSignal(attributes.field_edited) as blocker:
        units.editingFinished.emit()
    assert blocker.args == ["buildings", 3, {"units": 6}]


def test_attributes_summarise_several_small_areas(attributes):
    areas = township()["small_areas"]
    attributes.show_feature("small_areas", areas.iloc[:3])
    assert attributes.key is None and attributes.editors == {}
    assert attributes.values["count"].text() == "3"
    assert attributes.values["population"].text() == "900"
    assert attributes.values["households"].text() == "250"
    attributes.show_feature(None, None)
    assert attributes.layer is None and attributes.values == {} and attributes.editors == {}
