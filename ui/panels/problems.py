"""ProblemsPanel: the checker's problems in a table, errors first."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gis_census.checks.problem import Problem, format_value, sort_key

__all__ = ["ProblemsPanel", "ProblemsModel", "PROBLEM_ROLE", "SEVERITY_ROLE"]

#: Role giving a row's Problem (any column).
PROBLEM_ROLE = Qt.ItemDataRole.UserRole
#: Role giving a row's severity, "error" or "warning" (any column).
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1

SEVERITY, KIND, FEATURES, VALUE, MESSAGE = range(5)


class ProblemsModel(QAbstractTableModel):
    """Problems in table order.

    The model sorts itself (the proxy forwards sort() here): a county can have thousands of problems.
    """

    def __init__(self, headers: list[str], severity_names: dict[str, str], icons: dict, parent=None):
        super().__init__(parent)
        self._headers = headers
        self._severity_names = severity_names
        self._icons = icons
        self._problems: list[Problem] = []
        self._text: list[list[str]] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def problems(self) -> list[Problem]:
        """The problems in row order."""
        return list(self._problems)

    def set_rows(self, problems: list[Problem]) -> None:
        """Show `problems`."""
        self.beginResetModel()
        cached = dict(zip(map(id, self._problems), self._text))  # the texts of problems kept are not remade
        self._problems = list(problems)
        self._text = [cached.get(id(p)) for p in self._problems]  # None: made when first shown
        self._order_rows()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        before = self._problems
        self.layoutAboutToBeChanged.emit()
        self._order_rows()
        position = {id(p): i for i, p in enumerate(self._problems)}
        old = self.persistentIndexList()
        new = [self.index(position[id(before[i.row()])], i.column()) if 0 <= i.row() < len(before) else QModelIndex() for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _order_rows(self) -> None:
        """Errors first by default; else by the sort column's text (value: by number)."""
        problems, texts = self._problems, self._text
        col = self._sort_column
        if col == VALUE:
            keys = [(p.unit, float(p.value)) for p in problems]
        elif col in (KIND, FEATURES, MESSAGE):
            keys = [self._texts(i)[col] for i in range(len(problems))]
        else:  # severity, or no sort column: the engine's order (errors, then warnings, each in KINDS order)
            keys = [sort_key(p) for p in problems]
        order = sorted(range(len(problems)), key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder and col >= 0)
        self._problems = [problems[i] for i in order]
        self._text = [texts[i] for i in order]

    def _texts(self, row: int) -> list[str]:
        """The column texts of `row`, made on first use (message() of thousands of problems takes a while)."""
        texts = self._text[row]
        if texts is None:
            texts = self._text[row] = [_text(self._problems[row], c) for c in range(len(self._headers))]
        return texts

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        problem = self._problems[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._severity_names[problem.severity] if col == SEVERITY else self._texts(row)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == SEVERITY:
            return self._icons[problem.severity]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._texts(row)[MESSAGE]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == VALUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == PROBLEM_ROLE:
            return problem
        if role == SEVERITY_ROLE:
            return problem.severity
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags


def _text(problem: Problem, column: int) -> str:
    if column == KIND:
        return problem.label()  # the engine's localized name of the kind
    if column == FEATURES:
        return ", ".join(problem.shown_features())
    if column == VALUE:
        return format_value(problem.value, problem.unit) if problem.unit else ""
    if column == MESSAGE:
        return problem.message()
    return problem.severity


class _ProblemsProxy(QSortFilterProxyModel):
    """Filters by severity; sorting is forwarded to the source model."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class ProblemsPanel(QWidget):
    """A severity filter, an "N errors, M warnings" line and the table of problems.

    Double-clicking a row emits problem_activated with its Problem (the window zooms to its location).
    """

    #: the Problem double-clicked
    problem_activated = Signal(object)

    ALL, ERRORS = 0, 1

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style = self.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        severity_names = {"error": self.tr("Error"), "warning": self.tr("Warning")}
        headers = [self.tr("Severity"), self.tr("Kind"), self.tr("Features"), self.tr("Value"), self.tr("Message")]
        self.model = ProblemsModel(headers, severity_names, icons, self)
        self.proxy = _ProblemsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEVERITY_ROLE)
        self.proxy.setFilterKeyColumn(SEVERITY)

        self.filter_combo = QComboBox()
        self.filter_combo.addItem(self.tr("All problems"))
        self.filter_combo.addItem(self.tr("Errors only"))
        self.summary = QLabel()

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(SEVERITY, Qt.SortOrder.AscendingOrder)  # errors first, each by kind
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.view.fontMetrics()
        for col, sample in {SEVERITY: "MMMMMM", KIND: "MMMMMMMMMMMM", FEATURES: "370481102001001, 370481102001002",
                            VALUE: "1,000.00 m²"}.items():  # fmt: skip
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 24)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)

        self.filter_combo.currentIndexChanged.connect(self._on_filter)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self._show_summary()
        self._document = None  # the ProjectDocument followed, once attached

    # -- API ---------------------------------------------------------------------------------------

    def attach(self, document) -> None:
        """List `document`'s problems and follow its checks."""
        self._document = document
        document.problems_changed.connect(self._on_problems)
        self.set_problems(document.problems)

    def _on_problems(self, _district: str) -> None:
        self.set_problems(self._document.problems)

    def set_problems(self, problems: Iterable[Problem]) -> None:
        """Show `problems` (a full check's result), replacing all shown."""
        problems = list(problems)
        self.model.set_rows(problems)
        self._show_summary()

    def problems(self) -> list[Problem]:
        """Every problem shown (whatever the filter), in table order."""
        return self.model.problems()

    def errors_only(self) -> bool:
        return self.filter_combo.currentIndex() == self.ERRORS

    def set_errors_only(self, on: bool) -> None:
        self.filter_combo.setCurrentIndex(self.ERRORS if on else self.ALL)

    # -- internals ---------------------------------------------------------------------------------

    def _on_filter(self, choice: int) -> None:
        pattern = "^error$" if choice == self.ERRORS else ""
        self.proxy.setFilterRegularExpression(QRegularExpression(pattern))

    def _show_summary(self) -> None:
        severities = np.array([p.severity for p in self.model.problems()], dtype=object)
        errors = int(np.sum(severities == "error"))
        warnings = len(severities) - errors
        if not len(severities):
            self.summary.setText(self.tr("No problems"))
        else:
            self.summary.setText(self.tr("{errors} errors, {warnings} warnings").format(errors=f"{errors:,}", warnings=f"{warnings:,}"))

    def activate_row(self, row: int) -> None:
        """Select row `row` (as shown) and act as if it had been double-clicked."""
        index = self.proxy.index(row, 0)
        if index.isValid():
            self.view.selectRow(row)
            self.view.scrollTo(index)
            self._on_double_clicked(index)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.problem_activated.emit(self.proxy.data(index, PROBLEM_ROLE))
