"""Buildings against small areas: unassigned, split by a boundary, or coded to the wrong area."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem
from gis_census.spatial import containing_index, is_in

__all__ = ["building_problems", "unassigned_problems"]

_WORKERS = min(os.cpu_count() or 1, 4)
_pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="gis-census-check") if _WORKERS > 1 else None
_CHUNK = 50_000  # below this many buildings, threads cost more than they save


def building_problems(buildings: dict, areas: np.ndarray, codes: np.ndarray, settings: CheckSettings) -> tuple[list[Problem], np.ndarray]:
    """Problems of `buildings` (column arrays) against the small-area geometries `areas` coded `codes`.

    Returns the problems and, for each building, the index of the area holding its
    representative point (-1 for none), which the population checks reuse.
    """
    n = len(buildings["id"])
    if n < _CHUNK or _pool is None:
        return _building_problems(buildings, areas, codes, settings)
    # shapely releases the GIL in its vectorised functions: halves of the buildings run on two cores.
    # Each thread builds its own trees and prepares only its own buildings (GEOS's lazily built
    # prepared-geometry indexes must not be shared between threads).
    bounds = np.linspace(0, n, _WORKERS + 1, dtype=int)
    chunks = [{c: v[bounds[k]:bounds[k + 1]] for c, v in buildings.items()} for k in range(_WORKERS)]
    results = list(_pool.map(lambda chunk: _building_problems(chunk, areas, codes, settings), chunks))
    return [p for found, _ in results for p in found], np.concatenate([where for _, where in results])


def _building_problems(buildings: dict, areas: np.ndarray, codes: np.ndarray, settings: CheckSettings) -> tuple[list[Problem], np.ndarray]:
    geoms = buildings["geometry"]
    problems: list[Problem] = []
    where = containing_index(geoms, areas) if len(geoms) else np.zeros(0, dtype=int)
    ids = buildings["id"].astype(str)
    stored = buildings["small_area_code"]
    located = np.where(where >= 0, codes[np.maximum(where, 0)] if len(codes) else "", "")
    for i in np.flatnonzero((where >= 0) & (stored != "") & (stored != located)):
        problems.append(Problem("building_code_mismatch", "buildings", (ids[i], stored[i], located[i]), location=geoms[i]))

    problems += _split(geoms, where, areas, codes, ids, settings)
    return problems, where


def unassigned_problems(buildings: dict, where: np.ndarray, district_of: np.ndarray, divided: set[str]) -> list[Problem]:
    """Residential buildings in no small area, within a district that has been divided.

    A district not yet divided is one warning of its own (no_children), not one error per building.
    """
    population = buildings["population"]
    residential = (buildings["use"] == "residential") | (population > 0)
    missing = (where < 0) & residential & is_in(district_of, divided)
    return [
        Problem("building_unassigned", "buildings", (str(buildings["id"][i]),), value=population[i], location=buildings["geometry"][i])
        for i in np.flatnonzero(missing)
    ]


def _split(geoms, where, areas, codes, ids, settings) -> list[Problem]:
    """Footprints with more than `split_share` of their area on each side of a boundary."""
    polygonal = np.flatnonzero((where >= 0) & (shapely.get_dimensions(geoms) == 2))
    edges = shapely.boundary(areas[~shapely.is_missing(areas)])
    if not len(polygonal) or not len(edges):
        return []
    # Only footprints touching some boundary can be cut: one tree query finds them.
    touching = shapely.STRtree(geoms[polygonal]).query(edges, predicate="intersects")[1]
    candidates = polygonal[np.unique(touching)]
    if not len(candidates):
        return []
    b, a = shapely.STRtree(areas).query(geoms[candidates], predicate="intersects")
    footprints = geoms[candidates[b]]
    share = shapely.area(shapely.intersection(footprints, areas[a])) / shapely.area(footprints)
    big = share > settings.split_share
    b, a, share = b[big], a[big], share[big]
    order = np.lexsort((a, b))
    b, a, share = b[order], a[order], share[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    counts = np.diff(np.r_[starts, len(b)])
    smallest = np.minimum.reduceat(share, starts) if len(starts) else share
    return [
        Problem("building_split", "buildings", (ids[candidates[b[s]]], *codes[a[s:s + n]]),
                value=float(smallest[k]), location=geoms[candidates[b[s]]])
        for k, (s, n) in enumerate(zip(starts, counts))
        if n > 1
    ]
