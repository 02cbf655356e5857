"""The previous division kept as a reference: the small areas as they were before the first re-division."""

from __future__ import annotations

import numpy as np

from gis_census.project.census_project import CensusProject
from gis_census.project.layers import conform_layer
from gis_census.rules import has_land
from gis_census.schema import LAYERS
from gis_census.spatial import is_in

__all__ = ["PREVIOUS", "keep_previous_division"]

#: The layer holding the previous division.
PREVIOUS = "previous_small_areas"


def keep_previous_division(project: CensusProject, districts: list[str] | None = None, areas=None) -> bool:
    """Copy every small area (those of the project, or `areas`: the layer as it was before a job replaced it) into
    :data:`PREVIOUS`, once: only while that layer is empty and one of `districts` (default: all) has small areas
    with land. Returns whether it copied.

    Afterwards the layer never changes (an office re-imports it with ``import-areas --previous``), so however
    often the division is updated, ``compare`` measures it against the one the office started from.
    """
    if len(project[PREVIOUS]):
        return False
    areas = project["small_areas"] if areas is None else areas
    land = has_land(np.asarray(areas.geometry.array, dtype=object))
    if districts is not None:
        land &= is_in(areas["district_code"].to_numpy(object), districts)
    if not land.any():
        return False
    project.layers[PREVIOUS] = conform_layer(PREVIOUS, areas[[*LAYERS[PREVIOUS].fields, areas.geometry.name]])
    return True
