"""Real footprints on import: exact duplicates merged on request, overlaps and village-line crossings reported."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from gis_census.checks.buildings import crossing_problems, overlap_problems
from gis_census.checks.problem import CheckSettings, Problem
from gis_census.errors import Finding
from gis_census.spatial import overlapping_pairs

__all__ = ["review_footprints"]

_EXAMPLES = 3


def review_footprints(buildings: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, merge_duplicates: bool = False
                      ) -> tuple[gpd.GeoDataFrame, list[Finding], list[Problem]]:
    """The buildings (exact duplicates merged when `merge_duplicates`), the notices the user reads about
    duplicates, overlaps and houses cut by village lines, and those problems for the project's problems layer.

    Survey and 3D-model footprints overlap (a podium under its tower, an annex, a duplicate); they are
    accepted, since `divide` keeps an overlapping group in one small area. A footprint that a village
    line cuts belongs to the village holding most of it.
    """
    notices: list[Finding] = []
    duplicates = _duplicate_groups(np.asarray(buildings.geometry.array, dtype=object))
    if len(duplicates) and merge_duplicates:
        buildings = _merge(buildings, duplicates)
        notices.append(Finding("notice_duplicates_merged", params={"n": int((duplicates >= 0).sum() - len(np.unique(duplicates[duplicates >= 0])))}))
    elif (duplicates >= 0).any():
        first = [_name(buildings, i) for i in np.flatnonzero(duplicates >= 0)[:_EXAMPLES]]
        notices.append(Finding("notice_duplicates", params={"n": int((duplicates >= 0).sum()), "examples": ", ".join(first)}))
    columns = {"id": buildings["id"].to_numpy(), "geometry": np.asarray(buildings.geometry.array, dtype=object)}
    settings = CheckSettings()
    overlaps = overlap_problems(columns, settings.area_tolerance)
    row = {str(i): k for k, i in enumerate(columns["id"])}  # problems name buildings by id
    if overlaps:
        geoms = columns["geometry"]
        pairs = [(row[p.features[0]], row[p.features[1]]) for p in overlaps]
        nested = sum(bool(shapely.covers(geoms[a], geoms[b]) or shapely.covers(geoms[b], geoms[a])) for a, b in pairs)
        examples = ", ".join(f"{_name(buildings, a)} / {_name(buildings, b)}" for a, b in pairs[:_EXAMPLES])
        notices.append(Finding("notice_overlapping_footprints", params={"n": len(overlaps), "nested": nested, "examples": examples}))
    crossings = crossing_problems(columns, np.asarray(villages.geometry.array, dtype=object), villages["code"].to_numpy(), settings)
    if crossings:
        village_of = dict(zip(buildings["id"].astype(str), buildings["village_code"]))
        examples = ", ".join(f"{_name(buildings, row[p.features[0]])} → {village_of[p.features[0]]}" for p in crossings[:_EXAMPLES])
        notices.append(Finding("notice_crosses_village", params={"n": len(crossings), "examples": examples}))
    return buildings, notices, overlaps + crossings


def _duplicate_groups(geoms: np.ndarray) -> np.ndarray:
    """For each footprint, the row of the first footprint it equals exactly where it has a twin, else -1."""
    group = np.full(len(geoms), -1, dtype=np.int64)
    i, j = overlapping_pairs(geoms)
    same = shapely.equals(geoms[i], geoms[j]) if len(i) else np.zeros(0, dtype=bool)
    for a, b in sorted(zip(i[same].tolist(), j[same].tolist())):
        root = group[a] if group[a] >= 0 else a
        group[a] = group[b] = root
    return group


def _merge(buildings: gpd.GeoDataFrame, group: np.ndarray) -> gpd.GeoDataFrame:
    """One building per set of exact duplicates: the first record, with the people and households of
    the others added where their records differ (two registers of one house), not where they repeat it."""
    buildings = buildings.copy()
    drop = []
    for root in np.unique(group[group >= 0]):
        members = np.flatnonzero(group == root)
        records = buildings.iloc[members][["address", "population", "households", "units", "use"]]
        if len(records.drop_duplicates()) > 1:
            for column in ("population", "households"):
                buildings.iloc[root, buildings.columns.get_loc(column)] = int(records[column].sum())
        drop += [m for m in members if m != root]
    return buildings.drop(index=buildings.index[drop]).reset_index(drop=True)


def _name(buildings: gpd.GeoDataFrame, row: int) -> str:
    """A building as the user knows it: its id, and its address where it has one."""
    address = str(buildings["address"].iloc[row] or "")
    ident = str(buildings["id"].iloc[row])
    return f"{ident} ({address})" if address else ident
