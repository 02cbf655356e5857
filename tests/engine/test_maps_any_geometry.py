"""Maps draw any valid geometry: a small area with three 1e-8 m² sliver holes that GEOS's rectangle clip refuses."""

from __future__ import annotations

import subprocess

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pypdf import PdfReader

from gis_census.maps import make_maps
from gis_census.maps.body import clip_to_rect
from gis_census.maps.context import MapContext
from gis_census.maps.small_area import page_frame, plan_small_area
from gis_census.project import CensusProject, ProjectMeta

CRS = "EPSG:4527"
X0, Y0 = 39_500_000.0, 4_000_000.0
DISTRICT = shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)
CENTRE = shapely.box(X0 + 450, Y0 + 450, X0 + 550, Y0 + 550)  # small area 001
#: Small area 002: the district around 001, with three 1 m slivers 2e-8 m wide (1e-8 m² each, as unions
#: leave them) whose tips lie 1 mm inside the left, right and top edges of 001's map frame.
SLIVER_HOLES_WKT = (
    "POLYGON ((39501000 4000000, 39501000 4001000, 39500000 4001000, 39500000 4000000, 39501000 4000000), "
    "(39500550 4000450, 39500450 4000450, 39500450 4000550, 39500550 4000550, 39500550 4000450), "
    "(39500420.001 4000500.3, 39500419.001 4000500.3, 39500419.501 4000500.29999998, 39500420.001 4000500.3), "
    "(39500579.999 4000480.7, 39500580.999 4000480.7, 39500580.499 4000480.70000002, 39500579.999 4000480.7), "
    "(39500520.1 4000605.249, 39500520.1 4000606.249, 39500520.09999998 4000605.749, 39500520.1 4000605.249))"
)
#: The ground rectangle of 001's A4 map frame (1:1,000).
FRAME_001 = (39500420.0, 4000394.75, 39500580.0, 4000605.25)


@pytest.fixture(scope="module")
def sliver_holes():
    geom = shapely.from_wkt(SLIVER_HOLES_WKT)
    assert geom.is_valid
    holes = [shapely.area(shapely.Polygon(ring)) for ring in geom.interiors[1:]]
    assert holes == pytest.approx([1e-8] * 3, rel=0.15)
    try:
        shapely.clip_by_rect(geom, *FRAME_001)
    except shapely.errors.GEOSException as exc:
        assert "LinearRing" in str(exc)
    else:
        pytest.skip(f"GEOS {shapely.geos_version_string} clips it: nothing to guard against here")
    return geom


@pytest.fixture(scope="module")
def project(sliver_holes) -> CensusProject:
    villages = gpd.GeoDataFrame({"code": ["370481102001"], "name": ["东关社区居委会"]}, geometry=[DISTRICT], crs=CRS)
    areas = gpd.GeoDataFrame({"code": ["370481102001001", "370481102001002"], "district_code": "370481102001",
                              "seq": ["001", "002"], "population": [300, 280], "households": [100, 90]},
                             geometry=[CENTRE, sliver_holes], crs=CRS)
    meta = ProjectMeta(township_code="370481102", township_name="白坡镇", crs=CRS)
    return CensusProject(meta, {"villages": villages, "districts": villages.assign(village_code=villages["code"]),
                                "small_areas": areas})


def test_the_clip_keeps_all_the_land_and_the_holes(sliver_holes):
    [clipped] = clip_to_rect(np.array([sliver_holes]), FRAME_001)
    expected = shapely.intersection(sliver_holes, shapely.box(*FRAME_001))
    assert clipped.is_valid and clipped.area == pytest.approx(expected.area, abs=1e-6)
    assert shapely.symmetric_difference(clipped, expected).area < 1e-6


def test_the_neighbours_map_draws_it(project, sliver_holes):
    ctx = MapContext(project, "zh")
    layout, t = page_frame(ctx, 0, "A4", 0)
    assert t.ground_rect(layout.map) == pytest.approx(FRAME_001), "the layout changed: move the holes onto the new frame"
    plan = plan_small_area(ctx, 0)
    assert [lb.text for lb in plan.labels if lb.role == "neighbour"] == ["370481102001002"]


def test_the_atlas_draws_it(project, tmp_path):
    [atlas] = make_maps(project, tmp_path, "atlas", workers=1, lang="zh")
    assert len(PdfReader(atlas).pages) == 4  # index, district, 001, 002
    text = subprocess.run(["pdftotext", str(atlas), "-"], capture_output=True, text=True, check=True).stdout
    assert "370481102001001" in text and "370481102001002" in text
