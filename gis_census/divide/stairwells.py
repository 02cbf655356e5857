"""High-rises over the limit divided vertically between their stairwells (单元), never by floor."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity

from gis_census.rules import whole_shares

__all__ = ["split_by_stairwells", "join_parts"]

#: Counts a building's parts share between them (its recorded counts too, kept while another count balances).
_SHARED = ("population", "households", "recorded_population", "recorded_households")


def split_by_stairwells(buildings: gpd.GeoDataFrame, chosen: np.ndarray, limit: float,
                        column: str = "population") -> tuple[gpd.GeoDataFrame, dict[int, list[int]]]:
    """`buildings` with each chosen building above `limit` whose stairwells are recorded (``units`` ≥ 2)
    replaced by one part per stairwell, for the division to group; and {building id: its parts' ids, in
    stairwell order}. :func:`join_parts` joins again the parts the division keeps together.

    The parts are strips across the building's long axis, the population and households shared by
    stairwells (largest remainder, so the totals stay exact). The first part keeps the building's id, the
    others take new ids after the largest; each part's address names its stairwell ("…（2单元）"), ``units``
    its count and ``part_of`` the building's id (so its register rows are shared among the parts). A
    building whose stairwells are not recorded stays whole (it becomes a small area of its own).
    """
    weight = buildings[column].to_numpy()
    units = buildings["units"].to_numpy()
    todo = np.flatnonzero(chosen & (weight > limit) & (units >= 2))
    if not len(todo):
        return buildings, {}
    next_id = int(buildings["id"].max()) + 1
    rows, parts = [], {}
    for i in todo.tolist():
        row = buildings.iloc[i]
        u = int(units[i])
        shares = {c: whole_shares(int(row[c]), np.ones(u)) for c in _SHARED}
        ids = [int(row["id"]), *range(next_id, next_id + u - 1)]
        next_id += u - 1
        parts[int(row["id"])] = ids
        for n, piece in enumerate(_strips(row.geometry, np.arange(1, u) / u)):
            rows.append(_part(row, ids[n], piece, n + 1, n + 1, {c: shares[c][n] for c in _SHARED}))
    kept = buildings.drop(index=buildings.index[todo])
    return _with(kept, rows, buildings), parts


def join_parts(buildings: gpd.GeoDataFrame, originals: gpd.GeoDataFrame, parts: dict[int, list[int]]
               ) -> tuple[gpd.GeoDataFrame, list[int]]:
    """`buildings` (located in their small areas) with the consecutive stairwell parts of each building of
    `originals` (as it was before :func:`split_by_stairwells` made `parts`) that lie in one small area joined
    into one: a building is divided only where an area's boundary crosses it, and one the division kept
    whole is itself again. Also the ids of the buildings still divided."""
    at = pd.Index(buildings["id"].to_numpy())
    drop, rows, divided = [], [], []
    for _, original in originals.iterrows():
        ids = parts[int(original["id"])]
        rows_of = buildings.iloc[at.get_indexer(ids)]
        codes = rows_of["small_area_code"].to_numpy()
        starts = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1, len(ids)]
        drop += ids
        if len(starts) == 2:  # the whole building in one area
            rows.append(original.copy())
            rows[-1]["small_area_code"] = codes[0]
            continue
        divided.append(int(original["id"]))
        for a, b in zip(starts[:-1], starts[1:]):
            run = rows_of.iloc[a:b]
            piece = shapely.coverage_union_all(np.asarray(run.geometry.array, dtype=object))
            rows.append(_part(original, ids[a], piece, a + 1, b, {c: int(run[c].sum()) for c in _SHARED}))
            rows[-1]["small_area_code"] = codes[a]
    created = sorted(i for ids in parts.values() for i in ids[1:])  # new ids, after the largest before
    new = set(created)
    renumber = dict(zip(sorted(int(r["id"]) for r in rows if int(r["id"]) in new), created))
    for r in rows:  # the parts kept take the first new ids: no gap where parts were joined
        r["id"] = renumber.get(int(r["id"]), r["id"])
    kept = buildings[~buildings["id"].isin(drop)]
    return _with(kept, rows, buildings), divided


def _part(row: pd.Series, id_: int, piece, first: int, last: int, counts: dict[str, int]) -> pd.Series:
    """Stairwells `first`–`last` of building `row`, with `id_`, footprint `piece` and `counts`."""
    part = row.copy()
    stairs = f"{first}单元" if first == last else f"{first}–{last}单元"
    part["id"], part["address"] = id_, f"{row['address']}（{stairs}）" if row["address"] else stairs
    part["units"], part["part_of"] = last - first + 1, row["part_of"] or row["id"]
    for c, value in counts.items():
        part[c] = value
    part["small_area_code"], part["number"] = "", 0
    part.geometry = piece
    return part


def _with(kept: gpd.GeoDataFrame, rows: list, like: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`kept` and the new `rows`, in id order, as a layer like `like`."""
    added = gpd.GeoDataFrame(rows, geometry=like.geometry.name, crs=like.crs)
    out = pd.concat([kept, added]).sort_values("id", kind="stable")
    return gpd.GeoDataFrame(out, geometry=like.geometry.name, crs=like.crs).reset_index(drop=True)


def _strips(footprint, cuts: np.ndarray) -> list:
    """`footprint` cut across its long axis at the shares `cuts` (0..1) of its length, in order along it."""
    rect = shapely.minimum_rotated_rectangle(footprint)
    xy = shapely.get_coordinates(rect)[:4]
    sides = [xy[1] - xy[0], xy[2] - xy[1]]
    axis = max(sides, key=lambda v: float(np.hypot(*v)))
    angle = math.degrees(math.atan2(axis[1], axis[0]))
    centre = footprint.centroid
    flat = shapely.affinity.rotate(footprint, -angle, origin=centre)  # long axis along x
    xmin, ymin, xmax, ymax = flat.bounds
    edges = np.r_[xmin - 1, xmin + cuts * (xmax - xmin), xmax + 1]
    pieces = [shapely.intersection(flat, shapely.box(a, ymin - 1, b, ymax + 1)) for a, b in zip(edges[:-1], edges[1:])]
    return [shapely.affinity.rotate(p, angle, origin=centre) for p in pieces]
