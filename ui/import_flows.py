"""ImportFlows: File → Import of more data into the open project — a previous census's division, more
buildings — each read by the engine in the background and pushed as one undoable step, or refused with the
engine's message (file, layer, feature, field) leaving the project as it was."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from gis_census.editing import import_areas_edit, import_buildings_edit

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
        """Read a previous census's small areas (``gis-census import-areas``) as the project's small areas;
        when it has some already, the user is asked before they are replaced (undo brings them back)."""
        if self.document is None:
            return
        path = self.ask_file(self.tr("Import Previous Division"))
        if not path:
            return
        replace = len(self.document.project["small_areas"]) > 0
        if replace and not self.window.ask(self.tr("Import Previous Division"), self.tr(
                "The project has {n} small areas. Replace them by the previous division? (Undo brings them back.)")
                .format(n=len(self.document.project["small_areas"]))):
            return
        snapshot = self.document.snapshot()
        self.window.job_flows.start(self.tr("Importing the previous division…"),
                                    lambda feedback: import_areas_edit(snapshot, path, replace=replace)[0])

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
