"""ProblemsPanel: the checker's problems in a table, errors first, with live per-district updates."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
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

from gis_census.checks.problem import KINDS, Problem, format_value

__all__ = ["ProblemsPanel", "ProblemsModel", "belongs_to_district", "owned_by_district", "PROBLEM_ROLE", "SEVERITY_ROLE"]

#: Role giving a row's Problem (any column).
PROBLEM_ROLE = Qt.ItemDataRole.UserRole
#: Role giving a row's severity, "error" or "warning" (any column).
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1

SEVERITY, KIND, FEATURES, VALUE, MESSAGE = range(5)

#: District-layer kinds that compare districts with their villages: only check_project finds them,
#: so a live district check must not drop them.
_VILLAGE_LEVEL_KINDS = {"overlap", "outside_parent", "parent_missing"}
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_DISTRICT_DIGITS = 12


def belongs_to_district(problem: Problem, district: str, area: shapely.Geometry | None = None) -> bool:
    """Whether `problem` is one that check_district(`district`) reports (so a fresh run replaces it).

    A problem belongs to the district when

    * its layer is "districts" and it names the district first, except the district-against-village
      kinds (overlap, outside_parent, parent_missing between districts), which only check_project finds;
    * its layer is "small_areas" or "buildings" and one of its features starts with the district's
      code: small-area codes are the 12-digit district code + a 3-digit number, building problems
      name the small areas involved, and code_parent_mismatch names the district itself;
    * `area` (the district's polygon) is given, its layer is "small_areas" or "buildings", its
      location lies within the area (1 cm slack) and it names no other district's code (no
      feature of 12+ digits starting otherwise): problems that name no code at all, like
      building_unassigned (a building id) and code_missing ("#3").
    """
    return bool(owned_by_district([problem], district, area)[0])


def _zone(area: shapely.Geometry | None) -> shapely.Geometry | None:
    """The district's polygon with 1 cm slack, prepared for many containment tests."""
    if area is None or shapely.is_missing(area) or shapely.is_empty(area):
        return None
    zone = shapely.buffer(area, 0.01)
    shapely.prepare(zone)
    return zone


def _by_codes(problem: Problem, district: str) -> bool | None:
    """True / False when the codes decide whether `problem` is the district's; None when only its
    location can tell (a small-area or building problem naming no district's code)."""
    features = [str(f) for f in problem.features]
    if problem.layer == "districts":
        return bool(features) and features[0] == district and problem.kind not in _VILLAGE_LEVEL_KINDS
    if problem.layer not in ("small_areas", "buildings"):
        return False
    if any(f.startswith(district) for f in features):
        return True
    if any(len(f) >= _DISTRICT_DIGITS and f[:_DISTRICT_DIGITS].isdigit() for f in features):
        return False  # names another district's area
    return None


def owned_by_district(problems: list[Problem], district: str, area: shapely.Geometry | None = None) -> np.ndarray:
    """belongs_to_district for each of `problems` (a bool array), the location tests in one vectorised call."""
    zone = _zone(area)
    owned = np.zeros(len(problems), dtype=bool)
    undecided = []
    for i, p in enumerate(problems):
        verdict = _by_codes(p, district)
        if verdict is None:
            if zone is not None and p.location is not None:
                undecided.append(i)
        else:
            owned[i] = verdict
    if undecided:
        locations = np.array([problems[i].location for i in undecided], dtype=object)
        inside = shapely.covered_by(locations, zone) & ~shapely.is_empty(locations)
        owned[np.array(undecided)[inside]] = True
    return owned


def _key(problem: Problem) -> tuple:
    """What makes two problems the same report (the geometry follows from these)."""
    return (problem.kind, problem.layer, tuple(str(f) for f in problem.features), round(float(problem.value), 3), problem.detail)


class ProblemsModel(QAbstractTableModel):
    """Problems, each remembered with the district whose live check reported it (None: a full check).

    The model sorts itself (the proxy forwards sort() here): a county can have thousands of problems.
    """

    def __init__(self, headers: list[str], severity_names: dict[str, str], icons: dict, parent=None):
        super().__init__(parent)
        self._headers = headers
        self._severity_names = severity_names
        self._icons = icons
        self._problems: list[Problem] = []
        self._origins: list[str | None] = []
        self._text: list[list[str]] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def problems(self) -> list[Problem]:
        """The problems in row order."""
        return list(self._problems)

    def origins(self) -> list[str | None]:
        return list(self._origins)

    def set_rows(self, problems: list[Problem], origins: list[str | None]) -> None:
        """Show `problems`, each with the district whose live check found it (None: a full check)."""
        self.beginResetModel()
        cached = dict(zip(map(id, self._problems), self._text))  # the texts of problems kept are not remade
        self._problems, self._origins = list(problems), list(origins)
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
        problems, origins, texts = self._problems, self._origins, self._text
        col = self._sort_column
        if col == VALUE:
            keys = [(p.unit, float(p.value)) for p in problems]
        elif col in (KIND, FEATURES, MESSAGE):
            keys = [self._texts(i)[col] for i in range(len(problems))]
        else:  # severity, or no sort column: errors, then warnings, each in KINDS order
            keys = [(p.severity != "error", _KIND_ORDER.get(p.kind, len(_KIND_ORDER))) for p in problems]
        order = sorted(range(len(problems)), key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder and col >= 0)
        self._problems = [problems[i] for i in order]
        self._origins = [origins[i] for i in order]
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
        return ", ".join(str(f) for f in problem.features)
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

    # -- API ---------------------------------------------------------------------------------------

    def set_problems(self, problems: Iterable[Problem]) -> None:
        """Show `problems` (a full check's result), replacing all shown."""
        problems = list(problems)
        self.model.set_rows(problems, [None] * len(problems))
        self._show_summary()

    def replace_district(self, district_code: str, problems: Iterable[Problem], area: shapely.Geometry | None = None) -> None:
        """Replace the problems of one district by a fresh check_district result, keeping the others.

        Removed are the problems an earlier replace_district reported for this district and those
        belongs_to_district() recognises as the district's (its code, its small areas' codes, and —
        when `area`, the district's polygon, is given — code-less problems lying inside it). New
        problems equal to one kept (same kind, layer, features, value, detail) are not added twice.
        """
        shown, origins = self.model.problems(), self.model.origins()
        owned = owned_by_district(shown, district_code, area)
        keep_rows = [
            (p, origin)
            for p, origin, mine in zip(shown, origins, owned)
            if origin != district_code and not (origin is None and mine)
        ]
        kept = {_key(p) for p, _ in keep_rows}
        fresh = []
        for p in problems:
            if _key(p) not in kept:
                kept.add(_key(p))
                fresh.append(p)
        rows = keep_rows + [(p, district_code) for p in fresh]
        self.model.set_rows([p for p, _ in rows], [o for _, o in rows])
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
