"""Census rules every stage shares, each written once: the size of a small area, which areas are virtual,
which small area holds a building and how many people it counts, the next free number, exclaves.

DOMAIN.md: residents registered at a demolished address, or collective quarters without territory of
their own, may form a *virtual* small area, numbered from 900 up, with no map. So an area is virtual
when it is numbered 900 or above **and** has no territory; an area numbered 900+ with land is a
mis-numbered territorial one, and an area below 900 without land is a territorial area whose land
went missing (an error the checks report), neither of them virtual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import shapely

from gis_census.spatial import holding_index, is_in

__all__ = ["VIRTUAL_SEQ", "HARD_MIN", "HARD_MAX", "MAX_HOUSEHOLDS", "AREA_TOLERANCE", "SPLIT_SHARE", "BUILDING_USES", "SPECIAL_USES", "Target",
           "has_land", "seq_numbers", "is_virtual", "locate_buildings", "count_population", "next_seqs", "building_name",
           "next_building_number", "whole_shares", "whole_parts", "uninhabited_exclaves", "BALANCE_COUNTS", "balance_source",
           "VIRTUAL_MAX_POPULATION", "URBAN_RURAL_CLASSES", "DISTRICT_CODE_SCHEMES", "district_code_scheme",
           "balanced_counts"]

#: The first number of a virtual small area within its district (6th census rule).
VIRTUAL_SEQ = 900
#: People in a small area below or above which it is an error, whatever the target (DOMAIN.md).
HARD_MIN, HARD_MAX = 100, 500
#: Households (census forms) one small area may hold at most (6th census).
MAX_HOUSEHOLDS = 999
#: m²: overlaps, gaps and holes smaller than this are float noise, not land.
AREA_TOLERANCE = 0.01
#: A building is split by a boundary when more than this share of its footprint lies on each side.
SPLIT_SHARE = 0.1
#: What a building is used for (the ``use`` field), in the order offered; each is named by the message ``use_<key>``.
#: The last three are older import values, still read and shown.
BUILDING_USES = ("residential", "mixed", "school", "construction", "market", "hospital", "elderly_home", "dormitory",
                 "barracks", "other", "commercial", "public", "factory")
#: Uses that make a building a special unit (特殊单位, the seeds' 附表1): listed apart, often a district of their own.
SPECIAL_USES = frozenset({"school", "construction", "market", "hospital", "elderly_home", "dormitory", "barracks"})


@dataclass(frozen=True)
class Target:
    """The size a small area aims at: `size` people (or households) ± `tolerance` (a share)."""

    size: float = 300.0
    unit: Literal["people", "households"] = "people"
    tolerance: float = 0.2

    @classmethod
    def of(cls, meta=None, size: float | None = None, unit: str | None = None, tolerance: float | None = None) -> Target:
        """The project's target (`meta` a ProjectMeta, or None for the defaults), with any value given instead."""
        base = cls() if meta is None else cls(float(meta.target_population), meta.target_unit, float(meta.tolerance))
        return cls(float(base.size if size is None else size), _unit(unit or base.unit),
                   float(base.tolerance if tolerance is None else tolerance))

    @property
    def column(self) -> str:
        """The buildings' and areas' column the target counts: "population" or "households"."""
        return "population" if self.unit == "people" else "households"

    @property
    def top(self) -> float:
        """The top of the band: size × (1 + tolerance)."""
        return self.size * (1 + self.tolerance)

    @property
    def limits(self) -> tuple[float, float]:
        """The hard limits of a small area of several buildings in the target's unit: HARD_MIN..HARD_MAX
        people, or at most MAX_HOUSEHOLDS households; widened to the band of a target that reaches past them."""
        if self.unit == "households":
            return 0.0, max(float(MAX_HOUSEHOLDS), self.top)
        return min(float(HARD_MIN), self.size * (1 - self.tolerance)), max(float(HARD_MAX), self.top)


def _unit(value: str) -> Literal["people", "households"]:
    """`value` as a target unit; a project file or caller naming another is refused rather than
    counted as households."""
    if value == "people":
        return "people"
    if value == "households":
        return "households"
    raise ValueError(f"unknown target unit {value!r}: use 'people' or 'households'")


#: People at most in a virtual small area (6th census: county approval, no map, at most 4,995 people).
VIRTUAL_MAX_POPULATION = 4995

#: The urban–rural classes (城乡划分代码) a village may carry: 111 main urban, 112 urban fringe, 121 town centre,
#: 122 town fringe, 123 special area, 210 rural centre, 220 village; "" where it is not known.
URBAN_RURAL_CLASSES = ("111", "112", "121", "122", "123", "210", "220")

#: How the further districts of a village are coded (the project's ``district_codes``; see
#: :mod:`gis_census.editing.districts`). Each keeps the village's code in ``village_code`` and its number in
#: the village in ``seq``; its own 12-digit ``code`` (what small-area codes start with) is the village's code for
#: the first district and, for the others, the township's 9 digits and the next free 3-digit number of the range:
#: "village+seq" 600–999 (numbers the statistical code gives no village), "village-like" 400–599 (the range of
#: village-like units, as offices that report a special district as its own unit do).
DISTRICT_CODE_SCHEMES = {"village+seq": (600, 1000), "village-like": (400, 600)}


def district_code_scheme(value: str) -> str:
    """`value` as a district_codes setting, or ValueError naming the choices."""
    if value not in DISTRICT_CODE_SCHEMES:
        raise ValueError(f"unknown district_codes {value!r}: use one of {', '.join(DISTRICT_CODE_SCHEMES)}")
    return value


#: Which count of a building's people and households balances the division (the project's ``balance_count``):
#: the office's recorded counts (the buildings input, edits, the walk's corrections), the household register's,
#: the pre-count walk's own (the recorded where the walk did not count), or the largest of the three per building.
BALANCE_COUNTS = ("recorded", "register", "walk", "largest")


def balance_source(value: str) -> str:
    """`value` as a balance_count; another is refused rather than balanced on the recorded counts unsaid."""
    if value not in BALANCE_COUNTS:
        raise ValueError(f"unknown balance_count {value!r}: use one of {', '.join(BALANCE_COUNTS)}")
    return value


def balanced_counts(recorded: tuple[np.ndarray, np.ndarray], register: tuple[np.ndarray, np.ndarray],
                    walk: tuple[np.ndarray, np.ndarray], source: str) -> tuple[np.ndarray, np.ndarray]:
    """The population and households that balance each building: its `recorded`, `register` or `walk` counts
    (each a pair of arrays, people and households) as `source` says. The walk's counts stand only where the walk
    counted the building (some people or households), the recorded elsewhere. With "largest", the pair of the
    source with most people (ties: most households), so a building's people and households come from one source."""
    source = balance_source(source)
    rec_pop, rec_hh = (np.asarray(a, dtype=np.int64) for a in recorded)
    walk_pop, walk_hh = (np.asarray(a, dtype=np.int64) for a in walk)
    walked = (walk_pop > 0) | (walk_hh > 0)
    walk = np.where(walked, walk_pop, rec_pop), np.where(walked, walk_hh, rec_hh)
    if source != "largest":
        return {"recorded": (rec_pop, rec_hh), "register": register, "walk": walk}[source]
    best_pop, best_hh = rec_pop, rec_hh
    for pop, hh in (register, walk):
        pop, hh = np.asarray(pop, dtype=np.int64), np.asarray(hh, dtype=np.int64)
        take = (pop > best_pop) | ((pop == best_pop) & (hh > best_hh))
        best_pop, best_hh = np.where(take, pop, best_pop), np.where(take, hh, best_hh)
    return best_pop, best_hh


def has_land(geoms) -> np.ndarray:
    """True where a geometry has territory (neither missing nor empty)."""
    geoms = np.asarray(geoms, dtype=object)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def seq_numbers(seqs) -> np.ndarray:
    """The small areas' numbers as integers (0 where a seq is not all digits)."""
    return np.array([int(s) if str(s).isdigit() else 0 for s in seqs], dtype=np.int64)


def is_virtual(seqs, geoms) -> np.ndarray:
    """True for the virtual small areas: numbered 900 or above and without territory."""
    return (seq_numbers(seqs) >= VIRTUAL_SEQ) & ~has_land(geoms)


def locate_buildings(areas, buildings) -> np.ndarray:
    """Small-area code of each building: a virtual area's code if it was moved to one, else the
    code of the territorial area holding it (:func:`~gis_census.spatial.holding_index`), else ""."""
    geoms = np.asarray(areas.geometry.array, dtype=object)
    land = has_land(geoms)
    land_codes = areas["code"].to_numpy(object)[land]
    where = holding_index(np.asarray(buildings.geometry.array, dtype=object), geoms[land])
    located = np.full(len(where), "", dtype=object)
    located[where >= 0] = land_codes[where[where >= 0]]
    if "small_area_code" not in buildings.columns:
        return located
    stored = buildings["small_area_code"].to_numpy(object)
    virtual_codes = areas["code"].to_numpy(object)[is_virtual(areas["seq"].to_numpy(object), geoms)]
    virtual = is_in(stored, virtual_codes) & (stored != "")
    return np.where(virtual, stored, located)


def count_population(codes, buildings) -> tuple[np.ndarray, np.ndarray]:
    """Population and households of the small areas coded `codes`, summed over buildings by small_area_code."""
    sums = buildings.groupby("small_area_code")[["population", "households"]].sum()
    sums = sums.reindex(pd.Index(codes, dtype=object), fill_value=0)
    return sums["population"].to_numpy(np.int64), sums["households"].to_numpy(np.int64)


def next_seqs(seqs, n: int, virtual: bool = False) -> list[str]:
    """The next `n` free numbers in a district whose areas are numbered `seqs`: above its highest
    territorial number (001–899), or with `virtual` above its highest virtual one (900–999).

    Raises ValueError when the range has too few numbers left.
    """
    numbers = seq_numbers(seqs)
    if virtual:
        first, end = max(numbers[numbers >= VIRTUAL_SEQ], default=VIRTUAL_SEQ - 1) + 1, 1000
    else:
        first, end = max(numbers[(numbers > 0) & (numbers < VIRTUAL_SEQ)], default=0) + 1, VIRTUAL_SEQ
    if first + n > end:
        raise ValueError(f"only {max(end - first, 0)} small-area numbers are left below {end}, {n} are needed")
    return [f"{s:03d}" for s in range(int(first), int(first) + n)]


def building_name(small_area_code: str, number: int, building_id: int | None = None) -> str:
    """The one name a person reads for a building: its small area's code and its number in that area,
    "370481102001025-003"; a building not yet numbered is named by its internal id, "#1347", which
    appears nowhere else."""
    if small_area_code and int(number) > 0:
        return f"{small_area_code}-{int(number):03d}"
    return f"#{building_id}" if building_id is not None else ""


def next_building_number(numbers) -> int:
    """The number a building new to a small area gets: one above the highest there, so that no other
    building's number (printed on the maps the enumerators hold) changes."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return int(numbers.max()) + 1 if len(numbers) else 1


def whole_shares(total: int, weights) -> list[int]:
    """`total` (people, households, stairwells) shared in proportion to `weights`: whole numbers that add up to
    it exactly (largest remainder), as a building divided in parts shares its residents."""
    weights = np.asarray(weights, dtype=float)
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - out), kind="stable")[: total - int(out.sum())]:
        out[i] += 1
    return [int(v) for v in out]


# Exclaves (飞地): the one rule for a small area that is an uninhabited part of a district in several parts.
#
# A village drawn in several separate parts is flagged ``exclave = 1`` (with its district) on
# import, so its parts are not a ``multipart`` error. Dividing such a district divides each
# inhabited part; a part where nobody lives cannot join a neighbour (it has none in the district)
# and becomes a small area of its own. Such an area is acceptable, not ``population_empty``, when:
#
# - nobody lives in it (population 0),
# - its district is flagged exclave,
# - it is exactly one whole part of that district (so it is not an empty piece cut off inside a part),
#
# and it is marked ``exclave = 1`` so the rule is visible in the project. `divide` marks it;
# the population check exempts it through :func:`uninhabited_exclaves`.


def whole_parts(areas: np.ndarray, districts: np.ndarray, tolerance: float = 0.01) -> np.ndarray:
    """For each area, whether it is (within `tolerance` m²) exactly one part of its district
    (`districts[i]` is the district of `areas[i]`, None when unknown) and that district has several parts."""
    out = np.zeros(len(areas), dtype=bool)
    for i, (area, district) in enumerate(zip(areas, districts)):
        if area is None or district is None or shapely.is_empty(area) or shapely.get_num_geometries(district) < 2:
            continue
        if shapely.get_num_geometries(area) != 1:
            continue
        own = shapely.area(area)
        for part in shapely.get_parts(district):
            if not shapely.intersects(part, area):
                continue
            common = shapely.area(shapely.intersection(part, area))
            out[i] = own - common <= tolerance and shapely.area(part) - common <= tolerance
            break
    return out


def uninhabited_exclaves(population: np.ndarray, area_exclave: np.ndarray, district_exclave: np.ndarray,
                         whole: np.ndarray) -> np.ndarray:
    """Areas with nobody in them that are an accepted uninhabited exclave: flagged themselves, their
    district flagged, and a whole part of that district (see :func:`whole_parts`)."""
    return ((np.asarray(population) == 0) & (np.asarray(area_exclave) == 1) & (np.asarray(district_exclave) == 1)
            & np.asarray(whole, dtype=bool))
