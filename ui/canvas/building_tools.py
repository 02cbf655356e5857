"""The building tools of the canvas: each turns a click, a sketch or a drag on a building into one engine edit."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPolygonF

from gis_census.editing import (
    add_building,
    assign_building,
    move_building,
    reshape_building,
    settle_edit,
    split_building,
)
from ui.canvas.tools import CLICK_SLOP, SKETCH, Tool, _SketchTool, pen

__all__ = ["AddBuildingTool", "DrawBuildingTool", "MoveBuildingTool", "ReshapeBuildingTool", "SplitBuildingTool",
           "AssignBuildingTool", "SettleRegisterTool", "BUILDING_TOOLS"]


class AddBuildingTool(Tool):
    """A click adds a building as a point (snapped), numbered next in its small area."""

    name = "add_building"

    def move(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        self._track_snap(xy)

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.canvas.document is not None:
            x, y, _ = self.canvas.snap(*xy)
            self.canvas.document.perform(add_building, shapely.Point(x, y))


class DrawBuildingTool(_SketchTool):
    """Click the corners of a new building's footprint (snapped); double-click, Enter or right-click finishes."""

    name = "draw_building"
    closed = True
    least = 3

    def finished(self, points: list[tuple[float, float]]) -> None:
        self.canvas.document.perform(add_building, shapely.Polygon(points))


class _DragTool(Tool):
    """A left drag that starts on something of the map and ends in one edit; Escape drops it."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.start: tuple[float, float] | None = None
        self.cursor_at: tuple[float, float] | None = None
        self._press_at = QPointF()

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.grab(xy):
            self.start, self.cursor_at, self._press_at = xy, xy, event.position()

    def move(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        self.cursor_at = xy
        if self.start is not None:
            self.canvas.update()

    def release(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if self.start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        start, self.start = self.start, None
        self.canvas.update()
        if (event.position() - self._press_at).manhattanLength() > CLICK_SLOP and self.canvas.document is not None:
            self.drop(start, xy)

    def cancel(self) -> None:
        super().cancel()
        self.start = None

    def grab(self, xy: tuple[float, float]) -> bool:
        """Whether a drag may start at `xy` (and remember what it drags)."""
        raise NotImplementedError

    def drop(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Act on a drag from `start` to `end`."""
        raise NotImplementedError

    def _paint_footprint(self, painter: QPainter, geometry) -> None:
        painter.setPen(pen(SKETCH, 2.0, dashed=True))
        painter.setBrush(QBrush(QColor(212, 20, 90, 50)))
        for ring in shapely.get_rings(shapely.get_parts(geometry)) if shapely.get_dimensions(geometry) == 2 else []:
            painter.drawPolygon(QPolygonF([self.canvas.to_widget(x, y) for x, y in shapely.get_coordinates(ring)]))
        if shapely.get_type_id(geometry) == 0:
            painter.drawEllipse(self.canvas.to_widget(geometry.x, geometry.y), 5, 5)


class MoveBuildingTool(_DragTool):
    """Drag a building to move it; it joins the small area it lands in."""

    name = "move_building"
    cursor = Qt.CursorShape.SizeAllCursor

    def grab(self, xy: tuple[float, float]) -> bool:
        self.building = self.canvas.building_at(*xy)
        if self.building is not None:
            self.canvas.set_building_selection([self.building])
            self.canvas.buildings_selected.emit([self.building])
        return self.building is not None

    def drop(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        self.canvas.document.perform(move_building, self.building, end[0] - start[0], end[1] - start[1])

    def paint(self, painter: QPainter) -> None:
        if self.start is not None and self.cursor_at is not None and len(self.canvas.selected_footprints()):
            dx, dy = self.cursor_at[0] - self.start[0], self.cursor_at[1] - self.start[1]
            self._paint_footprint(painter, shapely.affinity.translate(self.canvas.selected_footprints()[0], dx, dy))
        super().paint(painter)


class ReshapeBuildingTool(_DragTool):
    """Drag a corner of the selected building (or of the one under the mouse) to reshape its footprint;
    the corner snaps to nearby boundaries."""

    name = "reshape_building"

    def grab(self, xy: tuple[float, float]) -> bool:
        canvas = self.canvas
        building = canvas.selected_buildings[0] if len(canvas.selected_buildings) == 1 else canvas.building_at(*xy)
        if building is None:
            return False
        if canvas.selected_buildings != [building]:
            canvas.set_building_selection([building])
            canvas.buildings_selected.emit([building])
        footprint = canvas.selected_footprints()[0]
        coords = shapely.get_coordinates(footprint)
        if shapely.get_dimensions(footprint) != 2 or not len(coords):
            return False
        reach = canvas.snap_reach()
        distance = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
        self.building, self.footprint, self.corner = building, footprint, coords[int(np.argmin(distance))]
        return bool(distance.min() <= reach)

    def reshaped(self, to: tuple[float, float]):
        """The footprint with every copy of the grabbed corner (a ring's first and last) moved to `to`."""
        def move(coords: np.ndarray) -> np.ndarray:
            coords = coords.copy()
            coords[(coords[:, 0] == self.corner[0]) & (coords[:, 1] == self.corner[1])] = to
            return coords

        return shapely.transform(self.footprint, move)

    def drop(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        x, y, _ = self.canvas.snap(*end)
        self.canvas.document.perform(reshape_building, self.building, self.reshaped((x, y)))

    def paint(self, painter: QPainter) -> None:
        if self.start is not None and self.cursor_at is not None:
            self._paint_footprint(painter, self.reshaped(self.cursor_at))
        super().paint(painter)


class SplitBuildingTool(_SketchTool):
    """Draw a line across a building (the selected one, if it crosses several); double-click splits it."""

    name = "split_building"

    def finished(self, points: list[tuple[float, float]]) -> None:
        canvas, line = self.canvas, shapely.LineString(points)
        crossed = canvas.buildings_crossed(line)
        chosen = [b for b in crossed if b in canvas.selected_buildings] or crossed
        if len(chosen) != 1:
            canvas.document.refused.emit(QCoreApplication.translate(
                "BuildingTools", "Draw the line across one building, or select the building to split first."))
            return
        canvas.document.perform(split_building, chosen[0], line)


class _BuildingClickTool(Tool):
    """A left click on a building hands its id to :meth:`clicked`; a click beside every building does nothing."""

    cursor = Qt.CursorShape.PointingHandCursor

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.canvas.document is None:
            return
        building = self.canvas.building_at(*xy)
        if building is not None:
            self.clicked(building)

    def clicked(self, building: int) -> None:
        raise NotImplementedError


class AssignBuildingTool(_BuildingClickTool):
    """With one small area selected, a click on a building moves the building into that area."""

    name = "assign_building"

    def clicked(self, building: int) -> None:
        canvas, document = self.canvas, self.canvas.document
        if len(canvas.selection) != 1:
            document.refused.emit(QCoreApplication.translate(
                "BuildingTools", "Select the one small area first, then click the building that should join it."))
            return
        document.perform(assign_building, building, canvas.selection[0])


class SettleRegisterTool(_BuildingClickTool):
    """With an address chosen in the Register panel (``canvas.register_address``, in ``register_village``), a click on
    a building places every register row at that address there and remembers the choice: one undo step."""

    name = "settle_register"

    def clicked(self, building: int) -> None:
        canvas, document = self.canvas, self.canvas.document
        if not canvas.register_address:
            document.refused.emit(QCoreApplication.translate(
                "BuildingTools", "Choose an address in the Register panel first, then click the building it belongs to."))
            return
        document.perform(settle_edit, canvas.register_address, building, canvas.register_village)


#: The building tools by name, in toolbar order.
BUILDING_TOOLS = {tool.name: tool for tool in (AddBuildingTool, DrawBuildingTool, MoveBuildingTool, ReshapeBuildingTool,
                                               SplitBuildingTool, AssignBuildingTool, SettleRegisterTool)}
