"""Figures of a division: balance against the target, compactness, size and walking distance."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["polsby_popper", "diameters", "share_within"]


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


def share_within(values: np.ndarray, target: float, tolerance: float) -> float:
    """Share of `values` within ``target × (1 ± tolerance)``; 1.0 for none."""
    if not len(values):
        return 1.0
    return float(np.mean(np.abs(np.asarray(values, dtype=float) / target - 1) <= tolerance + 1e-9))
