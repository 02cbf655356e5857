"""Divide and number as one job against the two steps it replaces (issue 12).

Run: .venv/bin/python bench/divide_job_bench.py [--repeat 3] [--districts 20] [--seed 2020]

`gis-census divide` used to run `divide_project` and then `assign_codes`, which located every building in
the township again (holding_index over all buildings and all areas) and recounted every area. The one job,
`divide_and_number`, locates the buildings near the new areas once and renames. Timed on two projects, each
run on a fresh copy: the sample township (every district) and the generated county (the first --districts
districts, the case of an office re-dividing a few villages of a large project). Best and median of
--repeat runs; the results of both paths are compared column by column.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gis_census.demo import make_county  # noqa: E402
from gis_census.demo.project import county_project  # noqa: E402
from gis_census.divide import divide_and_number, divide_project  # noqa: E402
from gis_census.numbering import assign_codes  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo_township.gpkg"


def two_steps(project, districts):
    results = divide_project(project, districts)
    assign_codes(project, [r.district_code for r in results])


def one_job(project, districts):
    divide_and_number(project, districts)


def run(name: str, fresh, districts, repeat: int) -> None:
    times = {}
    final = {}
    for label, job in (("divide, then number", two_steps), ("divide_and_number", one_job)):
        runs = []
        for _ in range(repeat):
            project = fresh()
            start = time.perf_counter()
            job(project, districts)
            runs.append(time.perf_counter() - start)
        times[label], final[label] = runs, project
    a, b = final.values()
    same = all(a[layer][cols].reset_index(drop=True).equals(b[layer][cols].reset_index(drop=True))
               for layer, cols in (("small_areas", ["code", "population", "households", "supervisor_group"]),
                                   ("buildings", ["small_area_code", "number"])))
    areas = int(a["small_areas"]["district_code"].isin(districts).sum())
    print(f"{name}: {len(districts)} districts, {areas} small areas after, {len(a['buildings']):,} buildings; "
          f"same result: {'yes' if same else 'NO'}")
    for label, runs in times.items():
        print(f"  {label:<22} best {min(runs):6.2f} s   median {statistics.median(runs):6.2f} s   ({len(runs)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()

    sample = CensusProject.open(SAMPLE)
    run("sample township", lambda: CensusProject.open(SAMPLE), list(sample["districts"]["code"]), args.repeat)
    county = make_county(seed=args.seed)
    codes = sorted(county_project(county)["districts"]["code"])[:args.districts]
    run("generated county", lambda: county_project(county), codes, args.repeat)


if __name__ == "__main__":
    main()
