"""Supervisor groups: the district's walk cut into runs of 3–4 small areas, and whether each run hangs together."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.rules import has_land

__all__ = ["TOUCH_TOLERANCE", "group_sizes", "walk_groups", "is_contiguous"]

#: Areas this close (m) count as touching: neighbours whose edges are not vertex-matched still meet.
TOUCH_TOLERANCE = 0.1


def group_sizes(n: int) -> list[int]:
    """Sizes of the groups that `n` small areas, walked in order, are cut into.

    Every group holds 3 or 4 areas, as few groups as possible, fours first. 1–2 areas form
    one group; 5 areas cannot be cut into 3s and 4s and form one group of 5 (one supervisor
    with five areas is nearer the 3–4 rule than one with two).

    Example
    -------
    >>> group_sizes(10)
    [4, 3, 3]
    """
    if n < 0:
        raise ValueError(f"number of small areas must not be negative, got {n}")
    if n == 0:
        return []
    if n <= 5:
        return [n]
    groups = -(-n // 4)
    fours = n - 3 * groups
    return [4] * fours + [3] * (groups - fours)


def walk_groups(districts: np.ndarray, walk: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """1-based supervisor group of each small area: its district's areas in `walk` order cut into runs.

    A district of 6 or more areas is cut into runs of 3–4 chosen so that as few runs as
    possible are not contiguous, then as few runs as possible, then fours first; smaller
    districts form one run (see :func:`group_sizes`).
    """
    groups = np.zeros(len(districts), dtype=np.int64)
    order = np.lexsort((walk, districts))
    starts = np.flatnonzero(np.r_[True, districts[order][1:] != districts[order][:-1]])
    for rows in np.split(order, starts[1:]):
        sizes = _cut(np.asarray(geoms, dtype=object)[rows])
        groups[rows] = np.repeat(np.arange(1, len(sizes) + 1), sizes)
    return groups


def _cut(geoms: np.ndarray) -> list[int]:
    """Sizes of the runs that the walked `geoms` are cut into (dynamic programme over the cut points)."""
    n = len(geoms)
    if n < 6:
        return group_sizes(n)
    best: dict[int, tuple[int, int, tuple[int, ...]]] = {0: (0, 0, ())}  # prefix -> (broken, runs, -sizes)
    for end in range(3, n + 1):
        options = [
            (best[end - size][0] + (not is_contiguous(geoms[end - size:end])), best[end - size][1] + 1,
             best[end - size][2] + (-size,))
            for size in (4, 3) if end - size in best
        ]
        if options:
            best[end] = min(options)
    return [-size for size in best[n][2]]


def is_contiguous(geoms: np.ndarray) -> bool:
    """True when the territorial `geoms` form one connected patch (each reachable through touching neighbours).

    Geometries without territory (virtual areas) are left out: they have no place to touch.
    """
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[has_land(geoms)]
    if len(geoms) <= 1:
        return True
    near = shapely.dwithin(geoms[:, None], geoms[None, :], TOUCH_TOLERANCE)
    reached = np.zeros(len(geoms), dtype=bool)
    reached[0] = True
    while True:
        grown = reached | near[reached].any(axis=0)
        if (grown == reached).all():
            return bool(reached.all())
        reached = grown
