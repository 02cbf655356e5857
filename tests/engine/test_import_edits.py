"""Imports into an open project and a township divided at once, each one undoable edit (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gis_census.editing import History, divide_districts_edit, import_areas_edit, import_buildings_edit
from gis_census.errors import InputError
from gis_census.importing import ImportOptions, build_project

INPUTS = Path(__file__).resolve().parents[2] / "sample_data" / "inputs"


@pytest.fixture
def fresh():
    project, _ = build_project(ImportOptions(villages=str(INPUTS / "villages.shp"),
                                             buildings=str(INPUTS / "buildings.gpkg")))
    return project


def test_a_previous_division_becomes_the_small_areas_and_undo_takes_it_away(fresh):
    history = History(fresh)
    edit, _ = import_areas_edit(fresh, str(INPUTS / "small_areas_previous.gpkg"))
    history.push(edit)
    assert len(fresh["small_areas"]) == 107
    assert fresh["small_areas"]["population"].sum() == fresh["buildings"]["population"].sum()
    history.undo()
    assert len(fresh["small_areas"]) == 0 and (fresh["buildings"]["small_area_code"].fillna("") == "").all()


def test_buildings_added_get_new_ids_and_a_refused_file_raises_naming_it(fresh):
    history = History(fresh)
    with pytest.raises(InputError) as refused:
        import_buildings_edit(fresh, str(INPUTS / "roads.geojson"))
    assert "roads.geojson" in refused.value.message()
    edit, _ = import_buildings_edit(fresh, str(INPUTS / "buildings.gpkg"))
    history.push(edit)
    assert len(fresh["buildings"]) == 2 * 5655 and fresh["buildings"]["id"].is_unique
    history.undo()
    assert len(fresh["buildings"]) == 5655


def test_the_whole_township_is_divided_as_one_edit(fresh):
    codes = sorted(fresh["districts"]["code"])
    edit, results = divide_districts_edit(fresh, codes)
    assert len(results) == len(codes)
    history = History(fresh)
    history.push(edit)
    assert set(fresh["small_areas"]["district_code"]) == set(codes)
    history.undo()
    assert len(fresh["small_areas"]) == 0


def test_a_canceled_township_division_is_no_edit(fresh):
    class Canceled:
        def set_progress(self, percent):
            pass

        def is_canceled(self):
            return True

    edit, results = divide_districts_edit(fresh, sorted(fresh["districts"]["code"]), feedback=Canceled())
    assert results == [] and edit.is_empty()
