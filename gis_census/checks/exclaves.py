"""Exclaves (飞地): the one rule for a small area that is an uninhabited part of a district in several parts.

A village drawn in several separate parts is flagged ``exclave = 1`` (with its district) on
import, so its parts are not a ``multipart`` error. Dividing such a district divides each
inhabited part; a part where nobody lives cannot join a neighbour (it has none in the district)
and becomes a small area of its own. Such an area is acceptable, not ``population_empty``, when:

- nobody lives in it (population 0),
- its district is flagged exclave,
- it is exactly one whole part of that district (so it is not an empty piece cut off inside a part),

and it is marked ``exclave = 1`` so the rule is visible in the project. :func:`divide` marks it;
the population check exempts it through :func:`uninhabited_exclaves`.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["whole_parts", "uninhabited_exclaves"]


def whole_parts(areas: np.ndarray, districts: np.ndarray, tolerance: float = 0.01) -> np.ndarray:
    """For each area, whether it is (within `tolerance` m²) exactly one part of its district
    (`districts[i]` is the district of `areas[i]`, None when unknown) and that district has several parts."""
    out = np.zeros(len(areas), dtype=bool)
    for i, (area, district) in enumerate(zip(areas, districts)):
        if area is None or district is None or shapely.is_empty(area) or shapely.get_num_geometries(district) < 2:
            continue
        if shapely.get_num_geometries(area) != 1:
            continue
        own = shapely.area(area)
        for part in shapely.get_parts(district):
            if not shapely.intersects(part, area):
                continue
            common = shapely.area(shapely.intersection(part, area))
            out[i] = own - common <= tolerance and shapely.area(part) - common <= tolerance
            break
    return out


def uninhabited_exclaves(population: np.ndarray, area_exclave: np.ndarray, district_exclave: np.ndarray,
                         whole: np.ndarray) -> np.ndarray:
    """Areas with nobody in them that are an accepted uninhabited exclave: flagged themselves, their
    district flagged, and a whole part of that district (see :func:`whole_parts`)."""
    return ((np.asarray(population) == 0) & (np.asarray(area_exclave) == 1) & (np.asarray(district_exclave) == 1)
            & np.asarray(whole, dtype=bool))
