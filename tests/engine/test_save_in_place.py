"""Saving into the file a project was read from: only what changed is written, what the tool does not own
survives, and a save over someone else's newer save is refused (issue 11)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import fiona
import geopandas as gpd
import pyogrio
import pytest
import shapely

import gis_census.project.gpkg as gpkg
from gis_census.cli import main
from gis_census.errors import ProjectError
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "p.gpkg"
    shutil.copy(SAMPLE, path)
    return path


def add_foreign_things(path: Path) -> None:
    """What QGIS and an office add to a project: a style table, a layer of their own, a metadata key, a description."""
    notes = gpd.GeoDataFrame({"note": ["河边新建三户"]}, geometry=[shapely.Point(39512000, 3883000)], crs="EPSG:4527")
    pyogrio.write_dataframe(notes, path, layer="office_field_notes", driver="GPKG", append=False)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY, f_table_name TEXT, styleName TEXT, styleQML TEXT)")
        db.execute("INSERT INTO layer_styles (f_table_name, styleName, styleQML) VALUES ('small_areas', '普查小区', '<qgis/>')")
        db.execute("INSERT INTO census_meta (key, value) VALUES ('office_contact', '张三 0632-1234567')")
        db.execute("UPDATE gpkg_contents SET description = '2026年普查小区' WHERE table_name = 'small_areas'")


def move_one_area(project: CensusProject) -> str:
    """Change one small area's geometry (a small shift of its first vertex inwards); its code."""
    areas = project.layers["small_areas"]
    i = int(areas.geometry.area.idxmin())
    areas.loc[i, "geometry"] = shapely.affinity.scale(areas.geometry.iloc[i], 0.99, 0.99)
    return areas["code"].iloc[i]


def test_a_save_keeps_what_the_tool_does_not_own(sample):
    add_foreign_things(sample)
    project = CensusProject.open(sample)
    code = move_one_area(project)
    project.save()
    with sqlite3.connect(sample) as db:
        assert db.execute("SELECT styleName FROM layer_styles").fetchall() == [("普查小区",)]
        assert db.execute("SELECT value FROM census_meta WHERE key = 'office_contact'").fetchone() == ("张三 0632-1234567",)
        assert db.execute("SELECT description FROM gpkg_contents WHERE table_name = 'small_areas'").fetchone() == ("2026年普查小区",)
        assert db.execute("SELECT value FROM census_meta WHERE key = 'saved_layers'").fetchone() == ("small_areas",)
        assert db.execute("pragma application_id").fetchone()[0] == 0x47504B47
        assert db.execute("pragma user_version").fetchone()[0] == 10200
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    assert "office_field_notes" in pyogrio.list_layers(sample)[:, 0]
    again = CensusProject.open(sample)
    moved = again["small_areas"].set_index("code").geometry[code]
    assert moved.equals_exact(project["small_areas"].set_index("code").geometry[code], 1e-6)
    assert again.revision == 1 and again.stored_meta["office_contact"] == "张三 0632-1234567"
    with fiona.open(sample, layer="small_areas") as layer:
        assert len(layer) == len(project["small_areas"])
    # The spatial index was replaced with the layer: a window query finds the moved area.
    x, y = moved.representative_point().coords[0]
    found = pyogrio.read_dataframe(sample, layer="small_areas", bbox=(x - 1, y - 1, x + 1, y + 1))
    assert code in set(found["code"])
    ogrinfo = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(sample)], capture_output=True, text=True)
    if ogrinfo.returncode == 0:
        assert f"Feature Count: {len(project['small_areas'])}" in ogrinfo.stdout and "office_field_notes" in ogrinfo.stdout
        assert "may only be partially supported" not in ogrinfo.stderr and "ERROR" not in ogrinfo.stderr
        # GDAL (QGIS) can still edit the replaced layer: its spatial index and feature count triggers work.
        one = sample.with_name("one.gpkg")
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(one), str(sample), "small_areas", "-where", "fid = 1"], check=True)
        subprocess.run(["ogr2ogr", "-update", "-append", str(sample), str(one), "-nln", "small_areas"], check=True)
        with sqlite3.connect(sample) as db:
            n = len(project["small_areas"]) + 1
            assert db.execute("SELECT count(*) FROM rtree_small_areas_geom").fetchone() == (n,)
            assert db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'small_areas'").fetchone() == (n,)


def test_layers_that_did_not_change_are_not_written(sample, monkeypatch):
    project = CensusProject.open(sample)
    move_one_area(project)
    written = []
    real = pyogrio.write_dataframe
    monkeypatch.setattr(pyogrio, "write_dataframe", lambda *a, **k: written.append(k["layer"]) or real(*a, **k))
    project.save()
    assert written == ["small_areas"]
    written.clear()
    project.save()  # nothing changed since: only the settings (revision, time)
    assert written == []
    assert CensusProject.open(sample).revision == 2


def test_a_save_over_a_newer_save_is_refused_and_writes_nothing(sample):
    first, second = CensusProject.open(sample), CensusProject.open(sample)
    first.layers["villages"].loc[0, "name"] = "先保存的"
    first.save()
    first.layers["villages"].loc[1, "name"] = "又保存一次"
    first.save()  # the same project saves twice: its remembered revision moved on
    before = sample.read_bytes()
    second.layers["districts"].loc[0, "name"] = "后保存的"
    with pytest.raises(ProjectError) as refused:
        second.save()
    message = refused.value.message()
    assert refused.value.key == "project_changed_on_disk" and "p.gpkg" in message and "villages" in message
    assert sample.read_bytes() == before
    again = CensusProject.open(sample)
    assert list(again["villages"]["name"].iloc[:2]) == ["先保存的", "又保存一次"] and again.revision == 2


def test_a_file_replaced_by_another_project_is_refused(sample, tmp_path):
    project = CensusProject.open(sample)
    project.save()
    other = CensusProject.open(sample)
    CensusProject(other.meta, other.layers).save(tmp_path / "q.gpkg")
    shutil.copy(tmp_path / "q.gpkg", sample)
    with pytest.raises(ProjectError) as refused:
        project.save()
    assert refused.value.key == "project_replaced_on_disk"


def test_a_file_locked_by_another_writer_waits_then_says_so(sample, monkeypatch):
    project = CensusProject.open(sample)
    monkeypatch.setattr(gpkg, "BUSY_TIMEOUT_S", 0.5)
    holder = sqlite3.connect(sample, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        start = time.perf_counter()
        with pytest.raises(ProjectError) as locked:
            project.save()
        assert time.perf_counter() - start >= 0.4
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert locked.value.key == "project_locked" and "p.gpkg" in locked.value.message()
    project.save()  # free again


# Two commands on one file, the first paused just before it saves, the second run whole meanwhile.

PAUSED = """
import sys, time
from pathlib import Path
from gis_census.cli import main
from gis_census.project import CensusProject
go, ready = Path(sys.argv[1]), Path(sys.argv[2])
real_save = CensusProject.save
def paused_save(self, *a, **k):
    ready.touch()
    while not go.exists():
        time.sleep(0.05)
    return real_save(self, *a, **k)
CensusProject.save = paused_save
sys.exit(main(sys.argv[3:]))
"""


def race(tmp_path: Path, first: list[str], second: list[str]) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    go, ready = tmp_path / "go", tmp_path / "ready"
    env = {"PYTHONPATH": str(ROOT), "GIS_CENSUS_LANG": "zh", "PATH": "/usr/bin:/bin"}
    paused = subprocess.Popen([sys.executable, "-c", PAUSED, str(go), str(ready), *first], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert paused.poll() is None, paused.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    other = subprocess.run([sys.executable, "-m", "gis_census.cli", *second], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    go.touch()
    out, err = paused.communicate(timeout=120)
    return subprocess.CompletedProcess(paused.args, paused.returncode, out, err), other


def districts_divided(path: Path) -> dict[str, int]:
    areas = CensusProject.open(path)["small_areas"]
    return areas["district_code"].value_counts().to_dict()


def test_two_divides_on_different_districts_one_is_refused(sample, tmp_path):
    before = districts_divided(sample)
    first, second = race(tmp_path, ["divide", str(sample), "--district", "370481102201"],
                         ["divide", str(sample), "--district", "370481102202"])
    assert second.returncode == 0, second.stderr
    assert first.returncode == 2 and "p.gpkg" in first.stderr and "gis-census divide" in first.stderr
    assert "Traceback" not in first.stderr and "未保存任何内容" in first.stderr
    after = CensusProject.open(sample)
    assert after.revision == 1 and "small_areas" in after.stored_meta["saved_layers"]  # one save: the other's
    assert districts_divided(sample) == before  # the sample is divided already: the same division again


def test_divide_against_import_areas_replace(sample, tmp_path):
    areas = tmp_path / "areas.gpkg"
    pyogrio.write_dataframe(CensusProject.open(sample)["small_areas"], areas, layer="small_areas", driver="GPKG")
    first, second = race(tmp_path, ["import-areas", str(sample), "--small-areas", str(areas), "--replace"],
                         ["divide", str(sample), "--district", "370481102201"])
    assert second.returncode == 0, second.stderr
    assert first.returncode == 2 and "p.gpkg" in first.stderr and "small_areas" in first.stderr
    assert CensusProject.open(sample).stored_meta["saved_by"] == "gis-census divide"


def test_check_against_divide(sample, tmp_path):
    first, second = race(tmp_path, ["divide", str(sample), "--district", "370481102201"], ["check", str(sample)])
    assert second.returncode in (0, 1), second.stderr  # 1: problems found and saved
    assert first.returncode == 2 and "gis-census check" in first.stderr and "problems" in first.stderr
    assert len(CensusProject.open(sample)["problems"]) > 0  # check's problems layer is still there


def test_cli_refusal_exit_code_in_process(sample, capsys):
    stale = CensusProject.open(sample)
    assert main(["divide", str(sample), "--district", "370481102201"]) == 0
    stale.layers["villages"].loc[0, "name"] = "过时的"
    with pytest.raises(ProjectError) as refused:
        stale.save()
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("argv", [
    ["divide", "{p}", "--district", "370481102201"],
    ["code", "{p}"],
    ["check", "{p}"],
    ["import-areas", "{p}", "--small-areas", str(ROOT / "sample_data" / "inputs" / "small_areas_previous.gpkg"), "--replace"],
    ["set", "{p}", "--county-name", "滕州市"],
], ids=lambda argv: argv[0])
def test_every_command_keeps_what_the_tool_does_not_own(sample, capsys, argv):
    add_foreign_things(sample)
    assert main([a.format(p=sample) for a in argv]) in (0, 1)  # check exits 1: the sample's old division has errors
    capsys.readouterr()
    with sqlite3.connect(sample) as db:
        assert db.execute("SELECT styleName FROM layer_styles").fetchall() == [("普查小区",)]
        assert db.execute("SELECT value FROM census_meta WHERE key = 'office_contact'").fetchone() == ("张三 0632-1234567",)
        assert db.execute("SELECT description FROM gpkg_contents WHERE table_name = 'small_areas'").fetchone() == ("2026年普查小区",)
        assert db.execute("SELECT value FROM census_meta WHERE key = 'revision'").fetchone() == ("1",)
    assert "office_field_notes" in pyogrio.list_layers(sample)[:, 0]


def test_a_layer_read_late_never_mixes_two_versions_of_the_file(sample):
    """Layers are read when first used; one asked for after another program saved the file is refused."""
    mine = CensusProject.open(sample, lazy=True)
    assert len(mine["small_areas"])  # read now
    other = CensusProject.open(sample)
    other.layers["villages"] = other["villages"].assign(name="改名")
    other.save()
    with pytest.raises(ProjectError) as refused:
        mine["buildings"]
    assert refused.value.key == "project_changed_while_reading"
    assert "buildings" in refused.value.message() and str(sample) in refused.value.message()
    with pytest.raises(ProjectError):
        mine.columns("buildings", ["id"])


def test_after_its_own_save_a_project_still_reads_its_other_layers(sample):
    project = CensusProject.open(sample, lazy=True)
    project.layers["small_areas"] = project["small_areas"].assign(notes="走访后修改")
    project.save()
    assert len(project["buildings"]) == len(CensusProject.open(sample)["buildings"])
