"""Figures of a division: balance against the target, compactness, size and walking distance."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["polsby_popper", "diameters", "walk_lengths", "share_within"]


def polsby_popper(geoms: np.ndarray) -> np.ndarray:
    """Polsby–Popper compactness 4πA/P² of each polygon: 1 for a circle, about 0.785 for a square."""
    perimeter = shapely.length(geoms)
    return np.where(perimeter > 0, 4 * np.pi * shapely.area(geoms) / np.maximum(perimeter, 1e-12) ** 2, 0.0)


def diameters(geoms: np.ndarray) -> np.ndarray:
    """Longest straight distance across each polygon in m (between two vertices of its convex hull)."""
    out = np.zeros(len(geoms))
    for k, hull in enumerate(shapely.convex_hull(geoms)):
        xy = shapely.get_coordinates(hull)
        if len(xy) > 1:
            out[k] = float(np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)).max())
    return out


def walk_lengths(footprints: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """Metres an enumerator walks through each of `n` areas: building to building, straight, in the order
    the buildings are numbered (:func:`~gis_census.numbering.walk.building_numbers`); `where` gives each
    footprint's area, -1 for none. A lower bound of the real walk, which follows lanes."""
    from gis_census.numbering.walk import building_numbers

    out = np.zeros(n)
    held = np.flatnonzero(where >= 0)
    if len(held) < 2:
        return out
    area = where[held]
    numbers = building_numbers(footprints[held], area.astype(str))
    order = np.lexsort((numbers, area))
    xy = shapely.get_coordinates(shapely.point_on_surface(footprints[held][order]))
    area = area[order]
    same = area[1:] == area[:-1]
    steps = np.hypot(*(xy[1:] - xy[:-1]).T)
    return np.bincount(area[1:][same], weights=steps[same], minlength=n)


def share_within(values: np.ndarray, target: float, tolerance: float) -> float:
    """Share of `values` within ``target × (1 ± tolerance)``; 1.0 for none."""
    if not len(values):
        return 1.0
    return float(np.mean(np.abs(np.asarray(values, dtype=float) / target - 1) <= tolerance + 1e-9))
