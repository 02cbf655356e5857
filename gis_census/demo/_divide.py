"""Simple "previous census" small-area division: recursive population-weighted bisection."""

from __future__ import annotations

import numpy as np
import shapely

from ._geom import merge_fragments, polygonal

TARGET = 300  # people per small area
TOLERANCE = 0.35  # accept a cut between buildings if it is off by at most this share of one area


def area_count(population: int) -> int:
    """Number of small areas of a village: ``max(1, round(population / 300))``."""
    return max(1, round(population / TARGET))


def _cut(lo_b: float, hi_b: float, c, lo, hi, p, share: float, n: int) -> float:
    """Cut coordinate along one axis, in a gap between buildings when that keeps the balance."""
    margin = 0.02 * (hi_b - lo_b) + 1.0
    a, b = lo_b + margin, hi_b - margin
    if a >= b:
        return (lo_b + hi_b) / 2
    total = float(p.sum())
    if len(c) == 0 or total <= 0:
        return float(np.clip(lo_b + share * (hi_b - lo_b), a, b))
    order = np.argsort(c, kind="stable")
    cs = c[order]
    cum0 = np.concatenate([[0.0], np.cumsum(p[order])])
    target = share * total

    def error(xs):
        return np.abs(cum0[np.searchsorted(cs, xs, side="left")] - target)

    step = cs[1:] - cs[:-1] > 0.5  # never cut through (or next to) a representative point
    mids = np.concatenate([[a], ((cs[:-1] + cs[1:]) / 2)[step], [b]])
    mids = mids[(mids >= a) & (mids <= b)]
    best = float(mids[int(np.argmin(error(mids)))])
    # gaps between building extents
    o = np.argsort(lo, kind="stable")
    l_s, h_run = lo[o] - 1.0, np.maximum.accumulate(hi[o] + 1.0)
    g0 = np.concatenate([[a], h_run])
    g1 = np.concatenate([l_s, [b]])
    g0, g1 = np.maximum(g0, a), np.minimum(g1, b)
    ok = g1 > g0
    if ok.any():
        g0, g1 = g0[ok], g1[ok]
        pad = np.minimum(3.0, (g1 - g0) / 2)
        cands = np.clip(best, g0 + pad, g1 - pad)
        err = error(cands)
        good = np.flatnonzero(err <= TOLERANCE * total / n)
        if len(good):  # the widest gap (a street, a lane, a field) that keeps the balance
            width = np.minimum(g1 - g0, 60.0)[good]
            i = good[np.lexsort((err[good], -np.round(width)))[0]]
            return float(cands[i])
    return best


def _halves(poly, axis: int, pos: float):
    minx, miny, maxx, maxy = poly.bounds
    if axis == 0:  # west first
        first, second = (minx - 1, miny - 1, pos, maxy + 1), (pos, miny - 1, maxx + 1, maxy + 1)
    else:  # north first
        first, second = (minx - 1, pos, maxx + 1, maxy + 1), (minx - 1, miny - 1, maxx + 1, pos)
    return polygonal(shapely.intersection(poly, shapely.box(*first))), \
        polygonal(shapely.intersection(poly, shapely.box(*second)))


def _split(poly, n: int, idx, xy, bounds, pop, out: list) -> None:
    if n == 1:
        out.append((poly, idx))
        return
    k = n // 2
    minx, miny, maxx, maxy = poly.bounds
    if len(idx) > 1 and pop[idx].sum() > 0:  # cut across the longer side of the settled part
        spread = np.ptp(xy[idx], axis=0)
        wide = spread[0] >= spread[1]
    else:
        wide = maxx - minx >= maxy - miny
    axes = (0, 1) if wide else (1, 0)
    chosen = None
    for axis in axes:
        c = xy[idx, axis]
        lo, hi = bounds[idx, axis], bounds[idx, axis + 2]
        if axis == 0:
            pos = _cut(minx, maxx, c, lo, hi, pop[idx], k / n, n)
        else:  # north first: cut on the negated axis
            pos = -_cut(-maxy, -miny, -c, -hi, -lo, pop[idx], k / n, n)
        first, second = _halves(poly, axis, pos)
        trial = (axis, pos, first, second)
        if chosen is None:
            chosen = trial
        if first.geom_type == "Polygon" and second.geom_type == "Polygon" and not first.is_empty \
                and not second.is_empty:
            chosen = trial
            break
    assert chosen is not None  # `axes` is never empty
    axis, pos, first, second = chosen
    in_first = xy[idx, axis] < pos if axis == 0 else xy[idx, axis] >= pos
    _split(first, k, idx[in_first], xy, bounds, pop, out)
    _split(second, n - k, idx[~in_first], xy, bounds, pop, out)


def divide(village, xy: np.ndarray, bounds: np.ndarray, pop: np.ndarray) -> list[tuple]:
    """Divide ``village`` into ``area_count(pop.sum())`` small areas.

    Parameters
    ----------
    village : shapely.Polygon
        The village polygon.
    xy : ndarray (n, 2)
        Representative points of the village's buildings.
    bounds : ndarray (n, 4)
        Building bounds.
    pop : ndarray (n,)
        Building populations.

    Returns
    -------
    list of (Polygon, ndarray)
        Small areas in numbering order with the indices of their buildings.
    """
    out: list[tuple] = []
    _split(village, area_count(int(pop.sum())), np.arange(len(pop)), xy, bounds, pop, out)
    if all(g.geom_type == "Polygon" for g, _ in out):
        return out
    geoms = merge_fragments([g for g, _ in out])
    owner = np.full(len(pop), -1)
    for i, g in enumerate(geoms):
        owner[(owner < 0) & shapely.contains_xy(g, xy[:, 0], xy[:, 1])] = i
    return [(g, np.flatnonzero(owner == i)) for i, g in enumerate(geoms)]
