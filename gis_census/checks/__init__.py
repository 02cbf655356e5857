"""Coverage and quality checks of a census division: the project as a whole, one village, or one district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import geopandas as gpd
import numpy as np

from gis_census.checks import buildings as building_checks
from gis_census.checks.buildings import Scope
from gis_census.checks.codes import building_number_problems, code_problems, small_area_code_problems
from gis_census.checks.coverage import overlap_problems, tiling_problems, township_hole_problems
from gis_census.checks.geometry import geometry_problems
from gis_census.checks.names import name_buildings
from gis_census.checks.population import population_problems
from gis_census.checks.problem import KINDS, CheckSettings, Problem
from gis_census.checks.roads import Houses, road_crossing_problems, road_crossings
from gis_census.checks.scan import BuildingSource, FileBuildings, scan_buildings
from gis_census.checks.shape import shape_problems
from gis_census.memory import collector_paused
from gis_census.project import CensusProject
from gis_census.project.layers import layer_columns
from gis_census.rules import VIRTUAL_MAX_POPULATION, is_virtual, uninhabited_exclaves, whole_parts
from gis_census.spatial import holding_index, is_in

__all__ = ["Problem", "CheckSettings", "KINDS", "check_project", "check_district", "small_area_tiling_problems", "summarize"]

#: The columns the checks read of each layer (besides the geometry): a project opened from a file reads no others.
_FIELDS = {
    "villages": ["code", "exclave"],
    "districts": ["code", "village_code", "exclave"],
    "small_areas": ["code", "district_code", "seq", "population", "households", "exclave"],
    "buildings": ["id", "population", "households", "use", "small_area_code", "number", "address"],
}


def check_project(project: CensusProject, settings: CheckSettings | None = None, village: str | None = None) -> list[Problem]:
    """Every problem of the project, or of one village (its districts, small areas and buildings).

    Example
    -------
    >>> problems = check_project(CensusProject.open("township.gpkg"))
    >>> [p for p in problems if p.severity == "error"]
    """
    settings = settings or CheckSettings.for_project(project)
    villages = project.columns("villages", _FIELDS["villages"])
    districts = project.columns("districts", _FIELDS["districts"])
    areas = project.columns("small_areas", _FIELDS["small_areas"])
    allowed = project.columns("allowed_holes", [])["geometry"]
    roads = project.columns("roads", [])["geometry"]
    # Village lines are official: a house one cuts is found against all districts, whatever the scope.
    lines = districts["geometry"], districts["code"]
    if village is not None:
        buildings = _buildings_in(project["buildings"], villages["geometry"], villages["code"] == village)
        villages = _take(villages, villages["code"] == village)
        districts = _take(districts, districts["village_code"] == village)
        areas = _take(areas, is_in(areas["district_code"], districts["code"]))
        problems, columns = _check(villages, districts, areas, lambda: _in_memory(buildings), project.meta.township_code,
                                   settings, whole=False, allowed_holes=allowed, lines=lines,
                                   roads=_roads_near(project, villages["geometry"]))
        return name_buildings(problems, project, columns)
    # The buildings are read a batch at a time: a county's 2.8 million footprints are never held at once.
    def read() -> BuildingSource:
        parts = project.file_parts("buildings", building_checks._BATCH)
        if parts is None or not parts[1]:  # held by the project, or no buildings at all
            return _in_memory(project.columns("buildings", _FIELDS["buildings"]))
        return FileBuildings(*parts, _FIELDS["buildings"]), lambda fids: project.geometries("buildings", fids)

    with collector_paused():
        problems, columns = _check(villages, districts, areas, read, project.meta.township_code, settings, whole=True,
                                   allowed_holes=allowed, lines=lines, roads=roads)
        return name_buildings(problems, project, columns)


def check_district(project: CensusProject, district: str, settings: CheckSettings | None = None) -> list[Problem]:
    """Problems within one district: its small areas' geometry, tiling, codes, buildings and population.

    Fast enough to run after every edit: buildings are found through the layer's spatial index.
    """
    settings = settings or CheckSettings.for_project(project)
    districts = project.columns("districts", _FIELDS["districts"])
    buildings = _buildings_in(project["buildings"], districts["geometry"], districts["code"] == district)
    districts = _take(districts, districts["code"] == district)
    areas = project.columns("small_areas", _FIELDS["small_areas"])
    areas = _take(areas, areas["district_code"] == district)
    problems, columns = _check(None, districts, areas, lambda: _in_memory(buildings), project.meta.township_code,
                               settings, whole=False, roads=_roads_near(project, districts["geometry"]))
    return name_buildings(problems, project, columns)


def summarize(problems: list[Problem]) -> dict:
    """Counts by severity and by kind: {"errors": n, "warnings": n, "by_kind": {kind: n}}."""
    kinds = Counter(p.kind for p in problems)
    return {
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "by_kind": {kind: kinds[kind] for kind in KINDS if kind in kinds},
    }


def _roads_near(project: CensusProject, polygons: np.ndarray) -> np.ndarray:
    """The project's road lines meeting any of `polygons`, found through the layer's cached spatial index (the
    district check runs after every edit)."""
    roads = project["roads"]
    if not len(roads) or not len(polygons):
        return np.zeros(0, dtype=object)
    hits = np.unique(roads.sindex.query(np.asarray(polygons, dtype=object), predicate="intersects")[1])
    return np.asarray(roads.geometry.array, dtype=object)[hits]


def _take(cols: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {c: v[rows] for c, v in cols.items()}


def _buildings_in(buildings: gpd.GeoDataFrame, polygons: np.ndarray, chosen: np.ndarray) -> dict[str, np.ndarray]:
    """Columns of the buildings held (:func:`~gis_census.spatial.holding_index`) by the `chosen` of `polygons`,
    found through the layer's cached spatial index."""
    cols = layer_columns(buildings, _FIELDS["buildings"])  # shapely and numpy are far faster on arrays than on pandas'
    if not chosen.any() or not len(buildings):
        return _take(cols, np.zeros(0, dtype=int))
    hits = np.unique(buildings.sindex.query(np.asarray(polygons[chosen], dtype=object), predicate="intersects")[1])
    held = holding_index(cols["geometry"][hits], polygons)
    return _take(cols, hits[np.isin(held, np.flatnonzero(chosen))])


def _in_memory(buildings: dict[str, np.ndarray]) -> BuildingSource:
    """Buildings held as column arrays, in batches as a file would give them."""
    size = building_checks._BATCH
    n = len(buildings["id"])
    cols = {**buildings, "fid": np.arange(n)}
    batches = [{c: v[start:start + size] for c, v in cols.items()} for start in range(0, max(n, 1), size)]
    return batches, lambda fids: buildings["geometry"][fids]


def _check(villages, districts, areas, read_buildings: Callable[[], BuildingSource], township, settings,
           whole: bool, allowed_holes=None, lines=None, roads=None) -> tuple[list[Problem], dict[str, np.ndarray]]:
    """The problems of the scope given as column arrays, with the buildings from `read_buildings` (checked
    while the areas are); last, the buildings that district `lines` (geometries, codes) cut, when given, and
    the boundaries crossing `roads` (geometries) mid-street. And the buildings' columns."""
    virtual_area = is_virtual(areas["seq"], areas["geometry"])
    land = _take(areas, ~virtual_area)  # virtual areas have no territory
    problems, s_geoms = geometry_problems("small_areas", land["geometry"], land["code"], land["exclave"])
    found, d_geoms = geometry_problems("districts", districts["geometry"], districts["code"], districts["exclave"])
    problems += found
    # Residents of collective quarters moved to a virtual area count there, not where they stand.
    virtual_codes = set(areas["code"][virtual_area])
    scope = Scope(s_geoms, land["code"], land["district_code"], d_geoms, districts["code"], set(land["district_code"]),
                  virtual_codes, settings, lines)
    area_checks = (villages, districts, areas, land, s_geoms, d_geoms, township, settings, whole, allowed_holes)

    def beside():  # the areas' own checks and where their boundaries cross roads, while the buildings are scanned
        return _area_problems(*area_checks), None if roads is None else road_crossings(s_geoms, land["district_code"],
                                                                                      roads, settings)

    scan, (found, crossed) = scan_buildings(read_buildings(), scope, beside)
    problems += found
    if crossed is not None:  # after the scan: the houses either side of a crossing mark it
        problems += road_crossing_problems(crossed, land["code"], settings, Houses(scan.where, scan.boxes, scan.locate))
    by_kind = scan.problems
    problems += by_kind["building_overlap"] + by_kind["building_code_mismatch"] + by_kind["building_split"]
    problems += by_kind["building_unassigned"]
    virtual = is_in(scan.columns["small_area_code"], virtual_codes)
    land_fixed = {**land, "geometry": s_geoms}
    exempt = _uninhabited_exclaves(land_fixed, districts, d_geoms, settings)
    problems += population_problems(land_fixed, scan.columns, np.where(virtual, -1, scan.where),
                                    np.where(virtual, "", scan.district_of), settings, exempt=exempt)
    problems += building_number_problems(scan.columns, scan.locate)
    over = np.flatnonzero(virtual_area & (areas["population"] > VIRTUAL_MAX_POPULATION))
    problems += [Problem("virtual_over_limit", "small_areas", (areas["code"][i],), value=areas["population"][i]) for i in over]
    return problems + by_kind["building_crosses_village"], scan.columns


def _area_problems(villages, districts, areas, land, s_geoms, d_geoms, township, settings, whole,
                   allowed_holes) -> list[Problem]:
    """The small areas' overlaps, tiling, shapes and codes (`areas`: virtual ones too), the districts' codes,
    and, with `villages`, the village level."""
    problems = _tiling(land, s_geoms, districts, d_geoms, settings)
    problems += shape_problems(s_geoms, land["code"], settings)
    divided = set(land["district_code"])
    d_codes = districts["code"]
    problems += [Problem("no_children", "districts", (c,), location=g) for c, g in zip(d_codes, d_geoms) if c not in divided]
    problems += small_area_code_problems(areas)
    problems += code_problems("districts", d_codes, 12, d_geoms)
    if villages is not None:
        problems += _village_level(villages, districts, d_geoms, township, settings, whole, allowed_holes)
    return problems


def small_area_tiling_problems(land: dict, districts: dict, settings: CheckSettings,
                               local: np.ndarray | None = None) -> tuple[list[Problem], np.ndarray, np.ndarray]:
    """Geometry, overlap and tiling problems of the small areas with land `land` (column arrays) in
    `districts` (column arrays), and the cleaned small-area and district geometries the other checks use.

    With `local` (a mask of `land`), only overlaps of those areas are looked for: the editing engine's
    guard runs this on one district before and after an edit, with the changed areas as `local`.
    """
    problems, s_geoms = geometry_problems("small_areas", land["geometry"], land["code"], land["exclave"])
    found, d_geoms = geometry_problems("districts", districts["geometry"], districts["code"], districts["exclave"])
    return problems + found + _tiling(land, s_geoms, districts, d_geoms, settings, local), s_geoms, d_geoms


def _tiling(land: dict, s_geoms: np.ndarray, districts: dict, d_geoms: np.ndarray, settings: CheckSettings,
            local: np.ndarray | None = None) -> list[Problem]:
    """Overlaps of the small areas and their tiling of their districts, on cleaned geometries."""
    s_codes, s_parents, d_codes = land["code"], land["district_code"], districts["code"]
    overlaps = overlap_problems("small_areas", s_geoms, s_codes, s_parents, settings.area_tolerance, involving=local)
    overlapping = set(s_parents[is_in(s_codes, [c for p in overlaps for c in p.features])])
    return overlaps + tiling_problems("small_areas", s_geoms, s_codes, s_parents, "districts", d_geoms, d_codes, settings,
                                      overlapping={i for i, c in enumerate(d_codes) if c in overlapping})


def _uninhabited_exclaves(areas, districts, d_geoms, settings) -> np.ndarray:
    """Small areas that are an accepted uninhabited part of an exclave district (see gis_census.rules)."""
    candidates = np.flatnonzero((areas["population"] == 0) & (areas["exclave"] == 1))
    exempt = np.zeros(len(areas["code"]), dtype=bool)
    if not len(candidates):
        return exempt
    index = {code: i for i, code in enumerate(districts["code"])}
    di = np.array([index.get(c, -1) for c in areas["district_code"][candidates]], dtype=int)
    parents = np.array([d_geoms[k] if k >= 0 else None for k in di], dtype=object)
    flags = np.array([districts["exclave"][k] if k >= 0 else 0 for k in di])
    whole = whole_parts(areas["geometry"][candidates], parents, settings.area_tolerance)
    exempt[candidates] = uninhabited_exclaves(areas["population"][candidates], areas["exclave"][candidates], flags, whole)
    return exempt


def _village_level(villages, districts, d_geoms, township, settings, whole: bool, allowed_holes=None) -> list[Problem]:
    """Districts against their villages, villages against each other and the township."""
    v_codes = villages["code"]
    problems, v_geoms = geometry_problems("villages", villages["geometry"], v_codes, villages["exclave"])
    d_codes, d_parents = districts["code"], districts["village_code"]
    overlaps = overlap_problems("districts", d_geoms, d_codes, None, settings.area_tolerance)
    problems += overlaps
    overlapping = set(d_parents[is_in(d_codes, [c for p in overlaps for c in p.features])])
    problems += tiling_problems("districts", d_geoms, d_codes, d_parents, "villages", v_geoms, v_codes, settings,
                                overlapping={i for i, c in enumerate(v_codes) if c in overlapping})
    problems += code_problems("villages", v_codes, 12, v_geoms, prefix=township)
    if whole:
        problems += overlap_problems("villages", v_geoms, v_codes, None, settings.area_tolerance)
        problems += township_hole_problems(v_geoms, v_codes, township, settings, allowed_holes)
    return problems
