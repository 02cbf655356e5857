"""The pre-count walk end to end on the command line: a district's field package exported, two registers and a
map file edited as enumerators would, imported, the area pushed out of the band flagged, and `divide --update`
bringing it back with a renumbering list that names exactly the buildings whose name changed."""

from __future__ import annotations

import csv
import json

import pytest
import shapely
from openpyxl import load_workbook

from gis_census.cli import main
from gis_census.demo import make_township
from gis_census.demo.project import county_project
from gis_census.divide import divide_and_number
from gis_census.divide.update import outside_band, update_division
from gis_census.project import CensusProject
from gis_census.rules import building_name


@pytest.fixture(scope="module")
def settled(tmp_path_factory):
    """The demo township divided, numbered and settled, saved: the division the enumerators walk."""
    project = county_project(make_township())
    divide_and_number(project)
    update_division(project)
    return project.save(tmp_path_factory.mktemp("walk") / "township.gpkg")


def _names(project: CensusProject) -> dict[int, str]:
    b = project["buildings"]
    return {int(i): building_name(a, n, i) for i, a, n in zip(b["id"], b["small_area_code"], b["number"])}


def _district_with_two_areas_near_target(project: CensusProject) -> tuple[str, str, str]:
    areas = project["small_areas"]
    areas = areas.assign(off=(areas["population"] - 300).abs()).sort_values(["off", "code"])
    for district, group in areas.groupby("district_code", sort=False):
        if len(group) >= 3:
            return district, group["code"].iat[0], group["code"].iat[1]
    raise AssertionError("no district of three areas")


def _fill(register, rows: dict[int, tuple[int, int]]) -> None:
    """Walk counts (households, people) for building numbers `rows` in the register at `register`."""
    book = load_workbook(register)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        number = sheet.cell(r, 1).value
        if number in rows:
            sheet.cell(r, header.index("摸底户数") + 1, rows[number][0])
            sheet.cell(r, header.index("摸底人数") + 1, rows[number][1])
    book.save(register)


def test_export_walk_import_and_update(settled, tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    path.write_bytes(settled.read_bytes())
    project = CensusProject.open(path)
    district, grown, other = _district_with_two_areas_near_target(project)
    assert main(["fieldwork", "export", str(path), "--out", str(tmp_path / "walk"), "--district", district]) == 0
    buildings = project["buildings"]

    # register 1: the three most populous houses of `grown` hold 60 more people each; register 2: one house's count
    mine = buildings[buildings["small_area_code"] == grown].sort_values(["population", "number"], ascending=False)
    fill = {int(n): (int(h) + 5, int(p) + 60) for n, h, p in zip(mine["number"][:3], mine["households"][:3], mine["population"][:3])}
    _fill(tmp_path / "walk" / grown / f"{grown}_register.xlsx", fill)
    theirs = buildings[buildings["small_area_code"] == other].sort_values("number")
    first = theirs.iloc[0]
    _fill(tmp_path / "walk" / other / f"{other}_register.xlsx", {int(first["number"]): (2, 6)})
    # the map file: the last house of `other` demolished, a new house added inside `other`
    data = json.loads((tmp_path / "walk" / other / f"{other}.geojson").read_text(encoding="utf-8"))
    houses = [f for f in data["features"] if f["properties"].get("number")]
    demolished = max(houses, key=lambda f: f["properties"]["number"])
    demolished["properties"]["status"] = "拆除"
    boundary = next(f for f in data["features"] if not f["properties"].get("number"))
    spot = shapely.geometry.shape(boundary["geometry"]).representative_point()
    data["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [spot.x, spot.y]},
                             "properties": {"status": "新增", "households": 1, "population": 4, "address": "新建8号"}})
    geojson = tmp_path / "back.geojson"
    geojson.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    files = [tmp_path / "walk" / grown / f"{grown}_register.xlsx", tmp_path / "walk" / other / f"{other}_register.xlsx", geojson]

    before = CensusProject.open(path)
    assert main(["fieldwork", "import", str(path), *map(str, files)]) == 0
    report = capsys.readouterr().out
    walked = CensusProject.open(path)
    areas = walked["small_areas"].set_index("code")
    grown_people = int(before["small_areas"].set_index("code").at[grown, "population"]) + 180
    assert areas.at[grown, "population"] == grown_people
    assert f"{grown}  人口 {grown_people - 180} → {grown_people}" in report and "请注意" in report.split(grown)[1]
    gone = int(demolished["properties"]["number"])
    assert gone not in set(walked["buildings"].loc[walked["buildings"]["small_area_code"] == other, "number"])
    new = walked["buildings"][~walked["buildings"]["id"].isin(before["buildings"]["id"])]
    assert len(new) == 1 and new["small_area_code"].iat[0] == other
    assert new["number"].iat[0] == before["buildings"].loc[before["buildings"]["small_area_code"] == other, "number"].max() + 1
    assert grown in set(walked["small_areas"]["code"][outside_band(walked)])

    renumbered = tmp_path / "renumbered.csv"
    assert main(["divide", str(path), "--update", "--renumbered", str(renumbered)]) == 0
    updated = CensusProject.open(path)
    # the walk's excess is re-balanced: no more areas of the district outside the band than before the walk (the
    # divider's own leftovers, e.g. a hamlet cut off, stay and are reported), and the grown one is back in
    def outside(project):
        areas = project["small_areas"]
        return set(areas["code"][outside_band(project) & (areas["district_code"] == district).to_numpy()])

    assert len(outside(updated)) <= len(outside(before)) and grown not in outside(updated)
    old, new_names = _names(walked), _names(updated)
    changed = {(old[i], new_names[i]) for i in old if i in new_names and old[i] != new_names[i]}
    assert changed, "the update moved no building"
    with renumbered.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    listed = {(r[-2], r[-1]) for r in rows[1:] if len(r) >= 2 and r[-2].count("-") == 1}
    assert listed == changed
    # districts the walk did not touch keep every building's name
    untouched = updated["buildings"]["district_code"] != district
    assert all(old[i] == new_names[i] for i in updated["buildings"]["id"][untouched] if i in old)
