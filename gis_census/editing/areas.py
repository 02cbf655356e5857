"""Small-area edits: add, split, merge, delete, lock, change fields, move a building across a boundary.

Each function returns an :class:`Edit` and leaves the project unchanged; a refused edit raises
:class:`EditError` naming the small area or building concerned.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.editing.buildings import name_of, set_building_fields
from gis_census.editing.changes import MIN_AREA, area_edit, area_row, area_rows, drop_slivers, next_seqs, polygonal
from gis_census.editing.edit import KEYS, Edit, EditError, LayerDiff
from gis_census.editing.guard import guarded
from gis_census.editing.values import as_key, checked_value
from gis_census.project import CensusProject, conform_layer
from gis_census.rules import URBAN_RURAL_CLASSES, VIRTUAL_MAX_POPULATION
from gis_census.rules import next_seqs as free_seqs
from gis_census.schema import LAYERS

__all__ = [
    "add_small_area",
    "split_small_area",
    "merge_small_areas",
    "delete_small_area",
    "set_locked",
    "set_fields",
    "assign_building",
    "add_virtual_area",
]

#: m: grid of the snap-rounded union used when a plain union leaves float-noise gaps between areas.
MERGE_GRID = 1e-6


def _codes(codes) -> list[str]:
    codes = [codes] if isinstance(codes, str) else list(codes)
    return list(dict.fromkeys(str(c) for c in codes))


def _district_geom(project: CensusProject, district: str):
    districts = project["districts"]
    rows = np.flatnonzero(districts["code"].to_numpy(object) == district)
    return districts.geometry.array[rows[0]] if len(rows) else None


@guarded
def add_small_area(project: CensusProject, polygon, district_code: str | None = None) -> Edit:
    """A new small area on the free land of `polygon` within its district (default: the district
    holding most of the polygon), numbered with the district's next free seq."""
    polygon = polygonal(polygon if shapely.is_valid(polygon) else shapely.make_valid(polygon))
    districts = project["districts"]
    if district_code is None:
        hits = districts.sindex.query(polygon, predicate="intersects") if not polygon.is_empty else []
        shares = shapely.area(shapely.intersection(np.asarray(districts.geometry.array, dtype=object)[hits], polygon)) if len(hits) else []
        if not len(hits) or max(shares) < MIN_AREA:
            raise EditError("edit_outside_districts")
        district_code = districts["code"].to_numpy(object)[hits[int(np.argmax(shares))]]
    district = _district_geom(project, district_code)
    if district is None:
        raise EditError("district_unknown", district=district_code)
    clipped = polygonal(shapely.intersection(polygon, district))
    if shapely.area(clipped) < MIN_AREA:
        raise EditError("edit_outside_districts")
    areas = project["small_areas"]
    near = areas.sindex.query(clipped, predicate="intersects")
    taken = np.asarray(areas.geometry.array, dtype=object)[near]
    free = drop_slivers(shapely.difference(clipped, shapely.union_all(taken)) if len(taken) else clipped)
    if free.is_empty:
        raise EditError("edit_no_free_space", district=district_code)
    seq = next_seqs(project, district_code, 1)[0]
    code = district_code + seq
    row = {"code": code, "district_code": district_code, "seq": seq, "locked": 0, "geometry": free}
    return area_edit(project, "edit_add_area", [row], codes=(code,))


@guarded
def split_small_area(project: CensusProject, code: str, line) -> Edit:
    """Split small area `code` along `line` (it may run beyond the area).

    The part with most people (then the largest) keeps the code; the others take the district's
    next free seqs. Refused when the line does not cut the area or crosses one of its buildings.
    """
    row = area_rows(project, [code]).iloc[0]
    geom = row.geometry
    if geom is None or geom.is_empty:
        raise EditError("edit_split_no_cut", code=code)
    line = shapely.line_merge(line) if shapely.get_type_id(line) == 5 else line
    buildings = project["buildings"]
    hits = buildings.sindex.query(geom, predicate="intersects") if len(buildings) else np.zeros(0, dtype=int)
    footprints = np.asarray(buildings.geometry.array, dtype=object)[hits]
    mine = shapely.covered_by(shapely.point_on_surface(footprints), geom) | (buildings["small_area_code"].to_numpy(object)[hits] == code)
    hits, footprints = hits[mine], footprints[mine]
    inside = shapely.intersection(line, geom)
    crossed = np.flatnonzero(shapely.relate_pattern(footprints, inside, "T********")) if not inside.is_empty \
        else np.zeros(0, dtype=np.int64)
    if len(crossed):
        raise EditError("edit_split_crosses_building", code=code, building=name_of(buildings.iloc[int(hits[crossed[0]])]))

    parts: list = []
    whole: list = []
    for component in shapely.get_parts(geom):
        faces = shapely.get_parts(shapely.polygonize([shapely.union(shapely.boundary(component), line)]))
        faces = [f for f in faces if shapely.contains(component, shapely.point_on_surface(f))]
        faces = _absorb_slivers(faces)
        (parts.extend if len(faces) > 1 else whole.extend)(faces if len(faces) > 1 else [component])
    if not parts:
        raise EditError("edit_split_no_cut", code=code)

    parts_arr = np.array(parts, dtype=object)
    where = shapely.STRtree(parts_arr).query(shapely.point_on_surface(footprints), predicate="intersects")
    first = np.unique(where[0], return_index=True)[1]
    pop = np.bincount(where[1][first], weights=buildings["population"].to_numpy()[hits][where[0][first]], minlength=len(parts))
    area = shapely.area(parts_arr)
    order = np.lexsort((-area, -pop))  # most people first, then the largest
    keeper = order[0]
    kept = [parts[keeper], *whole]
    kept_geom = kept[0] if len(kept) == 1 else shapely.MultiPolygon([p for g in kept for p in shapely.get_parts(g)])
    rows = [area_row(row, geometry=kept_geom)]
    seqs = next_seqs(project, row["district_code"], len(order) - 1)
    for seq, k in zip(seqs, order[1:]):
        rows.append(area_row(row, code=row["district_code"] + seq, seq=seq, locked=0, notes="", exclave=0, geometry=parts[k]))
    return area_edit(project, "edit_split_area", rows, codes=(code,))


def _absorb_slivers(faces: list) -> list:
    """`faces` with those under MIN_AREA (noding noise) joined to a neighbour."""
    big = [f for f in faces if shapely.area(f) >= MIN_AREA]
    small = [f for f in faces if shapely.area(f) < MIN_AREA]
    if not big:
        return [shapely.union_all(faces)] if faces else []
    for s in small:
        touching = [i for i, f in enumerate(big) if shapely.intersects(f, s)] or [int(np.argmax(shapely.area(big)))]
        big[touching[0]] = shapely.union(big[touching[0]], s)
    return big


def add_virtual_area(project: CensusProject, district: str, reason: str, population: int, households: int) -> Edit:
    """A virtual small area (虚拟普查小区: 空挂户 at a demolished address, collective quarters without land of
    their own) in district `district`: no land, the district's next free seq from 900 up, `reason` kept in its
    ``notes``, and the `population` and `households` entered (at most VIRTUAL_MAX_POPULATION people).

    Buildings are moved to one with :func:`gis_census.numbering.codes.make_virtual_area` instead; an area made
    here holds the figures entered, which renumbering keeps. Delete it with :func:`delete_small_area`.
    """
    district = str(district)
    if district not in set(project["districts"]["code"]):
        raise EditError("district_unknown", district=district)
    reason = str(reason or "").strip()
    if not reason:
        raise EditError("edit_virtual_reason")
    where = {"role": "small_areas", "feature": district, "field": "population"}
    population = checked_value(population, "int64", where)
    households = checked_value(households, "int64", {**where, "field": "households"})
    if population > VIRTUAL_MAX_POPULATION:
        raise EditError("edit_virtual_population", limit=f"{VIRTUAL_MAX_POPULATION:,}", value=f"{population:,}")
    areas = project["small_areas"]
    try:
        (seq,) = free_seqs(areas["seq"].to_numpy(object)[areas["district_code"].to_numpy(object) == district], 1, virtual=True)
    except ValueError:
        raise EditError("edit_virtual_full", district=district) from None
    code = district + seq
    row = gpd.GeoDataFrame({"code": [code], "district_code": [district], "seq": [seq], "population": [population],
                            "households": [households], "notes": [reason]}, geometry=gpd.GeoSeries([None], crs=areas.crs))
    added = conform_layer("small_areas", row)
    diff = LayerDiff("small_areas", areas.iloc[:0].reset_index(drop=True), added, (), (len(areas),))
    return Edit("edit_add_virtual_area", (diff,), frozenset({district}), (code,))


@guarded
def merge_small_areas(project: CensusProject, codes) -> Edit:
    """Merge small areas `codes` (same district, sharing boundaries) into the one with the smallest code."""
    codes = _codes(codes)
    if len(codes) < 2:
        raise EditError("edit_merge_too_few", codes=", ".join(codes))
    rows = area_rows(project, codes)
    if rows["district_code"].nunique() > 1:
        raise EditError("edit_merge_other_districts", codes=", ".join(codes))
    geoms = np.asarray(rows.geometry.array, dtype=object)
    allowed = int(shapely.get_num_geometries(geoms).sum()) - (len(codes) - 1)  # each merge joins two pieces
    if shapely.coverage_is_valid(geoms):
        merged = drop_slivers(shapely.coverage_union_all(geoms))
    else:
        merged = drop_slivers(shapely.union_all(geoms))
    if shapely.get_num_geometries(merged) > allowed:
        # Shared edges that do not share vertices can leave float-noise gaps a plain union keeps.
        merged = drop_slivers(shapely.union_all(geoms, grid_size=MERGE_GRID))
    if not shapely.is_valid(merged):
        merged = drop_slivers(shapely.make_valid(merged))
    if shapely.get_num_geometries(merged) > allowed:
        raise EditError("edit_merge_not_adjacent", codes=", ".join(codes))
    keep = min(codes)
    kept = rows[rows["code"] == keep].iloc[0]
    return area_edit(project, "edit_merge_areas", [area_row(kept, geometry=merged)],
                     deleted=[c for c in codes if c != keep], codes=tuple(sorted(codes)))


@guarded
def delete_small_area(project: CensusProject, codes) -> Edit:
    """Remove small areas `codes`; their buildings keep no small-area code (unless another area holds them)."""
    codes = _codes(codes)
    area_rows(project, codes)
    return area_edit(project, "edit_delete_areas", [], deleted=codes, codes=tuple(codes))


@guarded
def set_locked(project: CensusProject, codes, locked: bool) -> Edit:
    """Lock (auto-division keeps them) or unlock small areas `codes`."""
    codes = _codes(codes)
    rows = area_rows(project, codes)
    value = int(bool(locked))
    changed = rows[rows["locked"].to_numpy() != value].reset_index(drop=True)
    after = changed.copy()
    after["locked"] = pd.Series(np.full(len(after), value, dtype=np.int64))
    label = "edit_lock_areas" if locked else "edit_unlock_areas"
    return Edit(label, (LayerDiff("small_areas", changed, after),), frozenset(changed["district_code"]), tuple(codes))


@guarded
def set_fields(project: CensusProject, layer: str, key, values: dict) -> Edit:
    """Change fields of one feature (by code, or id for buildings), e.g. a small area's ``notes`` or a
    district's ``name``; a building's go through :func:`~gis_census.editing.buildings.set_building_fields`."""
    if layer not in KEYS:
        raise EditError("edit_unknown_layer", layer=layer)
    if layer == "buildings":
        return set_building_fields(project, key, values)
    gdf, key_col, spec = project[layer], KEYS[layer], LAYERS[layer].fields
    key = as_key(key, spec[key_col])
    pos = np.flatnonzero(gdf[key_col].to_numpy() == key) if key is not None else np.zeros(0, dtype=np.int64)
    if not len(pos):
        raise EditError("edit_unknown_feature", role=layer, feature=str(key))
    before = gdf.iloc[pos[:1]].reset_index(drop=True)
    after = before.copy()
    for field, value in values.items():
        where = {"role": layer, "feature": str(key), "field": field}
        if field == key_col:
            raise EditError("edit_key_field", **where)
        if field not in spec:
            raise EditError("edit_unknown_field", **where, fields=", ".join(f for f in spec if f != key_col))
        value = checked_value(value, spec[field], where)
        if layer == "villages" and field == "urban_rural":
            value = value.strip()
            if value and value not in URBAN_RURAL_CLASSES:
                raise EditError("edit_urban_rural", value=value, classes=", ".join(URBAN_RURAL_CLASSES))
        after[field] = pd.Series([value], dtype=before[field].dtype)
    changed = [f for f in values if after[f].iat[0] != before[f].iat[0]]
    diffs = [LayerDiff(layer, before, after)] if changed else []
    districts = set()
    if layer == "small_areas":
        districts = {before["district_code"].iat[0]}
    elif layer == "districts":
        districts = {key}
    elif layer == "villages":
        d = project["districts"]
        districts = set(d["code"][d["village_code"] == key])
    params = (("layer", layer), ("fields", ", ".join(values)))
    return Edit("edit_set_fields", tuple(diffs), frozenset(d for d in districts if d), (str(key),), params)


@guarded
def assign_building(project: CensusProject, building_id, code: str) -> Edit:
    """Make building `building_id`'s footprint part of small area `code`, cutting it out of the others,
    so that the building then lies in `code`. Refused when the footprint does not touch the area
    or lies outside its district."""
    buildings = project["buildings"]
    bid = as_key(building_id, "int64")
    pos = np.flatnonzero(buildings["id"].to_numpy() == bid) if bid is not None else np.zeros(0, dtype=np.int64)
    if not len(pos):
        raise EditError("edit_unknown_building", building=str(building_id))
    footprint = buildings.geometry.array[pos[0]]
    name = name_of(buildings.iloc[int(pos[0])])
    row = area_rows(project, [code]).iloc[0]
    target = row.geometry
    district_code = row["district_code"]
    district = _district_geom(project, district_code)
    if district is not None and not shapely.covered_by(shapely.point_on_surface(footprint), district):
        raise EditError("edit_building_other_district", building=name, code=code, district=district_code)
    if target is None or not (shapely.relate_pattern(footprint, target, "2********")
                              or shapely.relate_pattern(footprint, target, "****1****")):
        raise EditError("edit_building_not_touching", building=name, code=code)
    piece = polygonal(footprint if district is None else shapely.intersection(footprint, district))
    rows = [area_row(row, geometry=drop_slivers(shapely.union(target, piece)))]
    areas = project["small_areas"]
    near = areas.sindex.query(piece, predicate="intersects") if not piece.is_empty else []
    for i in near:
        other = areas.iloc[i]
        if other["code"] == code or not shapely.relate_pattern(other.geometry, piece, "2********"):
            continue
        rest = drop_slivers(shapely.difference(other.geometry, piece))
        if rest.is_empty:
            raise EditError("edit_area_would_vanish", building=name, code=other["code"])
        rows.append(area_row(other, geometry=rest))
    return area_edit(project, "edit_assign_building", rows, codes=(code,), params=(("building", name),))
