"""Register addresses to buildings: remembered choices, then the exact canonical key, then a fuzzy street name.

>>> matches = match_addresses(project, register["住址"], villages=register["所属村/居委会"])
>>> matches.building_id[matches.status == "matched"]
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from gis_census.register.address import SEP, Prefixes, normalise_many, split_key
from gis_census.register.index import BuildingIndex, building_index

__all__ = ["Matches", "match_addresses", "MATCHED", "AMBIGUOUS", "UNMATCHED"]

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
#: Least similarity (rapidfuzz ratio, 0..100) of two street names taken as one (see bench/register_bench.py)
FUZZY_THRESHOLD = 60.0
FUZZY_MARGIN = 5.0
# A street that still begins with a county, district, town or sub-district after the project's own names were
# cut is another place's (龙泉街道和平路): no street of the township is like it, however similar the name.
_OUTSIDE = re.compile(r"^\D+?(?:省|市|县|区|镇|乡|街道|办事处)\D")


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
    pairs, uniques = pd.factorize(pd.Series(list(zip(keys, scope)), dtype=object))
    settled = [_settle(index, key, village, remembered or {}) for key, village in uniques]
    building = np.array([s[0] for s in settled], dtype=np.int64)[pairs]
    status = np.array([s[1] for s in settled], dtype=object)[pairs]
    confidence = np.array([s[2] for s in settled], dtype=np.float64)[pairs]
    candidates = tuple(settled[p][3] for p in pairs)
    return Matches(building, status, confidence, candidates, keys)


Settled = tuple[int, str, float, tuple[int, ...]]
_NONE: Settled = (-1, UNMATCHED, 0.0, ())


def _settle(index: BuildingIndex, key: str, village: str, remembered: Mapping[str, int]) -> Settled:
    """The building of one distinct (key, village): remembered, else exact, else by a similar street name."""
    if key in remembered:
        return int(remembered[key]), MATCHED, 1.0, ()
    found = index.exact(key, village)
    if len(found) == 1:
        return found[0], MATCHED, 1.0, ()
    if len(found) > 1:
        return -1, AMBIGUOUS, 0.0, tuple(found)
    street, door, number = split_key(key)
    if "-" in door and not number:  # 6-2 is 6号之2 or 6号2栋: the layer says which exists
        found = index.exact(SEP.join((street, *door.split("-", 1))), village)
        if len(found) == 1:
            return found[0], MATCHED, 0.9, ()
    if _OUTSIDE.match(street):
        return _NONE
    return _fuzzy(index, key, village)


def _fuzzy(index: BuildingIndex, key: str, village: str) -> Settled:
    """The building with the same door and building number whose street is most like this one's.

    Numbers are never guessed (门牌 12 is not 13); a street takes a score of at least FUZZY_THRESHOLD, and
    two streets within FUZZY_MARGIN of each other leave the row ambiguous.
    """
    street, door, number = split_key(key)
    streets = index.by_number.get((door, number)) if street and door else None
    if not streets:
        return _NONE
    choices = [s for s, at in streets.items() if any(v == village for _, v in at)] if village else []
    scores = process.extract(street, choices or list(streets), scorer=fuzz.ratio, limit=2,
                             score_cutoff=FUZZY_THRESHOLD)
    if not scores:
        return _NONE
    close = [name for name, score, _ in scores if score >= scores[0][1] - FUZZY_MARGIN]
    found = [b for name in close for b, v in streets[name] if not choices or v == village]
    if len(found) > 1:
        return -1, AMBIGUOUS, 0.0, tuple(found)
    return found[0], MATCHED, round(scores[0][1] / 100, 3), ()


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
