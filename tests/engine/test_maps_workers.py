"""Maps planned in worker processes: each worker is sent the part of the project its maps show, and the
atlas it draws is the one this process draws."""

from __future__ import annotations

import pickle
import re
import subprocess

import numpy as np
import pytest
import shapely
from pypdf import PdfReader

from gis_census.maps import make_maps
from gis_census.maps.atlas import plan_documents
from gis_census.maps.context import MapContext
from gis_census.maps.jobs import MapJob, MapMaker, worker_payload
from gis_census.project import CensusProject
from samples import coded_sample

DISTRICTS = ["370481102001", "370481102203"]  # the town centre and a village


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> CensusProject:
    return coded_sample(tmp_path_factory.mktemp("workers"), DISTRICTS)


@pytest.fixture(scope="module")
def ctx(project) -> MapContext:
    return MapContext(project, "zh")


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def test_a_context_pickles_whole(ctx):
    again = pickle.loads(pickle.dumps(ctx))
    for name in ("areas", "buildings", "districts", "roads", "water", "landmarks"):
        mine, theirs = getattr(ctx, name), getattr(again, name)
        assert shapely.equals_exact(mine.geoms, theirs.geoms, tolerance=0).all(), name
        assert mine.attrs.keys() == theirs.attrs.keys()
        rect = shapely.bounds(shapely.union_all(ctx.areas.geoms[:3])) if len(ctx.areas) else (0, 0, 1, 1)
        assert np.array_equal(mine.query(rect), theirs.query(rect)), name
    assert (again.regular, again.bold, again.lang) == (ctx.regular, ctx.bold, ctx.lang)


def test_a_worker_gets_what_its_maps_show_and_list(ctx):
    [doc] = plan_documents(ctx, "atlas", DISTRICTS[1])
    maker = MapMaker(ctx, "A4")
    payload, jobs = worker_payload(ctx, "A4", doc.jobs, maker.by_area)
    there = pickle.loads(payload)
    assert len(there.ctx.buildings) < len(ctx.buildings) and len(there.ctx.areas) < len(ctx.areas)
    for job, theirs in zip(doc.jobs, jobs):  # renumbered for the part sent: the same features
        layer = "areas" if job.kind == "small_area" else "districts"
        assert getattr(there.ctx, layer)["code"][theirs.row] == getattr(ctx, layer)["code"][job.row]
    mine = ctx.areas["district_code"] == DISTRICTS[1]
    assert sorted(there.ctx.areas["code"][there.ctx.areas["district_code"] == DISTRICTS[1]]) == sorted(ctx.areas["code"][mine])
    codes = set(ctx.areas["code"][mine])
    assert all(there.counts.get(c, 0) == maker.counts.get(c, 0) for c in codes)  # every building the maps list
    assert [len(there.pages(j)) for j in jobs[:3]] == [len(maker.pages(j)) for j in doc.jobs[:3]]


def test_a_township_index_sends_the_whole_project(ctx):
    payload, jobs = worker_payload(ctx, "A4", [MapJob("township")], MapMaker(ctx, "A4").by_area)
    assert len(pickle.loads(payload).ctx.buildings) == len(ctx.buildings) and jobs == [MapJob("township")]


def test_two_workers_draw_the_atlas_one_draws_each_page_numbered(project, tmp_path):
    [one] = make_maps(project, tmp_path / "one", "atlas", district=DISTRICTS, workers=1, lang="zh")
    [two] = make_maps(project, tmp_path / "two", "atlas", district=DISTRICTS, workers=2, lang="zh")
    a, b = PdfReader(one), PdfReader(two)
    assert len(a.pages) == len(b.pages) > len(_outline(a)) // 2
    assert _outline(a) == _outline(b)
    texts = [subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, text=True, check=True).stdout
             for f in (one, two)]
    assert texts[0] == texts[1]
    total = len(b.pages)  # numbered part by part as the parts come, the total written at the end
    for n, page in enumerate(texts[1].split("\f")[:total], start=1):
        assert re.findall(r"第(\d+)页/共(\d+)页", page.replace(" ", "")) == [(str(n), str(total))], n
    assert subprocess.run(["qpdf", "--check", str(two)], capture_output=True).returncode == 0
