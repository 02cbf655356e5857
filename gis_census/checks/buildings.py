"""Buildings against small areas and each other: unassigned, split by a boundary, coded to the wrong area,
cut by a village line, or overlapping another footprint."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem
from gis_census.project.layers import return_freed_memory
from gis_census.spatial import holding, intersection_areas, is_in, overlapping_pairs, ring_segments

__all__ = ["building_problems", "unassigned_problems", "crossing_problems", "overlap_problems"]

_WORKERS = min(os.cpu_count() or 1, 4)
_pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="gis-census-check") if _WORKERS > 1 else None
_CHUNK = 50_000  # below this many buildings, threads cost more than they save
_BOUNDARY_SLICE = 2_000  # polygons whose boundary segments are looked for footprints at once


def building_problems(buildings: dict, areas: np.ndarray, codes: np.ndarray, parents: np.ndarray,
                      settings: CheckSettings, lines: tuple[np.ndarray, np.ndarray] | None = None,
                      ) -> tuple[list[Problem], np.ndarray, list[Problem]]:
    """Problems of `buildings` (column arrays) against the small-area geometries `areas` coded `codes`
    in the districts `parents`.

    Returns the problems; for each building, the index of the area holding it
    (:func:`~gis_census.spatial.holding_index`, -1 for none), which the population checks reuse; and the
    :func:`crossing_problems` against `lines` (district geometries and codes; none without), found with
    the same tree of the footprints. A building is split only by the boundary between two areas of one
    district: a district line is an official village line, and a house it cuts is a
    `building_crosses_village` warning instead.
    """
    n = len(buildings["id"])
    if n < _CHUNK or _pool is None:
        return _building_problems(buildings, areas, codes, parents, settings, lines)
    # shapely releases the GIL in its vectorised functions: halves of the buildings run on two cores.
    # Each thread builds its own trees and prepares only its own buildings (GEOS's lazily built
    # prepared-geometry indexes must not be shared between threads).
    bounds = np.linspace(0, n, _WORKERS + 1, dtype=int)
    chunks = [{c: v[bounds[k]:bounds[k + 1]] for c, v in buildings.items()} for k in range(_WORKERS)]
    results = list(_pool.map(lambda chunk: _building_problems(chunk, areas, codes, parents, settings, lines), chunks))
    return_freed_memory()  # 375 MB after the buildings of 100,000 small areas
    return ([p for found, _, _ in results for p in found], np.concatenate([where for _, where, _ in results]),
            [p for _, _, crossing in results for p in crossing])


def _building_problems(buildings: dict, areas: np.ndarray, codes: np.ndarray, parents: np.ndarray,
                       settings: CheckSettings, lines) -> tuple[list[Problem], np.ndarray, list[Problem]]:
    geoms = buildings["geometry"]
    problems: list[Problem] = []
    tree = shapely.STRtree(geoms)  # one tree of the footprints: locating them, finding those a boundary cuts
    where, measured = holding(geoms, areas, tree)
    cut = _touching(tree, areas)
    crossed = _touching(tree, lines[0]) if lines is not None else None
    del tree  # 75 B a footprint: gone before the problems are made
    ids = buildings["id"]
    stored = buildings["small_area_code"]
    located = np.where(where >= 0, codes[np.maximum(where, 0)] if len(codes) else "", "")
    for i in np.flatnonzero((where >= 0) & (stored != "") & (stored != located)):
        problems.append(Problem("building_code_mismatch", "buildings", (str(ids[i]), stored[i], located[i]), location=geoms[i]))

    problems += _split(geoms, cut, where, measured, areas, codes, parents, ids, settings)
    crossing = crossing_problems(buildings, lines[0], lines[1], settings, crossed) if lines is not None else []
    return problems, where, crossing


def _touching(tree: shapely.STRtree, polygons: np.ndarray) -> np.ndarray:
    """The footprints (indexes into `tree`, ascending) touching the boundary of some of `polygons`: only those
    can be cut by one, and tree queries find them. The boundaries go in as their segments, whose small boxes
    meet only the footprints along them (a whole ring's box meets every footprint inside): half the tests.
    A slice of polygons at a time, so that only its segments are held."""
    polygons = polygons[~shapely.is_missing(polygons)]
    found = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(polygons), _BOUNDARY_SLICE):
        a, b, _ = ring_segments(polygons[start:start + _BOUNDARY_SLICE])
        if len(a):
            segments = shapely.linestrings(np.stack([a, b], axis=1))
            found.append(np.unique(tree.query(segments, predicate="intersects")[1]))
    return np.unique(np.concatenate(found))


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


def _split(geoms, touching, where, measured, areas, codes, parents, ids, settings) -> list[Problem]:
    """Footprints with more than `split_share` of their area in each of two small areas of one district.

    `touching` are the footprints touching an area's boundary (:func:`_touching`), `measured` the pairs
    :func:`~gis_census.spatial.holding` measured.
    """
    polygonal = (where >= 0) & (shapely.get_dimensions(geoms) == 2)
    candidates = touching[polygonal[touching]]
    if not len(candidates):
        return []
    b, a, area = _measured_pairs(candidates, geoms, areas, measured)
    same = parents[a] == parents[where[candidates[b]]]  # parts across a district line are a village matter
    b, a, area = b[same], a[same], area[same]
    share = area / shapely.area(geoms[candidates[b]])
    return [Problem("building_split", "buildings", (str(ids[candidates[k]]), *codes[parts]), value=smallest,
                    location=geoms[candidates[k]])
            for k, parts, smallest in _cut(b, a, share, settings.split_share)]


def _measured_pairs(candidates, geoms, areas, measured) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidate, area, area of their intersection) for every area meeting one of the `candidates` (indexes
    of `geoms`): taken from the pairs `measured` already where they hold a candidate's, measured for the others."""
    g, a, area = measured
    known = np.isin(g, candidates)
    b_known = np.searchsorted(candidates, g[known])
    fresh = np.flatnonzero(~np.isin(candidates, g))
    b, a_fresh = shapely.STRtree(areas).query(geoms[candidates[fresh]], predicate="intersects")
    b_fresh = fresh[b]
    fresh_area = intersection_areas(geoms[candidates[b_fresh]], areas[a_fresh])
    return np.r_[b_known, b_fresh], np.r_[a[known], a_fresh], np.r_[area[known], fresh_area]


def crossing_problems(buildings: dict, districts: np.ndarray, codes: np.ndarray, settings: CheckSettings,
                      touching: np.ndarray | None = None) -> list[Problem]:
    """Footprints with more than `split_share` of their area in each of two districts (a village line
    drawn through a house): a warning, since the office cannot move official lines. The building
    belongs to the district holding most of it. `touching`: the footprints touching a district's boundary
    (:func:`_touching`), when already found."""
    geoms = buildings["geometry"]
    polygonal = shapely.get_dimensions(geoms) == 2
    if not polygonal.any() or len(districts) < 2:
        return []
    touching = _touching(shapely.STRtree(geoms), districts) if touching is None else touching
    candidates = touching[polygonal[touching]]
    b, d = shapely.STRtree(districts).query(geoms[candidates], predicate="intersects")
    footprints = geoms[candidates[b]]
    share = intersection_areas(footprints, districts[d]) / shapely.area(footprints)
    ids = buildings["id"]  # as text only where a problem names them: millions of str objects would cost ~60 B each
    return [Problem("building_crosses_village", "buildings", (str(ids[candidates[k]]), *codes[parts]), value=smallest,
                    location=geoms[candidates[k]])
            for k, parts, smallest in _cut(b, d, share, settings.split_share)]


def _cut(b: np.ndarray, a: np.ndarray, share: np.ndarray, least: float):
    """For the pairs (footprint b, polygon a) holding `share` of the footprint's area, each footprint with more
    than `least` of its area in two polygons or more: (footprint, those polygons' indexes, the smallest share)."""
    big = share > least
    b, a, share = b[big], a[big], share[big]
    order = np.lexsort((a, b))
    b, a, share = b[order], a[order], share[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if len(b) else np.zeros(0, dtype=int)
    counts = np.diff(np.r_[starts, len(b)])
    smallest = np.minimum.reduceat(share, starts) if len(starts) else share
    return [(int(b[s]), a[s:s + n], float(smallest[k])) for k, (s, n) in enumerate(zip(starts, counts)) if n > 1]


def overlap_problems(buildings: dict, area_tolerance: float) -> list[Problem]:
    """Pairs of footprints overlapping by more than `area_tolerance` m² (one inside another, a duplicate,
    a podium under its tower): a warning, since `divide` keeps such buildings together in one small area."""
    geoms = buildings["geometry"]
    polygonal = np.flatnonzero(shapely.get_dimensions(geoms) == 2) if len(geoms) else np.zeros(0, dtype=int)
    i, j = overlapping_pairs(geoms[polygonal])
    i, j = polygonal[i], polygonal[j]
    shared = shapely.intersection(geoms[i], geoms[j])
    area = shapely.area(shared)
    ids = buildings["id"]
    return [Problem("building_overlap", "buildings", (str(ids[a]), str(ids[b])), value=float(s), location=g)
            for a, b, s, g in zip(i, j, area, shared) if s > area_tolerance]
