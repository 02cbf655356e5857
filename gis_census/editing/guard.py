"""The last step of every edit: the districts it touches must stay tiled, or the edit is refused.

An edit is refused (:class:`~gis_census.editing.edit.EditError`) when, in a district whose small
areas it changes, it would open a gap, an overlap or a protrusion beyond the district larger than
the checks' area tolerance (0.01 m²) that was not there before, or leave a residential building that
a small area held in none. Only what the edit adds counts: a gap the district already had does not
stop an edit elsewhere in it.

The one intended exception is deleting small areas: their land becomes a gap the checker shows and
their buildings are left in no area, as the user asked (README: "Del: the land becomes a gap the
checker shows"). Any other gap a delete opened would still be refused.

The measures are those of :mod:`gis_census.checks` (:func:`~gis_census.checks.small_area_tiling_problems`
and :func:`~gis_census.spatial.holding_index`), on the touched districts' ~30 areas and the buildings
near the changed land only, so the guard costs a few milliseconds.
"""

from __future__ import annotations

import functools

import numpy as np
import shapely

from gis_census.checks import CheckSettings, small_area_tiling_problems
from gis_census.editing.buildings import name_of
from gis_census.editing.edit import Edit, EditError, _same_geoms
from gis_census.project import CensusProject
from gis_census.rules import has_land, is_virtual
from gis_census.spatial import holding_index, is_in

__all__ = ["guard_tiling", "guarded", "DELETE_LABEL"]

#: The edit whose gap is intended: the deleted areas' land.
DELETE_LABEL = "edit_delete_areas"

_GAP_KINDS = {"gap", "sliver_gap"}
_TILING_FIELDS = ("code", "district_code", "seq")


def guarded(edit_function):
    """Decorate an edit function ``f(project, ...) -> Edit``: its edit passes :func:`guard_tiling` or is refused."""

    @functools.wraps(edit_function)
    def checked(project: CensusProject, *args, **kwargs) -> Edit:
        return guard_tiling(project, edit_function(project, *args, **kwargs))

    return checked


def guard_tiling(project: CensusProject, edit: Edit, settings: CheckSettings | None = None) -> Edit:
    """`edit` unchanged when it keeps each district it touches tiled (see the module); EditError otherwise."""
    diff = edit.diff("small_areas")
    if diff is None or not _changes_land(diff):
        return edit
    try:
        _guard(project, edit, diff, settings)
    except shapely.errors.GEOSException as exc:  # GEOS could not measure: better refused than unchecked
        raise EditError("edit_refused_unmeasured", reason=str(exc)) from None
    return edit


def _guard(project: CensusProject, edit: Edit, diff, settings: CheckSettings | None) -> None:
    tol = (settings or CheckSettings()).area_tolerance
    areas = project["small_areas"]
    a_codes = areas["code"].to_numpy(object)
    a_parents = areas["district_code"].to_numpy(object)
    a_geoms = np.asarray(areas.geometry.array, dtype=object)
    removed = set(diff.removed["code"].to_numpy(object))
    added_codes = diff.added["code"].to_numpy(object)
    deleted = removed - set(added_codes)
    intended = edit.label == DELETE_LABEL
    freed = shapely.union_all(np.asarray(diff.removed.geometry.array, dtype=object)[is_in(diff.removed["code"].to_numpy(object), deleted)]) \
        if intended and deleted else None

    # Rows after the edit: those it leaves alone, then those it adds or changes.
    kept = ~is_in(a_codes, removed)
    after = {
        "code": np.r_[a_codes[kept], added_codes].astype(object),
        "district_code": np.r_[a_parents[kept], diff.added["district_code"].to_numpy(object)].astype(object),
        "seq": np.r_[areas["seq"].to_numpy(object)[kept], diff.added["seq"].to_numpy(object)].astype(object),
        "exclave": np.r_[areas["exclave"].to_numpy()[kept], diff.added["exclave"].to_numpy()],
        "geometry": np.r_[a_geoms[kept], np.asarray(diff.added.geometry.array, dtype=object)].astype(object),
    }
    before = {"code": a_codes, "district_code": a_parents, "seq": areas["seq"].to_numpy(object),
              "exclave": areas["exclave"].to_numpy(), "geometry": a_geoms}
    touched = sorted({*diff.removed["district_code"].to_numpy(object), *diff.added["district_code"].to_numpy(object)} - {""})
    districts = project["districts"]
    d_cols = {"code": districts["code"].to_numpy(object), "exclave": districts["exclave"].to_numpy(),
              "geometry": np.asarray(districts.geometry.array, dtype=object)}
    settings = settings or CheckSettings(area_tolerance=tol)
    changed = removed | set(added_codes)
    for district in touched:
        mine = d_cols["code"] == district
        if not mine.any():
            continue
        parent = {c: v[mine] for c, v in d_cols.items()}
        new = _problems(after, district, parent, settings, changed)
        if any(new.values()):  # else nothing can be new: the district is tiled
            _refuse_new(district, _problems(before, district, parent, settings, changed), new, freed, tol)
    _refuse_stranded(project, diff, before, after, deleted if intended else set())


def _changes_land(diff) -> bool:
    """Whether the small-area rows change in geometry, key, district or seq (locks and notes do not)."""
    old, new = diff.removed, diff.added
    if len(old) != len(new) or list(old["code"]) != list(new["code"]):
        return True
    if any((old[c].to_numpy(object) != new[c].to_numpy(object)).any() for c in _TILING_FIELDS):
        return True
    return not _same_geoms(np.asarray(old.geometry.array, dtype=object), np.asarray(new.geometry.array, dtype=object)).all()


def _land(cols: dict, district: str) -> dict:
    """The columns of `district`'s small areas that have land (not the virtual ones without any)."""
    seqs = cols["seq"]
    geoms = cols["geometry"]
    rows = (cols["district_code"] == district) & ~is_virtual(seqs, geoms)
    return {c: v[rows] for c, v in cols.items()}


def _problems(cols: dict, district: str, parent: dict, settings: CheckSettings, changed: set) -> dict[str, list]:
    """Gaps, overlaps and protrusions of `district`; only the overlaps of the `changed` areas (the others
    are the same before and after the edit)."""
    land = _land(cols, district)
    found, _, _ = small_area_tiling_problems(land, parent, settings, local=is_in(land["code"], changed))
    by_kind: dict[str, list] = {"gap": [], "overlap": [], "outside_parent": []}
    for p in found:
        kind = "gap" if p.kind in _GAP_KINDS else p.kind
        if kind in by_kind and p.location is not None:
            by_kind[kind].append(p)
    return by_kind


def _refuse_new(district: str, old: dict, new: dict, freed, tol: float) -> None:
    """EditError when the problems `new` cover more than `tol` m² that `old` did not (nor `freed`, for gaps)."""
    for kind in ("overlap", "gap", "outside_parent"):
        if not new[kind]:
            continue
        was = shapely.union_all([p.location for p in old[kind]]) if old[kind] else None
        for p in new[kind]:
            extra = p.location if was is None else shapely.difference(p.location, was)
            if kind == "gap" and freed is not None:
                extra = shapely.difference(extra, freed)
            area = float(shapely.area(extra))
            if area <= tol:
                continue
            if kind == "overlap":
                raise EditError("edit_refused_overlap", codes=" / ".join(p.features), area=f"{area:,.2f}")
            if kind == "outside_parent":
                raise EditError("edit_refused_outside", code=p.features[0], district=district, area=f"{area:,.2f}")
            beside = ", ".join(p.features[1:]) or "-"
            raise EditError("edit_refused_gap", district=district, area=f"{area:,.2f}", codes=beside)


def _refuse_stranded(project: CensusProject, diff, before: dict, after: dict, deleted: set) -> None:
    """EditError when a residential building held by a small area before the edit is held by none after it
    (except, for a delete, the buildings of the deleted areas)."""
    buildings = project["buildings"]
    if not len(buildings):
        return
    changed = np.r_[np.asarray(diff.removed.geometry.array, dtype=object), np.asarray(diff.added.geometry.array, dtype=object)]
    changed = changed[has_land(changed)]
    if not len(changed):
        return
    near = np.unique(buildings.sindex.query(changed, predicate="intersects")[1])
    residential = (buildings["use"].to_numpy(object)[near] == "residential") | (buildings["population"].to_numpy()[near] > 0)
    near = near[residential]
    if not len(near):
        return
    footprints = np.asarray(buildings.geometry.array, dtype=object)[near]
    held_after = _holders(footprints, after)
    unheld = np.flatnonzero(held_after == "")
    if not len(unheld):
        return
    held_before = _holders(footprints[unheld], before)
    lost = (held_before != "") & ~is_in(held_before, deleted)
    if lost.any():
        first = int(np.flatnonzero(lost)[0])
        raise EditError("edit_refused_building", building=name_of(buildings.iloc[int(near[unheld[first]])]),
                        code=str(held_before[first]))


def _holders(footprints: np.ndarray, cols: dict) -> np.ndarray:
    """The code of the small area holding each footprint ("" for none), among the areas near them."""
    geoms = cols["geometry"]
    present = np.flatnonzero(has_land(geoms))
    tree = shapely.STRtree(geoms[present])
    near = present[np.unique(tree.query(footprints)[1])]
    held = holding_index(footprints, geoms[near]) if len(near) else np.full(len(footprints), -1)
    return np.where(held >= 0, cols["code"][near][np.maximum(held, 0)] if len(near) else "", "").astype(object)
