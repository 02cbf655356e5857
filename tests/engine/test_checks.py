"""The division checks: a correct township reports nothing; each planted fault reports exactly its problems.

The base township is drawn in tests/check_township.py: two villages of one district each, tiled 2 × 2 by
small areas of 300 people.

Every case below plants one fault into a copy of it and lists every problem that fault
should cause, with its measured value, so a consequence the engine misses or invents fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pytest
import shapely

from check_township import (
    AREAS,
    PEOPLE,
    PER_AREA,
    TOWNSHIP,
    X0,
    Y0,
    A,
    B,
    C,
    add,
    area_box,
    as_rows,
    assert_problems,
    base_layers,
    box,
    building_ids,
    drop,
    edit,
    make_project,
    polygon,
    recode,
    set_buildings,
)
from gis_census.checks import KINDS, CheckSettings, Problem, check_district, check_project, summarize
from gis_census.checks.problem import sort_key
from gis_census.project import CensusProject


@pytest.fixture
def layers() -> dict[str, gpd.GeoDataFrame]:
    return base_layers()


@pytest.fixture
def township(layers) -> CensusProject:
    """The correct two-village township."""
    return make_project(layers)


# ---------------------------------------------------------------------------------------------
# A correct township reports nothing
# ---------------------------------------------------------------------------------------------

def test_base_township_is_what_the_docstring_draws(township):
    areas = township["small_areas"]
    assert list(areas["code"]) == AREAS
    assert shapely.area(areas.geometry.values).tolist() == [20_000.0] * 8
    assert list(areas["population"]) == [300] * 8 and list(areas["households"]) == [100] * 8
    assert township["buildings"].groupby("small_area_code")["population"].sum().tolist() == [300] * 8
    assert shapely.union_all(areas.geometry.values).equals(shapely.union_all(township["villages"].geometry.values))


def test_correct_township_has_no_problems(township):
    assert check_project(township) == []


@pytest.mark.parametrize("district", [A, B])
def test_correct_district_has_no_problems(township, district):
    assert check_district(township, district) == []


@pytest.mark.parametrize("village", [A, B])
def test_correct_village_has_no_problems(township, village):
    assert check_project(township, village=village) == []


def test_households_as_the_unit_with_target_100(township):
    settings = CheckSettings.for_project(township, unit="households")
    assert settings.unit == "households" and settings.target == 300
    assert_problems(check_project(township, settings),
                    [("population_off_target", "small_areas", (c,), 100) for c in AREAS])
    assert check_project(township, CheckSettings(target=100, unit="households")) == []


# ---------------------------------------------------------------------------------------------
# Planted faults: one fault each, every consequence listed
# ---------------------------------------------------------------------------------------------

@dataclass
class Case:
    plant: Callable[[dict], None]
    expected: list[tuple]


def sliver_gap_0_2m(layers):
    edit(layers, "small_areas", A + "001", geometry=box(0, 0, 199.8, 100))


def notch_20m(layers):
    edit(layers, "small_areas", A + "004",
         geometry=polygon((200, 100), (400, 100), (400, 180), (380, 180), (380, 200), (200, 200)))


def small_area_removed(layers):
    drop(layers, "small_areas", A + "002")


def small_area_empty(layers):
    edit(layers, "small_areas", A + "002", geometry=shapely.Polygon())


def bowtie(layers):
    # Crosses itself at (300, 50): GEOS's make_valid keeps the left and right triangles.
    edit(layers, "small_areas", A + "002", geometry=polygon((200, 0), (400, 100), (400, 0), (200, 100), (200, 0)))


def overlap_6m2(layers):
    edit(layers, "small_areas", A + "001",
         geometry=polygon((0, 0), (200, 0), (200, 10), (202, 10), (202, 13), (200, 13), (200, 100), (0, 100)))


TAB = ((400, 20), (410, 20), (410, 50), (400, 50))  # 10 × 30 m = 300 m² east of x=400


def area_crosses_into_next_district(layers):
    edit(layers, "small_areas", A + "002", geometry=polygon((200, 0), (400, 0), *TAB, (400, 100), (200, 100)))


def boundary_moved_across_district_line(layers):
    area_crosses_into_next_district(layers)
    edit(layers, "small_areas", B + "001", geometry=polygon((400, 0), (600, 0), (600, 100), (400, 100), *TAB[::-1]))


def area_reaches_outside_township(layers):
    edit(layers, "small_areas", A + "001",
         geometry=polygon((0, 0), (50, 0), (50, -10), (80, -10), (80, 0), (200, 0), (200, 100), (0, 100)))


def building_cut_in_half(layers):
    edit(layers, "buildings", 10, geometry=box(195, 45, 205, 55))  # across x=200, A001 | A002


def duplicate_code(layers):
    recode(layers, A + "004", A + "003", buildings=False)


def code_14_digits(layers):
    recode(layers, A + "004", A + "04", seq="004")


def code_of_another_district(layers):
    recode(layers, A + "004", "370481102002004", seq="004")


def numbers_001_002_004(layers):
    recode(layers, A + "003", A + "005")


def numbers_001_002_003_006(layers):
    recode(layers, A + "004", A + "006")


def virtual_area_901(layers):
    add(layers, "small_areas", code=A + "901", district_code=A, seq="901", population=50, households=40, geometry=None)


HOLE = ((500, 120), (520, 120), (520, 140), (500, 140))  # 400 m² inside B003, clear of its buildings


def hole_in_village_district_and_area(layers):
    edit(layers, "villages", B, geometry=polygon((400, 0), (800, 0), (800, 200), (400, 200), holes=[HOLE]))
    edit(layers, "districts", B, geometry=polygon((400, 0), (800, 0), (800, 200), (400, 200), holes=[HOLE]))
    edit(layers, "small_areas", B + "003", geometry=polygon((400, 100), (600, 100), (600, 200), (400, 200), holes=[HOLE]))


def hole_in_village_only(layers):
    edit(layers, "villages", B, geometry=polygon((400, 0), (800, 0), (800, 200), (400, 200), holes=[HOLE]))


def hole_in_village_and_district(layers):
    hole_in_village_only(layers)
    edit(layers, "districts", B, geometry=polygon((400, 0), (800, 0), (800, 200), (400, 200), holes=[HOLE]))


def multipart_area(layers, exclave=0):
    # A001 takes the top-right corner of A004 as a second, separate piece: no gap, no overlap.
    edit(layers, "small_areas", A + "001", exclave=exclave,
         geometry=shapely.MultiPolygon([box(0, 0, 200, 100), box(380, 180, 400, 200)]))
    notch_20m(layers)


def set_people(n):
    return lambda layers: set_buildings(layers, A + "001", population=n)


def households_1000(layers):
    set_buildings(layers, A + "001", households=100)


def stored_population_310(layers):
    edit(layers, "small_areas", A + "001", population=310)


def unassigned_building_in_gap(layers):
    notch_20m(layers)
    add(layers, "buildings", id=81, population=30, households=10, use="residential", geometry=box(385, 185, 395, 195))


def building_outside_township(layers):
    add(layers, "buildings", id=81, population=30, households=10, use="residential", geometry=box(-50, -50, -40, -40))


def shed_outside_township(layers):
    add(layers, "buildings", id=81, population=0, households=0, use="storage", geometry=box(-50, -50, -40, -40))


def building_coded_to_neighbour(layers):
    edit(layers, "buildings", 1, small_area_code=A + "002")


def building_number_repeated(layers):
    edit(layers, "buildings", 2, number=1)


def districts_overlap(layers):
    edit(layers, "districts", A, geometry=polygon((0, 0), (400, 0), *TAB, (400, 200), (0, 200)))


def district_without_small_areas(layers):
    add(layers, "villages", code=C, name="李家洼村委会", geometry=box(800, 0, 1000, 200))
    add(layers, "districts", code=C, village_code=C, name="李家洼村委会", geometry=box(800, 0, 1000, 200))


def district_without_small_areas_with_buildings(layers):
    district_without_small_areas(layers)
    for k in range(3):
        add(layers, "buildings", id=81 + k, population=30, households=10, use="residential",
            geometry=box(815 + 18 * k, 45, 825 + 18 * k, 55))


def area_of_no_district(layers):
    recode(layers, A + "004", "370481102002004")
    edit(layers, "small_areas", "370481102002004", district_code="370481102002")


def area_drawn_twice(layers):
    add(layers, "small_areas", code=A + "005", district_code=A, seq="005", population=0, households=0,
        geometry=area_box(A + "004"))


def overlap_below_tolerance(layers):
    # 1 mm × 3 m = 0.003 m², under the 0.01 m² of float noise.
    edit(layers, "small_areas", A + "001",
         geometry=polygon((0, 0), (200, 0), (200, 10), (200.001, 10), (200.001, 13), (200, 13), (200, 100), (0, 100)))


def building_5_percent_across(layers):
    edit(layers, "buildings", 10, geometry=box(190.5, 45, 200.5, 55))


def village_code_outside_township(layers):
    edit(layers, "villages", B, code="370481103201")
    edit(layers, "districts", B, village_code="370481103201")


def _mismatch(code, old, new):
    return [("building_code_mismatch", "buildings", (str(i), old, new), 0) for i in building_ids(code)]


def _unassigned(code):
    return [("building_unassigned", "buildings", (str(i),), PEOPLE) for i in building_ids(code)]



CASES = {
    "sliver_gap_0_2m": Case(sliver_gap_0_2m, [("sliver_gap", "districts", (A, A + "001", A + "002"), 0.2 * 100)]),
    "gap_20x20m_notch": Case(notch_20m, [("gap", "districts", (A, A + "004"), 400)]),
    "small_area_removed": Case(small_area_removed, [
        ("gap", "districts", (A, A + "001", A + "004"), 20_000),
        *_unassigned(A + "002"),
        ("population_total_mismatch", "districts", (A,), 900 - 1200, "900 ≠ 1200"),
        ("code_sequence_gap", "districts", (A,), 0, "002"),
    ]),
    "small_area_empty_geometry": Case(small_area_empty, [
        ("empty_geometry", "small_areas", (A + "002",), 0),
        ("gap", "districts", (A, A + "001", A + "004"), 20_000),
        *_unassigned(A + "002"),
        # Its buildings still lie in the district, so the district total agrees; the area's own does not.
        ("population_mismatch", "small_areas", (A + "002",), 300, "300/100 ≠ 0/0"),
    ]),
    "bowtie": Case(bowtie, [
        ("invalid_geometry", "small_areas", (A + "002",), 0),
        ("gap", "districts", (A, A + "002"), 5_000),  # the triangle below the crossing, beside the bow-tie
        ("gap", "districts", (A, A + "002", A + "004"), 5_000),  # and the one above it
    ]),
    "overlap_below_tolerance": Case(overlap_below_tolerance, []),
    "area_drawn_twice": Case(area_drawn_twice, [
        ("overlap", "small_areas", (A + "004", A + "005"), 20_000),
        ("population_empty", "small_areas", (A + "005",), 0),
    ]),
    "overlap_2x3m": Case(overlap_6m2, [("overlap", "small_areas", (A + "001", A + "002"), 6)]),
    "area_crosses_into_next_district": Case(area_crosses_into_next_district, [
        ("outside_parent", "small_areas", (A + "002", A), 300),
    ]),
    "boundary_moved_across_district_line": Case(boundary_moved_across_district_line, [
        ("outside_parent", "small_areas", (A + "002", A), 300),
        ("gap", "districts", (B, B + "001"), 300),
    ]),
    "area_reaches_outside_township": Case(area_reaches_outside_township, [
        ("outside_parent", "small_areas", (A + "001", A), 300),
    ]),
    "building_cut_50_50": Case(building_cut_in_half, [("building_split", "buildings", ("10", A + "001", A + "002"), 0.5)]),
    "building_5_percent_across": Case(building_5_percent_across, []),  # under split_share (10 %)
    "duplicate_code": Case(duplicate_code, [
        ("code_duplicate", "small_areas", (A + "003",), 2),
        *_mismatch(A + "004", A + "004", A + "003"),
    ]),
    "small_area_of_no_district": Case(area_of_no_district, [
        ("parent_missing", "small_areas", ("370481102002004",), 0, "370481102002"),
        ("gap", "districts", (A, A + "002", A + "003"), 20_000),
        ("code_sequence_gap", "districts", ("370481102002",), 0),  # it is that district's only area, numbered 004
    ]),
    "code_14_digits": Case(code_14_digits, [("code_malformed", "small_areas", (A + "04",), 0)]),
    "code_of_another_district": Case(code_of_another_district, [
        ("code_parent_mismatch", "small_areas", ("370481102002004", A), 0),
    ]),
    "numbers_001_002_004": Case(numbers_001_002_004, [("code_sequence_gap", "districts", (A,), 0, "003")]),
    "numbers_001_002_003_006": Case(numbers_001_002_003_006, [("code_sequence_gap", "districts", (A,), 0, "004, 005")]),
    "virtual_area_901_without_land": Case(virtual_area_901, []),
    "village_hole_nobody_covers": Case(hole_in_village_district_and_area, [("gap", "villages", (TOWNSHIP, B), 400)]),
    "village_hole_district_still_covers": Case(hole_in_village_only, [
        ("gap", "villages", (TOWNSHIP, B), 400),
        ("outside_parent", "districts", (B, B), 400),
    ]),
    "village_hole_small_area_still_covers": Case(hole_in_village_and_district, [
        ("gap", "villages", (TOWNSHIP, B), 400),
        ("outside_parent", "small_areas", (B + "003", B), 400),
    ]),
    "multipart": Case(multipart_area, [("multipart", "small_areas", (A + "001",), 2)]),
    "multipart_exclave_allowed": Case(lambda layers: multipart_area(layers, exclave=1), []),
    "population_200_off_target": Case(set_people(20), [("population_off_target", "small_areas", (A + "001",), 200)]),
    "population_90_out_of_range": Case(set_people(9), [("population_out_of_range", "small_areas", (A + "001",), 90)]),
    "population_0": Case(set_people(0), [("population_empty", "small_areas", (A + "001",), 0)]),
    "households_1000": Case(households_1000, [("households_over_limit", "small_areas", (A + "001",), 1000)]),
    "stored_population_differs": Case(stored_population_310, [
        ("population_mismatch", "small_areas", (A + "001",), 10, "310/100 ≠ 300/100"),
        ("population_total_mismatch", "districts", (A,), 10, "1210 ≠ 1200"),
    ]),
    "building_in_gap": Case(unassigned_building_in_gap, [
        ("gap", "districts", (A, A + "004"), 400),
        ("building_unassigned", "buildings", ("81",), 30),
        ("population_total_mismatch", "districts", (A,), -30, "1200 ≠ 1230"),
    ]),
    # Outside every district it is another township's building, not a fault of this division.
    "building_outside_township": Case(building_outside_township, []),
    "shed_outside_township": Case(shed_outside_township, []),
    "building_coded_to_neighbour": Case(building_coded_to_neighbour, [
        ("building_code_mismatch", "buildings", ("1", A + "002", A + "001"), 0),
        # Numbers are checked within the stored code: it now shares number 1 with building 11.
        ("building_number_duplicate", "buildings", (A + "002", "1", "1", "11"), 2),
    ]),
    "building_number_repeated": Case(building_number_repeated, [
        ("building_number_duplicate", "buildings", (A + "001", "1", "1", "2"), 2),
    ]),
    "districts_overlap": Case(districts_overlap, [
        ("overlap", "districts", (A, B), 300),
        ("outside_parent", "districts", (A, A), 300),
        ("gap", "districts", (A, A + "002"), 300),  # the tab is A's land that none of A's small areas cover
    ]),
    "district_without_small_areas": Case(district_without_small_areas, [("no_children", "districts", (C,), 0)]),
    # One warning for the undivided district, not one error per building in it.
    "district_without_small_areas_with_buildings": Case(district_without_small_areas_with_buildings, [
        ("no_children", "districts", (C,), 0),
    ]),
    "village_code_outside_township": Case(village_code_outside_township, [
        ("code_parent_mismatch", "villages", ("370481103201", TOWNSHIP), 0),
    ]),
}


def _param(name: str, case: Case):
    return pytest.param(case, id=name)


def planted(case: Case) -> CensusProject:
    layers = base_layers()
    case.plant(layers)
    return make_project(layers)


@pytest.mark.parametrize("case", [_param(n, c) for n, c in CASES.items()])
def test_planted_fault_reports_exactly_its_problems(case):
    problems = check_project(planted(case))
    assert_problems(problems, case.expected)
    for p in problems:
        assert p.severity == KINDS[p.kind][0]
        if p.unit == "m2":  # the location to zoom to is the measured piece itself
            assert p.location.area == pytest.approx(p.value, rel=1e-6)


# A building in no district is no district's; an area of no existing district is seen by the project as
# a parent_missing area holding buildings, but by the district whose land it covers as a hole with
# buildings in no area of its own: both are true, and they differ.
NOT_A_DISTRICTS_OWN = {"building_outside_township", "small_area_of_no_district"}


def _district_own(p: Problem) -> bool:
    """Not about villages, nor districts against each other and their villages (the project's business)."""
    return p.layer != "villages" and not (p.layer == "districts" and p.kind in ("overlap", "outside_parent"))


@pytest.mark.parametrize("case", [pytest.param(c, id=n) for n, c in CASES.items() if n not in NOT_A_DISTRICTS_OWN])
def test_district_check_agrees_with_project_check(case):
    """check_district finds each district's share of the project's problems."""
    project = planted(case)
    own = [p for p in check_project(project) if _district_own(p)]
    per_district = [p for d in project["districts"]["code"] for p in check_district(project, d)]
    assert as_rows(per_district) == as_rows(own)


def test_messages_name_features_and_value_with_unit():
    sliver = check_project(planted(CASES["sliver_gap_0_2m"]))[0]
    overlap = check_project(planted(CASES["overlap_2x3m"]))[0]
    split = check_project(planted(CASES["building_cut_50_50"]))[0]
    people = check_project(planted(CASES["population_90_out_of_range"]))[0]
    assert sliver.message("zh") == f"细缝：普查区 {A}（位于普查小区 {A}001, {A}002 之间），20.00 平方米"
    assert sliver.message("en") == f"sliver gap: district {A} (between small area {A}001, {A}002), 20.00 m²"
    assert overlap.message("zh") == f"重叠：普查小区 {A}001, {A}002，6.00 平方米"
    assert overlap.message("en") == f"overlap: small area {A}001, {A}002, 6.00 m²"
    assert split.message("en") == f"building cut by a small-area boundary: building {A}001-010, {A}001, {A}002, smaller side 50%"
    assert people.message("zh") == f"人口超出上下限：普查小区 {A}001，90 人"
    assert sliver.message() == sliver.message("zh")  # tests run in Chinese (conftest)


@pytest.mark.parametrize("from_file", [False, True])
def test_building_problems_name_the_building_and_its_address_but_keep_its_id(from_file, tmp_path):
    project = planted(CASES["building_cut_50_50"])
    b = project["buildings"]
    b["address"] = np.where(b["id"] == 10, "杏坛街4号8栋", "")
    b.loc[b["id"] == 3, "number"] = 2  # A001's 2 twice: the names say so
    if from_file:  # a check opens the project lazily: the names are read for the problems' buildings only
        project.save(tmp_path / "p.gpkg")
        project = CensusProject.open(tmp_path / "p.gpkg", lazy=True)
    problems = {p.kind: p for p in check_project(project)}
    split, twice = problems["building_split"], problems["building_number_duplicate"]
    assert split.features == ("10", f"{A}001", f"{A}002")  # the app selects by id
    assert split.message("zh") == f"建筑物被小区界线切分：建筑物 {A}001-010（杏坛街4号8栋）, {A}001, {A}002，较小一侧占 50%"
    assert split.message("en").startswith(f"building cut by a small-area boundary: building {A}001-010 (杏坛街4号8栋), ")
    assert twice.message("en") == f"building number repeated: building {A}001-002, {A}001-002"


def test_message_carries_detail():
    gap = next(p for p in check_project(planted(CASES["numbers_001_002_004"])))
    assert gap.detail == "003"
    assert gap.message("en") == f"small-area numbers not consecutive: district {A} (003)"
    mismatch = check_project(planted(CASES["stored_population_differs"]))
    assert sorted(p.detail for p in mismatch) == ["1210 ≠ 1200", "310/100 ≠ 300/100"]


def test_locations_are_where_the_fault_is():
    (sliver,) = check_project(planted(CASES["sliver_gap_0_2m"]))
    assert sliver.location.normalize().equals_exact(box(199.8, 0, 200, 100).normalize(), 1e-6)
    (overlap,) = check_project(planted(CASES["overlap_2x3m"]))
    assert shapely.equals(polygonal(overlap.location), box(200, 10, 202, 13))
    bowtie_problems = check_project(planted(CASES["bowtie"]))
    (invalid,) = [p for p in bowtie_problems if p.kind == "invalid_geometry"]
    assert "Self-intersection" in invalid.detail
    assert invalid.location.equals_exact(shapely.Point(X0 + 300, Y0 + 50), 1e-6)
    gaps = [p.location for p in bowtie_problems if p.kind == "gap"]
    expected = [polygon((200, 0), (400, 0), (300, 50)), polygon((200, 100), (300, 50), (400, 100))]
    assert all(shapely.equals(sorted(gaps, key=lambda g: g.centroid.y), expected))
    (outside,) = check_project(planted(CASES["area_crosses_into_next_district"]))
    assert shapely.equals(outside.location, polygon(*TAB))


def polygonal(geom):
    """The 2-dimensional parts of `geom`, as one geometry."""
    return shapely.union_all([g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == 2])


@pytest.mark.parametrize("name", ["overlap_2x3m", "districts_overlap"])
def test_overlap_location_is_only_the_overlap(name):
    (overlap,) = [p for p in check_project(planted(CASES[name])) if p.kind == "overlap"]
    assert overlap.location.geom_type == "Polygon"


def test_summarize_counts_by_severity_and_kind():
    problems = check_project(planted(CASES["small_area_removed"]))
    summary = summarize(problems)
    assert summary == {
        "errors": 12,
        "warnings": 1,
        "by_kind": {"gap": 1, "building_unassigned": 10, "population_total_mismatch": 1, "code_sequence_gap": 1},
    }
    assert list(summary["by_kind"]) == ["gap", "building_unassigned", "population_total_mismatch", "code_sequence_gap"]
    assert summarize([]) == {"errors": 0, "warnings": 0, "by_kind": {}}


@pytest.mark.parametrize(("people", "tolerance", "kind"), [
    (240, 0.2, None), (360, 0.2, None), (239, 0.2, "population_off_target"), (361, 0.2, "population_off_target"),
    (250, 0.2, None), (250, 0.1, "population_off_target"), (100, 0.2, "population_off_target"),
    (99, 0.2, "population_out_of_range"), (500, 0.2, "population_off_target"), (501, 0.2, "population_out_of_range"),
])
def test_population_band_edges(people, tolerance, kind):
    """The target band (300 ± tolerance) and the hard limits 100..500 include their ends."""
    layers = base_layers()
    buildings = layers["buildings"]
    first = buildings["small_area_code"] == A + "001"
    buildings.loc[first, "population"] = [people // PER_AREA + (j < people % PER_AREA) for j in range(PER_AREA)]
    edit(layers, "small_areas", A + "001", population=people)
    project = make_project(layers)
    problems = check_project(project, CheckSettings.for_project(project, tolerance=tolerance))
    assert_problems(problems, [] if kind is None else [(kind, "small_areas", (A + "001",), people)])


def test_duplicate_code_is_reported_with_its_count():
    problems = check_project(planted(CASES["duplicate_code"]))
    (duplicate,) = [p for p in problems if p.kind == "code_duplicate"]
    assert duplicate.value == 2


def test_problems_sort_errors_first_then_by_kind_then_by_number():
    """The one order of the CLI, its JSON, the HTML report and the problems panel."""
    problems = [
        Problem("building_overlap", "buildings", ("1340", "7")),
        Problem("building_unassigned", "buildings", ("1340",)),
        Problem("gap", "districts", ("370481102205",)),
        Problem("building_unassigned", "buildings", ("136",)),
        Problem("overlap", "small_areas", ("370481102205002", "370481102205001")),
        Problem("building_overlap", "buildings", ("136", "9")),
    ]
    assert [(p.kind, p.features[0]) for p in sorted(problems, key=sort_key)] == [
        ("overlap", "370481102205002"), ("gap", "370481102205"), ("building_unassigned", "136"),
        ("building_unassigned", "1340"), ("building_overlap", "136"), ("building_overlap", "1340"),
    ]


def test_village_filter_reports_only_that_village():
    layers = base_layers()
    sliver_gap_0_2m(layers)  # in A
    edit(layers, "buildings", 42, number=1)  # in B001
    hole_in_village_district_and_area(layers)  # a township-level hole in B
    project = make_project(layers)
    assert_problems(check_project(project), [
        ("sliver_gap", "districts", (A, A + "001", A + "002"), 20),
        ("building_number_duplicate", "buildings", (B + "001", "1", "41", "42"), 2),
        ("gap", "villages", (TOWNSHIP, B), 400),
    ])
    assert_problems(check_project(project, village=A), [("sliver_gap", "districts", (A, A + "001", A + "002"), 20)])
    assert_problems(check_project(project, village=B), [("building_number_duplicate", "buildings", (B + "001", "1", "41", "42"), 2)])
    assert_problems(check_district(project, B), [("building_number_duplicate", "buildings", (B + "001", "1", "41", "42"), 2)])


@pytest.fixture
def building_on_district_line(layers) -> CensusProject:
    """Building 41 of B001 moved west until its wall lies on the A|B district line (x=400)."""
    edit(layers, "buildings", 41, geometry=box(400, 45, 410, 55))
    return make_project(layers)


def test_building_on_district_line_belongs_to_its_own_district(building_on_district_line):
    """The spatial index finds it when checking A too (it touches A); A must not call it unassigned."""
    assert check_project(building_on_district_line) == []
    assert check_district(building_on_district_line, A) == []
    assert check_district(building_on_district_line, B) == []
    assert check_project(building_on_district_line, village=A) == []
    assert check_project(building_on_district_line, village=B) == []
