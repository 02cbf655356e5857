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

__all__ = ["ProjectDocument", "EditCommand", "autosave_path"]


def autosave_path(path: str | os.PathLike) -> Path:
    """Where the autosave copy of the project at `path` is kept: beside it, ``NAME.autosave.gpkg``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.autosave.gpkg")


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
        return CensusProject(self.project.meta, dict(self.project.layers), self.project.path)

    def discard_autosave(self) -> None:
        if self.project.path is not None:
            autosave_path(self.project.path).unlink(missing_ok=True)
