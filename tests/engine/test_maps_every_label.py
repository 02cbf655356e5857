"""Every number on the page where the houses crowd: the sample's farmland triangle with its houses in one corner
(area 006 of 西关, some 75 buildings) and the town centre's district map, read back from the PDF with ``pdftotext -bbox``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely

from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.maps.district import plan_district
from gis_census.maps.small_area import plan_small_area
from samples import coded_sample

PT = 72 / 25.4
CLUSTER = "370481102001006"  # the farmland triangle, its houses in the town's corner
TOWN = "370481102001"  # 西关: the town centre's district


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return coded_sample(tmp_path_factory.mktemp("every_label"))


@pytest.fixture(scope="module")
def ctx(project):
    return MapContext(project, "zh")


def _words(pdf: Path, page: int, height_mm: float) -> list[tuple[str, float, float, float, float]]:
    """The words of page `page` (1-based): text and box (x0, y0, x1, y1) in page mm, origin bottom left."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, float(x0) / PT, height_mm - float(y1) / PT, float(x1) / PT, height_mm - float(y0) / PT)
            for x0, y0, x1, y1, text in found]


def _in_frame(words, frame):
    return [w for w in words if frame.x <= (w[1] + w[3]) / 2 <= frame.x1 and frame.y <= (w[2] + w[4]) / 2 <= frame.y1]


def _ground(t, x: float, y: float) -> shapely.Point:
    return shapely.Point(t.gx + (x - t.px) / t.mm_per_m, t.gy + (y - t.py) / t.mm_per_m)


def _overlaps(a, b, tol: float = 0.15) -> bool:
    return a[1] + tol < b[3] and b[1] + tol < a[3] and a[2] + tol < b[4] and b[2] + tol < a[4]


def _leader_ends(spec) -> set[tuple[float, float]]:
    """The ends of the leader lines drawn on a page (rounded to 0.01 mm)."""
    leaders = [p for p in spec.paths if p.edge == "#333333" and abs(p.lw - 0.12) < 1e-9]
    return {(round(float(x), 2), round(float(y), 2)) for p in leaders for x, y in p.vertices}


def test_the_farmland_cluster_numbers_every_building_inside_it_or_led_to_it(project, ctx, tmp_path):
    i = int(np.flatnonzero(ctx.areas["code"] == CLUSTER)[0])
    mine = np.flatnonzero(ctx.buildings["small_area_code"] == CLUSTER)
    assert len(mine) > 60  # a cluster of some 75 houses (how many depends on where divide draws the lines)
    plan = plan_small_area(ctx, i)
    assert plan.unplaced == [] and plan.enlargements, "the town corner needs an enlargement at 1:25,000"
    [pdf] = make_maps(project, tmp_path, "small-area", small_area=CLUSTER, workers=1, lang="zh")
    sheets = [(plan.layout, plan.transform, plan.pages[0], plan.labels)]
    sheets += [(page.layout, page.transform, page.spec, page.labels) for page in plan.enlargements]
    footprint = {str(int(ctx.buildings["number"][b])): ctx.buildings.geoms[b] for b in mine}
    seen = set()
    for n, (layout, t, spec, labels) in enumerate(sheets, start=1):
        words = _in_frame(_words(pdf, n, layout.height), layout.map)
        numbers = [w for w in words if w[0] in footprint]
        ends = _leader_ends(spec)
        placed = {lb.text: lb for lb in labels if lb.role == "building"}
        for word in numbers:
            text, x, y = word[0], (word[1] + word[3]) / 2, (word[2] + word[4]) / 2
            label = placed[text]
            assert abs(label.x - x) < 1.0 and abs(label.y - y) < 1.0, (n, text)  # the PDF shows the plan
            if not footprint[text].contains(_ground(t, x, y)):
                assert label.anchor is not None and footprint[text].contains(_ground(t, *label.anchor)), (n, text)
                assert (round(label.anchor[0], 2), round(label.anchor[1], 2)) in ends, (n, text)
            others = [w for w in words if w is not word]
            assert not any(_overlaps(word, other) for other in others), (n, text)
            seen.add(text)
        houses = shapely.transform(np.array(list(footprint.values())), t)
        for code in (w for w in words if re.fullmatch(r"\d{15}", w[0])):  # neighbours' codes keep off the houses
            assert not shapely.intersects(shapely.box(*code[1:]), houses).any(), (n, code[0])
    assert seen == set(footprint)


def test_the_town_district_names_every_area_with_its_population_inside_it(project, ctx, tmp_path):
    j = int(np.flatnonzero(ctx.districts["code"] == TOWN)[0])
    areas = np.flatnonzero(ctx.areas["district_code"] == TOWN)
    plan = plan_district(ctx, j)
    assert plan.left == [] and plan.enlargements, "the town centre needs an enlargement at 1:25,000"
    [pdf] = make_maps(project, tmp_path, "district", district=TOWN, workers=1, lang="zh")
    sheets = [(plan.layout, plan.transform)] + [(page.layout, page.transform) for page in plan.enlargements]
    land = {str(ctx.areas["seq"][a]): ctx.areas.geoms[a] for a in areas}
    people = {str(ctx.areas["seq"][a]): f"{int(ctx.areas['population'][a])}人" for a in areas}
    complete = set()
    for n, (layout, t) in enumerate(sheets, start=1):
        words = _in_frame(_words(pdf, n, layout.height), layout.map)
        for word in (w for w in words if w[0] in land):
            seq, x, y = word[0], (word[1] + word[3]) / 2, (word[2] + word[4]) / 2
            assert land[seq].contains(_ground(t, x, y)), (n, seq)
            assert not any(_overlaps(word, other) for other in words if other is not word), (n, seq)
            below = [w for w in words if w[0] == people[seq] and abs((w[1] + w[3]) / 2 - x) < 2.0 and 0 < y - w[4] < 2.5]
            if below:
                assert land[seq].contains(_ground(t, (below[0][1] + below[0][3]) / 2, (below[0][2] + below[0][4]) / 2))
                complete.add(seq)
    assert complete == set(land)


def test_each_page_of_a_map_of_several_pages_is_numbered_at_its_foot(project, tmp_path):
    [pdf] = make_maps(project, tmp_path, "small-area", small_area=CLUSTER, workers=1, lang="zh")
    total = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout).group(1))
    assert total > 2  # the map, its enlargement, the building list
    for n in range(1, total + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-y", "780", "-H", "62", "-W", "600",
                               str(pdf), "-"], capture_output=True, text=True).stdout
        assert f"第{n}页/共{total}页" in text.replace(" ", ""), n
