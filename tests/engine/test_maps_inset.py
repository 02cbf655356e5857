"""The overview inset never hides a building of the page's own area: on every page of the sample atlas that has one,
and, where every place in the frame would hide one, in the legend's place under the frame."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_census.maps.context import MapContext
from gis_census.maps.district import plan_district
from gis_census.maps.inset import inset_box
from gis_census.maps.jobs import MapMaker
from gis_census.maps.layout import Box
from gis_census.maps.small_area import plan_small_area
from samples import coded_sample


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return MapContext(coded_sample(tmp_path_factory.mktemp("inset")), "zh")


def _inset_pages(ctx):
    """(name, frame, transform, inset box, own footprints) of every atlas page with an inset."""
    maker = MapMaker(ctx, "A4")
    for i in range(len(ctx.areas)):
        code = str(ctx.areas["code"][i])
        plan = plan_small_area(ctx, i, "A4", maker.by_area)
        own = ctx.buildings.geoms[ctx.buildings["small_area_code"] == code]
        yield code, plan.layout.map, plan.transform, plan.inset, own, plan.pages[0]
        for n, page in enumerate(plan.enlargements, start=1):
            yield f"{code} 放大图{n}", page.layout.map, page.transform, page.inset, own, page.spec
    for j in range(len(ctx.districts)):
        code = str(ctx.districts["code"][j])
        plan = plan_district(ctx, j, "A4", maker.counts)
        own = ctx.buildings.geoms[np.isin(ctx.buildings["small_area_code"],
                                          ctx.areas["code"][ctx.areas["district_code"] == code])]
        for n, page in enumerate(plan.enlargements, start=1):
            yield f"{code} 放大图{n}", page.layout.map, page.transform, page.inset, own, page.pages[0]


def test_no_inset_of_the_sample_atlas_hides_a_building_of_its_page(ctx):
    seen = 0
    for name, frame, t, box, own, spec in _inset_pages(ctx):
        if box is None:
            continue
        seen += 1
        assert any(p.z == 10.0 and p.face == "white" and np.allclose(p.vertices.min(axis=0), (box.x, box.y), atol=1e-3)
                   for p in spec.paths), name  # the page draws the inset planned
        drawn = shapely.clip_by_rect(shapely.transform(own, t), frame.x, frame.y, frame.x1, frame.y1)
        hidden = shapely.intersects(shapely.box(box.x, box.y, box.x1, box.y1), drawn)
        assert not hidden.any(), (name, int(hidden.sum()))
        assert frame.contains(box), name  # the sample's insets all find room in their frames
    assert seen > 30  # the farmland clusters' main maps and the enlargements (44 when written)


def test_where_every_place_hides_a_building_the_inset_goes_to_the_legend():
    frame, spare = Box(35.0, 60.0, 160.0, 200.0), Box(35.5, 33.0, 80.0, 21.0)
    houses = np.array([shapely.box(x, y, x + 6.0, y + 4.0) for x in np.arange(35.0, 195.0, 8.0)
                       for y in np.arange(60.0, 260.0, 6.0)])  # a town at 1:500: a house every 8 mm × 6 mm
    area = shapely.box(0.0, 0.0, 800.0, 500.0)
    box, _ = inset_box(frame, area, np.zeros((0, 2)), houses, spare)
    assert spare.contains(box) and not shapely.intersects(shapely.box(box.x, box.y, box.x1, box.y1), houses).any()
    free = houses[(shapely.bounds(houses)[:, 0] > 100.0) | (shapely.bounds(houses)[:, 1] < 150.0)]  # upper left free
    box, _ = inset_box(frame, area, np.zeros((0, 2)), free, spare)
    assert frame.contains(box) and box.x == frame.x and box.y1 == pytest.approx(frame.y1)
    assert not shapely.intersects(shapely.box(box.x, box.y, box.x1, box.y1), free).any()
