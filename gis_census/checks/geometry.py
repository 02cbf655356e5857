"""Invalid, empty and multipart areas, and the cleaned geometries the other checks work on."""

from __future__ import annotations

import re

import numpy as np
import shapely

from gis_census.checks.problem import Problem
from gis_census.rules import has_land

__all__ = ["geometry_problems"]

_POINT = re.compile(r"\[\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s*\]")


def geometry_problems(layer: str, geoms: np.ndarray, codes: np.ndarray, exclave: np.ndarray) -> tuple[list[Problem], np.ndarray]:
    """Problems of the area geometries of `layer`, and geometries fit for overlay.

    Invalid geometries are reported at the spot GEOS names and replaced, for the
    coverage checks only, by their ``make_valid`` polygons; empty ones by None. A
    multipart area is an error unless flagged as an allowed exclave.
    """
    problems = []
    usable = np.asarray(geoms, dtype=object).copy()
    empty = ~has_land(usable)
    for i in np.flatnonzero(empty):
        problems.append(Problem("empty_geometry", layer, (codes[i],)))
        usable[i] = None
    invalid = ~empty & ~shapely.is_valid(usable)
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(usable[i])
        match = _POINT.search(reason)
        spot = shapely.Point(float(match[1]), float(match[2])) if match else usable[i]
        problems.append(Problem("invalid_geometry", layer, (codes[i],), location=spot, detail=reason))
        fixed = shapely.make_valid(usable[i])
        polygons = [p for p in shapely.get_parts(fixed) if shapely.get_dimensions(p) == 2]
        usable[i] = shapely.union_all(polygons) if polygons else None
    parts = np.zeros(len(usable), dtype=int)
    present = ~shapely.is_missing(usable)
    parts[present] = shapely.get_num_geometries(usable[present])
    for i in np.flatnonzero(~invalid & (parts > 1) & ~np.asarray(exclave, dtype=bool)):
        problems.append(Problem("multipart", layer, (codes[i],), value=parts[i], location=usable[i]))
    return problems, usable
