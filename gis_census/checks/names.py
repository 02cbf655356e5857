"""Building problems named as people read a building, by its one name and its address, not its internal id."""

from __future__ import annotations

import dataclasses

from gis_census.checks.problem import Problem
from gis_census.rules import building_name

__all__ = ["name_buildings"]

#: Where the building ids stand among a problem's features: the first, unless named here.
_ID_PLACES = {"building_overlap": slice(0, None), "building_number_duplicate": slice(2, None)}


def name_buildings(problems: list[Problem], project) -> list[Problem]:
    """`problems` with those about buildings given their `names` (:attr:`Problem.names`): each building by its
    one name (:func:`~gis_census.rules.building_name`) and address, the other features as they are. Only the
    buildings named in a problem are looked up; their ids stay in `features`, which the app selects by."""
    ids = {int(f) for p in problems if p.layer == "buildings" for f in _ids(p) if f.isdigit()}
    if not ids:
        return problems
    cols = project.columns("buildings", ["id", "small_area_code", "number", "address"], geometry=False, ids=sorted(ids))
    names = {str(i): (building_name(code, _number(number), int(i)), address)
             for i, code, number, address in zip(cols["id"], cols["small_area_code"], cols["number"], cols["address"])}
    return [dataclasses.replace(p, names=_names(p, names)) if p.layer == "buildings" else p for p in problems]


def _number(value) -> int:
    """A building's number, 0 (unnumbered) where a layer not yet conformed holds none (NaN)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _ids(problem: Problem) -> tuple[str, ...]:
    return problem.features[_ID_PLACES.get(problem.kind, slice(0, 1))]


def _names(problem: Problem, names: dict[str, tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The problem's features with its buildings named; a number repeated in an area is said by the names alone."""
    place = _ID_PLACES.get(problem.kind, slice(0, 1))
    ids = set(range(len(problem.features))[place])
    shown = [names.get(f, (f"#{f}", "")) if k in ids else (f, "") for k, f in enumerate(problem.features)]
    return tuple(shown[place] if problem.kind == "building_number_duplicate" else shown)
