"""How much of the printed division survives a change after the pre-count walk: `divide --update` against the
old way (re-divide the district, then `code`).

Run: .venv/bin/python bench/divide_update_bench.py [--people 150] [--district CODE ...]

The sample township is divided and numbered (the maps the enumerators hold). For each district in turn, its
small area nearest the target gains --people people in its 3 most populous buildings (the walk found new
residents), which pushes it out of the band; then the township is brought back by each way. Printed per case
and in all: small areas keeping their code and their land, buildings keeping their (area, number), seconds.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shapely  # noqa: E402

from gis_census.divide import divide_and_number  # noqa: E402
from gis_census.divide.update import update_division  # noqa: E402
from gis_census.numbering import assign_codes  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo_township.gpkg"


def _copy(project: CensusProject) -> CensusProject:
    out = copy.copy(project)
    out.layers = {name: layer.copy() for name, layer in project.layers.items()}
    return out


def walked(project: CensusProject, district: str, people: int) -> CensusProject:
    out = _copy(project)
    areas, buildings = out["small_areas"], out["buildings"]
    mine = areas[areas["district_code"] == district]
    area = mine["code"].iat[int((mine["population"] - 300).abs().to_numpy().argmin())]
    rows = buildings[buildings["small_area_code"] == area].sort_values(["population", "id"], ascending=False).index[:3]
    buildings.loc[rows, "population"] += [people // 3 + (k < people % 3) for k in range(len(rows))]
    return out


def old_way(project: CensusProject, district: str) -> None:
    divide_and_number(project, [district])
    assign_codes(project)


def kept(before: CensusProject, after: CensusProject, district: str) -> tuple[int, int, int, int, int]:
    """(areas, keeping their code, keeping code and land, buildings, keeping area and number) in `district`."""
    a0, a1 = (p["small_areas"][p["small_areas"]["district_code"] == district] for p in (before, after))
    g0, g1 = dict(zip(a0["code"], a0.geometry)), dict(zip(a1["code"], a1.geometry))
    same_land = sum(shapely.equals_exact(g0[c], g1[c], 0) for c in set(g0) & set(g1))
    b0 = before["buildings"][before["buildings"]["district_code"] == district].set_index("id")
    b1 = after["buildings"].set_index("id").reindex(b0.index)
    same = int(((b0["small_area_code"] == b1["small_area_code"]) & (b0["number"] == b1["number"])).sum())
    return len(g0), len(set(g0) & set(g1)), same_land, len(b0), same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--district", nargs="+")
    args = parser.parse_args()
    printed = CensusProject.open(SAMPLE)
    divide_and_number(printed)
    districts = args.district or sorted(printed["districts"]["code"])
    totals = {"old": [0] * 5, "update": [0] * 5}
    print("district      way     s     areas  code kept  code+land kept  buildings  (area, number) kept")
    for district in districts:
        for way in ("old", "update"):
            project = walked(printed, district, args.people)
            start = time.perf_counter()
            old_way(project, district) if way == "old" else update_division(project)
            seconds = time.perf_counter() - start
            figures = kept(printed, project, district)
            totals[way] = [t + f for t, f in zip(totals[way], figures)]
            n, code, land, nb, same = figures
            print(f"{district}  {way:<6} {seconds:5.2f}  {n:5}  {code:9}  {land:14}  {nb:9}  {same:6} ({same / nb:.0%})")
    for way, (n, code, land, nb, same) in totals.items():
        print(f"in all  {way:<6}  areas {n}: code kept {code} ({code / n:.0%}), code and land kept {land} ({land / n:.0%}); "
              f"buildings {nb}: (area, number) kept {same} ({same / nb:.0%})")


if __name__ == "__main__":
    main()
