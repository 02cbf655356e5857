"""MapCanvas: the map widget — draws the project's layers, navigates, selects, and sketches edits with snapping."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QBrush, QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen,
                           QPolygonF, QResizeEvent, QWheelEvent)
from PySide6.QtWidgets import QWidget

from gis_census.editing import snap_point
from gis_census.schema import LAYER_ORDER
from ui.canvas.feature_index import FeatureIndex
from ui.canvas.overlay import render_highlight, render_selection
from ui.canvas.renderer import LayerGraphics, build_layer, render_layers
from ui.canvas.view import MapView

__all__ = ["MapCanvas", "Tool"]

BACKGROUND = QColor("#f7f6f2")
#: Zoom factor of one wheel notch (120 eighths of a degree).
WHEEL_STEP = 1.25
#: Snapping reach in pixels, whatever the zoom.
SNAP_PIXELS = 10
#: Share of the view an arrow key pans by.
ARROW_STEP = 0.25
SKETCH = QColor("#d4145a")
#: Layers indexed for picking and snapping, and their key columns (not the buildings: a county's
#: 200,000 would cost a second at every open, and nothing picks them on the map).
INDEXED = {"small_areas": "code", "districts": "code"}


class Tool:
    """The canvas tools; the window switches between them."""

    SELECT = "select"  # click selects a small area (Shift adds or removes), drag pans
    PAN = "pan"
    DRAW = "draw"  # click vertices of a new small area, double-click (or Enter) finishes
    SPLIT = "split"  # click a line across a small area, double-click (or Enter) finishes
    VERTEX = "vertex"  # drag a vertex or a point of a boundary; neighbours move with it
    ALL = (SELECT, PAN, DRAW, SPLIT, VERTEX)


class MapCanvas(QWidget):
    """Shows layers in schema drawing order; the picture is cached and redrawn only when it changes."""

    #: Emitted after the map has been drawn anew into the cache.
    rendered = Signal()
    #: The map position under the mouse, in metres of the project CRS.
    mouse_moved = Signal(float, float)
    #: The view's scale changed (pixels per metre).
    scale_changed = Signal(float)
    #: The user changed the selection of small areas (their codes).
    selection_changed = Signal(list)
    #: A finished sketch: a polygon for a new area, a line to split along (shapely geometries).
    area_drawn = Signal(object)
    split_drawn = Signal(object)
    #: A vertex (or boundary point) dragged from the first (x, y) to the second.
    vertex_dragged = Signal(tuple, tuple)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the map, not the layer list, starts with focus
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(200, 150)
        self._layers: dict[str, LayerGraphics] = {}
        self._frames: dict[str, gpd.GeoDataFrame] = {}
        self._style_args: dict[str, dict] = {}
        self._hidden: set[str] = set()
        self.indexes: dict[str, FeatureIndex] = {}
        self._view = MapView(width=self.width(), height=self.height())
        self._fit_pending = False  # fit once the widget has its real size, at the next paint
        self._image: QImage | None = None  # None: draw anew at the next paint
        self._drag_from: QPointF | None = None
        self._drag_by = QPointF()
        self.tool = Tool.SELECT
        self._sketch: list[tuple[float, float]] = []
        self._cursor_map: tuple[float, float] | None = None
        self._snap: tuple[float, float, str | None] | None = None
        self._vertex_from: tuple[float, float] | None = None
        self._press_at = QPointF()
        self.selection: list[str] = []
        self._highlight: shapely.Geometry | None = None

    # -- content -----------------------------------------------------------------------------

    def set_layers(self, layers: Mapping[str, gpd.GeoDataFrame], style_args: Mapping[str, dict] | None = None) -> None:
        """Show these layers (a project's), all visible, fitted to their full extent.

        `style_args` are extra keywords for `build_layer` per layer (e.g. the small areas' target)."""
        self._layers.clear()
        self._frames.clear()
        self._hidden.clear()
        self._style_args = dict(style_args or {})
        self.selection = []
        for name, gdf in layers.items():
            self.set_layer(name, gdf)
        self.zoom_full()

    def set_layer(self, name: str, gdf: gpd.GeoDataFrame) -> None:
        """Show a new version of layer `name`; only its paths are rebuilt, its index built anew."""
        self._frames[name] = gdf
        self._layers[name] = build_layer(name, gdf, **self._style_args.get(name, {}))
        if name in INDEXED:
            self.indexes[name] = FeatureIndex(gdf, INDEXED[name])
        self._invalidate()

    def update_layer(self, name: str, gdf: gpd.GeoDataFrame, removed: gpd.GeoDataFrame, added: gpd.GeoDataFrame) -> None:
        """Show the edited layer `name`: its paths rebuilt, its index updated only for the rows changed.

        Buildings are drawn from their footprints alone, so an edit that only recodes them (most area
        edits do) keeps their graphics: rebuilding a county's 200,000 footprints costs ~0.2 s an edit."""
        self._frames[name] = gdf
        if name != "buildings" or not _same_footprints(removed, added):
            self._layers[name] = build_layer(name, gdf, **self._style_args.get(name, {}))
        if name in self.indexes:
            self.indexes[name].update(removed, added)
        if name == "small_areas":  # areas deleted or merged away leave the selection
            codes = set(gdf["code"])
            self.set_selection([c for c in self.selection if c in codes])
        self._invalidate()

    def layer_frame(self, name: str) -> gpd.GeoDataFrame | None:
        return self._frames.get(name)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        if visible == self.is_layer_visible(name):
            return
        if visible:
            self._hidden.discard(name)
        else:
            self._hidden.add(name)
        self._invalidate()

    def is_layer_visible(self, name: str) -> bool:
        return name not in self._hidden

    def full_extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) in metres of all layers, None when there is nothing to show."""
        boxes = [g.bounds for g in self._layers.values() if g.bounds is not None]
        if not boxes:
            return None
        xmin, ymin, xmax, ymax = zip(*boxes)
        return min(xmin), min(ymin), max(xmax), max(ymax)

    # -- selection and tools -----------------------------------------------------------------

    def set_tool(self, tool: str) -> None:
        """Switch to `tool` (one of `Tool.ALL`), dropping any unfinished sketch."""
        self.tool = tool
        self.cancel_sketch()
        self.setCursor(Qt.CursorShape.ArrowCursor if tool in (Tool.SELECT, Tool.PAN) else Qt.CursorShape.CrossCursor)

    def cancel_sketch(self) -> None:
        self._sketch, self._snap, self._vertex_from = [], None, None
        self.update()

    def set_selection(self, codes: list[str]) -> None:
        """Select these small areas (no signal: this is the program's choice, not the user's)."""
        if codes != self.selection:
            self.selection = list(codes)
            self.update()

    def set_highlight(self, geometry: shapely.Geometry | None) -> None:
        """Mark a location (a problem's) on top of the map, or clear the mark."""
        self._highlight = geometry
        self.update()

    def area_at(self, x: float, y: float) -> str | None:
        """The code of the small area covering the map point (x, y), if any."""
        index = self.indexes.get("small_areas")
        hits = index.at(x, y) if index is not None else []
        return hits[0] if hits else None

    def snap(self, x: float, y: float) -> tuple[float, float, str | None]:
        """(x, y) moved to the nearest vertex, else edge, of a small area or district within SNAP_PIXELS."""
        reach = SNAP_PIXELS / self.view.scale
        geoms = [self.indexes[n].geometries(self.indexes[n].near(x, y, reach))
                 for n in ("small_areas", "districts") if n in self.indexes]
        geoms = np.concatenate(geoms) if geoms else np.zeros(0, dtype=object)
        if not len(geoms):
            return x, y, None
        return snap_point(geoms, (x, y), reach)

    # -- view --------------------------------------------------------------------------------

    @property
    def view(self) -> MapView:
        """The current view (after any pending fit to full extent)."""
        if self._fit_pending:
            extent = self.full_extent()
            size = (self.width(), self.height())
            self._view = MapView.fit(extent, *size) if extent else MapView(width=size[0], height=size[1])
            self._fit_pending = False
            self.scale_changed.emit(self._view.scale)
        return self._view

    def zoom_full(self) -> None:
        """Show the full extent of all layers."""
        self._fit_pending = True
        self._invalidate()

    def zoom_to(self, bounds: tuple[float, float, float, float], margin: float = 0.15, least: float = 250.0) -> None:
        """Show `bounds` (xmin, ymin, xmax, ymax in metres) whole, with room around, and at least `least`
        metres across, so that a building or a point is seen among its neighbours."""
        xmin, ymin, xmax, ymax = bounds
        grow_x, grow_y = max(least - (xmax - xmin), 0) / 2, max(least - (ymax - ymin), 0) / 2
        xmin, xmax, ymin, ymax = xmin - grow_x, xmax + grow_x, ymin - grow_y, ymax + grow_y
        pad = max(xmax - xmin, ymax - ymin) * margin
        self._fit_pending = False
        self._set_view(MapView.fit((xmin - pad, ymin - pad, xmax + pad, ymax + pad), self.width(), self.height()))

    def set_view(self, view: MapView) -> None:
        """Look through `view` (its centre and scale; the size stays the widget's)."""
        self._fit_pending = False
        self._set_view(view.resized(self.width(), self.height()))

    def zoom_at(self, factor: float, pos: QPointF) -> None:
        """Scale by `factor` about the widget position `pos`, which keeps its map point."""
        self._set_view(self.view.zoomed(factor, pos.x(), pos.y()))

    def pan_by(self, dx_px: float, dy_px: float) -> None:
        """Move the map by (dx_px, dy_px) pixels, as if dragged."""
        self._set_view(self.view.panned(dx_px, dy_px))

    def to_map(self, pos: QPointF) -> tuple[float, float]:
        """The map point in metres under the widget position `pos`."""
        return self.view.to_map(pos.x() - self._drag_by.x(), pos.y() - self._drag_by.y())

    def to_widget(self, x: float, y: float) -> QPointF:
        """The widget position of the map point (x, y)."""
        sx, sy = self.view.to_screen(np.array([[x, y]]))[0]
        return QPointF(sx, sy)

    def scale_denominator(self) -> float:
        """N of the map scale 1:N on this screen (its logical DPI)."""
        metres_per_pixel = 0.0254 / max(self.logicalDpiX(), 1)
        return 1.0 / self.view.scale / metres_per_pixel

    def _set_view(self, view: MapView) -> None:
        changed = view.scale != self._view.scale
        self._view = view
        self._invalidate()
        if changed:
            self.scale_changed.emit(view.scale)

    def _invalidate(self) -> None:
        self._image = None
        self.update()

    # -- Qt events ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        if not self._fit_pending:  # keep the centre and scale; show more or less around them
            self._view = self._view.resized(self.width(), self.height())
        self._invalidate()
        super().resizeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches and self._drag_from is None:
            self.zoom_at(WHEEL_STEP**notches, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        steps = {Qt.Key.Key_Left: (1, 0), Qt.Key.Key_Right: (-1, 0), Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1)}
        if key in steps:
            dx, dy = steps[key]
            self.pan_by(dx * self.width() * ARROW_STEP, dy * self.height() * ARROW_STEP)
        elif key == Qt.Key.Key_Escape:
            self.cancel_sketch()
        elif key == Qt.Key.Key_Backspace and self._sketch:
            self._sketch.pop()
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish_sketch()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        pans = button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self.tool in (Tool.SELECT, Tool.PAN))
        if pans:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif button == Qt.MouseButton.LeftButton and self.tool in (Tool.DRAW, Tool.SPLIT):
            x, y, _ = self.snap(*self.to_map(event.position()))
            if not self._sketch or self._sketch[-1] != (x, y):
                self._sketch.append((x, y))
            self.update()
        elif button == Qt.MouseButton.LeftButton and self.tool == Tool.VERTEX:
            x, y, kind = self.snap(*self.to_map(event.position()))
            self._vertex_from = (x, y) if kind is not None else None
            self._press_at = event.position()
        elif button == Qt.MouseButton.RightButton and self.tool in (Tool.DRAW, Tool.SPLIT):
            self._finish_sketch()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.tool in (Tool.DRAW, Tool.SPLIT):
            self._finish_sketch()  # the double-click's first press already placed the last vertex
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            # Slide the cached picture while dragging; draw anew once, on release.
            self._drag_by = event.position() - self._drag_from
            self.update()
        elif self.tool in (Tool.DRAW, Tool.SPLIT, Tool.VERTEX):
            self._cursor_map = self.to_map(event.position())
            self._snap = self.snap(*self._cursor_map) if self._vertex_from is None else None
            self.update()
        self.mouse_moved.emit(*self.to_map(event.position()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None and event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            offset, self._drag_from, self._drag_by = self._drag_by, None, QPointF()
            self.setCursor(Qt.CursorShape.ArrowCursor)
            if not offset.isNull() and offset.manhattanLength() > 2:
                self._set_view(self.view.panned(offset.x(), offset.y()))
            elif self.tool == Tool.SELECT and event.button() == Qt.MouseButton.LeftButton:
                self._click_select(event)
        elif self._vertex_from is not None and event.button() == Qt.MouseButton.LeftButton:
            start, self._vertex_from = self._vertex_from, None
            end = self.to_map(event.position())
            if (event.position() - self._press_at).manhattanLength() > 2:  # a click is not a move
                self.vertex_dragged.emit(start, end)
            self.update()
        event.accept()

    def _click_select(self, event: QMouseEvent) -> None:
        code = self.area_at(*self.to_map(event.position()))
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            chosen = [c for c in self.selection if c != code] + ([code] if code and code not in self.selection else [])
        else:
            chosen = [code] if code else []
        self.set_selection(chosen)
        self.selection_changed.emit(list(chosen))

    def _finish_sketch(self) -> None:
        points, self._sketch = self._sketch, []
        self.update()
        if self.tool == Tool.DRAW and len(points) >= 3:
            polygon = shapely.make_valid(shapely.Polygon(points))
            self.area_drawn.emit(polygon)
        elif self.tool == Tool.SPLIT and len(points) >= 2:
            self.split_drawn.emit(shapely.LineString(points))

    def paintEvent(self, event: QPaintEvent) -> None:
        fresh = self._image is None or self._image.deviceIndependentSize().toSize() != self.size()
        if fresh:
            self._image = self._render()
        painter = QPainter(self)
        try:
            if not self._drag_by.isNull():
                painter.fillRect(self.rect(), BACKGROUND)
            painter.drawImage(self._drag_by, self._image)
            if self._drag_by.isNull():
                self._paint_overlay(painter)
        finally:
            painter.end()
        if fresh:
            self.rendered.emit()

    def _render(self) -> QImage:
        view = self.view.resized(self.width(), self.height())
        ratio = self.devicePixelRatioF()
        image = QImage(round(view.width * ratio), round(view.height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(BACKGROUND)
        shown = [self._layers[n] for n in LAYER_ORDER if n in self._layers and n not in self._hidden]
        painter = QPainter(image)
        try:
            render_layers(painter, shown, view, self.font())
        finally:
            painter.end()
        return image

    # -- overlay: selection, problem mark, sketch, snapping marker ---------------------------------

    def _paint_overlay(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        index = self.indexes.get("small_areas")
        if self.selection and index is not None:
            render_selection(painter, index.geometries(self.selection), self.view)
        render_highlight(painter, self._highlight, self.view)
        if self._sketch:
            points = [self.to_widget(x, y) for x, y in self._sketch]
            if self._cursor_map is not None:
                x, y, _ = self._snap or (*self._cursor_map, None)
                points.append(self.to_widget(x, y))
            painter.setPen(_pen(SKETCH, 2.0, dashed=True))
            painter.setBrush(QBrush(QColor(212, 20, 90, 40)) if self.tool == Tool.DRAW else Qt.BrushStyle.NoBrush)
            (painter.drawPolygon if self.tool == Tool.DRAW else painter.drawPolyline)(QPolygonF(points))
            painter.setBrush(QBrush(SKETCH))
            for p in points[:-1]:
                painter.drawEllipse(p, 3, 3)
        if self._vertex_from is not None and self._cursor_map is not None:
            painter.setPen(_pen(SKETCH, 2.0, dashed=True))
            painter.drawLine(self.to_widget(*self._vertex_from), self.to_widget(*self._cursor_map))
            painter.setBrush(QBrush(SKETCH))
            painter.drawEllipse(self.to_widget(*self._cursor_map), 5, 5)
        if self._snap is not None and self._snap[2] is not None:
            centre = self.to_widget(self._snap[0], self._snap[1])
            painter.setPen(_pen(QColor("#e0007a"), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if self._snap[2] == "vertex":
                painter.drawRect(QRectF(centre.x() - 6, centre.y() - 6, 12, 12))
            else:  # on an edge
                painter.drawLine(centre + QPointF(-6, -6), centre + QPointF(6, 6))
                painter.drawLine(centre + QPointF(-6, 6), centre + QPointF(6, -6))


def _same_footprints(removed: gpd.GeoDataFrame, added: gpd.GeoDataFrame) -> bool:
    """Whether an edit's rows of the buildings layer keep their ids and footprints (only attributes change)."""
    if len(removed) != len(added):
        return False
    before, after = removed.sort_values("id"), added.sort_values("id")
    return bool((before["id"].to_numpy() == after["id"].to_numpy()).all() and shapely.equals_exact(
        np.asarray(before.geometry.array, dtype=object), np.asarray(after.geometry.array, dtype=object), tolerance=0).all())


def _pen(color: QColor, width: float, dashed: bool = False) -> QPen:
    pen = QPen(color, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
