"""Carry codes and building numbers over from an earlier division, so that the printed maps change only where they must.

When a few small areas of a district are divided again, each new area takes the code of the old area whose
people it holds most (a maximum-weight matching), and a building keeps its number while it stays in an area
of the same code; see :func:`gis_census.divide.update.update_division`.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from gis_census.numbering.walk import building_numbers
from gis_census.rules import next_building_number

__all__ = ["match_areas", "carry_numbers"]


def match_areas(weights: np.ndarray) -> dict[int, int]:
    """Row -> column of a maximum-weight matching of `weights` (new areas × old areas: what they share, ≥ 0),
    keeping only pairs that share something; solved exactly (SciPy's ``linear_sum_assignment``).

    Example
    -------
    >>> match_areas(np.array([[5, 1], [4, 0]]))
    {0: 1, 1: 0}
    """
    weights = np.asarray(weights, dtype=float)
    if not weights.size:
        return {}
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return {r: c for r, c in zip(rows.tolist(), cols.tolist()) if weights[r, c] > 0}


def carry_numbers(geoms: np.ndarray, old_codes: np.ndarray, old_numbers: np.ndarray, new_codes: np.ndarray,
                  new_areas: set[str]) -> np.ndarray:
    """Building numbers after buildings moved from small areas `old_codes` to `new_codes` (0 where a code is "").

    - A building that stays in an area of the same code keeps its number.
    - In an area that is new (its code in `new_areas`) the buildings are numbered 1..n along the walk
      (:func:`~gis_census.numbering.walk.building_numbers`).
    - Buildings arriving in another area (or not numbered before) get the numbers after the highest that
      area's buildings held (:func:`~gis_census.rules.next_building_number`; those staying keep theirs), in
      walking order, so a number printed on the maps is never given to another building. All of an area's
      buildings must be among those given.
    """
    old_codes, new_codes = np.asarray(old_codes, dtype=object), np.asarray(new_codes, dtype=object)
    old_numbers = np.asarray(old_numbers, dtype=np.int64)
    stays = (new_codes == old_codes) & (old_numbers > 0) & (new_codes != "")
    numbers = np.where(stays, old_numbers, 0)
    fresh = np.array([c in new_areas for c in new_codes], dtype=bool)
    walked = building_numbers(geoms, np.where(fresh, new_codes, ""))
    numbers[fresh] = walked[fresh]
    arriving = ~stays & ~fresh & (new_codes != "")
    if arriving.any():
        rank = building_numbers(geoms, np.where(arriving, new_codes, ""))  # walking order among the arrivals
        for code in np.unique(new_codes[arriving]):
            here = arriving & (new_codes == code)
            numbers[here] = next_building_number(old_numbers[old_codes == code]) - 1 + rank[here]
    return numbers
