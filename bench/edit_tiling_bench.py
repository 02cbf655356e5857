"""Random vertex moves on the freshly divided sample: how many accepted moves open a gap (issue 11.5).

Run: .venv/bin/python bench/edit_tiling_bench.py [--moves 400] [--seed 1] [--divided /tmp/divided.gpkg]

Divides sample_data/demo_township.gpkg (or opens --divided when it exists, dividing and saving it there
otherwise), then tries `--moves` independent vertex moves on it: a random small area, a random vertex
(or, one time in four, the middle of an edge) of it, dragged by up to 8 m. Each accepted move is applied,
measured and undone. A move opens a gap when the land of a touched district that no small area covers
grows by more than 0.01 m²; it strands a house when a residential building of the district ends up in no area.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gis_census.editing import EditError, apply_edit, move_vertex  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402
from gis_census.spatial import holding_index  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo_township.gpkg"


def divided(path: Path) -> CensusProject:
    if path.exists():
        return CensusProject.open(path)
    from gis_census.divide import divide_project
    from gis_census.numbering.codes import assign_codes

    project = CensusProject.open(SAMPLE)
    divide_project(project)
    assign_codes(project)
    project.save(path)
    return CensusProject.open(path)


def uncovered(project: CensusProject, district: str) -> float:
    d = project["districts"]
    parent = d.geometry.array[np.flatnonzero(d["code"].to_numpy(object) == district)[0]]
    a = project["small_areas"]
    kids = np.asarray(a.geometry.array, dtype=object)[a["district_code"].to_numpy(object) == district]
    return float(shapely.area(shapely.difference(parent, shapely.union_all(kids))))


def stranded(project: CensusProject, district: str) -> int:
    b = project["buildings"]
    mine = (b["district_code"].to_numpy(object) == district) & (b["use"].to_numpy(object) == "residential")
    a = project["small_areas"]
    kids = np.asarray(a.geometry.array, dtype=object)[a["district_code"].to_numpy(object) == district]
    return int((holding_index(np.asarray(b.geometry.array, dtype=object)[mine], kids) < 0).sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--divided", type=Path, default=Path("/tmp/divided.gpkg"))
    args = parser.parse_args()
    project = divided(args.divided)
    rng = random.Random(args.seed)
    areas = project["small_areas"]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    land = np.flatnonzero(~shapely.is_empty(geoms) & ~shapely.is_missing(geoms))
    accepted = refused = gaps = houses = 0
    worst = 0.0
    times = []
    reasons: dict[str, int] = {}
    for _ in range(args.moves):
        i = int(rng.choice(land))
        coords = shapely.get_coordinates(geoms[i])
        k = rng.randrange(len(coords) - 1)
        p = coords[k] if rng.random() < 0.75 else (coords[k] + coords[k + 1]) / 2
        new = (p[0] + rng.uniform(-8, 8), p[1] + rng.uniform(-8, 8))
        start = time.perf_counter()
        try:
            edit = move_vertex(project, tuple(p), new)
        except EditError as refusal:
            refused += 1
            reasons[refusal.key] = reasons.get(refusal.key, 0) + 1
            times.append(time.perf_counter() - start)
            continue
        times.append(time.perf_counter() - start)
        accepted += 1
        before = {d: (uncovered(project, d), stranded(project, d)) for d in edit.districts}
        apply_edit(project, edit)
        after = {d: (uncovered(project, d), stranded(project, d)) for d in edit.districts}
        apply_edit(project, edit.inverse())
        opened = max(after[d][0] - before[d][0] for d in edit.districts)
        if opened > 0.01:
            gaps += 1
            worst = max(worst, opened)
        houses += sum(after[d][1] > before[d][1] for d in edit.districts)
    print(f"{args.moves} moves: {accepted} accepted, {refused} refused; {gaps} accepted moves opened a gap "
          f"(largest {worst:,.1f} m²); {houses} left a house in no small area; "
          f"move_vertex median {1000 * float(np.median(times)):.1f} ms, max {1000 * max(times):.1f} ms")
    print("refusals: " + ", ".join(f"{k} {n}" for k, n in sorted(reasons.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
