"""`new --skip-outside-buildings`: a short notice (count, first 10 FIDs) and the whole list in a CSV beside the project."""

from __future__ import annotations

import csv
import re

import geopandas as gpd
import pandas as pd
import shapely

from frames import ORIGIN, PROJECT_CRS, building_frame
from gis_census.project import CensusProject
from refusals import assert_ok, assert_words_of, good_villages, run, write_gpkg

OUTSIDE = 500


def _with_outside(n: int) -> gpd.GeoDataFrame:
    """The 40 fixture buildings, then `n` buildings (points) 5 km east of every village."""
    x, y = ORIGIN
    far = gpd.GeoDataFrame({"DZ": [f"村外{i}号" for i in range(n)], "RK": 1, "HS": 1},
                           geometry=[shapely.Point(x + 5000 + i, y + 10) for i in range(n)], crs=PROJECT_CRS)
    return gpd.GeoDataFrame(pd.concat([building_frame(), far], ignore_index=True), crs=PROJECT_CRS)


def _new(folders, capsys, n, *extra):
    folder, out = folders
    buildings = write_gpkg(folder, _with_outside(n), "buildings.gpkg", "buildings")
    return out, run(capsys, "new", out, "--villages", good_villages(folder), "--buildings", buildings,
                    "--skip-outside-buildings", *extra)


def _read_list(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_many_skipped_buildings_give_a_short_notice_and_a_full_list(folders, capsys):
    out, result = _new(folders, capsys, OUTSIDE)
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "跳过了" in line)
    assert len(notice) < 300, notice
    assert f"{OUTSIDE} 栋" in notice and "buildings.gpkg" in notice and "图层 buildings" in notice
    assert re.findall(r"#(\d+)", notice) == [str(fid) for fid in range(41, 51)]  # GeoPackage FIDs of the first 10
    assert f"另有 {OUTSIDE - 10} 栋" in notice
    listed = out.with_name("project.skipped_buildings.csv")
    written = next(line for line in result.out.splitlines() if "完整清单" in line)
    assert str(listed) in written and str(OUTSIDE) in written
    assert_words_of("notice_skipped_list_written", written)
    rows = _read_list(listed)
    assert rows[0] == ["fid", "address"]
    assert rows[1:] == [[str(41 + i), f"村外{i}号"] for i in range(OUTSIDE)]
    assert listed.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese addresses right
    assert sorted(p.name for p in out.parent.iterdir()) == ["project.gpkg", "project.skipped_buildings.csv"]
    assert len(CensusProject.open(out)["buildings"]) == 40


def test_few_skipped_buildings_are_all_named_and_listed_too(folders, capsys):
    out, result = _new(folders, capsys, 3)
    assert_ok(result)
    notice = next(line for line in result.out.splitlines() if "跳过了" in line)
    assert re.findall(r"#(\d+)", notice) == ["41", "42", "43"] and "另有" not in notice
    assert_words_of("notice_skipped_outside", notice)
    assert len(_read_list(out.with_name("project.skipped_buildings.csv"))) == 4


def test_skipped_notice_in_english(folders, capsys):
    out, result = _new(folders, capsys, 12, "--lang", "en")
    assert_ok(result)
    assert "Skipped 12 buildings outside every village, the first 10" in result.out
    assert "2 more not listed" in result.out
    assert f"is in {out.with_name('project.skipped_buildings.csv')}" in result.out


def test_overwritten_project_without_skips_loses_the_stale_list(folders, capsys):
    out, result = _new(folders, capsys, 3)
    assert_ok(result)
    listed = out.with_name("project.skipped_buildings.csv")
    assert listed.exists()
    folder = folders[0]
    result = run(capsys, "new", out, "--villages", good_villages(folder), "--overwrite")
    assert_ok(result)
    assert not listed.exists()
