"""Undoable edits of the household register: an address settled at a building by hand, a table imported.

Both run the register's own verbs (:mod:`gis_census.register.store`) on a working copy of the project and return
the difference as an :class:`~gis_census.editing.edit.Edit` over the layers they change — the register's rows,
the remembered choices, and the buildings' and small areas' counts when the register balances the division — so
undoing one puts the rows, the choices and the counts back exactly.
"""

from __future__ import annotations

import pandas as pd

from gis_census.editing.buildings import name_of
from gis_census.editing.edit import Edit, EditError, _working_copy, diff_layers, key_values
from gis_census.project import CensusProject
from gis_census.register import match as _match
from gis_census.register.store import RegisterImport, import_register, settle_address

__all__ = ["settle_edit", "register_import_edit"]

#: The layers a register edit may change.
CHANGED = ("register", "register_choices", "buildings", "small_areas")


def settle_edit(project: CensusProject, address: str, building_id: int, village: str = "") -> Edit:
    """Place every register row whose address reads as `address` does (normalised; in `village`, its 所属村 as
    the rows write it) in building `building_id`, and remember the choice for the next import
    (:func:`~gis_census.register.store.settle_address`).

    Example
    -------
    >>> history.push(settle_edit(project, "南关街十二号", 1043))
    """
    buildings = project["buildings"]
    rows = buildings[buildings["id"].to_numpy() == int(building_id)]
    if rows.empty:
        raise EditError("edit_unknown_feature", role="buildings", feature=str(building_id))
    work = _work(project)
    placed = settle_address(work, str(address), int(building_id), str(village or ""))
    edit = _diff(project, work, "edit_settle_register", set())  # checked again only where counts changed
    return Edit(edit.label, edit.diffs, edit.districts, (), (("building", name_of(rows.iloc[0])),
                                                              ("address", str(address)), ("n", str(placed))))


def register_import_edit(project: CensusProject, table: pd.DataFrame,
                         renames: dict[str, str] | None = None) -> tuple[Edit, RegisterImport]:
    """Store `table` (one kind, as :func:`~gis_census.register.read_register_table` reads it) in place of that
    kind's rows, an old street name of `renames` matched under its present name
    (:func:`~gis_census.register.store.import_register`); return the edit and what was stored."""
    work = _work(project)
    stored = import_register(work, table, renames)
    edit = _diff(project, work, "edit_register_import", set())
    return Edit(edit.label, edit.diffs, edit.districts, (), (("kind", stored.kind), ("rows", str(stored.rows)))), stored


def _work(project: CensusProject) -> CensusProject:
    """A working copy: the register's verbs replace the layers they change, never change them in place, so
    sharing the layers is safe; the matcher's index of the buildings (same layer) is shared too, since
    building it again for every settled row costs what the click should not."""
    work = _working_copy(project, ())
    _match._CACHE[work] = _match._index(project)  # kept on the project for the next edit
    return work


def _diff(project: CensusProject, work: CensusProject, label: str, districts: set[str]) -> Edit:
    for frame in (project["register"], work.layers["register"]):
        keys = key_values(frame, "register")
        if len(set(keys)) != len(keys):  # not from read_register_table: rows undo could not tell apart
            raise EditError("edit_register_rows_repeated")
    edit = diff_layers({n: project[n] for n in CHANGED}, {n: work.layers[n] for n in CHANGED}, label, districts)
    changed = edit.diff("buildings")
    if changed is not None:  # counts moved: those districts are checked again
        for frame in (changed.removed, changed.added):
            districts |= set(frame["district_code"]) - {""}
    return Edit(label, edit.diffs, frozenset(districts))
