"""Real geography: Providence's census blocks tile their block groups exactly, and a planted sliver is found."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis_census.checks import check_district, check_project
from gis_census.project import CensusProject, ProjectMeta

PROVIDENCE = Path(__file__).parent.parent / "data" / "providence_blocks.zip"

TILING = {"gap", "sliver_gap", "overlap", "outside_parent", "invalid_geometry", "parent_missing"}


@pytest.fixture(scope="module")
def providence() -> CensusProject:
    """Block groups (GEOID10[:12]) as villages and districts, their blocks as small areas, in UTM 19N."""
    blocks = gpd.read_file(f"zip://{PROVIDENCE}", engine="pyogrio").to_crs("EPSG:32619")
    blocks = blocks.sort_values("GEOID10").reset_index(drop=True)
    group = blocks["GEOID10"].str[:12]
    seq = (blocks.groupby(group).cumcount() + 1).map("{:03d}".format)
    areas = gpd.GeoDataFrame({"code": group + seq, "district_code": group, "seq": seq,
                              "population": blocks["TOTPOP"], "households": 0,
                              "exclave": (blocks.geom_type == "MultiPolygon").astype(int)},
                             geometry=blocks.geometry.values, crs="EPSG:32619")
    villages = areas.dissolve(by="district_code").reset_index()[["district_code", "geometry"]].rename(columns={"district_code": "code"})
    districts = villages.assign(village_code=villages["code"])
    meta = ProjectMeta(township_code="44007", township_name="Providence", crs="EPSG:32619")
    return CensusProject(meta, {"villages": villages, "districts": districts, "small_areas": areas})


def test_providence_blocks_tile_their_block_groups(providence):
    assert len(providence["small_areas"]) == 3014 and len(providence["districts"]) == 154
    problems = check_project(providence)
    assert [p.message("en") for p in problems if p.kind in TILING or p.kind.startswith("code_")] == []
    # Census blocks follow streets and rivers, not a walk: some are long or pinched, which check warns about.
    assert {p.kind for p in problems} <= {"population_off_target", "population_out_of_range", "population_empty",
                                          "odd_shape", "thin_neck"}
    assert all(p.severity == "warning" for p in problems if p.kind in ("odd_shape", "thin_neck"))


def test_providence_planted_sliver_is_found(providence):
    """A block shrunk by 0.1 m leaves a 0.1 m ring of its block group uncovered."""
    areas = providence["small_areas"].copy()
    geoms = areas.geometry.values
    simple = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
    i = int(np.argmax(np.where(simple, shapely.area(geoms), 0)))
    code, block = areas.loc[i, "code"], geoms[i]
    shrunk = shapely.buffer(block, -0.1)
    areas.loc[i, "geometry"] = shrunk
    project = CensusProject(providence.meta, {**providence.layers, "small_areas": areas})
    found = [p for p in check_district(project, code[:12]) if p.kind in TILING]
    lost = block.area - shrunk.area
    assert [(p.kind, p.features[0]) for p in found] == [("sliver_gap", code[:12])]
    assert code in found[0].features[1:]  # the shrunk block is named, and the blocks beyond the sliver
    assert found[0].value == pytest.approx(lost, rel=1e-6)
