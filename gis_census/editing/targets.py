"""Which small area a gesture means: the one a split line cuts through."""

from __future__ import annotations

import numpy as np
import shapely
import shapely.ops

from gis_census.project import CensusProject

__all__ = ["area_crossed"]


def area_crossed(project: CensusProject, line, selection=()) -> str | None:
    """The code of the small area `line` cuts in two or more pieces (merely entering it is not enough).

    When the line cuts several areas, the one of them in `selection` is meant; None when there is no
    such area or no telling which.
    """
    areas = project["small_areas"]
    if not len(areas) or line is None or line.is_empty:
        return None
    hits = np.sort(areas.sindex.query(line, predicate="intersects"))
    geoms = np.asarray(areas.geometry.array, dtype=object)[hits]
    codes = areas["code"].to_numpy(object)[hits]
    crossed = [str(c) for c, g in zip(codes, geoms) if len(shapely.ops.split(g, line).geoms) > 1]
    if len(crossed) == 1:
        return crossed[0]
    chosen = [c for c in crossed if c in set(selection)]
    return chosen[0] if len(chosen) == 1 else None
