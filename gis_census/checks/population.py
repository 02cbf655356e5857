"""Population and households of small areas: the target band, hard limits, and totals that must agree."""

from __future__ import annotations

import numpy as np

from gis_census.checks.problem import CheckSettings, Problem

__all__ = ["population_problems"]


def population_problems(areas: dict, buildings: dict, where: np.ndarray, district_of: np.ndarray, settings: CheckSettings,
                        exempt: np.ndarray | None = None) -> list[Problem]:
    """Problems of the small areas' stored population and households.

    `areas` and `buildings` are column arrays; `where` gives each building's small area
    (index into `areas`, -1 none) and `district_of` its district code ("" none), so the
    stored figures can be compared with the buildings they stand for. Areas `exempt` (an
    uninhabited exclave, see :mod:`gis_census.rules`) may hold nobody.
    """
    codes, geoms = areas["code"], areas["geometry"]
    population, households = areas["population"], areas["households"]
    measure = households if settings.unit == "households" else population
    low, high = settings.target * (1 - settings.tolerance), settings.target * (1 + settings.tolerance)
    kind = np.select(
        [population == 0, (measure < settings.hard_min) | (measure > settings.hard_max), (measure < low) | (measure > high)],
        ["population_empty", "population_out_of_range", "population_off_target"],
        "",
    )
    if exempt is not None:
        kind[np.asarray(exempt, dtype=bool) & (population == 0)] = ""
    problems = [Problem(kind[i], "small_areas", (codes[i],), value=measure[i], location=geoms[i]) for i in np.flatnonzero(kind != "")]
    problems += [
        Problem("households_over_limit", "small_areas", (codes[i],), value=households[i], location=geoms[i])
        for i in np.flatnonzero(households > settings.max_households)
    ]
    if len(buildings["id"]):
        problems += _disagreements(areas, buildings, where, district_of)
    return problems


def _disagreements(areas: dict, buildings: dict, where: np.ndarray, district_of: np.ndarray) -> list[Problem]:
    """Stored figures that differ from the buildings: per small area, and summed per district."""
    inside = where >= 0
    n = len(areas["code"])
    counted_pop = np.bincount(where[inside], weights=buildings["population"][inside], minlength=n).astype(np.int64)
    counted_hh = np.bincount(where[inside], weights=buildings["households"][inside], minlength=n).astype(np.int64)
    stored_pop, stored_hh = areas["population"], areas["households"]
    problems = [
        Problem("population_mismatch", "small_areas", (areas["code"][i],), value=stored_pop[i] - counted_pop[i],
                location=areas["geometry"][i], detail=f"{stored_pop[i]}/{stored_hh[i]} ≠ {counted_pop[i]}/{counted_hh[i]}")
        for i in np.flatnonzero((counted_pop != stored_pop) | (counted_hh != stored_hh))
    ]
    districts, area_district = np.unique(areas["district_code"], return_inverse=True)
    stored = np.bincount(area_district, weights=stored_pop, minlength=len(districts)).astype(np.int64)
    # A building in a small area counts in that area's district; only the others' codes are looked up.
    b_district = np.full(len(where), -1)
    b_district[inside] = area_district[where[inside]]
    lookup = {code: k for k, code in enumerate(districts)}
    loose = np.flatnonzero(~inside)
    b_district[loose] = [lookup.get(code, -1) for code in district_of[loose]]
    known = b_district >= 0
    counted = np.bincount(b_district[known], weights=buildings["population"][known], minlength=len(districts)).astype(np.int64)
    problems += [
        Problem("population_total_mismatch", "districts", (districts[k],), value=stored[k] - counted[k], detail=f"{stored[k]} ≠ {counted[k]}")
        for k in np.flatnonzero((stored != counted) & (districts != ""))
    ]
    return problems
