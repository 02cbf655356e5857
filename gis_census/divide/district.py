"""Dividing one district: units, balanced contiguous groups, and the small areas they dissolve into."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from gis_census.divide.cells import absorb_fragments, fill_noise_holes
from gis_census.divide.grouping import LinePreference, blocks_to_cut, group_units
from gis_census.divide.lines import onto_lines, straighten
from gis_census.divide.measures import diameters, polsby_popper, share_within, walk_lengths
from gis_census.divide.units import UnitMaker
from gis_census.project import CensusProject
from gis_census.rules import AREA_TOLERANCE, HARD_MAX, Target, next_seqs
from gis_census.spatial import holding_index, overlap_groups

__all__ = ["DivisionResult", "DistrictInput", "checked_goal", "divide_district", "divide_input", "district_holders", "district_input"]

#: A street block is cut between its buildings once it weighs more than target × (1 + SPLIT × tolerance):
#: with the default tolerance 0.2 that is +12 %, so whole blocks stay within the narrower band.
SPLIT = 0.6


@dataclass
class DivisionResult:
    """What dividing one district produced. Populations are in the division's unit (people or households).

    A building is never split (one over the limit whose stairwells are recorded has already been
    divided between them by :func:`~gis_census.divide.divide_project`, see `stairwell_splits`, and
    its parts are buildings of their own; overlapping footprints count as one building). One with more
    than ``target × (1 + tolerance)`` is an oversize building: it becomes a small area of its own (no
    area holding it can be balanced), counted in `oversize_areas`. The shares and the worst deviation
    count every area, these included. Only a building above the hard maximum of the checks
    (:data:`~gis_census.rules.HARD_MAX`, 500 people) is reported, in `over_limit_buildings`, because
    its area breaks the hard limit and the office must approve it or divide the building by stairwell.
    """

    district_code: str
    areas: int
    populations: list[int]
    within_20: float  # share of all the areas within ±20 % of the target
    within_12: float
    worst_deviation: float  # largest |population / target - 1| of all the areas
    polsby_popper_mean: float
    polsby_popper_min: float
    oversize_buildings: list[int]  # building ids above target × (1 + tolerance), each a small area of its own
    seconds: float
    area_km2: list[float] = field(default_factory=list)
    across_m: list[float] = field(default_factory=list)  # longest straight distance across each area
    walk_m: list[float] = field(default_factory=list)  # building to building in numbering order (long steps by road), per area
    over_limit_buildings: list[int] = field(default_factory=list)  # oversize buildings above the hard maximum: reported
    stairwell_splits: list[int] = field(default_factory=list)  # buildings divided between their stairwells first
    small_areas: gpd.GeoDataFrame = field(kw_only=True, repr=False)  # the new (not locked) areas
    oversize_areas: int = 0  # areas that are one oversize building (counted in the shares too)


def divide_district(project: CensusProject, district_code: str, *, target: float | None = None,
                    unit: Literal["people", "households"] | None = None, tolerance: float | None = None,
                    count: int | None = None, keep_locked: bool = True, holders: np.ndarray | None = None,
                    preference: LinePreference | None = None) -> DivisionResult:
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
    holders : for each of the project's buildings, the row of the district holding it
        (:func:`~gis_census.spatial.holding_index`); found when not given.
    preference : how much balance is given for lines people can follow (:class:`~gis_census.divide.grouping.LinePreference`);
        default its defaults.
    """
    goal = checked_goal(project.meta, target, unit, tolerance, count)
    return divide_input(district_input(project, district_code, goal.unit, keep_locked, holders), goal, count,
                        preference)


def checked_goal(meta, target: float | None, unit: str | None, tolerance: float | None, count: int | None) -> Target:
    """The project's target with the values given instead, refused with a message naming a bad one."""
    goal = Target.of(meta, target, unit, tolerance)
    if goal.unit not in ("people", "households"):
        raise ValueError(f"unit must be 'people' or 'households', not {goal.unit!r}")
    if goal.size <= 0 or goal.tolerance < 0:
        raise ValueError(f"target must be positive and tolerance not negative, not {goal.size!r} and {goal.tolerance!r}")
    if count is not None and count < 1:
        raise ValueError(f"count must be at least 1, not {count!r}")
    return goal


def divide_input(inp: DistrictInput, goal: Target, count: int | None = None,
                 preference: LinePreference | None = None) -> DivisionResult:
    """Divide the district of `inp` (see :func:`district_input`) to `goal`: the work of :func:`divide_district`,
    from inputs alone, so it can run in another process."""
    preference = preference or LinePreference()
    started = time.perf_counter()
    target, unit, tolerance = goal.size, goal.unit, goal.tolerance
    buildings = inp.buildings
    footprints = np.asarray(buildings.geometry.array, dtype=object)
    free, weights, lines, water = inp.free, inp.weights, inp.lines, inp.water
    upper = max(HARD_MAX, goal.top)
    heaviest = target * (1 + SPLIT * tolerance)
    # Overlapping footprints (a podium under its tower, an annex, a duplicate) are divided as one building.
    group = overlap_groups(footprints)
    solids, group_weights = _merge_groups(footprints, weights, group)
    # GEOS overlays lose their topology on Gauss–Krüger eastings (4×10⁷ m): divide near (0, 0). The
    # origin is whole metres, so shifting back restores the district's own vertices exactly.
    origin = np.round(shapely.get_coordinates(shapely.centroid(free))[0]) if not shapely.is_empty(free) else np.zeros(2)
    shift = lambda g: shapely.transform(g, lambda c: c - origin)  # noqa: E731
    free, solids, lines, water = shift(free), shift(solids), shift(lines), shift(water)
    maker = UnitMaker(free, solids, group_weights, lines, water, heaviest)
    units = maker.units()
    if not len(units.geoms):  # every bit of the district is locked
        return _result(inp, np.zeros(0, dtype=object), set(), [], unit, target, started)
    band_top = target * (1 + tolerance)
    labels, alone = group_units(units, band_top, target, count, goal.limits, solids, preference)
    aim = target if count is None else float(units.weights.sum()) / count
    cut = blocks_to_cut(units, labels, alone, aim, SPLIT * tolerance)
    if cut:  # whole blocks too coarse to balance some areas: cut those between their buildings and regroup
        units = maker.units(cut)
        labels, alone = group_units(units, band_top, target, count, goal.limits, solids, preference)
    geoms = fill_noise_holes(absorb_fragments(units.dissolve(labels)), AREA_TOLERANCE)
    features = np.r_[lines, np.where(shapely.get_dimensions(water) == 2, shapely.boundary(water), water)]
    strays = shift(inp.strays)
    geoms = onto_lines(straighten(geoms, solids, features, strays), features, np.r_[solids, strays])
    geoms = geoms[_north_west_first(geoms)]
    held = set(holding_index(solids[units.building[alone]], geoms).tolist())
    geoms = _shift_back(geoms, origin)
    ids = buildings["id"].to_numpy()
    oversize = units.building[alone]
    result = _result(inp, geoms, held, _members(ids, group, oversize), unit, target, started)
    result.over_limit_buildings = _members(ids, group, oversize[units.weights[alone] > upper])
    return result


def _merge_groups(footprints: np.ndarray, weights: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One footprint per overlap group (the union of its members) and the group's total weight."""
    n = int(group.max()) + 1 if len(group) else 0
    solids = np.empty(n, dtype=object)
    solids[group] = footprints  # single members keep their own geometry
    counts = np.bincount(group, minlength=n)
    for g in np.flatnonzero(counts > 1):
        solids[g] = shapely.union_all(footprints[group == g])
    return solids, np.bincount(group, weights=weights, minlength=n)


def _members(ids: np.ndarray, group: np.ndarray, groups: np.ndarray) -> list[int]:
    """Building ids of every member of `groups`, sorted."""
    return sorted(int(i) for i in ids[np.isin(group, groups)])


@dataclass
class DistrictInput:
    """What a district is divided from: its free land, its buildings and weights, the lines on the ground."""

    code: str
    free: shapely.Geometry  # the district less its locked small areas
    buildings: gpd.GeoDataFrame  # the project's buildings on the free land (id, population, households)
    weights: np.ndarray  # their population or households
    lines: np.ndarray  # roads near the district
    water: np.ndarray  # water near the district
    locked_seqs: np.ndarray  # numbers of the district's kept areas
    crs: object  # of the project's small areas
    # footprints of other districts' buildings reaching onto the free land (across a village line): a new
    # boundary is straightened over none of them either
    strays: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))


#: The buildings' fields dividing reads (besides the footprint).
_BUILDING_FIELDS = ["id", "population", "households"]


def district_input(project: CensusProject, district_code: str, unit: str, keep_locked: bool = True,
                   holders: np.ndarray | None = None) -> DistrictInput:
    """The inputs of :func:`divide_district` for one district (also used by the benchmark's competitors).

    The district's buildings are those it holds by :func:`~gis_census.spatial.holding_index` among all
    districts (`holders`, found when not given), so a house cut by a village line is divided once. Only
    the district's own buildings and the roads and water near it are passed on, so dividing it costs
    the same in a county as alone.
    """
    districts = project["districts"]
    row = np.flatnonzero(districts["code"].to_numpy() == district_code)
    if not len(row):
        raise ValueError(f"no district coded {district_code!r}")
    region = districts.geometry.array[row[0]]
    areas = project["small_areas"]
    locked = (areas["district_code"].to_numpy() == district_code) & (areas["locked"].to_numpy() == 1) & keep_locked
    locked_geoms = np.asarray(areas.geometry.array[locked], dtype=object)
    free = shapely.difference(region, shapely.union_all(locked_geoms)) if len(locked_geoms) else region
    if holders is None:
        holders = district_holders(project)
    # only what dividing reads: a district's input goes to another process and back
    layer = project["buildings"]
    buildings = layer.iloc[np.flatnonzero(holders == row[0])][[*_BUILDING_FIELDS, layer.geometry.name]]
    if len(locked_geoms):
        buildings = buildings[holding_index(np.asarray(buildings.geometry.array, dtype=object), locked_geoms) < 0]
    column = "population" if unit == "people" else "households"
    reaching = layer.sindex.query(free, predicate="intersects") if len(layer) else np.zeros(0, dtype=int)
    strays = np.asarray(layer.geometry.array, dtype=object)[reaching[holders[reaching] != row[0]]]
    return DistrictInput(district_code, free, buildings, buildings[column].to_numpy().astype(float),
                         _near(project["roads"], region), _near(project["water"], region),
                         areas["seq"].to_numpy(object)[locked], areas.crs, strays)


def district_holders(project: CensusProject) -> np.ndarray:
    """For each of the project's buildings, the row of the district holding it (-1 for none)."""
    return holding_index(np.asarray(project["buildings"].geometry.array, dtype=object),
                         np.asarray(project["districts"].geometry.array, dtype=object))


def _result(inp: DistrictInput, geoms: np.ndarray, alone: set[int], oversize_ids: list[int], unit: str, target: float,
            started: float) -> DivisionResult:
    """The new areas `geoms` coded after the locked ones, with their buildings' totals and the division's figures."""
    district_code, buildings = inp.code, inp.buildings
    where = holding_index(np.asarray(buildings.geometry.array, dtype=object), geoms)
    held = where >= 0
    population, households = (np.bincount(where[held], weights=buildings[c].to_numpy()[held], minlength=len(geoms)).astype(int)
                              for c in ("population", "households"))
    codes = [district_code + seq for seq in next_seqs(inp.locked_seqs, len(geoms))]
    new = gpd.GeoDataFrame(  # the schema's other columns are filled where the areas join the project
        {"code": np.array(codes, dtype=object), "district_code": district_code,
         "seq": np.array([c[-3:] for c in codes], dtype=object), "population": population.astype("int64"),
         "households": households.astype("int64"), "locked": np.zeros(len(codes), dtype="int64")},
        geometry=gpd.GeoSeries(geoms, crs=inp.crs))
    sizes = population if unit == "people" else households
    deviation = np.abs(sizes / target - 1) if len(sizes) else np.zeros(1)
    pp = polsby_popper(geoms) if len(geoms) else np.zeros(1)
    return DivisionResult(
        district_code=district_code,
        areas=len(geoms),
        populations=[int(s) for s in sizes],
        within_20=share_within(sizes, target, 0.20),
        within_12=share_within(sizes, target, 0.12),
        worst_deviation=float(deviation.max()),
        polsby_popper_mean=float(pp.mean()),
        polsby_popper_min=float(pp.min()),
        oversize_buildings=oversize_ids,
        seconds=time.perf_counter() - started,
        area_km2=[float(a) for a in shapely.area(geoms) / 1e6],
        across_m=[float(d) for d in diameters(geoms)],
        walk_m=[float(w) for w in walk_lengths(np.asarray(buildings.geometry.array, dtype=object), where, len(geoms),
                                               inp.lines)],
        small_areas=new,
        oversize_areas=len(alone),
    )


#: A grid whose points stay exact floats when shifted by whole metres up to 2³² m (2⁻²⁰ m ≈ 1 µm).
_GRID = 2.0 ** -20


def _shift_back(geoms: np.ndarray, origin: np.ndarray) -> np.ndarray:
    """`geoms` moved back from near (0, 0) to `origin`, valid.

    A new vertex rounds to the coarser float grid of large eastings and can fold a thin part; such an
    area is snapped to a 1 µm grid first, whose points shift back exactly.
    """
    out = shapely.transform(geoms, lambda c: c + origin)
    folded = ~shapely.is_valid(out)
    if folded.any():
        out[folded] = shapely.transform(shapely.set_precision(geoms[folded], _GRID), lambda c: c + origin)
    return out


def _near(gdf: gpd.GeoDataFrame, region) -> np.ndarray:
    """The lines or polygons of `gdf` whose bounding box meets the region's, found through the layer's
    spatial index (built once for all the districts of a job)."""
    if not len(gdf):
        return np.zeros(0, dtype=object)
    rows = np.sort(gdf.sindex.query(shapely.envelope(region), predicate="intersects"))
    return np.asarray(gdf.geometry.array, dtype=object)[rows]


def _north_west_first(geoms: np.ndarray) -> np.ndarray:
    """Order of `geoms` by the north-west diagonal of their representative points (x − y ascending)."""
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    return np.lexsort((xy[:, 0], xy[:, 0] - xy[:, 1]))
