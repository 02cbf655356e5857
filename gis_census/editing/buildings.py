"""Building edits: add, move, reshape, delete, merge, split, change fields; and finding a building by its name.

Each function returns an :class:`Edit` and leaves the project unchanged. A building that lands in another
small area is located by the one rule (:func:`gis_census.rules.locate_buildings`) and takes that area's
next number; no other building is renumbered. Every edit recounts the population and households of the
small areas whose buildings changed. Refusals raise :class:`EditError` naming the building by its one
name (:func:`gis_census.rules.building_name`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
import shapely.ops

from gis_census.editing.changes import MIN_AREA, polygonal
from gis_census.editing.edit import Edit, EditError, LayerDiff
from gis_census.editing.values import as_key, checked_value
from gis_census.project import CensusProject, conform_layer
from gis_census.register.counts import balanced_layer, recorded_fields
from gis_census.rules import BUILDING_USES, building_name, locate_buildings, next_building_number, whole_shares
from gis_census.schema import LAYERS
from gis_census.spatial import holding_index

__all__ = ["add_building", "move_building", "reshape_building", "delete_buildings", "merge_buildings", "split_building",
           "set_building_fields", "find_building", "name_of"]

#: Fields a drawn building may be given, and those summed when buildings merge.
_GIVEN = ("address", "use", "households", "population", "units", "notes")
_SUMMED = ("population", "households", "units", "recorded_population", "recorded_households")
_FULL_NAME = re.compile(r"^(\d{15})-(\d+)$")
_SHORT_NAME = re.compile(r"^(\d{1,14})-(\d+)$")


def name_of(row) -> str:
    """The one name of building `row` (a row of the buildings layer): "370481102001025-003", or "#id"."""
    return building_name(row["small_area_code"], int(row["number"]), int(row["id"]))


def add_building(project: CensusProject, geometry, **fields) -> Edit:
    """A new building with footprint (or point) `geometry` and `fields` (address, use, households,
    population, units, notes), located in its small area, district and village and numbered after
    the last building of its area. Refused outside every district."""
    buildings = project["buildings"]
    bid = int(buildings["id"].max()) + 1 if len(buildings) else 1
    unknown = set(fields) - set(_GIVEN)
    if unknown:
        raise EditError("edit_unknown_field", role="buildings", feature=f"#{bid}", field=sorted(unknown)[0],
                        fields=", ".join(_GIVEN))
    row = {f: ("" if k == "str" else 0) for f, k in LAYERS["buildings"].fields.items()}
    row["id"], row["use"] = bid, "residential"
    row.update(_checked_fields(f"#{bid}", fields))
    placed = _place(project, [{**row, "geometry": _footprint(geometry, f"#{bid}")}], [False])
    return _building_edit(project, "edit_add_building", placed, building=name_of(placed[0]))


def move_building(project: CensusProject, building_id, dx: float, dy: float) -> Edit:
    """Building `building_id` moved by (`dx`, `dy`) metres; relocated if it lands in another small area."""
    old = _row(project, building_id)
    moved = shapely.affinity.translate(old["geometry"], float(dx), float(dy))
    return _relocated(project, "edit_move_building", old, moved)


def reshape_building(project: CensusProject, building_id, geometry) -> Edit:
    """Building `building_id` given footprint `geometry`; relocated if it lands in another small area."""
    old = _row(project, building_id)
    return _relocated(project, "edit_reshape_building", old, _footprint(geometry, name_of(old)))


def delete_buildings(project: CensusProject, ids) -> Edit:
    """Buildings `ids` removed (demolished); the others keep their numbers."""
    rows = [_row(project, i) for i in _ids(ids)]
    return _building_edit(project, "edit_delete_buildings", _place(project, [], [], rows), deleted=rows,
                          building=", ".join(name_of(r) for r in rows))


def merge_buildings(project: CensusProject, ids) -> Edit:
    """Buildings `ids` made one: the union of their footprints becomes the building with the lowest
    number (then id), with their population, households and units summed, its own address and all
    their notes. Refused when they lie in several districts or their union is not one polygon."""
    rows = sorted((_row(project, i) for i in _ids(ids)), key=lambda r: (int(r["number"]) <= 0, int(r["number"]), int(r["id"])))
    names = ", ".join(name_of(r) for r in rows)
    if len(rows) < 2:
        raise EditError("edit_merge_buildings_too_few", building=names)
    if len({r["district_code"] for r in rows}) > 1:
        raise EditError("edit_merge_buildings_other_districts", building=names)
    union = shapely.union_all([r["geometry"] for r in rows])
    union = polygonal(union if shapely.is_valid(union) else shapely.make_valid(union))
    if shapely.get_type_id(union) != 3:
        raise EditError("edit_merge_buildings_apart", building=names)
    first = rows[0]
    merged = {**first, **{c: int(sum(int(r[c]) for r in rows)) for c in _SUMMED}}
    merged["notes"] = "；".join(dict.fromkeys(r["notes"] for r in rows if r["notes"]))
    placed = _place(project, [{**merged, "geometry": union}], [True], rows[1:])
    return _building_edit(project, "edit_merge_buildings", placed, deleted=rows[1:], building=names)


def split_building(project: CensusProject, building_id, line) -> Edit:
    """Building `building_id` cut by `line`: the largest piece keeps its id and number, the others take new
    ids and the next numbers of their areas; population, households and units are shared by area
    (whole numbers that add up). Refused when the line does not cut it in two or more."""
    old = _row(project, building_id)
    name = name_of(old)
    geom = old["geometry"]
    pieces = [p for p in shapely.get_parts(shapely.ops.split(geom, line)) if shapely.get_dimensions(p) == 2] \
        if shapely.get_dimensions(geom) == 2 else []
    pieces = [p for p in pieces if shapely.area(p) >= MIN_AREA]
    if len(pieces) <= max(1, len(shapely.get_parts(geom))):  # a footprint in parts is cut only if more come out
        raise EditError("edit_split_building_no_cut", building=name)
    pieces.sort(key=lambda p: -shapely.area(p))
    areas = np.array([shapely.area(p) for p in pieces])
    shares = {c: whole_shares(int(old[c]), areas) for c in _SUMMED}
    next_id = int(project["buildings"]["id"].max()) + 1
    rows = [{**old, **{c: shares[c][k] for c in _SUMMED}, "geometry": piece} for k, piece in enumerate(pieces)]
    for k, row in enumerate(rows[1:]):
        row["id"], row["small_area_code"], row["number"] = next_id + k, "", 0
    rows = _place(project, rows, [True] + [False] * (len(rows) - 1))
    return _building_edit(project, "edit_split_building", rows, building=name)


def set_building_fields(project: CensusProject, building_id, values: dict) -> Edit:
    """Building `building_id` with the fields `values` changed (``use`` one of
    :data:`~gis_census.rules.BUILDING_USES`); its small areas recounted."""
    old = _row(project, building_id)
    name = name_of(old)
    spec = LAYERS["buildings"].fields
    for field in values:
        where = {"role": "buildings", "feature": name, "field": field}
        if field == "id":
            raise EditError("edit_key_field", **where)
        if field not in spec:
            raise EditError("edit_unknown_field", **where, fields=", ".join(f for f in spec if f != "id"))
    slots = recorded_fields(project)  # the office's counts go where they are kept; the balance follows
    checked = {slots.get(f, f): v for f, v in _checked_fields(name, values).items()}
    new = {**old, **checked}
    if slots["population"] != "population":
        balanced = balanced_layer(project, pd.DataFrame([new]))
        new.update(population=int(balanced["population"].iat[0]), households=int(balanced["households"].iat[0]))
    changed = [f for f in (*checked, "population", "households") if new[f] != old[f]]
    return _building_edit(project, "edit_set_fields", [new] if changed else [], codes=(name,), layer="buildings",
                          fields=", ".join(values))


def find_building(project: CensusProject, text: str) -> int | None:
    """The id of the building named `text`: its one name "370481102001025-003", a short form of it
    ("025-3", "25-3", "001025-003": the area code's last digits and the number) that only one building
    matches, "#1347" (its internal id), or its exact address when only one building has it."""
    text = text.strip()
    buildings = project["buildings"]
    if not text or not len(buildings):
        return None
    ids = buildings["id"].to_numpy()
    if text.startswith("#"):
        bid = as_key(text[1:], "int64")
        return bid if bid is not None and (ids == bid).any() else None
    codes = buildings["small_area_code"].to_numpy(object).astype(str)
    numbers = buildings["number"].to_numpy()
    hit = np.zeros(len(buildings), dtype=bool)
    full, short = _FULL_NAME.match(text), _SHORT_NAME.match(text)
    if full:
        hit = (codes == full.group(1)) & (numbers == int(full.group(2)))
    elif short:
        tail = short.group(1).zfill(3)
        hit = np.char.endswith(codes, tail) & (np.char.str_len(codes) == 15) & (numbers == int(short.group(2)))
    if not hit.any():
        hit = buildings["address"].to_numpy(object) == text
    found = np.flatnonzero(hit)
    return int(ids[found[0]]) if len(found) == 1 else None


def _ids(ids) -> list:
    ids = [ids] if isinstance(ids, (int, np.integer, str)) else list(ids)
    return list(dict.fromkeys(ids))


def _row(project: CensusProject, building_id) -> dict:
    """The row of building `building_id` as a dict (its geometry under "geometry"); EditError when there is none."""
    buildings = project["buildings"]
    bid = as_key(building_id, "int64")
    pos = np.flatnonzero(buildings["id"].to_numpy() == bid) if bid is not None else np.zeros(0, dtype=np.int64)
    if not len(pos):
        raise EditError("edit_unknown_building", building=str(building_id))
    row = buildings.iloc[int(pos[0])]
    out = {c: row[c] for c in LAYERS["buildings"].fields}
    out["geometry"] = row.geometry
    return out


def _checked_fields(name: str, values: dict) -> dict:
    """`values` as the buildings layer's types; EditError naming the building and field, or a use not offered."""
    spec = LAYERS["buildings"].fields
    out = {f: checked_value(v, spec[f], {"role": "buildings", "feature": name, "field": f}) for f, v in values.items()}
    if "use" in out and out["use"] not in BUILDING_USES:
        raise EditError("edit_unknown_use", building=name, value=out["use"], uses=", ".join(BUILDING_USES))
    return out


def _footprint(geometry, name: str):
    """`geometry` as a building: a point, or its polygonal parts made valid; EditError when nothing is left."""
    if geometry is not None and not geometry.is_empty and shapely.get_type_id(geometry) == 0:
        return geometry
    geom = polygonal(geometry if geometry is None or shapely.is_valid(geometry) else shapely.make_valid(geometry))
    if geom.is_empty or shapely.area(geom) < MIN_AREA:
        raise EditError("edit_building_no_footprint", building=name)
    return geom


def _relocated(project: CensusProject, label: str, old: dict, geometry) -> Edit:
    placed = _place(project, [{**old, "geometry": geometry}], [True])
    was, now = name_of(old), name_of(placed[0])
    if was != now:
        return _building_edit(project, label + "_renamed", placed, building=was, now=now)
    return _building_edit(project, label, placed, building=was)


def _place(project: CensusProject, rows: list[dict], keep: list[bool], deleted: Iterable[dict] = ()) -> list[dict]:
    """`rows` (new versions of buildings, or new buildings) with the small area, district and village holding
    them, followed by the other buildings whose area the edit changes (those overlapping a changed footprint
    are one building with it, :func:`~gis_census.spatial.holding_index`), once `deleted` are gone.

    A row keeps its number when `keep` says so and it stays in its area; any other row moving to an area
    takes that area's next number. EditError when one of `rows` lies in no district.
    """
    buildings = project["buildings"]
    ids = buildings["id"].to_numpy()
    b_geoms = np.asarray(buildings.geometry.array, dtype=object)
    deleted = list(deleted)
    changing = [int(r["id"]) for r in rows] + [int(r["id"]) for r in deleted]
    old = np.flatnonzero(np.isin(ids, changing))
    probe = np.array([r["geometry"] for r in rows] + list(b_geoms[old]), dtype=object)
    near = np.zeros(0, dtype=np.int64)
    if len(probe) and len(buildings):
        near = np.unique(buildings.sindex.query(probe, predicate="intersects")[1])
        near = np.union1d(near, buildings.sindex.query(b_geoms[near], predicate="intersects")[1]).astype(np.int64)
        near = near[~np.isin(ids[near], changing)]
    others = [{**{c: buildings[c].iat[i] for c in LAYERS["buildings"].fields}, "geometry": b_geoms[i]} for i in near]
    everyone = [*rows, *others]
    codes = _locate(project["small_areas"], everyone)
    placed: list[dict] = []
    for k, (row, code) in enumerate(zip(everyone, codes)):
        if k >= len(rows) and code == row["small_area_code"]:
            continue  # a neighbour that stays where it is
        district, village = _district_of(project, row, code, required=k < len(rows))
        kept = k < len(rows) and keep[k] and code == row["small_area_code"] and int(row["number"]) > 0
        placed.append({**row, "small_area_code": code, "district_code": district, "village_code": village,
                       "number": int(row["number"]) if kept else -1})
    taken: dict[str, list[int]] = {}
    for row in placed:
        if row["number"] > 0:
            taken.setdefault(row["small_area_code"], []).append(row["number"])
    for row in placed:
        if row["number"] < 0:
            row["number"] = _next_number(buildings, row["small_area_code"], changing, taken) if row["small_area_code"] else 0
    return placed


def _locate(areas: gpd.GeoDataFrame, rows: list[dict]) -> np.ndarray:
    """The small-area code of each row, by :func:`~gis_census.rules.locate_buildings` among the areas near them."""
    geoms = np.array([r["geometry"] for r in rows], dtype=object)
    stored = np.array([r["small_area_code"] for r in rows], dtype=object)
    if not len(rows) or not len(areas):
        return np.full(len(rows), "", dtype=object)
    near = np.unique(areas.sindex.query(geoms, predicate="intersects")[1])
    near = np.union1d(near, np.flatnonzero(areas["code"].isin(set(stored) - {""}).to_numpy())).astype(np.int64)
    frame = gpd.GeoDataFrame({"small_area_code": stored}, geometry=geoms, crs=areas.crs)
    return locate_buildings(areas.iloc[near], frame) if len(near) else np.full(len(rows), "", dtype=object)


def _district_of(project: CensusProject, row: dict, code: str, required: bool) -> tuple[str, str]:
    """District and village of building `row` located in small area `code` ("" for none): the area's, else those
    holding its geometry; EditError when none does and it is `required`, else the row's own."""
    districts = project["districts"]
    d_codes = districts["code"].to_numpy(object)
    if code:
        areas = project["small_areas"]
        district = areas["district_code"].to_numpy(object)[areas["code"].to_numpy(object) == code][0]
    else:
        geom = row["geometry"]
        d_near = np.sort(districts.sindex.query(geom, predicate="intersects")) if len(districts) else np.zeros(0, dtype=int)
        held = holding_index(np.array([geom], dtype=object), np.asarray(districts.geometry.array, dtype=object)[d_near])[0] \
            if len(d_near) else -1
        if held < 0:
            if required:
                raise EditError("edit_building_outside_districts", building=name_of(row))
            return row["district_code"], row["village_code"]
        district = d_codes[d_near[held]]
    village = districts["village_code"].to_numpy(object)[d_codes == district]
    return district, village[0] if len(village) else row["village_code"]


def _next_number(buildings: gpd.GeoDataFrame, code: str, changing: list[int], taken: dict[str, list[int]]) -> int:
    """Area `code`'s next building number: above those of its buildings the edit leaves alone and those it gave."""
    mine = (buildings["small_area_code"].to_numpy(object) == code) & ~np.isin(buildings["id"].to_numpy(), changing)
    number = next_building_number(np.r_[buildings["number"].to_numpy()[mine], taken.get(code, [])])
    taken.setdefault(code, []).append(number)
    return number


def _building_edit(project: CensusProject, label: str, changed: list[dict], deleted: Iterable[dict] = (),
                   codes=(), **params) -> Edit:
    """The edit that puts building rows `changed` (new versions, or new buildings) into the project and
    removes `deleted`, with the small areas of both recounted."""
    buildings, crs = project["buildings"], project["buildings"].crs
    deleted = list(deleted)
    ids = buildings["id"].to_numpy()
    index = pd.Index(ids)
    gone = [int(r["id"]) for r in deleted]
    old_ids = [int(r["id"]) for r in changed if (ids == int(r["id"])).any()] + gone
    removed_at = index.get_indexer(old_ids)
    removed = buildings.iloc[removed_at].reset_index(drop=True)
    added = conform_layer("buildings", gpd.GeoDataFrame(pd.DataFrame(changed, columns=[*LAYERS["buildings"].fields, "geometry"]),
                                                        geometry="geometry", crs=crs))
    diffs = [LayerDiff("buildings", removed, added, tuple(int(p) for p in removed_at))] if len(removed) or len(added) else []
    diffs += _recount(project, removed, added)
    touched = {*removed["district_code"], *added["district_code"], *(c[:12] for c in removed["small_area_code"]),
               *(c[:12] for c in added["small_area_code"])}
    return Edit(label, tuple(diffs), frozenset(d for d in touched if d), tuple(codes), tuple((k, str(v)) for k, v in params.items()))


def _recount(project: CensusProject, removed: pd.DataFrame, added: pd.DataFrame) -> list[LayerDiff]:
    """The small areas that `removed` buildings left or `added` ones joined, with population and households
    summed again over their buildings after the edit (only those whose figures change)."""
    involved = (set(removed["small_area_code"]) | set(added["small_area_code"])) - {""}
    areas, buildings = project["small_areas"], project["buildings"]
    rows = np.flatnonzero(areas["code"].isin(involved).to_numpy())
    if not len(rows):
        return []
    kept = buildings["small_area_code"].isin(involved).to_numpy() & ~buildings["id"].isin(removed["id"]).to_numpy()
    after = pd.concat([buildings.loc[kept, ["small_area_code", "population", "households"]],
                       added[["small_area_code", "population", "households"]]])
    sums = after.groupby("small_area_code")[["population", "households"]].sum()
    before = areas.iloc[rows].reset_index(drop=True)
    new = before.copy()
    for col in ("population", "households"):
        new[col] = sums[col].reindex(before["code"], fill_value=0).to_numpy(np.int64)
    differ = ((new["population"] != before["population"]) | (new["households"] != before["households"])).to_numpy()
    if not differ.any():
        return []
    return [LayerDiff("small_areas", before[differ].reset_index(drop=True), new[differ].reset_index(drop=True))]
