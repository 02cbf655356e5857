"""RegisterPanel: the household register's addresses no building was found for, to settle by a click on the map.

One line per address as written (with its kind and village): the rows at it counted, their persons and
households summed, and for an ambiguous address the buildings it could be. Names and ID numbers are not shown:
the address is what places a household, and the panel is on a screen others in the office see.
"""

from __future__ import annotations

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

from gis_census.register import AMBIGUOUS, UNMATCHED
from gis_census.rules import building_name

__all__ = ["RegisterPanel", "ADDRESS_ROLE", "CANDIDATES_ROLE", "VILLAGE_ROLE", "unresolved"]

#: Role giving a line's address as written (any column).
ADDRESS_ROLE = Qt.ItemDataRole.UserRole
#: Role giving a line's candidate building ids (any column).
CANDIDATES_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving a line's village as its rows write it (any column).
VILLAGE_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
#: Columns: (key, numeric).
COLUMNS = (("kind", False), ("address", False), ("village", False), ("rows", True), ("persons", True),
           ("households", True), ("status", False), ("candidates", False))
ADDRESS = 1
#: Layers whose edits change what the panel lists.
WATCHED = ("register", "register_choices", "buildings")


def unresolved(project) -> pd.DataFrame:
    """The register's ambiguous and unmatched rows grouped by kind, address, village and status: ``rows``,
    ``persons``, ``households`` summed and ``candidates`` (building ids, for ambiguous addresses), ambiguous
    first, then by village and address."""
    register = project["register"]
    open_rows = register[register["status"].isin([AMBIGUOUS, UNMATCHED])]
    keys = ["kind", "address", "village", "status"]
    if open_rows.empty:
        return unresolved_empty()
    groups = (open_rows.groupby(keys, sort=False)
              .agg(rows=("row", "size"), persons=("persons", "sum"), households=("households", "sum"),
                   stored=("candidates", "first")).reset_index())
    groups = groups.sort_values(["status", "village", "address", "kind"], key=lambda c: c.map(
        {AMBIGUOUS: 0, UNMATCHED: 1}) if c.name == "status" else c, kind="stable").reset_index(drop=True)
    # the import keeps an ambiguous row's candidates ("1347,1348"): the panel shows what the matcher found
    candidates = [tuple(int(b) for b in str(text).split(",") if b.strip()) for text in groups["stored"]]
    return groups.drop(columns="stored").assign(candidates=candidates)


class RegisterPanel(QWidget):
    """The register's unresolved addresses. Choosing a line emits `address_chosen` (its address, village and
    candidate building ids; "", "" and () when none is chosen); a click on a building then settles it."""

    address_chosen = Signal(str, str, tuple)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Address"), self.tr("Village"), self.tr("Rows"), self.tr("Persons"),
            self.tr("Households"), self.tr("Status"), self.tr("Candidates")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self._size_columns()
        self.table.itemSelectionChanged.connect(self._chosen)
        self.hint = QLabel(self.tr("Choose an address, then click its building on the map (zoomed in to a village): "
                                   "all its rows go there, and the next import remembers the choice. Edit → Undo takes it back."))
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.refresh()

    def attach(self, document) -> None:
        """Follow `document`: edits of the register (or of the buildings, which candidates name) refresh the list."""
        self.document = document
        document.edited.connect(self._on_edited)
        self.refresh()

    def _on_edited(self, edit) -> None:
        if any(d.layer in WATCHED for d in edit.diffs):
            self.refresh()

    def refresh(self) -> None:
        """List the unresolved addresses again, keeping the one chosen while it is still listed."""
        chosen = self.chosen()
        groups = unresolved(self.document.project) if self.document is not None else unresolved_empty()
        names = self._names(groups)
        header = self.table.horizontalHeader()
        # Sized to contents once, after the fill: a column measured at every item made the main window lay
        # itself out again 8 times a line (a second for 60 lines, two minutes for the demo's 958).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(groups))
            for r, line in enumerate(groups.itertuples(index=False)):
                candidates = tuple(line.candidates)
                texts = {"kind": line.kind, "address": line.address, "village": line.village, "rows": f"{line.rows:,}",
                         "persons": f"{int(line.persons):,}", "households": f"{int(line.households):,}",
                         "status": self.tr("Several buildings") if line.status == AMBIGUOUS else self.tr("No building"),
                         "candidates": "、".join(names.get(b, f"#{b}") for b in candidates)}
                for c, (key, numeric) in enumerate(COLUMNS):
                    item = QTableWidgetItem(texts[key])
                    item.setData(ADDRESS_ROLE, line.address)
                    item.setData(VILLAGE_ROLE, line.village)
                    item.setData(CANDIDATES_ROLE, candidates)
                    item.setFlags(_FLAGS)
                    if numeric:
                        item.setTextAlignment(_RIGHT)
                    self.table.setItem(r, c, item)
        self._size_columns()
        if self.document is None:
            self.summary.setText(self.tr("No project open"))
        elif groups.empty:
            placed = len(self.document.project["register"])
            self.summary.setText(self.tr("Every register row is placed in a building ({n} rows).").format(n=f"{placed:,}")
                                 if placed else self.tr("No register imported (File → Import → Register…)."))
        else:
            self.summary.setText(self.tr("{n} addresses ({rows} rows, {persons} persons) are in no building yet.").format(
                n=len(groups), rows=f"{int(groups['rows'].sum()):,}", persons=f"{int(groups['persons'].sum()):,}"))
        still = self.choose(*chosen) if chosen else False
        if chosen and not still:
            self.address_chosen.emit("", "", ())

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ADDRESS, QHeaderView.ResizeMode.Stretch)

    def choose(self, address: str, village: str = "") -> bool:
        """Select the first line of `address` in `village` (no signal); False when it is not listed."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item.data(ADDRESS_ROLE) == address and item.data(VILLAGE_ROLE) == village:
                with QSignalBlocker(self.table):
                    self.table.selectRow(r)
                return True
        with QSignalBlocker(self.table):
            self.table.clearSelection()
        return False

    def chosen(self) -> tuple[str, str] | None:
        """The address and village of the line selected (None for none)."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return None
        item = self.table.item(min(rows), 0)
        return str(item.data(ADDRESS_ROLE)), str(item.data(VILLAGE_ROLE))

    def row_of(self, address: str) -> int | None:
        """The first line showing `address`, if listed."""
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(ADDRESS_ROLE) == address:
                return r
        return None

    def _chosen(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self.address_chosen.emit("", "", ())
            return
        item = self.table.item(rows[0], 0)
        self.address_chosen.emit(str(item.data(ADDRESS_ROLE)), str(item.data(VILLAGE_ROLE)),
                                 tuple(item.data(CANDIDATES_ROLE) or ()))

    def _names(self, groups: pd.DataFrame) -> dict[int, str]:
        """Short names of the candidate buildings: the small area's sequence and the number, "025-003"."""
        ids = {b for c in groups["candidates"] for b in c}
        if not ids:
            return {}
        buildings = self.document.project["buildings"]
        rows = buildings[buildings["id"].isin(ids)]
        return {int(i): building_name(str(a)[-3:] if a else "", int(n), int(i))
                for i, a, n in zip(rows["id"], rows["small_area_code"], rows["number"])}


def unresolved_empty() -> pd.DataFrame:
    """No unresolved address: :func:`unresolved`'s columns, no row."""
    return pd.DataFrame(columns=["kind", "address", "village", "status", "rows", "persons", "households", "candidates"])
