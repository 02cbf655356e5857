"""Map jobs: planning and drawing maps into one PDF part, in this process or in a worker process.

A worker receives once, in its initializer, a :class:`MapMaker` over the part of the project its
maps show (:func:`worker_payload`), then plans and draws the maps of each task it is given, so that
no page is planned in the main process and the pages are never pickled.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np
import shapely

from gis_census.maps.context import LAYERS, MapContext
from gis_census.maps.district import AREA_COLUMNS, plan_district
from gis_census.maps.overview import page_frame as overview_frame
from gis_census.maps.render import PageSpec, render_pages
from gis_census.maps.small_area import page_frame as small_area_frame
from gis_census.maps.small_area import plan_small_area, settled_part
from gis_census.maps.township import plan_township

__all__ = ["MapJob", "MapMaker", "worker_payload", "init_worker", "draw_task"]


class MapJob(NamedTuple):
    """One map to plan and draw: `kind` "township", "district" or "small_area", and `row`, the
    feature's index in its layer of the context (none for the township)."""

    kind: str
    row: int = -1


def _group(values: np.ndarray) -> dict[str, np.ndarray]:
    """Indices of `values` grouped by value, each group in ascending order."""
    order = np.argsort(values, kind="stable")
    keys, starts = np.unique(values[order], return_index=True)
    return {k: order[s:e] for k, s, e in zip(keys, starts, list(starts[1:]) + [len(order)])}


class MapMaker:
    """Plans and draws the maps of one :class:`MapContext` on one paper size."""

    def __init__(self, ctx: MapContext, paper: str):
        self.ctx, self.paper = ctx, paper
        self.by_area = _group(ctx.buildings["small_area_code"].astype(str))
        self.counts = {code: len(rows) for code, rows in self.by_area.items()}

    def __reduce__(self):
        return MapMaker, (self.ctx, self.paper)

    def pages(self, job: MapJob) -> list[PageSpec]:
        """The pages of the map `job`, laid out."""
        if job.kind == "small_area":
            return plan_small_area(self.ctx, job.row, self.paper, self.by_area).pages
        if job.kind == "district":
            return plan_district(self.ctx, job.row, self.paper, self.counts).pages
        return plan_township(self.ctx, self.paper).pages

    def draw(self, jobs: list[MapJob], out: str | os.PathLike, stop: Callable[[], bool] | None = None,
             done: Callable[[int], None] | None = None) -> list[int]:
        """Plan and draw the maps `jobs` into the PDF file `out`, each map's pages planned just before they
        are drawn; return each map's page count. `stop()`, asked before each map and each page, may end the file
        early (then there are fewer counts than jobs); `done(pages)` is told each map drawn."""
        counts: list[int] = []

        def stopped() -> bool:
            return stop is not None and stop()

        def specs() -> Iterator[PageSpec]:
            for job in jobs:
                if stopped():
                    return
                pages = self.pages(job)
                for page in pages:
                    if stopped():
                        return
                    yield page
                counts.append(len(pages))
                if done is not None:
                    done(len(pages))

        render_pages(specs(), out, self.ctx.regular, self.ctx.bold)
        return counts


def _kept(ctx: MapContext, paper: str, jobs: list[MapJob], by_area: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per layer, the sorted indices of the features the maps `jobs` show (those meeting their frames)
    or list (a small area's buildings, a district's small areas and their buildings)."""
    none = np.zeros(0, np.int64)
    rects = []
    owned: dict[str, list[np.ndarray]] = {name: [none] for name in LAYERS}
    for job in jobs:
        if job.kind == "small_area":
            mine = by_area.get(str(ctx.areas["code"][job.row]), none)
            layout, t = small_area_frame(ctx, job.row, paper, len(mine))
            focus = settled_part(ctx, mine)
            if focus is not None:  # the map may show only the buildings' extent, at a larger scale
                f_layout, f_t = small_area_frame(ctx, job.row, paper, len(mine), focus)
                rects.append(f_t.ground_rect(f_layout.map))
            owned["areas"].append(np.array([job.row]))
        else:
            areas = np.flatnonzero(ctx.areas["district_code"] == ctx.districts["code"][job.row])
            mine = np.concatenate([none, *(by_area.get(str(c), none) for c in ctx.areas["code"][areas])])
            layout, t = overview_frame(ctx.districts.geoms[job.row], paper, AREA_COLUMNS, len(areas))
            owned["areas"].append(areas)
            owned["districts"].append(np.array([job.row]))
        owned["buildings"].append(mine)
        rects.append(t.ground_rect(layout.map))
    frames = shapely.box(*np.array(rects).T)
    return {name: np.unique(np.concatenate([getattr(ctx, name).tree.query(frames, predicate="intersects")[1],
                                            *owned[name]]))
            for name in LAYERS}


def worker_payload(ctx: MapContext, paper: str, jobs: list[MapJob],
                   by_area: dict[str, np.ndarray]) -> tuple[bytes, list[MapJob]]:
    """A :class:`MapMaker` over the features the maps `jobs` show (all of them when the township
    index map is among them), pickled once for every worker, and `jobs` renumbered for it."""
    if any(job.kind == "township" for job in jobs):
        return pickle.dumps(MapMaker(ctx, paper), protocol=pickle.HIGHEST_PROTOCOL), jobs
    keep = _kept(ctx, paper, jobs, by_area)
    part = MapMaker(ctx.subset(keep), paper)
    layer = {"small_area": "areas", "district": "districts"}
    renumbered = [MapJob(job.kind, int(np.searchsorted(keep[layer[job.kind]], job.row))) for job in jobs]
    return pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), renumbered


_MAKER: MapMaker | None = None  # a worker's maker, set once by init_worker


def init_worker(payload: bytes) -> None:
    """Worker initializer: unpickle the maker every task of this worker uses."""
    global _MAKER
    _MAKER = pickle.loads(payload)


def draw_task(task) -> list[int]:
    """Worker entry: (jobs, part file, cancel file) -> each map's page count. The worker stops before
    the next map, or the next page, once the cancel file exists."""
    jobs, out, cancel_file = task
    assert _MAKER is not None, "draw_task runs in a worker started with init_worker"
    return _MAKER.draw(jobs, out, stop=lambda: os.path.exists(cancel_file))
