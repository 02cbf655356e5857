"""ImportFlows: File → Import of more data into the open project — a previous census's division to compare
with, small areas to start from, more buildings — each read by the engine in the background and pushed as one undoable step, or refused with the
engine's message (file, layer, feature, field) leaving the project as it was."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from gis_census.editing import import_areas_edit, import_buildings_edit
from gis_census.project import PREVIOUS

__all__ = ["ImportFlows"]


class ImportFlows(QObject):
    """The window's imports; files are asked for through `ask_file`, which tests replace."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    @property
    def document(self):
        return self.window.document

    def import_previous_division(self) -> None:
        """Read a previous census's small areas (``gis-census import-areas --previous``) as the reference the
        division is compared with and drawn beside; one already there is replaced only when the user agrees."""
        self._import_areas(previous=True)

    def import_small_areas(self) -> None:
        """Read small areas (``gis-census import-areas``) as the project's own, to start from or edit; the
        buildings are located in them. The user is asked before areas already there are replaced."""
        self._import_areas(previous=False)

    def _import_areas(self, previous: bool) -> None:
        if self.document is None:
            return
        title = self.tr("Import Previous Division") if previous else self.tr("Import Small Areas")
        path = self.ask_file(title)
        if not path:
            return
        held = len(self.document.project[PREVIOUS if previous else "small_areas"])
        question = (self.tr("The project holds a previous division of {n} small areas. Replace it? (Undo brings it back.)")
                    if previous else
                    self.tr("The project has {n} small areas. Replace them by those of the file? (Undo brings them back.)"))
        if held and not self.window.ask(title, question.format(n=held)):
            return
        snapshot = self.document.snapshot()
        self.window.job_flows.start(self.tr("Importing small areas…"),
                                    lambda feedback: import_areas_edit(snapshot, path, replace=held > 0, previous=previous)[0])

    def import_buildings(self) -> None:
        """Add the buildings of a file (read as ``gis-census new`` reads them) as one undoable step."""
        if self.document is None:
            return
        path = self.ask_file(self.tr("Import Buildings"))
        if not path:
            return
        snapshot = self.document.snapshot()
        self.window.job_flows.start(self.tr("Importing buildings…"),
                                    lambda feedback: import_buildings_edit(snapshot, path)[0])

    def ask_file(self, title: str) -> str:
        """A GIS file chosen by the user ("" when cancelled)."""
        project = self.document.project if self.document else None
        start = str(project.path.parent) if project and project.path else os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self.window, title, start, self.tr("GIS files (*.gpkg *.shp *.geojson *.json *.kml *.zip);;All files (*)"))
        return path
