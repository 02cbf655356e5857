"""Undoable imports into an open project: more buildings, small areas, and a previous division to compare with.

Each runs the importer of `gis-census new` / `import-areas` (:mod:`gis_census.importing`) on a working copy and
returns the difference as one :class:`~gis_census.editing.edit.Edit`; a refused file raises the importer's
InputError (file, layer, feature, field) and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gis_census.editing.edit import Edit, _working_copy, diff_layers
from gis_census.errors import Finding
from gis_census.importing.reading import read_vector, split_layer
from gis_census.importing.small_areas import import_small_areas
from gis_census.importing.township import ImportOptions, read_buildings
from gis_census.project import PREVIOUS, CensusProject, conform_layer
from gis_census.rules import count_population, locate_buildings
from gis_census.spatial import holding_index

__all__ = ["import_buildings_edit", "import_areas_edit"]

_CHANGED = ("small_areas", "buildings")


def import_buildings_edit(project: CensusProject, spec: str, *, skip_outside: bool = False
                          ) -> tuple[Edit, list[Finding]]:
    """Add the buildings of `spec` ("FILE" or "FILE::LAYER") to the project, read as ``gis-census new``
    reads them; return the edit and the reader's notices.

    The new buildings get ids after the project's highest (an ID field of the file names buildings of that
    file only), their village, district and small area from where they stand, and the small areas their
    population and households summed again.
    """
    src = read_vector(spec, "buildings")
    added, notices = read_buildings(src, project["villages"], project.crs,
                                    ImportOptions(villages="", skip_outside=skip_outside))
    existing = project["buildings"]
    first = int(existing["id"].max()) + 1 if len(existing) else 1
    added = added.assign(id=np.arange(first, first + len(added), dtype="int64"))
    districts = project["districts"]
    where = holding_index(np.asarray(added.geometry.array, dtype=object), districts.geometry.values)
    added["district_code"] = np.where(where >= 0, districts["code"].to_numpy(object)[np.maximum(where, 0)],
                                      added["village_code"].to_numpy(object))
    added["small_area_code"] = locate_buildings(project["small_areas"], added) if len(project["small_areas"]) else ""
    work = _working_copy(project, _CHANGED)
    work.layers["buildings"] = conform_layer("buildings", pd.concat([existing, added], ignore_index=True))
    areas = work.layers["small_areas"]
    if len(areas):
        population, households = count_population(areas["code"].to_numpy(object), work.layers["buildings"])
        work.layers["small_areas"] = areas.assign(population=population, households=households)
    changed = set(added["district_code"])
    edit = diff_layers({n: project.layers[n] for n in _CHANGED}, {n: work.layers[n] for n in _CHANGED},
                       "edit_import_buildings", changed, (), (("n", str(len(added))), ("file", src.path.name)))
    return edit, notices


def import_areas_edit(project: CensusProject, spec: str, *, replace: bool = False,
                      previous: bool = False) -> tuple[Edit, list[Finding]]:
    """Make the small areas of `spec` the project's, as ``gis-census import-areas`` does
    (:func:`~gis_census.importing.import_small_areas`; the buildings are located in them), or with `previous`
    its previous division, the reference the current one is compared with (``import-areas --previous``)."""
    names = (PREVIOUS,) if previous else _CHANGED
    work = _working_copy(project, names)
    notices = import_small_areas(work, spec, replace=replace, previous=previous)
    layer = names[0]
    changed = set(project[layer]["district_code"]) | set(work.layers[layer]["district_code"])
    edit = diff_layers({n: project.layers[n] for n in names}, {n: work.layers[n] for n in names},
                       "edit_import_areas", changed, (), (("n", str(len(work.layers[layer]))), ("file", Path(split_layer(spec)[0]).name)))
    return edit, notices
