"""Codes: missing, malformed, duplicated, disagreeing with the parent, not consecutive; building numbers."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from gis_census.checks.problem import Problem
from gis_census.rules import VIRTUAL_SEQ

__all__ = ["code_problems", "small_area_code_problems", "building_number_problems"]

#: Small areas numbered from here up are virtual (collective quarters without territory).


def code_problems(layer: str, codes: np.ndarray, digits: int, locations: np.ndarray, prefix: str = "") -> list[Problem]:
    """Missing, malformed (not `digits` digits), duplicated codes, and codes not starting with `prefix`."""
    problems = []
    pattern = re.compile(rf"\d{{{digits}}}")
    for i, code in enumerate(codes):
        if not code:
            problems.append(Problem("code_missing", layer, (f"#{i + 1}",), location=locations[i]))
        elif not pattern.fullmatch(code):
            problems.append(Problem("code_malformed", layer, (code,), location=locations[i]))
        elif prefix and not code.startswith(prefix):
            problems.append(Problem("code_parent_mismatch", layer, (code, prefix), location=locations[i]))
    values, first, counts = np.unique(codes, return_index=True, return_counts=True)
    for k in np.flatnonzero((counts > 1) & (values != "")):
        problems.append(Problem("code_duplicate", layer, (values[k],), value=counts[k], location=locations[first[k]]))
    return problems


def small_area_code_problems(areas: dict) -> list[Problem]:
    """Small-area codes: 15 digits, unique, equal to district code + seq, numbered 001.. without gaps."""
    codes, districts, seqs, geoms = areas["code"], areas["district_code"], areas["seq"], areas["geometry"]
    problems = code_problems("small_areas", codes, 15, geoms)
    good = np.array([len(c) == 15 and c.isdigit() for c in codes], dtype=bool)
    for i in np.flatnonzero(good & (codes != districts + seqs)):
        problems.append(Problem("code_parent_mismatch", "small_areas", (codes[i], districts[i]), location=geoms[i]))
    numbers = np.array([int(s) if s.isdigit() else 0 for s in seqs], dtype=int)
    territorial = good & (numbers < VIRTUAL_SEQ)
    by_district: dict[str, list[int]] = {}
    for district, number in zip(districts[territorial], numbers[territorial]):
        by_district.setdefault(district, []).append(number)
    for district, used in sorted(by_district.items()):
        missing = sorted(set(range(1, max(used) + 1)) - set(used))
        if missing:
            problems.append(Problem("code_sequence_gap", "districts", (district,), detail=", ".join(f"{n:03d}" for n in missing)))
    return problems


def building_number_problems(buildings: dict, locate: Callable[[np.ndarray], np.ndarray]) -> list[Problem]:
    """A building number used twice within one small area; `locate` gives the geometries of some rows of `buildings`."""
    area, number = buildings["small_area_code"], buildings["number"]
    numbered = np.flatnonzero((number > 0) & (area != ""))
    if not len(numbered):
        return []
    keys = np.char.add(area[numbered].astype(str), np.char.mod("#%d", number[numbered]))
    values, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    groups = [numbered[inverse == k] for k in np.flatnonzero(counts > 1)]
    where = locate(np.array([members[0] for members in groups], dtype=np.int64))
    return [Problem("building_number_duplicate", "buildings",
                    (area[members[0]], str(number[members[0]]), *(str(i) for i in buildings["id"][members])),
                    value=len(members), location=location)
            for members, location in zip(groups, where)]
