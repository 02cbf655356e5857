"""Load an existing small-area division (e.g. the last census's) into a project for checking and editing, or as
the previous division that ``compare`` measures the current one against."""

from __future__ import annotations

import geopandas as gpd

from gis_census.errors import Finding, InputError
from gis_census.importing.fields import feature_label, find_field, parse_codes, parse_counts
from gis_census.importing.geometry import POLYGONAL, check_geometries
from gis_census.importing.reading import read_vector
from gis_census.project import PREVIOUS, CensusProject, conform_layer
from gis_census.rules import count_population, locate_buildings

__all__ = ["import_small_areas", "read_small_areas"]


def import_small_areas(
    project: CensusProject,
    spec: str,
    *,
    code_field: str | None = None,
    encoding: str | None = None,
    assume_crs: str | None = None,
    repair: bool = False,
    replace: bool = False,
    previous: bool = False,
) -> list[Finding]:
    """Replace the project's small areas with those in `spec` ("FILE" or "FILE::LAYER"), or with `previous` its
    previous division (layer ``previous_small_areas``; the buildings keep their small areas).

    The file is read and checked by :func:`read_small_areas`. Population and households are summed from the
    project's buildings when it has any (and, unless `previous`, each building's ``small_area_code`` is set),
    else read from the file's fields. Returns notices; raises InputError listing every fault, or when the layer
    holds areas and not `replace`, leaving the project unchanged.
    """
    layer = PREVIOUS if previous else "small_areas"
    if not replace and len(project[layer]):
        raise InputError("previous_areas_exist" if previous else "small_areas_exist", n=len(project[layer]))
    areas, notices = read_small_areas(project, spec, code_field=code_field, encoding=encoding,
                                      assume_crs=assume_crs, repair=repair)
    buildings = project["buildings"]
    if len(buildings):
        located = locate_buildings(areas, buildings.drop(columns="small_area_code") if previous else buildings)
        areas["population"], areas["households"] = count_population(areas["code"].to_numpy(object),
                                                                     buildings.assign(small_area_code=located))
        if not previous:
            project.layers["buildings"] = buildings.assign(small_area_code=located)
    areas["locked"] = 0
    areas["notes"] = ""
    project.layers[layer] = conform_layer(layer, areas)
    return notices


def read_small_areas(
    project: CensusProject,
    spec: str,
    *,
    code_field: str | None = None,
    encoding: str | None = None,
    assume_crs: str | None = None,
    repair: bool = False,
) -> tuple[gpd.GeoDataFrame, list[Finding]]:
    """The small areas in `spec` ("FILE" or "FILE::LAYER") in the project's CRS, and the reader's notices.

    Columns code, district_code, seq and, when the project has no buildings to count them from, population and
    households read from the file's fields. Codes must have 15 digits and start with the code of a district of
    the project; polygons must be valid (or repaired with `repair`). Raises InputError listing every fault, each
    named by file, layer, feature and field.
    """
    src = read_vector(spec, "small_areas", encoding=encoding, assume_crs=assume_crs)
    field = find_field(src, "code", code_field)
    codes, faults = parse_codes(src, field, 15)
    geoms, found, notices = check_geometries(src, codes, POLYGONAL, repair)
    faults += found
    districts = set(project["districts"]["code"])
    for fid, code in codes.items():
        if len(code) == 15 and code[:12] not in districts:
            faults.append(Finding("district_unknown", **src.where(feature_label(src, fid, code), field), params={"district": code[:12]}))
    counts = {}
    if not len(project["buildings"]):
        for role in ("population", "households"):
            counts[role], found, _ = parse_counts(src, find_field(src, role, required=False), codes)
            faults += found
    if faults:
        raise InputError("input_refused", findings=faults, n=len(faults))
    areas = gpd.GeoDataFrame(
        {"code": codes.values, "district_code": codes.str[:12].values, "seq": codes.str[12:].values.astype(object)},
        geometry=gpd.GeoSeries(geoms, crs=src.gdf.crs).to_crs(project.crs).values,
        crs=project.crs,
    )
    for role, values in counts.items():
        areas[role] = values.values
    return areas, src.notices + notices
