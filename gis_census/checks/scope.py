"""Which problems a check of one district finds, so that a fresh check_district can replace them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

from gis_census.checks.problem import Problem
from gis_census.rules import has_land

__all__ = ["belongs_to_district", "owned_by_district", "replace_district_problems"]

#: District-layer kinds that compare districts with their villages: only check_project finds them,
#: so a live district check must not drop them.
_VILLAGE_LEVEL_KINDS = {"overlap", "outside_parent", "parent_missing"}
#: Kinds found against every district at once (a village line through a house): no district check drops them.
_PROJECT_LEVEL_KINDS = {"building_crosses_village"}
_DISTRICT_DIGITS = 12


def belongs_to_district(problem: Problem, district: str, area: shapely.Geometry | None = None) -> bool:
    """Whether `problem` is one that check_district(`district`) reports (so a fresh run replaces it).

    A problem belongs to the district when

    * its layer is "districts" and it names the district first, except the district-against-village
      kinds (overlap, outside_parent, parent_missing between districts), which only check_project finds;
    * its layer is "small_areas" or "buildings" and one of its features starts with the district's
      code: small-area codes are the 12-digit district code + a 3-digit number, building problems
      name the small areas involved, and code_parent_mismatch names the district itself;
    * `area` (the district's polygon) is given, its layer is "small_areas" or "buildings", its
      location lies within the area (1 cm slack) and it names no other district's code (no
      feature of 12+ digits starting otherwise): problems that name no code at all, like
      building_unassigned (a building id) and code_missing ("#3").
    """
    return bool(owned_by_district([problem], district, area)[0])


def _zone(area: shapely.Geometry | None) -> shapely.Geometry | None:
    """The district's polygon with 1 cm slack, prepared for many containment tests."""
    if not has_land(area):
        return None
    zone = shapely.buffer(area, 0.01)
    shapely.prepare(zone)
    return zone


def _by_codes(problem: Problem, district: str) -> bool | None:
    """True / False when the codes decide whether `problem` is the district's; None when only its
    location can tell (a small-area or building problem naming no district's code)."""
    features = [str(f) for f in problem.features]
    if problem.layer == "districts":
        return bool(features) and features[0] == district and problem.kind not in _VILLAGE_LEVEL_KINDS
    if problem.layer not in ("small_areas", "buildings") or problem.kind in _PROJECT_LEVEL_KINDS:
        return False
    if any(f.startswith(district) for f in features):
        return True
    if any(len(f) >= _DISTRICT_DIGITS and f[:_DISTRICT_DIGITS].isdigit() for f in features):
        return False  # names another district's area
    return None


def owned_by_district(problems: list[Problem], district: str, area: shapely.Geometry | None = None) -> np.ndarray:
    """belongs_to_district for each of `problems` (a bool array), the location tests in one vectorised call."""
    zone = _zone(area)
    owned = np.zeros(len(problems), dtype=bool)
    undecided = []
    for i, p in enumerate(problems):
        verdict = _by_codes(p, district)
        if verdict is None:
            if zone is not None and p.location is not None:
                undecided.append(i)
        else:
            owned[i] = verdict
    if undecided:
        locations = np.array([problems[i].location for i in undecided], dtype=object)
        inside = shapely.covered_by(locations, zone) & has_land(locations)
        owned[np.array(undecided)[inside]] = True
    return owned


def _key(problem: Problem) -> tuple:
    """What makes two problems the same report (the geometry follows from these)."""
    return (problem.kind, problem.layer, tuple(str(f) for f in problem.features), round(float(problem.value), 3), problem.detail)


def replace_district_problems(problems: list[Problem], district: str, fresh: Iterable[Problem],
                              area: shapely.Geometry | None = None) -> list[Problem]:
    """`problems` with those of `district` (see :func:`belongs_to_district`) replaced by `fresh`,
    check_district's new result; a fresh problem equal to one kept is not added twice."""
    owned = owned_by_district(problems, district, area)
    kept = [p for p, mine in zip(problems, owned) if not mine]
    seen = {_key(p) for p in kept}
    for p in fresh:
        if _key(p) not in seen:
            seen.add(_key(p))
            kept.append(p)
    return kept

