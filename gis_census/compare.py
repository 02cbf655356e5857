"""The current small areas against the previous division: which were kept, recoded, redrawn, split, merged, new or
removed, and the buildings and people that changed small area (``gis-census compare``).

An old and a new area correspond where they share more than :data:`OVERLAP_SHARE` of either's land; each group of
areas joined so (a component of the bipartite overlap graph) is one change. Virtual areas (no land) are compared
by code. Buildings are placed in the old and the new areas by :func:`~gis_census.spatial.holding_index`, and a
building keeps its small area when the area holding it now has the code of the one holding it before.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from gis_census.i18n import tr
from gis_census.lists import write_table
from gis_census.rules import has_land
from gis_census.spatial import holding_index

__all__ = ["CHANGES", "COMPARE_COLUMNS", "OVERLAP_SHARE", "SAME_WITHIN_M", "Comparison", "compare_divisions",
           "write_changes", "changes_section"]

#: The kinds of change, in the order the summary lists them.
CHANGES = ("kept", "recoded", "redrawn", "split", "merged", "new", "removed")
#: Columns of :attr:`Comparison.changes`, in order; the header of each is the message ``lists_col_<key>``.
COMPARE_COLUMNS = ["change", "district_code", "old_codes", "new_codes", "buildings_before", "buildings_after",
                   "buildings_moved", "population_before", "population_after", "population_moved"]
#: An old and a new area correspond where they share more than this share of either's land.
OVERLAP_SHARE = 0.05
#: m a boundary may move (digitising, reprojection) and still be the same: the Hausdorff distance of the two.
SAME_WITHIN_M = 1.0


@dataclass
class Comparison:
    """What :func:`compare_divisions` found.

    Attributes
    ----------
    changes : one row per change (columns :data:`COMPARE_COLUMNS`): its kind (one of :data:`CHANGES`), the district,
        the old and the new codes involved (", "-joined text), the buildings and people (from the buildings'
        population; a virtual area's own count) in the old areas and in the new, and those that changed small
        area, leaving the old areas or joining the new
    previous_areas : small areas in the previous division
    buildings : buildings held by a small area of the previous division
    buildings_kept : those of them held now by an area of the same code
    """

    changes: pd.DataFrame
    previous_areas: int
    buildings: int
    buildings_kept: int

    def counts(self) -> dict[str, int]:
        """Changes of each kind, every kind listed (a kept area is one change, a split is one)."""
        found = self.changes["change"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in CHANGES}


def compare_divisions(previous, current, buildings, *, share: float = OVERLAP_SHARE,
                      within: float = SAME_WITHIN_M) -> Comparison:
    """Compare the small areas `current` with `previous` (GeoDataFrames with code, district_code and, for virtual
    areas, population; one CRS in metres), placing `buildings` (geometry, population) in both.

    Areas with land correspond where they share more than `share` of either's land; each component of that
    graph is one change: one old and one new area are "kept" (same code, boundaries within `within` m),
    "recoded" (same land, another code) or "redrawn"; one old and several new "split"; several old and one
    new "merged"; a new area alone "new", an old one "removed"; several and several "redrawn", their codes
    listed. Areas without land (virtual) are compared by code: kept, new or removed.

    Example
    -------
    >>> result = compare_divisions(project["previous_small_areas"], project["small_areas"], project["buildings"])
    >>> result.counts()["split"], result.buildings_kept / result.buildings
    """
    old_geoms, new_geoms = (np.asarray(f.geometry.array, dtype=object) for f in (previous, current))
    old_land, new_land = has_land(old_geoms), has_land(new_geoms)
    old, new = previous[old_land], current[new_land]
    old_codes, new_codes = (f["code"].to_numpy(object) for f in (old, new))
    og, ng = old_geoms[old_land], new_geoms[new_land]
    old_part, new_part, parts = _components(og, ng, share)

    b_geoms = np.asarray(buildings.geometry.array, dtype=object)
    population = buildings["population"].to_numpy(np.int64)
    was, now = holding_index(b_geoms, og), holding_index(b_geoms, ng)
    code_was, code_now = _at(old_codes, was, ""), _at(new_codes, now, "")
    moved = (code_was != "") & (code_was != code_now)
    part_was, part_now = _at(old_part, was, -1), _at(new_part, now, -1)

    def per_part(part: np.ndarray, keep: np.ndarray, weights=None) -> np.ndarray:
        return np.bincount(part[keep], weights=None if weights is None else weights[keep], minlength=parts)

    before, after = per_part(part_was, part_was >= 0), per_part(part_now, part_now >= 0)
    people_before, people_after = (per_part(p, p >= 0, population) for p in (part_was, part_now))
    left, joined = moved & (part_was >= 0), moved & (part_now >= 0) & (part_now != part_was)
    moved_n = per_part(part_was, left) + per_part(part_now, joined)
    moved_people = per_part(part_was, left, population) + per_part(part_now, joined, population)

    old_districts, new_districts = old["district_code"].to_numpy(object), new["district_code"].to_numpy(object)
    rows = []
    for k in range(parts):
        o, n = np.flatnonzero(old_part == k), np.flatnonzero(new_part == k)
        kind = _kind(o, n, old_codes, new_codes, og, ng, within)
        district = new_districts[n[0]] if len(n) else old_districts[o[0]]
        rows.append((kind, district, ", ".join(sorted(old_codes[o])), ", ".join(sorted(new_codes[n])), before[k],
                     after[k], moved_n[k], people_before[k], people_after[k], moved_people[k]))
    rows += _by_code(previous[~old_land], current[~new_land])
    changes = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    for column in COMPARE_COLUMNS[4:]:
        changes[column] = changes[column].astype(np.int64)
    first = changes["new_codes"].where(changes["new_codes"] != "", changes["old_codes"])
    changes = changes.assign(_first=first).sort_values(["district_code", "_first"], kind="stable")
    had = code_was != ""
    return Comparison(changes.drop(columns="_first").reset_index(drop=True), len(previous), int(had.sum()),
                      int((had & ~moved).sum()))


def _at(values: np.ndarray, index: np.ndarray, missing) -> np.ndarray:
    """``values[index]``, `missing` where the index is -1 (a building no area holds)."""
    out = np.full(len(index), missing, dtype=values.dtype)
    out[index >= 0] = values[index[index >= 0]]
    return out


def _components(og: np.ndarray, ng: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The component of each old and each new area in the graph joining those that share more than `share` of
    either's land, and the number of components."""
    n_idx, o_idx = shapely.STRtree(og).query(ng, predicate="intersects") if len(og) and len(ng) else (
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    common = shapely.area(shapely.intersection(ng[n_idx], og[o_idx]))
    linked = (common > share * shapely.area(ng)[n_idx]) | (common > share * shapely.area(og)[o_idx])
    size = len(og) + len(ng)
    graph = coo_matrix((np.ones(int(linked.sum())), (o_idx[linked], len(og) + n_idx[linked])), shape=(size, size))
    parts, label = connected_components(graph, directed=False)
    return label[:len(og)], label[len(og):], int(parts)


def _kind(o: np.ndarray, n: np.ndarray, old_codes, new_codes, og, ng, within: float) -> str:
    """The change of a component holding the old areas `o` and the new areas `n`."""
    if not len(o):
        return "new"
    if not len(n):
        return "removed"
    if len(o) == 1 and len(n) == 1:
        same_land = shapely.hausdorff_distance(shapely.boundary(og[o[0]]), shapely.boundary(ng[n[0]])) <= within
        return ("kept" if old_codes[o[0]] == new_codes[n[0]] else "recoded") if same_land else "redrawn"
    return "split" if len(o) == 1 else "merged" if len(n) == 1 else "redrawn"


def _by_code(old, new) -> list[tuple]:
    """The rows of the areas without land (virtual), matched by code; their people are their own counts."""
    def counts(frame) -> dict[str, tuple[str, int]]:
        people = frame["population"] if "population" in frame else pd.Series(0, index=frame.index)
        return dict(zip(frame["code"], zip(frame["district_code"], people.astype(int))))

    was, now = counts(old), counts(new)
    rows = []
    for code in sorted(set(was) | set(now)):
        kind = "kept" if code in was and code in now else "new" if code in now else "removed"
        district = (now.get(code) or was[code])[0]
        rows.append((kind, district, code if code in was else "", code if code in now else "", 0, 0, 0,
                     was.get(code, ("", 0))[1], now.get(code, ("", 0))[1], 0))
    return rows


def write_changes(comparison: Comparison, path: str | os.PathLike) -> Path:
    """Write the changes to `path` (.xlsx or .csv, :func:`~gis_census.lists.write_table`) with a Chinese header
    and the kinds of change in Chinese, for the county office; codes as text."""
    shown = comparison.changes.assign(change=[tr("compare_" + kind, "zh") for kind in comparison.changes["change"]])
    return write_table(shown, path, tr("compare_sheet", "zh"), "zh")


#: The columns of the changes the report shows (its header: the message ``lists_col_<key>``).
_SHOWN = ("change", "district_code", "old_codes", "new_codes", "population_before", "population_after", "population_moved")


def changes_section(comparison: Comparison, current: int, lang: str | None = None) -> str:
    """The changes against the previous division as an HTML section of the check report: the summary and a row per
    change other than a kept area (`current`: the small areas now)."""
    n = comparison.counts()
    summary = tr("compare_summary", lang, old=comparison.previous_areas, new=current, kept=n["kept"],
                 recoded=n["recoded"], redrawn=n["redrawn"], split=n["split"], merged=n["merged"], added=n["new"],
                 removed=n["removed"])
    changed = comparison.changes[comparison.changes["change"] != "kept"]
    head = "<tr>" + "".join(f"<th>{html.escape(tr('lists_col_' + c, lang))}</th>" for c in _SHOWN) + "</tr>"
    rows = "".join(
        "<tr>" + "".join(f'<td class="num">{v:,}</td>' if isinstance(v, (int, np.integer)) else f"<td>{html.escape(str(v))}</td>"
                         for v in (tr("compare_" + row["change"], lang), *(row[c] for c in _SHOWN[1:]))) + "</tr>"
        for _, row in changed.iterrows())
    table = f'<table class="changes">{head}{rows}</table>' if rows else ""
    return (f'<section><h2>{html.escape(tr("report_changes", lang))}</h2><p>{html.escape(summary)}</p>{table}</section>')
