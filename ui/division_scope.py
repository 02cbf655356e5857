"""DivisionScopeDialog: what Auto-Divide divides when no small area or district is selected — the whole
township, one village (all its districts) or one district."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gis_census.project import CensusProject

__all__ = ["DivisionScopeDialog", "division_scopes"]

_CODES = Qt.ItemDataRole.UserRole


def division_scopes(project: CensusProject) -> list[tuple[str, str, list[str]]]:
    """(kind, label, district codes) of everything that can be divided at once: "township", each
    "village" and each "district" that is not its village's only one."""
    districts = project["districts"]
    villages = project["villages"]
    names = dict(zip(villages["code"], villages["name"]))
    scopes = [("township", project.meta.township_name, sorted(districts["code"]))]
    by_village: dict[str, list[str]] = {}
    for code, village in zip(districts["code"], districts["village_code"]):
        by_village.setdefault(str(village), []).append(str(code))
    for village in sorted(by_village):
        scopes.append(("village", f"{names.get(village, '')} {village}".strip(), sorted(by_village[village])))
    district_names = dict(zip(districts["code"], districts["name"]))
    for village in sorted(by_village):
        if len(by_village[village]) > 1:
            for code in sorted(by_village[village]):
                scopes.append(("district", f"{district_names.get(code, '')} {code}".strip(), [code]))
    return scopes


class DivisionScopeDialog(QDialog):
    """A list of the township, its villages and its districts; `codes()` are the districts of the one chosen."""

    def __init__(self, project: CensusProject, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Auto-Divide"))
        self.list = QListWidget()
        kinds = {"township": self.tr("Whole township {name} ({n} districts)"),
                 "village": self.tr("Village {name} ({n} districts)"),
                 "district": self.tr("District {name}")}
        for kind, label, codes in division_scopes(project):
            item = QListWidgetItem(kinds[kind].format(name=label, n=len(codes)))
            item.setData(_CODES, codes)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Divide into small areas (or click a district on the map first):")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 360)

    def codes(self) -> list[str]:
        """The district codes of the chosen row."""
        item = self.list.currentItem()
        return list(item.data(_CODES)) if item is not None else []
