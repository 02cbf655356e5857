"""Register addresses to buildings: remembered choices, then the exact canonical key, then a fuzzy street name.

>>> matches = match_addresses(project, register["住址"], villages=register["所属村/居委会"])
>>> matches.building_id[matches.status == "matched"]
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gis_census.register.address import Prefixes, normalise_many
from gis_census.register.index import BuildingIndex, building_index

__all__ = ["Matches", "match_addresses", "MATCHED", "AMBIGUOUS", "UNMATCHED"]

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"


@dataclass(frozen=True)
class Matches:
    """One entry per register row: the building it goes to (-1 for none), its status, a confidence in 0..1,
    the normalised address (the key a remembered choice is stored under) and, for ambiguous rows, the
    candidate building ids (an empty tuple elsewhere)."""

    building_id: np.ndarray  # int64
    status: np.ndarray  # object: "matched" | "ambiguous" | "unmatched"
    confidence: np.ndarray  # float64
    candidates: tuple[tuple[int, ...], ...]
    normalised: np.ndarray  # object

    def __len__(self) -> int:
        return len(self.building_id)

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        return {s: int((self.status == s).sum()) for s in (MATCHED, AMBIGUOUS, UNMATCHED)}


def match_addresses(
    project,
    addresses: Sequence[str] | np.ndarray | pd.Series,
    villages: Sequence[str] | np.ndarray | pd.Series | None = None,
    *,
    remembered: Mapping[str, int] | None = None,
) -> Matches:
    """Match register addresses to the project's buildings.

    Parameters
    ----------
    project : CensusProject
    addresses : the register's address column (住址/门牌), one per row.
    villages : its 所属村/居委会 column (a village's name in any common form, or its 12-digit code), or None.
        A village named in the address itself wins; without either, the whole township is searched.
    remembered : normalised address -> building id settled by a person before; wins over everything.

    A row is matched when one building has its key (in its village when several villages do), ambiguous when
    several do, unmatched when none does: old street names, demolished houses and addresses outside the
    township are left for a person.
    """
    addresses = pd.Series(addresses, dtype=object).to_numpy()
    if villages is not None and len(villages) != len(addresses):
        raise ValueError(f"{len(addresses)} addresses but {len(villages)} villages")
    index = _index(project)
    keys, prefix_villages = normalise_many(addresses, index.prefixes)
    scope = prefix_villages.copy()
    if villages is not None:
        named = _village_codes(villages, index.prefixes)
        scope = np.where(scope == "", named, scope)
    n = len(keys)
    building = np.full(n, -1, dtype=np.int64)
    status = np.full(n, UNMATCHED, dtype=object)
    confidence = np.zeros(n)
    candidates: list[tuple[int, ...]] = [()] * n
    for i, (key, village) in enumerate(zip(keys, scope)):
        if remembered and key in remembered:
            building[i], status[i], confidence[i] = remembered[key], MATCHED, 1.0
            continue
        found = index.exact(key, village)
        if len(found) == 1:
            building[i], status[i], confidence[i] = found[0], MATCHED, 1.0
        elif len(found) > 1:
            status[i], candidates[i] = AMBIGUOUS, tuple(found)
    return Matches(building, status, confidence, tuple(candidates), keys)


def _village_codes(villages, prefixes: Prefixes) -> np.ndarray:
    """Each row's village code from its village column ("" where it names no village of the project)."""
    values = pd.Series(villages, dtype=object).fillna("").astype(str)
    codes, uniques = pd.factorize(values)
    found = np.array([prefixes.village_of(v) for v in uniques] + [""], dtype=object)
    return found[codes]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(project) -> BuildingIndex:
    """The project's building index, built again only when its buildings layer is another object or changed."""
    layer = project["buildings"]
    cached = _CACHE.get(project)
    stamp = BuildingIndex.stamp_of(project, layer)
    if cached is None or cached.layer() is not layer or cached.stamp != stamp:
        cached = building_index(project, layer, stamp)
        _CACHE[project] = cached
    return cached
