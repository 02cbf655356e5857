"""Bad input is refused with a clear message naming file, layer, feature and field.

The rule: missing CRS, non-polygon villages, invalid geometry (with --repair to fix it),
duplicate or malformed codes, negative or non-numeric population, buildings outside every
village, an empty layer, a file that is not a GIS file, wrong field types and GBK-encoded
Shapefiles are each refused (or read) with a message that says where the fault is. Messages
are Chinese by default and English with --lang en, nothing is written when input is refused,
and there is never a traceback.

Feature numbers in messages are the file's own FIDs: 0-based in a Shapefile, 1-based in a
GeoPackage, followed by the feature's name, address or code in brackets.
"""

from __future__ import annotations

import ast
import re
import string
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from frames import ORIGIN, PROJECT_CRS, building_frame, village_frame
from gis_census.cli import main
from gis_census.fields import FIELD_CANDIDATES
from gis_census.i18n import set_language, tr
from gis_census.messages import MESSAGES
from gis_census.project import CensusProject

GEOGRAPHIC = "EPSG:4490"  # CGCS2000 longitude/latitude, as township offices usually have their files
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NAMES = list(village_frame()["MC"])  # 东关社区居委会, 西关社区居委会, 王庄村委会, 李家洼村委会
ENGINE = Path(__file__).resolve().parents[2] / "gis_census"


# ---------------------------------------------------------------------------------------------
# Helpers: write inputs, run the command line, check a refusal
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    rc: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(capsys, *argv) -> Result:
    rc = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Result(rc, captured.out, captured.err)


def literal_parts(template: str) -> list[str]:
    """The fixed words of a message template (what is left between its {placeholders})."""
    return [lit.strip() for lit, _, _, _ in string.Formatter().parse(template) if lit.strip()]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def assert_words_of(key: str, text: str, lang: str = "zh") -> None:
    """`text` contains every fixed word of message `key` in `lang`."""
    template = MESSAGES[key][0 if lang == "zh" else 1]
    for part in literal_parts(template):
        assert part in text, f"{part!r} (of message {key}) not in:\n{text}"


def assert_refused(result: Result, out: Path, fragments=(), key: str | None = None, lang: str = "zh") -> None:
    """Exit 2, an error naming every fragment, no traceback, and nothing written beside `out`."""
    assert "Traceback" not in result.text, result.text
    assert result.rc == 2, f"exit {result.rc}:\n{result.text}"
    prefix = "错误：" if lang == "zh" else "Error: "
    assert result.err.startswith(prefix), result.err
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"
    if key:
        assert_words_of(key, result.err, lang)
    assert not out.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [], "stray files were written"


def assert_ok(result: Result) -> None:
    assert "Traceback" not in result.text, result.text
    assert result.rc == 0, f"exit {result.rc}:\n{result.text}"


def write_shp(folder: Path, gdf: gpd.GeoDataFrame, name: str = "villages", *, crs=GEOGRAPHIC,
              encoding: str = "GBK", cpg: bool = True, prj: bool = True) -> Path:
    """A Shapefile as offices have them: GBK text, geographic CRS; optionally without .cpg or .prj."""
    path = folder / f"{name}.shp"
    (gdf.to_crs(crs) if crs else gdf).to_file(path, encoding=encoding, engine="pyogrio")
    if not cpg:
        path.with_suffix(".cpg").unlink()
    if not prj:
        path.with_suffix(".prj").unlink()
    return path


def write_gpkg(folder: Path, gdf: gpd.GeoDataFrame, name: str, layer: str | None = None, *, crs=GEOGRAPHIC, **kw) -> Path:
    path = folder / name
    with warnings.catch_warnings():  # pyogrio warns when asked to write a layer without a CRS: that is the point
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        (gdf.to_crs(crs) if crs else gdf).to_file(path, layer=layer or Path(name).stem, engine="pyogrio", **kw)
    return path


def bow_tie(i: int) -> shapely.Polygon:
    """Village `i`'s 1 km square drawn as a self-crossing ring (area 0 as drawn, 500 000 m² repaired)."""
    x, y = ORIGIN[0] + (i % 2) * 1000, ORIGIN[1] + (i // 2) * 1000
    return shapely.Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000)])


def villages_with(**changes) -> gpd.GeoDataFrame:
    """The fixture villages with `changes` applied: {column: {row: value}}."""
    v = village_frame()
    for column, rows in changes.items():
        for row, value in rows.items():
            v.loc[row, column] = value
    return v


@pytest.fixture
def folders(tmp_path):
    """An input folder and an empty output folder (so stray files are easy to see)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    return tmp_path / "in", tmp_path / "out" / "project.gpkg"


def good_villages(folder: Path) -> Path:
    return write_shp(folder, village_frame())


# ---------------------------------------------------------------------------------------------
# The table: how each input is broken, and what the refusal must say
# ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    build: Callable[[Path], list]  # input folder -> the arguments after `new PROJECT`
    fragments: list[str]  # must all appear in stderr: file, layer, feature, field, value
    key: str | None = None  # the message whose fixed words must appear
    marks: list = field(default_factory=list)


def _v(gdf, **kw):
    """Arguments with villages `gdf` written as villages.shp (plus any Shapefile options)."""
    return lambda d: ["--villages", write_shp(d, gdf, **kw)]


def _v_gpkg(gdf, **kw):
    return lambda d: ["--villages", write_gpkg(d, gdf, "villages.gpkg", "villages", **kw)]


def _b(gdf, *extra, shp=False):
    """Arguments with good villages and buildings `gdf` (buildings.gpkg, or buildings.shp)."""
    def build(d):
        path = write_shp(d, gdf, "buildings") if shp else write_gpkg(d, gdf, "buildings.gpkg", "buildings")
        return ["--villages", good_villages(d), "--buildings", path, *extra]
    return build


def _with(build, *extra):
    return lambda d: [*build(d), *extra]


def _buildings(**changes) -> gpd.GeoDataFrame:
    b = building_frame()
    for column, rows in changes.items():
        for row, value in rows.items():
            b.loc[row, column] = value
    return b


def _text_population() -> gpd.GeoDataFrame:
    b = building_frame()
    b["RK"] = b["RK"].astype(str)
    b.loc[3, "RK"] = "abc"
    return b


def _buildings_text_population(row: int, value: str) -> gpd.GeoDataFrame:
    b = building_frame()
    b["RK"] = b["RK"].astype(str)
    b.loc[row, "RK"] = value
    return b


def _without_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(gdf.drop(columns="geometry"), geometry=list(gdf.geometry))


def _float_population() -> gpd.GeoDataFrame:
    b = building_frame()
    b["RK"] = b["RK"].astype(float)
    b.loc[5, "RK"] = 2.5
    return b


def _bool_population() -> gpd.GeoDataFrame:
    b = building_frame()
    b["RK"] = b["RK"] > 6
    return b


def _date_population() -> gpd.GeoDataFrame:
    b = building_frame()
    b["RK"] = pd.Timestamp("2020-11-01")
    return b


def _duplicate_ids() -> gpd.GeoDataFrame:
    b = building_frame()
    b["ID"] = range(1, len(b) + 1)
    b.loc[1, "ID"] = 1  # features #1 and #2 of the GeoPackage
    return b


def _outside_buildings(rows=(0, 15)) -> gpd.GeoDataFrame:
    b = building_frame()
    b.loc[list(rows), "geometry"] = b.loc[list(rows), "geometry"].translate(5000, 0)
    return b


def _float_codes() -> gpd.GeoDataFrame:
    v = village_frame()
    v["DM"] = v["DM"].astype(float)
    v.loc[2, "DM"] = 370481102201.5
    return v


def _points() -> gpd.GeoDataFrame:
    v = village_frame()
    return v.set_geometry(v.geometry.centroid)


def _context(geoms, names) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"NAME": names}, geometry=list(geoms), crs=PROJECT_CRS)


def _roads_as_polygons(d):
    roads = _context(village_frame().geometry[:2], ["人民路", "建设路"])
    return ["--villages", good_villages(d), "--roads", write_gpkg(d, roads, "roads.gpkg", "roads")]


def _water_invalid(d):
    water = _context([bow_tie(1)], ["小清河"])
    return ["--villages", good_villages(d), "--water", write_gpkg(d, water, "water.gpkg", "water")]


def _landmarks_as_lines(d):
    x, y = ORIGIN
    marks = _context([shapely.LineString([(x + 10, y + 10), (x + 50, y + 50)])], ["镇政府"])
    return ["--villages", good_villages(d), "--landmarks", write_gpkg(d, marks, "landmarks.gpkg", "landmarks")]


def _empty_layer(d):
    return ["--villages", write_gpkg(d, village_frame().iloc[:0], "villages.gpkg", "villages")]


def _empty_buildings(d):
    path = write_gpkg(d, building_frame().iloc[:0], "buildings.gpkg", "buildings")
    return ["--villages", good_villages(d), "--buildings", path]


def _text_file(name: str, content: str):
    def build(d):
        (d / name).write_text(content, encoding="utf-8")
        return ["--villages", d / name]
    return build


def _attribute_table(d):
    """A village list kept as a table (CSV) has codes and names but no boundaries."""
    path = d / "villages.csv"
    pd.DataFrame(village_frame().drop(columns="geometry")).to_csv(path, index=False)
    return ["--villages", path]


def _multi_layer(suffix=""):
    def build(d):
        path = write_gpkg(d, village_frame(), "multi.gpkg", "cun")
        write_gpkg(d, building_frame(), "multi.gpkg", "jianzhu")
        return ["--villages", f"{path}{suffix}"]
    return build


NEW_CASES = [
    # -- coordinate reference system
    Case("villages_without_crs", _v(village_frame(), prj=False),
         ["villages.shp", "图层 villages", "--assume-crs"], "missing_crs"),
    Case("crs_not_metric", _with(lambda d: ["--villages", good_villages(d)], "--crs", "EPSG:4326"),
         ["EPSG:4326", "WGS 84"], "crs_not_metric"),
    Case("crs_unknown", _with(lambda d: ["--villages", good_villages(d)], "--crs", "EPSG:99999"),
         ["EPSG:99999"], "crs_unknown"),
    Case("assume_crs_unknown", _with(_v(village_frame(), prj=False), "--assume-crs", "EPSG:99999"),
         ["EPSG:99999"], "crs_unknown"),
    # -- village geometry
    Case("villages_are_points", _v(_points()),
         ["villages.shp", "图层 villages", f"要素 #0 ({NAMES[0]})", f"要素 #3 ({NAMES[3]})", "Point",
          "Polygon/MultiPolygon", "输入有 4 处问题"], "geometry_wrong_type"),
    Case("village_is_a_line", _v_gpkg(villages_with(geometry={2: bow_tie(2).exterior})),
         ["villages.gpkg", "图层 villages", f"要素 #3 ({NAMES[2]})", "LineString", "Polygon/MultiPolygon"],
         "geometry_wrong_type"),
    Case("village_bow_tie_gpkg", _v_gpkg(villages_with(geometry={2: bow_tie(2)})),
         ["villages.gpkg", "图层 villages", f"要素 #3 ({NAMES[2]})", "Self-intersection", "--repair"],
         "geometry_invalid"),
    Case("village_bow_tie_shp", _v(villages_with(geometry={2: bow_tie(2)})),
         ["villages.shp", "图层 villages", f"要素 #2 ({NAMES[2]})", "Self-intersection", "--repair"],
         "geometry_invalid"),
    Case("village_geometry_null", _v_gpkg(villages_with(geometry={1: None})),
         ["villages.gpkg", "图层 villages", f"要素 #2 ({NAMES[1]})"], "geometry_empty"),
    Case("village_geometry_empty", _v(villages_with(geometry={1: shapely.Polygon()})),
         ["villages.shp", "图层 villages", f"要素 #1 ({NAMES[1]})"], "geometry_empty"),
    # -- village codes
    Case("duplicate_code", _v(villages_with(DM={2: "370481102001"})),
         ["villages.shp", "图层 villages", "要素 #0, #2", "字段 DM", "370481102001"], "code_duplicate"),
    Case("code_11_digits", _v(villages_with(DM={1: "37048110200"})),
         ["villages.shp", "图层 villages", f"要素 #1 ({NAMES[1]})", "字段 DM", "37048110200", "12 位数字"],
         "code_malformed"),
    Case("code_with_letters", _v(villages_with(DM={1: "37048110200A"})),
         ["villages.shp", f"要素 #1 ({NAMES[1]})", "字段 DM", "37048110200A"], "code_malformed"),
    Case("code_missing", _v(villages_with(DM={3: None})),
         ["villages.shp", "图层 villages", f"要素 #3 ({NAMES[3]})", "字段 DM"], "code_missing"),
    Case("code_blank", _v_gpkg(villages_with(DM={3: "  "})),
         ["villages.gpkg", f"要素 #4 ({NAMES[3]})", "字段 DM"], "code_missing"),
    Case("code_field_given_not_there", _with(_v(village_frame()), "--village-code-field", "XZQDM"),
         ["villages.shp", "图层 villages", "XZQDM", "DM, MC"], "field_not_found"),
    Case("no_code_field", _v(village_frame().rename(columns={"DM": "BIANMA"})),
         ["villages.shp", "图层 villages", "代码字段", "CODE/code/DM/XZQDM/QHDM", "BIANMA, MC"], "field_missing"),
    Case("code_float_not_whole", _v(_float_codes()),
         ["villages.shp", "图层 villages", f"要素 #2 ({NAMES[2]})", "字段 DM", "370481102201.5", "12 位数字"],
         "code_malformed"),
    Case("two_townships", _v(villages_with(DM={3: "370481103202"})),
         ["villages.shp", "370481102, 370481103", "--township-code"], "several_townships"),
    Case("township_code_disagrees", _with(_v(village_frame()), "--township-code", "370481103"),
         ["villages.shp", "图层 villages", f"要素 #0 ({NAMES[0]})", f"要素 #3 ({NAMES[3]})", "字段 DM",
          "370481102001", "370481103", "输入有 4 处问题"], "code_other_township"),
    Case("township_code_malformed", _with(_v(village_frame()), "--township-code", "3704811"),
         ["3704811"], "township_code_malformed"),
    # -- buildings
    Case("population_negative", _b(_buildings(RK={2: -3})),
         ["buildings.gpkg", "图层 buildings", "要素 #3 (人民路3号)", "字段 RK", "-3"], "count_negative"),
    Case("population_negative_shp", _b(_buildings(RK={2: -3}), shp=True),
         ["buildings.shp", "图层 buildings", "要素 #2 (人民路3号)", "字段 RK", "-3"], "count_negative"),
    Case("population_not_a_number", _b(_text_population()),
         ["buildings.gpkg", "图层 buildings", "要素 #4 (人民路4号)", "字段 RK", "abc"], "count_not_number"),
    Case("population_fractional", _b(_float_population()),
         ["buildings.gpkg", "图层 buildings", "要素 #6 (人民路6号)", "字段 RK", "2.5"], "count_not_whole"),
    Case("population_infinite_text", _b(_buildings_text_population(3, "inf")),
         ["buildings.gpkg", "图层 buildings", "要素 #4 (人民路4号)", "字段 RK", "inf"], "count_not_number"),
    Case("population_too_large", _b(_buildings_text_population(3, "1e19")),
         ["buildings.gpkg", "图层 buildings", "要素 #4 (人民路4号)", "字段 RK", "1e19"], "count_too_large"),
    Case("buildings_without_crs",
         lambda d: ["--villages", good_villages(d), "--buildings",
                    write_gpkg(d, _without_crs(building_frame()), "buildings.gpkg", "buildings", crs=None)],
         ["buildings.gpkg", "图层 buildings", "--assume-crs"], "missing_crs"),
    Case("population_boolean", _b(_bool_population()),
         ["buildings.gpkg", "图层 buildings", "字段 RK", "bool"], "field_wrong_type"),
    Case("population_date", _b(_date_population()),
         ["buildings.gpkg", "图层 buildings", "字段 RK", "datetime64"], "field_wrong_type"),
    Case("population_field_missing", _b(building_frame().drop(columns="RK")),
         ["buildings.gpkg", "图层 buildings", "人口字段", "POP/population/RK/RKS", "DZ, HS"], "field_missing"),
    Case("population_field_given_not_there", _b(building_frame(), "--population-field", "RENKOU"),
         ["buildings.gpkg", "图层 buildings", "RENKOU", "DZ, RK, HS"], "field_not_found"),
    Case("building_ids_duplicate", _b(_duplicate_ids()),
         ["buildings.gpkg", "图层 buildings", "要素 #1, #2", "字段 ID", "编号 1 重复"], "id_duplicate"),
    Case("buildings_outside", _b(_outside_buildings()),
         ["buildings.gpkg", "图层 buildings", "要素 #1 (人民路1号)", "要素 #16 (人民路16号)",
          "--skip-outside-buildings", "输入有 2 处问题"], "building_outside"),
    Case("building_is_a_line", _b(_buildings(geometry={4: shapely.LineString([(ORIGIN[0] + 10, ORIGIN[1] + 10),
                                                                               (ORIGIN[0] + 30, ORIGIN[1] + 10)])})),
         ["buildings.gpkg", "图层 buildings", "要素 #5 (人民路5号)", "LineString"], "geometry_wrong_type"),
    # -- files and layers
    Case("empty_layer", _empty_layer, ["villages.gpkg", "villages"], "empty_layer"),
    Case("empty_buildings_layer", _empty_buildings, ["buildings.gpkg", "buildings"], "empty_layer"),
    Case("text_file_named_shp", _text_file("villages.shp", "村界见附件\n"), ["villages.shp"], "not_gis_file"),
    Case("text_file_named_gpkg", _text_file("villages.gpkg", "not a geopackage\n"), ["villages.gpkg"], "not_gis_file"),
    Case("garbage_geojson", _text_file("villages.geojson", '{"type": "FeatureCollection", "features": [{'),
         ["villages.geojson"], "not_gis_file"),
    Case("table_without_geometry", _attribute_table, ["villages.csv"], "no_geometry"),
    Case("villages_file_missing", lambda d: ["--villages", d / "nope.shp"],
         ["nope.shp", "村/居委会"], "input_missing"),
    Case("buildings_file_missing", lambda d: ["--villages", good_villages(d), "--buildings", d / "jianzhu.gpkg"],
         ["jianzhu.gpkg", "建筑物"], "input_missing"),
    Case("several_layers_none_named", _multi_layer(), ["multi.gpkg", "cun, jianzhu", "村/居委会"], "several_layers"),
    Case("layer_named_not_there", _multi_layer("::cunjie"), ["multi.gpkg", "cunjie", "cun, jianzhu"], "layer_not_found"),
    # -- text encoding
    Case("gbk_read_as_utf8", _with(_v(village_frame(), cpg=False), "--encoding", "UTF-8"),
         ["villages.shp", "图层 villages", "UTF-8", "--encoding"], "bad_encoding"),
    Case("encoding_unknown", _with(_v(village_frame(), cpg=False), "--encoding", "NO-SUCH-CODEC"),
         ["villages.shp", "NO-SUCH-CODEC"], "unknown_encoding"),
    # -- context layers
    Case("roads_are_polygons", _roads_as_polygons,
         ["roads.gpkg", "图层 roads", "要素 #1 (人民路)", "要素 #2 (建设路)", "Polygon", "LineString/MultiLineString"],
         "geometry_wrong_type"),
    Case("water_invalid_polygon", _water_invalid,
         ["water.gpkg", "图层 water", "要素 #1 (小清河)", "Self-intersection", "--repair"], "geometry_invalid"),
    Case("landmarks_are_lines", _landmarks_as_lines,
         ["landmarks.gpkg", "图层 landmarks", "要素 #1 (镇政府)", "LineString", "Point/MultiPoint"],
         "geometry_wrong_type"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=c.marks) for c in NEW_CASES])
def test_new_refuses_bad_input(case, folders, capsys):
    folder, out = folders
    args = case.build(folder)
    result = run(capsys, "new", out, *args)
    assert_refused(result, out, case.fragments, case.key)


# ---------------------------------------------------------------------------------------------
# What the options offered in the messages do
# ---------------------------------------------------------------------------------------------


def test_assume_crs_reads_villages_without_prj(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame(), prj=False)
    result = run(capsys, "new", out, "--villages", villages, "--assume-crs", GEOGRAPHIC)
    assert_ok(result)
    assert "villages.shp" in result.out and "EPSG:4490" in result.out
    assert_words_of("notice_assumed_crs", result.out)
    project = CensusProject.open(out)
    assert project.crs == PROJECT_CRS
    assert project["villages"].total_bounds == pytest.approx(village_frame().total_bounds, abs=0.01)


def test_repair_fixes_bow_tie_and_lists_it(folders, capsys):
    folder, out = folders
    villages = write_gpkg(folder, villages_with(geometry={2: bow_tie(2)}), "villages.gpkg", "villages", crs=PROJECT_CRS)
    result = run(capsys, "new", out, "--villages", villages, "--repair")
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "已修复" in line)
    for fragment in ("villages.gpkg", "图层 villages", f"要素 #3 ({NAMES[2]})", "Self-intersection", "0.0 → 500000.0 平方米"):
        assert fragment in notice, notice
    project = CensusProject.open(out)
    assert project["villages"].geometry.is_valid.all()
    assert project["villages"].geometry.iloc[2].area == pytest.approx(500_000)


def test_repair_reports_square_metres_for_geographic_input(folders, capsys):
    folder, out = folders
    villages = write_gpkg(folder, villages_with(geometry={2: bow_tie(2)}), "villages.gpkg", "villages")
    result = run(capsys, "new", out, "--villages", villages, "--repair")
    assert_ok(result)
    after = float(re.search(r"→ ([\d.]+) 平方米", result.out).group(1))
    assert after == pytest.approx(500_000, rel=0.01)


def test_skip_outside_buildings_lists_the_skipped(folders, capsys):
    folder, out = folders
    buildings = write_gpkg(folder, _outside_buildings(), "buildings.gpkg", "buildings")
    result = run(capsys, "new", out, "--villages", good_villages(folder), "--buildings", buildings,
                 "--skip-outside-buildings")
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "跳过了" in line)
    for fragment in ("buildings.gpkg", "图层 buildings", "2 栋", "#1", "#16"):
        assert fragment in notice, notice
    project = CensusProject.open(out)
    assert len(project["buildings"]) == 38
    assert not {"人民路1号", "人民路16号"} & set(project["buildings"]["address"])
    assert project["buildings"]["population"].sum() == 380 - 5 - 10


def test_skip_outside_buildings_lists_every_skipped_or_says_how_many_more(folders, capsys):
    folder, out = folders
    outside = list(range(25))
    buildings = write_gpkg(folder, _outside_buildings(outside), "buildings.gpkg", "buildings")
    result = run(capsys, "new", out, "--villages", good_villages(folder), "--buildings", buildings,
                 "--skip-outside-buildings")
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "跳过了" in line)
    assert "25 栋" in notice
    unlisted = {i + 1 for i in outside} - {int(n) for n in re.findall(r"#(\d+)", notice)}  # GeoPackage FIDs
    rest = re.sub(r"#\d+|25 栋", "", notice)
    assert not unlisted or re.search(rf"(?<!\d){len(unlisted)}(?!\d)", rest), notice


def test_file_layer_syntax_picks_a_layer(folders, capsys):
    folder, out = folders
    path = write_gpkg(folder, village_frame(), "multi.gpkg", "cun")
    write_gpkg(folder, building_frame(), "multi.gpkg", "jianzhu")
    result = run(capsys, "new", out, "--villages", f"{path}::cun", "--buildings", f"{path}::jianzhu")
    assert_ok(result)
    project = CensusProject.open(out)
    assert len(project["villages"]) == 4 and len(project["buildings"]) == 40


def test_layer_called_like_the_role_is_chosen(folders, capsys):
    folder, out = folders
    path = write_gpkg(folder, village_frame(), "data.gpkg", "villages")
    write_gpkg(folder, building_frame(), "data.gpkg", "buildings")
    result = run(capsys, "new", out, "--villages", path, "--buildings", path)
    assert_ok(result)
    assert len(CensusProject.open(out)["buildings"]) == 40


# ---------------------------------------------------------------------------------------------
# GBK Shapefiles
# ---------------------------------------------------------------------------------------------


def test_gbk_shapefile_without_cpg_is_read_as_gbk_with_a_notice(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame(), cpg=False)
    result = run(capsys, "new", out, "--villages", villages)
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "GBK" in line)
    assert "villages.shp" in notice and "图层 villages" in notice
    assert_words_of("notice_guessed_gbk", notice)
    assert list(CensusProject.open(out)["villages"]["name"]) == NAMES


def test_gbk_shapefile_with_encoding_option_needs_no_notice(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame(), cpg=False)
    result = run(capsys, "new", out, "--villages", villages, "--encoding", "GBK")
    assert_ok(result)
    assert ".cpg" not in result.out
    assert list(CensusProject.open(out)["villages"]["name"]) == NAMES


def test_gbk_shapefile_with_cpg_reads_exactly(inputs, tmp_path, capsys):
    out = tmp_path / "p.gpkg"
    result = run(capsys, "new", out, "--villages", inputs["villages"], "--buildings", inputs["buildings"])
    assert_ok(result)
    assert ".cpg" not in result.out
    project = CensusProject.open(out)
    assert list(project["villages"]["name"]) == NAMES
    assert list(project["buildings"]["address"])[:3] == ["人民路1号", "人民路2号", "人民路3号"]


def test_rare_gb18030_characters_come_through(folders, capsys):
    """Village names use characters outside GB2312 (e.g. 堌, 㙟); the fallback must not mangle them."""
    folder, out = folders
    names = ["东堌堆村委会", "西关社区居委会", "王庄村委会", "㙟子村委会"]
    villages = write_shp(folder, village_frame().assign(MC=names), encoding="GB18030", cpg=False)
    result = run(capsys, "new", out, "--villages", villages)
    assert_ok(result)
    assert list(CensusProject.open(out)["villages"]["name"]) == names


# ---------------------------------------------------------------------------------------------
# An existing project is never harmed
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def project_file(inputs, tmp_path, capsys):
    """A project built from the fixture inputs, alone in its folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "p.gpkg"
    assert main(["new", str(path), "--villages", str(inputs["villages"]), "--buildings", str(inputs["buildings"])]) == 0
    capsys.readouterr()
    return path


def test_existing_project_is_not_overwritten(project_file, inputs, capsys):
    before = project_file.read_bytes()
    result = run(capsys, "new", project_file, "--villages", inputs["villages"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "p.gpkg" in result.err and "--overwrite" in result.err
    assert_words_of("project_exists", result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


def test_refused_input_with_overwrite_leaves_existing_project(project_file, tmp_path, capsys):
    before = project_file.read_bytes()
    villages = write_shp(tmp_path / "inputs", villages_with(DM={1: "37048110200"}), "bad")
    result = run(capsys, "new", project_file, "--villages", villages, "--overwrite")
    assert result.rc == 2 and "Traceback" not in result.text
    assert "bad.shp" in result.err and "37048110200" in result.err
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


# ---------------------------------------------------------------------------------------------
# import-areas
# ---------------------------------------------------------------------------------------------


def _areas(**changes) -> gpd.GeoDataFrame:
    """Small areas, one per village, coded village code + "001" (15 digits)."""
    v = village_frame()
    a = v.assign(DM=v["DM"] + "001")
    for column, rows in changes.items():
        for row, value in rows.items():
            a.loc[row, column] = value
    return a


def _text(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


AREA_CASES = [
    Case("code_12_digits", lambda d: [write_gpkg(d, _areas(DM={1: "370481102002"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #2", "字段 DM", "370481102002", "15 位数字"], "code_malformed"),
    Case("code_duplicate", lambda d: [write_gpkg(d, _areas(DM={1: "370481102001001"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #1, #2", "字段 DM", "370481102001001"], "code_duplicate"),
    Case("district_unknown", lambda d: [write_gpkg(d, _areas(DM={1: "370481102999001"}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #2 (370481102999001)", "字段 DM", "370481102999"], "district_unknown"),
    Case("invalid_geometry", lambda d: [write_gpkg(d, _areas(geometry={2: bow_tie(2)}), "areas.gpkg", "small_areas")],
         ["areas.gpkg", "图层 small_areas", "要素 #3 (370481102201001)", "Self-intersection", "--repair"],
         "geometry_invalid"),
    Case("code_field_given_not_there",
         lambda d: [write_gpkg(d, _areas(), "areas.gpkg", "small_areas"), "--code-field", "XQDM"],
         ["areas.gpkg", "图层 small_areas", "XQDM", "DM, MC"], "field_not_found"),
    Case("not_a_gis_file", lambda d: [_text(d / "areas.gpkg", "not a GIS file\n")], ["areas.gpkg"], "not_gis_file"),
    Case("missing_file", lambda d: [d / "nope.gpkg"], ["nope.gpkg", "普查小区"], "input_missing"),
    Case("no_crs", lambda d: [write_shp(d, _areas(), "areas", prj=False)], ["areas.shp", "图层 areas", "--assume-crs"],
         "missing_crs"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=c.marks) for c in AREA_CASES])
def test_import_areas_refuses_bad_input(case, project_file, tmp_path, capsys):
    folder = tmp_path / "areas"
    folder.mkdir()
    before = project_file.read_bytes()
    small_areas, *extra = case.build(folder)
    result = run(capsys, "import-areas", project_file, "--small-areas", small_areas, *extra)
    assert "Traceback" not in result.text
    assert result.rc == 2, result.text
    assert result.err.startswith("错误：")
    for fragment in case.fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"
    assert_words_of(case.key, result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]


def test_import_areas_needs_replace_when_project_has_areas(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(), "areas.gpkg", "small_areas")
    assert_ok(run(capsys, "import-areas", project_file, "--small-areas", areas))
    before = project_file.read_bytes()
    result = run(capsys, "import-areas", project_file, "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "--replace" in result.err and "4" in result.err
    assert_words_of("small_areas_exist", result.err)
    assert project_file.read_bytes() == before
    assert [p.name for p in project_file.parent.iterdir()] == ["p.gpkg"]
    assert_ok(run(capsys, "import-areas", project_file, "--small-areas", areas, "--replace"))


def test_import_areas_repair_fixes_bow_tie(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(geometry={2: bow_tie(2)}), "areas.gpkg", "small_areas", crs=PROJECT_CRS)
    result = run(capsys, "import-areas", project_file, "--small-areas", areas, "--repair")
    assert_ok(result)
    assert "已修复" in result.out and "#3 (370481102201001)" in result.out
    assert len(CensusProject.open(project_file)["small_areas"]) == 4


def test_import_areas_into_missing_project(tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(), "areas.gpkg", "small_areas")
    result = run(capsys, "import-areas", tmp_path / "nope.gpkg", "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "nope.gpkg" in result.err
    assert_words_of("project_missing", result.err)
    assert not (tmp_path / "nope.gpkg").exists()


# ---------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------


def _headline(err: str) -> str:
    return err.splitlines()[0]


def test_english_missing_crs(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, village_frame(), prj=False)
    result = run(capsys, "--lang", "en", "new", out, "--villages", villages)
    assert_refused(result, out, ["villages.shp", "Layer villages", "--assume-crs"], "missing_crs", lang="en")
    assert not CJK.search(result.err)


def test_english_negative_population_names_file_layer_feature_field(folders, capsys):
    folder, out = folders
    buildings = write_gpkg(folder, _buildings(RK={2: -3}), "buildings.gpkg", "buildings")
    result = run(capsys, "--lang", "en", "new", out, "--villages", good_villages(folder), "--buildings", buildings)
    assert_refused(result, out, ["file buildings.gpkg", "layer buildings", "feature #3 (人民路3号)", "field RK",
                                 "value -3 is negative"], "input_refused", lang="en")
    assert not CJK.search(_headline(result.err))
    # Only the data (the address) is Chinese; every word of the message is English.
    assert not CJK.search(result.err.replace("人民路3号", ""))


def test_english_duplicate_code_and_bow_tie_together(folders, capsys):
    folder, out = folders
    villages = write_shp(folder, villages_with(DM={2: "370481102001"}, geometry={3: bow_tie(3)}))
    result = run(capsys, "--lang", "en", "new", out, "--villages", villages)
    assert_refused(result, out, ["The input has 2 problem(s)", "file villages.shp", "layer villages", "feature #0, #2",
                                 "field DM", f"feature #3 ({NAMES[3]})", "invalid geometry", "--repair"],
                   "code_duplicate", lang="en")
    assert not CJK.search(_headline(result.err))


def test_english_import_areas(project_file, tmp_path, capsys):
    areas = write_gpkg(tmp_path, _areas(DM={1: "370481102999001"}), "areas.gpkg", "small_areas")
    before = project_file.read_bytes()
    result = run(capsys, "--lang", "en", "import-areas", project_file, "--small-areas", areas)
    assert result.rc == 2 and "Traceback" not in result.text
    assert result.err.startswith("Error: ") and not CJK.search(result.err)
    for fragment in ("file areas.gpkg", "layer small_areas", "feature #2 (370481102999001)", "field DM",
                     "no district 370481102999"):
        assert fragment in result.err, result.err
    assert project_file.read_bytes() == before


def test_english_from_environment(folders, capsys, monkeypatch):
    folder, out = folders
    set_language(None)  # follow the environment, as the command line does without --lang
    monkeypatch.setenv("GIS_CENSUS_LANG", "en")
    result = run(capsys, "new", out, "--villages", folder / "nope.shp")
    assert_refused(result, out, ["nope.shp", "villages"], "input_missing", lang="en")


# ---------------------------------------------------------------------------------------------
# info
# ---------------------------------------------------------------------------------------------


def test_info_on_missing_file(tmp_path, capsys):
    result = run(capsys, "info", tmp_path / "nope.gpkg")
    assert result.rc == 2 and "Traceback" not in result.text
    assert "nope.gpkg" in result.err
    assert_words_of("project_missing", result.err)


def test_info_on_geopackage_that_is_not_a_project(inputs, capsys):
    result = run(capsys, "info", inputs["buildings"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "buildings.gpkg" in result.err and "census_meta" in result.err
    assert_words_of("not_a_project", result.err)


def test_info_on_text_file(tmp_path, capsys):
    path = tmp_path / "notes.gpkg"
    path.write_text("not a project\n")
    result = run(capsys, "info", path)
    assert result.rc == 2 and "Traceback" not in result.text
    assert "notes.gpkg" in result.err
    assert_words_of("project_unreadable", result.err)


def test_info_on_shapefile(inputs, capsys):
    result = run(capsys, "--lang", "en", "info", inputs["villages"])
    assert result.rc == 2 and "Traceback" not in result.text
    assert "villages.shp" in result.err and not CJK.search(result.err)


# ---------------------------------------------------------------------------------------------
# The message catalog
# ---------------------------------------------------------------------------------------------

_RAISERS = {"tr", "Finding", "InputError", "ProjectError", "CensusError"}
_NOT_PARAMS = {"tr": {"lang"}, "InputError": {"findings"}, "ProjectError": {"findings"}, "CensusError": {"findings"}}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def message_uses() -> list[tuple[str, set | None, str]]:
    """(key, names of the params passed or None when unknown, where) for every literal key in the engine."""
    uses = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _call_name(node) in _RAISERS and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            name = _call_name(node)
            where = f"{path.name}:{node.lineno}"
            if name == "Finding":
                params = next((k.value for k in node.keywords if k.arg == "params"), None)
                if params is None:
                    uses.append((first.value, set(), where))
                elif isinstance(params, ast.Dict) and all(isinstance(k, ast.Constant) for k in params.keys):
                    uses.append((first.value, {k.value for k in params.keys}, where))
                else:
                    uses.append((first.value, None, where))
                continue
            if any(k.arg is None for k in node.keywords):
                uses.append((first.value, None, where))
                continue
            skip = _NOT_PARAMS.get(name, set())
            uses.append((first.value, {k.arg for k in node.keywords if k.arg not in skip}, where))
    return uses


def other_keys_in_engine() -> set[str]:
    """Keys chosen at run time: string constants that look like notice keys (e.g. in `a if c else b`)."""
    keys = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"notice_[a-z_]+", node.value):
                keys.add(node.value)
    return keys


def test_engine_finds_message_uses():
    keys = {key for key, _, _ in message_uses()}
    assert {"missing_crs", "geometry_invalid", "code_duplicate", "input_refused", "project_exists"} <= keys


def test_every_key_used_exists_in_both_languages():
    used = {key for key, _, _ in message_uses()} | other_keys_in_engine()
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"keys used but not in MESSAGES: {missing}"
    for key in used:
        zh, en = MESSAGES[key]
        assert zh.strip() and en.strip(), key


def test_every_role_named_in_messages_has_words():
    roles = set(FIELD_CANDIDATES) | {"villages", "buildings", "roads", "water", "landmarks", "small_areas"}
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in ("read", "read_vector", "find_field") and len(node.args) > 1:
                if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    roles.add(node.args[1].value)
    missing = sorted(r for r in roles if f"role_{r}" not in MESSAGES)
    assert not missing, f"roles without words: {missing}"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_formats_in_both_languages(key):
    zh, en = MESSAGES[key]
    assert placeholders(zh) == placeholders(en), f"{key}: the two languages take different params"
    params = {name: ("villages" if name == "role" else f"<{name}>") for name in placeholders(zh)}
    assert CJK.search(tr(key, "zh", **params)), f"{key}: the Chinese text has no Chinese"
    assert not CJK.search(tr(key, "en", **params)), f"{key}: the English text has Chinese in it"


def test_every_use_passes_the_params_its_message_needs():
    problems = []
    for key, given, where in message_uses():
        if key not in MESSAGES or given is None:
            continue
        for lang in ("zh", "en"):
            needed = placeholders(MESSAGES[key][0 if lang == "zh" else 1])
            if not needed <= given:
                problems.append(f"{where}: {key} ({lang}) needs {sorted(needed - given)}")
                continue
            try:
                tr(key, lang, **{name: ("villages" if name == "role" else "x") for name in given})
            except Exception as exc:  # noqa: BLE001 - any failure to format is the finding
                problems.append(f"{where}: {key} ({lang}) does not format: {exc!r}")
    assert not problems, "\n".join(problems)
