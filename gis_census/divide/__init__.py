"""Automatic division of districts into small areas: street blocks, cuts between buildings, balancing."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from gis_census.divide.district import (
    DivisionResult,
    checked_goal,
    district_holders,
    district_input,
    divide_district,
    divide_input,
)
from gis_census.divide.grouping import LinePreference
from gis_census.divide.stairwells import join_parts, split_by_stairwells
from gis_census.forking import forked_pool, may_fork
from gis_census.numbering import CodeReport, assign_codes
from gis_census.project import CensusProject, conform_layer, keep_previous_division
from gis_census.rules import Target, count_population, has_land, is_virtual, locate_buildings, whole_parts
from gis_census.spatial import is_in

__all__ = ["DivisionResult", "divide_district", "divide_project", "divide_and_number"]

#: Buildings in a job from which its districts are divided in processes rather than threads.
PROCESSES_FROM = 50_000


def divide_project(project: CensusProject, districts: list[str] | None = None, *, target: float | None = None,
                   unit: Literal["people", "households"] | None = None, tolerance: float | None = None,
                   count: int | None = None, keep_locked: bool = True, feedback=None,
                   preference: LinePreference | None = None) -> list[DivisionResult]:
    """Divide `districts` (default: all) and put the new small areas into `project`.

    Each district's small areas that are not locked are replaced; the buildings in and near them get the
    code of the area holding them (:func:`~gis_census.rules.locate_buildings`) and the areas they left or
    joined are recounted. `feedback` (optional) is told the progress in percent
    through ``set_progress`` and may stop the job between districts through ``is_canceled``.
    Other arguments as for :func:`divide_district`.

    Example
    -------
    >>> results = divide_project(project, target=300)
    >>> [(r.district_code, r.areas, r.within_20) for r in results]
    """
    codes = list(project["districts"]["code"]) if districts is None else list(districts)
    goal = checked_goal(project.meta, target, unit, tolerance, count)
    holders = district_holders(project)
    split = _divide_high_rises(project, codes, target, unit, tolerance, keep_locked, holders)
    if split is not None:  # the divided buildings' parts are new rows
        holders = district_holders(project)
    rows = np.flatnonzero(is_in(project["districts"]["code"].to_numpy(), codes))
    job = _Job(project, goal, count, keep_locked, holders, preference or LinePreference())
    workers = min(len(codes), os.cpu_count() or 1) or 1
    # The grouping is Python and holds the GIL: a large job is shared between forked processes where the
    # process may fork; otherwise threads, which still overlap in GEOS (it releases the GIL).
    forked = workers > 1 and may_fork() and int(np.isin(holders, rows).sum()) >= PROCESSES_FROM
    global _forked_job
    _forked_job = job if forked else None
    try:
        with forked_pool(workers) if forked else ThreadPoolExecutor(workers) as pool:
            results = _run(pool, _divide_forked if forked else job.divide, codes, workers, feedback)
    finally:
        _forked_job = None
    _apply(project, results, keep_locked)
    if split is not None:
        originals, parts, district_of = split
        joined, divided = join_parts(project["buildings"], originals, parts)
        project.layers["buildings"] = conform_layer("buildings", joined)
        for r in results:
            r.stairwell_splits = [i for i in divided if district_of[i] == r.district_code]
    return results


@dataclass
class _Job:
    """What each district of a division is divided with; its :meth:`divide` runs in a worker."""

    project: CensusProject
    goal: Target
    count: int | None
    keep_locked: bool
    holders: np.ndarray
    preference: LinePreference = LinePreference()

    def __post_init__(self) -> None:
        for layer in ("roads", "water"):  # built once here, not by two workers at once
            if len(self.project[layer]):
                self.project[layer].sindex  # noqa: B018

    def divide(self, code: str) -> DivisionResult:
        """District `code` divided, from the inputs made here, in the worker."""
        return divide_input(district_input(self.project, code, self.goal.unit, self.keep_locked, self.holders),
                            self.goal, self.count, self.preference)


#: The job of a division run in forked processes: each inherits it at the fork, so neither the project nor a
#: district's inputs are pickled to it (only the code goes, and the result comes back).
_forked_job: _Job | None = None


def _divide_forked(code: str) -> DivisionResult:
    assert _forked_job is not None
    return _forked_job.divide(code)


def _run(pool: Executor, divide: Callable[[str], DivisionResult], codes: list[str], workers: int,
         feedback) -> list[DivisionResult]:
    """The districts `codes` divided by `divide` on `pool`, in their order, `workers` at work and as many
    waiting (so no worker idles while the next district is sent); none is started once `feedback` is
    canceled, and only the districts divided are returned."""
    futures: list[Future] = []
    running: set[Future] = set()
    for code in codes:
        if len(running) >= 2 * workers:
            running = wait(running, return_when=FIRST_COMPLETED).not_done
            _report(feedback, futures, len(codes))
        if feedback is not None and feedback.is_canceled():
            for future in running:
                future.cancel()  # those still waiting
            break
        futures.append(pool.submit(divide, code))
        running.add(futures[-1])
    wait(running)
    _report(feedback, futures, len(codes))
    return [f.result() for f in futures if not f.cancelled()]


def _report(feedback, futures: list[Future], total: int) -> None:
    if feedback is not None and total:
        feedback.set_progress(100.0 * sum(f.done() for f in futures) / total)


def divide_and_number(project: CensusProject, districts: list[str] | None = None, **kwargs
                      ) -> tuple[list[DivisionResult], CodeReport]:
    """Divide `districts` (default: all), then number what was divided: the one job behind the command
    line's ``divide`` and the app's divide command. The division locates the buildings and counts the
    areas' population; the numbering only renames (``assign_codes(..., located=True)``). The small areas
    replaced the first time are kept as the previous division (:func:`~gis_census.project.keep_previous_division`).
    `kwargs` as for :func:`divide_project`."""
    keep_previous_division(project, districts)
    results = divide_project(project, districts, **kwargs)
    return results, assign_codes(project, [r.district_code for r in results], located=True)


def _divide_high_rises(project: CensusProject, codes: list[str], target, unit, tolerance, keep_locked: bool,
                       where: np.ndarray) -> tuple[gpd.GeoDataFrame, dict[int, list[int]], dict[int, str]] | None:
    """Divide the chosen districts' buildings above the limit into their recorded stairwells (see
    :func:`~gis_census.divide.stairwells.split_by_stairwells`) for the division to group; the buildings
    divided as they were, their parts' ids and their districts (None: none divided). `where` holds the
    district row of each building (:func:`~gis_census.divide.district.district_holders`)."""
    goal = Target.of(project.meta, target, unit, tolerance)
    districts = project["districts"]
    rows = np.flatnonzero(is_in(districts["code"].to_numpy(), codes))
    buildings = project["buildings"]
    chosen = np.isin(where, rows)
    if keep_locked:
        areas = project["small_areas"]
        chosen &= ~is_in(buildings["small_area_code"].to_numpy(), areas["code"].to_numpy()[areas["locked"].to_numpy() == 1])
    new, parts = split_by_stairwells(buildings, chosen, goal.top, goal.column)
    if not parts:
        return None
    project.layers["buildings"] = conform_layer("buildings", new)
    divided = buildings["id"].isin(list(parts)).to_numpy()
    district_of = dict(zip(buildings["id"].to_numpy()[divided].tolist(), districts["code"].to_numpy()[where[divided]].tolist()))
    return buildings[divided], parts, district_of


def _uninhabited_exclave_flags(project: CensusProject, new) -> np.ndarray:
    """1 for each new area that is a whole uninhabited part of an exclave district (the rule of
    :mod:`gis_census.rules`), so the checks accept it; 0 for the others."""
    districts = project["districts"]
    index = {code: i for i, code in enumerate(districts["code"])}
    di = np.array([index.get(c, -1) for c in new["district_code"]], dtype=int)
    flags = np.where(di >= 0, districts["exclave"].to_numpy()[np.maximum(di, 0)], 0) if len(districts) else np.zeros(len(di))
    candidates = np.flatnonzero((new["population"].to_numpy() == 0) & (flags == 1))
    out = np.zeros(len(new), dtype=int)
    if len(candidates):
        parents = np.asarray(districts.geometry.array, dtype=object)[di[candidates]]
        whole = whole_parts(np.asarray(new.geometry.array, dtype=object)[candidates], parents)
        out[candidates[whole]] = 1
    return out


def _apply(project: CensusProject, results: list[DivisionResult], keep_locked: bool) -> None:
    """Replace the divided districts' areas and recode their buildings."""
    if not results:
        return
    done = [r.district_code for r in results]
    areas = project["small_areas"]
    # Virtual areas have no land to divide: they and the residents moved to them stay as they are.
    virtual = is_virtual(areas["seq"].to_numpy(object), np.asarray(areas.geometry.array, dtype=object))
    replaced = is_in(areas["district_code"].to_numpy(), done) & ~virtual
    if keep_locked:
        replaced &= areas["locked"].to_numpy() != 1
    old_codes = set(areas["code"].to_numpy()[replaced])
    kept = areas[~replaced]
    new = pd.concat([r.small_areas if r.small_areas.crs == kept.crs else r.small_areas.set_crs(kept.crs, allow_override=True)
                     for r in results], ignore_index=True)
    new["exclave"] = _uninhabited_exclave_flags(project, new).astype("int64")
    project.layers["small_areas"] = conform_layer("small_areas", pd.concat([kept, new], ignore_index=True))

    _locate_and_count(project, old_codes, np.asarray(new.geometry.array, dtype=object))


def _locate_and_count(project: CensusProject, old_codes: set, new_geoms: np.ndarray) -> None:
    """Give the buildings in or near the new areas (and those of the areas replaced) the code of the area
    holding them (:func:`~gis_census.rules.locate_buildings`), and recount the areas they left or joined."""
    areas, buildings = project["small_areas"], project["buildings"]
    index = buildings.sindex  # the layer's own index, before the copy below would build another
    buildings = buildings.copy()
    stored = buildings["small_area_code"].to_numpy().astype(object)
    near = index.query(new_geoms[has_land(new_geoms)], predicate="intersects")[1] if len(buildings) else []
    cand = np.union1d(np.asarray(near, dtype=np.int64), np.flatnonzero(is_in(stored, old_codes)))
    # Footprints overlapping a candidate form one building with it: locate them together.
    cand = np.union1d(cand, index.query(buildings.geometry.array[cand], predicate="intersects")[1])
    subset = buildings.iloc[cand]
    located = locate_buildings(areas, subset.assign(small_area_code=np.where(is_in(stored[cand], old_codes), "", stored[cand])))
    moved = located != stored[cand]
    left = set(stored[cand][moved])
    stored[cand] = located
    buildings["small_area_code"] = stored
    project.layers["buildings"] = buildings
    codes = areas["code"].to_numpy(object)
    recount = is_in(codes, set(located[moved]) | left | set(codes[len(codes) - len(new_geoms):]))
    population, households = count_population(codes[recount], buildings)
    areas.loc[recount, "population"], areas.loc[recount, "households"] = population, households
