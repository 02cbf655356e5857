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

import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from frames import ORIGIN, PROJECT_CRS, building_frame, village_frame
from gis_census.project import CensusProject
from refusals import (
    GEOGRAPHIC,
    NAMES,
    Case,
    assert_ok,
    assert_refused,
    assert_words_of,
    bow_tie,
    buildings_with,
    good_villages,
    run,
    villages_with,
    write_gpkg,
    write_shp,
)

# ---------------------------------------------------------------------------------------------
# The table: how each input is broken, and what the refusal must say
# ---------------------------------------------------------------------------------------------


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
    Case("population_negative", _b(buildings_with(RK={2: -3})),
         ["buildings.gpkg", "图层 buildings", "要素 #3 (人民路3号)", "字段 RK", "-3"], "count_negative"),
    Case("population_negative_shp", _b(buildings_with(RK={2: -3}), shp=True),
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
    Case("building_is_a_line", _b(buildings_with(geometry={4: shapely.LineString([(ORIGIN[0] + 10, ORIGIN[1] + 10),
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


def _folded_spike(i: int) -> shapely.Polygon:
    """Village `i`'s 1 km square with a 200 m spike drawn out and back 1 mm apart on its west edge: the ring
    touches itself, and make_valid keeps the spike as a second part of 0.1 m²."""
    x, y = ORIGIN[0] + (i % 2) * 1000, ORIGIN[1] + (i // 2) * 1000
    return shapely.Polygon([(x, y), (x + 1000, y), (x + 1000, y + 1000), (x, y + 1000), (x, y + 500),
                            (x - 200, y + 500), (x - 200, y + 500.001), (x, y + 500)])


@pytest.mark.parametrize("crs", [PROJECT_CRS, GEOGRAPHIC])
def test_repair_drops_the_zero_area_part_of_a_folded_spike(folders, capsys, crs):
    folder, out = folders
    assert not _folded_spike(2).is_valid
    villages = write_gpkg(folder, villages_with(geometry={2: _folded_spike(2)}), "villages.gpkg", "villages", crs=crs)
    assert_ok(run(capsys, "new", out, "--villages", villages, "--repair"))
    project = CensusProject.open(out)
    repaired = project["villages"].geometry.iloc[2]
    assert repaired.geom_type == "Polygon" and repaired.is_valid
    assert repaired.area == pytest.approx(1_000_000, rel=1e-6)
    assert project["districts"].geometry.iloc[2].geom_type == "Polygon"
    result = run(capsys, "check", out, "--json", "--no-save")
    assert '"multipart"' not in result.out
