"""FieldworkFlows: File → Field Work — the pre-count walk's packages written for the enumerators, and what
they bring back read in the background, shown as a change report, and applied as one undoable step."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gis_census.editing import EditError
from gis_census.fieldwork import FieldChanges, export_fieldwork, fieldwork_edit, read_fieldwork
from gis_census.i18n import current_language

__all__ = ["FieldworkFlows", "ChangeReportDialog"]


class ChangeReportDialog(QDialog):
    """What an import of field work would change, per small area; Apply or Cancel."""

    def __init__(self, changes: FieldChanges, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Field Work: Changes"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        flagged = changes.flagged()
        summary = self.tr("Apply these corrections as one step (Edit → Undo takes them back).")
        if flagged:
            summary = self.tr("Small areas that leave the population band after the walk: {n}. Re-divide their districts "
                              "afterwards (Tools → Auto-Divide District).").format(n=len(flagged)) + "\n" + summary
        note = QLabel(summary)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.report = QPlainTextEdit(changes.text(current_language()))
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class FieldworkFlows(QObject):
    """The window's field-work dialogues. `review` shows the change report and says whether to apply
    it (tests replace it); reading and writing run as background jobs (:class:`ui.job_flows.JobFlows`)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.review = lambda changes: ChangeReportDialog(changes, window).exec() == QDialog.DialogCode.Accepted

    def export_packages(self) -> None:
        """Ask for a folder and write the packages of the selection there (see :meth:`export_packages_to`)."""
        document = self.window.document
        if document is None:
            return
        path = document.project.path
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Export Field Work To"),
                                                  str(path.parent) if path else os.getcwd())
        if not folder:
            return
        with_register = len(document.project["register"]) > 0 and QMessageBox.question(
            self.window, self.tr("Export Field Work"),
            self.tr("Also put each small area's household register rows in its folder?\n\n"
                    "They hold names and ID numbers: hand each folder to its enumerator only."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
        self.export_packages_to(Path(folder), with_register)

    def export_packages_to(self, folder: Path, with_register: bool = False) -> None:
        """Write the field-work package (map, phone map files, household register) of the one selected small
        area, else of the selected area's district, else of every small area, into `folder`; `with_register`:
        with each area's rows of the household register (personal data)."""
        selection = self.window.canvas.selection
        small_area = selection[0] if len(selection) == 1 else None
        district = self.window.selected_district() if small_area is None else None
        snapshot = self.window.document.snapshot()
        self.window.job_flows.start(
            self.tr("Writing the field-work packages…"),
            lambda feedback: export_fieldwork(snapshot, folder, district=district, small_area=small_area,
                                              feedback=feedback, lang=current_language(), with_register=with_register),
            lambda written: self.window.statusBar().showMessage(
                self.tr("Wrote the field-work packages of {n} small areas to {folder}").format(
                    n=len({path.parent for path in written}), folder=folder), 15000),
            stale="deliver")

    def import_results(self) -> None:
        """Ask for the filled registers and edited map files, then :meth:`import_results_from` them."""
        document = self.window.document
        if document is None:
            return
        path = document.project.path
        chosen, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Import Field Work"), str(path.parent) if path else os.getcwd(),
            self.tr("Registers and map files (*.xlsx *.geojson *.json *.gpkg *.kml);;All files (*)"))
        if chosen:
            self.import_results_from([Path(p) for p in chosen])

    def import_results_from(self, paths: list[Path]) -> None:
        """Read `paths` in the background; show the change report; on Apply, push the changes as one edit.
        A file with entries that cannot be used is refused whole, each entry named."""
        document = self.window.document
        snapshot = document.snapshot()
        title = self.tr("Import Field Work")

        def read(changes: FieldChanges) -> None:
            if changes.is_empty():
                self.window.report_error(title, self.tr("The files change nothing in the project."))
                return
            if not self.review(changes):
                return
            try:
                document.push(fieldwork_edit(document.project, changes))
            except EditError as exc:
                self.window.report_error(title, exc.message())

        self.window.job_flows.start(title, lambda feedback: read_fieldwork(snapshot, paths), read)
