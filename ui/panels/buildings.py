"""BuildingsPanel: the buildings of the selected small area in their numbered order, one row each."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.building_text import building_title, use_label

__all__ = ["BuildingsPanel", "ID_ROLE"]

#: Role giving a row's building id (any column).
ID_ROLE = Qt.ItemDataRole.UserRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # read-only: edits go through the attributes panel
#: Columns: (field, numeric). The name is the building's one name (rules.building_name).
COLUMNS = (("number", True), ("name", False), ("address", False), ("use", False), ("households", True),
           ("population", True), ("units", True))
ADDRESS = 2

class BuildingsPanel(QWidget):
    """The buildings of one small area: number, name, address, use (special units marked), households,
    people and stairwells. A row clicked emits `buildings_selected`; `select_buildings` follows the map."""

    #: The user selected rows: the ids of their buildings.
    buildings_selected = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = None
        self.area: str | None = None
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Name"), self.tr("Address"), self.tr("Use"), self.tr("Households"),
            self.tr("People"), self.tr("Stairwells")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ADDRESS, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._rows_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.show_area(None)

    def attach(self, document) -> None:
        """Follow `document`: its edits refresh the rows shown."""
        self.document = document
        document.edited.connect(lambda _edit: self.show_area(self.area))
        self.show_area(None)

    def show_area(self, code: str | None) -> None:
        """List the buildings of small area `code` (None: none), keeping the rows selected that remain."""
        chosen = self.selected_ids()
        self.area = code
        rows = _area_buildings(self.document.project["buildings"], code) if self.document and code else None
        with QSignalBlocker(self.table):
            self.table.setRowCount(0 if rows is None else len(rows))
            for r, row in enumerate([] if rows is None else (row for _, row in rows.iterrows())):
                for c, (field, numeric) in enumerate(COLUMNS):
                    item = QTableWidgetItem(_cell(row, field))
                    item.setData(ID_ROLE, int(row["id"]))
                    item.setFlags(_FLAGS)
                    if numeric:
                        item.setTextAlignment(_RIGHT)
                    self.table.setItem(r, c, item)
        if rows is None:
            self.summary.setText(self.tr("Select a small area to list its buildings"))
        else:
            self.summary.setText(self.tr("Small area {code}: {n} buildings, {people} people").format(
                code=code, n=len(rows), people=f"{int(rows['population'].sum()):,}"))
        self.select_buildings(chosen)

    def select_buildings(self, ids: list[int]) -> None:
        """Select the rows of these buildings (no signal) and scroll to the first."""
        wanted = {int(i) for i in ids}
        rows = [r for r in range(self.table.rowCount()) if self.table.item(r, 0).data(ID_ROLE) in wanted]
        model = self.table.selectionModel()
        with QSignalBlocker(self.table), QSignalBlocker(model):
            self.table.clearSelection()
            for r in rows:
                model.select(self.table.model().index(r, 0), model.SelectionFlag.Select | model.SelectionFlag.Rows)
        self.table.viewport().update()
        if rows:
            self.table.scrollToItem(self.table.item(rows[0], 0))

    def selected_ids(self) -> list[int]:
        """The ids of the buildings selected, in row order."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(ID_ROLE) for r in rows]

    def row_of(self, building_id: int) -> int | None:
        """The row showing building `building_id`, if listed."""
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(ID_ROLE) == building_id:
                return r
        return None

    def _rows_selected(self) -> None:
        self.buildings_selected.emit(self.selected_ids())


def _area_buildings(buildings: pd.DataFrame, code: str) -> pd.DataFrame:
    """The buildings of small area `code` by number (unnumbered ones last, by id)."""
    mine = buildings[buildings["small_area_code"].to_numpy(object) == code]
    unnumbered = (mine["number"].to_numpy() <= 0).astype(np.int8)
    order = np.lexsort((mine["id"].to_numpy(), mine["number"].to_numpy(), unnumbered))
    return mine.iloc[order]


def _cell(row: pd.Series, field: str) -> str:
    if field == "name":
        return building_title(row)
    if field == "use":
        return use_label(row["use"])
    value = row.get(field)
    if value is None or pd.isna(value):
        return ""
    if field == "number":
        return str(int(value)) if int(value) > 0 else ""
    return str(value) if isinstance(value, str) else f"{int(value):,}"
