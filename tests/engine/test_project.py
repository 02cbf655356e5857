"""The project file: round trip, GeoPackage version, readability elsewhere, atomic saves."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys

import fiona
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from frames import PROJECT_CRS, building_frame, village_frame
from gis_census.errors import ProjectError
from gis_census.project import CensusProject, ProjectMeta
from gis_census.rules import locate_buildings
from gis_census.schema import LAYERS


@pytest.fixture
def project() -> CensusProject:
    v = village_frame().rename(columns={"DM": "code", "MC": "name"})
    b = building_frame().rename(columns={"DZ": "address", "RK": "population", "HS": "households"})
    b["id"] = range(1, len(b) + 1)
    areas = v.assign(code=v["code"] + "001", district_code=v["code"], seq="001", population=95, households=29)
    # An exclave: one small area in two parts must survive the file's MultiPolygon layer type.
    areas.loc[0, "geometry"] = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)])
    meta = ProjectMeta(township_code="370481102", township_name="青石镇", crs=PROJECT_CRS)
    return CensusProject(meta, {"villages": v, "districts": v.assign(village_code=v["code"]), "small_areas": areas,
                                "buildings": b.assign(small_area_code=locate_buildings(areas, b))})


def test_round_trip_keeps_every_layer_and_setting(project, tmp_path):
    path = project.save(tmp_path / "p.gpkg")
    again = CensusProject.open(path)
    assert again.meta.township_name == "青石镇"
    assert again.meta.target_population == 300 and again.meta.tolerance == 0.2
    assert again.crs == PROJECT_CRS
    for name in LAYERS:
        assert_geodataframe_equal(again[name], project[name], check_crs=False, check_index_type=False)
    assert again["small_areas"].geometry.iloc[0].geom_type == "MultiPolygon"
    assert again["small_areas"].geometry.iloc[1].geom_type == "Polygon"


def test_file_is_geopackage_1_2_readable_by_fiona_and_ogrinfo(project, tmp_path):
    path = project.save(tmp_path / "p.gpkg")
    with sqlite3.connect(path) as db:
        assert db.execute("pragma application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("pragma user_version").fetchone()[0] == 10200
    for name in ("villages", "districts", "small_areas", "buildings"):
        with fiona.open(path, layer=name) as layer:
            assert len(layer) == len(project[name])
            assert layer.crs.to_epsg() == 4527
    with fiona.open(path, layer="villages") as layer:
        assert [f["properties"]["name"] for f in layer] == list(project["villages"]["name"])
    ogrinfo = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True)
    if ogrinfo.returncode == 0:  # GDAL's own tools are optional on a workstation
        assert "Feature Count: 40" in ogrinfo.stdout
        assert "may only be partially supported" not in ogrinfo.stderr


def _fail_on_call(monkeypatch, n: int) -> None:
    """pyogrio.write_dataframe raises ENOSPC on its `n`-th call from now."""
    calls = []
    real_write = pyogrio.write_dataframe

    def disk_full(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", disk_full)


def test_failed_save_leaves_previous_file_intact(project, tmp_path, monkeypatch):
    path = project.save(tmp_path / "p.gpkg")
    before = path.read_bytes()
    _fail_on_call(monkeypatch, 1)  # the one changed layer
    project.layers["villages"].loc[0, "name"] = "改名"
    with pytest.raises(ProjectError) as failure:
        project.save()
    message = failure.value.message()
    assert "原文件未被改动" in message and "p.gpkg" in message and "剩余" in message  # the file and the free space
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]
    assert CensusProject.open(path)["villages"]["name"].iloc[0] == "东关社区居委会"


def test_failed_whole_file_save_leaves_previous_file_intact(project, tmp_path, monkeypatch):
    path = project.save(tmp_path / "p.gpkg")
    before = path.read_bytes()
    _fail_on_call(monkeypatch, 3)
    project.layers["villages"].loc[0, "name"] = "改名"
    with pytest.raises(ProjectError) as failure:
        CensusProject(project.meta, project.layers).save(path)  # a new project over the file: written whole
    assert "原文件未被改动" in failure.value.message() and "p.gpkg" in failure.value.message()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]


def test_full_disk_is_named_with_the_free_space(project, tmp_path, monkeypatch):
    project.save(tmp_path / "p.gpkg")
    _fail_on_call(monkeypatch, 1)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 * 2**30, 10 * 2**30 - 3 * 2**20, 3 * 2**20))
    project.layers["villages"].loc[0, "name"] = "改名"
    with pytest.raises(ProjectError) as failure:
        project.save()
    message = failure.value.message()
    assert "磁盘空间不足" in message and "3.0 MB" in message and "p.gpkg" in message and "Traceback" not in message
    assert failure.value.key == "save_failed_disk_full"


KILL = """
import os, sys, pyogrio
import gis_census.project as gp
import gis_census.project.gpkg as gpkg
p = gp.CensusProject.open(sys.argv[1])
where = sys.argv[2]
if where == "writing":
    real_write, calls = pyogrio.write_dataframe, []
    def die_on_second_layer(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            os._exit(9)  # as if the power went off while the new layers are written
        return real_write(*a, **k)
    pyogrio.write_dataframe = die_on_second_layer
else:
    real_copy = gpkg.copy_layer
    def die_after_first_copy(*a, **k):
        real_copy(*a, **k)
        os._exit(9)  # in the middle of the transaction on the project file
    gpkg.copy_layer = die_after_first_copy
p.layers["villages"].loc[0, "name"] = "改名"
p.layers["districts"].loc[0, "name"] = "改名"
p.save()
"""


@pytest.mark.parametrize("where", ["writing", "transaction"])
def test_process_killed_mid_save_leaves_previous_file_intact(project, tmp_path, where):
    path = project.save(tmp_path / "p.gpkg")
    before = path.read_bytes()
    result = subprocess.run([sys.executable, "-c", KILL, str(path), where], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    assert any(p.name != "p.gpkg" for p in tmp_path.iterdir())  # a temporary file or a journal is left
    again = CensusProject.open(path)  # rolls the interrupted transaction back, removes the dead save's files
    assert again["villages"]["name"].iloc[0] == "东关社区居委会" and again.revision == project.revision
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]


def test_leftovers_of_a_running_save_are_kept(project, tmp_path):
    path = project.save(tmp_path / "p.gpkg")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    for name in (f".p.saving-{pid}.gpkg", f".p.saving-{pid}.gpkg-journal", f".p.saving-{os.getpid()}.gpkg",
                 ".other.saving-1.gpkg"):
        (tmp_path / name).write_bytes(b"x")
    CensusProject.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.saving-1.gpkg", f".p.saving-{os.getpid()}.gpkg", "p.gpkg"]


def test_open_refuses_non_projects_with_named_file(tmp_path):
    with pytest.raises(ProjectError) as missing:
        CensusProject.open(tmp_path / "nothing.gpkg")
    assert "nothing.gpkg" in missing.value.message()
    plain = tmp_path / "plain.gpkg"
    village_frame().to_file(plain, engine="pyogrio")
    with pytest.raises(ProjectError) as not_project:
        CensusProject.open(plain)
    assert "plain.gpkg" in not_project.value.message() and "census_meta" in not_project.value.message()
    text = tmp_path / "notes.gpkg"
    text.write_text("hello")
    with pytest.raises(ProjectError) as unreadable:
        CensusProject.open(text)
    assert "notes.gpkg" in unreadable.value.message()


def test_newer_format_is_refused(project, tmp_path):
    project.meta.format_version = 99
    path = project.save(tmp_path / "p.gpkg")
    with pytest.raises(ProjectError) as newer:
        CensusProject.open(path)
    assert "99" in newer.value.message() and "升级" in newer.value.message()


@pytest.fixture
def small_disk(tmp_path):
    """A 7 MB tmpfs (root only; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=7m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_really_full_disk_leaves_the_file_and_names_the_free_space(project, small_disk):
    path = project.save(small_disk / "p.gpkg")
    before = path.read_bytes()
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 20_000))
    project.layers["buildings"]["address"] = project["buildings"]["address"] + "（已核实）" * 2000
    with pytest.raises(ProjectError) as failure:
        project.save()
    assert failure.value.key == "save_failed_disk_full" and "p.gpkg" in failure.value.message()
    assert "KB" in failure.value.message()
    assert path.read_bytes() == before and sorted(p.name for p in small_disk.iterdir()) == ["filler", "p.gpkg"]
