"""DistrictFlows: Edit → Districts (cut a village's district, merge districts, draw a special district) and the
virtual small areas (a dialog to make one, a choice of one to delete), each one undo step through the document."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from gis_census.editing import add_virtual_area, delete_small_area, merge_districts
from gis_census.editing.districts import SPECIAL_KINDS
from gis_census.rules import VIRTUAL_MAX_POPULATION, is_virtual

__all__ = ["DistrictFlows", "VirtualAreaDialog"]


class VirtualAreaDialog(QDialog):
    """District, reason, people and households of a new virtual small area."""

    def __init__(self, districts: list[tuple[str, str]], current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New Virtual Small Area"))
        self.district = QComboBox()
        for code, name in districts:
            self.district.addItem(f"{code}  {name}".strip(), code)
        if current is not None and self.district.findData(current) >= 0:
            self.district.setCurrentIndex(self.district.findData(current))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. registered at a demolished address (空挂户), collective quarters"))
        self.population = QSpinBox()
        self.population.setRange(0, VIRTUAL_MAX_POPULATION)
        self.households = QSpinBox()
        self.households.setRange(0, VIRTUAL_MAX_POPULATION)
        form = QFormLayout(self)
        form.addRow(self.tr("District"), self.district)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("People"), self.population)
        form.addRow(self.tr("Households"), self.households)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, int, int]:
        return self.district.currentData(), self.reason.text(), self.population.value(), self.households.value()


class DistrictFlows(QObject):
    """The window's district and virtual-area commands. `ask_virtual_area`, `choose_special_kind` and
    `choose_virtual_area` ask the user (tests replace them)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.ask_virtual_area = self._ask_virtual_area
        self.choose_special_kind = self._choose_special_kind
        self.choose_virtual_area = self._choose_virtual_area

    def merge_selected_districts(self) -> None:
        """Merge the districts of the selected small areas (they must be of one village)."""
        w = self.window
        if w.document is None:
            return
        areas = w.project["small_areas"]
        codes = list(dict.fromkeys(areas["district_code"][areas["code"].isin(w.canvas.selection)]))
        if len(codes) < 2:
            w.report_error(self.tr("Cannot Edit"), self.tr("Select small areas in two or more districts of one village."))
            return
        w.document.perform(merge_districts, codes)

    def start_special_district(self) -> None:
        """Ask the special district's kind (and name), then let the user draw it on the map."""
        w = self.window
        if w.document is None:
            return
        chosen = self.choose_special_kind()
        if not chosen:  # the tool in use stays, and its button shows it
            current = w.ui.tool_actions.get(w.canvas.tool.name)
            if current is not None:
                current.setChecked(True)
            return
        w.canvas.special_district = chosen
        w.canvas.set_tool("special_district")
        w.ui.special_district_action.setChecked(True)

    def new_virtual_area(self) -> bool:
        """Ask district, reason, people and households, and add the virtual small area."""
        w = self.window
        if w.document is None:
            return False
        values = self.ask_virtual_area()
        return bool(values) and w.document.perform(add_virtual_area, *values)

    def delete_virtual_area(self) -> bool:
        """Choose one of the project's virtual small areas and delete it."""
        w = self.window
        if w.document is None:
            return False
        areas = w.project["small_areas"]
        virtual = areas[is_virtual(areas["seq"], areas.geometry.array)]
        if virtual.empty:
            w.report_error(self.tr("Cannot Edit"), self.tr("The project has no virtual small area."))
            return False
        code = self.choose_virtual_area([(c, n) for c, n in zip(virtual["code"], virtual["notes"])])
        return bool(code) and w.document.perform(delete_small_area, [code])

    # -- the questions (tests replace them) ---------------------------------------------------------

    def _ask_virtual_area(self):
        w = self.window
        districts = w.project["districts"]
        dialog = VirtualAreaDialog(list(zip(districts["code"], districts["name"])), w.selected_district(), w)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _choose_special_kind(self) -> tuple[str, str] | None:
        kind, ok = QInputDialog.getItem(self.window, self.tr("New Special District"),
                                        self.tr("Kind (学校, 营区, 大型企业 …):"), list(SPECIAL_KINDS), 0, True)
        if not ok or not kind.strip():
            return None
        name, ok = QInputDialog.getText(self.window, self.tr("New Special District"), self.tr("Name (e.g. 第一中学):"))
        return (kind.strip(), name.strip()) if ok else None

    def _choose_virtual_area(self, areas: list[tuple[str, str]]) -> str | None:
        items = [f"{code}  {notes}".strip() for code, notes in areas]
        item, ok = QInputDialog.getItem(self.window, self.tr("Delete Virtual Small Area"), self.tr("Virtual small area:"),
                                        items, 0, False)
        return areas[items.index(item)][0] if ok and item in items else None
