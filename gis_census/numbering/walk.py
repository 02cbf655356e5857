"""Serpentine walking order: rows from north to south, alternately west→east and east→west."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gis_census.rules import has_land

__all__ = ["BUILDING_ROW_FACTOR", "DEFAULT_BUILDING_ROW", "serpentine_rank", "area_walk", "building_numbers"]

#: A row of buildings is this many typical building sizes high (one street with a house on each side).
BUILDING_ROW_FACTOR = 2.5

#: Row height in m for small areas whose buildings are points, with no footprint to measure.
DEFAULT_BUILDING_ROW = 30.0


def serpentine_rank(x: np.ndarray, y: np.ndarray, group: np.ndarray, row_height) -> np.ndarray:
    """1-based position of each point in the serpentine walk of its group.

    Rows are ``row_height`` m high (a scalar or one value per point, equal within a group)
    and centred on the group's northernmost point; the first row runs west→east, the next
    east→west, and so on, counting only rows that hold points. Ties go north first, then
    in input order, so the result depends on the points alone.

    Example
    -------
    >>> serpentine_rank(np.array([0, 1, 0, 1.]), np.array([1, 1, 0, 0.]), np.zeros(4), 1.0)
    array([1, 2, 4, 3])
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    height = np.broadcast_to(np.asarray(row_height, dtype=float), x.shape)
    if np.any(height <= 0):
        raise ValueError(f"row height must be positive, got {height.min()}")
    if not len(x):
        return np.zeros(0, dtype=np.int64)
    _, g = np.unique(np.asarray(group), return_inverse=True)
    top = np.full(g.max() + 1, -np.inf)
    np.maximum.at(top, g, y)
    row = np.floor((top[g] - y) / height + 0.5).astype(np.int64)
    _, row_id = np.unique(g * (row.max() + 1) + row, return_inverse=True)
    first_row = np.full(g.max() + 1, row_id.max() + 1)
    np.minimum.at(first_row, g, row_id)
    along = np.where((row_id - first_row[g]) % 2 == 0, x, -x)
    order = np.lexsort((-y, along, row, g))
    rank = np.empty(len(x), dtype=np.int64)
    rank[order] = np.arange(len(x))
    group_start = np.full(g.max() + 1, len(x))
    np.minimum.at(group_start, g, rank)
    return rank - group_start[g] + 1


def area_walk(geoms: np.ndarray, districts: np.ndarray, seqs: np.ndarray) -> np.ndarray:
    """Sort key of small areas along their district's walk: territorial areas in serpentine order, then virtual ones by seq.

    Rows are sqrt(mean area) of the district's territorial areas high: one typical area.
    """
    land = has_land(geoms)
    walk = np.zeros(len(geoms), dtype=np.int64)
    if land.any():
        areas = shapely.area(geoms[land])
        height = pd.Series(areas).groupby(districts[land]).transform("mean").to_numpy() ** 0.5
        points = shapely.point_on_surface(geoms[land])
        walk[land] = serpentine_rank(shapely.get_x(points), shapely.get_y(points), districts[land], np.maximum(height, 1e-6))
    numbers = np.array([int(s) if str(s).isdigit() else 999 for s in seqs[~land]], dtype=np.int64)
    walk[~land] = 1_000_000 + numbers  # after every territorial area
    return walk


def building_numbers(geoms: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Numbers 1..n of buildings within each small area code in `areas` along a serpentine walk; 0 where the code is "".

    Rows are BUILDING_ROW_FACTOR × the median footprint side (sqrt of area) of the area's
    buildings high, or DEFAULT_BUILDING_ROW m when they have no footprints.
    """
    numbers = np.zeros(len(geoms), dtype=np.int64)
    inside = np.flatnonzero(areas != "")
    if not len(inside):
        return numbers
    side = pd.Series(np.sqrt(shapely.area(geoms[inside]))).where(lambda s: s > 0)
    typical = side.groupby(areas[inside]).transform("median").fillna(DEFAULT_BUILDING_ROW / BUILDING_ROW_FACTOR)
    points = shapely.point_on_surface(geoms[inside])
    numbers[inside] = serpentine_rank(shapely.get_x(points), shapely.get_y(points), areas[inside],
                                      BUILDING_ROW_FACTOR * typical.to_numpy())
    return numbers
