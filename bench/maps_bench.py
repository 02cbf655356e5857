"""Speed of the PDF maps: an atlas of 100 small-area maps of the sample township, in one process and in parallel.

Run: .venv/bin/python bench/maps_bench.py [--maps 100] [--workers 2] [--keep DIR]

The sample township is divided and coded on a copy first (as `gis-census divide` and
`gis-census code` would). Prints, for each run: pages, maps, seconds, pages/s, maps/s,
ms per page, and the size of the PDF.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from gis_census.divide import divide_project
from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "demo_township.gpkg"


def coded_copy(folder: Path) -> CensusProject:
    copy = folder / "township.gpkg"
    shutil.copy(SAMPLE, copy)
    project = CensusProject.open(copy)
    divide_project(project)
    assign_codes(project)
    project.save()
    return project


def run(project, out: Path, codes: list[str], workers: int) -> None:
    from pypdf import PdfReader

    start = time.perf_counter()
    files = make_maps(project, out, "small-area", small_area=codes, one_file=True, workers=workers)
    seconds = time.perf_counter() - start
    pages = len(PdfReader(files[0]).pages)
    size = files[0].stat().st_size
    print(f"workers {workers}: {len(codes)} maps, {pages} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s, "
          f"{len(codes) / seconds:.1f} maps/s, {1000 * seconds / pages:.0f} ms/page, "
          f"{size / 1e6:.2f} MB ({size / pages / 1e3:.0f} kB/page)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        project = coded_copy(folder)
        print(f"divide + code: {time.perf_counter() - start:.1f} s")
        areas = project["small_areas"]
        codes = sorted(areas.loc[~areas.geometry.isna() & ~areas.geometry.is_empty, "code"])[:args.maps]
        start = time.perf_counter()
        MapContext(project)
        print(f"prepare (font subset, indexes): {time.perf_counter() - start:.2f} s")
        for workers in (1, args.workers):
            out = args.keep / f"w{workers}" if args.keep else folder / f"w{workers}"
            run(project, out, codes, workers)


if __name__ == "__main__":
    main()
