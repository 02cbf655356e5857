"""Houses an old boundary cuts, made whole by moving the boundary around them, not by dividing again.

A previous division (the last census's, or one drawn before the walk found new houses) runs its boundaries through
buildings. The part of a footprint lying in another small area of its district moves to the area that holds most of
it (:func:`~gis_census.rules.locate_buildings`, which already counts the house's people there), so both areas keep
their codes, their people and every other building: only the line bends around the house. A move that would cut the
losing area in two is not made; that house stays cut and `check` names it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gis_census.rules import AREA_TOLERANCE, SPLIT_SHARE, has_land, is_virtual
from gis_census.spatial import holding

__all__ = ["cut_buildings", "heal_cut_buildings"]


def cut_buildings(areas: pd.DataFrame, buildings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pieces of footprints cut by a boundary between two small areas of one district: arrays (building row,
    small-area row holding the building, small-area row holding the piece), each piece over SPLIT_SHARE of its
    footprint (what `check` calls a split building)."""
    geoms = np.asarray(areas.geometry.array, dtype=object)
    footprints = np.asarray(buildings.geometry.array, dtype=object)
    none = np.zeros(0, dtype=np.int64)
    if not len(geoms) or not len(footprints):
        return none, none, none
    land = np.flatnonzero(has_land(geoms))
    where, (g, p, shared), _ = holding(footprints, geoms[land])
    held = where[g]
    district = areas["district_code"].to_numpy(object)[land]
    piece = (p != held) & (held >= 0) & (district[p] == district[np.maximum(held, 0)])
    piece &= shared > SPLIT_SHARE * shapely.area(footprints[g])
    return g[piece], land[held[piece]], land[p[piece]]


def heal_cut_buildings(areas: pd.DataFrame, buildings: pd.DataFrame, districts: pd.DataFrame,
                       chosen: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """`areas` with the houses cut by a boundary inside the `chosen` districts made whole (see the module): each
    such footprint, within its district (`districts`, the layer), joins the area holding most of it and leaves the
    others. Returns the areas and the codes of those whose land changed. Locked and virtual areas keep their land."""
    building, gainer, _ = cut_buildings(areas, buildings)
    building, first = np.unique(building, return_index=True)
    gainer = gainer[first]
    codes = areas["code"].to_numpy(object)
    parent = areas["district_code"].to_numpy(object)
    geoms = np.asarray(areas.geometry.array, dtype=object).copy()
    fixed = (areas["locked"].to_numpy() == 1) | is_virtual(areas["seq"].to_numpy(object), geoms)
    land = dict(zip(districts["code"].tolist(), districts.geometry.tolist()))
    footprints = np.asarray(buildings.geometry.array, dtype=object)
    tree = shapely.STRtree(geoms)
    changed: set[int] = set()
    for b, a in zip(building, gainer):
        if parent[a] not in chosen or fixed[a] or parent[a] not in land:
            continue
        house = shapely.intersection(footprints[b], land[parent[a]])
        others = [k for k in tree.query(house, predicate="intersects")
                  if k != a and parent[k] == parent[a] and shapely.area(shapely.intersection(geoms[k], house)) > AREA_TOLERANCE]
        if any(fixed[k] for k in others):
            continue
        remains = [_without(geoms[k], house) for k in others]
        if any(rest is None for rest, _ in remains):  # the house would cut an area in two
            continue
        crumbs = [c for _, found in remains for c in found]
        geoms[a] = shapely.union_all([geoms[a], house, *crumbs])
        for k, (rest, _) in zip(others, remains):
            geoms[k] = rest
        changed |= {int(a), *map(int, others)}
    if not changed:
        return areas, []
    return areas.set_geometry(geoms, crs=areas.crs), sorted(codes[list(changed)])


def _without(area, house):
    """`area` less `house`, and the crumbs under AREA_TOLERANCE that it leaves apart (they go with the house);
    None when that leaves the area in more substantial parts than it had."""
    before = shapely.get_parts(area)
    after = shapely.get_parts(shapely.difference(area, house))
    big = shapely.area(after) > AREA_TOLERANCE
    if big.sum() > (shapely.area(before) > AREA_TOLERANCE).sum() or not big.any():
        return None, []
    return shapely.multipolygons(after[big]) if big.sum() > 1 else after[big][0], list(after[~big])
