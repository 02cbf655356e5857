"""Checking a project file reads only what the checks need (issue 13), and finds exactly what a check of the
whole project in memory finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gis_census.checks import check_project
from gis_census.checks.store import problems_layer
from gis_census.project import CensusProject
from gis_census.project.layers import layer_columns
from gis_census.schema import LAYERS

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
CODE_COLUMNS = {"villages": ["code"], "districts": ["code", "village_code"], "small_areas": ["code", "district_code"],
                "buildings": ["village_code", "district_code", "small_area_code"]}


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def replicated(tmp_path) -> Path:
    """The sample township three times side by side, each copy with its own township digits and building ids."""
    project = CensusProject.open(SAMPLE)
    xmin, _, xmax, _ = project["villages"].total_bounds
    layers = {}
    for name, columns in CODE_COLUMNS.items():
        copies = []
        for k in range(3):
            gdf = project[name].copy()
            gdf = gdf.set_geometry(shapely.transform(np.asarray(gdf.geometry.array, dtype=object),
                                                     lambda xy, k=k: xy + [k * (xmax - xmin + 1000.0), 0.0]))
            for c in columns:
                full = gdf[c].str.len() >= 9
                gdf.loc[full, c] = gdf.loc[full, c].str[:6] + f"{k + 1:03d}" + gdf.loc[full, c].str[9:]
            if name == "buildings":
                gdf["id"] += k * 10**6
            copies.append(gdf)
        layers[name] = pd.concat(copies, ignore_index=True)
    path = tmp_path / "three.gpkg"
    CensusProject(project.meta, layers).save(path)
    return path


def _in_memory(path: Path) -> CensusProject:
    opened = CensusProject.open(path)
    return CensusProject(opened.meta, dict(opened.layers), path)  # every layer read whole


def _same(found: list, expected: list) -> None:
    assert len(found) == len(expected)
    for a, b in zip(found, expected):
        assert (a.kind, a.layer, a.features, a.value, a.detail) == (b.kind, b.layer, b.features, b.value, b.detail)
        assert (a.location is None) == (b.location is None)
        assert a.location is None or shapely.equals_exact(a.location, b.location, 0)


@pytest.mark.parametrize("which", ["sample", "replicated"])
def test_a_check_from_the_file_finds_what_a_check_in_memory_finds(which, request):
    path = request.getfixturevalue(which)
    lean = CensusProject.open(path, lazy=True)
    found = check_project(lean)
    assert found, "the sample's old division has problems to compare"
    _same(found, check_project(_in_memory(path)))
    assert lean.layers.loaded() == {}  # the columns came from the file, no layer was read whole
    village = lean.columns("villages", ["code"])["code"][1]
    _same(check_project(lean, village=village), check_project(_in_memory(path), village=village))


def test_columns_from_the_file_equal_those_of_the_layer_read_whole(sample):
    lean, whole = CensusProject.open(sample, lazy=True), _in_memory(sample)
    for name, spec in LAYERS.items():
        a, b = lean.columns(name, list(spec.fields)), layer_columns(whole[name], list(spec.fields))
        assert list(a) == list(b)
        for column in spec.fields:
            assert a[column].dtype == b[column].dtype and (a[column] == b[column]).all(), (name, column)
        assert shapely.equals_exact(a["geometry"], b["geometry"], 0).all()
        assert list(shapely.get_type_id(a["geometry"])) == list(shapely.get_type_id(b["geometry"]))


def test_storing_problems_writes_only_them_and_keeps_the_layers_never_read(sample):
    before = _in_memory(sample)
    project = CensusProject.open(sample, lazy=True)
    project.layers["problems"] = problems_layer(check_project(project), project.crs)
    assert project.changed_layers() == ["problems"]
    project.save()
    assert project.stored_meta["saved_layers"] == "problems"
    again = CensusProject.open(sample)
    assert len(again["problems"]) > 0
    for name in LAYERS:
        if name != "problems":
            pd.testing.assert_frame_equal(again[name], before[name], check_exact=True)


def test_a_layer_read_for_its_geometry_alone(sample):
    project = CensusProject.open(sample)
    hole = shapely.box(0, 0, 10, 10)
    project.layers["allowed_holes"] = gpd.GeoDataFrame({"note": ["飞入地"]}, geometry=[hole], crs=project.crs)
    project.save()
    read = CensusProject.open(sample, lazy=True).columns("allowed_holes", [])
    assert list(read) == ["geometry"] and shapely.equals(read["geometry"][0], hole)
    assert len(CensusProject.open(sample, lazy=True).columns("small_areas", [], geometry=False)) == 0
