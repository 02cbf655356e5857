"""Tests of the synthetic demo data generator (gis_census.demo)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gis_census.demo import DemoData, make_county, make_township

LAYERS = ("villages", "buildings", "roads", "water", "landmarks", "small_areas", "boundaries")


@pytest.fixture(scope="module")
def town() -> DemoData:
    return make_township()


@pytest.fixture(scope="module")
def county() -> DemoData:
    return make_county(seed=7, townships=3, villages_per_township=6)


def _overlap_pairs(geoms) -> list[tuple[int, int, float]]:
    """Pairs of polygons whose interiors overlap (area > 0)."""
    geoms = np.asarray(geoms, dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    area = shapely.area(shapely.intersection(geoms[a], geoms[b]))
    return [(int(i), int(j), float(x)) for i, j, x in zip(a, b, area) if x > 0]


def _assert_tiles(parts, whole, label: str) -> None:
    union = shapely.union_all(np.asarray(parts, dtype=object))
    assert abs(union.area - whole.area) <= 1e-6 * whole.area, label
    assert abs(sum(p.area for p in parts) - whole.area) <= 1e-6 * whole.area, label
    assert shapely.symmetric_difference(union, whole).area <= 1e-6 * whole.area, label
    assert _overlap_pairs(parts) == [], label


def _check(data: DemoData) -> None:
    assert data.crs == "EPSG:4527"
    for name in LAYERS:
        gdf = getattr(data, name)
        assert gdf.crs == "EPSG:4527", name
        assert list(gdf.index) == list(range(len(gdf))), name
        assert gdf.geometry.is_valid.all(), name
    assert isinstance(data.townships, pd.DataFrame)
    assert list(data.townships.columns) == ["code", "name"]
    assert data.townships.code.str.fullmatch(r"\d{9}").all()
    assert data.townships.code.is_unique

    vil = data.villages
    assert (vil.geom_type == "Polygon").all()
    assert vil.code.str.fullmatch(r"\d{12}").all() and vil.code.is_unique
    assert (vil.code.str[:9] == vil.township_code).all()
    assert set(vil.township_code) == set(data.townships.code)
    assert vil.name.str.endswith(("社区居委会", "村委会")).all()
    seq = vil.code.str[9:].astype(int)
    assert ((seq < 200) == vil.name.str.endswith("居委会")).all()
    for code, group in vil.groupby("township_code"):
        assert group.name.is_unique
        boundary = data.boundaries.geometry[data.boundaries.code == code].iloc[0]
        _assert_tiles(list(group.geometry), boundary, code)

    b = data.buildings
    assert (b.geom_type == "Polygon").all()
    assert b.id.tolist() == list(range(1, len(b) + 1))
    assert (b.population >= 0).all() and (b.households >= 0).all()
    assert set(b.use) <= {"residential", "commercial", "school", "factory", "public"}
    assert b.address.str.len().gt(3).all()
    assert _overlap_pairs(b.geometry.values) == []
    a, v = shapely.STRtree(vil.geometry.values).query(b.geometry.values, predicate="within")
    assert np.array_equal(np.sort(a), np.arange(len(b)))  # each within exactly one village
    w = data.water.geometry.values
    assert len(shapely.STRtree(w).query(b.geometry.values, predicate="intersects")[0]) == 0

    sa = data.small_areas
    assert (sa.geom_type == "Polygon").all()
    assert sa.code.str.fullmatch(r"\d{15}").all() and sa.code.is_unique
    village_of = sa.code.str[:12]
    assert set(village_of) == set(vil.code)
    pts = shapely.point_on_surface(b.geometry.values)
    p_i, s_i = shapely.STRtree(sa.geometry.values).query(pts, predicate="within")
    assert len(np.unique(p_i)) == len(b)
    pop = np.bincount(s_i, weights=b.population.values[p_i], minlength=len(sa))
    hh = np.bincount(s_i, weights=b.households.values[p_i], minlength=len(sa))
    assert np.array_equal(pop, sa.population.values)
    assert np.array_equal(hh, sa.households.values)
    village_pop = np.bincount(v, b.population.values[a], len(vil))
    for i, row in vil.iterrows():
        areas = sa[village_of == row.code]
        seqs = sorted(areas.code.str[12:].astype(int))
        assert seqs == list(range(1, len(areas) + 1)), row.code
        assert areas.population.sum() == village_pop[i]
        assert len(areas) == max(1, round(village_pop[i] / 300))
        _assert_tiles(list(areas.geometry), row.geometry, row.code)
    # across village borders only floating-point noise (areas need not share vertices)
    assert max([x for *_, x in _overlap_pairs(sa.geometry.values)], default=0.0) < 1e-4

    assert (data.roads.geom_type == "LineString").all()
    assert set(data.roads.kind) <= {"main", "street", "lane", "rural"}
    assert (data.water.geom_type == "Polygon").all()
    assert set(data.water.kind) <= {"river", "pond", "canal"}
    assert (data.landmarks.geom_type == "Point").all()


def test_township_properties(town: DemoData) -> None:
    _check(town)
    assert len(town.townships) == 1 and town.townships.code[0] == "370481102"
    assert len(town.villages) == 9
    assert (town.villages.code.str[9] == "0").sum() in (2, 3)
    assert 20_000 <= town.buildings.population.sum() <= 40_000
    assert town.small_areas.population.sum() == town.buildings.population.sum()
    # near 117.15 E, 35.08 N
    x, y = town.boundaries.geometry[0].centroid.coords[0]
    assert abs(x - 39_513_680) < 5_000 and abs(y - 3_883_478) < 5_000
    for kind in ("government", "school", "hospital", "market", "bridge"):
        assert (town.landmarks.kind == kind).any(), kind
    assert {"main", "street", "lane", "rural"} == set(town.roads.kind)
    assert "river" in set(town.water.kind)
    assert set(town.buildings.use) == {"residential", "commercial", "school", "factory", "public"}
    big = town.buildings[town.buildings.population >= 100]
    assert len(big) > 10 and (big.households == np.rint(big.population / 2.8)).all()


def test_township_deterministic(town: DemoData) -> None:
    again = make_township()
    pd.testing.assert_frame_equal(again.townships, town.townships)
    for name in LAYERS:
        assert_geodataframe_equal(getattr(again, name), getattr(town, name), check_less_precise=False)


def test_township_seed_changes_data(town: DemoData) -> None:
    other = make_township(seed=7)
    assert not other.buildings.geometry.geom_equals(town.buildings.geometry.iloc[: len(other.buildings)]).all()
    assert other.buildings.population.sum() != town.buildings.population.sum()
    _check(other)


def test_township_village_count() -> None:
    data = make_township(seed=3, villages=5)
    assert len(data.villages) == 5
    _check(data)


def test_county_small(county: DemoData) -> None:
    _check(county)
    assert len(county.townships) == 3
    assert len(county.villages) == 18
    assert county.villages.groupby("township_code").size().eq(6).all()
    # the township boundaries tile the county without overlaps
    assert _overlap_pairs(county.boundaries.geometry.values) == []
