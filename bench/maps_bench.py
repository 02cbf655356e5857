"""Speed of the PDF maps, in one process and in parallel: 100 small-area maps of the sample township, or a county atlas.

Run: .venv/bin/python bench/maps_bench.py [--maps 100 | --atlas] [--workers 2] [--repeat 1] [--keep DIR]
     .venv/bin/python bench/maps_bench.py --county [--maps N] [--workers 2] [--repeat 1]

Default mode: the sample township is divided and coded on a copy first (as `gis-census divide`
and `gis-census code` would), then its first --maps small areas are drawn into one file (--atlas: its whole atlas).
--county: the generated county (≈7,000 small areas, ≈200,000 buildings; its own small areas,
not divided again) and its whole atlas (7,412 maps, 11,375 pages: about three minutes a repeat), or with
--maps N an atlas of its first districts in code order, each district map followed by its small-area maps,
until N maps. The speed-up of the whole atlas is the issue's figure: on a part of a few hundred maps the
preparation this process does alone (≈0.2 s) and the first chunk's district map weigh more.

Before timing, the labels: for the sample township's (or the county's first township's) every small-area
map, the building numbers left off (those of buildings smaller than their number at 1:500 apart) and the
maps by scale; for every district map, the small areas without their number and population on any page.

Prints, for each run: pages, maps, seconds, pages/s, maps/s, ms per page, the size of the PDF and
the CPU time of this process (with workers: the part that does not run in parallel); then the
best pages/s of each worker count and the speed-up. The times are the whole of make_maps,
preparing the project included; on a shared machine, repeat and compare the best, and read the
speed-up against the machine's own (printed first: pure-CPU loops in 1 and N processes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's engine, also in the worker processes

from gis_census.divide import divide_project  # noqa: E402
from gis_census.maps import make_maps  # noqa: E402
from gis_census.maps.context import MapContext  # noqa: E402
from gis_census.numbering.codes import assign_codes  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402

SAMPLE = ROOT / "sample_data" / "demo_township.gpkg"


def coded_copy(folder: Path) -> CensusProject:
    copy = folder / "township.gpkg"
    shutil.copy(SAMPLE, copy)
    project = CensusProject.open(copy)
    divide_project(project)
    assign_codes(project)
    project.save()
    return project


def county(maps: int | None) -> tuple[CensusProject, list[str]]:
    """The generated county and its first districts holding `maps` maps (district and small-area maps; all
    its districts when None)."""
    from gis_census.demo import make_county
    from gis_census.demo.project import county_project

    project = county_project(make_county())
    districts = np.sort(project["districts"]["code"].to_numpy().astype(str))
    per_district = project["small_areas"]["district_code"].value_counts()
    sizes = np.array([1 + per_district.get(code, 0) for code in districts])
    chosen = list(districts if maps is None else districts[:int(np.searchsorted(np.cumsum(sizes), maps)) + 1])
    # The county demo keeps its 6-digit county code as the township code; a file of several districts'
    # maps is named by a township's 9 digits, here those of the first district's township.
    project.meta.township_code = chosen[0][:9]
    return project, chosen


def label_figures(project, districts: list[str] | None = None) -> None:
    """Print the labels left off the small-area and district maps of `districts` (all when None), as planned."""
    from collections import Counter

    from gis_census.maps.district import plan_district
    from gis_census.maps.jobs import MapMaker
    from gis_census.maps.small_area import plan_small_area

    ctx = MapContext(project, "zh")
    maker = MapMaker(ctx, "A4")
    chosen = np.isin(ctx.areas["district_code"].astype(str), districts) if districts else np.ones(len(ctx.areas), bool)
    scales: Counter[int] = Counter()
    buildings = left = tiny = pages = 0
    for i in np.flatnonzero(chosen & ~shapely.is_empty(ctx.areas.geoms)):
        plan = plan_small_area(ctx, int(i), "A4", maker.by_area)
        scales[plan.layout.denominator] += 1
        mine = maker.by_area.get(str(ctx.areas["code"][i]), np.zeros(0, np.int64))
        buildings, pages = buildings + len(mine), pages + len(plan.pages)
        off = mine[np.isin(ctx.buildings["number"][mine], plan.unplaced)]
        left += len(off)
        x0, y0, x1, y1 = shapely.bounds(ctx.buildings.geoms[off]).T
        wide = np.array([ctx.measure.width_mm(str(n), 6.0) for n in ctx.buildings["number"][off]]) / 2  # m at 1:500
        tiny += int(np.count_nonzero((x1 - x0 < wide) | (y1 - y0 < 1.5)))
    print(f"small-area maps: {sum(scales.values())} maps, {pages} pages; building numbers left off {left} of "
          f"{buildings} ({100 * left / max(buildings, 1):.2f} %; {tiny} of them on buildings smaller than their "
          "number at 1:500)")
    print("  by scale: " + ", ".join(f"1:{d:,} {n}" for d, n in sorted(scales.items())))
    d_rows = [j for j in range(len(ctx.districts)) if not districts or str(ctx.districts["code"][j]) in districts]
    areas = off_areas = d_pages = 0
    for j in d_rows:
        plan = plan_district(ctx, j, "A4", maker.counts)
        areas += int(np.count_nonzero(ctx.areas["district_code"] == ctx.districts["code"][j]))
        off_areas, d_pages = off_areas + len(plan.left), d_pages + len(plan.pages)
    print(f"district maps: {len(d_rows)} maps, {d_pages} pages; small areas without number and population "
          f"{off_areas} of {areas}")


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speed_up(workers: int, n: int = 10_000_000) -> float:
    """How much faster `workers` processes do `workers` pure-CPU loops than one process does them: what
    this machine gives now, to read the maps' speed-up against (a shared machine gives less than its cores)."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(workers):
        _spin(n)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_spin, [1] * workers))  # started before the clock
        start = time.perf_counter()
        list(pool.map(_spin, [n] * workers))
        many = time.perf_counter() - start
    return one / many


def run(project, out: Path, workers: int, **what) -> float:
    from pypdf import PdfReader

    start, cpu = time.perf_counter(), time.process_time()
    files = make_maps(project, out, workers=workers, lang="zh", **what)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    pages = len(PdfReader(files[0]).pages)
    maps = _bookmarks(files[0])
    size = files[0].stat().st_size
    print(f"workers {workers}: {maps} maps, {pages} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s, "
          f"{maps / seconds:.1f} maps/s, {1000 * seconds / pages:.0f} ms/page, "
          f"{size / 1e6:.2f} MB ({size / pages / 1e3:.0f} kB/page); this process's CPU {cpu:.2f} s", flush=True)
    return pages / seconds


def _bookmarks(path: Path) -> int:
    from pypdf import PdfReader

    def count(items) -> int:
        return sum(count(i) if isinstance(i, list) else 1 for i in items)

    return count(PdfReader(path).outline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", action="store_true", help="the generated county's atlas (--maps: its first districts)")
    parser.add_argument("--atlas", action="store_true", help="the sample township's whole atlas")
    parser.add_argument("--maps", type=int, help="maps to draw (default 100; the whole atlas with --county)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each worker count, alternating")
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        if args.county:
            project, districts = county(args.maps)
            what = {"kind": "atlas", "district": districts}
            print(f"county built: {time.perf_counter() - start:.1f} s; atlas of {len(districts)} districts")
        else:
            project = coded_copy(folder)
            print(f"divide + code: {time.perf_counter() - start:.1f} s")
            areas = project["small_areas"]
            codes = sorted(areas.loc[~areas.geometry.isna() & ~areas.geometry.is_empty, "code"])[:args.maps or 100]
            what = ({"kind": "atlas"} if args.atlas else
                    {"kind": "small-area", "small_area": codes, "one_file": True})
        label_figures(project, districts if args.county else None)
        start = time.perf_counter()
        MapContext(project)
        print(f"prepare (font subset, indexes): {time.perf_counter() - start:.2f} s")
        print(f"this machine now: {args.workers} processes do pure-CPU work ×{machine_speed_up(args.workers):.2f} "
              "as fast as one")
        speed: dict[int, list[float]] = {1: [], args.workers: []}
        for n in range(args.repeat):
            for workers in speed:
                out = (args.keep or folder) / f"w{workers}-{n}"
                speed[workers].append(run(project, out, workers, **what))
        best = {workers: max(runs) for workers, runs in speed.items()}
        print("best: " + ", ".join(f"{w} worker{'s' if w > 1 else ''} {s:.1f} pages/s" for w, s in best.items())
              + f"; speed-up ×{best[args.workers] / best[1]:.2f}")


if __name__ == "__main__":
    main()
