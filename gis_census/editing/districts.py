"""District edits: cut a village's district along a line, merge districts of one village, draw a special district.

Each function returns one :class:`~gis_census.editing.edit.Edit` (one undo step) over the districts, small areas
and buildings, and leaves the project unchanged; a refused edit raises :class:`EditError`.

District codes
--------------
Small-area codes are the district's 12-digit ``code`` + 3 digits, and the checks, the lists, the maps and the
field packages all read the district from the first 12 digits of a small-area code; a district's ``code`` is
therefore kept a unique 12-digit key. What tells several districts of one village apart for the office is the
pair the domain asks for: the village's 12-digit statistical code, kept in ``village_code``, and the district's
number in the village, ``seq`` (1, 2, …). The first district of a village keeps the village's code as its own;
each further one (a cut-off part, a special district) takes the township's 9 digits and the next free 3-digit
number of a range the project's ``district_codes`` setting names (:data:`gis_census.rules.DISTRICT_CODE_SCHEMES`):
``"village+seq"`` (default) 600–999, numbers the statistical code never gives a village, so such a code can never
be mistaken for a real village's; ``"village-like"`` 400–599, the statistical range of village-like units, for
offices that report a special district (barracks, campus) as a unit of its own. One-district villages, and every
project made before, are unchanged.

Every small area of a changed district is recoded 001 upward in walking order
(:func:`gis_census.numbering.codes.assign_codes`, locks kept), its virtual areas keep their 9xx numbers (those of a
merged-away district take the next free ones of the district kept), and the buildings' ``small_area_code``,
``number`` and ``district_code`` follow. The result must keep the village tiled by its districts and each changed
district tiled by its small areas, with no building left out (:func:`_guard`); otherwise the edit is refused.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.checks import CheckSettings
from gis_census.checks.coverage import overlap_problems, tiling_problems
from gis_census.editing.buildings import name_of
from gis_census.editing.changes import MIN_AREA, drop_slivers, polygonal
from gis_census.editing.edit import Edit, EditError, _working_copy, diff_layers
from gis_census.editing.guard import _problems, _refuse_new, _refuse_stranded
from gis_census.project import CensusProject, conform_layer
from gis_census.rules import DISTRICT_CODE_SCHEMES, has_land, is_virtual, next_seqs
from gis_census.spatial import holding_index, is_in

__all__ = ["split_district", "merge_districts", "add_special_district", "next_district_codes", "SPECIAL_KINDS"]

#: The kinds of special district offered (any non-empty text is accepted).
SPECIAL_KINDS = ("学校", "营区", "大型企业", "医院", "监所", "其他")

_LAYERS = ("districts", "small_areas", "buildings")
_TEMP = "~"  # marks a small-area code made for a moment, before the district is recoded


def next_district_codes(project: CensusProject, village_code: str, n: int) -> list[str]:
    """`n` free 12-digit codes for further districts of village `village_code` (see the module), by the
    project's ``district_codes`` scheme; EditError when the village code is not 12 digits or the range is full."""
    if len(village_code) != 12 or not village_code.isdigit():
        raise EditError("edit_district_code_village", village=village_code)
    first, end = DISTRICT_CODE_SCHEMES[project.meta.district_codes]
    prefix = village_code[:9]
    used = set(project["districts"]["code"]) | set(project["villages"]["code"])
    free = [f"{prefix}{k:03d}" for k in range(first, end) if f"{prefix}{k:03d}" not in used]
    if len(free) < n:
        raise EditError("edit_district_code_full", township=prefix, first=str(first), last=str(end - 1))
    return free[:n]


def split_district(project: CensusProject, code: str, line) -> Edit:
    """Cut district `code` into two or more districts of its village along `line` (it may run beyond it).

    The part with most people (then the largest) keeps the code; the others take new codes and seqs (see the
    module). Small areas the line crosses are cut with it. Refused when the line does not cut the district or
    crosses a building.
    """
    row = _district_row(project, code)
    geom = row.geometry
    line = shapely.line_merge(line) if shapely.get_type_id(line) == 5 else line
    _refuse_cut_buildings(project, shapely.intersection(line, geom), code)
    faces = []
    for component in shapely.get_parts(geom):
        found = shapely.get_parts(shapely.polygonize([shapely.union(shapely.boundary(component), line)]))
        found = [f for f in found if shapely.area(f) >= MIN_AREA and shapely.contains(component, shapely.point_on_surface(f))]
        faces.extend(found if len(found) > 1 else [component])
    if len(faces) < 2:
        raise EditError("edit_split_district_no_cut", code=code)
    people = _people_in(project, faces)
    order = np.lexsort((-shapely.area(np.array(faces, dtype=object)), -people))
    village = row["village_code"]
    seqs = _next_district_seqs(project, village, len(faces) - 1)
    new_codes = next_district_codes(project, village, len(faces) - 1)
    rows = [_row(row, geometry=faces[order[0]], seq=max(int(row["seq"]), 1))]
    for k, new_code, seq in zip(order[1:], new_codes, seqs):
        rows.append(_row(row, code=new_code, seq=seq, name=f"{row['name']}（{seq}）" if row["name"] else "",
                         kind="", exclave=0, geometry=faces[k]))
    return _redistrict(project, village, rows, [], "edit_split_district", (code, *new_codes))


def merge_districts(project: CensusProject, codes) -> Edit:
    """Merge districts `codes` of one village into one: the one coded as the village (else the lowest seq, then
    code) keeps its code, the others' small areas join it. Refused across villages or when they do not touch."""
    codes = list(dict.fromkeys([codes] if isinstance(codes, str) else [str(c) for c in codes]))
    if len(codes) < 2:
        raise EditError("edit_merge_districts_too_few", codes=", ".join(codes))
    rows = [_district_row(project, c) for c in codes]
    villages = {r["village_code"] for r in rows}
    if len(villages) > 1:
        raise EditError("edit_merge_districts_villages", codes=", ".join(codes), villages=", ".join(sorted(villages)))
    village = villages.pop()
    geoms = np.array([r.geometry for r in rows], dtype=object)
    allowed = int(shapely.get_num_geometries(geoms).sum()) - (len(codes) - 1)
    merged = drop_slivers(shapely.union_all(geoms, grid_size=1e-6))
    if not shapely.is_valid(merged):
        merged = drop_slivers(shapely.make_valid(merged))
    if shapely.get_num_geometries(merged) > allowed:
        raise EditError("edit_merge_districts_apart", codes=", ".join(codes))
    keep = min(rows, key=lambda r: (r["code"] != village, int(r["seq"]) or 1, r["code"]))
    kept = _row(keep, geometry=merged, seq=max(int(keep["seq"]), 1), kind="" if len(codes) > 1 else keep["kind"])
    return _redistrict(project, village, [kept], [c for c in codes if c != keep["code"]], "edit_merge_districts",
                       tuple(sorted(codes)))


def add_special_district(project: CensusProject, polygon, kind: str, name: str = "") -> Edit:
    """A special district (特殊普查区) of `kind` (学校, 营区, 大型企业 …) on `polygon`'s land within the village
    holding most of it, taken from the district(s) it lies in; its land forms one small area. Refused when it
    would take a whole district or cross a building."""
    kind = str(kind).strip()
    if not kind:
        raise EditError("edit_special_kind")
    polygon = polygonal(polygon if shapely.is_valid(polygon) else shapely.make_valid(polygon))
    villages = project["villages"]
    hits = villages.sindex.query(polygon, predicate="intersects") if not polygon.is_empty else np.zeros(0, dtype=int)
    v_geoms = np.asarray(villages.geometry.array, dtype=object)
    shares = shapely.area(shapely.intersection(v_geoms[hits], polygon)) if len(hits) else np.zeros(0)
    if not len(hits) or shares.max() < MIN_AREA:
        raise EditError("edit_special_outside")
    v = int(hits[int(np.argmax(shares))])
    village = villages["code"].iat[v]
    land = drop_slivers(polygonal(shapely.intersection(polygon, v_geoms[v])))
    _refuse_cut_buildings(project, shapely.intersection(shapely.boundary(land), v_geoms[v]), village)
    districts = project["districts"]
    mine = np.flatnonzero(districts["village_code"].to_numpy(object) == village)
    rows = []
    for i in mine:
        host = districts.iloc[int(i)]
        if not shapely.relate_pattern(host.geometry, land, "2********"):
            continue
        rest = drop_slivers(polygonal(shapely.difference(host.geometry, land)))
        if rest.is_empty:
            raise EditError("edit_special_takes_district", code=host["code"])
        rows.append(_row(host, geometry=rest))
    if not rows:
        raise EditError("edit_special_outside")
    (code,) = next_district_codes(project, village, 1)
    (seq,) = _next_district_seqs(project, village, 1)
    template = districts.iloc[int(mine[0])]
    rows.append(_row(template, code=code, seq=seq, kind=kind, name=name.strip() or kind, exclave=0, geometry=land))
    return _redistrict(project, village, rows, [], "edit_add_special_district", (code,), params=(("kind", kind),),
                       join_into=code)


# --- the common part: districts redrawn, small areas following, recoded, guarded ----------------------------


def _redistrict(project: CensusProject, village: str, rows: list[dict], deleted: list[str], label: str, codes,
                params=(), join_into: str | None = None) -> Edit:
    """The edit that gives the districts `rows` (changed or new) and removes `deleted` (merged into rows[0]); the
    small areas of all of them are cut to their new districts (those in `join_into` become one), then recoded."""
    work = _working_copy(project, _LAYERS)
    touched = {r["code"] for r in rows} | set(deleted)
    work.layers["districts"] = _new_districts(project["districts"], rows, deleted)
    areas, renamed = _cut_areas(project, rows, deleted, join_into)
    buildings = work.layers["buildings"]
    if renamed:  # buildings of a merged-away district's virtual areas follow them
        stored = buildings["small_area_code"].to_numpy(object)
        buildings["small_area_code"] = pd.Series([renamed.get(c, c) for c in stored], index=buildings.index, dtype=object)
    locked = areas["locked"].to_numpy().copy()
    mine = is_in(areas["district_code"].to_numpy(object), touched)
    areas.loc[mine, "locked"] = 0  # every area of a changed district is recoded, locked or not
    work.layers["small_areas"] = areas
    from gis_census.numbering.codes import assign_codes

    present = sorted(set(areas["district_code"].to_numpy(object)[mine]))
    if present:
        assign_codes(work, present)
    areas = work.layers["small_areas"]
    areas["locked"] = pd.Series(locked, index=areas.index, dtype=areas["locked"].dtype)
    _follow_districts(work, touched)
    names = _LAYERS
    edit = diff_layers({n: project.layers[n] for n in names}, {n: work.layers[n] for n in names}, label,
                       touched, tuple(codes), params)
    _guard(project, work, edit, village, touched - set(deleted))
    return edit


def _new_districts(districts: gpd.GeoDataFrame, rows: list[dict], deleted: list[str]) -> gpd.GeoDataFrame:
    """The districts layer with `rows` replacing theirs in place (new ones at the end) and `deleted` gone."""
    out = districts[~is_in(districts["code"].to_numpy(object), set(deleted))].reset_index(drop=True)
    index = {c: i for i, c in enumerate(out["code"].to_numpy(object))}
    geoms = list(out.geometry.array)
    records = out.drop(columns=out.geometry.name).to_dict("records")
    for row in rows:
        values = {k: v for k, v in row.items() if k != "geometry"}
        if row["code"] in index:
            records[index[row["code"]]] = values
            geoms[index[row["code"]]] = row["geometry"]
        else:
            records.append(values)
            geoms.append(row["geometry"])
    frame = gpd.GeoDataFrame(pd.DataFrame.from_records(records, columns=list(out.columns.drop(out.geometry.name))),
                             geometry=gpd.GeoSeries(geoms, crs=districts.crs))
    return conform_layer("districts", frame)


def _cut_areas(project: CensusProject, rows: list[dict], deleted: list[str], join_into: str | None):
    """The small-areas layer with the areas of the districts of `rows` and `deleted` cut to the districts of
    `rows` (temporary codes for new pieces), and the renaming of a deleted district's virtual areas."""
    areas = project["small_areas"]
    a_codes = areas["code"].to_numpy(object)
    a_district = areas["district_code"].to_numpy(object)
    geoms = np.asarray(areas.geometry.array, dtype=object)
    seqs = areas["seq"].to_numpy(object)
    touched = {r["code"] for r in rows} | set(deleted)
    targets = [(r["code"], r["geometry"]) for r in rows]
    keeper = rows[0]["code"]
    records = areas.drop(columns=areas.geometry.name).to_dict("records")
    out_geoms = list(geoms)
    renamed: dict[str, str] = {}
    virtual = is_virtual(seqs, geoms)
    free_virtual = iter(next_seqs(np.r_[seqs[(a_district == keeper) & virtual]], int((is_in(a_district, set(deleted)) & virtual).sum()),
                                  virtual=True)) if deleted else iter(())
    joined: list = []
    extra = 0
    for i in np.flatnonzero(is_in(a_district, touched)):
        if virtual[i]:
            if a_district[i] in deleted:
                seq = next(free_virtual)
                renamed[a_codes[i]] = keeper + seq
                records[i].update(code=keeper + seq, district_code=keeper, seq=seq)
            continue
        if not has_land(geoms[i:i + 1])[0]:
            continue
        pieces = [(t, drop_slivers(polygonal(shapely.intersection(geoms[i], tg)))) for t, tg in targets]
        pieces = [(t, p) for t, p in pieces if shapely.area(p) >= MIN_AREA]
        if not pieces:
            continue
        pieces.sort(key=lambda tp: -shapely.area(tp[1]))
        records[i]["district_code"], out_geoms[i] = pieces[0]
        if pieces[0][0] == join_into:
            joined.append(i)
        for t, piece in pieces[1:]:
            extra += 1
            records.append({**records[i], "code": f"{t}{_TEMP}{extra}", "district_code": t, "seq": "", "locked": 0,
                            "notes": "", "exclave": 0, "population": 0, "households": 0, "supervisor_group": 0})
            out_geoms.append(piece)
            if t == join_into:
                joined.append(len(records) - 1)
    if len(joined) > 1:  # a special district's land is one small area
        first, rest = joined[0], joined[1:]
        out_geoms[first] = drop_slivers(shapely.union_all([out_geoms[k] for k in joined], grid_size=1e-6))
        keep = np.ones(len(records), dtype=bool)
        keep[rest] = False
        records = [r for r, k in zip(records, keep) if k]
        out_geoms = [g for g, k in zip(out_geoms, keep) if k]
    frame = gpd.GeoDataFrame(pd.DataFrame.from_records(records, columns=list(areas.columns.drop(areas.geometry.name))),
                             geometry=gpd.GeoSeries(out_geoms, crs=areas.crs))
    return conform_layer("small_areas", frame), renamed


def _follow_districts(work: CensusProject, touched: set) -> None:
    """Buildings in the small areas of the `touched` districts take their area's district code."""
    areas, buildings = work.layers["small_areas"], work.layers["buildings"]
    of = dict(zip(areas["code"].to_numpy(object), areas["district_code"].to_numpy(object)))
    stored = buildings["small_area_code"].to_numpy(object)
    old = buildings["district_code"].to_numpy(object)
    new = np.array([of.get(c, d) if (of.get(c) in touched or d in touched) else d for c, d in zip(stored, old)], dtype=object)
    if (new != old).any():
        buildings["district_code"] = pd.Series(new, index=buildings.index, dtype=object)


def _guard(project: CensusProject, work: CensusProject, edit: Edit, village: str, districts: set) -> None:
    """EditError when the edit opens a gap or overlap among the districts of `village` or the small areas of
    `districts` (beyond what was there before), or leaves a residential building out of every small area."""
    settings = CheckSettings()
    tol = settings.area_tolerance
    before = _district_problems(project, village, settings)
    after = _district_problems(work, village, settings)
    try:
        _refuse_new(village, before, after, None, tol)
    except EditError as exc:
        raise EditError("edit_refused_districts", village=village, reason=str(exc)) from None
    diff = edit.diff("small_areas")
    if diff is None:
        return
    old_cols, new_cols = _area_cols(project), _area_cols(work)
    changed = set(diff.removed["code"]) | set(diff.added["code"])
    # What was a problem in the districts before the edit (their land is the same, shared out anew) stays allowed.
    old: dict[str, list] = {"gap": [], "overlap": [], "outside_parent": []}
    was = set(diff.removed["district_code"]) | set(diff.added["district_code"])
    for district in sorted(was & set(project["districts"]["code"])):
        for kind, found in _problems(old_cols, district, _parent(project, district), settings, changed).items():
            old[kind] += found
    for district in sorted(districts):
        new = _problems(new_cols, district, _parent(work, district), settings, changed)
        if any(new.values()):
            _refuse_new(district, old, new, None, tol)
    _refuse_stranded(project, diff, old_cols, new_cols, set())


def _parent(project: CensusProject, district: str) -> dict[str, np.ndarray]:
    d = project["districts"]
    rows = d["code"].to_numpy(object) == district
    return {"code": d["code"].to_numpy(object)[rows], "exclave": d["exclave"].to_numpy()[rows],
            "geometry": np.asarray(d.geometry.array, dtype=object)[rows]}


def _district_problems(project: CensusProject, village: str, settings: CheckSettings) -> dict[str, list]:
    """Gaps, overlaps and protrusions of the districts of `village` against it."""
    d, v = project["districts"], project["villages"]
    rows = d["village_code"].to_numpy(object) == village
    d_geoms = np.asarray(d.geometry.array, dtype=object)[rows]
    d_codes = d["code"].to_numpy(object)[rows]
    parents = d["village_code"].to_numpy(object)[rows]
    v_rows = v["code"].to_numpy(object) == village
    found = overlap_problems("districts", d_geoms, d_codes, None, settings.area_tolerance)
    overlapping = {0} if found else set()
    found += tiling_problems("districts", d_geoms, d_codes, parents, "villages",
                             np.asarray(v.geometry.array, dtype=object)[v_rows], v["code"].to_numpy(object)[v_rows],
                             settings, overlapping=overlapping)
    by_kind: dict[str, list] = {"gap": [], "overlap": [], "outside_parent": []}
    for p in found:
        kind = "gap" if p.kind in {"gap", "sliver_gap"} else p.kind
        if kind in by_kind and p.location is not None:
            by_kind[kind].append(p)
    return by_kind


def _area_cols(project: CensusProject) -> dict[str, np.ndarray]:
    a = project["small_areas"]
    return {"code": a["code"].to_numpy(object), "district_code": a["district_code"].to_numpy(object),
            "seq": a["seq"].to_numpy(object), "exclave": a["exclave"].to_numpy(),
            "geometry": np.asarray(a.geometry.array, dtype=object)}


# --- small helpers ------------------------------------------------------------------------------------------


def _district_row(project: CensusProject, code: str) -> pd.Series:
    districts = project["districts"]
    rows = np.flatnonzero(districts["code"].to_numpy(object) == str(code))
    if not len(rows):
        raise EditError("district_unknown", district=str(code))
    row = districts.iloc[int(rows[0])]
    if row.geometry is None or row.geometry.is_empty:
        raise EditError("edit_split_district_no_cut", code=str(code))
    return row


def _row(template: pd.Series, **values) -> dict:
    row = template.to_dict()
    row["geometry"] = template.geometry
    row.update(values)
    return row


def _next_district_seqs(project: CensusProject, village: str, n: int) -> list[int]:
    """`n` district numbers of `village` after its highest (an unnumbered district counts as 1)."""
    d = project["districts"]
    seqs = d["seq"].to_numpy()[d["village_code"].to_numpy(object) == village]
    top = max([max(int(s), 1) for s in seqs], default=0)
    return list(range(top + 1, top + 1 + n))


def _people_in(project: CensusProject, faces: list) -> np.ndarray:
    """People of the buildings in each of `faces`."""
    buildings = project["buildings"]
    if not len(buildings):
        return np.zeros(len(faces))
    where = holding_index(np.asarray(buildings.geometry.array, dtype=object), np.array(faces, dtype=object))
    inside = where >= 0
    return np.bincount(where[inside], weights=buildings["population"].to_numpy()[inside], minlength=len(faces))


def _refuse_cut_buildings(project: CensusProject, line, code: str) -> None:
    """EditError when `line` (a new district boundary) runs through a building's footprint."""
    buildings = project["buildings"]
    if line is None or line.is_empty or not len(buildings):
        return
    near = buildings.sindex.query(line, predicate="intersects")
    footprints = np.asarray(buildings.geometry.array, dtype=object)[near]
    crossed = np.flatnonzero(shapely.relate_pattern(footprints, line, "T********"))
    if len(crossed):
        raise EditError("edit_district_crosses_building", code=code, building=name_of(buildings.iloc[int(near[crossed[0]])]))

