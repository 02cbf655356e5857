"""One rule for virtual small areas (gis_census.rules): numbered 900 or above and without territory.

An area numbered below 900 whose land went missing is a territorial area with an error, not a virtual
one, in the checks, the lists, the numbering and the editing alike (lists and numbering used to call
any area without land virtual).
"""

from __future__ import annotations

import numpy as np
import shapely

from check_township import A, add, base_layers, building_ids, edit, make_project
from gis_census.checks import check_project
from gis_census.editing.changes import next_seqs
from gis_census.lists import area_list
from gis_census.numbering import assign_codes
from gis_census.rules import has_land, is_virtual, locate_buildings


def township_with_a_virtual_area_and_a_lost_one():
    """A's 901 is virtual (no land, collective quarters moved to it); A's 003 lost its land."""
    layers = base_layers()
    add(layers, "small_areas", code=A + "901", district_code=A, seq="901", population=0, households=0, geometry=None)
    edit(layers, "small_areas", A + "003", geometry=shapely.Polygon())
    return make_project(layers)


def test_has_land_is_false_for_missing_and_empty_geometries_alike():
    geoms = [None, shapely.Polygon(), shapely.GeometryCollection(), shapely.box(0, 0, 1, 1),
             shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])]
    assert has_land(geoms).tolist() == [False, False, False, True, True]
    assert [bool(has_land(g)) for g in geoms] == [False, False, False, True, True]  # one geometry at a time too


def test_only_the_area_numbered_900_up_without_land_is_virtual():
    project = township_with_a_virtual_area_and_a_lost_one()
    areas = project["small_areas"]
    virtual = dict(zip(areas["code"], is_virtual(areas["seq"], np.asarray(areas.geometry.array, dtype=object))))
    assert virtual[A + "901"] and not virtual[A + "003"]
    # lists
    listed = area_list(project).set_index("small_area_code")["virtual"]
    assert listed[A + "901"] and not listed[A + "003"]
    # checks: the lost land is an error of a territorial area; the virtual one has no territory to miss
    problems = check_project(project)
    assert any(p.kind == "empty_geometry" and p.features == (A + "003",) for p in problems)
    assert not any(A + "901" in p.features for p in problems if p.kind in ("empty_geometry", "gap", "population_empty"))
    # numbering: a building stored in the lost area is located again; one moved to the virtual area stays
    buildings = project["buildings"]
    moved, lost = building_ids(A + "001")[0], building_ids(A + "003")[0]
    buildings.loc[buildings["id"] == moved, "small_area_code"] = A + "901"
    located = dict(zip(buildings["id"], locate_buildings(areas, buildings)))
    assert located[moved] == A + "901"
    assert located[lost] == ""  # its area has no land: it is in no small area, not "in" the lost one
    # editing: the next free territorial number skips neither the lost area nor counts the virtual one
    assert next_seqs(project, A, 1) == ["005"]
    # the whole numbering run keeps the virtual number
    assign_codes(project)
    assert A + "901" in set(project["small_areas"]["code"])


def test_dividing_again_keeps_a_virtual_area_and_the_residents_moved_to_it():
    from gis_census.divide import divide_project
    from gis_census.numbering.codes import make_virtual_area

    project = township_with_a_virtual_area_and_a_lost_one()
    areas = project.layers["small_areas"]
    project.layers["small_areas"] = areas[areas["code"] != A + "003"]  # the lost area out of the way
    divide_project(project, [A], target=300)
    quarters = building_ids(A + "002")[0]
    code = make_virtual_area(project, quarters)
    assert code == A + "902"  # after the 901 already there
    divide_project(project, [A], target=300)
    areas = set(project["small_areas"]["code"])
    assert {A + "901", A + "902"} <= areas
    buildings = project["buildings"].set_index("id")
    assert buildings.loc[quarters, "small_area_code"] == A + "902"
