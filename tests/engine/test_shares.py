"""`shared_areas` measures footprint ∩ polygon without GEOS overlay where one boundary segment cuts the
footprint's box: it must give GEOS's area for every pair, whichever path a pair takes.

Property-based on generated shapes (rotated and concave footprints, courtyards, multi-part footprints;
polygons with holes and several parts, boundaries through corners and along edges), at Gauss–Krüger
coordinates; and on the real Suzhou old-town footprints against irregular cells.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_census.spatial.shares import shared_areas

SUZHOU = Path(__file__).resolve().parents[3] / "shared" / "data" / "suzhou" / "footprints.geojson"
X0, Y0 = 39_512_345.0, 3_456_789.0  # a Gauss–Krüger easting with its zone number: where rounding bites


def _geos(geoms, polygons, g, p):
    return shapely.area(shapely.intersection(geoms[g], polygons[p]))


def _pairs(geoms, polygons):
    g, p = shapely.STRtree(polygons).query(geoms, predicate="intersects")
    return g, p


coordinate = st.floats(-30, 30, allow_nan=False).map(lambda v: round(v, 3))
angle = st.floats(0, 180, allow_nan=False)


@st.composite
def footprint(draw):
    """A house: a rotated rectangle, an L, a courtyard house or two blocks as one feature."""
    x, y, w, h = draw(coordinate), draw(coordinate), draw(st.floats(2, 25)), draw(st.floats(2, 25))
    kind = draw(st.sampled_from(["box", "L", "courtyard", "two"]))
    shape = shapely.box(x, y, x + w, y + h)
    if kind == "L":
        shape = shape.difference(shapely.box(x + w / 2, y + h / 2, x + w + 1, y + h + 1))
    elif kind == "courtyard":
        shape = shape.difference(shapely.box(x + w / 4, y + h / 4, x + 3 * w / 4, y + 3 * h / 4))
    elif kind == "two":
        shape = shapely.union(shape, shapely.box(x + w + 2, y, x + 2 * w + 2, y + h))
    return shapely.affinity.translate(shapely.affinity.rotate(shape, draw(angle), origin=(x, y)), X0, Y0)


@st.composite
def area(draw):
    """A small area cutting the houses: a half-space box, a rotated box, a box with a hole, a star, or two parts."""
    x, y = draw(coordinate), draw(coordinate)
    kind = draw(st.sampled_from(["half", "rotated", "hole", "star", "two"]))
    if kind == "half":
        shape = shapely.box(x, -500, 500, 500)
    elif kind == "rotated":
        shape = shapely.affinity.rotate(shapely.box(x, y, x + 200, y + 200), draw(angle), origin=(x, y))
    elif kind == "hole":
        shape = shapely.box(-200, -200, 200, 200).difference(shapely.box(x, y, x + 8, y + 8))
    elif kind == "star":
        t = np.linspace(0, 2 * np.pi, 17)[:-1]
        r = np.where(np.arange(16) % 2, 6.0, 30.0)
        shape = shapely.Polygon(np.c_[x + r * np.cos(t), y + r * np.sin(t)])
    else:
        shape = shapely.union(shapely.box(x - 100, y - 100, x, y), shapely.box(x + 3, y - 100, x + 100, y))
    return shapely.affinity.translate(shape, X0, Y0)


@settings(max_examples=300, deadline=None)
@given(st.lists(footprint(), min_size=1, max_size=8), st.lists(area(), min_size=1, max_size=4))
def test_every_pair_measures_as_geos_does(houses, areas):
    geoms, polygons = np.array(houses, dtype=object), np.array(areas, dtype=object)
    g, p = _pairs(geoms, polygons)
    np.testing.assert_allclose(shared_areas(geoms, polygons, g, p), _geos(geoms, polygons, g, p), atol=1e-6)


def test_a_boundary_along_a_wall_or_through_a_corner_gives_all_or_nothing():
    house = shapely.box(X0, Y0, X0 + 10, Y0 + 10)
    left, right = shapely.box(X0 - 100, Y0 - 100, X0, Y0 + 100), shapely.box(X0, Y0 - 100, X0 + 100, Y0 + 100)
    corner = shapely.Polygon([(X0 + 10, Y0 - 100), (X0 + 200, Y0 - 100), (X0 + 200, Y0 + 100), (X0 - 90, Y0 + 100)])
    geoms, polygons = np.array([house], dtype=object), np.array([left, right, corner], dtype=object)
    got = shared_areas(geoms, polygons, np.zeros(3, dtype=int), np.arange(3))
    np.testing.assert_allclose(got, [0.0, 100.0, _geos(geoms, polygons, [0], [2])[0]], atol=1e-9)


@pytest.mark.skipif(not SUZHOU.exists(), reason="needs ../shared/data/suzhou beside the project")
def test_real_footprints_against_irregular_cells():
    houses = gpd.read_file(SUZHOU, engine="pyogrio").to_crs("EPSG:4528")  # CGCS2000 / 3-degree Gauss–Krüger zone 40
    geoms = np.asarray(houses.geometry.array, dtype=object)
    seeds = shapely.points(np.random.default_rng(7).uniform(*shapely.total_bounds(geoms).reshape(2, 2), (400, 2)))
    cells = np.asarray(shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds))), dtype=object)
    g, p = _pairs(geoms, cells)
    cut = np.bincount(g, minlength=len(geoms))[g] > 1
    assert cut.sum() > 500  # the cells' edges cross hundreds of real houses
    np.testing.assert_allclose(shared_areas(geoms, cells, g, p), _geos(geoms, cells, g, p), atol=1e-6)
