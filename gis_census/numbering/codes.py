"""Codes and numbering: small areas in serpentine order, buildings in walking order, virtual areas, supervisor groups."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gis_census.numbering.groups import group_sizes, is_contiguous, walk_groups
from gis_census.numbering.walk import area_walk, building_numbers, serpentine_rank
from gis_census.project import CensusProject, conform_layer
from gis_census.rules import VIRTUAL_SEQ, count_population, has_land, is_virtual, locate_buildings, next_seqs
from gis_census.spatial import holding_index, is_in

__all__ = [
    "CodeReport",
    "assign_codes",
    "make_virtual_area",
    "supervisor_groups",
    "serpentine_rank",
    "group_sizes",
]


@dataclass
class CodeReport:
    """What :func:`assign_codes` changed and what it found.

    Attributes
    ----------
    renamed : old small-area code -> new code, for the areas whose code changed
    buildings_moved : buildings whose small_area_code changed
    buildings_renumbered : buildings whose number changed
    groups : supervisor groups in the districts coded
    sequence_gaps : district code -> seqs below 900 left unused (locked areas numbered beyond the rest)
    non_contiguous : (district code, group) of supervisor groups whose areas do not hang together
    """

    renamed: dict[str, str] = field(default_factory=dict)
    buildings_moved: int = 0
    buildings_renumbered: int = 0
    groups: int = 0
    sequence_gaps: dict[str, list[str]] = field(default_factory=dict)
    non_contiguous: list[tuple[str, int]] = field(default_factory=list)


def assign_codes(project: CensusProject, districts=None, *, located: bool = False) -> CodeReport:
    """Number the small areas, buildings and supervisor groups of `districts` (codes; default all), in place.

    - Territorial small areas that are not locked get code = district code + seq, seqs
      001, 002, … along the district's serpentine walk (rows north to south, alternately
      west→east and east→west). Seqs held by locked and virtual areas are skipped and the
      others take the lowest free numbers, so the sequence has a gap only when a locked
      seq lies beyond the district's count of territorial areas (see ``sequence_gaps``).
    - Each building takes the code of the territorial area holding its representative
      point ("" for none), unless it was moved to a virtual area; it is numbered 1..n
      within its area along a serpentine walk at building scale.
    - Population and households of each area are summed from its buildings.
    - Supervisor groups cut the district's walk (virtual areas last) into runs of 3–4,
      contiguous where a choice of cut points allows.

    Running it again on unchanged data changes nothing. With `located`, the buildings' small_area_code
    and the areas' population already follow :func:`~gis_census.rules.locate_buildings` (the divider
    leaves them so): buildings then follow their area's new code and nothing is located or counted again.
    """
    areas, buildings = project.layers["small_areas"], project.layers["buildings"]
    a_district = areas["district_code"].to_numpy(object)
    selected = _selected(a_district, districts)
    geoms = np.asarray(areas.geometry.array, dtype=object)
    old_codes, old_seqs = areas["code"].to_numpy(object), areas["seq"].to_numpy(object)
    walk = area_walk(geoms, a_district, old_seqs)
    movable = selected & has_land(geoms) & (areas["locked"].to_numpy() == 0)
    seqs = _free_seqs(a_district, old_seqs, walk, movable)
    codes = np.where(movable, a_district + seqs, old_codes)
    _put(areas, "seq", seqs)
    _put(areas, "code", codes)

    stored, old_numbers = buildings["small_area_code"].to_numpy(object), buildings["number"].to_numpy()
    if located:
        renamed = dict(zip(old_codes[selected], codes[selected]))
        placed = np.array([renamed.get(c, c) for c in stored], dtype=object)
    else:
        placed = locate_buildings(areas, buildings)
    touched = np.ones(len(placed), dtype=bool)
    if districts is not None:
        touched = is_in(placed, codes[selected]) | is_in(stored, old_codes[selected])
    b_codes = np.where(touched, placed, stored)
    numbers = np.where(touched, building_numbers(np.asarray(buildings.geometry.array, dtype=object), b_codes), old_numbers)
    _put(buildings, "small_area_code", b_codes)
    _put(buildings, "number", numbers)

    if not located:
        population, households = count_population(codes, buildings)
        # A virtual area no building was moved to holds the people entered for it (空挂户, collective quarters).
        entered = is_virtual(seqs, geoms) & ~is_in(codes, b_codes)
        population = np.where(entered, areas["population"].to_numpy(), population)
        households = np.where(entered, areas["households"].to_numpy(), households)
        _put(areas, "population", np.where(selected, population, areas["population"].to_numpy()))
        _put(areas, "households", np.where(selected, households, areas["households"].to_numpy()))
    groups = areas["supervisor_group"].to_numpy().copy()
    groups[selected] = walk_groups(a_district[selected], walk[selected], geoms[selected])
    _put(areas, "supervisor_group", groups)

    listing = supervisor_groups(project)
    listing = listing[is_in(listing["district_code"].to_numpy(object), a_district[selected])]
    return CodeReport(
        renamed={o: n for o, n in zip(old_codes, codes) if o != n},
        buildings_moved=int((b_codes != stored).sum()),
        buildings_renumbered=int((numbers != old_numbers).sum()),
        groups=len(listing),
        sequence_gaps=_gaps(a_district[selected & has_land(geoms)], seqs[selected & has_land(geoms)]),
        non_contiguous=[(d, int(g)) for d, g, ok in listing[["district_code", "group", "contiguous"]].itertuples(index=False) if not ok],
    )


def make_virtual_area(project: CensusProject, building_id: int) -> str:
    """Move the residents of building `building_id` (collective quarters) to a new virtual small area; return its code.

    The virtual area has no territory; its seq is the next free one from 900 up in the
    district of the area holding the building (or the building's own district_code when it
    lies in none). The building keeps its footprint, still drawn on the territorial area's
    map, but its small_area_code becomes the virtual code and it is number 1 there, so its
    population and households count in the virtual area, not the territorial one; both
    areas' figures are recounted. Other buildings keep their numbers until
    :func:`assign_codes` runs again.
    """
    areas, buildings = project.layers["small_areas"], project.layers["buildings"]
    rows = np.flatnonzero(buildings["id"].to_numpy() == building_id)
    if len(rows) != 1:
        raise ValueError(f"building id {building_id!r} matches {len(rows)} buildings, expected 1")
    i = rows[0]
    geoms = np.asarray(areas.geometry.array, dtype=object)
    land = has_land(geoms)
    stored = buildings["small_area_code"].iat[i]
    if stored and stored in set(areas["code"].to_numpy(object)[~land]):
        raise ValueError(f"building {building_id!r} is already in virtual small area {stored}")
    where = holding_index(np.asarray(buildings.geometry.array, dtype=object)[i:i + 1], geoms[land])[0]
    district = areas["district_code"].to_numpy(object)[land][where] if where >= 0 else buildings["district_code"].iat[i]
    if not district:
        raise ValueError(f"building {building_id!r} lies in no small area and has no district code")
    in_district = areas["district_code"].to_numpy(object) == district
    try:
        (seq,) = next_seqs(areas["seq"].to_numpy(object)[in_district], 1, virtual=True)
    except ValueError:
        raise ValueError(f"district {district} has no virtual small-area number left (900–999 all used)") from None
    code = f"{district}{seq}"
    virtual = gpd.GeoDataFrame(
        {"code": [code], "district_code": [district], "seq": [seq], "notes": [buildings["address"].iat[i]]},
        geometry=gpd.GeoSeries([None], crs=areas.crs),
    )
    areas = conform_layer("small_areas", pd.concat([areas, conform_layer("small_areas", virtual)], ignore_index=True))
    buildings.loc[buildings.index[i], ["small_area_code", "number"]] = [code, 1]
    affected = is_in(areas["code"].to_numpy(object), {stored, code})
    population, households = count_population(areas["code"].to_numpy(object)[affected], buildings)
    areas.loc[affected, "population"], areas.loc[affected, "households"] = population, households
    project.layers["small_areas"] = areas
    return code


def supervisor_groups(project: CensusProject) -> pd.DataFrame:
    """One row per supervisor group: district_code, group, small_areas (codes in seq order, ", "-joined),
    count, population, households, and contiguous (its territorial areas form one patch).

    Areas with supervisor_group 0 (not yet grouped) are left out.
    """
    columns = ["district_code", "group", "small_areas", "count", "population", "households", "contiguous"]
    areas = project.layers["small_areas"]
    areas = areas[areas["supervisor_group"] > 0].sort_values(["district_code", "supervisor_group", "seq"])
    rows = [
        (district, int(group), ", ".join(part["code"]), len(part), int(part["population"].sum()),
         int(part["households"].sum()), is_contiguous(np.asarray(part.geometry.array, dtype=object)))
        for (district, group), part in areas.groupby(["district_code", "supervisor_group"], sort=True)
    ]
    return pd.DataFrame(rows, columns=columns).astype({"group": "int64", "count": "int64", "population": "int64",
                                                       "households": "int64", "contiguous": bool})


def _put(frame: gpd.GeoDataFrame, column: str, values: np.ndarray) -> None:
    """Write `values` into `frame[column]` keeping the column's dtype (pandas would infer str for text)."""
    frame[column] = pd.Series(values, index=frame.index, dtype=frame[column].dtype)


def _selected(district_codes: np.ndarray, districts) -> np.ndarray:
    if districts is None:
        return np.ones(len(district_codes), dtype=bool)
    wanted = {districts} if isinstance(districts, str) else set(districts)
    unknown = sorted(wanted - set(district_codes))
    if unknown:
        raise ValueError(f"no small areas in district(s) {', '.join(map(str, unknown))}")
    return is_in(district_codes, wanted)


def _free_seqs(districts: np.ndarray, seqs: np.ndarray, walk: np.ndarray, movable: np.ndarray) -> np.ndarray:
    """`seqs` with the movable areas renumbered 001.. along `walk`, skipping the seqs the others hold in their district."""
    reserved: dict[str, set[int]] = {}
    for district, seq in zip(districts[~movable], seqs[~movable]):
        if str(seq).isdigit():
            reserved.setdefault(district, set()).add(int(seq))
    out = seqs.copy()
    order = np.lexsort((walk, districts))
    order = order[movable[order]]
    district, number = None, 0
    for i in order:
        if districts[i] != district:
            district, number = districts[i], 0
        number += 1
        while number in reserved.get(district, ()):
            number += 1
        if number >= VIRTUAL_SEQ:
            raise ValueError(f"district {district} has more than {VIRTUAL_SEQ - 1} territorial small areas")
        out[i] = f"{number:03d}"
    return out


def _gaps(districts: np.ndarray, seqs: np.ndarray) -> dict[str, list[str]]:
    """District code -> seqs below 900 missing between 001 and the highest used."""
    used: dict[str, set[int]] = {}
    for district, seq in zip(districts, seqs):
        if str(seq).isdigit() and int(seq) < VIRTUAL_SEQ:
            used.setdefault(district, set()).add(int(seq))
    gaps = {d: [f"{n:03d}" for n in range(1, max(s) + 1) if n not in s] for d, s in sorted(used.items())}
    return {d: g for d, g in gaps.items() if g}
