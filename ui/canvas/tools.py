"""The map tools: what the left mouse button and the keys do on the canvas, one small class each.

A tool turns gestures into engine calls through the canvas's document; the canvas hands it its events
(positions already in map metres) and lets it paint over the map. A new tool (e.g. for buildings)
subclasses :class:`Tool` and is listed in `TOOLS`.
"""

from __future__ import annotations

import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QPolygonF

from gis_census.editing import add_small_area, add_special_district, move_vertex

__all__ = ["Tool", "SelectTool", "PanTool", "DrawTool", "SplitTool", "VertexTool", "SplitDistrictTool", "SpecialDistrictTool",
           "TOOLS"]

SKETCH = QColor("#d4145a")
SNAP_MARK = QColor("#e0007a")
#: Pixels the mouse may move between press and release and still make a click.
CLICK_SLOP = 2


class Tool:
    """A canvas tool; the hooks do nothing unless a subclass says otherwise.

    `pans`: a left drag moves the map (the canvas does the panning itself).
    """

    name = ""
    pans = False
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas):
        self.canvas = canvas
        self.snapped: tuple[float, float, str | None] | None = None  # the snapped cursor, marked on the map

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        """A mouse button went down at map point `xy` (not a pan)."""

    def move(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        """The mouse moved to `xy` (not while panning)."""

    def release(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        """A mouse button came up at `xy` (not ending a pan)."""

    def click(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        """A left click of a panning tool: pressed and released without dragging."""

    def double_click(self, event: QMouseEvent) -> None:
        """A double-click; its first press has already been handed to `press`."""

    def key(self, event: QKeyEvent) -> bool:
        """A key the canvas does not handle itself; True when the tool used it."""
        return False

    def cancel(self) -> None:
        """Drop any unfinished gesture (Escape, another tool, an undo)."""
        self.snapped = None

    def paint(self, painter: QPainter) -> None:
        """Draw the gesture in progress over the map; by default the snapping marker."""
        if self.snapped is None or self.snapped[2] is None:
            return
        centre = self.canvas.to_widget(self.snapped[0], self.snapped[1])
        painter.setPen(pen(SNAP_MARK, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.snapped[2] == "vertex":  # a square on a vertex, a cross on an edge
            painter.drawRect(QRectF(centre.x() - 6, centre.y() - 6, 12, 12))
        else:
            painter.drawLine(centre + QPointF(-6, -6), centre + QPointF(6, 6))
            painter.drawLine(centre + QPointF(-6, 6), centre + QPointF(6, -6))

    def _track_snap(self, xy: tuple[float, float]) -> None:
        self.snapped = self.canvas.snap(*xy)
        self.canvas.update()


class SelectTool(Tool):
    """Click selects a building when zoomed in to one, else a small area (Shift adds or removes it); a drag pans."""

    name = "select"
    pans = True
    cursor = Qt.CursorShape.ArrowCursor

    def click(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        canvas = self.canvas
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        building = canvas.building_at(*xy)
        if building is not None:
            canvas.set_building_selection(_toggled(canvas.selected_buildings, building) if shift else [building])
            canvas.buildings_selected.emit(list(canvas.selected_buildings))
            return
        code = canvas.area_at(*xy)
        chosen = _toggled(canvas.selection, code) if shift else [code] if code else []
        canvas.set_building_selection([])
        # Where there is no small area (a fresh project), the click picks the district, for Auto-Divide.
        district = (canvas.district_at(*xy) or "") if code is None and not shift else ""
        canvas.set_picked_district(district)
        canvas.set_selection(chosen)
        canvas.selection_changed.emit(list(chosen))
        if district:
            canvas.district_picked.emit(district)


class PanTool(Tool):
    """A drag moves the map; clicks do nothing."""

    name = "pan"
    pans = True
    cursor = Qt.CursorShape.ArrowCursor


class _SketchTool(Tool):
    """Click points (snapped), double-click, Enter or right-click finishes, Backspace drops the last one."""

    closed = False  # drawn as a polygon, else as a line
    least = 2  # points the finished sketch needs

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points: list[tuple[float, float]] = []

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._finish()
        elif event.button() == Qt.MouseButton.LeftButton:
            x, y, _ = self.canvas.snap(*xy)
            if not self.points or self.points[-1] != (x, y):
                self.points.append((x, y))
            self.canvas.update()

    def move(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        self._track_snap(xy)

    def double_click(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._finish()  # the double-click's first press already placed the last point

    def key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Backspace and self.points:
            self.points.pop()
            self.canvas.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish()
        else:
            return False
        return True

    def cancel(self) -> None:
        super().cancel()
        self.points = []

    def paint(self, painter: QPainter) -> None:
        if self.points:
            points = [self.canvas.to_widget(x, y) for x, y in self.points]
            if self.snapped is not None:
                points.append(self.canvas.to_widget(self.snapped[0], self.snapped[1]))
            painter.setPen(pen(SKETCH, 2.0, dashed=True))
            painter.setBrush(QBrush(QColor(212, 20, 90, 40)) if self.closed else Qt.BrushStyle.NoBrush)
            (painter.drawPolygon if self.closed else painter.drawPolyline)(QPolygonF(points))
            painter.setBrush(QBrush(SKETCH))
            for p in points[:-1]:
                painter.drawEllipse(p, 3, 3)
        super().paint(painter)

    def _finish(self) -> None:
        points, self.points = self.points, []
        self.canvas.update()
        if len(points) >= self.least and self.canvas.document is not None:
            self.finished(points)

    def finished(self, points: list[tuple[float, float]]) -> None:
        """Act on a finished sketch of at least `least` points."""
        raise NotImplementedError


class DrawTool(_SketchTool):
    """Click the corners of a new small area; it is clipped to its district and to free land."""

    name = "draw"
    closed = True
    least = 3

    def finished(self, points: list[tuple[float, float]]) -> None:
        self.canvas.document.perform(add_small_area, shapely.make_valid(shapely.Polygon(points)))


class SplitTool(_SketchTool):
    """Click a line across a small area; the area it cuts (the selected one, if it cuts several) is split."""

    name = "split"

    def finished(self, points: list[tuple[float, float]]) -> None:
        self.canvas.document.split_along(shapely.LineString(points), self.canvas.selection)


class SplitDistrictTool(_SketchTool):
    """Click a line across a district; the district it cuts (the selected area's, if it cuts several) becomes two
    or more districts of its village, their small areas recoded."""

    name = "split_district"

    def finished(self, points: list[tuple[float, float]]) -> None:
        self.canvas.document.split_district_along(shapely.LineString(points), self.canvas.selection)


class SpecialDistrictTool(_SketchTool):
    """Click the corners of a special district (学校, 营区 …) inside a village; its land is taken from the
    districts it lies in. Its kind and name are the canvas's `special_district` (asked when the tool is chosen)."""

    name = "special_district"
    closed = True
    least = 3

    def finished(self, points: list[tuple[float, float]]) -> None:
        kind, name = getattr(self.canvas, "special_district", ("", ""))
        self.canvas.document.perform(add_special_district, shapely.make_valid(shapely.Polygon(points)), kind, name)


class VertexTool(Tool):
    """Drag a vertex or a point of a boundary; every small area sharing it moves with it. Both ends of
    the drag snap by the same rule."""

    name = "vertex"

    def __init__(self, canvas):
        super().__init__(canvas)
        self.start: tuple[float, float] | None = None
        self.cursor_at: tuple[float, float] | None = None
        self._press_at = QPointF()

    def press(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            x, y, kind = self.canvas.snap(*xy)
            self.start = (x, y) if kind is not None else None
            self._press_at = event.position()

    def move(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        self.cursor_at = xy
        if self.start is None:
            self._track_snap(xy)
        else:
            self.snapped = None
            self.canvas.update()

    def release(self, event: QMouseEvent, xy: tuple[float, float]) -> None:
        if self.start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        start, self.start = self.start, None
        self.canvas.update()
        document = self.canvas.document
        if (event.position() - self._press_at).manhattanLength() > CLICK_SLOP and document is not None:
            x, y, _ = self.canvas.snap(*xy)
            document.perform(move_vertex, start, (x, y))

    def cancel(self) -> None:
        super().cancel()
        self.start = None

    def paint(self, painter: QPainter) -> None:
        if self.start is not None and self.cursor_at is not None:
            painter.setPen(pen(SKETCH, 2.0, dashed=True))
            painter.drawLine(self.canvas.to_widget(*self.start), self.canvas.to_widget(*self.cursor_at))
            painter.setBrush(QBrush(SKETCH))
            painter.drawEllipse(self.canvas.to_widget(*self.cursor_at), 5, 5)
        super().paint(painter)


#: The tools by name, in toolbar order.
TOOLS = {tool.name: tool for tool in (SelectTool, PanTool, DrawTool, SplitTool, VertexTool, SplitDistrictTool,
                                      SpecialDistrictTool)}


def _toggled(chosen: list, key) -> list:
    """`chosen` with `key` removed if there, else added (None changes nothing)."""
    if key is None:
        return list(chosen)
    return [k for k in chosen if k != key] if key in chosen else [*chosen, key]


def pen(color: QColor, width: float, dashed: bool = False) -> QPen:
    """A round-joined pen, dashed for sketches."""
    p = QPen(color, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    p.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return p
