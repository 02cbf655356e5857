"""Coordinates nothing can be computed from, geometry GDAL cannot hand over, and GDAL's own warnings.

The rule: a coordinate that is infinite or NaN, outside longitude -180..180 / latitude -90..90 in a
geographic CRS, or beyond 100 000 km in a projected one, is refused naming file, layer and feature
before anything (the project's CRS first) is computed from it. A polygon ring that is not closed is
refused naming the feature (--repair closes it). A layer in which no feature has a geometry is refused.
GDAL's warnings (unclosed ring, M values dropped) never reach stderr: they become findings or notices.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from frames import PROJECT_CRS, building_frame, village_frame
from gis_census.errors import InputError
from gis_census.importing.crs import choose_metric_crs
from gis_census.project import CensusProject
from refusals import (
    GEOGRAPHIC,
    NAMES,
    assert_ok,
    assert_refused,
    assert_words_of,
    good_villages,
    run,
    write_gpkg,
    write_shp,
)

ROOT = Path(__file__).resolve().parents[2]
INF = float("inf")


def _geographic_villages(row: int, *points) -> gpd.GeoDataFrame:
    """The fixture villages in CGCS2000 lon/lat with village `row` drawn through `points`."""
    v = village_frame().to_crs(GEOGRAPHIC)
    with np.errstate(invalid="ignore"):  # shapely warns about a NaN coordinate: here it is the point
        v.loc[row, "geometry"] = shapely.Polygon(points)
    return v


def _triangle_at(x: float, y: float = 35.08):
    return [(117.15, 35.08), (x, y), (117.16, 35.09)]


def _run_quietly(capsys, *argv):
    """Run the command line in-process, failing on any Python warning it lets through."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(capsys, *argv)
    assert not caught, [f"{w.category.__name__}: {w.message}" for w in caught]
    return result


# ---------------------------------------------------------------------------------------------
# Coordinates that are not places
# ---------------------------------------------------------------------------------------------

VILLAGE_COORDINATE_CASES = {
    "infinite": (_triangle_at(INF), "coords_not_finite", "inf"),
    "nan": (_triangle_at(117.16, float("nan")), "coords_not_finite", "nan"),
    "1e308": (_triangle_at(1e308), "coords_outside_geographic", "1e+308"),
    "longitude_400": ([(400, 35.08), (400.01, 35.08), (400.01, 35.09)], "coords_outside_geographic", "400"),
    "latitude_95": (_triangle_at(117.16, 95), "coords_outside_geographic", "95"),
}


@pytest.mark.parametrize("case", VILLAGE_COORDINATE_CASES, ids=list(VILLAGE_COORDINATE_CASES))
def test_villages_with_impossible_coordinates_are_refused(case, folders, capsys):
    points, key, value = VILLAGE_COORDINATE_CASES[case]
    folder, out = folders
    villages = write_gpkg(folder, _geographic_villages(1, *points), "villages.gpkg", "villages")
    result = _run_quietly(capsys, "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.gpkg", "图层 villages", f"要素 #2 ({NAMES[1]})", value, "输入有 1 处问题"], key)


def test_projected_data_labelled_geographic_is_refused_with_a_hint(folders, capsys):
    folder, out = folders
    mislabelled = village_frame().set_crs("EPSG:4326", allow_override=True)  # GK metres said to be degrees
    villages = write_shp(folder, mislabelled, crs=None)
    result = _run_quietly(capsys, "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.shp", "图层 villages", f"要素 #0 ({NAMES[0]})", f"要素 #3 ({NAMES[3]})",
                                 "39514000", "EPSG:4326", ".prj", "--assume-crs"], "coords_outside_geographic")
    assert "UTM" not in result.err


def test_projected_data_labelled_geographic_in_english(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame().set_crs("EPSG:4326", allow_override=True), crs=None)
    result = _run_quietly(capsys, "new", out, "--villages", villages, "--lang", "en")
    assert_refused(result, out, ["villages.shp", "layer villages", "feature #0", "projected data labelled as geographic",
                                 "--assume-crs"], "coords_outside_geographic", lang="en")


def test_absurd_projected_coordinates_are_refused(folders, capsys):
    folder, out = folders
    v = village_frame()
    x, y = v.geometry.iloc[2].exterior.coords[0]
    v.loc[2, "geometry"] = shapely.Polygon([(x, y), (x + 1e300, y), (x, y + 1000)])
    villages = write_gpkg(folder, v, "villages.gpkg", "villages", crs=PROJECT_CRS)
    result = _run_quietly(capsys, "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.gpkg", "图层 villages", f"要素 #3 ({NAMES[2]})", "1e+300", "EPSG:4527"],
                   "coords_too_large")


def test_buildings_with_an_infinite_coordinate_are_refused(folders, capsys):
    folder, out = folders
    b = building_frame()
    x, y = b.geometry.iloc[2].exterior.coords[0]
    b.loc[2, "geometry"] = shapely.Polygon([(x, y), (INF, y), (x, y + 20)])
    buildings = write_gpkg(folder, b, "buildings.gpkg", "buildings", crs=PROJECT_CRS)
    result = _run_quietly(capsys, "new", out, "--villages", good_villages(folder), "--buildings", buildings)
    assert_refused(result, out, ["buildings.gpkg", "图层 buildings", "要素 #3 (人民路3号)", "inf"], "coords_not_finite")


def test_landmark_point_beyond_the_pole_is_refused(folders, capsys):
    folder, out = folders
    marks = gpd.GeoDataFrame({"NAME": ["镇政府"]}, geometry=[shapely.Point(117.15, 135.0)], crs=GEOGRAPHIC)
    landmarks = write_gpkg(folder, marks, "landmarks.gpkg", "landmarks")
    result = _run_quietly(capsys, "new", out, "--villages", good_villages(folder), "--landmarks", landmarks)
    assert_refused(result, out, ["landmarks.gpkg", "图层 landmarks", "要素 #1 (镇政府)", "135"], "coords_outside_geographic")


def test_import_areas_with_huge_coordinates_leaves_the_project_alone(project_file, tmp_path, capsys):
    before = project_file.read_bytes()
    areas = village_frame().to_crs(GEOGRAPHIC)
    areas["DM"] = areas["DM"] + "001"
    areas.loc[1, "geometry"] = shapely.Polygon(_triangle_at(1e308))
    (tmp_path / "a").mkdir()
    path = write_gpkg(tmp_path / "a", areas, "areas.gpkg", "small_areas")
    result = _run_quietly(capsys, "import-areas", project_file, "--small-areas", path)
    assert result.rc == 2 and "Traceback" not in result.text, result.text
    for fragment in ("areas.gpkg", "图层 small_areas", "要素 #2 (370481102002001)", "1e+308"):
        assert fragment in result.err, result.err
    assert_words_of("coords_outside_geographic", result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


def test_metric_crs_choice_refuses_cleanly_when_no_centre_can_be_found():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(INF, 35.0)], crs="EPSG:4326")
    with pytest.raises(InputError) as refused:
        choose_metric_crs(gdf)
    assert refused.value.key == "crs_undecidable" and "--crs" in refused.value.message()


def test_a_layer_without_any_geometry_is_refused(folders, capsys):
    folder, out = folders
    v = village_frame()
    v["geometry"] = None
    villages = write_gpkg(folder, gpd.GeoDataFrame(v, geometry="geometry", crs=GEOGRAPHIC), "villages.gpkg", "villages",
                          crs=None)
    result = _run_quietly(capsys, "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.gpkg", "villages", "4"], "no_geometries")


# ---------------------------------------------------------------------------------------------
# Rings that are not closed, measures: GDAL's warnings become findings and notices
# ---------------------------------------------------------------------------------------------


def _geojson(path: Path, close_first: bool) -> Path:
    """Two villages written by hand (the first ring unclosed unless `close_first`), in CGCS2000."""
    rings = []
    for i in range(2):
        x = 117.15 + 0.01 * i
        ring = [[x, 35.08], [x + 0.01, 35.08], [x + 0.01, 35.09], [x, 35.09]]
        rings.append(ring + ([ring[0]] if close_first or i else []))
    features = [{"type": "Feature", "properties": {"DM": code, "MC": NAMES[i]},
                 "geometry": {"type": "Polygon", "coordinates": [ring]}}
                for i, (code, ring) in enumerate(zip(("370481102001", "370481102002"), rings))]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _ogr2ogr(src: Path, dst: Path, *options: str) -> Path:
    subprocess.run(["ogr2ogr", *options, str(dst), str(src)], check=True, capture_output=True)
    return dst


needs_ogr2ogr = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="gdal-bin (ogr2ogr) is not installed")

# (file name, ogr2ogr options, FID of the first feature in that format)
UNCLOSED_FORMATS = {
    "geojson": ("villages.geojson", None, 0),
    "gpkg": ("villages.gpkg", ["-f", "GPKG", "-nln", "villages"], 1),
    "shp": ("villages.shp", ["-lco", "ENCODING=UTF-8"], 0),
    "kml": ("villages.kml", ["-f", "KML"], 1),
}


def _unclosed(folder: Path, fmt: str) -> tuple[Path, int]:
    name, options, first_fid = UNCLOSED_FORMATS[fmt]
    geojson = _geojson(folder / ("villages.geojson" if options is None else "source.json"), close_first=False)
    if options is None:
        return geojson, first_fid
    path = _ogr2ogr(geojson, folder / name, *options)
    geojson.unlink()
    return path, first_fid


@needs_ogr2ogr
@pytest.mark.parametrize("fmt", UNCLOSED_FORMATS)
def test_unclosed_ring_is_refused_naming_the_feature(fmt, folders, capsys):
    folder, out = folders
    path, fid = _unclosed(folder, fmt)
    result = _run_quietly(capsys, "new", out, "--villages", path)
    assert_refused(result, out, [path.name, f"要素 #{fid} ({NAMES[0]})", "--repair", "输入有 1 处问题"],
                   "geometry_ring_not_closed")


def test_unclosed_ring_is_closed_by_repair(folders, capsys):
    folder, out = folders
    path = _geojson(folder / "villages.geojson", close_first=False)
    result = _run_quietly(capsys, "new", out, "--villages", path, "--repair")
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "闭合" in line)
    assert "villages.geojson" in notice and f"要素 #0 ({NAMES[0]})" in notice
    project = CensusProject.open(out)
    assert project["villages"].geometry.iloc[0].area == pytest.approx(project["villages"].geometry.iloc[1].area, rel=1e-3)


def _measured_gpkg(folder: Path) -> Path:
    source = _geojson(folder / "source.json", close_first=True)
    path = _ogr2ogr(source, folder / "villages.gpkg", "-f", "GPKG", "-dim", "XYM", "-nln", "villages")
    source.unlink()
    assert "Measured Polygon" in subprocess.run(["ogrinfo", "-so", str(path), "villages"], capture_output=True,
                                                text=True).stdout
    return path


@needs_ogr2ogr
def test_measured_geometry_is_read_with_one_notice(folders, capsys):
    folder, out = folders
    result = _run_quietly(capsys, "new", out, "--villages", _measured_gpkg(folder))
    assert_ok(result)
    notices = [line for line in result.out.splitlines() if "M 值" in line]
    assert len(notices) == 1 and "villages.gpkg" in notices[0] and "图层 villages" in notices[0], result.out
    assert len(CensusProject.open(out)["villages"]) == 2


def _cli(*argv, python_options=()) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *python_options, "-m", "gis_census.cli", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@needs_ogr2ogr
@pytest.mark.parametrize("python_options", [(), ("-W", "always")], ids=["as_users_run_it", "warnings_shown"])
def test_no_python_warning_on_stderr_of_the_real_command(python_options, folders):
    """The subprocess sees what a user sees; with -W always the last-resort filter is off, so this can fail."""
    folder, out = folders
    unclosed = _geojson(folder / "unclosed.geojson", close_first=False)
    measured = _measured_gpkg(folder)
    refused = _cli("new", out, "--villages", unclosed, python_options=python_options)
    assert refused.returncode == 2, refused.stderr
    assert "Warning" not in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert "unclosed.geojson" in refused.stderr and f"要素 #0 ({NAMES[0]})" in refused.stderr
    made = _cli("new", out, "--villages", measured, python_options=python_options)
    assert made.returncode == 0, made.stderr
    assert made.stderr == "", made.stderr
    assert "M 值" in made.stdout


# ---------------------------------------------------------------------------------------------
# A damaged .prj (found by the fuzz test: pyogrio failed with "missing , or ]" or an UnboundLocalError)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", [b'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHER',
                                    b'GEOGCS["GCS_China\xb5\xff\x00zz'], ids=["truncated", "not_utf8"])
def test_damaged_prj_is_refused_as_a_crs_problem(damage, folders, capsys):
    folder, out = folders
    villages = good_villages(folder)
    villages.with_suffix(".prj").write_bytes(damage)
    result = _run_quietly(capsys, "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.shp", "villages", ".prj", "--assume-crs"], "crs_unreadable")
    assert "wkt" not in result.err
