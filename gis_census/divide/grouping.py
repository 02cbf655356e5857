"""Grouping a district's units into balanced contiguous groups: one per small area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.divide.lanes import LANE_M
from gis_census.divide.partition import SETTLED, adjacency, balance_score, components, partition

__all__ = ["group_units", "blocks_to_cut", "lane_cost", "LinePreference", "LANE_COST"]

#: A cut along a lane costs this share of its length: lower prefers lanes more, at some cost in balance ties.
LANE_COST = 0.25


@dataclass(frozen=True)
class LinePreference:
    """How much balance a division gives for lines people can follow (``divide --lane-cost --settled``).

    lane_cost : share of its length a cut down a lane between buildings costs (0–1; 1: no preference)
    settled : groups within this share of the target are not evened further (0: always evened)
    """

    lane_cost: float = LANE_COST
    settled: float = SETTLED


def group_units(units, band_top: float, target: float, count: int | None,
                limits: tuple[float, float] = (0.0, np.inf), footprints: np.ndarray | None = None,
                preference: LinePreference = LinePreference()) -> tuple[np.ndarray, list[int]]:
    """A group label per unit, and the units that are one building above `band_top` each (a group of
    their own: no area holding them can be balanced).

    Open water is left out of the grouping and then joined to the group beside it sharing most
    boundary, so the water is covered but no area reaches across it. A group left far under the
    target because water or fields cut it off (a few houses across a river) then joins a neighbour
    that stays within the band, or one that stays within the hard `limits` when it is below them,
    unless `count` fixes the number of groups. Divisions are compared first by their groups of
    several units outside the `limits` (see :func:`~gis_census.divide.partition.balance_score`), then by the
    length they cut inside street blocks; with `footprints` (those `units.building` indexes), a cut between two
    buildings' cells along a lane (see :func:`lane_cost`) counts for LANE_COST of its length."""
    n = len(units.geoms)
    i, j, shared = adjacency(units.geoms)
    alone = [u for u in np.flatnonzero(units.weights > band_top).tolist() if units.building[u] >= 0]
    labels = np.full(n, -1, dtype=np.int64)
    for g, u in enumerate(alone):
        labels[u] = g
    # Water joins an area only after grouping, so that no area is grown across a river or lake.
    labels[units.wet] = len(alone) + np.arange(int(units.wet.sum()))
    rest = np.flatnonzero(labels < 0)
    index = np.full(n, -1, dtype=np.int64)
    index[rest] = np.arange(len(rest))
    inner = (index[i] >= 0) & (index[j] >= 0)
    ri, rj = index[i[inner]], index[j[inner]]
    cut_cost = np.where(units.block[i[inner]] == units.block[j[inner]], shared[inner], 0.0)  # off roads and water
    if footprints is not None:
        cut_cost *= lane_cost(units.building[i[inner]], units.building[j[inner]], footprints, preference.lane_cost)
    comp = components(len(rest), ri, rj)
    totals = np.bincount(comp, weights=units.weights[rest]) if len(rest) else np.zeros(0)
    ks = _counts(totals, target, None if count is None else max(count - len(alone), len(totals)))
    xy = shapely.get_coordinates(shapely.point_on_surface(units.geoms))
    next_label = len(alone) + int(units.wet.sum())
    for c, k in enumerate(ks):
        members = np.flatnonzero(comp == c)
        local = np.full(len(rest), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        keep = (comp[ri] == c)
        pairs = (local[ri[keep]], local[rj[keep]])
        sub = _best_partition(pairs, cut_cost[keep], units.weights[rest[members]], xy[rest[members]], int(k), target,
                              count is None, limits, preference.settled)
        labels[rest[members]] = sub + next_label
        next_label += int(sub.max()) + 1
    labels = _merge_empty(labels, units.weights, i, j, shared)
    if count is None:
        labels = _merge_light(labels, units.weights, i, j, shared, 2 * target - band_top, band_top)
        labels = _merge_light(labels, units.weights, i, j, shared, limits[0], limits[1])
    return labels, alone


def lane_cost(a: np.ndarray, b: np.ndarray, footprints: np.ndarray, cost: float = LANE_COST) -> np.ndarray:
    """Per pair of cells of buildings `a` and `b` (indices into `footprints`, -1 none): `cost` where the
    buildings stand at least LANE_M apart, so the edge between their cells runs down a lane a person can
    walk and point to (see :func:`~gis_census.divide.lanes.derived_lanes`), else 1."""
    both = (a >= 0) & (b >= 0)
    apart = np.zeros(len(a), dtype=bool)
    apart[both] = shapely.distance(footprints[a[both]], footprints[b[both]]) >= LANE_M
    return np.where(apart, cost, 1.0)


def _best_partition(pairs: tuple, cut_cost: np.ndarray, weights: np.ndarray, xy: np.ndarray, k: int, target: float,
                    free_count: bool, limits: tuple[float, float], settled: float = SETTLED) -> np.ndarray:
    """`partition` of one connected part into `k` groups, or (when the count is free) into k ± 1
    where that balances better: coarse buildings can leave k groups of the fitted size unreachable.
    k ± 1 are tried only when k leaves a group off the ±12 % band. Among equally balanced divisions
    the one cutting least shared edge inside street blocks wins."""
    n = len(weights)
    best = partition(n, pairs, weights, xy, k, float(weights.sum()) / k, cut_cost, limits, settled)
    score = balance_score(best, weights, target, pairs, cut_cost, limits)
    if not free_count or score[:3] == (0, 0, 0):  # every group within ±12 %: no other count can do better
        return best
    for m in sorted({max(1, min(k + d, n)) for d in (1, -1)} - {k}):
        labels = partition(n, pairs, weights, xy, m, float(weights.sum()) / m, cut_cost, limits, settled)
        if (s := balance_score(labels, weights, target, pairs, cut_cost, limits)) < score:
            best, score = labels, s
    return best


def blocks_to_cut(units, labels: np.ndarray, oversize: list[int], target: float, band: float) -> frozenset[int]:
    """Blocks kept whole in groups off the target by more than `band` (not oversize buildings)."""
    totals = np.bincount(labels, weights=units.weights)
    off = np.abs(totals / target - 1) > band
    off[labels[oversize]] = False
    whole = off[labels] & (units.building < 0)
    return frozenset(units.block[whole].tolist())


def _counts(totals: np.ndarray, target: float, count: int | None) -> np.ndarray:
    """Areas per connected part: fitted to the target, or `count` shared out by weight (largest remainder)."""
    if count is None:
        return np.maximum(1, np.round(totals / target)).astype(int)
    share = totals / max(totals.sum(), 1e-9) * (count - len(totals))
    ks = 1 + np.floor(share).astype(int)
    for c in np.argsort(-(share - np.floor(share)), kind="stable")[: count - int(ks.sum())]:
        ks[c] += 1
    return ks


def _merge_light(labels: np.ndarray, weights: np.ndarray, i, j, shared, low: float, top: float) -> np.ndarray:
    """Labels with each group weighing less than `low` joined, lightest first, to the neighbour sharing
    most boundary whose total stays at most `top`; a group no neighbour can take stays as it is."""
    stuck: set[int] = set()
    while True:
        totals = np.bincount(labels, weights=weights)
        light = [g for g in np.argsort(totals, kind="stable").tolist()
                 if 0 < totals[g] < low and g not in stuck]
        if not light:
            break
        g = light[0]
        lengths = _shared_with(g, labels, i, j, shared)
        fits = [o for o in sorted(lengths) if totals[o] + totals[g] <= top]
        if not fits:
            stuck.add(g)
            continue
        labels = labels.copy()
        labels[labels == g] = max(fits, key=lambda o: lengths[o])
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def _shared_with(g: int, labels: np.ndarray, i, j, shared) -> dict[int, float]:
    """Length of boundary group `g` shares with each neighbouring group."""
    a, b = labels[i], labels[j]
    lengths: dict[int, float] = {}
    for x, y, s in zip(a.tolist(), b.tolist(), shared.tolist()):
        if x != y and g in (x, y):
            other = y if x == g else x
            lengths[other] = lengths.get(other, 0.0) + s
    return lengths


def _merge_empty(labels: np.ndarray, weights: np.ndarray, i, j, shared) -> np.ndarray:
    """Labels with every group of no weight (fields, water) joined to the neighbour sharing most boundary."""
    isolated: set[int] = set()
    while True:
        totals = np.bincount(labels, weights=weights)
        present = np.bincount(labels) > 0
        empty = [g for g in np.flatnonzero(present & (totals <= 0)).tolist() if g not in isolated]
        if not empty or present.sum() == 1:
            break
        g = empty[0]
        lengths = _shared_with(g, labels, i, j, shared)
        if not lengths:  # an island of no weight: an area of its own
            isolated.add(g)
            continue
        labels[labels == g] = max(sorted(lengths), key=lambda o: lengths[o])
    _, labels = np.unique(labels, return_inverse=True)
    return labels
