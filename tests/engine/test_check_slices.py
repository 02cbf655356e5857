"""The building checks measure in slices and share work between steps: the answer must not change.

On the base township (tests/check_township.py) with planted faults — a house across the village line,
houses across a small-area line (one of them in an overlap group), a duplicate footprint and a house
beyond the township — the checks in thread chunks, and the spatial helpers with slices of one, give
exactly what they give in one go.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from check_township import AREAS, A, B, add, area_box, base_layers, box, make_project
from gis_census import spatial
from gis_census.checks import buildings as building_checks
from gis_census.checks import check_project
from gis_census.checks.buildings import crossing_problems
from gis_census.project import CensusProject
from gis_census.spatial import shares


@pytest.fixture(scope="module")
def faulty():
    layers = base_layers()
    planted = {
        901: (390, 150, 410, 160, A),  # across the village line A | B
        902: (190, 20, 210, 30, AREAS[0]),  # across A001 | A002 (one district)
        903: (195, 60, 215, 70, AREAS[0]),  # with 904, one overlap group across A001 | A002
        904: (185, 62, 199, 68, AREAS[0]),
        905: (15, 45, 25, 55, AREAS[0]),  # a duplicate of building 1
        906: (900, 50, 910, 60, ""),  # beyond the township
        907: (190, 5, 200, 15, AREAS[0]),  # inside A001, its edge on the line
    }
    for bid, (x1, y1, x2, y2, code) in planted.items():
        add(layers, "buildings", id=bid, population=3, households=1, use="residential", village_code=code[:12],
            district_code=code[:12], small_area_code=code, number=0, geometry=box(x1, y1, x2, y2))
    return make_project(layers)


def test_planted_faults_are_found(faulty):
    kinds = {(p.kind, p.features[0]) for p in check_project(faulty)}
    assert {("building_crosses_village", "901"), ("building_split", "902"), ("building_overlap", "1")} <= kinds


def test_thread_chunks_give_the_same_problems_in_the_same_order(faulty, monkeypatch):
    serial = check_project(faulty)
    village = check_project(faulty, village=B)
    monkeypatch.setattr(building_checks, "_BATCH", 10)  # the 87 buildings go in batches of 10, two at a time
    assert check_project(faulty) == serial
    assert check_project(faulty, village=B) == village


def test_crossing_problems_with_the_footprints_found_touching_equal_without(faulty):
    columns = faulty.columns("buildings", ["id"])
    districts = faulty.columns("districts", ["code"])
    lines = districts["geometry"], districts["code"]
    settings = building_checks.CheckSettings()
    touching = building_checks._touching(shapely.STRtree(columns["geometry"]), lines[0])
    alone = crossing_problems(columns, *lines, settings)
    assert [p.features[0] for p in alone] == ["901"]
    assert crossing_problems(columns, *lines, settings, touching) == alone


def test_holding_in_slices_of_one_equals_holding_index(faulty, monkeypatch):
    columns = faulty.columns("buildings", ["id"])
    geoms = columns["geometry"]
    areas = np.array([area_box(c) for c in AREAS], dtype=object)
    where, (g, p, area), _ = spatial.holding(geoms, areas)
    assert np.array_equal(where, spatial.holding_index(geoms, areas))
    np.testing.assert_allclose(area, shapely.area(shapely.intersection(geoms[g], areas[p])), atol=1e-9)
    assert set(columns["id"][g]) == {901, 902, 903}  # measured: met by areas, covered by none (906 meets none)
    monkeypatch.setattr(spatial, "_COVERS_SLICE", 1)
    monkeypatch.setattr(shares, "_OVERLAY_SLICE", 1)
    monkeypatch.setattr(shares, "_TESTS_SLICE", 1)
    sliced, (g1, p1, area1), _ = spatial.holding(geoms, areas)
    assert np.array_equal(sliced, where)
    assert np.array_equal(g1, g) and np.array_equal(p1, p) and np.array_equal(area1, area)


@pytest.mark.parametrize("saved", [False, True], ids=["held", "read from the file"])
def test_an_overlap_group_across_batches_decides_together(tmp_path, monkeypatch, saved):
    """House 908 lies mostly in A002, but overlaps the big house 909 inside A001: the group lies mostly in
    A001, so 908 belongs there and its A002 code is a mismatch. With 909 read in the first batch and 908 in
    the last, the group spans batches and must still decide together."""
    layers = base_layers()
    add(layers, "buildings", id=908, population=3, households=1, use="residential", village_code=A, district_code=A,
        small_area_code=AREAS[1], number=0, geometry=box(195, 80, 215, 90))
    add(layers, "buildings", id=909, population=3, households=1, use="residential", village_code=A, district_code=A,
        small_area_code=AREAS[0], number=0, geometry=box(100, 78, 198, 92))
    frame = layers["buildings"]
    layers["buildings"] = frame.iloc[[len(frame) - 1, *range(len(frame) - 1)]].reset_index(drop=True)
    project = make_project(layers)
    if saved:
        project = CensusProject.open(project.save(tmp_path / "t.gpkg"), lazy=True)
    whole = check_project(project)
    assert ("building_code_mismatch", ("908", AREAS[1], AREAS[0])) in {(p.kind, p.features) for p in whole}
    assert ("building_overlap", ("909", "908")) in {(p.kind, p.features) for p in whole}
    monkeypatch.setattr(building_checks, "_BATCH", 10)
    assert check_project(project) == whole
