"""ProjectDocument: the open project, its edit history, its live check results and its autosave copy."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QObject, Signal

from gis_census.checks import Problem, check_district
from gis_census.checks.scope import replace_district_problems
from gis_census.checks.store import problems_layer
from gis_census.editing import Edit, EditError, History, area_crossed, split_district, split_small_area
from gis_census.project import CensusProject

__all__ = ["ProjectDocument", "autosave_path", "open_autosave", "district_crossed"]

#: census_meta keys of an autosave copy: the project revision its work is based on, that file's id, its edits.
AUTOSAVE_OF_REVISION = "autosave_of_revision"
AUTOSAVE_OF_UID = "autosave_of_uid"
AUTOSAVE_EDITS = "autosave_edits"


def autosave_path(path: str | os.PathLike) -> Path:
    """Where the autosave copy of the project at `path` is kept: beside it, ``NAME.autosave.gpkg``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.autosave.gpkg")


def open_autosave(path: str | os.PathLike) -> CensusProject:
    """The autosave copy of the project at `path`, as unsaved work on that file as it was when the work began:
    saving it is refused (and the user asked) if the project was saved by anyone since."""
    path = Path(path)
    project = CensusProject.open(autosave_path(path))
    stored = project.stored_meta
    if AUTOSAVE_OF_REVISION in stored:
        revision, uid = int(stored[AUTOSAVE_OF_REVISION] or 0), stored.get(AUTOSAVE_OF_UID, "")
    else:  # an autosave written before revisions were kept: based on the file as it is now
        current = CensusProject.open(path).base
        revision, uid = current.revision, current.uid
    project.rebase(path, revision, uid)
    project.stored_meta = {k: v for k, v in stored.items()
                           if k not in (AUTOSAVE_OF_REVISION, AUTOSAVE_OF_UID, AUTOSAVE_EDITS)}
    return project


def district_crossed(project: CensusProject, line, selection=()) -> str | None:
    """The district whose inside `line` runs through: the selected small areas' district among several, else the
    one it runs furthest through; None for none."""
    districts = project["districts"]
    hits = districts.sindex.query(line, predicate="intersects")
    geoms = np.asarray(districts.geometry.array, dtype=object)[hits]
    lengths = shapely.length(shapely.intersection(geoms, line)) if len(hits) else np.zeros(0)
    crossed = [(float(n), districts["code"].iat[int(i)]) for i, n in zip(hits, lengths) if n > 0]
    if not crossed:
        return None
    areas = project["small_areas"]
    chosen = set(areas["district_code"][areas["code"].isin(list(selection))])
    picked = [c for c in crossed if c[1] in chosen]
    return str(max(picked or crossed)[1])


class ProjectDocument(QObject):
    """The open project and its edit history: the views observe its signals, the window and the canvas
    tools change the project only through `perform` (or `push`), so views, checks and undo stay in step."""

    #: An edit was applied (pushed, undone or redone): the views update from its diffs.
    edited = Signal(object)
    #: The problems list changed; the argument is the district re-checked, or "" after a whole check.
    problems_changed = Signal(str)
    #: True when there are changes not saved.
    dirty_changed = Signal(bool)
    #: An edit was refused; the message says why.
    refused = Signal(str)

    def __init__(self, project: CensusProject, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.history = History(project)
        self.history.subscribe(self._applied)
        self.history.subscribe_clean(lambda clean: self.dirty_changed.emit(not clean))
        self.problems: list[Problem] = []
        self.checked = False  # True once a whole check has filled `problems`

    @property
    def dirty(self) -> bool:
        return not self.history.is_clean()

    # -- edits ---------------------------------------------------------------------------------------

    def push(self, edit: Edit) -> None:
        """Apply `edit` as an undoable step (nothing happens for an empty edit)."""
        self.history.push(edit)

    def perform(self, make_edit, *args) -> bool:
        """Build an edit with the engine, ``make_edit(project, *args)``, and push it; a refusal is emitted
        as `refused`. True when pushed."""
        try:
            edit = make_edit(self.project, *args)
        except EditError as exc:
            self.refused.emit(exc.message())
            return False
        self.push(edit)
        return True

    def split_along(self, line, selection=()) -> bool:
        """Split the small area `line` cuts through (the selected one when it cuts several)."""
        code = area_crossed(self.project, line, selection)
        if code is None:
            self.refused.emit(self.tr("Draw the line across one small area, or select the area to split first."))
            return False
        return self.perform(split_small_area, code, line)

    def split_district_along(self, line, selection=()) -> bool:
        """Cut the district `line` runs across (the selected area's district when it crosses several) along it."""
        code = district_crossed(self.project, line, selection)
        if code is None:
            self.refused.emit(self.tr("Draw the line across one district, or select a small area of the district to cut first."))
            return False
        return self.perform(split_district, code, line)

    def _applied(self, edit: Edit) -> None:
        self.edited.emit(edit)
        for district in sorted(edit.districts):
            self.recheck_district(district)

    # -- problems ------------------------------------------------------------------------------------

    def set_problems(self, problems: list[Problem]) -> None:
        """Replace the problems list by a whole check's result."""
        self.problems, self.checked = problems, True
        self.problems_changed.emit("")

    def recheck_district(self, district: str) -> None:
        """Replace the problems of `district` by a fresh check of it."""
        districts = self.project["districts"]
        rows = districts.geometry.array[(districts["code"] == district).to_numpy()]
        self.problems = replace_district_problems(self.problems, district, check_district(self.project, district),
                                                  rows[0] if len(rows) else None)
        self.problems_changed.emit(district)

    def problems_frame(self) -> gpd.GeoDataFrame:
        """The problems as the project's `problems` layer, for drawing."""
        return problems_layer(self.problems, self.project.crs)

    # -- the file ------------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Save atomically (to `path`, or where it came from), mark the history clean and drop the autosave copy."""
        old = self.project.path
        target = self.project.save(path)
        self.history.set_clean()
        for p in {old, target} - {None}:
            autosave_path(p).unlink(missing_ok=True)
        return target

    def snapshot(self) -> CensusProject:
        """A copy sharing the layers' current versions (edits replace layers, never change them in place)."""
        copy = CensusProject(self.project.meta, dict(self.project.layers), self.project.path)
        copy.base, copy.stored_meta = self.project.base, self.project.stored_meta
        return copy

    def autosave_keys(self) -> dict[str, str]:
        """What an autosave copy records besides the project: the file revision its work is based on (so a
        recovery is checked against what was saved since) and how many edits it holds."""
        base = self.project.base
        return {AUTOSAVE_OF_REVISION: str(base.revision if base else 0), AUTOSAVE_OF_UID: base.uid if base else "",
                AUTOSAVE_EDITS: str(self.history.index)}

    def discard_autosave(self) -> None:
        if self.project.path is not None:
            autosave_path(self.project.path).unlink(missing_ok=True)
