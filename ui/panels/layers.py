"""LayersPanel: the project's layers, top of the drawing order first, with counts and visibility boxes."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ui.canvas.renderer import draw_order
from ui.language import layer_title

__all__ = ["LayersPanel"]

_NAME = Qt.ItemDataRole.UserRole


class LayersPanel(QTreeWidget):
    """One row per layer: title, number of features; the check box shows or hides the layer."""

    # (layer name, visible) when the user ticks or unticks a layer
    visibility_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("Layer"), self.tr("Features")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.itemChanged.connect(self._on_item_changed)
        self._document = None  # the ProjectDocument followed, once attached

    def attach(self, document) -> None:
        """List `document`'s layers and keep their counts as it is edited and checked."""
        self._document = document
        self.set_layers(document.project.layers)
        document.edited.connect(self._on_edited)
        document.problems_changed.connect(self._on_problems)
        if document.checked:
            self._on_problems("")

    def _on_edited(self, edit) -> None:
        self.set_counts({d.layer: len(self._document.project[d.layer]) for d in edit.diffs})

    def _on_problems(self, _district: str) -> None:
        self.set_counts({"problems": len(self._document.problems)})

    def set_layers(self, layers: Mapping[str, gpd.GeoDataFrame]) -> None:
        """List `layers`, all ticked, the top-most drawn first as in most GIS."""
        self.blockSignals(True)
        try:
            self.clear()
            for name in reversed(draw_order()):
                if name not in layers:
                    continue
                item = QTreeWidgetItem([layer_title(name), f"{len(layers[name]):,}"])
                item.setData(0, _NAME, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.addTopLevelItem(item)
        finally:
            self.blockSignals(False)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Show new feature counts (after an edit) without touching the check boxes."""
        self.blockSignals(True)
        try:
            for name, n in counts.items():
                if (item := self.item_for(name)) is not None:
                    item.setText(1, f"{n:,}")
        finally:
            self.blockSignals(False)

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        """The row of layer `name`, if listed."""
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item.data(0, _NAME) == name:
                return item
        return None

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.visibility_changed.emit(item.data(0, _NAME), item.checkState(0) == Qt.CheckState.Checked)
