"""`gis-census check`: exit status, text and JSON output, the problems layer, the village filter."""

from __future__ import annotations

import json

import fiona
import pytest

from gis_census.cli import main
from gis_census.project import CensusProject


@pytest.fixture
def undivided(inputs, tmp_path, capsys):
    """The fixture township imported, with no small areas yet."""
    out = tmp_path / "p.gpkg"
    assert main(["new", str(out), "--villages", str(inputs["villages"]), "--buildings", str(inputs["buildings"])]) == 0
    capsys.readouterr()
    return out


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_undivided_project_has_only_warnings_and_exits_0(undivided, capsys):
    rc, out, _ = run(capsys, "check", undivided)
    assert rc == 0
    assert "错误 0 个，警告 4 个" in out
    assert out.count("[警告] 尚未划分普查小区：普查区 37048110") == 4


def test_errors_exit_1_and_are_written_as_a_problems_layer(undivided, tmp_path, capsys):
    import geopandas as gpd
    import shapely

    from frames import village_frame

    # Only the western half of each village is covered: a 500 m × 1000 m gap in each, and its buildings unassigned.
    v = village_frame()
    halves = [shapely.box(*g.bounds[:2], g.bounds[0] + 500, g.bounds[3]) for g in v.geometry]
    gpd.GeoDataFrame({"code": v["DM"] + "001"}, geometry=halves, crs=v.crs).to_file(tmp_path / "a.gpkg", engine="pyogrio")
    assert run(capsys, "import-areas", undivided, "--small-areas", tmp_path / "a.gpkg")[0] == 0
    rc, out, _ = run(capsys, "check", undivided, "--json")
    assert rc == 1
    report = json.loads(out)
    assert report["format"] == "gis-census-check/1"
    gaps = [p for p in report["problems"] if p["kind"] == "gap"]
    assert sorted(p["features"][0] for p in gaps) == sorted(v["DM"])
    assert all(p["value"] == pytest.approx(500_000) and p["unit"] == "m2" and p["severity"] == "error" for p in gaps)
    assert report["summary"]["by_kind"]["building_unassigned"] == 20  # the five eastern buildings of each village
    with fiona.open(undivided, layer="problems") as layer:
        rows = [f["properties"] for f in layer]
    assert len(rows) == len(report["problems"])
    assert {r["kind"] for r in rows} == set(report["summary"]["by_kind"])
    assert any("空隙" in r["message"] for r in rows)
    project = CensusProject.open(undivided)
    gap_rows = project["problems"][project["problems"]["kind"] == "gap"]
    assert gap_rows.area.tolist() == pytest.approx([500_000] * 4)


def test_only_errors_village_filter_and_no_save(undivided, capsys):
    before = undivided.read_bytes()
    rc, out, _ = run(capsys, "check", undivided, "--village", "370481102201", "--no-save", "--lang", "en")
    assert rc == 0
    assert "Check: passes (0 errors, 1 warnings)" in out
    assert "district 370481102201" in out and "370481102001" not in out
    rc, out, _ = run(capsys, "check", undivided, "--only", "errors", "--json", "--no-save")
    assert json.loads(out)["problems"] == [] and json.loads(out)["summary"]["warnings"] == 4
    assert undivided.read_bytes() == before


def test_unknown_village_and_unreadable_project_exit_2(undivided, tmp_path, capsys):
    rc, _, err = run(capsys, "check", undivided, "--village", "999999999999")
    assert rc == 2 and "999999999999" in err
    rc, _, err = run(capsys, "check", tmp_path / "missing.gpkg")
    assert rc == 2 and "missing.gpkg" in err and "Traceback" not in err
