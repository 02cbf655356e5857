"""Load an existing small-area division (e.g. the last census's) into a project for checking and editing."""

from __future__ import annotations

import geopandas as gpd

from gis_census.errors import Finding, InputError
from gis_census.importing.fields import feature_label, find_field, parse_codes, parse_counts
from gis_census.importing.geometry import POLYGONAL, check_geometries
from gis_census.importing.reading import read_vector
from gis_census.project import CensusProject, conform_layer
from gis_census.rules import count_population, locate_buildings

__all__ = ["import_small_areas"]


def import_small_areas(
    project: CensusProject,
    spec: str,
    *,
    code_field: str | None = None,
    encoding: str | None = None,
    assume_crs: str | None = None,
    repair: bool = False,
    replace: bool = False,
) -> list[Finding]:
    """Replace the project's small areas with those in `spec` ("FILE" or "FILE::LAYER").

    Codes must have 15 digits and start with the code of a district of the project.
    Population and households are summed from the project's buildings when it has any
    (and each building's ``small_area_code`` is set), else read from the file's fields.
    Returns notices; raises InputError listing every fault, leaving the project unchanged.
    """
    if not replace and len(project["small_areas"]):
        raise InputError("small_areas_exist", n=len(project["small_areas"]))
    src = read_vector(spec, "small_areas", encoding=encoding, assume_crs=assume_crs)
    field = find_field(src, "code", code_field)
    codes, faults = parse_codes(src, field, 15)
    geoms, found, notices = check_geometries(src, codes, POLYGONAL, repair)
    faults += found
    districts = set(project["districts"]["code"])
    for fid, code in codes.items():
        if len(code) == 15 and code[:12] not in districts:
            faults.append(Finding("district_unknown", **src.where(feature_label(src, fid, code), field), params={"district": code[:12]}))
    has_buildings = len(project["buildings"]) > 0
    if not has_buildings:
        population, found, _ = parse_counts(src, find_field(src, "population", required=False), codes)
        faults += found
        households, found, _ = parse_counts(src, find_field(src, "households", required=False), codes)
        faults += found
    if faults:
        raise InputError("input_refused", findings=faults, n=len(faults))

    areas = gpd.GeoDataFrame(
        {"code": codes.values, "district_code": codes.str[:12].values, "seq": codes.str[12:].values},
        geometry=gpd.GeoSeries(geoms, crs=src.gdf.crs).to_crs(project.crs).values,
        crs=project.crs,
    )
    if has_buildings:
        buildings = project["buildings"]
        areas["seq"] = areas["seq"].astype(object)
        project.layers["buildings"] = buildings.assign(small_area_code=locate_buildings(areas, buildings))
        areas["population"], areas["households"] = count_population(areas["code"].to_numpy(object), project["buildings"])
    else:
        areas["population"] = population.values
        areas["households"] = households.values
    areas["locked"] = 0
    areas["notes"] = ""
    project.layers["small_areas"] = conform_layer("small_areas", areas)
    return src.notices + notices

