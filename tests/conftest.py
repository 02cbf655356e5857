"""Fixtures shared by engine and UI tests: small real input files and projects built from them."""

from __future__ import annotations

import pytest

from frames import building_frame, village_frame
from gis_census.cli import main
from gis_census.i18n import set_language


@pytest.fixture(autouse=True)
def chinese_messages():
    """Tests read Chinese messages unless they ask for English; the environment does not leak in."""
    set_language("zh")
    yield
    set_language(None)


@pytest.fixture
def inputs(tmp_path):
    """Villages (GBK Shapefile in CGCS2000 geographic) and buildings (GeoPackage) as an office has them."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    villages = folder / "villages.shp"
    village_frame().to_crs("EPSG:4490").to_file(villages, encoding="GBK", engine="pyogrio")
    buildings = folder / "buildings.gpkg"
    building_frame().to_crs("EPSG:4490").to_file(buildings, engine="pyogrio")
    return {"villages": villages, "buildings": buildings, "folder": folder}


@pytest.fixture
def folders(tmp_path):
    """An input folder and an empty output folder (so stray files are easy to see)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    return tmp_path / "in", tmp_path / "out" / "project.gpkg"


@pytest.fixture
def project_file(inputs, tmp_path, capsys):
    """A project built from the fixture inputs, alone in its folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "p.gpkg"
    assert main(["new", str(path), "--villages", str(inputs["villages"]), "--buildings", str(inputs["buildings"])]) == 0
    capsys.readouterr()
    return path
