"""Allowed holes: a hole in the township that is not a gap but another jurisdiction's land (an enclave).

`check` reports every hole in the union of the villages as a gap. An office records the holes that
belong elsewhere in the project's ``allowed_holes`` layer (the hole's polygon and a note), and the
check leaves them out from then on (:func:`gis_census.checks.coverage.township_hole_problems`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.checks.coverage import allowed_mask, township_holes
from gis_census.errors import CensusError
from gis_census.project import CensusProject, conform_layer

__all__ = ["parse_point", "allow_hole", "remove_allowed_hole"]


def parse_point(text: str) -> shapely.Point:
    """"X,Y" (project coordinates, metres) as a point; CensusError when it is not two numbers."""
    try:
        x, y = (float(v) for v in text.replace(" ", "").split(","))
    except ValueError:
        raise CensusError("point_malformed", text=text) from None
    if not (np.isfinite(x) and np.isfinite(y)):
        raise CensusError("point_malformed", text=text)
    return shapely.Point(x, y)


def allow_hole(project: CensusProject, at: shapely.Point, note: str = "") -> shapely.Polygon:
    """Record the township hole containing `at` as allowed and return it.

    Raises CensusError naming the point when no hole of the township lies there, or when that
    hole is already recorded.
    """
    holes = township_holes(np.asarray(project["villages"].geometry.array, dtype=object))
    found = [h for h in holes if shapely.covers(h, at)]
    if not found:
        raise CensusError("hole_none_at", x=f"{at.x:.2f}", y=f"{at.y:.2f}", holes=len(holes))
    hole = found[0]
    allowed = project["allowed_holes"]
    if allowed_mask(np.array([hole], dtype=object), np.asarray(allowed.geometry.array, dtype=object))[0]:
        raise CensusError("hole_already_allowed", x=f"{at.x:.2f}", y=f"{at.y:.2f}")
    row = gpd.GeoDataFrame({"note": [note]}, geometry=[hole], crs=allowed.crs or project.crs)
    project.layers["allowed_holes"] = conform_layer("allowed_holes", pd.concat([allowed, row], ignore_index=True))
    return hole


def remove_allowed_hole(project: CensusProject, at: shapely.Point) -> int:
    """Forget the allowed holes containing `at`; how many were removed (CensusError when none)."""
    allowed = project["allowed_holes"]
    hit = shapely.covers(np.asarray(allowed.geometry.array, dtype=object), at)
    if not hit.any():
        raise CensusError("hole_not_allowed_at", x=f"{at.x:.2f}", y=f"{at.y:.2f}")
    project.layers["allowed_holes"] = conform_layer("allowed_holes", allowed[~hit])
    return int(hit.sum())
