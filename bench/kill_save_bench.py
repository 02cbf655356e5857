"""Kill -9 trial: commands killed at random moments must leave the project as it was or as it would be after.

Run: PYTHONPATH=. .venv/bin/python bench/kill_save_bench.py [--runs 56] [--seed 1] [--keep DIR]

Each run copies sample_data/demo_township.gpkg, starts one of `divide`, `code`, `import-areas --replace` or a
plain open-edit-save in a subprocess and kills it with SIGKILL: half the runs at a random moment of the
command, half a random moment after its save began (its temporary file appeared). Then the file is opened
again (which rolls back an interrupted transaction and removes dead saves' files) and compared, layer by layer
and setting by setting, with the file before and with the file the same command writes when not killed.
Prints: runs, killed while saving, intact (old or new state), lost (neither, or unreadable), temp files left.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyogrio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gis_census.project import CensusProject  # noqa: E402

SAMPLE = ROOT / "sample_data" / "demo_township.gpkg"
EDIT = """
import sys, shapely
from gis_census.project import CensusProject
p = CensusProject.open(sys.argv[1])
p.layers["villages"].loc[0, "name"] = "改名村"
areas = p.layers["small_areas"]
areas.loc[0, "geometry"] = shapely.affinity.scale(areas.geometry.iloc[0], 0.98, 0.98)
p.save()
"""


def commands(path: Path, areas: Path) -> dict[str, list[str]]:
    cli = [sys.executable, "-m", "gis_census.cli"]
    return {
        "divide": cli + ["divide", str(path), "--district", "370481102201", "--target", "250"],
        "code": cli + ["code", str(path)],
        "import-areas": cli + ["import-areas", str(path), "--small-areas", str(areas), "--replace"],
        "edit-save": [sys.executable, "-c", EDIT, str(path)],
    }


def state(path: Path) -> tuple | None:
    """The project's layers (fingerprints) and settings, or None when it does not open or is damaged."""
    try:
        project = CensusProject.open(path)
        with sqlite3.connect(path) as db:
            if db.execute("pragma integrity_check").fetchone() != ("ok",):
                return None
    except Exception:
        return None
    settings = {k: v for k, v in project.stored_meta.items() if k not in ("modified", "project_uid")}  # new per file
    return tuple(sorted(project.base.fingerprints.items())), tuple(sorted(settings.items()))


def run(command: list[str], env: dict) -> tuple[int, float]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {result.stderr}")
    return result.returncode, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=56)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder instead of a temporary one")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kill_save_"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIS_CENSUS_LANG": "en"}

    areas = folder / "areas.gpkg"
    small_areas = CensusProject.open(SAMPLE)["small_areas"]
    pyogrio.write_dataframe(small_areas.iloc[::-1], areas, layer="small_areas", driver="GPKG")  # same areas, new order
    old = state(SAMPLE)
    expected, durations = {}, {}
    for name in commands(SAMPLE, areas):
        reference = folder / f"reference-{name}" / "p.gpkg"
        reference.parent.mkdir(exist_ok=True)
        shutil.copy(SAMPLE, reference)
        _, durations[name] = run(commands(reference, areas)[name], env)
        expected[name] = state(reference)
        print(f"{name:<13} runs whole in {durations[name]:5.2f} s; new state differs from old: {expected[name] != old}")

    tally, per_command = Counter(), Counter()
    names = list(expected)
    for i in range(args.runs):
        name = names[i % len(names)]
        work = folder / f"run-{i:03d}"
        work.mkdir()
        path = work / "p.gpkg"
        shutil.copy(SAMPLE, path)
        during_save = i % 2 == 1
        proc = subprocess.Popen(commands(path, areas)[name], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if during_save:  # wait for the save to begin, then a random moment of it
            deadline = time.monotonic() + durations[name] * 3 + 10
            while proc.poll() is None and time.monotonic() < deadline and not any(work.glob(".p.saving-*")):
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.08))
        else:
            time.sleep(rng.uniform(0, durations[name] * 1.1))
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        left_before = sorted(p.name for p in work.iterdir() if p.name != "p.gpkg")
        now = state(path)
        left_after = sorted(p.name for p in work.iterdir() if p.name != "p.gpkg")
        outcome = "old" if now == old else "new" if now == expected[name] else "lost"
        tally["runs"] += 1
        tally["killed"] += killed
        tally["killed while saving"] += killed and bool(left_before)
        tally["intact"] += outcome != "lost"
        tally["lost"] += outcome == "lost"
        tally["temp files left"] += len(left_after)
        per_command[name, outcome] += 1
        print(f"run {i:3d} {name:<13} {'killed' if killed else 'finished':<8} "
              f"{'(at save)' if during_save else '(random)':<10} -> {outcome:<4} "
              f"left by the kill: {', '.join(left_before) or '-'}; after reopening: {', '.join(left_after) or '-'}")
        shutil.rmtree(work)
    print()
    print(", ".join(f"{k} {tally[k]}" for k in ("runs", "killed", "killed while saving", "intact", "lost",
                                               "temp files left")))
    for name in names:
        print(f"  {name:<13}", ", ".join(f"{o} {per_command[name, o]}" for o in ("old", "new", "lost")))


if __name__ == "__main__":
    main()
