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

from gis_census.register.address import SEP, Prefixes, normalise, normalise_many, placed, split_key
from gis_census.register.index import BuildingIndex, building_index

__all__ = ["Matches", "match_addresses", "MATCHED", "AMBIGUOUS", "UNMATCHED"]

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
#: Least similarity (rapidfuzz ratio, 0..100) of two street names taken as one. On the demo register
#: (bench/register_bench.py) old street names go to present streets at 40 and below, and one wrong character in
#: a 3-character name (66.7) is lost above 66; 60 stays clear of two-character pairs such as 前街/后街 (50).
FUZZY_THRESHOLD = 60.0
FUZZY_MARGIN = 5.0
#: 12号之1 (12-1, 12号附1) matched to 12号 because no building has its own 12之1
ANNEX_CONFIDENCE = 0.9
# A street that still begins with a county, district, town or sub-district after the project's own names were
# cut is another place's (龙泉街道和平路): no street of the township is like it, however similar the name.
_OUTSIDE = re.compile(r"^\D+?(?:省|市|县|区|镇|乡|街道|办事处)\D")


@dataclass(frozen=True, eq=False)  # arrays: compared field by field, not as wholes
class Matches:
    """One entry per register row: the building it goes to (-1 for none), its status, a confidence in 0..1,
    the normalised address (the key a remembered choice is stored under; "小尹村|557|" for 557号 on a row of
    小尹村) and, for ambiguous rows, the candidate building ids (an empty tuple elsewhere)."""

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
    aliases: Mapping[str, str] | None = None,
    min_similarity: float = FUZZY_THRESHOLD,
) -> Matches:
    """Match register addresses to the project's buildings.

    Parameters
    ----------
    project : CensusProject
    addresses : the register's address column (住址/门牌), one per row.
    villages : its 所属村/居委会 column (a village's name in any common form, or its 12-digit code), or None.
        A village named in the address itself wins; without either, the whole township is searched.
    remembered : normalised address -> building id settled by a person before; wins over everything.
    aliases : old street name -> present name (the civil-affairs office's renamings), if the project has them.
    min_similarity : least similarity (0..100) of a street name to a building's for a fuzzy match.

    A row is matched when one building has its key (in its village when several villages do), ambiguous when
    several do, unmatched when none does. Without an alias, an old street name is unmatched: a person settles it.
    Demolished houses and addresses outside the township are left unmatched too.
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
    keys = placed(keys, scope, index.prefixes)
    renamed = {normalise(old).split(SEP)[0]: normalise(new).split(SEP)[0] for old, new in (aliases or {}).items()}
    pairs, uniques = pd.factorize(pd.Series(list(zip(keys, scope)), dtype=object))
    settled = [_settle(index, key, village, remembered or {}, renamed, min_similarity) for key, village in uniques]
    building = np.array([s[0] for s in settled], dtype=np.int64)[pairs]
    status = np.array([s[1] for s in settled], dtype=object)[pairs]
    confidence = np.array([s[2] for s in settled], dtype=np.float64)[pairs]
    candidates = tuple(settled[p][3] for p in pairs)
    return Matches(building, status, confidence, candidates, keys)


Settled = tuple[int, str, float, tuple[int, ...]]
_NONE: Settled = (-1, UNMATCHED, 0.0, ())


def _settle(index: BuildingIndex, key: str, village: str, remembered: Mapping[str, int],
            renamed: Mapping[str, str], min_similarity: float) -> Settled:
    """The building of one distinct (key, village): remembered, else exact (under the street's present name),
    else 12之1 as 12 when no building has 12之1, else by a similar street name."""
    if key in remembered:
        return int(remembered[key]), MATCHED, 1.0, ()
    street, door, number = split_key(key)
    street = renamed.get(street, street)
    for door_now, confidence in ((door, 1.0), (door.split("-")[0], ANNEX_CONFIDENCE)):
        found = index.exact(SEP.join((street, door_now, number)), village)
        if len(found) == 1:
            return found[0], MATCHED, confidence, ()
        if len(found) > 1:
            return -1, AMBIGUOUS, 0.0, tuple(found)
        if "-" not in door:
            break
    if not street:  # 557号 in no known village: every village's 557 is a candidate, a person chooses
        found = [b for at in index.by_number.get((door, number), {}).values() for b, _ in at]
        return (-1, AMBIGUOUS, 0.0, tuple(found)) if len(found) > 1 else _NONE
    if not door or _OUTSIDE.match(street):
        return _NONE
    behind = index.by_door.get((street, door), [])
    if not number and len(behind) > 1:  # 12号 of a compound whose houses are 12号院1号, 2号, ...: a person picks
        return -1, AMBIGUOUS, 0.0, tuple(behind)
    if street in index.streets:  # a street (or village) of the township without that number: demolished, not a typo
        return _NONE
    return _fuzzy(index, street, door, number, village, renamed, min_similarity)


def _fuzzy(index: BuildingIndex, street: str, door: str, number: str, village: str,
           renamed: Mapping[str, str], min_similarity: float) -> Settled:
    """The building with the same door and building number whose street (or its old name) is most like this one,
    a street name the township does not have (a typo).

    Numbers are never guessed (门牌 12 is not 13); a street takes a score of at least `min_similarity`, two
    streets within FUZZY_MARGIN of each other leave the row ambiguous, and the village's own streets come first;
    a row of one village never goes to another village's house numbers (南关社区9号 is not 北关社区9号).
    """
    streets = index.by_number.get((door, number))
    confidence = 1.0
    if not streets and "-" in door:
        streets, confidence = index.by_number.get((door.split("-")[0], number)), ANNEX_CONFIDENCE
    if not streets:
        return _NONE
    mine = [s for s, at in streets.items() if any(v == village for _, v in at)] if village else []
    others = set(index.prefixes.street_of.values()) - {index.prefixes.street_of.get(village)} if village else set()
    names = {s: s for s in mine or streets if s not in others}  # another village's numbers are never this one's
    names.update((old, new) for old, new in renamed.items() if new in names)
    scores = process.extract(street, list(names), scorer=fuzz.ratio, limit=3, score_cutoff=min_similarity)
    if not scores:
        return _NONE
    close = {names[name] for name, score, _ in scores if score >= scores[0][1] - FUZZY_MARGIN}
    found = [b for name in close for b, v in streets[name] if not mine or v == village]
    if len(found) > 1:
        return -1, AMBIGUOUS, 0.0, tuple(found)
    return found[0], MATCHED, round(confidence * scores[0][1] / 100, 3), ()


def _village_codes(villages, prefixes: Prefixes) -> np.ndarray:
    """Each row's village code from its village column ("" where it names no village of the project)."""
    values = pd.Series(villages, dtype=object).fillna("").astype(str)
    codes, uniques = pd.factorize(values)
    found = np.array([prefixes.village_of(v) for v in uniques] + [""], dtype=object)
    return found[codes]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(project) -> BuildingIndex:
    """The project's building index, built again only when what it reads of the buildings changed (a new layer
    object with other counts, as every settled address makes, keeps it)."""
    layer = project["buildings"]
    cached = _CACHE.get(project)
    stamp = BuildingIndex.stamp_of(project, layer)
    if cached is None or cached.stamp != stamp:
        cached = building_index(project, layer, stamp)
        _CACHE[project] = cached
    return cached
