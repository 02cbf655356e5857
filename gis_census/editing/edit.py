"""The diff model of undoable edits: rows removed and added per layer, applied by key."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.errors import CensusError
from gis_census.i18n import tr
from gis_census.project import PREVIOUS, CensusProject, conform_layer
from gis_census.schema import LAYERS

__all__ = ["KEYS", "ROW_KEYS", "key_values",
           "LayerDiff", "Edit", "EditError", "apply_edit", "diff_layers", "divide_edit", "divide_districts_edit", "renumber_edit", "update_edit"]

#: The field that identifies a feature of each editable layer.
KEYS = {"small_areas": "code", "buildings": "id", "districts": "code", "villages": "code", PREVIOUS: "code"}
#: The tables without one key field, and the fields that together tell their rows apart. A register row is
#: known by where it was read (an import replaces a kind's rows with those of one file, so kind, file, sheet
#: and spreadsheet row are unique and stay the same through settling, saving and reopening); a settled choice
#: by its normalised address.
ROW_KEYS: dict[str, tuple[str, ...]] = {"register": ("kind", "file", "sheet", "row"), "register_choices": ("address",)}


def key_values(gdf: pd.DataFrame, layer: str) -> np.ndarray:
    """The key of each row of `gdf` (a version of layer `layer`): its KEYS field, or its ROW_KEYS fields
    joined into one text."""
    if layer in KEYS:
        return gdf[KEYS[layer]].to_numpy()
    fields = ROW_KEYS[layer]
    if len(fields) == 1:
        return gdf[fields[0]].to_numpy()
    columns = [gdf[f].astype(str).to_numpy(object) for f in fields]
    return np.array(["\x1f".join(parts) for parts in zip(*columns)], dtype=object)


class EditError(CensusError):
    """An edit was refused; the project is unchanged. The message names the feature concerned."""


@dataclass(frozen=True, eq=False)
class LayerDiff:
    """Rows of one layer as they were before an edit (`removed`) and as they are after it (`added`).

    `removed_at` and `added_at`, when given, are the row positions of `removed` in the layer before the
    edit and of `added` in the layer after it: an added row whose key is new to the layer goes to its
    position (not the end), so that undoing a delete puts the rows back where they stood.
    """

    layer: str
    removed: gpd.GeoDataFrame
    added: gpd.GeoDataFrame
    removed_at: tuple[int, ...] = ()
    added_at: tuple[int, ...] = ()

    def inverse(self) -> LayerDiff:
        return LayerDiff(self.layer, self.added, self.removed, self.added_at, self.removed_at)

    def is_empty(self) -> bool:
        return self.removed.empty and self.added.empty


@dataclass(frozen=True, eq=False)
class Edit:
    """One undoable change of the project.

    `label` is the message key naming it; `codes` (and `params`, extra message fields) fill the
    message in; `districts` are the district codes whose small areas or buildings changed.
    """

    label: str
    diffs: tuple[LayerDiff, ...]
    districts: frozenset[str]
    codes: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()

    def inverse(self) -> Edit:
        """The edit that undoes this one (same label and text)."""
        return dataclasses.replace(self, diffs=tuple(d.inverse() for d in self.diffs))

    def text(self, lang: str | None = None) -> str:
        """The edit in words, e.g. "拆分普查小区 370481102201003"."""
        params = dict(self.params)
        if "layer" in params:  # a layer is named in the reader's language
            params["layer"] = tr("layer_" + params["layer"], lang)
        return tr(self.label, lang, codes=", ".join(map(str, self.codes)), **params)

    def is_empty(self) -> bool:
        return all(d.is_empty() for d in self.diffs)

    def diff(self, layer: str) -> LayerDiff | None:
        """The diff of `layer`, or None when the edit leaves it alone."""
        return next((d for d in self.diffs if d.layer == layer), None)


def apply_edit(project: CensusProject, edit: Edit) -> None:
    """Apply `edit` to `project.layers`: a removed row is replaced in place by the added row with its key,
    dropped when there is none; added rows with new keys go at the end.

    Layers are replaced by new frames, never changed in place; where only attributes change, the new
    frame shares the geometry (and its cached spatial index) with the old one.
    """
    for diff in edit.diffs:
        if not diff.is_empty():
            project.layers[diff.layer] = _apply_diff(project.layers[diff.layer], diff)


def _apply_diff(gdf: gpd.GeoDataFrame, diff: LayerDiff) -> gpd.GeoDataFrame:
    name = diff.layer
    keys = key_values(gdf, name)
    index = pd.Index(keys)
    r_keys = key_values(diff.removed, name)
    a_keys = key_values(diff.added, name)
    added = diff.added
    if index.is_unique:
        r_pos = index.get_indexer(r_keys)
    else:
        r_pos = np.flatnonzero(index.isin(r_keys))
        r_keys = keys[r_pos]
    r_pos_ok = r_pos >= 0
    r_pos, r_keys = r_pos[r_pos_ok], r_keys[r_pos_ok]
    a_index = pd.Index(a_keys)
    a_of_removed = a_index.get_indexer(r_keys) if len(a_keys) else np.full(len(r_keys), -1)
    new_rows = np.flatnonzero(~pd.Index(a_keys).isin(r_keys)) if len(a_keys) else np.zeros(0, dtype=int)
    same_columns = list(added.columns) == list(gdf.columns)
    if same_columns and (a_of_removed >= 0).all() and not len(new_rows):
        out = _replace_rows(gdf, r_pos, added, a_of_removed)
    else:
        take = np.arange(len(gdf))
        dropped = np.zeros(len(gdf), dtype=bool)
        dropped[r_pos[a_of_removed < 0]] = True
        replaced = a_of_removed >= 0
        take[r_pos[replaced]] = len(gdf) + a_of_removed[replaced]
        take = np.r_[take[~dropped], len(gdf) + new_rows].astype(int)
        extra = conform_layer(name, added.set_crs(gdf.crs, allow_override=True)) if len(added) else None
        both = gdf if extra is None else pd.concat([conform_layer(name, gdf) if not _conformed(name, gdf) else gdf, extra],
                                                   ignore_index=True)
        out = both.iloc[take].reset_index(drop=True)
        if len(new_rows) and len(diff.added_at) == len(a_keys):
            out = _to_positions(out, np.asarray(diff.added_at, dtype=int)[new_rows])
    return out if _conformed(name, out) else conform_layer(name, out)


def _to_positions(out: gpd.GeoDataFrame, targets: np.ndarray) -> gpd.GeoDataFrame:
    """`out`, whose last ``len(targets)`` rows are new, with those rows moved to row positions `targets`
    (the others keeping their order); unchanged when the positions do not fit."""
    n, m = len(out), len(targets)
    if len(np.unique(targets)) != m or (targets < 0).any() or (targets >= n).any():
        return out
    order = np.full(n, -1, dtype=int)
    order[targets] = np.arange(n - m, n)
    order[order < 0] = np.arange(n - m)
    return out.iloc[order].reset_index(drop=True)


def _replace_rows(gdf: gpd.GeoDataFrame, pos: np.ndarray, added: gpd.GeoDataFrame, rows: np.ndarray) -> gpd.GeoDataFrame:
    """`gdf` with the rows at `pos` replaced by rows `rows` of `added`, columns that do not change shared."""
    out = gdf.copy(deep=False)
    geom = gdf.geometry.name
    for col in gdf.columns:
        if col == geom:
            old = np.asarray(gdf.geometry.array, dtype=object)
            new = np.asarray(added.geometry.array, dtype=object)[rows]
            if not _same_geoms(old[pos], new).all():
                values = old.copy()
                values[pos] = new
                out[geom] = gpd.GeoSeries(values, index=out.index, crs=gdf.crs)
            continue
        old = gdf[col].to_numpy()
        new = added[col].to_numpy()[rows]
        if len(pos) and not np.array_equal(old[pos], new):
            values = old.copy()
            values[pos] = new
            out[col] = pd.Series(values, index=out.index, dtype=gdf[col].dtype)
    return out


def _conformed(name: str, gdf: gpd.GeoDataFrame) -> bool:
    """Whether `gdf` already has the schema's columns, in order, with their dtypes."""
    fields = LAYERS[name].fields
    columns = list(gdf.columns)
    if columns[: len(fields)] != list(fields) or columns[-1] != gdf.geometry.name or not gdf.index.equals(pd.RangeIndex(len(gdf))):
        return False
    for col, kind in fields.items():
        dtype = gdf[col].dtype
        if (kind == "str" and dtype.kind != "O") or (kind != "str" and str(dtype) != kind):
            return False
    return True


def _same_geoms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise: the same geometry, coordinate for coordinate (missing equals missing)."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    same = np.fromiter((x is y for x, y in zip(a, b)), dtype=bool, count=len(a))
    rest = ~same
    if rest.any():
        ma, mb = shapely.is_missing(a[rest]), shapely.is_missing(b[rest])
        exact = shapely.equals_exact(a[rest], b[rest], tolerance=0) & (shapely.get_type_id(a[rest]) == shapely.get_type_id(b[rest]))
        same[rest] = (ma & mb) | exact
    return same


def diff_layers(before: dict[str, gpd.GeoDataFrame], after: dict[str, gpd.GeoDataFrame], label: str,
                districts, codes=(), params=()) -> Edit:
    """The edit that turns the layers `before` into `after`, by key: rows that appear, disappear or
    differ in any field or in geometry."""
    diffs = []
    for name in before:
        if name not in after:
            continue
        old, new = before[name], after[name]
        old_keys, new_keys = key_values(old, name), key_values(new, name)
        in_new = pd.Index(new_keys).get_indexer(old_keys) if pd.Index(new_keys).is_unique else None
        if in_new is None:
            key = KEYS.get(name) or ", ".join(ROW_KEYS[name])
            raise ValueError(f"layer {name} has repeated {key} values: cannot tell rows apart")
        common = in_new >= 0
        o_rows, n_rows = np.flatnonzero(common), in_new[common]
        changed = ~_same_geoms(np.asarray(old.geometry.array, dtype=object)[o_rows], np.asarray(new.geometry.array, dtype=object)[n_rows])
        for col in old.columns:
            if col == old.geometry.name:
                continue
            if col not in new.columns:
                changed[:] = True
                break
            a, b = old[col].to_numpy()[o_rows], new[col].to_numpy()[n_rows]
            changed |= ~((a == b) | (pd.isna(a) & pd.isna(b)))
        if set(new.columns) - set(old.columns):
            changed[:] = True
        gone = np.flatnonzero(~common)
        appeared = np.flatnonzero(~pd.Index(new_keys).isin(old_keys))
        removed_at = np.r_[o_rows[changed], gone].astype(int)
        added_at = np.r_[n_rows[changed], appeared].astype(int)
        diff = LayerDiff(name, old.iloc[removed_at].reset_index(drop=True), new.iloc[added_at].reset_index(drop=True),
                         tuple(removed_at.tolist()), tuple(added_at.tolist()))
        if not diff.is_empty():
            diffs.append(diff)
    return Edit(label, tuple(diffs), frozenset(districts), tuple(codes), tuple(params))


def _working_copy(project: CensusProject, names: tuple[str, ...]) -> CensusProject:
    """A project sharing every layer with `project` except `names`, which are copied (jobs change those in place)."""
    copy = CensusProject.__new__(CensusProject)
    copy.meta = dataclasses.replace(project.meta)
    copy.layers = dict(project.layers)
    for name in names:
        copy.layers[name] = project.layers[name].copy()
    copy.path = project.path
    return copy


def _with_previous(project: CensusProject, work: CensusProject, names: tuple[str, ...]) -> tuple[str, ...]:
    """`names`, and the previous division when the job on `work` kept it
    (:func:`~gis_census.project.keep_previous_division`): part of the same undo step."""
    return (*names, PREVIOUS) if work.layers[PREVIOUS] is not project.layers[PREVIOUS] else names


def divide_edit(project: CensusProject, district_code: str, feedback=None, **divide_kwargs):
    """Auto-divide and number district `district_code` (:func:`gis_census.divide.divide_and_number`, the
    command line's job) on a copy of the project; return ``(Edit, DivisionResult)``.
    """
    from gis_census.divide import divide_and_number

    if district_code not in set(project["districts"]["code"]):
        raise EditError("district_unknown", district=district_code)
    names: tuple[str, ...] = ("small_areas", "buildings")
    work = _working_copy(project, names)
    results, _ = divide_and_number(work, [district_code], feedback=feedback, **divide_kwargs)
    if not results:  # canceled
        return Edit("edit_divide", (), frozenset(), (district_code,)), None
    names = _with_previous(project, work, names)
    before = {n: project.layers[n] for n in names}
    after = {n: work.layers[n] for n in names}
    return diff_layers(before, after, "edit_divide", {district_code}, (district_code,)), results[0]


def divide_districts_edit(project: CensusProject, district_codes, feedback=None, **divide_kwargs):
    """Auto-divide and number several districts (a village's, or the whole township's) as one edit; return
    ``(Edit, [DivisionResult])``. Districts that already have small areas are divided afresh like
    :func:`divide_edit` does. A canceled job returns an empty edit and no results: a part-divided township
    is never one undo step.
    """
    from gis_census.divide import divide_and_number

    codes = [district_codes] if isinstance(district_codes, str) else list(district_codes)
    known = set(project["districts"]["code"])
    for code in codes:
        if code not in known:
            raise EditError("district_unknown", district=code)
    names = ("small_areas", "buildings")
    shown = tuple(codes) if len(codes) <= 3 else (f"{codes[0]} … {codes[-1]} ({len(codes)})",)
    work = _working_copy(project, names)
    results, _ = divide_and_number(work, codes, feedback=feedback, **divide_kwargs)
    if not results or len(results) < len(codes) or (feedback is not None and feedback.is_canceled()):
        return Edit("edit_divide", (), frozenset(), shown), []
    before = {n: project.layers[n] for n in names}
    after = {n: work.layers[n] for n in names}
    return diff_layers(before, after, "edit_divide", set(codes), shown), results


def renumber_edit(project: CensusProject, district_codes=None) -> Edit:
    """Recode the small areas, buildings and supervisor groups of `district_codes` (default all) on a copy
    (see :func:`gis_census.numbering.codes.assign_codes`) and return the change as an edit."""
    from gis_census.numbering.codes import assign_codes

    if isinstance(district_codes, str):
        district_codes = [district_codes]
    present = set(project["small_areas"]["district_code"])
    if district_codes is not None:
        for code in district_codes:
            if code not in present:
                raise EditError("district_unknown", district=code)
    names = ("small_areas", "buildings")
    work = _working_copy(project, names)
    assign_codes(work, None if district_codes is None else list(district_codes))
    done = sorted(present if district_codes is None else set(district_codes))
    shown = tuple(done) if district_codes is not None else ()
    label = "edit_renumber" if district_codes is not None else "edit_renumber_all"
    return diff_layers({n: project.layers[n] for n in names}, {n: work.layers[n] for n in names}, label, done, shown)


def update_edit(project: CensusProject, districts=None, feedback=None):
    """Update the division of `districts` (default: those with a small area outside the band) changing only
    where it must (:func:`gis_census.divide.update.update_division`, the command line's ``divide --update``) on a
    copy of the project; return ``(Edit, UpdateReport)``. The edit is empty when nothing needed to change or
    the job was canceled.
    """
    from gis_census.divide.update import update_division

    if isinstance(districts, str):
        districts = [districts]
    known = set(project["districts"]["code"])
    for code in districts or ():
        if code not in known:
            raise EditError("district_unknown", district=code)
    names: tuple[str, ...] = ("small_areas", "buildings")
    work = _working_copy(project, names)
    report = update_division(work, None if districts is None else list(districts), feedback=feedback)
    if report.canceled:
        return Edit("edit_update", (), frozenset(), tuple(report.districts)), report
    names = _with_previous(project, work, names)
    return diff_layers({n: project.layers[n] for n in names}, {n: work.layers[n] for n in names}, "edit_update",
                       report.districts, tuple(report.districts)), report
