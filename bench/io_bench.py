"""Open, save and list-writing times of a county-size project (≈7,000 small areas, ≈200,000 buildings).

Run: .venv/bin/python bench/io_bench.py [--repeat 3] [--keep DIR]
Prints the generator's time, the file size, and the best and median times of: a save of the whole file
(a new project, or Save As: written beside the target and renamed over it), opening, a save into the
opened file after a one-area edit (in place: only the small_areas layer and the settings are written),
and the county's area and building lists as one workbook (.xlsx) and as two .csv files. The workbook's CPU time
(time.process_time) is printed too: on a machine shared with other jobs it moves less than the wall time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's gis_census, not an installed one
from gis_census.demo import make_county  # noqa: E402
from gis_census.demo.project import county_project  # noqa: E402
from gis_census.lists import write_lists  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402
from timing import timed  # noqa: E402  (bench/timing.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the project here instead of a temporary folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="io_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "county.gpkg"

    start = time.perf_counter()
    project = county_project(make_county())
    print(f"generate county       {time.perf_counter() - start:7.2f} s")
    print("features             ", ", ".join(f"{name} {len(gdf):,}" for name, gdf in project.layers.items()))

    project.save(path)
    saves = timed(lambda: project.save_copy(path), args.repeat)  # the whole file, atomically replaced
    print(f"file size             {path.stat().st_size / 2**20:7.1f} MiB")
    opens = timed(lambda: CensusProject.open(path), args.repeat)
    opened = CensusProject.open(path)
    areas = opened.layers["small_areas"]
    small = int(areas.geometry.area.idxmin())
    shrink = iter([0.999 - i / 1000 for i in range(args.repeat)])

    def edit_one_area_and_save() -> None:
        areas.loc[small, "geometry"] = shapely.affinity.scale(areas.geometry.iloc[small], next(shrink), 1)
        opened.save()

    # One area's geometry changed between saves; the edit itself is inside the timing but costs microseconds.
    in_place = timed(edit_one_area_and_save, args.repeat)
    assert opened.stored_meta["saved_layers"] == "small_areas"
    workbook_cpu: list[float] = []

    def write_workbook() -> None:
        start = time.process_time()
        write_lists(project, folder / "county_lists.xlsx")
        workbook_cpu.append(time.process_time() - start)

    workbook = timed(write_workbook, args.repeat)
    csv = timed(lambda: write_lists(project, folder / "county_lists.csv"), args.repeat)
    for label, times in (("save whole file", saves), ("open", opens), ("save one-area edit", in_place),
                         ("county workbook .xlsx", workbook), ("  its CPU time", workbook_cpu), ("county lists .csv", csv)):
        print(f"{label:<21} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s   ({len(times)} runs)")
    print(f"one-area save vs whole file: {statistics.median(saves) / statistics.median(in_place):.1f}x faster")


if __name__ == "__main__":
    main()
