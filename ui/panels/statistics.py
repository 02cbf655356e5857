"""StatisticsPanel: every small area with its population, households and deviation from the target, sortable."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from gis_census.rules import Target
from ui.deviation import COLORS, deviation_class, deviation_percent, measure_of

__all__ = ["StatisticsPanel", "StatisticsModel", "CODE_ROLE", "SORT_ROLE", "CLASS_ROLE"]

#: Role giving a row's small-area code (any column).
CODE_ROLE = Qt.ItemDataRole.UserRole
#: Role giving a cell's raw value (number or text) to sort by.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role giving a row's deviation class: -1 under, 0 on target, 1 over.
CLASS_ROLE = Qt.ItemDataRole.UserRole + 2

CODE, DISTRICT, POPULATION, HOUSEHOLDS, DEVIATION, LOCKED, GROUP = range(7)
_NUMERIC = (POPULATION, HOUSEHOLDS, DEVIATION, GROUP)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT = QColor(Qt.GlobalColor.black)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # read-only: edits go through the attributes panel


class StatisticsModel(QAbstractTableModel):
    """The small areas, kept sorted by the model itself (numpy argsort), as plain Python lists.

    Sorting 7,000 rows through QSortFilterProxyModel's own comparisons would call data() some
    200,000 times from C++ into Python (about a second); the proxy forwards sort() here instead
    and only filters.
    """

    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self._headers = headers
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._frame_codes: list[str] = []  # codes in the order of the GeoDataFrame
        self._raw: dict[int, np.ndarray] = _empty_columns(len(headers))  # column -> values, frame order
        self._raw_class = np.zeros(0, dtype=np.int8)
        self._codes: list[str] = []  # codes in row order (sorted)
        self._display: list[list[str]] = [[] for _ in headers]
        self._sort: list[list] = [[] for _ in headers]
        self._class: list[int] = []
        self._locked: list[bool] = []
        self._row_of: dict[str, int] = {}

    # -- data ------------------------------------------------------------------------------------

    def set_areas(self, areas: gpd.GeoDataFrame | None, target: float, tolerance: float, unit: str) -> bool:
        """Show `areas`; return True when they are the same areas as before (only values changed).

        The same areas keep their place in the sort order and their selection (a layout change
        moving persistent indexes by code); other areas reset the model.
        """
        n = 0 if areas is None else len(areas)
        if n:
            codes = areas["code"].astype(str).to_numpy(dtype=object)
            measure = measure_of(areas, unit)
            deviation = np.round(deviation_percent(measure, target), 1)
            deviation[deviation == 0] = 0.0  # no "-0.0%"
            raw = {
                CODE: codes,
                DISTRICT: areas["district_code"].astype(str).to_numpy(dtype=object),
                POPULATION: areas["population"].to_numpy(dtype=np.int64),
                HOUSEHOLDS: areas["households"].to_numpy(dtype=np.int64),
                DEVIATION: deviation,
                LOCKED: (areas["locked"].to_numpy() != 0).astype(np.int64),
                GROUP: areas["supervisor_group"].to_numpy(dtype=np.int64),
            }
            classes = deviation_class(measure, target, tolerance)
        else:
            raw = _empty_columns(len(self._headers))
            classes = np.zeros(0, dtype=np.int8)
        frame_codes = raw[CODE].tolist()
        same = frame_codes == self._frame_codes
        self._frame_codes, self._raw, self._raw_class = frame_codes, raw, classes
        if same:
            self._relayout()
            if n:
                self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(self._headers) - 1))
        else:
            self.beginResetModel()
            self._fill(self._order())
            self.endResetModel()
        return same

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by `column` (-1: the layer's order); selection and current row follow."""
        self._sort_column, self._sort_order = column, order
        self._relayout()

    def same_areas(self, areas: gpd.GeoDataFrame | None) -> bool:
        """Whether `areas` are the areas shown, in the same layer order (set_areas keeps the rows)."""
        codes = [] if areas is None or not len(areas) else areas["code"].astype(str).tolist()
        return codes == self._frame_codes

    def code(self, row: int) -> str:
        return self._codes[row]

    def row_of(self, code: str) -> int:
        """The row of small area `code`, -1 when not listed."""
        return self._row_of.get(code, -1)

    def classes(self) -> np.ndarray:
        """Deviation class of every area (layer order)."""
        return self._raw_class

    def total(self, column: int) -> int:
        values = self._raw.get(column)
        return int(values.sum()) if values is not None else 0

    # -- ordering ----------------------------------------------------------------------------------

    def _order(self) -> np.ndarray:
        """Frame rows in display order for the current sort column and order (stable)."""
        n = len(self._frame_codes)
        col = self._sort_column
        if col < 0 or col >= len(self._headers) or not n:
            return np.arange(n)
        keys = self._raw[col]
        if keys.dtype == object:
            keys = keys.astype(str)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if descending and keys.dtype.kind in "if":
            return np.argsort(-keys, kind="stable")
        order = np.argsort(keys, kind="stable")
        return order[::-1] if descending else order

    def _relayout(self) -> None:
        """Re-sort the current areas, moving persistent indexes (selection) with their areas."""
        old_codes = self._codes
        order = self._order()
        if self._raw[CODE][order].tolist() == old_codes:  # no row moves: no layout change for views and proxy
            self._fill(order)
            return
        self.layoutAboutToBeChanged.emit()
        self._fill(order)
        old = self.persistentIndexList()
        new = []
        for index in old:
            row = self._row_of.get(old_codes[index.row()], -1) if 0 <= index.row() < len(old_codes) else -1
            new.append(self.createIndex(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _fill(self, order: np.ndarray) -> None:
        """Row lists in `order` (frame rows) for data()."""
        sort = [self._raw[c][order].tolist() for c in range(len(self._headers))]
        self._codes = sort[CODE]
        self._sort = sort
        self._display = [
            sort[CODE],
            sort[DISTRICT],
            [f"{v:,}" for v in sort[POPULATION]],
            [f"{v:,}" for v in sort[HOUSEHOLDS]],
            [f"{v:+.1f}%" if v else "0.0%" for v in sort[DEVIATION]],
            [""] * len(order),  # shown as a check mark (CheckStateRole)
            [str(v) if v else "" for v in sort[GROUP]],
        ]
        self._class = self._raw_class[order].tolist()
        self._locked = [bool(v) for v in sort[LOCKED]]
        self._row_of = {c: i for i, c in enumerate(self._codes)}

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._codes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[col][row]
        if role == Qt.ItemDataRole.BackgroundRole:
            return COLORS[self._class[row]]
        if role == Qt.ItemDataRole.ForegroundRole:
            return _TEXT  # the row colours are light: dark text in any theme
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.CheckStateRole and col == LOCKED:
            return Qt.CheckState.Checked if self._locked[row] else Qt.CheckState.Unchecked
        if role == CODE_ROLE:
            return self._codes[row]
        if role == SORT_ROLE:
            return self._sort[col][row]
        if role == CLASS_ROLE:
            return self._class[row]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


def _empty_columns(n: int) -> dict[int, np.ndarray]:
    columns = {c: np.zeros(0, dtype=object if c in (CODE, DISTRICT) else np.int64) for c in range(n)}
    columns[DEVIATION] = np.zeros(0)
    return columns


class _AreaProxy(QSortFilterProxyModel):
    """Filters by code; sorting is forwarded to the source model, which sorts with numpy."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class StatisticsPanel(QWidget):
    """A summary line, a code filter and a sortable table of the project's small areas.

    Rows are coloured by deviation class (ui.deviation UNDER / ON / OVER). The target applies to
    households when the project's target unit is "households", else to population.
    """

    #: code of the small area double-clicked
    area_activated = Signal(str)
    #: codes of the small areas the user selected (not emitted for select_codes or refresh)
    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._project = None
        self._syncing = False
        # Qt reports a selection change per row when filtering hides selected rows: report once.
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._emit_selection)
        headers = [
            self.tr("Code"),
            self.tr("District"),
            self.tr("Population"),
            self.tr("Households"),
            self.tr("Deviation"),
            self.tr("Locked"),
            self.tr("Supervisor group"),
        ]
        self.model = StatisticsModel(headers, self)
        self.proxy = _AreaProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(CODE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setDynamicSortFilter(True)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by code…"))
        self.filter_edit.setClearButtonEnabled(True)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(CODE, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {CODE: "370481102001001", DISTRICT: "370481102001", POPULATION: "10,000", HOUSEHOLDS: "10,000",
                  DEVIATION: "+100.0%", LOCKED: "MM", GROUP: "MMM"}  # fmt: skip
        metrics = self.view.fontMetrics()
        for col, sample in widths.items():
            title = headers[col]
            header.resizeSection(col, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) + 24)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)

        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._show_summary()

    # -- API ---------------------------------------------------------------------------------------

    def attach(self, document) -> None:
        """Show `document`'s small areas and follow its edits."""
        self.set_project(document.project)
        document.edited.connect(self._on_edited)

    def _on_edited(self, edit) -> None:
        if edit.diff("small_areas") is not None:
            self.refresh()

    def set_project(self, project) -> None:
        """Show the small areas of `project` (None: an empty table), measured against its target."""
        self._project = project
        self.refresh()

    def refresh(self, small_areas_gdf: gpd.GeoDataFrame | None = None) -> None:
        """Re-read the small areas (`small_areas_gdf`, default the project's layer) after an edit.

        Keeps the sort order, the filter and the selected areas (those still present); emits no
        selection_changed.
        """
        areas = small_areas_gdf
        if areas is None and self._project is not None:
            areas = self._project["small_areas"]
        goal = Target.of(self._project.meta if self._project is not None else None)
        target, tolerance, unit = goal.size, goal.tolerance, goal.unit
        selected = [] if self.model.same_areas(areas) else self.selected_codes()  # else the rows stay selected
        self._syncing = True
        try:
            same = self.model.set_areas(areas, target, tolerance, unit)
            if not same:
                self._select(selected, scroll=False)
        finally:
            self._syncing = False
        self._show_summary(target, tolerance, unit)

    def select_codes(self, codes: Iterable[str]) -> None:
        """Select the rows of small areas `codes` (those listed and not filtered out), scroll to the
        first; emits no selection_changed, so the canvas and this table can follow each other."""
        self._selection_timer.stop()
        self._syncing = True
        try:
            self._select(list(codes), scroll=True)
        finally:
            self._syncing = False

    def selected_codes(self) -> list[str]:
        """Codes of the selected rows, in table order."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.proxy.data(i, CODE_ROLE) for i in rows]

    # -- internals ---------------------------------------------------------------------------------

    def _select(self, codes: list[str], scroll: bool) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        first: QModelIndex | None = None
        rows = sorted(
            r for r in (self.proxy.mapFromSource(self.model.index(self.model.row_of(c), 0)).row()
                        for c in codes if self.model.row_of(c) >= 0) if r >= 0
        )  # fmt: skip
        start = prev = None
        for r in rows + [None]:  # contiguous runs as one range each: fast for thousands of rows
            if r is not None and prev is not None and r == prev + 1:
                prev = r
                continue
            if start is not None:
                selection.select(self.proxy.index(start, 0), self.proxy.index(prev, last))
            start = prev = r
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(selection, flags)
        if rows:
            first = self.proxy.index(rows[0], 0)
            self.view.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            if scroll:
                self.view.scrollTo(first)

    def _show_summary(self, target: float = 300, tolerance: float = 0.2, unit: str = "people") -> None:
        n = self.model.rowCount()
        if not n:
            self.summary.setText(self.tr("No small areas"))
            return
        within = float(np.mean(self.model.classes() == 0))
        text = self.tr("{n} small areas · {share} within ±{tolerance} of target · population {population}").format(
            n=f"{n:,}",
            share=f"{within:.0%}",
            tolerance=f"{tolerance:.0%}",
            population=f"{self.model.total(POPULATION):,}",
        )
        self.summary.setText(text)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.area_activated.emit(self.proxy.data(index, CODE_ROLE))

    def _on_selection_changed(self, *_args) -> None:
        if not self._syncing:
            self._selection_timer.start()

    def _emit_selection(self) -> None:
        self.selection_changed.emit(self.selected_codes())
