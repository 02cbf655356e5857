"""The walk's results read back (registers and map files) into :class:`FieldChanges`, and the one edit applying them.

Rules, each applied once here:

- The register's 摸底户数 and 摸底人数, where filled, replace the recorded counts and are kept as the walk's
  (walk_households, walk_population); the rows of one building add up. The counts that balance the division are
  then set again from the project's balance_count (:mod:`gis_census.register.counts`). Its 单元数, where
  changed, replaces the stairwell count (rows of one building must agree). 新增/拆除 = 拆除 demolishes.
- A map file's numbered building whose households, population, stairwells, use, address or notes differ from
  the project's corrects them (the register's walk counts win over the map file's); status 拆除 demolishes it.
- A map file's feature with status 新增 or without a number is a new building: it gets the next id, the small
  area (and district, village) holding it and the next number of that area
  (:func:`~gis_census.rules.next_building_number`); existing numbers never change.
- Anything that cannot be used (an unknown small area or number, an unreadable count, a new building in no
  district) refuses the whole set, every fault named by file, sheet or layer, row or feature, column or field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.editing import Edit, EditError, diff_layers
from gis_census.errors import Finding, InputError
from gis_census.fieldwork.exchange import READABLE, MapFeature, read_exchange
from gis_census.fieldwork.report import AreaChange, area_changes, report_lines
from gis_census.fieldwork.values import ADDED, REMOVED
from gis_census.fieldwork.workbook import RegisterRow, read_register
from gis_census.project import CensusProject, conform_layer
from gis_census.register.counts import balanced_layer, recorded_fields
from gis_census.rules import building_name, count_population, locate_buildings, next_building_number
from gis_census.spatial import holding_index

__all__ = ["FieldChanges", "read_fieldwork", "fieldwork_edit"]

#: m: a new building with every vertex this close to one of the project's is that building, read again.
TWIN_DISTANCE = 0.5
_FIELDS = ("households", "population", "units", "use", "address", "notes")


@dataclass(frozen=True, eq=False)
class FieldChanges:
    """What the walk changes: `updates` (building id -> field -> new value), `removed` (ids of demolished
    buildings), `added` (new building rows, ids and numbers given) and `areas`, the report per small area."""

    updates: dict[int, dict[str, object]]
    removed: frozenset[int]
    added: gpd.GeoDataFrame
    areas: tuple[AreaChange, ...] = field(default=())

    def is_empty(self) -> bool:
        return not self.updates and not self.removed and self.added.empty

    def flagged(self) -> list[str]:
        """Codes of the small areas the walk leaves with a population problem."""
        return [a.code for a in self.areas if a.flags]

    def text(self, lang: str | None = None) -> str:
        """The change report in `lang` (default: the current language); it names no person."""
        return "\n".join(report_lines(self.areas, len(self.updates), lang))


def read_fieldwork(project: CensusProject, paths: Iterable[str | os.PathLike]) -> FieldChanges:
    """Read the walk's registers (.xlsx) and map files (.geojson, .json, .gpkg, .kml) at `paths` against `project`.

    Raises InputError listing every entry that cannot be used; nothing is read into the project either way.
    """
    rows: list[RegisterRow] = []
    features: list[MapFeature] = []
    faults: list[Finding] = []
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        if not path.is_file():
            bad = [Finding("fieldwork_file_missing", file=str(path))]
        elif suffix == ".xlsx":
            got, bad = read_register(path)
            rows += got
        elif suffix in READABLE:
            found, bad = read_exchange(path, project.crs)
            features += found
        else:
            bad = [Finding("fieldwork_file_kind", file=str(path))]
        faults += bad
    buildings = project["buildings"]
    key = {(a, int(n)): int(i) for a, n, i in zip(buildings["small_area_code"], buildings["number"], buildings["id"]) if n > 0}
    updates: dict[int, dict[str, object]] = {}
    removed: set[int] = set()
    new = [f.is_new and f.status != REMOVED for f in features]
    _from_maps([f for f, n in zip(features, new) if not n], key, buildings, updates, removed, faults)
    _from_registers(rows, key, buildings, updates, removed, faults)
    slots = recorded_fields(project)  # the recorded counts are corrected where they are kept
    updates = {i: {slots.get(k, k): v for k, v in values.items()} for i, values in updates.items()}
    added = _new_buildings(project, [f for f, n in zip(features, new) if n], faults)
    if faults:
        raise InputError("fieldwork_refused", faults, n=len(faults))
    at = pd.Index(buildings["id"])  # keep what differs from the project: a map file repeats every value it was given
    updates = {i: real for i, values in updates.items() if i not in removed
               and (real := {k: v for k, v in values.items() if v != buildings[k].iloc[at.get_loc(i)]})}
    changes = FieldChanges(updates, frozenset(removed), added)
    after = _after(project, changes)
    touched = set(buildings.loc[buildings["id"].isin(set(updates) | removed), "small_area_code"]) | set(added["small_area_code"])
    return FieldChanges(updates, frozenset(removed), added, area_changes(project, buildings, after, touched))


def fieldwork_edit(project: CensusProject, changes: FieldChanges) -> Edit:
    """The one edit applying `changes` (read from this project by :func:`read_fieldwork`) to the buildings, and
    the recounted population and households of the small areas they touch. The project is not changed."""
    buildings, areas = project["buildings"], project["small_areas"]
    ids = set(buildings["id"])
    if not (set(changes.updates) | changes.removed) <= ids or ids & set(changes.added["id"]):
        raise EditError("fieldwork_stale")
    after = _after(project, changes)
    touched = sorted({a.code for a in changes.areas if a.code})
    new_areas = areas.copy()
    rows = new_areas["code"].isin(touched).to_numpy()
    population, households = count_population(new_areas.loc[rows, "code"], after)
    new_areas.loc[rows, "population"] = population
    new_areas.loc[rows, "households"] = households
    districts = (set(areas.loc[rows, "district_code"]) | set(changes.added["district_code"])) - {""}
    return diff_layers({"buildings": buildings, "small_areas": areas}, {"buildings": after, "small_areas": new_areas},
                       "edit_fieldwork", districts, touched)


def _from_maps(features: list[MapFeature], key: dict, buildings: pd.DataFrame, updates: dict, removed: set,
               faults: list[Finding]) -> None:
    known = set(buildings["small_area_code"])
    for f in features:
        if f.small_area not in known or not f.small_area:
            faults.append(f.fault("fieldwork_unknown_area", "small_area", code=f.small_area))
            continue
        if (f.small_area, f.number) not in key:
            faults.append(f.fault("fieldwork_unknown_number", "number", code=f.small_area, number=f.number))
            continue
        i = key[f.small_area, f.number]
        if f.status == REMOVED:
            removed.add(i)
            continue
        updates.setdefault(i, {}).update({name: value for name, value in f.values.items() if name in _FIELDS})


def _from_registers(rows: list[RegisterRow], key: dict, buildings: pd.DataFrame, updates: dict, removed: set,
                    faults: list[Finding]) -> None:
    known = set(buildings["small_area_code"]) - {""}
    walk: dict[int, dict[str, int]] = {}
    units: dict[int, int] = {}
    source: dict[str, str] = {}  # small area -> the file of its register: the same register twice would add up twice
    doubled: set[tuple[str, str]] = set()
    for r in rows:
        if r.small_area not in known:
            faults.append(r.fault("fieldwork_unknown_area", code=r.small_area))
            continue
        if source.setdefault(r.small_area, r.file) != r.file:
            if (r.small_area, r.file) not in doubled:  # named once, at its first row
                doubled.add((r.small_area, r.file))
                faults.append(r.fault("fieldwork_register_twice", code=r.small_area, other=Path(source[r.small_area]).name))
            continue
        if (r.small_area, r.number) not in key:
            faults.append(r.fault("fieldwork_unknown_number", "number", code=r.small_area, number=r.number))
            continue
        i = key[r.small_area, r.number]
        if r.status == REMOVED:
            removed.add(i)
        elif r.status == ADDED:
            faults.append(r.fault("fieldwork_new_in_register", "status"))
        if r.units is not None:
            if units.setdefault(i, r.units) != r.units:
                faults.append(r.fault("fieldwork_units_differ", "units", number=r.number))
        for name, value in (("households", r.walk_households), ("population", r.walk_population)):
            if value is not None:
                walk.setdefault(i, {})[name] = walk.get(i, {}).get(name, 0) + value
    at = pd.Index(buildings["id"])
    for i, value in units.items():  # the column comes prefilled: only a changed count corrects (a map file's too)
        if value != buildings["units"].iloc[at.get_loc(i)]:
            updates.setdefault(i, {})["units"] = value
    for i, counts in walk.items():
        updates.setdefault(i, {}).update({**counts, **{f"walk_{name}": value for name, value in counts.items()}})


def _new_buildings(project: CensusProject, features: list[MapFeature], faults: list[Finding]) -> gpd.GeoDataFrame:
    """Rows of the buildings layer for the new buildings `features`: next ids, their area, district and village,
    and the next numbers of their areas, in the order read."""
    buildings = project["buildings"]
    geoms = np.array([f.geometry for f in features], dtype=object)
    frame = gpd.GeoDataFrame(geometry=list(geoms), crs=project.crs)
    areas = locate_buildings(project["small_areas"], frame) if len(frame) else np.zeros(0, dtype=object)
    districts = project["districts"]
    d_at = holding_index(geoms, np.asarray(districts.geometry.array, dtype=object)) if len(frame) else np.zeros(0, int)
    area_district = dict(zip(project["small_areas"]["code"], project["small_areas"]["district_code"]))
    village_of = dict(zip(districts["code"], districts["village_code"]))
    numbers = buildings.groupby("small_area_code")["number"].apply(list).to_dict()
    next_id = int(buildings["id"].max()) + 1 if len(buildings) else 1
    rows = []
    for f, area, d in zip(features, areas, d_at):
        if f.geometry is None:
            faults.append(f.fault("fieldwork_no_geometry"))
            continue
        district = area_district.get(area) or (districts["code"].iloc[d] if d >= 0 else "")
        if not district:
            faults.append(f.fault("fieldwork_outside"))
            continue
        twin = _twin(buildings, f.geometry)
        if twin is not None:
            faults.append(f.fault("fieldwork_already_there", building=twin))
            continue
        number = next_building_number(numbers.setdefault(area, [])) if area else 0
        if area:
            numbers[area].append(number)
        households, population = f.values.get("households", 0), f.values.get("population", 0)
        rows.append({"id": next_id, "address": f.values.get("address", ""), "population": population,
                     "households": households, "recorded_population": population, "recorded_households": households,
                     "units": f.values.get("units", 0),
                     "use": f.values.get("use", "residential"), "village_code": village_of.get(district, district),
                     "district_code": district, "small_area_code": area, "number": number,
                     "notes": f.values.get("notes", ""), "geometry": f.geometry})
        next_id += 1
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=project.crs) if rows else \
        gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=project.crs)
    return conform_layer("buildings", frame)


def _twin(buildings: gpd.GeoDataFrame, geometry) -> str | None:
    """The name of a building of the project drawn where the new `geometry` is (every vertex within
    TWIN_DISTANCE): the same map file read a second time, whose new buildings are already in."""
    near = buildings.sindex.query(geometry, predicate="dwithin", distance=TWIN_DISTANCE) if len(buildings) else []
    for i in near:
        if shapely.equals_exact(buildings.geometry.iat[i], geometry, tolerance=TWIN_DISTANCE):
            row = buildings.iloc[i]
            return building_name(row["small_area_code"], row["number"], row["id"])
    return None


def _after(project: CensusProject, changes: FieldChanges) -> gpd.GeoDataFrame:
    """The buildings layer as the walk leaves it, balanced on the project's balance_count."""
    buildings = project["buildings"]
    after = buildings.copy()
    at = pd.Index(after["id"])
    for i, values in changes.updates.items():
        row = at.get_loc(i)
        for name, value in values.items():
            after.iloc[row, after.columns.get_loc(name)] = value
    after = after[~after["id"].isin(changes.removed)]
    if not changes.added.empty:
        after = pd.concat([after, changes.added], ignore_index=True)
    return balanced_layer(project, conform_layer("buildings", gpd.GeoDataFrame(after.reset_index(drop=True), crs=buildings.crs)))
