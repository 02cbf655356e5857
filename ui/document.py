"""ProjectDocument: the open project, its undo stack, its live check results and its autosave copy."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gis_census.checks import Problem, check_district
from gis_census.checks.scope import replace_district_problems
from gis_census.editing import Edit, apply_edit
from gis_census.project import CensusProject

__all__ = ["ProjectDocument", "EditCommand", "autosave_path", "open_autosave"]

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


class EditCommand(QUndoCommand):
    """An engine `Edit` on the undo stack: redo applies it, undo applies its inverse."""

    def __init__(self, document: "ProjectDocument", edit: Edit):
        super().__init__(edit.text())
        self._document = document
        self._edit = edit

    def redo(self) -> None:
        self._document.apply(self._edit)

    def undo(self) -> None:
        self._document.apply(self._edit.inverse())


class ProjectDocument(QObject):
    """Everything done to the project goes through here, so the views, the checks and undo stay in step."""

    #: An edit was applied (or undone): the views update from its diffs.
    edited = Signal(object)
    #: The problems list changed; the argument is the district re-checked, or "" after a whole check.
    problems_changed = Signal(str)
    #: True when there are changes not saved.
    dirty_changed = Signal(bool)

    def __init__(self, project: CensusProject, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.problems: list[Problem] = []
        self.checked = False  # True once a whole check has filled `problems`

    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def push(self, edit: Edit) -> None:
        """Apply `edit` as an undoable step (nothing happens for an empty edit)."""
        if not edit.is_empty():
            self.undo_stack.push(EditCommand(self, edit))

    def apply(self, edit: Edit) -> None:
        """Apply `edit` to the project, tell the views and re-check the districts it touched."""
        apply_edit(self.project, edit)
        self.edited.emit(edit)
        for district in sorted(edit.districts):
            self.recheck_district(district)

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

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Save atomically (to `path`, or where it came from), mark the stack clean and drop the autosave copy."""
        old = self.project.path
        target = self.project.save(path)
        self.undo_stack.setClean()
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
                AUTOSAVE_EDITS: str(self.undo_stack.index())}

    def discard_autosave(self) -> None:
        if self.project.path is not None:
            autosave_path(self.project.path).unlink(missing_ok=True)
