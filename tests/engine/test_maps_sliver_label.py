"""A district map names every small area with its number and population, slivers too: one 1.8 m wide and 20 m² (as
the generated county leaves one) holds them on a 1:500 enlargement; a thread 0.4 m wide across the grain holds them
at no scale, and has them beside it on the 1:500 enlargement with a leader line to it. Read back with
``pdftotext -bbox``."""

from __future__ import annotations

import re
import subprocess

import geopandas as gpd
import pytest
import shapely
import shapely.affinity

from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.maps.district import plan_district
from gis_census.project import CensusProject, ProjectMeta

CRS = "EPSG:4527"
X0, Y0 = 39_500_000.0, 4_000_000.0
PT = 72 / 25.4
DISTRICT = "370481102001"
#: a sliver 11 m by 1.8 m (20 m², nobody in it) and a thread 30 m by 0.4 m at 45°, inside two large areas
SLIVER = shapely.box(X0 + 700, Y0 + 500, X0 + 711, Y0 + 501.8)
THREAD = shapely.affinity.rotate(shapely.box(X0 + 285, Y0 + 300, X0 + 315, Y0 + 300.4), 45.0)


@pytest.fixture(scope="module")
def project() -> CensusProject:
    west = shapely.box(X0, Y0, X0 + 500, Y0 + 1000) - THREAD
    east = shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 1000) - SLIVER
    district = gpd.GeoDataFrame({"code": [DISTRICT], "name": ["东关社区居委会"]},
                                geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)], crs=CRS)
    areas = gpd.GeoDataFrame({"code": [DISTRICT + s for s in ("001", "002", "003", "004")], "district_code": DISTRICT,
                              "seq": ["001", "002", "003", "004"], "population": [300, 280, 0, 0],
                              "households": [100, 90, 0, 0]}, geometry=[west, east, SLIVER, THREAD], crs=CRS)
    meta = ProjectMeta(township_code="370481102", township_name="白坡镇", crs=CRS)
    return CensusProject(meta, {"villages": district, "districts": district.assign(village_code=district["code"]),
                                "small_areas": areas})


def _words(pdf, page: int, height_mm: float) -> list[tuple[str, float, float, float, float]]:
    """The words of page `page` (1-based): text and box (x0, y0, x1, y1) in page mm, origin bottom left."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, float(x0) / PT, height_mm - float(y1) / PT, float(x1) / PT, height_mm - float(y0) / PT)
            for x0, y0, x1, y1, text in found]


def _ground(t, x: float, y: float) -> shapely.Point:
    return shapely.Point(t.gx + (x - t.px) / t.mm_per_m, t.gy + (y - t.py) / t.mm_per_m)


def _leader_ends(spec) -> set[tuple[float, float]]:
    leaders = [p for p in spec.paths if p.edge == "#333333" and abs(p.lw - 0.12) < 1e-9]
    return {(round(float(x), 2), round(float(y), 2)) for p in leaders for x, y in p.vertices}


def test_both_slivers_have_their_number_and_population_on_the_district_map(project, tmp_path):
    ctx = MapContext(project, "zh")
    plan = plan_district(ctx, 0)
    assert plan.left == [] and plan.enlargements, "the slivers need enlargements at 1:10,000"
    [pdf] = make_maps(project, tmp_path, "district", district=DISTRICT, workers=1, lang="zh")
    sheets = [(plan.layout, plan.transform, plan.pages[0])]
    sheets += [(page.layout, page.transform, page.pages[0]) for page in plan.enlargements]
    found = {}
    for n, (layout, t, spec) in enumerate(sheets, start=1):
        words = _words(pdf, n, layout.height)
        ends = _leader_ends(spec)
        for seq, land in (("003", SLIVER), ("004", THREAD)):
            for word in (w for w in words if w[0] == seq):
                x, y = (word[1] + word[3]) / 2, (word[2] + word[4]) / 2
                below = [w for w in words if w[0] == "0人" and abs((w[1] + w[3]) / 2 - x) < 2.0 and 0 < y - w[4] < 2.5]
                assert below, (n, seq)  # the population under the number
                if land.contains(_ground(t, x, y)):
                    found[seq] = ("inside", layout.denominator)
                    continue
                # beside the sliver: a leader line from a point of it to the label
                [label] = [lb for lb in plan_labels(plan, n) if lb.text.startswith(seq + "\n")]
                assert label.anchor is not None and land.buffer(1e-6).contains(_ground(t, *label.anchor)), (n, seq)
                assert (round(label.anchor[0], 2), round(label.anchor[1], 2)) in ends, (n, seq)
                assert not shapely.intersects(land, shapely.box(*_ground(t, word[1], word[2]).coords[0],
                                                               *_ground(t, word[3], word[4]).coords[0])), (n, seq)
                found[seq] = ("led", layout.denominator)
    assert found == {"003": ("inside", 500), "004": ("led", 500)}


def plan_labels(plan, n: int):
    return plan.labels if n == 1 else plan.enlargements[n - 2].labels
