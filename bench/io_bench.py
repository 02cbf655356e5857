"""Open and save times of a county-size project (≈7,000 small areas, ≈200,000 buildings).

Run: .venv/bin/python bench/io_bench.py [--repeat 3] [--keep DIR]
Prints the generator's time, the file size, and the best and median open and save times.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gis_census.demo import make_county
from gis_census.demo_project import county_project
from gis_census.project import CensusProject
from timing import timed  # bench/timing.py



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

    saves = timed(lambda: project.save(path), args.repeat)
    print(f"file size             {path.stat().st_size / 2**20:7.1f} MiB")
    opens = timed(lambda: CensusProject.open(path), args.repeat)
    for label, times in (("save (atomic)", saves), ("open", opens)):
        print(f"{label:<21} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s   ({len(times)} runs)")


if __name__ == "__main__":
    main()
