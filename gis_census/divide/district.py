"""Dividing one district: units, balanced contiguous groups, and the small areas they dissolve into."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings
from gis_census.divide.cells import absorb_fragments
from gis_census.divide.measures import diameters, polsby_popper, share_within, walk_lengths
from gis_census.divide.grouping import blocks_to_cut, group_units
from gis_census.divide.units import make_units
from gis_census.project import CensusProject, conform_layer
from gis_census.spatial import containing_index

__all__ = ["DivisionResult", "divide_district"]

#: A street block is cut between its buildings once it weighs more than target × (1 + SPLIT × tolerance):
#: with the default tolerance 0.2 that is +12 %, so whole blocks stay within the narrower band.
SPLIT = 0.6


@dataclass
class DivisionResult:
    """What dividing one district produced. Populations are in the division's unit (people or households).

    A building is never split (one over the limit whose stairwells are recorded has already been
    divided between them by :func:`~gis_census.divide.divide_project`, see `stairwell_splits`, and
    its parts are buildings of their own). One with more than ``target × (1 + tolerance)`` is an oversize
    building: it becomes a small area of its own (no area holding it can be balanced) and the
    shares and the worst deviation leave such areas out. That is the engine's answer, not a
    problem: only a building above the hard maximum of the checks (``CheckSettings.hard_max``,
    500 people by default) is reported, in `over_limit_buildings`, because its area breaks
    the hard limit and the office must approve it or divide the building by stairwell.
    """

    district_code: str
    areas: int
    populations: list[int]
    within_20: float
    within_12: float
    worst_deviation: float  # largest |population / target - 1|
    polsby_popper_mean: float
    polsby_popper_min: float
    on_lines: float  # share of the boundary between new areas that runs along roads, water or the district edge
    oversize_buildings: list[int]  # building ids above target × (1 + tolerance), each a small area of its own
    seconds: float
    area_km2: list[float] = field(default_factory=list)
    across_m: list[float] = field(default_factory=list)  # longest straight distance across each area
    walk_m: list[float] = field(default_factory=list)  # building to building in numbering order, per area
    over_limit_buildings: list[int] = field(default_factory=list)  # oversize buildings above the hard maximum: reported
    stairwell_splits: list[int] = field(default_factory=list)  # buildings divided between their stairwells first
    small_areas: gpd.GeoDataFrame | None = field(default=None, repr=False)  # the new (not locked) areas


def divide_district(project: CensusProject, district_code: str, *, target: float | None = None,
                    unit: Literal["people", "households"] | None = None, tolerance: float | None = None,
                    count: int | None = None, keep_locked: bool = True) -> DivisionResult:
    """Divide district `district_code` of `project` into small areas; the project is not changed.

    Parameters
    ----------
    target : people (or households) per small area; default the project's setting.
    unit : "people" or "households"; default the project's setting.
    tolerance : share of the target above which one building is an oversize area of its own
        (street blocks are cut between their buildings from ``SPLIT × tolerance``); default the project's.
        A building above the checks' hard maximum is also reported (see :class:`DivisionResult`).
    count : number of new areas; default chosen to fit the target.
    keep_locked : keep the district's areas with ``locked == 1`` exactly and divide the rest.
    """
    started = time.perf_counter()
    meta = project.meta
    target = float(meta.target_population if target is None else target)
    unit = unit or meta.target_unit
    tolerance = float(meta.tolerance if tolerance is None else tolerance)
    if unit not in ("people", "households"):
        raise ValueError(f"unit must be 'people' or 'households', not {unit!r}")
    if target <= 0 or tolerance < 0:
        raise ValueError(f"target must be positive and tolerance not negative, not {target!r} and {tolerance!r}")
    if count is not None and count < 1:
        raise ValueError(f"count must be at least 1, not {count!r}")
    inp = district_input(project, district_code, unit, keep_locked)
    areas, locked, buildings, footprints, mine = project["small_areas"], inp.locked, project["buildings"], inp.footprints, inp.mine
    free, weights, lines, water = inp.free, inp.weights, inp.lines, inp.water
    upper = max(CheckSettings.for_project(project).hard_max, target * (1 + tolerance))
    heaviest = target * (1 + SPLIT * tolerance)
    units = make_units(free, footprints[mine], weights, lines, water, heaviest)
    if not len(units.geoms):  # every bit of the district is locked
        return _result(district_code, np.zeros(0, dtype=object), buildings.iloc[mine], set(), [], 1.0, unit, target,
                       areas, locked, started)
    band_top = target * (1 + tolerance)
    labels, alone, pairs = group_units(units, band_top, target, count)
    goal = target if count is None else float(units.weights.sum()) / count
    cut = blocks_to_cut(units, labels, alone, goal, SPLIT * tolerance)
    if cut:  # whole blocks too coarse to balance some areas: cut those between their buildings and regroup
        units = make_units(free, footprints[mine], weights, lines, water, heaviest, cut)
        labels, alone, pairs = group_units(units, band_top, target, count)
    geoms = absorb_fragments(units.dissolve(labels))
    geoms = geoms[_north_west_first(geoms)]
    held = set(containing_index(footprints[mine][units.building[alone]], geoms).tolist())
    ids = buildings["id"].to_numpy()[mine[units.building[alone]]]
    result = _result(district_code, geoms, buildings.iloc[mine], held, sorted(int(i) for i in ids),
                     _on_lines(units, labels, *pairs), unit, target, areas, locked, started)
    result.over_limit_buildings = sorted(int(i) for i in ids[units.weights[alone] > upper])
    return result


@dataclass
class DistrictInput:
    """What a district is divided from: its free land, its buildings and weights, the lines on the ground."""

    free: shapely.Geometry  # the district less its locked small areas
    locked: np.ndarray  # mask over the project's small areas: this district's kept areas
    mine: np.ndarray  # indexes of the project's buildings on the free land
    footprints: np.ndarray  # all the project's footprints (index with `mine`)
    weights: np.ndarray  # population or households of the buildings in `mine`
    lines: np.ndarray  # roads
    water: np.ndarray


def district_input(project: CensusProject, district_code: str, unit: str, keep_locked: bool = True) -> DistrictInput:
    """The inputs of :func:`divide_district` for one district (also used by the benchmark's competitors)."""
    districts = project["districts"]
    row = np.flatnonzero(districts["code"].to_numpy() == district_code)
    if not len(row):
        raise ValueError(f"no district coded {district_code!r}")
    region = districts.geometry.array[row[0]]
    areas = project["small_areas"]
    locked = (areas["district_code"].to_numpy() == district_code) & (areas["locked"].to_numpy() == 1) & keep_locked
    locked_geoms = np.asarray(areas.geometry.array[locked], dtype=object)
    free = shapely.difference(region, shapely.union_all(locked_geoms)) if len(locked_geoms) else region
    buildings = project["buildings"]
    footprints = np.asarray(buildings.geometry.array, dtype=object)
    mine = containing_index(footprints, [region]) == 0
    if len(locked_geoms):
        mine &= containing_index(footprints, locked_geoms) < 0
    mine = np.flatnonzero(mine)
    column = "population" if unit == "people" else "households"
    return DistrictInput(free, locked, mine, footprints, buildings[column].to_numpy()[mine].astype(float),
                         _geoms(project["roads"]), _geoms(project["water"]))


def _on_lines(units, labels: np.ndarray, i: np.ndarray, j: np.ndarray, shared: np.ndarray) -> float:
    """Share of the length between groups that lies between different street blocks (so on a road or water)."""
    between = labels[i] != labels[j]
    total = float(shared[between].sum())
    return float(shared[between & (units.block[i] != units.block[j])].sum()) / total if total > 0 else 1.0


def _result(district_code: str, geoms: np.ndarray, buildings: gpd.GeoDataFrame, alone: set[int], oversize_ids: list[int],
            on_lines: float, unit: str, target: float, areas: gpd.GeoDataFrame, locked: np.ndarray, started: float) -> DivisionResult:
    """The new areas `geoms` coded after the locked ones, with their buildings' totals and the division's figures."""
    where = containing_index(np.asarray(buildings.geometry.array, dtype=object), geoms)
    held = where >= 0
    population, households = (np.bincount(where[held], weights=buildings[c].to_numpy()[held], minlength=len(geoms)).astype(int)
                              for c in ("population", "households"))
    seqs = [int(s) for s in areas["seq"].to_numpy()[locked] if str(s).isdigit()]
    first = max(seqs, default=0) + 1
    codes = [f"{district_code}{first + r:03d}" for r in range(len(geoms))]
    new = conform_layer("small_areas", gpd.GeoDataFrame(
        {"code": codes, "district_code": district_code, "seq": [c[-3:] for c in codes],
         "population": population, "households": households, "locked": 0},
        geometry=gpd.GeoSeries(geoms, crs=areas.crs)))
    sizes = population if unit == "people" else households
    balanced = np.array([s for r, s in enumerate(sizes) if r not in alone], dtype=float)
    deviation = np.abs(balanced / target - 1) if len(balanced) else np.zeros(1)
    pp = polsby_popper(geoms) if len(geoms) else np.zeros(1)
    return DivisionResult(
        district_code=district_code,
        areas=len(geoms),
        populations=[int(s) for s in sizes],
        within_20=share_within(balanced, target, 0.20),
        within_12=share_within(balanced, target, 0.12),
        worst_deviation=float(deviation.max()),
        polsby_popper_mean=float(pp.mean()),
        polsby_popper_min=float(pp.min()),
        on_lines=on_lines,
        oversize_buildings=oversize_ids,
        seconds=time.perf_counter() - started,
        area_km2=[float(a) for a in shapely.area(geoms) / 1e6],
        across_m=[float(d) for d in diameters(geoms)],
        walk_m=[float(w) for w in walk_lengths(np.asarray(buildings.geometry.array, dtype=object), where, len(geoms))],
        small_areas=new,
    )


def _geoms(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.asarray(gdf.geometry.array, dtype=object)


def _north_west_first(geoms: np.ndarray) -> np.ndarray:
    """Order of `geoms` by the north-west diagonal of their representative points (x − y ascending)."""
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    return np.lexsort((xy[:, 0], xy[:, 0] - xy[:, 1]))
