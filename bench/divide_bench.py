"""Automatic division side by side: our `divide` against GerryChain and PySAL spopt on the same building blocks.

Run: .venv/bin/python bench/divide_bench.py [--quick] [--seed 7] [--repeat 3] [--limit 30] [--spopt-limit 20]
     .venv/bin/python bench/divide_bench.py --county [--villages 1 16 64 336]
     .venv/bin/python bench/divide_bench.py --update
     .venv/bin/python bench/divide_bench.py --lines

Two townships: the sample (sample_data/demo_township.gpkg) and a generated one of ≈30,000
people (make_township(seed=--seed)). Per township and method it prints the wall time, the
number of new small areas, the share within ±20 % and ±12 % of the target (300), the worst
deviation, contiguity failures (areas that are MultiPolygons), mean Polsby–Popper, empty
areas and the districts a method failed on or skipped. All figures are computed here the
same way for the three methods, from the area polygons and the buildings they hold.

Methods
  ours        gis_census.divide.divide_project on a fresh project (its own units, grouping, dissolve).
  gerrychain  gerrychain recursive_tree_part(graph, parts=range(k), pop_target=pop/k,
              pop_col="population", epsilon=0.2), k = max(1, round(pop / 300)).
  spopt       spopt.region.MaxPHeuristic(gdf, w, ["x", "y"], threshold_name="population",
              threshold=240 (300 × 0.8), top_n=2); attributes are the units' x/y (compact regions).
The competitors group the units our engine groups first: gis_census.divide.units.make_units
(street blocks from the roads and water, building cells of the blocks above
target × (1 + SPLIT × tolerance)) over the district minus its locked areas, fed exactly as
divide_district feeds it. Our engine may cut a few more blocks in a second pass; the
competitors get the first-pass units. Both run per connected part of each district's
rook graph (shared boundary > 0.1 m, snapped 5 mm as cells clipped to blocks are a
nanometre off), since a spanning tree / max-p region needs a connected graph; a part too
small for two areas is one area. The groups are dissolved with Units.dissolve, as ours are.
A competitor's time per district is units + graph + algorithm + dissolve; a district that
raises or outlives --limit (spopt: --spopt-limit) s counts as a failure and its land gets
no areas. Ours is timed --repeat times on fresh projects (best shown). All randomness is seeded (--seed). --quick skips spopt.
Competitors that are not installed are skipped with a message
(pip install -r bench/requirements-divide.txt).

--county divides the demo county (make_county(): 336 villages, ≈198,000 buildings, ≈2.1 M people)
and the first 1, 16, 64 … of its villages (in code order, with their buildings and the roads and
water near them), each from fresh, and prints the time, people per second (flat when the cost
per person does not grow with the project) and every area by kind: within the hard limits
(rules.HARD_MIN..HARD_MAX), one building above the maximum (accepted and reported by divide),
one building or none below the minimum (a house or empty land cut off by water or fields), and
several buildings outside the limits (must be none).

--update starts from the sample's previous census division (its small areas, imported from
inputs/small_areas_previous.gpkg) and measures `divide --update` (gis_census.divide.update.update_division) beside a
fresh `divide` (divide_and_number) of the same project: the time, the share of previous areas kept (same code, same
land: gis_census.compare), the share of buildings keeping their small area (by code), the shares within ±20 % and
±12 % of the target (every area with people; and the areas still outside the band that dividing could bring in,
update.outside_band), and the errors of `check`. The issue's aims: no area outside the band the inputs allow, and
at least 60 % of the buildings keep their small area.

--lines prints the lines between new small areas (bench/boundary_lines.py: share on roads and water and down
lanes derived from the footprints, share of the rest in open land, vertices per km, compactness, balance,
buildings cut, time) on the sample, on the sample after its own 户籍 register is imported (the register names
the stairwells of its apartment blocks, so that those over the limit are divided between them: see
boundary_lines.sample_with_register), the generated township and the real Suzhou footprints without roads:
today's ("today": stepped as the building cells dissolve, every cut inside a block costing its length),
straightened and moved onto the roads and lanes they run beside (gis_census.divide.lines.straighten and
onto_lines; the partition's last pass, _tighten, shortening the cut), and that with cuts down lanes between
buildings preferred (gis_census.divide.grouping.LANE_COST).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import statistics
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from gis_census.demo import make_county, make_township
from gis_census.demo.project import county_project
from gis_census.divide import divide_project
from gis_census.divide.district import SPLIT, district_input
from gis_census.divide.units import make_units
from gis_census.project import CensusProject
from gis_census.rules import HARD_MAX, HARD_MIN
from gis_census.spatial import holding_index

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "demo_township.gpkg"
TARGET = 300.0
TOLERANCE = 0.2
SPOPT_THRESHOLD = TARGET * 0.8
TIME_S = 3.0  # the whole ≈30,000-person township
WITHIN_20 = 0.90
WITHIN_12 = 0.80
KEEP_AIM = 0.60  # share of buildings keeping their small area after divide --update (issue 16)

try:
    import networkx as nx
except ImportError:  # both competitors need it
    nx = None
try:
    from gerrychain import Graph as GCGraph
    try:
        from gerrychain.partition import recursive_tree_part
    except ImportError:  # gerrychain < 1.0
        from gerrychain.tree import recursive_tree_part
except ImportError:
    recursive_tree_part = None
try:
    import geopandas as gpd
    from libpysal.weights import W
    from spopt.region import MaxPHeuristic
except ImportError:
    MaxPHeuristic = None


# --------------------------------------------------------------------------- helpers

class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Raise Timeout in this (main) thread after `seconds` (SIGALRM; both competitors are pure Python)."""
    def handler(signum, frame):
        raise Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Run:
    """One method on one township: its area polygons and per-district outcome."""

    method: str
    seconds: float = 0.0
    geoms: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # (district, units, people, reason)
    per_district: dict = field(default_factory=dict)  # code -> (seconds, status)


@dataclass
class DistrictUnits:
    code: str
    units: object  # gis_census.divide.units.Units
    i: np.ndarray
    j: np.ndarray
    seconds: float  # making the units and the graph


def district_units(project: CensusProject, code: str) -> DistrictUnits:
    """The first-pass units of district `code`, made the way divide_district makes them, and their rook graph."""
    started = time.perf_counter()
    meta = project.meta
    inp = district_input(project, code, meta.target_unit)
    heaviest = float(meta.target_population) * (1 + SPLIT * float(meta.tolerance))
    units = make_units(inp.free, np.asarray(inp.buildings.geometry.array, dtype=object), inp.weights, inp.lines, inp.water,
                       heaviest)
    i, j = rook_pairs(units.geoms)
    return DistrictUnits(code, units, i, j, time.perf_counter() - started)


def rook_pairs(geoms: np.ndarray, snap: float = 0.005, shortest: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of polygons sharing more than `shortest` m of boundary (within `snap` m)."""
    if len(geoms) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    grown = shapely.buffer(geoms, snap, quad_segs=1, join_style="mitre")
    i, j = shapely.STRtree(geoms).query(grown, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[i]), grown[j]))
    return i[shared > shortest], j[shared > shortest]


def parts_of(du: DistrictUnits) -> list[np.ndarray]:
    """Unit indices of each connected part of the district's graph."""
    g = nx.Graph()
    g.add_nodes_from(range(len(du.units.geoms)))
    g.add_edges_from(zip(du.i.tolist(), du.j.tolist()))
    return [np.array(sorted(c)) for c in sorted(nx.connected_components(g), key=min)]


def compact(labels: np.ndarray) -> np.ndarray:
    return np.unique(labels, return_inverse=True)[1]


# --------------------------------------------------------------------------- competitors

def gerrychain_labels(du: DistrictUnits, seed: int) -> np.ndarray:
    weights = du.units.weights
    g = nx.Graph()
    g.add_nodes_from((u, {"population": float(w)}) for u, w in enumerate(weights))
    g.add_edges_from(zip(du.i.tolist(), du.j.tolist()))
    labels = np.full(len(weights), -1, dtype=np.int64)
    following = 0
    for nodes in parts_of(du):
        total = float(weights[nodes].sum())
        k = max(1, int(round(total / TARGET)))
        if k == 1:
            labels[nodes] = following
        else:
            graph = GCGraph.from_networkx(nx.convert_node_labels_to_integers(g.subgraph(nodes.tolist()), ordering="sorted"))
            assignment = recursive_tree_part(graph, parts=list(range(k)), pop_target=total / k, pop_col="population",
                                             epsilon=TOLERANCE, rng=random.Random(seed))
            for node, part in assignment.items():
                labels[nodes[node]] = following + int(part)
        following += k
    return labels


def spopt_labels(du: DistrictUnits, seed: int) -> np.ndarray:
    weights = du.units.weights
    xy = shapely.get_coordinates(shapely.point_on_surface(du.units.geoms))
    labels = np.full(len(weights), -1, dtype=np.int64)
    neighbours: dict[int, list[int]] = {u: [] for u in range(len(weights))}
    for a, b in zip(du.i.tolist(), du.j.tolist()):
        neighbours[a].append(b)
        neighbours[b].append(a)
    following = 0
    for nodes in parts_of(du):
        if len(nodes) < 2 or weights[nodes].sum() < 2 * SPOPT_THRESHOLD:
            labels[nodes] = following
            following += 1
            continue
        local = {int(u): k for k, u in enumerate(nodes)}
        w = W({local[int(u)]: [local[v] for v in neighbours[int(u)]] for u in nodes}, silence_warnings=True)
        gdf = gpd.GeoDataFrame({"population": weights[nodes], "x": xy[nodes, 0], "y": xy[nodes, 1]},
                               geometry=list(du.units.geoms[nodes]))
        np.random.seed(seed)
        random.seed(seed)
        model = MaxPHeuristic(gdf, w, ["x", "y"], threshold_name="population", threshold=SPOPT_THRESHOLD, top_n=2)
        model.solve()
        sub = compact(np.asarray(model.labels_))
        labels[nodes] = following + sub
        following += int(sub.max()) + 1
    return labels


def run_competitor(method: str, fn, prepared: list[DistrictUnits], seed: int, limit: float) -> Run:
    run = Run(method)
    for du in prepared:
        started = time.perf_counter()
        people = int(du.units.weights.sum())
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with time_limit(limit):
                    labels = fn(du, seed)
            geoms = du.units.dissolve(compact(labels)) if len(labels) else []
        except Timeout:
            spent = time.perf_counter() - started
            run.failures.append((du.code, len(du.units.geoms), people, f"time-out after {limit:.0f} s"))
            run.per_district[du.code] = (du.seconds + spent, "time-out")
            run.seconds += du.seconds + spent
            continue
        except Exception as exc:  # noqa: BLE001 - any error of the library counts as a failure
            spent = time.perf_counter() - started
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:70] if str(exc) else ''}"
            run.failures.append((du.code, len(du.units.geoms), people, reason))
            run.per_district[du.code] = (du.seconds + spent, "failed")
            run.seconds += du.seconds + spent
            continue
        spent = time.perf_counter() - started
        run.geoms += list(geoms)
        run.per_district[du.code] = (du.seconds + spent, "ok")
        run.seconds += du.seconds + spent
    return run


# --------------------------------------------------------------------------- ours

def run_ours(project: CensusProject) -> tuple[Run, list]:
    started = time.perf_counter()
    results = divide_project(project)
    run = Run("ours", seconds=time.perf_counter() - started)
    areas = project["small_areas"]
    run.geoms = list(areas.geometry.array[areas["locked"].to_numpy() != 1])
    run.per_district = {r.district_code: (r.seconds, "ok") for r in results}
    return run, results


# --------------------------------------------------------------------------- figures

def figures(run: Run, buildings) -> dict:
    """The table's figures for `run`'s areas, with populations from the buildings they hold."""
    geoms = np.array(run.geoms, dtype=object)
    n = len(geoms)
    if not n:
        return {"areas": 0}
    where = holding_index(np.asarray(buildings.geometry.array, dtype=object), geoms)
    held = where >= 0
    pop = np.bincount(where[held], weights=buildings["population"].to_numpy()[held], minlength=n)
    count = np.bincount(where[held], minlength=n)
    oversize = (count == 1) & (pop > TARGET * (1 + TOLERANCE))  # one building above +20 %: no division can balance it
    empty = pop <= 0
    balanced = pop[~oversize & ~empty]
    dev = np.abs(balanced / TARGET - 1)
    perimeter = shapely.length(geoms)
    pp = np.where(perimeter > 0, 4 * np.pi * shapely.area(geoms) / np.maximum(perimeter, 1e-12) ** 2, 0.0)
    return {
        "areas": n,
        "within_20": float(np.mean(dev <= 0.20 + 1e-9)) if len(dev) else 1.0,
        "within_12": float(np.mean(dev <= 0.12 + 1e-9)) if len(dev) else 1.0,
        "worst": float(dev.max()) if len(dev) else 0.0,
        "multi": int((shapely.get_num_geometries(geoms) > 1).sum()),
        "pp": float(pp.mean()),
        "oversize": int(oversize.sum()),
        "empty": int(empty.sum()),
        "people": int(pop.sum()),
    }


def print_table(title: str, runs: list[Run], skipped: dict[str, str], buildings, n_districts: int) -> dict:
    print(f"\n== {title} ==")
    header = (f"{'method':<11}{'wall s':>8}{'areas':>7}{'±20 %':>8}{'±12 %':>8}{'worst':>8}{'multi':>7}"
              f"{'mean PP':>9}{'empty':>7}{'1-bldg':>7}{'people':>8}  failures / skips")
    print(header)
    print("-" * len(header))
    out = {}
    for run in runs:
        f = figures(run, buildings)
        out[run.method] = f
        fails = f"{len(run.failures)}/{n_districts} districts" if run.failures else "none"
        if not f["areas"]:
            print(f"{run.method:<11}{run.seconds:8.2f}{0:7}{'—':>8}{'—':>8}{'—':>8}{'—':>7}{'—':>9}{'—':>7}{'—':>7}{0:8,}  {fails}")
            continue
        print(f"{run.method:<11}{run.seconds:8.2f}{f['areas']:7}{f['within_20']:8.1%}{f['within_12']:8.1%}"
              f"{f['worst']:8.1%}{f['multi']:7}{f['pp']:9.3f}{f['empty']:7}{f['oversize']:7}{f['people']:8,}  {fails}")
    for method, why in skipped.items():
        print(f"{method:<11}{'skipped':>8}  {why}")
    print("(shares and worst deviation leave out empty areas and areas of one building above +20 %;"
          " multi = areas in more than one piece)")
    for run in runs:
        for code, units, people, reason in run.failures:
            print(f"  {run.method} failed on {code} ({units} units, {people:,} people): {reason}")
    return out


def print_districts(prepared: list[DistrictUnits], runs: list[Run]) -> None:
    print("per district (units = first-pass blocks + cells; seconds, status):")
    print(f"  {'district':<14}{'units':>6}{'people':>8}{'blocks':>7}" + "".join(f"{r.method:>20}" for r in runs))
    for du in prepared:
        cells = [f"{r.per_district[du.code][0]:8.2f} s {r.per_district[du.code][1]:<9}" if du.code in r.per_district
                 else f"{'—':>20}" for r in runs]
        print(f"  {du.code:<14}{len(du.units.geoms):6}{int(du.units.weights.sum()):8,}{len(np.unique(du.units.block)):7}"
              + "".join(f"{c:>20}" for c in cells))


def verdict(title: str, ours: Run, f: dict, results: list, whole_township: bool) -> None:
    print(f"targets for ours ({title}):")
    checks = []
    if whole_township:
        checks.append((f"whole township < {TIME_S:.0f} s", ours.seconds < TIME_S, f"{ours.seconds:.2f} s"))
    checks += [
        (f"≥ {WITHIN_20:.0%} within ±20 %", f["within_20"] >= WITHIN_20, f"{f['within_20']:.1%}"),
        (f"≥ {WITHIN_12:.0%} within ±12 %", f["within_12"] >= WITHIN_12, f"{f['within_12']:.1%}"),
        ("no contiguity failures", f["multi"] == 0, f"{f['multi']} multi-part"),
        ("no failed district", not ours.failures, f"{len(results)} districts divided"),
    ]
    for label, ok, value in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label:<28} {value}")
    within_20 = sum(r.within_20 * r.areas for r in results) / max(sum(r.areas for r in results), 1)
    within_12 = sum(r.within_12 * r.areas for r in results) / max(sum(r.areas for r in results), 1)
    worst = max((r.worst_deviation for r in results), default=0.0)
    print(f"  (DivisionResult's own figures, area-weighted: ±20 % {within_20:.1%}, ±12 % {within_12:.1%},"
          f" worst {worst:.1%}, oversize buildings {sum(len(r.oversize_buildings) for r in results)})")


# --------------------------------------------------------------------------- main

def township(title: str, load, args, whole_township: bool) -> None:
    started = time.perf_counter()
    project = load()
    print(f"\n#### {title}: loaded in {time.perf_counter() - started:.2f} s — {len(project['districts'])} districts, "
          f"{len(project['buildings']):,} buildings, {int(project['buildings']['population'].sum()):,} people, "
          f"target {project.meta.target_population} {project.meta.target_unit}, tolerance {project.meta.tolerance}")
    if float(project.meta.target_population) != TARGET:
        print(f"  note: the project's target is {project.meta.target_population}; the figures use {TARGET:.0f}")
    ours, results = run_ours(project)
    times = [ours.seconds]
    for _ in range(args.repeat - 1):  # each repeat on a fresh project; the figures are the first run's
        times.append(run_ours(load())[0].seconds)
    ours.seconds = min(times)
    if len(times) > 1:
        print(f"ours: divide_project best {min(times):.2f} s, median {statistics.median(times):.2f} s ({len(times)} runs)")
    runs = [ours]
    skipped: dict[str, str] = {}

    fresh = load()  # the competitors start from the undivided project
    codes = list(fresh["districts"]["code"])
    prepared = [district_units(fresh, code) for code in codes]
    unit_s = sum(du.seconds for du in prepared)
    print(f"units for the competitors: {sum(len(du.units.geoms) for du in prepared):,} units "
          f"({sum(int((du.units.building >= 0).sum()) for du in prepared):,} of them one building each) "
          f"in {unit_s:.2f} s including rook graphs")

    if nx is None or recursive_tree_part is None:
        skipped["gerrychain"] = "not installed (pip install -r bench/requirements-divide.txt)"
    else:
        runs.append(run_competitor("gerrychain", gerrychain_labels, prepared, args.seed, args.limit))
    if args.quick:
        skipped["spopt"] = "--quick"
    elif nx is None or MaxPHeuristic is None:
        skipped["spopt"] = "not installed (pip install -r bench/requirements-divide.txt)"
    else:
        runs.append(run_competitor("spopt", spopt_labels, prepared, args.seed, args.spopt_limit))

    figs = print_table(title, runs, skipped, fresh["buildings"], len(codes))
    print_districts(prepared, runs)
    verdict(title, ours, figs["ours"], results, whole_township)


def county_slice(project: CensusProject, villages: int) -> CensusProject:
    """The first `villages` districts of `project` (code order) with their buildings, areas, roads and water."""
    districts = project["districts"].sort_values("code").iloc[:villages]
    codes = set(districts["code"])
    buildings = project["buildings"]
    box = shapely.box(*districts.total_bounds)
    layers = {"villages": project["villages"][project["villages"]["code"].isin(codes)], "districts": districts,
              "buildings": buildings[buildings["district_code"].isin(codes)],
              "small_areas": project["small_areas"][project["small_areas"]["district_code"].isin(codes)]}
    for name in ("roads", "water", "landmarks"):
        layer = project[name]
        layers[name] = layer[shapely.intersects(np.asarray(layer.geometry.array), box)]
    return CensusProject(project.meta, {k: v.copy() for k, v in layers.items()})


def area_kinds(project: CensusProject) -> dict[str, int]:
    """The divided project's areas by kind against the hard limits (every area counted once)."""
    areas, buildings = project["small_areas"], project["buildings"]
    held = buildings.groupby("small_area_code").size().reindex(areas["code"], fill_value=0).to_numpy()
    people = areas["population"].to_numpy()
    inside = (people >= HARD_MIN) & (people <= HARD_MAX)
    return {"areas": len(areas), "within": int(inside.sum()),
            "one over": int(((held == 1) & (people > HARD_MAX)).sum()),
            "few under": int(((held <= 1) & (people < HARD_MIN)).sum()),
            "several outside": int(((held > 1) & ~inside).sum())}


def county(args) -> None:
    started = time.perf_counter()
    whole = county_project(make_county(seed=args.county_seed))
    print(f"#### demo county (make_county(seed={args.county_seed})): made in {time.perf_counter() - started:.1f} s — "
          f"{len(whole['districts'])} villages, {len(whole['buildings']):,} buildings, "
          f"{int(whole['buildings']['population'].sum()):,} people")
    header = (f"{'villages':>8}{'people':>11}{'buildings':>10}{'divide s':>10}{'people/s':>10}{'areas':>7}{'within':>8}"
              f"{'1 over':>8}{'≤1 under':>9}{'several out':>12}")
    print(header)
    print("-" * len(header))
    for n in args.villages:
        project = county_slice(whole, n) if n < len(whole["districts"]) else whole
        people = int(project["buildings"]["population"].sum())
        started = time.perf_counter()
        divide_project(project)
        seconds = time.perf_counter() - started
        k = area_kinds(project)
        print(f"{len(project['districts']):8}{people:11,}{len(project['buildings']):10,}{seconds:10.1f}{people / seconds:10,.0f}"
              f"{k['areas']:7}{k['within']:8}{k['one over']:8}{k['few under']:9}{k['several outside']:12}", flush=True)
    print(f"within = {HARD_MIN}..{HARD_MAX} people; 1 over = one building above {HARD_MAX}, an area of its own"
          f" (accepted, reported by divide); ≤1 under = one building or none below {HARD_MIN}, cut off by water or"
          f" fields; several out = several buildings outside the limits (must be 0). Every area is counted once.")


def update(args) -> None:
    """`divide --update` from the previous division beside a fresh `divide`, on the sample (see --update)."""
    from gis_census.checks import check_project, summarize
    from gis_census.compare import compare_divisions
    from gis_census.divide import divide_and_number
    from gis_census.divide.update import outside_band, update_division

    previous = CensusProject.open(SAMPLE)
    print(f"#### sample township from its previous division: {len(previous['small_areas'])} small areas, "
          f"{len(previous['buildings']):,} buildings, target {previous.meta.target_population} ± "
          f"{float(previous.meta.tolerance):.0%}")
    header = (f"{'way':<22}{'s':>6}{'areas':>7}{'kept':>7}{'bldgs kept':>12}{'±20 %':>8}{'±12 %':>8}"
              f"{'outside':>9}{'errors':>8}")
    print(header)
    print("-" * len(header))
    kinds = {}
    for way, job in (("previous (as given)", None), ("divide --update", update_division), ("divide (fresh)", divide_and_number)):
        project = CensusProject.open(SAMPLE)
        started = time.perf_counter()
        if job is not None:
            job(project)
        seconds = time.perf_counter() - started
        result = compare_divisions(previous["small_areas"], project["small_areas"], project["buildings"])
        people = project["small_areas"]["population"].to_numpy()
        dev = np.abs(people[people > 0] / TARGET - 1)
        problems = [p for p in check_project(project) if p.severity == "error"]
        errors, kinds[way] = len(problems), summarize(problems)["by_kind"]
        print(f"{way:<22}{seconds:6.2f}{len(project['small_areas']):7}{result.counts()['kept'] / result.previous_areas:7.0%}"
              f"{result.buildings_kept / result.buildings:12.0%}{np.mean(dev <= 0.20 + 1e-9):8.0%}"
              f"{np.mean(dev <= 0.12 + 1e-9):8.0%}{int(outside_band(project).sum()):9}{errors:8}", flush=True)
    print("kept = previous areas with the same code and land (compare); bldgs kept = buildings in an area of the same"
          " code; ±20/±12 % over every area with people; outside = areas outside the band that dividing could bring"
          " in (update.outside_band: not one oversize building, locked, virtual or an empty exclave); errors = check.")
    for way, found in kinds.items():
        print(f"check errors of {way}: " + (", ".join(f"{kind} {n}" for kind, n in found.items()) or "none"))
    print(f"aims: outside 0, bldgs kept ≥ {KEEP_AIM:.0%} (against 19 % for a fresh divide when the issue was filed)")


def boundary_lines(args) -> None:
    """--lines: see bench/boundary_lines.py."""
    from unittest import mock

    import gis_census.divide as divide
    import gis_census.divide.district as district
    import gis_census.divide.partition as partition
    from boundary_lines import SUZHOU, lines, sample_with_register, suzhou_project
    from gis_census.divide.grouping import LinePreference

    townships = [("sample township", lambda: CensusProject.open(SAMPLE)),
                 ("sample + its register", lambda: sample_with_register(SAMPLE)),
                 (f"generated (seed {args.seed})", lambda: county_project(make_township(seed=args.seed)))]
    if SUZHOU.exists():
        townships.append(("Suzhou footprints, no roads", suzhou_project))
    @contextlib.contextmanager
    def way(straight: bool, lanes: bool):
        with contextlib.ExitStack() as stack:
            if not straight:
                stack.enter_context(mock.patch.object(district, "straighten", lambda geoms, *given: geoms))
                stack.enter_context(mock.patch.object(district, "onto_lines", lambda geoms, *given: geoms))
                stack.enter_context(mock.patch.object(partition, "_tighten", lambda *given: None))
            if not lanes:
                stack.enter_context(mock.patch.object(divide, "LinePreference", lambda: LinePreference(lane_cost=1.0)))
            yield

    lines(townships, {"today": lambda: way(False, False), "straight": lambda: way(True, False),
                      "straight+lanes": lambda: way(True, True)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip spopt")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated township and of the competitors")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (best time reported)")
    parser.add_argument("--limit", type=float, default=30.0, help="GerryChain time limit per district, s")
    parser.add_argument("--spopt-limit", type=float, default=20.0, help="spopt time limit per district, s")
    parser.add_argument("--county", action="store_true", help="divide the demo county and slices of it instead")
    parser.add_argument("--county-seed", type=int, default=2020, help="seed of the demo county")
    parser.add_argument("--villages", type=int, nargs="+", default=[1, 16, 64, 336], help="slices of the county")
    parser.add_argument("--update", action="store_true", help="divide --update from the sample's previous division")
    parser.add_argument("--lines", action="store_true", help="the lines between new small areas, stepped and straightened")
    args = parser.parse_args()
    if args.county:
        county(args)
        return
    if args.update:
        update(args)
        return
    if args.lines:
        boundary_lines(args)
        return
    random.seed(args.seed)
    np.random.seed(args.seed)
    if recursive_tree_part is None or nx is None:
        print("gerrychain is not installed: skipped (pip install -r bench/requirements-divide.txt)")
    if MaxPHeuristic is None or nx is None:
        print("spopt is not installed: skipped (pip install -r bench/requirements-divide.txt)")
    township("sample township (sample_data/demo_township.gpkg)", lambda: CensusProject.open(SAMPLE), args, True)
    township(f"generated township (make_township(seed={args.seed}))",
             lambda: county_project(make_township(seed=args.seed)), args, True)


if __name__ == "__main__":
    main()
