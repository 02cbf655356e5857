"""Turning new versions of some small areas into an Edit: buildings relocated, populations recounted, near the edit only."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.editing.edit import Edit, EditError, LayerDiff
from gis_census.project import CensusProject, conform_layer
from gis_census.rules import has_land, is_virtual
from gis_census.rules import next_seqs as free_seqs
from gis_census.spatial import holding_index, is_in

__all__ = ["area_edit", "area_rows", "next_seqs", "area_row", "MIN_AREA", "polygonal", "drop_slivers"]

#: m²: parts smaller than this are noding noise (the checks' area tolerance).
MIN_AREA = 0.01


def area_rows(project: CensusProject, codes: Iterable[str]) -> gpd.GeoDataFrame:
    """The rows of small areas `codes`, in that order; EditError naming the first unknown code."""
    areas = project["small_areas"]
    index = pd.Index(areas["code"].to_numpy(object))
    codes = list(codes)
    pos = index.get_indexer(codes) if index.is_unique else np.array([np.flatnonzero(index == c)[0] if (index == c).any() else -1 for c in codes])
    for code, p in zip(codes, pos):
        if p < 0:
            raise EditError("edit_unknown_area", code=code)
    return areas.iloc[pos]


def area_row(template: pd.Series | None, **values) -> dict:
    """A small-area row (dict) from `template` with `values` set."""
    row = {} if template is None else template.to_dict()
    row.update(values)
    return row


def next_seqs(project: CensusProject, district: str, n: int) -> list[str]:
    """`n` free territorial seqs of `district`: above the highest used below 900."""
    areas = project["small_areas"]
    seqs = areas["seq"].to_numpy(object)[areas["district_code"].to_numpy(object) == district]
    try:
        return free_seqs(seqs, n)
    except ValueError:
        raise EditError("edit_no_seq_left", district=district) from None


def polygonal(geom):
    """Only the 2-dimensional parts of `geom`, as a Polygon or MultiPolygon (empty Polygon for none)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == 2]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def drop_slivers(geom, min_area: float = MIN_AREA):
    """`geom`'s polygonal parts without the parts and holes smaller than `min_area` (noding noise)."""
    parts = shapely.get_parts(polygonal(geom))
    keep = []
    for p in parts:
        if shapely.area(p) < min_area:
            continue
        holes = [h for h in p.interiors if shapely.area(shapely.Polygon(h)) >= min_area]
        keep.append(p if len(holes) == len(p.interiors) else shapely.Polygon(p.exterior, holes))
    if not keep:
        return shapely.Polygon()
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


def area_edit(project: CensusProject, label: str, changed: list[dict], deleted: Iterable[str] = (), codes=(), params=()) -> Edit:
    """The edit that puts the small-area rows `changed` (new versions of existing areas, or new areas)
    into the project and removes `deleted`, with buildings relocated and populations recounted.

    Only buildings near the changed areas (or carrying their codes) are looked at. Each takes the
    code of the area holding it, as :func:`gis_census.rules.locate_buildings` does; buildings moved to a
    virtual area stay there.
    """
    areas, buildings = project["small_areas"], project["buildings"]
    crs = areas.crs
    deleted = list(deleted)
    new = conform_layer("small_areas", gpd.GeoDataFrame(pd.DataFrame(changed), geometry="geometry", crs=crs)) if changed \
        else conform_layer("small_areas", areas.iloc[:0])
    a_codes = areas["code"].to_numpy(object)
    a_index = pd.Index(a_codes)
    new_codes = new["code"].to_numpy(object)
    new_pos = a_index.get_indexer(new_codes) if a_index.is_unique else np.array([-1] * len(new_codes))
    appended = new_pos < 0
    new_pos[appended] = len(areas) + np.arange(appended.sum())  # where the rows will stand after the edit
    replaced = np.zeros(len(areas), dtype=bool)
    replaced[new_pos[~appended]] = True
    replaced |= is_in(a_codes, deleted)
    a_geoms = np.asarray(areas.geometry.array, dtype=object)
    n_geoms = np.asarray(new.geometry.array, dtype=object)
    virtual = set(a_codes[is_virtual(areas["seq"].to_numpy(object), a_geoms)]) if len(areas) else set()

    b_geoms = np.asarray(buildings.geometry.array, dtype=object)
    stored = buildings["small_area_code"].to_numpy(object)
    involved = set(new_codes) | set(deleted)
    region = list(n_geoms) + list(a_geoms[replaced])
    cand = np.zeros(0, dtype=int)
    located = np.zeros(0, dtype=object)
    for _ in range(3):
        region_arr = np.asarray(region, dtype=object)
        region_arr = region_arr[has_land(region_arr)]
        near = buildings.sindex.query(region_arr, predicate="intersects")[1] if len(region_arr) and len(buildings) else []
        carrying = np.flatnonzero(buildings["small_area_code"].isin(involved).to_numpy())
        cand = np.union1d(np.asarray(near, dtype=int), np.asarray(carrying, dtype=int)).astype(int)
        # Footprints overlapping a candidate are one building with it (holding_index): locate them together.
        if len(cand):
            cand = np.union1d(cand, buildings.sindex.query(b_geoms[cand], predicate="intersects")[1]).astype(int)
        located = _locate(b_geoms[cand], areas, replaced, n_geoms, new_pos, new_codes)
        keep_virtual = is_in(stored[cand], virtual)
        located = np.where(keep_virtual, stored[cand], located)
        moved = located != stored[cand]
        extra = (set(located[moved]) | set(stored[cand][moved])) - involved - {""} - set(deleted)
        extra &= set(a_codes)
        if not extra:
            break
        involved |= extra
        extra_rows = area_rows(project, sorted(extra))
        region += list(extra_rows.geometry.array)
        new = pd.concat([new, conform_layer("small_areas", extra_rows)], ignore_index=True)
        new_codes = new["code"].to_numpy(object)
        extra_pos = a_index.get_indexer(extra_rows["code"].to_numpy(object))
        new_pos = np.r_[new_pos, extra_pos]
        n_geoms = np.asarray(new.geometry.array, dtype=object)

    pop = buildings["population"].to_numpy()[cand]
    hh = buildings["households"].to_numpy()[cand]
    sums = pd.DataFrame({"code": located, "population": pop, "households": hh}).groupby("code").sum()
    sums = sums.reindex(pd.Index(new_codes, dtype=object), fill_value=0)
    new["population"] = sums["population"].to_numpy(np.int64)
    new["households"] = sums["households"].to_numpy(np.int64)

    # Rows that did not change at all (areas added for a recount that came out the same) are left out.
    old_rows = areas.iloc[new_pos[new_pos < len(areas)]].reset_index(drop=True)
    old_of = dict(zip(old_rows["code"], range(len(old_rows))))
    new = new[~_unchanged_rows(new, old_rows, old_of)].reset_index(drop=True)
    kept_pos = a_index.get_indexer(new["code"].to_numpy(object)) if a_index.is_unique else np.full(len(new), -1)
    removed_at = np.r_[kept_pos[kept_pos >= 0], np.flatnonzero(is_in(a_codes, deleted))].astype(int)
    removed = areas.iloc[removed_at]
    # Where the removed rows stood, so that undoing a delete or merge puts them back in place.
    diffs = [LayerDiff("small_areas", removed.reset_index(drop=True), new, removed_at=tuple(removed_at.tolist()))]

    moved_rows = cand[located != stored[cand]]
    if len(moved_rows):
        before = buildings.iloc[moved_rows].reset_index(drop=True)
        after = before.copy()
        after["small_area_code"] = pd.Series(located[located != stored[cand]], dtype=object)
        diffs.append(LayerDiff("buildings", before, after))
    districts = set(new["district_code"]) | set(removed["district_code"])
    return Edit(label, tuple(diffs), frozenset(d for d in districts if d), tuple(codes), tuple(params))


def _unchanged_rows(new: gpd.GeoDataFrame, old: gpd.GeoDataFrame, old_of: dict) -> np.ndarray:
    from gis_census.editing.edit import _same_geoms

    out = np.zeros(len(new), dtype=bool)
    for i, code in enumerate(new["code"].to_numpy(object)):
        j = old_of.get(code)
        if j is None:
            continue
        same = all(new[c].iat[i] == old[c].iat[j] for c in new.columns if c != new.geometry.name and c in old.columns)
        out[i] = same and bool(_same_geoms(np.array([new.geometry.iat[i]], dtype=object), np.array([old.geometry.iat[j]], dtype=object))[0])
    return out


def _locate(geoms: np.ndarray, areas: gpd.GeoDataFrame, replaced: np.ndarray, n_geoms: np.ndarray, n_pos: np.ndarray,
            n_codes: np.ndarray) -> np.ndarray:
    """Code of the area holding each geometry after the edit ("" for none), by the one rule
    (:func:`~gis_census.spatial.holding_index`, ties to the area first in layer order). Rows `replaced`
    of `areas` give way to the new rows (`n_geoms`, `n_codes`) standing at positions `n_pos`."""
    codes = np.full(len(geoms), "", dtype=object)
    if not len(geoms):
        return codes
    a_geoms = np.asarray(areas.geometry.array, dtype=object)
    kept = np.zeros(0, dtype=np.int64)
    if len(areas):
        kept = np.unique(areas.sindex.query(geoms[has_land(geoms)], predicate="intersects")[1])
        kept = kept[~replaced[kept] & has_land(a_geoms[kept])]
    land = np.flatnonzero(has_land(n_geoms))
    polygons = np.concatenate([a_geoms[kept], n_geoms[land]])
    names = np.concatenate([areas["code"].to_numpy(object)[kept], np.asarray(n_codes, dtype=object)[land]])
    order = np.argsort(np.r_[kept, np.asarray(n_pos, dtype=np.int64)[land]], kind="stable")
    where = holding_index(geoms, polygons[order])
    codes[where >= 0] = names[order][where[where >= 0]]
    return codes
