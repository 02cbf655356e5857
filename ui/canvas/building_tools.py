"""The building tools of the canvas: each turns a click or a drag on a building into one engine edit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QMouseEvent

from gis_census.editing import assign_building
from ui.canvas.tools import Tool

__all__ = ["AssignBuildingTool", "BUILDING_TOOLS"]


class AssignBuildingTool(Tool):
    """With one small area selected, a click on a building moves the building into that area."""

    name = "assign_building"
    cursor = Qt.CursorShape.PointingHandCursor

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        canvas, document = self.canvas, self.canvas.document
        if event.button() != Qt.MouseButton.LeftButton or document is None:
            return
        building = canvas.building_at(*xy)
        if building is None:
            return
        if len(canvas.selection) != 1:
            document.refused.emit(QCoreApplication.translate(
                "AssignBuildingTool", "Select the one small area first, then click the building that should join it."))
            return
        document.perform(assign_building, building, canvas.selection[0])


#: The building tools by name, in toolbar order.
BUILDING_TOOLS = {tool.name: tool for tool in (AssignBuildingTool,)}
