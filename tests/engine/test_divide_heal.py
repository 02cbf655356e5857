"""`divide --update` makes a house an old boundary cuts whole by bending the boundary around it: both areas keep
their codes and people, the areas still tile their district, and a bend that would cut an area in two is not made."""

from __future__ import annotations

import numpy as np
import shapely

from check_township import AREAS, A, add, base_layers, box, make_project
from gis_census.checks import check_project
from gis_census.divide.heal import cut_buildings, heal_cut_buildings
from gis_census.divide.update import districts_to_update, update_division


def _house(layers, bid, x1, y1, x2, y2, code):
    add(layers, "buildings", id=bid, population=3, households=1, use="residential", village_code=A, district_code=A,
        small_area_code=code, number=0, geometry=box(x1, y1, x2, y2))


def _areas(project):
    return project["small_areas"].set_index("code").geometry


def test_a_house_across_the_line_joins_the_area_holding_most_of_it():
    layers = base_layers()
    _house(layers, 901, 186, 70, 206, 80, AREAS[0])  # 14 m in A001, 6 m in A002: cut
    project = make_project(layers)
    assert [p.features[0] for p in check_project(project) if p.kind == "building_split"] == ["901"]
    assert districts_to_update(project) == [A]
    before = _areas(project)
    healed, changed = heal_cut_buildings(project["small_areas"], project["buildings"], project["districts"], [A])
    assert changed == AREAS[:2]
    after = healed.set_index("code").geometry
    house = box(186, 70, 206, 80)
    assert shapely.covers(after[AREAS[0]], house) and shapely.area(shapely.intersection(after[AREAS[1]], house)) < 1e-9
    assert abs(shapely.area(shapely.union_all(after[AREAS[:2]])) - shapely.area(shapely.union_all(before[AREAS[:2]]))) < 1e-6
    assert all(shapely.get_num_geometries(g) == 1 for g in after)
    assert shapely.equals(after[AREAS[2]], before[AREAS[2]])  # the others keep their land

    report = update_division(project)
    kinds = {p.kind for p in check_project(project)}
    assert "building_split" not in kinds and "overlap" not in kinds and "gap" not in kinds
    assert {c.code for c in report.areas} == set(AREAS[:2]) and {c.kind for c in report.areas} == {"reshaped"}
    assert [(b.building_id, b.old_name) for b in report.buildings] == [(901, "#901")]  # numbered; the others keep theirs


def test_a_bend_that_would_cut_an_area_in_two_is_not_made():
    layers = base_layers()
    areas = layers["small_areas"]
    areas.loc[areas["code"] == AREAS[1], "geometry"] = box(200, 0, 210, 100)  # A002 a strip 10 m wide
    _house(layers, 902, 150, 40, 230, 50, AREAS[0])  # mostly in A001, right across the strip
    project = make_project(layers)
    building, gainer, loser = cut_buildings(project["small_areas"], project["buildings"])
    assert len(building) and set(project["small_areas"]["code"].to_numpy()[gainer]) == {AREAS[0]}
    healed, changed = heal_cut_buildings(project["small_areas"], project["buildings"], project["districts"], [A])
    assert changed == [] and healed is project["small_areas"]
    assert np.array_equal(shapely.get_num_geometries(np.asarray(healed.geometry.array, dtype=object)), np.ones(len(healed)))
