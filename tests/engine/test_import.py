"""`gis-census new` and `import-areas` on good input: formats, encodings, CRS choice, assignment, counts."""

from __future__ import annotations

import json
from pathlib import Path

import fiona
import geopandas as gpd
import numpy as np
import pytest
import shapely

from frames import building_frame, village_frame
from gis_census.cli import main
from gis_census.project import CensusProject

PROVIDENCE = Path(__file__).parent.parent / "data" / "providence_blocks.zip"


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_new_from_gbk_shapefile_and_geopackage(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    rc, stdout, stderr = run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", inputs["buildings"], "--township-name", "青石镇")
    assert rc == 0, stderr
    assert "EPSG:4527" in stdout and "3-degree Gauss-Kruger zone 39" in stdout
    project = CensusProject.open(out)
    assert project.crs == "EPSG:4527"
    assert list(project["villages"]["name"]) == ["东关社区居委会", "西关社区居委会", "王庄村委会", "李家洼村委会"]
    assert list(project["districts"]["code"]) == list(project["villages"]["code"])
    # Reprojected back to where the fixture drew them, to the millimetre.
    expected = village_frame().geometry.values
    assert np.all(shapely.hausdorff_distance(project["villages"].geometry.values, expected) < 1e-3)
    # Each village holds the ten buildings drawn in it.
    b = project["buildings"]
    assert b.groupby("village_code").size().tolist() == [10, 10, 10, 10]
    assert list(b["id"]) == list(range(1, 41))
    assert b["population"].sum() == building_frame()["RK"].sum()
    assert (b["district_code"] == b["village_code"]).all()
    assert (b["small_area_code"] == "").all()


def test_info_json_matches_what_fiona_reads(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    assert run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", inputs["buildings"])[0] == 0
    rc, stdout, _ = run(capsys, "info", out, "--json")
    assert rc == 0
    info = json.loads(stdout)
    for layer in ("villages", "districts", "small_areas", "buildings"):
        with fiona.open(out, layer=layer) as src:
            assert info["counts"][layer] == len(src)
    assert info["township"]["code"] == "370481102"
    assert info["population"] == int(building_frame()["RK"].sum())
    assert info["households"] == int(building_frame()["HS"].sum())
    assert [v["population"] for v in info["villages"]] == [95, 95, 95, 95]
    assert info["buildings_without_small_area"] == 40


def test_geojson_kml_context_layers_and_crs_override(inputs, tmp_path, capsys):
    folder = inputs["folder"]
    v = village_frame()
    x0, y0, x1, y1 = v.total_bounds
    roads = gpd.GeoDataFrame({"NAME": ["人民路", "建设街"], "KIND": ["main", "street"]},
                             geometry=[shapely.LineString([(x0, y0 + 500), (x1, y0 + 500)]),
                                       shapely.LineString([(x0 + 500, y0), (x0 + 500, y1)])], crs=v.crs)
    roads.to_crs(4326).to_file(folder / "roads.geojson", driver="GeoJSON", engine="pyogrio")
    water = gpd.GeoDataFrame({"Name": ["荆河"]}, geometry=[shapely.box(x0, y0 + 1490, x1, y0 + 1510)], crs=v.crs)
    water.to_crs(4326).to_file(folder / "water.kml", driver="KML", engine="pyogrio")
    out = tmp_path / "p.gpkg"
    rc, stdout, stderr = run(capsys, "new", out, "--villages", inputs["villages"], "--roads", folder / "roads.geojson",
                             "--water", folder / "water.kml", "--crs", "EPSG:4548")
    assert rc == 0, stderr
    project = CensusProject.open(out)
    assert project.crs == "EPSG:4548"
    assert list(project["roads"]["name"]) == ["人民路", "建设街"] and list(project["roads"]["kind"]) == ["main", "street"]
    assert list(project["water"]["name"]) == ["荆河"]
    assert not project["water"].has_z.any()  # KML's heights are dropped: census maps are 2-D
    assert project["water"].area.iloc[0] == pytest.approx(2000 * 20, rel=1e-3)


def test_buildings_as_points(inputs, tmp_path, capsys):
    points = building_frame().copy()
    points["geometry"] = points.centroid
    path = inputs["folder"] / "points.geojson"
    points.to_crs(4490).to_file(path, driver="GeoJSON", engine="pyogrio")
    out = tmp_path / "p.gpkg"
    assert run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", path)[0] == 0
    b = CensusProject.open(out)["buildings"]
    assert set(b.geom_type) == {"Point"} and len(b) == 40


@pytest.fixture(scope="module")
def providence_blocks():
    blocks = gpd.read_file(f"zip://{PROVIDENCE}", engine="pyogrio")
    return blocks[blocks["GEOID10"].str[:9] == "440070001"].reset_index(drop=True)


def test_real_blocks_in_feet_go_to_utm_and_land_in_their_block_group(providence_blocks, tmp_path, capsys):
    """Providence: block groups play villages, blocks play buildings; input in RI State Plane feet."""
    blocks = providence_blocks.to_crs("EPSG:3438")  # NAD83 / Rhode Island (ftUS)
    groups = blocks.dissolve(by=blocks["GEOID10"].str[:12]).reset_index(names="DM")[["DM", "geometry"]]
    groups.to_file(tmp_path / "groups.gpkg", engine="pyogrio")
    blocks[["GEOID10", "TOTPOP", "geometry"]].to_file(tmp_path / "blocks.gpkg", engine="pyogrio")
    out = tmp_path / "p.gpkg"
    rc, stdout, stderr = run(capsys, "new", out, "--villages", tmp_path / "groups.gpkg", "--buildings", tmp_path / "blocks.gpkg",
                             "--population-field", "TOTPOP")
    assert rc == 0, stderr
    project = CensusProject.open(out)
    assert project.crs == "EPSG:32619"  # WGS 84 / UTM zone 19N, in metres
    b = project["buildings"]
    assert b["population"].sum() == providence_blocks["TOTPOP"].sum()
    assert list(b["village_code"]) == list(providence_blocks["GEOID10"].str[:12])
    # Areas measured in metres agree with the Census Bureau's land+water areas within 1 %.
    census_area = (providence_blocks["ALAND10"] + providence_blocks["AWATER10"]).sum()
    assert b.area.sum() == pytest.approx(census_area, rel=0.01)


def test_import_areas_sums_buildings_and_assigns_them(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    assert run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", inputs["buildings"])[0] == 0
    # Each village split into a west and an east half; the buildings run west to east.
    v = village_frame()
    halves = []
    for code, geom in zip(v["DM"], v.geometry):
        x0, y0, x1, y1 = geom.bounds
        halves += [(code + "001", shapely.box(x0, y0, x0 + 500, y1)), (code + "002", shapely.box(x0 + 500, y0, x1, y1))]
    areas = gpd.GeoDataFrame({"XQDM": [c for c, _ in halves]}, geometry=[g for _, g in halves], crs=v.crs)
    areas.to_crs(4490).to_file(tmp_path / "areas.geojson", driver="GeoJSON", engine="pyogrio")
    rc, stdout, stderr = run(capsys, "import-areas", out, "--small-areas", tmp_path / "areas.geojson", "--code-field", "XQDM")
    assert rc == 0, stderr
    project = CensusProject.open(out)
    s = project["small_areas"]
    assert len(s) == 8 and list(s["seq"]) == ["001", "002"] * 4
    # Buildings at x = 100 + 80k (k = 0..9): k <= 4 lie west of 500 m (population 5..9), the rest east (10..14).
    assert list(s["population"]) == [35, 60] * 4
    assert project["buildings"]["small_area_code"].str.len().eq(15).all()
    rc, stdout, _ = run(capsys, "info", out, "--json")
    assert json.loads(stdout)["buildings_without_small_area"] == 0


@pytest.mark.parametrize("units, ok", [(["4", 2, None], True), (["四", 2, None], False)])
def test_stairwells_are_read_from_a_units_field(inputs, tmp_path, capsys, units, ok):
    frame = building_frame()
    frame["DYS"] = (units * 14)[: len(frame)]
    buildings = tmp_path / "buildings_units.gpkg"
    frame.astype({"DYS": object}).to_file(buildings, engine="pyogrio")
    out = tmp_path / "p.gpkg"
    rc, _, stderr = run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", buildings)
    if ok:
        assert rc == 0, stderr
        assert list(CensusProject.open(out)["buildings"]["units"][:3]) == [4, 2, 0]  # empty: not recorded
    else:
        assert rc == 2 and "DYS" in stderr and "四" in stderr and "Traceback" not in stderr
        assert not out.exists()


def test_an_id_shared_by_a_whole_layer_is_one_short_refusal(inputs, tmp_path, capsys):
    """A field every footprint fills with 0 (3D-model exports do) names ten features and the count, not all."""
    buildings = building_frame().assign(ID=0)
    path = tmp_path / "ids.gpkg"
    buildings.to_file(path, engine="pyogrio")
    project = tmp_path / "p.gpkg"
    assert main(["new", str(project), "--villages", str(inputs["villages"]), "--buildings", str(path)]) == 2
    err = capsys.readouterr().err
    assert "编号 0 被 40 个要素共用" in err and "#10，" in err and "#11" not in err
    assert len(max(err.splitlines(), key=len)) < 300 and not project.exists()
