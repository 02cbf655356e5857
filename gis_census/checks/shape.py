"""Small areas of a shape an enumerator cannot walk: too little compactness, or two lumps joined by a thin neck."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.checks.problem import CheckSettings, Problem

__all__ = ["polsby_popper", "shape_problems"]


def polsby_popper(geoms: np.ndarray) -> np.ndarray:
    """Polsby–Popper compactness 4πA/P² of each polygon: 1 for a circle, about 0.785 for a square, 0 when empty."""
    length = shapely.length(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(length > 0, 4 * np.pi * shapely.area(geoms) / length**2, 0.0)


def shape_problems(geoms: np.ndarray, codes: np.ndarray, settings: CheckSettings) -> list[Problem]:
    """Warnings about small areas (cleaned geometries, None for missing) of odd shape.

    An area is ``odd_shape`` when its Polsby–Popper compactness is below ``settings.compactness_min``,
    and ``thin_neck`` when removing every strip narrower than ``settings.neck_width`` m (a morphological
    opening) leaves two or more lumps each holding at least ``settings.lump_share`` of a part's area.
    """
    present = np.flatnonzero(~shapely.is_missing(geoms))
    pp = polsby_popper(geoms[present])
    problems = [Problem("odd_shape", "small_areas", (codes[i],), value=float(v), location=geoms[i])
                for i, v in zip(present, pp) if v < settings.compactness_min]
    lumps = _lumps(geoms[present], settings.neck_width / 2, settings.lump_share)
    problems += [Problem("thin_neck", "small_areas", (codes[i],), value=float(n), location=geoms[i])
                 for i, n in zip(present, lumps) if n >= 2]
    return problems


def _lumps(geoms: np.ndarray, radius: float, share: float) -> np.ndarray:
    """The most lumps of substantial size any one part of each area falls into once strips narrower than
    2 × `radius` are removed."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    eroded = shapely.buffer(parts, -radius, join_style="mitre")
    # Only a part eroded into several pieces can open into several lumps: a piece grows back into one.
    split = np.flatnonzero(shapely.get_num_geometries(eroded) > 1)
    pieces, piece_owner = shapely.get_parts(eroded, return_index=True)
    if len(split):
        grown, grown_owner = shapely.get_parts(shapely.buffer(eroded[split], radius, join_style="mitre"), return_index=True)
        whole = ~np.isin(piece_owner, split)
        pieces = np.concatenate([pieces[whole], grown])
        piece_owner = np.concatenate([piece_owner[whole], split[grown_owner]])
    big = shapely.area(pieces) >= share * shapely.area(parts)[piece_owner]
    per_part = np.bincount(piece_owner[big], minlength=len(parts))
    most = np.zeros(len(geoms), dtype=int)
    np.maximum.at(most, owner, per_part)
    return most
