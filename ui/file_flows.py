"""FileFlows: opening (with recovery of autosaved work), saving, saving over another program's save,
autosaving, the unsaved-changes question and the recent-files menu of the main window."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gis_census.errors import CensusError, ProjectError
from gis_census.project import CensusProject, remove_leftovers
from ui.document import autosave_path, open_autosave
from ui.new_project_wizard import NewProjectWizard

__all__ = ["FileFlows"]

#: Unsaved work is copied beside the project this often (milliseconds).
AUTOSAVE_MS = 120_000
MAX_RECENT = 8
#: Save refusals that mean another program saved the file since it was opened.
CHANGED_ON_DISK = ("project_changed_on_disk", "project_replaced_on_disk")


class FileFlows(QObject):
    """The window's file dialogues; it asks and reports through the window (``ask``, ``report_error``,
    ``ask_save_changes``, ``ask_changed_on_disk``), which tests replace."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self.wizard: NewProjectWizard | None = None  # the New Project wizard last shown

    @property
    def document(self):
        return self.window.document

    # -- a new project ------------------------------------------------------------------------------

    def new_project(self) -> None:
        """File → New Project: the wizard (shown without blocking; kept as ``self.wizard``); after Finish the
        project is built and saved by a background job and opened here."""
        if not self.confirm_discard():
            return
        project = self.window.project
        start = str(project.path.parent) if project and project.path else os.getcwd()
        self.wizard = NewProjectWizard(self.window, start)
        self.wizard.accepted.connect(lambda w=self.wizard: self.window.job_flows.build_project(w.options(), w.save_path))
        self.wizard.open()

    # -- opening -------------------------------------------------------------------------------------

    def choose_project(self) -> None:
        """Ask for a project file and open it."""
        if not self.confirm_discard():
            return
        project = self.window.project
        start = str(project.path.parent) if project and project.path else os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Open Project"), start, self.tr("Census projects (*.gpkg);;All files (*)")
        )
        if path:
            self.open_project(path)

    def open_project(self, path: str | os.PathLike) -> bool:
        """Open the project at `path`; on failure say why.

        When an autosave copy of it exists (work not saved when gis-census last closed), the user chooses:
        recover it (as unsaved edits, checked against whatever saved the project since when they are saved)
        or discard it. Only that choice removes the copy, whatever else wrote the project meanwhile."""
        window, path = self.window, Path(path)
        backup = autosave_path(path)
        remove_leftovers(backup)  # temporary files of autosaves that were killed midway
        recover = False
        if backup.exists() and path.exists():
            recover = window.ask(self.tr("Recover Unsaved Work"), self.tr(
                "{name} has changes that were not saved when gis-census last closed. Recover them? "
                "(No discards them.)").format(name=path.name))
            if not recover:
                backup.unlink(missing_ok=True)
        try:
            project = open_autosave(path) if recover else CensusProject.open(path)
        except CensusError as exc:
            window.report_error(self.tr("Cannot Open Project"), exc.message())
            return False
        project.path = path.resolve()
        window.set_project(project)
        if recover:
            self.document.history.reset_clean()  # recovered work is not saved yet
        self.remember_recent(path)
        return True

    # -- saving --------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the project where it came from (or ask where); True when saved."""
        if self.document is None:
            return False
        if self.document.project.path is None:
            return self.save_as()
        return self._save_to(self.document.project.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        current = self.document.project.path
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save Project As"), str(current or os.getcwd()),
                                              self.tr("Census projects (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except ProjectError as exc:
            if exc.key in CHANGED_ON_DISK:
                return self._changed_on_disk(path, exc.message())
            self.window.report_error(self.tr("Cannot Save Project"), exc.message())
            return False
        except CensusError as exc:
            self.window.report_error(self.tr("Cannot Save Project"), exc.message())
            return False
        self.remember_recent(path)
        self.window.update_title()
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def _changed_on_disk(self, path: Path, message: str) -> bool:
        """The file was saved by another program since it was opened: never overwrite it. The user reloads
        it (losing these edits, after confirming) or saves these edits as a copy. True when saved as a copy."""
        choice = self.window.ask_changed_on_disk(message)
        if choice == "save_as":
            return self.save_as()
        if choice == "reload" and self.window.ask(self.tr("Reload Project"), self.tr(
                "Reload {name} as it is on disk? The changes made here since it was opened will be lost.")
                .format(name=path.name)):
            self.document.discard_autosave()
            self.document.history.set_clean()
            self.open_project(path)
        return False

    def autosave(self) -> None:
        """Copy unsaved work beside the project, in a thread; a crash then loses at most a few minutes."""
        document = self.document
        if document is None or not document.dirty or document.project.path is None:
            return
        snapshot, target = document.snapshot(), autosave_path(document.project.path)
        threading.Thread(target=_quiet_save, args=(snapshot, target, document.autosave_keys()), daemon=True).start()

    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or discarded them."""
        if self.document is None or not self.document.dirty:
            return True
        answer = self.window.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.document.discard_autosave()
            return True
        return False

    # -- recent files ----------------------------------------------------------------------------------

    def remember_recent(self, path: Path) -> None:
        path = str(Path(path).resolve())
        recent = [p for p in self.recent() if p != path]
        self.window.settings.setValue("recent", [path] + recent[: MAX_RECENT - 1])
        self.fill_recent_menu()

    def recent(self) -> list[str]:
        value = self.window.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def fill_recent_menu(self) -> None:
        menu = self.window.ui.recent_menu
        menu.clear()
        for path in self.recent():
            menu.addAction(path, lambda p=path: self.confirm_discard() and self.open_project(p))
        menu.setEnabled(bool(self.recent()))


def _quiet_save(project: CensusProject, path: Path, keys: dict[str, str]) -> None:
    """Copy `project` to the autosave file `path`; an autosave that fails (disk full) must not disturb the user's work."""
    try:
        project.save_copy(path, keys)
    except CensusError:
        pass
