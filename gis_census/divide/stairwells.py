"""High-rises over the limit divided vertically between their stairwells (单元), never by floor."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity

from gis_census.rules import whole_shares

__all__ = ["split_by_stairwells"]

#: Counts a building's parts share between them (its recorded counts too, kept while another count balances).
_SHARED = ("population", "households", "recorded_population", "recorded_households")


def split_by_stairwells(buildings: gpd.GeoDataFrame, chosen: np.ndarray, target: float, limit: float,
                        column: str = "population") -> tuple[gpd.GeoDataFrame, list[int]]:
    """`buildings` with each chosen building above `limit` whose stairwells are recorded (``units`` ≥ 2)
    replaced by parts of whole stairwells, each of about `target`; and the ids of the buildings divided.

    A building of u stairwells is cut into k = min(u, ⌈weight / target⌉) parts of consecutive
    stairwells across its long axis, the population and households shared by stairwells
    (largest remainder, so the totals stay exact). The first part keeps the building's id, the
    others take new ids after the largest; each part's address names its stairwells
    ("…（1–2单元）"), which the maps and the building list print, ``units`` its count and ``part_of`` the
    building's id (so its register rows are shared among the parts). A
    building whose stairwells are not recorded stays whole (it becomes a small area of its own).
    """
    weight = buildings[column].to_numpy()
    units = buildings["units"].to_numpy()
    todo = np.flatnonzero(chosen & (weight > limit) & (units >= 2))
    if not len(todo):
        return buildings, []
    next_id = int(buildings["id"].max()) + 1
    rows = []
    for i in todo.tolist():
        row = buildings.iloc[i]
        u = int(units[i])
        k = min(u, math.ceil(weight[i] / target))
        groups = np.array_split(np.arange(u), k)  # consecutive stairwells, as even as they come
        sizes = np.array([len(g) for g in groups])
        pieces = _strips(row.geometry, np.cumsum(sizes)[:-1] / u)
        shares = {c: whole_shares(int(row[c]), sizes) for c in _SHARED}
        for n, (group, piece) in enumerate(zip(groups, pieces)):
            part = row.copy()
            part["id"] = row["id"] if n == 0 else next_id
            next_id += n > 0
            first, last = group[0] + 1, group[-1] + 1
            stairs = f"{first}单元" if first == last else f"{first}–{last}单元"
            part["address"] = f"{row['address']}（{stairs}）" if row["address"] else stairs
            part["units"], part["part_of"] = len(group), row["part_of"] or row["id"]
            for c in _SHARED:
                part[c] = shares[c][n]
            part["small_area_code"], part["number"] = "", 0
            part.geometry = piece
            rows.append(part)
    kept = buildings.drop(index=buildings.index[todo])
    parts = gpd.GeoDataFrame(rows, geometry=buildings.geometry.name, crs=buildings.crs)
    out = pd.concat([kept, parts]).sort_values("id", kind="stable")
    return gpd.GeoDataFrame(out, geometry=buildings.geometry.name, crs=buildings.crs).reset_index(drop=True), \
        sorted(int(buildings["id"].iat[i]) for i in todo)


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
