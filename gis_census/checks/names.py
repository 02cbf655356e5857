"""Building problems named as people read a building, by its one name and its address, not its internal id."""

from __future__ import annotations

import numpy as np

from gis_census.checks.problem import Problem
from gis_census.rules import building_name

__all__ = ["FIELDS", "name_buildings", "names_in"]

#: Where the building ids stand among a problem's features: the first, unless named here.
_ID_PLACES = {"building_overlap": slice(0, None), "building_number_duplicate": slice(2, None)}


#: The columns a building's name is made of.
FIELDS = ["id", "small_area_code", "number", "address"]


def name_buildings(problems: list[Problem], project, columns: dict[str, np.ndarray] | None = None) -> list[Problem]:
    """`problems` with those about buildings not named yet given their `names` (:attr:`Problem.names`): each
    building by its one name (:func:`~gis_census.rules.building_name`) and address, the other features as they
    are. Only the buildings named in a problem are looked up: in `columns` (the checked buildings' column arrays,
    with the "fid" :meth:`~gis_census.project.CensusProject.rows` takes) if given, else in the project. Their ids
    stay in `features`, which the app selects by."""
    ids = {int(f) for p in problems if p.layer == "buildings" and not p.names for f in _ids(p) if f.isdigit()}
    if not ids:
        return problems
    if columns is not None and {"id", "small_area_code", "number", "fid"} <= set(columns):
        named = np.flatnonzero(np.isin(columns["id"], np.fromiter(ids, dtype=np.int64, count=len(ids))))
        cols = {c: columns[c][named] for c in ("id", "small_area_code", "number")}
        cols["address"] = project.rows("buildings", ["address"], columns["fid"][named])["address"]
    else:
        cols = project.columns("buildings", FIELDS, geometry=False, ids=sorted(ids))
    return _named(problems, _names_of(cols, np.arange(len(cols["id"]))))


def names_in(problems: list[Problem], columns: dict[str, np.ndarray]) -> list[Problem]:
    """`problems` about buildings of `columns` (column arrays with :data:`FIELDS`) given their names: where the
    buildings are checked, while their columns are at hand."""
    ids = [int(f) for p in problems for f in _ids(p) if f.isdigit()]
    if not ids:
        return problems
    return _named(problems, _names_of(columns, np.flatnonzero(np.isin(columns["id"], np.array(ids, dtype=np.int64)))))


def _names_of(cols: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, tuple[str, str]]:
    """The name and address of the buildings at `rows` of `cols`, by their ids as text."""
    return {str(i): (building_name(code, _number(number), i), address)
            for i, code, number, address in zip(cols["id"][rows].tolist(), cols["small_area_code"][rows],
                                                 cols["number"][rows], cols["address"][rows])}


def _named(problems: list[Problem], names: dict[str, tuple[str, str]]) -> list[Problem]:
    return [Problem(p.kind, p.layer, p.features, p.value, p.location, p.detail, _names(p, names))
            if p.layer == "buildings" and not p.names else p for p in problems]


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
    if problem.kind not in _ID_PLACES and problem.features:  # the one building first: most problems, a county's hundreds of thousands
        first = problem.features[0]
        return (names.get(first) or (f"#{first}", ""),) + tuple([(f, "") for f in problem.features[1:]])
    place = _ID_PLACES.get(problem.kind, slice(0, 1))
    ids = set(range(len(problem.features))[place])
    shown = [names.get(f, (f"#{f}", "")) if k in ids else (f, "") for k, f in enumerate(problem.features)]
    return tuple(shown[place] if problem.kind == "building_number_duplicate" else shown)
