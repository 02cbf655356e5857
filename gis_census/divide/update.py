"""Update a division after the pre-count walk, changing only where it must (``gis-census divide --update``).

The enumerators already hold printed maps, so a district is divided again only when one of its small areas
left the band, and then as locally as will do: an area out of the band alone, with one neighbour, with all its
neighbours (the rest of the district held as if locked), the whole district last. New areas take
the codes of the old areas whose people they hold most, and buildings keep their numbers while they stay in an
area of the same code (:mod:`gis_census.numbering.carry`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from gis_census.divide import DivisionResult, divide_project
from gis_census.divide.district import district_holders
from gis_census.divide.heal import cut_buildings, heal_cut_buildings
from gis_census.errors import CensusError
from gis_census.numbering import assign_codes
from gis_census.numbering.carry import carry_numbers, match_areas
from gis_census.project import CensusProject, keep_previous_division
from gis_census.rules import Target, building_name, count_population, has_land, is_virtual, locate_buildings, next_seqs
from gis_census.spatial import is_in

__all__ = ["AreaChange", "BuildingChange", "UpdateReport", "outside_band", "districts_to_update", "update_division"]

#: m of boundary two small areas must share to be neighbours (a shared corner is not enough).
NEIGHBOUR_EDGE = 0.5
#: Neighbours tried one at a time with an area outside the band before all of them together.
NEIGHBOUR_TRIALS = 3


@dataclass(frozen=True)
class AreaChange:
    """A small area whose map must be printed again: `kind` "reshaped" (same code, new land), "new" or "gone"."""

    code: str
    kind: str


@dataclass(frozen=True)
class BuildingChange:
    """A building whose name (:func:`~gis_census.rules.building_name`) changed; "" for one that is new or gone."""

    building_id: int
    old_name: str
    new_name: str


@dataclass
class UpdateReport:
    """What :func:`update_division` did.

    Attributes
    ----------
    districts : the districts looked at (out of the band, or named)
    redivided : district -> old codes of the areas divided again (absent: the district was left as it was)
    results : the division of each district divided again, its new areas under their final codes
    still_outside : district -> codes still outside the band afterwards (no division of the land free to
        change did better: an oversize building, a hamlet cut off by a river, locked neighbours)
    areas, buildings : the renumbering list: every area and every building whose code or name changed
    canceled : the job was stopped; the project is unchanged
    """

    districts: list[str] = field(default_factory=list)
    redivided: dict[str, list[str]] = field(default_factory=dict)
    results: list[DivisionResult] = field(default_factory=list)
    still_outside: dict[str, list[str]] = field(default_factory=dict)
    areas: list[AreaChange] = field(default_factory=list)
    buildings: list[BuildingChange] = field(default_factory=list)
    canceled: bool = False


def outside_band(project: CensusProject, goal: Target | None = None) -> np.ndarray:
    """For each small area, whether it is outside the band of `goal` (default the project's target:
    size ± tolerance, inside the hard limits) and could be brought into it by dividing again.

    Counted from the buildings each area holds (:func:`~gis_census.rules.locate_buildings`). Not
    counted: locked and virtual areas, uninhabited exclaves, and an area holding a building that alone
    is above the band (nothing can balance it), unless others beside it take the area over the hard limit.
    """
    goal = goal or Target.of(project.meta)
    off, _, _ = _sizes(project, locate_buildings(project["small_areas"], project["buildings"]), goal)
    return off


def districts_to_update(project: CensusProject, goal: Target | None = None) -> list[str]:
    """The districts :func:`update_division` looks at by default: those with a small area :func:`outside_band`,
    a building not yet coded and numbered in the small area holding it (one the walk found), a building a boundary
    cuts (:func:`~gis_census.divide.heal.cut_buildings`), or buildings and no small areas (never divided)."""
    goal = goal or Target.of(project.meta)
    areas, buildings = project["small_areas"], project["buildings"]
    placed = locate_buildings(areas, buildings)
    off, _, _ = _sizes(project, placed, goal)
    stored = buildings["small_area_code"].to_numpy(object)
    stray = (placed != stored) | ((placed != "") & (buildings["number"].to_numpy() == 0))
    district_of = dict(zip(areas["code"].tolist(), areas["district_code"].tolist()))
    strays = {district_of[c] for c in set(placed[stray]) | set(stored[stray]) if c in district_of}
    divided = set(areas["district_code"].to_numpy(object)[has_land(np.asarray(areas.geometry.array, dtype=object))])
    undivided = set(buildings["district_code"].to_numpy(object)) & set(project["districts"]["code"]) - divided
    cut = set(areas["district_code"].to_numpy(object)[cut_buildings(areas, buildings)[1]])
    return sorted(set(areas["district_code"].to_numpy(object)[off]) | strays | undivided | cut)


def _sizes(project: CensusProject, placed: np.ndarray, goal: Target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each small area, with the buildings in the areas coded `placed`: whether it is outside the band and
    could be brought in (see :func:`outside_band`), whether it is exempt, and its size in the goal's unit."""
    areas, buildings = project["small_areas"], project["buildings"]
    codes = areas["code"].to_numpy(object)
    values = buildings[goal.column].to_numpy()
    sums = pd.Series(values).groupby(placed).agg(["sum", "max", "size"]).reindex(pd.Index(codes, dtype=object), fill_value=0)
    size, heaviest, count = sums["sum"].to_numpy(), sums["max"].to_numpy(), sums["size"].to_numpy()
    low, high = _band(goal)
    free = (areas["locked"].to_numpy() != 1) & ~is_virtual(areas["seq"].to_numpy(object), np.asarray(areas.geometry.array, dtype=object))
    # A building above the band cannot be balanced; but an area over the hard limit with others beside it can be
    # divided, the big building alone.
    unbalanced = (heaviest > goal.top) & ((size <= goal.limits[1]) | (count == 1))
    exempt = unbalanced | ((size == 0) & (areas["exclave"].to_numpy() == 1))
    return free & ~exempt & ((size < low) | (size > high)), exempt, size


def _band(goal: Target) -> tuple[float, float]:
    """The band of a small area's size: target ± tolerance, within the hard limits."""
    return max(goal.size * (1 - goal.tolerance), goal.limits[0]), min(goal.top, goal.limits[1])


def _fits(total: float, goal: Target) -> bool:
    """Whether `total` people (or households) can make whole areas all within the band, by number alone."""
    low, high = _band(goal)
    return total > 0 and np.ceil(total / high) <= np.floor(total / low)


def update_division(project: CensusProject, districts: list[str] | None = None, *, feedback=None) -> UpdateReport:
    """Bring the small areas back into the band with as little change as possible, in place; return what changed.

    Districts: those given, or :func:`districts_to_update`; other districts are not touched.
    In each, the buildings are located again (new ones join the area holding them) and the areas
    recounted; a house a boundary cuts is made whole by bending the boundary around it
    (:func:`~gis_census.divide.heal.heal_cut_buildings`); then each area outside the band, the worst first, is divided again
    (:func:`~gis_census.divide.divide_project`, the district's other areas held as if locked) with the fewest
    areas around it that bring every new area into the band: alone, with one neighbour, with all its
    neighbours. The whole district is divided again only if that leaves fewer areas outside
    than remain; else those areas stay as they are and are reported.
    Locked and virtual areas are never changed. New areas take the codes of the old ones they share the
    most people with (:func:`~gis_census.numbering.carry.match_areas`), the others the next free numbers;
    building numbers change only for buildings that changed area (:func:`~gis_census.numbering.carry.carry_numbers`).
    When something changed, the small areas as they were are kept as the previous division the first time
    (:func:`~gis_census.project.keep_previous_division`).
    `feedback` (optional) gets the progress and may stop the job between districts, leaving the project as it was.
    Raises CensusError when small-area codes or building ids repeat (rows are matched by them).
    """
    goal = Target.of(project.meta)
    known = set(project["districts"]["code"])
    for code in districts or ():
        if code not in known:
            raise ValueError(f"no district coded {code!r}")
    before = {name: project[name] for name in ("small_areas", "buildings")}
    for layer, key in (("small_areas", "code"), ("buildings", "id")):
        repeated = before[layer][key][before[layer][key].duplicated()]
        if len(repeated):  # rows are matched by these before and after
            raise CensusError("update_repeated_keys", layer=layer, values=", ".join(map(str, sorted(set(repeated))[:10])))
    chosen = sorted(set(districts)) if districts is not None else districts_to_update(project, goal)
    report = UpdateReport(districts=chosen)
    work = _located(project, chosen)
    healed, _ = heal_cut_buildings(work["small_areas"], work["buildings"], work["districts"], chosen)
    work = _copy(work, small_areas=healed)
    holders = district_holders(work)
    rows = {code: k for k, code in enumerate(work["districts"]["code"])}
    ids = work["buildings"]["id"].to_numpy()
    members = {district: ids[holders == rows[district]] for district in chosen}
    for k, district in enumerate(chosen):
        if feedback is not None and feedback.is_canceled():
            return UpdateReport(districts=chosen, canceled=True)
        local = _local(work, district, members[district])
        updated = _update_district(local, district, goal, report)
        if updated is not local:
            work = _merged(work, updated, district, members[district])
        if feedback is not None:
            feedback.set_progress(100.0 * (k + 1) / len(chosen))
    _number(work, before, chosen)
    project.layers["small_areas"], project.layers["buildings"] = work["small_areas"], work["buildings"]
    report.areas, report.buildings = _changes(before, work, chosen)
    if report.areas or report.buildings:
        keep_previous_division(project, chosen, before["small_areas"])
    return report


def _copy(project: CensusProject, **layers) -> CensusProject:
    """`project` sharing its layers but those given (the jobs below replace layers, never change them in place)."""
    out = copy.copy(project)
    out.layers = {**dict(project.layers), **layers}
    return out


def _local(work: CensusProject, district: str, members: np.ndarray) -> CensusProject:
    """`work` cut down to `district`: its row, its small areas and the buildings it holds (`members`, ids), so
    that dividing it again costs the same in a county as alone."""
    def rows(layer: str, keep: np.ndarray):
        return work[layer][keep].reset_index(drop=True)

    return _copy(work, districts=rows("districts", (work["districts"]["code"] == district).to_numpy()),
                 small_areas=rows("small_areas", _in(work, district)),
                 buildings=rows("buildings", np.isin(work["buildings"]["id"].to_numpy(), members)))


def _merged(work: CensusProject, local: CensusProject, district: str, members: np.ndarray) -> CensusProject:
    """`work` with the rows of `district` (its small areas, the buildings `members`) replaced by those of `local`."""
    buildings = work["buildings"]
    return _copy(work, small_areas=_replaced(work["small_areas"], _in(work, district), local["small_areas"], "code"),
                 buildings=_replaced(buildings, np.isin(buildings["id"].to_numpy(), members), local["buildings"], "id"))


def _replaced(frame, rows: np.ndarray, new, key: str):
    """`frame` with its `rows` replaced by `new`: a row of `new` takes the place of the row with its `key`, the
    others (new areas, stairwell parts) go last."""
    both = pd.concat([frame[~rows], new], ignore_index=True)
    place = pd.Series(np.arange(len(frame)), index=frame[key].to_numpy())
    order = np.argsort(place.reindex(both[key].to_numpy()).fillna(len(frame)).to_numpy(), kind="stable")
    return both.iloc[order].reset_index(drop=True)


def _located(project: CensusProject, chosen: list[str]) -> CensusProject:
    """A copy in which the buildings of the `chosen` districts are located again and their areas recounted."""
    areas, buildings = project["small_areas"].copy(), project["buildings"].copy()
    in_chosen = is_in(areas["district_code"].to_numpy(object), chosen)
    stored = buildings["small_area_code"].to_numpy(object)
    placed = locate_buildings(areas, buildings)
    codes = areas["code"].to_numpy(object)
    mine = is_in(placed, codes[in_chosen]) | is_in(stored, codes[in_chosen])
    buildings["small_area_code"] = pd.Series(np.where(mine, placed, stored), index=buildings.index,
                                             dtype=buildings["small_area_code"].dtype)
    areas.loc[in_chosen, "population"], areas.loc[in_chosen, "households"] = count_population(codes[in_chosen], buildings)
    return _copy(project, small_areas=areas, buildings=buildings)


def _update_district(work: CensusProject, district: str, goal: Target, report: UpdateReport) -> CensusProject:
    """`work` with the areas of `district` outside the band divided again (see :func:`update_division`)."""
    areas = work["small_areas"]
    if not (has_land(np.asarray(areas.geometry.array, dtype=object)) & (areas["district_code"] == district).to_numpy()).any():
        none = np.zeros(len(areas), dtype=bool)
        work = _accept(work, _divide_part(work, district, none), none, district, report)
        assign_codes(work, [district], located=True)  # nothing printed yet: serpentine codes, supervisor groups
        return work
    _, bad, _, _ = _state(work, district, goal)
    worst_first = np.argsort(-np.abs(areas[goal.column].to_numpy()[bad] / goal.size - 1), kind="stable")
    for code in areas["code"].to_numpy(object)[bad][worst_first]:
        movable, bad, pairs, size = _state(work, district, goal)
        seeds = bad & (work["small_areas"]["code"].to_numpy(object) == code)
        if not seeds.any():  # brought into the band with an earlier one
            continue
        for freed in _candidates(seeds, movable, pairs, size, goal):
            trial = _divide_part(work, district, freed)
            new = is_in(trial[0]["small_areas"]["code"].to_numpy(object), trial[1].small_areas["code"].to_numpy(object))
            if not (_outside(trial[0], goal) & new).any():
                work = _accept(work, trial, freed, district, report)
                break
    movable, bad, pairs, _ = _state(work, district, goal)
    if bad.any():
        trial = _divide_part(work, district, movable)
        if (_outside(trial[0], goal) & _in(trial[0], district)).sum() < bad.sum():
            work = _accept(work, trial, movable, district, report)
    still = _outside(work, goal) & _in(work, district)
    if still.any():
        report.still_outside[district] = sorted(work["small_areas"]["code"].to_numpy(object)[still])
    return work


def _outside(work: CensusProject, goal: Target) -> np.ndarray:
    """:func:`outside_band` of a project whose buildings hold the code of the area holding them (so not located again)."""
    return _sizes(work, work["buildings"]["small_area_code"].to_numpy(object), goal)[0]


def _candidates(seeds: np.ndarray, movable: np.ndarray, pairs, size: np.ndarray, goal: Target):
    """The sets of areas to divide again, smallest first, that hold a number of people (or households) that can
    make areas all within the band: `seeds` alone, with one neighbour (the best fitting first, at most
    NEIGHBOUR_TRIALS of them), then with all its neighbours; never every area of the district, the last resort.
    (No area of the sample's trials needed its neighbours' neighbours, and each trial is a division.)"""
    neighbours = np.flatnonzero(_grow(seeds, pairs) & ~seeds & movable)
    total = float(size[seeds].sum())

    def misfit(extra: float) -> float:
        whole = total + extra
        return abs(whole / max(round(whole / goal.size), 1) / goal.size - 1)

    with_one = []
    for r in sorted(neighbours.tolist(), key=lambda r: (misfit(float(size[r])), r))[:NEIGHBOUR_TRIALS]:
        freed = seeds.copy()
        freed[r] = True
        with_one.append(freed)
    seen: set[tuple[int, ...]] = set()
    ring = _grow(seeds, pairs) & movable
    for freed in [seeds, *with_one, ring]:
        key = tuple(np.flatnonzero(freed).tolist())
        if key not in seen and not (freed == movable).all() and _fits(float(size[freed].sum()), goal):
            seen.add(key)
            yield freed


def _in(project: CensusProject, district: str) -> np.ndarray:
    return project["small_areas"]["district_code"].to_numpy(object) == district


def _state(work: CensusProject, district: str, goal: Target) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The district's areas that may change (not locked, virtual or exempt from the band), those of them outside
    the band, the pairs of them that are neighbours, and every area's size."""
    areas = work["small_areas"]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    off, exempt, size = _sizes(work, work["buildings"]["small_area_code"].to_numpy(object), goal)
    movable = (_in(work, district) & has_land(geoms) & (areas["locked"].to_numpy() != 1) & ~exempt
               & ~is_virtual(areas["seq"].to_numpy(object), geoms))
    return movable, movable & off, _neighbours(geoms, movable), size


def _neighbours(geoms: np.ndarray, movable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows (i, j), i < j, of the `movable` areas sharing more than NEIGHBOUR_EDGE m of boundary."""
    rows = np.flatnonzero(movable)
    i, j = shapely.STRtree(geoms[rows]).query(geoms[rows], predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[rows[i]]), shapely.boundary(geoms[rows[j]])))
    return rows[i[shared > NEIGHBOUR_EDGE]], rows[j[shared > NEIGHBOUR_EDGE]]


def _grow(freed: np.ndarray, pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """`freed` and its neighbours."""
    i, j = pairs
    grown = freed.copy()
    grown[j[freed[i]]] = True
    grown[i[freed[j]]] = True
    return grown


def _accept(work: CensusProject, trial: tuple[CensusProject, DivisionResult], freed: np.ndarray, district: str,
            report: UpdateReport) -> CensusProject:
    """The `trial` division of `district` over the areas `freed` of `work`, its new areas coded after the old ones
    (recorded in `report`)."""
    project, result = trial
    done = set(report.redivided.get(district, [])) | set(work["small_areas"]["code"].to_numpy(object)[freed])
    report.redivided[district] = sorted(done)
    report.results.append(result)
    return _carry_codes(work, project, district, freed, result)


def _divide_part(work: CensusProject, district: str, freed: np.ndarray) -> tuple[CensusProject, DivisionResult]:
    """`district` divided again over its areas `freed`, the others kept as if locked; a new project, `work` unchanged."""
    areas = work["small_areas"].copy()
    geoms = np.asarray(areas.geometry.array, dtype=object)
    hold = _in(work, district) & has_land(geoms) & (areas["locked"].to_numpy() != 1) & ~freed
    held = set(areas["code"].to_numpy(object)[hold])
    areas.loc[hold, "locked"] = 1
    trial = _copy(work, small_areas=areas)
    (result,) = divide_project(trial, [district], keep_locked=True)
    after = trial["small_areas"].copy()
    after.loc[is_in(after["code"].to_numpy(object), held), "locked"] = 0
    trial.layers["small_areas"] = after
    return trial, result


def _carry_codes(work: CensusProject, trial: CensusProject, district: str, freed: np.ndarray,
                 result: DivisionResult) -> CensusProject:
    """`trial` with the district's new areas coded after the old areas `freed` of `work` they share most people with
    (the people and buildings of a building count: ×1000 and +1, so empty houses break ties); others coded next."""
    old = work["small_areas"]
    old_codes = old["code"].to_numpy(object)[freed]
    temp = result.small_areas["code"].to_numpy(object)
    before = dict(zip(work["buildings"]["id"].tolist(), work["buildings"]["small_area_code"].tolist()))
    buildings = trial["buildings"]
    now = buildings["small_area_code"].to_numpy(object)
    was = np.array([before.get(i, "") for i in buildings["id"].tolist()], dtype=object)
    row, col = pd.Index(temp).get_indexer(now), pd.Index(old_codes).get_indexer(was)
    pair = (row >= 0) & (col >= 0)
    weights = np.zeros((len(temp), len(old_codes)))
    np.add.at(weights, (row[pair], col[pair]), buildings["population"].to_numpy()[pair] * 1000 + 1)
    match = match_areas(weights)
    seqs = old["seq"].to_numpy(object)[old["district_code"].to_numpy(object) == district]
    spare = iter(next_seqs(seqs, len(temp) - len(match)))
    final = {t: old_codes[match[k]] if k in match else district + next(spare) for k, t in enumerate(temp)}
    # a new area not matched joins the supervisor group of the old area it took most people from
    source = {t: match.get(k, int(weights[k].argmax()) if weights[k].any() else -1) for k, t in enumerate(temp)}
    groups = old["supervisor_group"].to_numpy()[freed]
    notes = old["notes"].to_numpy(object)[freed]

    areas = trial["small_areas"].copy()
    codes = areas["code"].to_numpy(object).copy()
    new = is_in(codes, temp) & (areas["district_code"].to_numpy(object) == district)
    areas.loc[new, "supervisor_group"] = [groups[source[c]] if source[c] >= 0 else 0 for c in codes[new]]
    areas.loc[new, "notes"] = [notes[match[k]] if k in match else "" for k in pd.Index(temp).get_indexer(codes[new])]
    areas.loc[new, "code"] = [final[c] for c in codes[new]]
    areas.loc[new, "seq"] = [final[c][-3:] for c in codes[new]]
    renamed = np.array([final.get(c, c) if c[:12] == district else c for c in now], dtype=object)
    buildings = buildings.copy()
    buildings["small_area_code"] = pd.Series(renamed, index=buildings.index, dtype=buildings["small_area_code"].dtype)
    result.small_areas = result.small_areas.assign(code=[final[c] for c in temp], seq=[final[c][-3:] for c in temp])
    return _copy(trial, small_areas=areas, buildings=buildings)


def _number(work: CensusProject, before: dict, chosen: list[str]) -> None:
    """Number the buildings of the `chosen` districts from their numbers `before` and recount those districts' areas."""
    areas, buildings = work["small_areas"].copy(), work["buildings"].copy()
    codes = areas["code"].to_numpy(object)
    in_chosen = is_in(areas["district_code"].to_numpy(object), chosen)
    old = before["buildings"].set_index("id")
    ids = buildings["id"].to_numpy()
    known = old.index.get_indexer(ids)
    old_codes = np.where(known >= 0, old["small_area_code"].to_numpy(object)[known], "")
    old_numbers = np.where(known >= 0, old["number"].to_numpy()[known], 0)
    new_codes = buildings["small_area_code"].to_numpy(object)
    mine = is_in(new_codes, codes[in_chosen]) | is_in(old_codes, set(before["small_areas"]["code"][
        is_in(before["small_areas"]["district_code"].to_numpy(object), chosen)]))
    fresh = set(codes[in_chosen]) - set(before["small_areas"]["code"])
    numbers = carry_numbers(np.asarray(buildings.geometry.array, dtype=object)[mine], old_codes[mine], old_numbers[mine],
                            new_codes[mine], fresh)
    values = buildings["number"].to_numpy().copy()
    values[mine] = numbers
    buildings["number"] = pd.Series(values, index=buildings.index, dtype=buildings["number"].dtype)
    areas.loc[in_chosen, "population"], areas.loc[in_chosen, "households"] = count_population(codes[in_chosen], buildings)
    work.layers["small_areas"], work.layers["buildings"] = areas, buildings


def _changes(before: dict, work: CensusProject, chosen: list[str]) -> tuple[list[AreaChange], list[BuildingChange]]:
    """The renumbering list: areas of the `chosen` districts new, gone or reshaped, and buildings renamed."""
    def areas_of(frame):
        frame = frame[is_in(frame["district_code"].to_numpy(object), chosen)]
        return dict(zip(frame["code"].tolist(), frame.geometry.tolist()))

    old, new = areas_of(before["small_areas"]), areas_of(work["small_areas"])
    areas = [AreaChange(c, "gone") for c in sorted(set(old) - set(new))]
    areas += [AreaChange(c, "new") for c in sorted(set(new) - set(old))]
    areas += [AreaChange(c, "reshaped") for c in sorted(set(old) & set(new))
              if not shapely.equals_exact(old[c], new[c], tolerance=0)]
    areas.sort(key=lambda a: a.code)

    def names(frame):
        return {int(i): building_name(c, n, int(i)) if c else "" for i, c, n in
                zip(frame["id"].tolist(), frame["small_area_code"].tolist(), frame["number"].tolist())}

    was, now = names(before["buildings"]), names(work["buildings"])
    buildings = [BuildingChange(i, was.get(i, ""), now.get(i, "")) for i in set(was) | set(now) if was.get(i, "") != now.get(i, "")]
    buildings.sort(key=lambda b: (b.old_name == "", b.old_name, b.new_name, b.building_id))  # as the printed maps read
    return areas, buildings
