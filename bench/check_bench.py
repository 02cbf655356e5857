"""Check times of a village, a county (≈7,000 small areas) and ≈100,000 small areas, against their targets.

Run: .venv/bin/python bench/check_bench.py [--quick] [--repeat 3] [--copies 14] [--profile] [--keep DIR]

Targets (2-core machine):
  1. village    check_district of a district of ≈30 small areas / ≈1,000 buildings    < 20 ms (warm)
  2. county     check_project of ≈7,100 small areas, ≈200,000 buildings               < 2 s
  3. 100k       check_project of ≈100,000 small areas (the county copied --copies×)   < 15 s
                the whole process that opens, checks and saves that file                 < 2 GB
Each full check is also compared with its floor: a bare shapely.coverage_is_valid over the
same small areas. Case 3 is what `gis-census check P` does on such a file: a first subprocess
builds the project (county villages, districts, small areas and buildings replicated with
coordinate offsets and distinct township digits) and saves it to a GeoPackage; a fresh
subprocess opens it, checks it (reading from the file what the checks need; worker processes
forked by the check read and check the buildings), stores the problems and saves in place, timing
each step; another times further checks, each on the file opened afresh; a third runs the command
itself (`python -m gis_census.cli check P`) for its wall time. The peak memory of the first and the
third is that of the process with its workers: each one's proportional set size (a page a forked
worker shares with its parent counts half in each), summed and sampled every 0.1 s from outside.
CPU seconds (user + system, workers included) are printed too, steadier than wall time on a busy
machine.
With --keep DIR, the built file is kept as DIR/county_x<copies>.gpkg and reused when present (it
is rebuilt if missing); the checks always run on a fresh copy of it, so a kept file is never checked twice.
--quick skips case 3; --profile prints cProfile's top 15 (by tottime) of the district
and county checks.

--merge N runs only case 4, `gis-census county` (target < 10 s for 20 townships, 7,100 small areas, 200,000
buildings): the demo county of N townships cut into township projects and saved, then timed checking them one
by one (open + check_project each) beside merging them (which checks each too, then across their lines) and
writing the read-only county project.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pickle
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's gis_census, not an installed one

from gis_census.checks import check_district, check_project, summarize  # noqa: E402
from gis_census.checks.store import problems_layer  # noqa: E402
from gis_census.county import merge_county  # noqa: E402
from gis_census.demo import make_county  # noqa: E402
from gis_census.demo.project import county_project, township_projects  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402
from timing import TreeMemory, timed  # noqa: E402  (bench/timing.py)

VILLAGE_MS = 20.0
COUNTY_S = 2.0
BIG_S = 15.0
MERGE_S = 10.0
BIG_GB = 2.0
LAYERS_COPIED = ("villages", "districts", "small_areas", "buildings")


def _rss_mib(field: str = "VmRSS") -> float:
    """Current (VmRSS) or peak (VmHWM) resident memory of this process in MiB, from /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _ms(times: list[float]) -> str:
    return f"best {min(times) * 1e3:7.1f} ms   median {statistics.median(times) * 1e3:7.1f} ms   ({len(times)} runs)"


def _s(times: list[float]) -> str:
    return f"best {min(times):7.2f} s    median {statistics.median(times):7.2f} s    ({len(times)} runs)"


def _profile(label: str, fn, top: int = 15) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    print(f"\n--- cProfile: {label} (top {top} by tottime) ---")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def _area_geoms(project: CensusProject) -> np.ndarray:
    return np.asarray(project["small_areas"].geometry.array, dtype=object)


def _floor(project: CensusProject, repeat: int) -> tuple[list[float], bool]:
    """Times of a bare coverage_is_valid over the small areas, and its answer."""
    geoms = _area_geoms(project)
    valid = bool(shapely.coverage_is_valid(geoms))
    return timed(lambda: shapely.coverage_is_valid(geoms), repeat), valid


def _pick_districts(project: CensusProject, n: int = 3) -> pd.DataFrame:
    """The `n` districts closest to 30 small areas and 1,000 buildings (relative distance)."""
    areas = project["small_areas"].groupby("district_code").size().rename("small_areas")
    buildings = project["buildings"].groupby("district_code").size().rename("buildings")
    sizes = project["districts"][["code", "village_code"]].set_index("code")
    sizes = sizes.join(areas).join(buildings).fillna(0).astype({"small_areas": int, "buildings": int})
    sizes["distance"] = (sizes["small_areas"] / 30 - 1).abs() + (sizes["buildings"] / 1000 - 1).abs()
    return sizes.sort_values("distance").head(n)


# --------------------------------------------------------------------------- case 1

def village_case(project: CensusProject, repeat: int, profile: bool) -> dict:
    picked = _pick_districts(project)
    print("\n== 1. village: check_district (target < 20 ms, warm) ==")
    print("district        village         small areas  buildings")
    for code, row in picked.iterrows():
        print(f"{code}    {row['village_code']}    {row['small_areas']:11,}  {row['buildings']:9,}")
    warm_runs = max(20, 10 * repeat)
    rows = []
    for code, row in picked.iterrows():
        first = timed(lambda code=code: check_district(project, code), 1)[0]  # builds the buildings' spatial index once
        district = timed(lambda code=code: check_district(project, code), warm_runs)
        village = timed(lambda row=row: check_project(project, village=row["village_code"]), warm_runs)
        found = len(check_district(project, code))
        print(f"{code}  first call {first * 1e3:7.1f} ms ({found} problems)")
        print(f"  {'check_district':<28}{_ms(district)}")
        print(f"  {'check_project(village=…)':<28}{_ms(village)}")
        rows.append({"code": code, "small_areas": int(row["small_areas"]), "buildings": int(row["buildings"]),
                     "first": first, "district": district, "village": village})
    if profile:
        code = picked.index[0]
        _profile(f"check_district({code}) ×20 warm", lambda: [check_district(project, code) for _ in range(20)])
    return {"rows": rows}


# --------------------------------------------------------------------------- case 2

def county_case(project: CensusProject, repeat: int, profile: bool) -> dict:
    print("\n== 2. county: check_project (target < 2 s) ==")
    print("features  ", ", ".join(f"{name} {len(project[name]):,}" for name in LAYERS_COPIED))
    problems: list = []

    def run():
        problems[:] = check_project(project)

    times = timed(run, repeat)
    print(f"check_project         {_s(times)}")
    summary = summarize(problems)
    print(f"problems              {len(problems):,}: {summary['errors']:,} errors, {summary['warnings']:,} warnings")
    for kind, n in summary["by_kind"].items():
        print(f"  {kind:<28}{n:9,}")
    floor, valid = _floor(project, repeat)
    print(f"floor coverage_is_valid {_s(floor)}   (answer {valid})")
    print(f"ratio check / floor   {min(times) / min(floor):7.1f}×")
    if profile:
        _profile("check_project(county)", lambda: check_project(project))
    return {"times": times, "floor": floor, "summary": summary, "rss": _rss_mib()}


# --------------------------------------------------------------------------- case 3

def _remap_codes(series: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Codes with their township digits (7–9) replaced through `mapping`; "" stays ""."""
    s = series.astype(str)
    full = s.str.len() >= 9
    out = s.copy()
    out[full] = s[full].str[:6] + s[full].str[6:9].map(mapping).fillna(s[full].str[6:9]) + s[full].str[9:]
    return out


def replicate(project: CensusProject, copies: int) -> CensusProject:
    """The county's villages, districts, small areas and buildings `copies` times side by side.

    Copy k sits k columns/rows of the county's extent (plus 2 km) away, and its township
    digits become k·T + j + 1 (T townships, j the township's rank), so every code keeps
    its 12/15 digits, its county prefix, and is unique. Building ids get k·10⁸ added.
    Roads, water and landmarks are not copied (the checks do not read them).
    """
    xmin, ymin, xmax, ymax = project["villages"].total_bounds
    step_x, step_y = xmax - xmin + 2000.0, ymax - ymin + 2000.0
    side = int(np.ceil(np.sqrt(copies)))
    townships = sorted(set(project["villages"]["code"].str[6:9]))
    if copies * len(townships) > 999:
        raise SystemExit(f"{copies} copies of {len(townships)} townships do not fit in 3 township digits")
    parts: dict[str, list[gpd.GeoDataFrame]] = {name: [] for name in LAYERS_COPIED}
    code_columns = {
        "villages": ["code"],
        "districts": ["code", "village_code"],
        "small_areas": ["code", "district_code"],
        "buildings": ["village_code", "district_code", "small_area_code"],
    }
    for k in range(copies):
        offset = np.array([(k % side) * step_x, (k // side) * step_y])
        mapping = {t: f"{k * len(townships) + j + 1:03d}" for j, t in enumerate(townships)}
        for name in LAYERS_COPIED:
            src = project[name]
            geoms = shapely.transform(np.asarray(src.geometry.array, dtype=object), lambda xy, offset=offset: xy + offset)
            gdf = gpd.GeoDataFrame(src.drop(columns=src.geometry.name), geometry=geoms, crs=src.crs)
            for col in code_columns[name]:
                gdf[col] = _remap_codes(gdf[col], mapping)
            if name == "buildings":
                gdf["id"] = gdf["id"] + k * 10**8
            parts[name].append(gdf)
    layers = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    parts.clear()
    return CensusProject(project.meta, layers)


def build_child(source: Path, target: Path, copies: int) -> None:
    """Build the ≈100k project from the pickled county and save it to `target`."""
    with open(source, "rb") as fh:
        county = pickle.load(fh)
    start = time.perf_counter()
    project = replicate(county, copies)
    print("features  ", ", ".join(f"{name} {len(project[name]):,}" for name in LAYERS_COPIED), flush=True)
    print(f"replicate {copies}×          {time.perf_counter() - start:7.2f} s", flush=True)
    start = time.perf_counter()
    project.save(target)
    print(f"save                  {time.perf_counter() - start:7.2f} s   ({target.stat().st_size / 2**20:,.0f} MiB)", flush=True)


def _cpu_s() -> float:
    """CPU seconds (user + system, all threads) this process and the workers it has forked have used so far."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def check_child(target: Path, out: Path) -> None:
    """What `gis-census check` does to `target`, step by step in this fresh process; results as JSON to `out`."""
    start = time.perf_counter()
    project = CensusProject.open(target, lazy=True)  # as `gis-census check` opens it
    opened = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu_s()
    problems = check_project(project)
    first, first_cpu = time.perf_counter() - start, _cpu_s() - cpu
    start = time.perf_counter()
    project.layers["problems"] = problems_layer(problems, project.crs)
    project.save()
    saved = time.perf_counter() - start
    summary = summarize(problems)
    areas = project.columns("small_areas", [])["geometry"]
    floor = timed(lambda: shapely.coverage_is_valid(areas), 1)
    result = {"open": opened, "times": [first], "cpu": [first_cpu], "save": saved, "summary": summary, "floor": floor,
              "valid": bool(shapely.coverage_is_valid(areas)), "small_areas": len(areas)}
    out.write_text(json.dumps(result))


def again_child(target: Path, out: Path, repeat: int) -> None:
    """Further checks of `target` in this fresh process, each as the command does it: the file opened afresh,
    read as the checks need; their times and mean CPU seconds as JSON to `out`."""
    times, cpu = [], _cpu_s()
    for _ in range(repeat):
        project = CensusProject.open(target, lazy=True)
        start = time.perf_counter()
        check_project(project)
        times.append(time.perf_counter() - start)
        del project
    out.write_text(json.dumps({"times": times, "cpu": (_cpu_s() - cpu) / repeat}))


def _run_child(args: list[str]) -> tuple[int, float, float, float]:
    """Run this script (or a module, args starting with "-m") in a fresh Python; exit code, wall seconds, peak MiB
    of the process with the workers it forks (:class:`TreeMemory`), CPU seconds of them all."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT,
                             stdout=subprocess.DEVNULL if args[0] == "-m" else None)
    memory = TreeMemory(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    peak = max(memory.stop(), usage.ru_maxrss / 1024)
    return (os.waitstatus_to_exitcode(status), time.perf_counter() - start, peak, usage.ru_utime + usage.ru_stime)


def _built(county: CensusProject, copies: int, tmp: Path, keep: Path | None) -> tuple[Path | None, float]:
    """A fresh file of the county ×`copies` in `tmp` (copied from `keep` when built there before), and the peak
    MiB of the process that built it (0 if reused)."""
    built = (keep or tmp) / f"county_x{copies}.gpkg"
    peak = 0.0
    if not built.exists():
        built.parent.mkdir(parents=True, exist_ok=True)
        source = tmp / "county.pickle"
        with open(source, "wb") as fh:
            pickle.dump(county, fh, protocol=pickle.HIGHEST_PROTOCOL)
        code, _, peak, _ = _run_child([__file__, "--_build", str(source), "--_target", str(built), "--copies", str(copies)])
        if code or not built.exists():
            print(f"case 3 failed: building the project (exit code {code})")
            built.unlink(missing_ok=True)
            return None, peak
    else:
        print(f"reusing {built}")
    if keep is None:
        return built, peak
    target = tmp / "big.gpkg"
    shutil.copyfile(built, target)
    os.sync()  # the copy's 900 MB are written out now, not by the kernel on our 2 cores while the check runs
    return target, peak


def big_case(county: CensusProject, copies: int, repeat: int, keep: Path | None = None) -> dict | None:
    print(f"\n== 3. ≈100k small areas: check of the county ×{copies} from its file (target < {BIG_S:.0f} s, "
          f"whole process < {BIG_GB:.0f} GB) ==", flush=True)
    with tempfile.TemporaryDirectory(prefix="check_bench_") as tmp:
        out = Path(tmp) / "result.json"
        target, build_peak = _built(county, copies, Path(tmp), keep)
        if target is None:
            return None
        code, _, tree_peak, _ = _run_child([__file__, "--_check", str(target), "--_out", str(out)])
        if code or not out.exists():
            print(f"case 3 failed: checking the project (exit code {code})")
            return None
        r = json.loads(out.read_text())
        if repeat > 1:
            code, _, _, _ = _run_child([__file__, "--_again", str(target), "--_out", str(out), "--repeat", str(repeat - 1)])
            later = json.loads(out.read_text())
            r["times"] += later["times"]
            r["cpu"].append(later["cpu"])
        cli_code, cli_wall, cli_peak, cli_cpu = _run_child(["-m", "gis_census.cli", "check", str(target)])
    r.update(build_peak=build_peak, cli_code=cli_code, cli_wall=cli_wall, cli_peak=cli_peak, maxrss=tree_peak)
    print(f"open                  {r['open']:7.2f} s")
    print(f"check_project         {_s(r['times'])}   (reads the columns it needs from the file)")
    print(f"  CPU (user + system) first {r['cpu'][0]:7.2f} s" + (f"   later runs, mean {r['cpu'][1]:7.2f} s" if len(r['cpu']) > 1 else ""))
    print(f"store problems, save  {r['save']:7.2f} s")
    s = r["summary"]
    print(f"problems              {sum(s['by_kind'].values()):,}: {s['errors']:,} errors, {s['warnings']:,} warnings")
    for kind, n in s["by_kind"].items():
        print(f"  {kind:<28}{n:9,}")
    print(f"floor coverage_is_valid {_s(r['floor'])}   (answer {r['valid']})")
    print(f"ratio check / floor   {min(r['times']) / min(r['floor']):7.1f}×")
    print(f"memory, whole process with its workers, open + check + save: peak {r['maxrss']:,.0f} MiB "
          f"(Pss summed, sampled)   "
          + (f"[the build's process: {build_peak:,.0f} MiB]" if build_peak else "[file reused]"))
    print(f"gis-census check P    {cli_wall:7.2f} s wall (start, open, check, save; exit code {cli_code})   "
          f"peak {cli_peak:,.0f} MiB, CPU {cli_cpu:.2f} s")
    return r


# --------------------------------------------------------------------------- main

#: Villages per demo township in case 4 (make_county's default of 14 makes 20 townships only 5,700 small areas).
MERGE_VILLAGES = 23


def merge_case(townships: int) -> None:
    """Case 4: checking the county's township projects one by one, beside `gis-census county` over them."""
    start = time.perf_counter()
    # 23 villages a township: 20 townships make at least the target's county (7,100 small areas, 200,000 buildings)
    projects = township_projects(make_county(townships=townships, villages_per_township=MERGE_VILLAGES))
    print(f"generate {townships} townships  {time.perf_counter() - start:7.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = [p.save(Path(tmp) / f"{p.meta.township_code}.gpkg") for p in projects]
        print(f"save townships        {time.perf_counter() - start:7.2f} s")
        areas, buildings = sum(len(p["small_areas"]) for p in projects), sum(len(p["buildings"]) for p in projects)
        del projects
        start, cpu = time.perf_counter(), _cpu_s()
        for file in files:
            check_project(CensusProject.open(file, lazy=True))
        one_by_one, one_cpu = time.perf_counter() - start, _cpu_s() - cpu
        start, cpu = time.perf_counter(), _cpu_s()
        county = merge_county(files)
        merged, merged_cpu = time.perf_counter() - start, _cpu_s() - cpu
        start = time.perf_counter()
        county.project.save(Path(tmp) / "county.gpkg")
        written = time.perf_counter() - start
    print("\n== summary ==")
    print(f"4. county of {townships} townships ({areas:,} sa, {buildings:,} b), {len(county.across)} faults across")
    print(f"   townships checked one by one        {one_by_one:7.2f} s  (CPU {one_cpu:.2f} s)")
    print(f"   merged and checked (each + across)  {merged:7.2f} s  (CPU {merged_cpu:.2f} s)")
    print(f"   county project written              {written:7.2f} s")
    total = merged + written
    print(f"   gis-census county: total            {total:7.2f} s  target {MERGE_S:.0f} s for 20 townships  "
          f"{_verdict(total * 20 / townships < MERGE_S)} (scaled to 20)")


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip case 3 (≈100,000 small areas)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each full check (village: max(20, 10×N))")
    parser.add_argument("--copies", type=int, default=14, help="copies of the county for case 3 (14 ≈ 100,000 small areas)")
    parser.add_argument("--profile", action="store_true", help="print cProfile top 15 of the district and county checks")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep case 3's built file in DIR and reuse it on later runs (each check gets a fresh copy)")
    parser.add_argument("--merge", type=int, metavar="N", help="run only case 4: merge and check a county of N townships")
    parser.add_argument("--_build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_check", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_again", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._build:
        build_child(args._build, args._target, args.copies)
        return
    if args._check:
        check_child(args._check, args._out)
        return
    if args._again:
        again_child(args._again, args._out, args.repeat)
        return
    if args.merge:
        merge_case(args.merge)
        return

    start = time.perf_counter()
    project = county_project(make_county())
    print(f"generate county       {time.perf_counter() - start:7.2f} s")
    print(f"RSS after generation  {_rss_mib():7.0f} MiB")

    village = village_case(project, args.repeat, args.profile)
    county = county_case(project, args.repeat, args.profile)
    big = None if args.quick else big_case(project, args.copies, args.repeat, args.keep)

    print("\n== summary ==")
    print(f"{'case':<44}{'target':>10}{'best':>10}{'median':>10}{'floor':>10}{'ratio':>8}  verdict")
    for row in village["rows"]:
        label = f"1. district {row['code']} ({row['small_areas']} sa, {row['buildings']:,} b)"
        print(f"{label:<44}{'20 ms':>10}{min(row['district']) * 1e3:>7.1f} ms{statistics.median(row['district']) * 1e3:>7.1f} ms"
              f"{'':>10}{'':>8}  {_verdict(min(row['district']) * 1e3 < VILLAGE_MS)}")
        label = "   check_project(village=…)"
        print(f"{label:<44}{'20 ms':>10}{min(row['village']) * 1e3:>7.1f} ms{statistics.median(row['village']) * 1e3:>7.1f} ms"
              f"{'':>10}{'':>8}  {_verdict(min(row['village']) * 1e3 < VILLAGE_MS)}")
    t, f = county["times"], county["floor"]
    label = f"2. county ({len(project['small_areas']):,} sa, {len(project['buildings']):,} b)"
    print(f"{label:<44}{'2 s':>10}{min(t):>8.2f} s{statistics.median(t):>8.2f} s{min(f):>8.2f} s{min(t) / min(f):>7.1f}×  "
          f"{_verdict(min(t) < COUNTY_S)}")
    if big:
        t, f = big["times"], big["floor"]
        label = f"3. {args.copies}× county ({big['small_areas']:,} sa) check_project"
        print(f"{label:<44}{'15 s':>10}{min(t):>8.2f} s{statistics.median(t):>8.2f} s{min(f):>8.2f} s{min(t) / min(f):>7.1f}×  "
              f"{_verdict(min(t) < BIG_S)}")
        label = "   open + check + save: whole process peak"
        peak_gb = big["maxrss"] / 1024
        print(f"{label:<44}{'2 GB':>10}{peak_gb:>8.2f} GB{'':>10}{'':>10}{'':>8}  {_verdict(peak_gb < BIG_GB)}")
        label = "   gis-census check P: whole process peak"
        peak_gb = big["cli_peak"] / 1024
        print(f"{label:<44}{'2 GB':>10}{peak_gb:>8.2f} GB{'':>10}{'':>10}{'':>8}  {_verdict(peak_gb < BIG_GB)}")
    elif not args.quick:
        print("3. ≈100k small areas                         failed, see above")


if __name__ == "__main__":
    main()
