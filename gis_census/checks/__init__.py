"""Coverage and quality checks of a census division: the project as a whole, one village, or one district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np

from gis_census.checks.buildings import building_problems, unassigned_problems
from gis_census.checks.buildings import overlap_problems as building_overlaps
from gis_census.checks.codes import building_number_problems, code_problems, small_area_code_problems
from gis_census.checks.coverage import overlap_problems, tiling_problems, township_hole_problems
from gis_census.checks.geometry import geometry_problems
from gis_census.checks.names import name_buildings
from gis_census.checks.population import population_problems
from gis_census.checks.problem import KINDS, CheckSettings, Problem
from gis_census.project import CensusProject
from gis_census.project.layers import layer_columns
from gis_census.rules import is_virtual, uninhabited_exclaves, whole_parts
from gis_census.spatial import holding_index, is_in

__all__ = ["Problem", "CheckSettings", "KINDS", "check_project", "check_district", "small_area_tiling_problems", "summarize"]

#: The columns the checks read of each layer (besides the geometry): a project opened from a file reads no others.
_FIELDS = {
    "villages": ["code", "exclave"],
    "districts": ["code", "village_code", "exclave"],
    "small_areas": ["code", "district_code", "seq", "population", "households", "exclave"],
    "buildings": ["id", "population", "households", "use", "small_area_code", "number"],
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
    # Village lines are official: a house one cuts is found against all districts, whatever the scope.
    lines = districts["geometry"], districts["code"]
    if village is not None:
        buildings = _buildings_in(project["buildings"], villages["geometry"], villages["code"] == village)
        villages = _take(villages, villages["code"] == village)
        districts = _take(districts, districts["village_code"] == village)
        areas = _take(areas, is_in(areas["district_code"], districts["code"]))
        return name_buildings(_check(villages, districts, areas, lambda: _with_overlaps(buildings, settings),
                                     project.meta.township_code, settings, whole=False, allowed_holes=allowed, lines=lines),
                              project)
    # The buildings are read, and their footprints' overlaps found, while the areas are checked: those steps
    # use one core each (reading a county's 2.8 million footprints takes longer than its 100,000 areas' checks).
    with ThreadPoolExecutor(1, thread_name_prefix="gis-census-read") as background:
        pending = background.submit(lambda: _with_overlaps(project.columns("buildings", _FIELDS["buildings"]), settings))
        problems = _check(villages, districts, areas, pending.result, project.meta.township_code, settings, whole=True,
                          allowed_holes=allowed, lines=lines)
    return name_buildings(problems, project)


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
    return name_buildings(_check(None, districts, areas, lambda: _with_overlaps(buildings, settings), project.meta.township_code,
                                 settings, whole=False), project)


def summarize(problems: list[Problem]) -> dict:
    """Counts by severity and by kind: {"errors": n, "warnings": n, "by_kind": {kind: n}}."""
    kinds = Counter(p.kind for p in problems)
    return {
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "by_kind": {kind: kinds[kind] for kind in KINDS if kind in kinds},
    }


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


def _with_overlaps(buildings: dict, settings: CheckSettings) -> tuple[dict, list[Problem]]:
    return buildings, building_overlaps(buildings, settings.area_tolerance)


def _check(villages, districts, areas, read_buildings: Callable[[], tuple[dict, list[Problem]]], township, settings,
           whole: bool, allowed_holes=None, lines=None) -> list[Problem]:
    """The problems of the scope given as column arrays, the buildings' columns and their overlap problems coming
    from `read_buildings` once the areas are checked; last, the buildings that district `lines` (geometries,
    codes) cut, when given."""
    problems: list[Problem] = []
    virtual_area = is_virtual(areas["seq"], areas["geometry"])
    land = _take(areas, ~virtual_area)  # virtual areas have no territory
    s_codes, s_parents = land["code"], land["district_code"]
    d_codes = districts["code"]
    found, s_geoms, d_geoms = small_area_tiling_problems(land, districts, settings)
    problems += found
    divided = set(s_parents)
    problems += [Problem("no_children", "districts", (c,), location=g) for c, g in zip(d_codes, d_geoms) if c not in divided]
    problems += small_area_code_problems(areas)
    problems += code_problems("districts", d_codes, 12, d_geoms)
    if villages is not None:
        problems += _village_level(villages, districts, d_geoms, township, settings, whole, allowed_holes)

    # Residents of collective quarters moved to a virtual area count there, not where they stand.
    virtual_codes = set(areas["code"][virtual_area])
    buildings, overlaps = read_buildings()  # overlaps first: their tree then meets less held memory
    virtual = is_in(buildings["small_area_code"], virtual_codes)
    found, where, crossing = building_problems(buildings, s_geoms, s_codes, s_parents, settings, lines)
    problems += overlaps
    problems += [p for p in found if not (p.kind == "building_code_mismatch" and p.features[1] in virtual_codes)]
    district_of = np.where(where >= 0, s_parents[np.maximum(where, 0)] if len(s_parents) else "", "").astype(object)
    unassigned = np.flatnonzero(where < 0)
    if len(unassigned) and len(d_geoms):  # buildings in no small area still count towards their district
        d_where = holding_index(buildings["geometry"][unassigned], d_geoms)
        district_of[unassigned] = np.where(d_where >= 0, d_codes[np.maximum(d_where, 0)], "")
    problems += unassigned_problems(buildings, where, district_of, divided)
    land_fixed = {**land, "geometry": s_geoms}
    counted = np.where(virtual, -1, where)
    exempt = _uninhabited_exclaves(land_fixed, districts, d_geoms, settings)
    problems += population_problems(land_fixed, buildings, counted, np.where(virtual, "", district_of), settings,
                                    exempt=exempt)
    problems += building_number_problems(buildings)
    return problems + crossing


def small_area_tiling_problems(land: dict, districts: dict, settings: CheckSettings,
                               local: np.ndarray | None = None) -> tuple[list[Problem], np.ndarray, np.ndarray]:
    """Geometry, overlap and tiling problems of the small areas with land `land` (column arrays) in
    `districts` (column arrays), and the cleaned small-area and district geometries the other checks use.

    With `local` (a mask of `land`), only overlaps of those areas are looked for: the editing engine's
    guard runs this on one district before and after an edit, with the changed areas as `local`.
    """
    s_codes, s_parents = land["code"], land["district_code"]
    problems, s_geoms = geometry_problems("small_areas", land["geometry"], s_codes, land["exclave"])
    d_codes = districts["code"]
    found, d_geoms = geometry_problems("districts", districts["geometry"], d_codes, districts["exclave"])
    problems += found
    overlaps = overlap_problems("small_areas", s_geoms, s_codes, s_parents, settings.area_tolerance, involving=local)
    problems += overlaps
    overlapping = set(s_parents[is_in(s_codes, [c for p in overlaps for c in p.features])])
    problems += tiling_problems("small_areas", s_geoms, s_codes, s_parents, "districts", d_geoms, d_codes, settings,
                                overlapping={i for i, c in enumerate(d_codes) if c in overlapping})
    return problems, s_geoms, d_geoms


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
