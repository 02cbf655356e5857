"""Checks across townships: their villages' overlaps and gaps at the township lines, codes used in two townships.

Township projects are digitised apart, so their shared lines disagree a little: a fault narrower than the noise
tolerance everywhere (it vanishes when shrunk by half of it) is not reported. The Providence precincts (real
independent digitising, tests/data) overlap in strips 0.03–0.11 m wide; 0.5 m keeps that noise out and a 1 m
strip of land in.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import shapely

from gis_census.checks.coverage import township_holes
from gis_census.checks.problem import Problem

__all__ = ["NOISE_WIDTH", "overlaps_across", "gaps_across", "codes_across"]

#: Faults narrower than this (m) everywhere are digitising noise between township projects.
NOISE_WIDTH = 0.5


def _real(pieces: np.ndarray, noise: float) -> np.ndarray:
    """Which polygonal pieces are wider than `noise` somewhere."""
    return ~shapely.is_empty(shapely.buffer(pieces, -noise / 2))


def overlaps_across(geoms: np.ndarray, codes: np.ndarray, townships: np.ndarray, noise: float = NOISE_WIDTH) -> list[Problem]:
    """Pairs of villages of different townships whose land overlaps beyond the noise, one problem per pair."""
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = (a < b) & (townships[a] != townships[b])
    a, b = a[keep], b[keep]
    problems = []
    for i, j, shared in zip(a, b, shapely.intersection(geoms[a], geoms[b])):
        land = shapely.union_all([p for p in shapely.get_parts(shared) if shapely.area(p) > 0])
        if shapely.is_empty(land) or not _real(np.array([land]), noise)[0]:
            continue
        first, second = sorted((int(i), int(j)), key=lambda k: codes[k])
        problems.append(Problem("overlap", "villages", (str(codes[first]), str(codes[second])), value=float(land.area),
                                location=land, detail=f"{townships[first]} / {townships[second]}"))
    return problems


def gaps_across(geoms: np.ndarray, codes: np.ndarray, townships: np.ndarray, county: str,
                noise: float = NOISE_WIDTH) -> list[Problem]:
    """Land enclosed by the county's villages that none covers, bordering villages of two townships or more."""
    holes = township_holes(geoms)
    holes = holes[_real(holes, noise)] if len(holes) else holes
    if not len(holes):
        return []
    h, v = shapely.STRtree(geoms).query(holes, predicate="dwithin", distance=noise)
    around: dict[int, set[int]] = defaultdict(set)
    for k, i in zip(h.tolist(), v.tolist()):
        around[k].add(i)
    problems = []
    for k, hole in enumerate(holes):
        beside = sorted(around[k], key=lambda i: codes[i])
        if len({townships[i] for i in beside}) > 1:
            problems.append(Problem("gap", "villages", (county, *(str(codes[i]) for i in beside)), value=float(hole.area),
                                    location=hole, detail=" / ".join(sorted({str(townships[i]) for i in beside}))))
    return problems


def codes_across(layer: str, codes: np.ndarray, townships: np.ndarray) -> list[Problem]:
    """Codes of `layer` used in more than one township, one problem per code naming the townships."""
    seen: dict[str, set[str]] = defaultdict(set)
    for code, township in zip(codes.tolist(), townships.tolist()):
        if code:
            seen[str(code)].add(str(township))
    return [Problem("code_duplicate", layer, (code,), detail=" / ".join(sorted(ts)))
            for code, ts in sorted(seen.items()) if len(ts) > 1]
