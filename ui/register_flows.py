"""RegisterFlows: File → Import → Register… (read and match in the background, one undo step) and settling an
address chosen in the Register panel by a click on its building."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import shapely
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog

from gis_census.editing import register_import_edit
from gis_census.register import KINDS, read_register_table, read_renames
from ui.canvas.map_canvas import PICK_BUILDINGS_SCALE

__all__ = ["RegisterFlows"]


class RegisterFlows(QObject):
    """The window's register dialogues. `choose_file`, `choose_kind` and `choose_renames` ask the user (tests
    replace them)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.choose_file = self._choose_file
        self.choose_kind = self._choose_kind
        self.choose_renames = self._choose_renames
        self._highlighted = False

    def kind_names(self) -> dict[str, str]:
        """Each kind of register (户籍, 暂住, 境外) as the interface names it."""
        return dict(zip(KINDS, (self.tr("Registered residents (户籍)"), self.tr("Temporary residents (暂住)"),
                                self.tr("People from abroad (境外)"))))

    def import_register(self) -> None:
        """Ask for the table and its kind, then :meth:`import_register_from` it."""
        if self.window.document is None:
            return
        path = self.choose_file()
        if not path:
            return
        kind = self.choose_kind()
        if kind:
            renames = self.choose_renames()
            self.import_register_from(Path(path), kind, Path(renames) if renames else None)

    def import_register_from(self, path: Path, kind: str, renames: Path | None = None) -> None:
        """Read the register table at `path` as `kind` and match it to the buildings in the background (an old
        street name in the renamings file `renames`, 旧名/现名, under its present name); store it in place of that
        kind's rows as one undo step. A file that cannot be read is refused whole, each fault named."""
        snapshot = self.window.document.snapshot()
        title = self.tr("Import Register")

        def done(outcome) -> None:
            edit, stored = outcome
            self.window.document.push(edit)
            message = self.tr(
                "Imported {rows} register rows: {matched} placed in a building, {ambiguous} with several candidates, "
                "{unmatched} with none (Register panel)").format(
                rows=f"{stored.rows:,}", matched=f"{stored.matched:,}", ambiguous=f"{stored.ambiguous:,}",
                unmatched=f"{stored.unmatched:,}")
            if stored.stairwells:
                message += self.tr("; the stairwells of {n} blocks recorded from the stairwell numbers in their addresses").format(
                    n=f"{stored.stairwells:,}")
            self.window.statusBar().showMessage(message, 15000)
            self.window.register_dock.show()
            self.window.register_dock.raise_()

        self.window.job_flows.start(
            title, lambda feedback: register_import_edit(snapshot, read_register_table(path, kind=kind),
                                                         read_renames(renames) if renames else None), done)

    def address_chosen(self, address: str, village: str, candidates: tuple) -> None:
        """An address chosen in the Register panel (or none): the map's settle tool takes it, and an ambiguous
        address's candidate buildings are marked and brought into view."""
        canvas = self.window.canvas
        canvas.register_address, canvas.register_village = address, village
        if self._highlighted:
            canvas.set_highlight(None)
            self._highlighted = False
        if not address or self.window.document is None:
            return
        if canvas.tool.name != "settle_register":
            self.window.ui.tool_actions["settle_register"].setChecked(True)
            canvas.set_tool("settle_register")
        buildings = self.window.document.project["buildings"]
        footprints = np.asarray(buildings.geometry.array[buildings["id"].isin(list(candidates)).to_numpy()], dtype=object)
        if len(footprints):
            canvas.set_highlight(shapely.union_all(footprints))
            self._highlighted = True
            canvas.zoom_to(tuple(shapely.total_bounds(footprints)), least=150.0)
        elif canvas.view.scale < PICK_BUILDINGS_SCALE:
            self.window.statusBar().showMessage(self.tr("Zoom in to a village, then click the building of {address}").format(
                address=address), 10000)

    def _choose_file(self) -> str:
        path = self.window.document.project.path
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Import Register"), str(path.parent) if path else os.getcwd(),
            self.tr("Register tables (*.xlsx *.xlsm *.csv);;All files (*)"))
        return chosen

    def _choose_renames(self) -> str:
        """The street renamings file, if the office has one (Cancel: none)."""
        path = self.window.document.project.path
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Street Renamings (optional; Cancel if none)"), str(path.parent) if path else os.getcwd(),
            self.tr("Renamings, columns 旧名 and 现名 (*.xlsx *.csv);;All files (*)"))
        return chosen

    def _choose_kind(self) -> str:
        names = self.kind_names()
        chosen, ok = QInputDialog.getItem(self.window, self.tr("Import Register"), self.tr("Kind of register:"),
                                          list(names.values()), 0, False)
        return next((k for k, v in names.items() if v == chosen), "") if ok else ""
