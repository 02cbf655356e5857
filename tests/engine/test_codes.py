"""Codes and numbering: serpentine small-area codes, building walking order, virtual areas, supervisor groups."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gis_census.checks import check_project
from gis_census.numbering.codes import assign_codes, group_sizes, make_virtual_area, serpentine_rank, supervisor_groups
from gis_census.numbering.groups import walk_groups
from gis_census.project import CensusProject, ProjectMeta

CRS = "EPSG:4527"
X0, Y0 = 39_513_000.0, 3_883_000.0
DISTRICT = "370481102001"
SIDE = 100.0  # m, one small area
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


def _expected_seq(col: int, row_from_north: int, width: int = 3) -> int:
    """The serpentine position of a grid cell: west→east in even rows from the north, east→west in odd ones."""
    along = col if row_from_north % 2 == 0 else width - 1 - col
    return row_from_north * width + along + 1


def _cell(col: int, row_from_north: int) -> shapely.Polygon:
    x, y = X0 + col * SIDE, Y0 + (2 - row_from_north) * SIDE
    return shapely.box(x, y, x + SIDE, y + SIDE)


def grid_3x3_shuffled() -> CensusProject:
    """One district of 3×3 square 100 m small areas with shuffled codes; 3×3 buildings of 10 m in each, stale codes.

    Buildings sit 30 m apart, so each row of buildings is its own walking row (row height 2.5 × 10 m).
    """
    cells = [(c, r) for r in range(3) for c in range(3)]
    shuffled = [7, 3, 9, 1, 5, 2, 8, 6, 4]
    areas = gpd.GeoDataFrame(
        {"code": [f"{DISTRICT}{s:03d}" for s in shuffled], "district_code": DISTRICT, "seq": [f"{s:03d}" for s in shuffled]},
        geometry=[_cell(c, r) for c, r in cells], crs=CRS,
    )
    rows = []
    for k, (c, r) in enumerate(cells):
        x, y = X0 + c * SIDE, Y0 + (2 - r) * SIDE
        for br in range(3):
            for bc in range(3):
                bx, by = x + 15 + 30 * bc, y + 75 - 30 * br
                rows.append({"id": len(rows) + 1, "population": 1 + bc, "households": 1, "district_code": DISTRICT,
                             "small_area_code": f"{DISTRICT}{shuffled[(k + 1) % 9]:03d}",
                             "geometry": shapely.box(bx, by, bx + 10, by + 10)})
    buildings = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    district = gpd.GeoDataFrame({"code": [DISTRICT], "village_code": [DISTRICT]},
                                geometry=[shapely.box(X0, Y0, X0 + 3 * SIDE, Y0 + 3 * SIDE)], crs=CRS)
    village = gpd.GeoDataFrame({"code": [DISTRICT]}, geometry=district.geometry, crs=CRS)
    return CensusProject(ProjectMeta(crs=CRS, township_code="370481102"),
                         {"villages": village, "districts": district, "small_areas": areas, "buildings": buildings})


@pytest.fixture
def grid() -> CensusProject:
    return grid_3x3_shuffled()


def _area_at(project: CensusProject, col: int, row: int):
    areas = project["small_areas"]
    return areas[areas.geometry.geom_equals(_cell(col, row))].iloc[0]


def test_serpentine_rank_small():
    assert serpentine_rank(np.array([0, 1, 0, 1.0]), np.array([1, 1, 0, 0.0]), np.zeros(4), 1.0).tolist() == [1, 2, 4, 3]


def test_grid_numbered_in_serpentine_order(grid):
    report = assign_codes(grid)
    for row in range(3):
        for col in range(3):
            area = _area_at(grid, col, row)
            seq = f"{_expected_seq(col, row):03d}"
            assert (area["seq"], area["code"]) == (seq, DISTRICT + seq)
    assert len(report.renamed) == 8  # only the centre cell had its serpentine number already
    assert report.sequence_gaps == {}


def test_consecutive_numbers_touch(grid):
    assign_codes(grid)
    areas = grid["small_areas"].sort_values("seq")
    geoms = areas.geometry.to_numpy()
    assert areas["seq"].tolist() == [f"{n:03d}" for n in range(1, 10)]
    assert all(shapely.length(shapely.intersection(a, b)) == SIDE for a, b in zip(geoms[:-1], geoms[1:]))


def test_locked_area_keeps_code_others_skip_its_seq(grid):
    areas = grid["small_areas"]
    north_west = areas.geometry.geom_equals(_cell(0, 0))
    areas.loc[north_west, ["code", "seq", "locked"]] = [DISTRICT + "005", "005", 1]
    report = assign_codes(grid)
    assert _area_at(grid, 0, 0)["code"] == DISTRICT + "005"
    assert (_area_at(grid, 1, 0)["seq"], _area_at(grid, 2, 0)["seq"], _area_at(grid, 2, 1)["seq"]) == ("001", "002", "003")
    assert _area_at(grid, 1, 1)["seq"] == "004" and _area_at(grid, 0, 1)["seq"] == "006"
    assert sorted(grid["small_areas"]["seq"]) == [f"{n:03d}" for n in range(1, 10)]
    assert report.sequence_gaps == {}


def test_locked_seq_beyond_count_leaves_reported_gap(grid):
    areas = grid["small_areas"]
    areas.loc[areas.geometry.geom_equals(_cell(1, 1)), ["code", "seq", "locked"]] = [DISTRICT + "012", "012", 1]
    report = assign_codes(grid)
    assert _area_at(grid, 1, 1)["code"] == DISTRICT + "012"
    assert report.sequence_gaps == {DISTRICT: ["009", "010", "011"]}
    assert grid["small_areas"]["code"].is_unique


def test_buildings_follow_renumbering(grid):
    report = assign_codes(grid)
    areas, buildings = grid["small_areas"], grid["buildings"]
    holder = [areas["code"][areas.contains(b)].item() for b in buildings.geometry]
    assert buildings["small_area_code"].tolist() == holder
    assert report.buildings_moved == 81


def test_buildings_numbered_in_serpentine_order(grid):
    assign_codes(grid)
    buildings = grid["buildings"]
    for code, part in buildings.groupby("small_area_code"):
        corner = part.geometry.bounds[["minx", "miny"]].to_numpy()
        col = np.round((corner[:, 0] - corner[:, 0].min()) / 30).astype(int)
        row = np.round((corner[:, 1].max() - corner[:, 1]) / 30).astype(int)
        assert part["number"].tolist() == [_expected_seq(c, r) for c, r in zip(col, row)], code
        assert sorted(part["number"]) == list(range(1, 10))


def test_population_recounted_from_buildings(grid):
    grid["small_areas"]["population"] = 999
    assign_codes(grid)
    assert grid["small_areas"]["population"].tolist() == [18] * 9
    assert grid["small_areas"]["households"].tolist() == [9] * 9


@pytest.mark.parametrize(
    "n, sizes",
    [(0, []), (1, [1]), (2, [2]), (3, [3]), (4, [4]), (5, [5]), (6, [3, 3]), (7, [4, 3]), (8, [4, 4]),
     (9, [3, 3, 3]), (10, [4, 3, 3]), (13, [4, 3, 3, 3]), (37, [4] * 7 + [3] * 3)],
)
def test_group_sizes(n, sizes):
    assert group_sizes(n) == sizes
    assert sum(sizes) == n


def test_supervisor_groups_of_three_contiguous(grid):
    report = assign_codes(grid)
    listing = supervisor_groups(grid)
    assert listing["group"].tolist() == [1, 2, 3]
    assert listing["count"].tolist() == [3, 3, 3]
    assert listing["contiguous"].all() and report.non_contiguous == []
    assert listing["small_areas"].iloc[1] == ", ".join(DISTRICT + s for s in ("004", "005", "006"))
    assert listing["population"].tolist() == [54, 54, 54]


def test_cut_points_chosen_for_contiguity():
    """Seven areas walked in a line with a break after the third: 3 + 4 keeps both groups whole, 4 + 3 would not."""
    geoms = np.array([shapely.box(x, 0, x + 1, 1) for x in (0, 1, 2, 10, 11, 12, 13)], dtype=object)
    groups = walk_groups(np.full(7, DISTRICT, dtype=object), np.arange(7), geoms)
    assert groups.tolist() == [1, 1, 1, 2, 2, 2, 2]


def test_non_contiguous_group_reported(grid):
    assign_codes(grid)
    areas = grid["small_areas"]
    areas.loc[areas["seq"].isin(["001", "009"]), "supervisor_group"] = 4
    listing = supervisor_groups(grid)
    assert listing.set_index("group")["contiguous"].to_dict() == {1: True, 2: True, 3: True, 4: False}


def test_virtual_areas_numbered_from_900(grid):
    assign_codes(grid)
    buildings = grid["buildings"]
    first_id, second_id = int(buildings["id"].iloc[0]), int(buildings["id"].iloc[40])
    territorial = buildings["small_area_code"].iloc[0]
    assert make_virtual_area(grid, first_id) == DISTRICT + "900"
    assert make_virtual_area(grid, second_id) == DISTRICT + "901"
    areas = grid["small_areas"].set_index("code")
    assert areas.loc[DISTRICT + "900", ["population", "households"]].tolist() == [1, 1]
    assert areas.loc[territorial, "population"] == 17
    assert areas.loc[DISTRICT + "900"].geometry is None
    with pytest.raises(ValueError, match="already in virtual"):
        make_virtual_area(grid, first_id)

    assign_codes(grid)  # the virtual areas keep their numbers and their buildings
    buildings = grid["buildings"].set_index("id")
    assert buildings.loc[first_id, ["small_area_code", "number"]].tolist() == [DISTRICT + "900", 1]
    assert grid["small_areas"].set_index("code").loc[territorial, "population"] == 17
    listing = supervisor_groups(grid)
    assert listing["count"].tolist() == [4, 4, 3]  # 11 areas, virtual ones walked last
    assert listing["small_areas"].iloc[-1].endswith(DISTRICT + "901")


def test_virtual_area_saved_without_geometry(grid, tmp_path):
    assign_codes(grid)
    code = make_virtual_area(grid, 1)
    grid.save(tmp_path / "grid.gpkg")
    areas = CensusProject.open(tmp_path / "grid.gpkg")["small_areas"].set_index("code")
    assert areas.loc[code].geometry is None and areas.loc[code, "seq"] == "900"


def test_unknown_building_or_district_named(grid):
    with pytest.raises(ValueError, match="12345"):
        make_virtual_area(grid, 12345)
    with pytest.raises(ValueError, match="370481999999"):
        assign_codes(grid, districts=["370481999999"])


def test_only_chosen_districts_change():
    project = CensusProject.open(SAMPLE)
    before = project["small_areas"].copy()
    district = "370481102002"
    assign_codes(project, districts=[district])
    after = project["small_areas"]
    others = before["district_code"] != district
    assert_geodataframe_equal(after[others], before[others])
    assert (after.loc[~others, "supervisor_group"] > 0).all()


def _layers(project: CensusProject) -> dict[str, gpd.GeoDataFrame]:
    return {name: project[name].copy() for name in ("small_areas", "buildings")}


@pytest.mark.parametrize("make", [grid_3x3_shuffled, lambda: CensusProject.open(SAMPLE)], ids=["grid", "sample"])
def test_idempotent(make):
    project = make()
    assign_codes(project)
    once = _layers(project)
    report = assign_codes(project)
    for name, frame in _layers(project).items():
        assert_geodataframe_equal(frame, once[name])
    assert (report.renamed, report.buildings_moved, report.buildings_renumbered) == ({}, 0, 0)


def test_sample_codes_pass_checks():
    project = CensusProject.open(SAMPLE)
    report = assign_codes(project)
    assert report.renamed  # the sample comes with an older numbering
    kinds = {p.kind for p in check_project(project)}
    assert not {k for k in kinds if k.startswith("code_")}
    assert not kinds & {"building_number_duplicate", "building_code_mismatch", "population_mismatch", "population_total_mismatch"}
    areas = project["small_areas"]
    assert (areas["supervisor_group"] > 0).all()
    assert areas.dtypes.equals(CensusProject.open(SAMPLE)["small_areas"].dtypes)
    listing = supervisor_groups(project)
    for district, counts in listing.groupby("district_code")["count"].agg(list).items():
        assert counts == [sum(counts)] if sum(counts) < 6 else set(counts) <= {3, 4}, district
    broken = listing[~listing["contiguous"]]
    assert report.non_contiguous == list(zip(broken["district_code"], broken["group"]))
    assert len(report.non_contiguous) <= 2  # 6 of 30 before cut points were chosen for contiguity


def test_checker_counts_residents_of_a_virtual_area_there():
    """A dormitory made a virtual small area: no code mismatch, no population mismatch where it stands."""
    project = CensusProject.open(SAMPLE)
    assign_codes(project)
    buildings = project["buildings"]
    dormitory = int(buildings.loc[buildings["population"].idxmax(), "id"])
    make_virtual_area(project, dormitory)
    kinds = {p.kind for p in check_project(project)}
    assert not kinds & {"building_code_mismatch", "population_mismatch", "population_total_mismatch"}
