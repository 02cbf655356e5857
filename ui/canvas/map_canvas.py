"""MapCanvas: the map widget — draws the project's layers, zooms with the wheel, pans by dragging."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from gis_census.schema import LAYER_ORDER
from ui.canvas.renderer import LayerGraphics, build_layer, render_layers
from ui.canvas.view import MapView

__all__ = ["MapCanvas"]

BACKGROUND = QColor("#f7f6f2")
#: Zoom factor of one wheel notch (120 eighths of a degree).
WHEEL_STEP = 1.25


class MapCanvas(QWidget):
    """Shows layers in schema drawing order; the picture is cached and redrawn only when it changes."""

    #: Emitted after the map has been drawn anew into the cache.
    rendered = Signal()
    #: The map position under the mouse, in metres of the project CRS.
    mouse_moved = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the map, not the layer list, starts with focus
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(200, 150)
        self._layers: dict[str, LayerGraphics] = {}
        self._hidden: set[str] = set()
        self._view = MapView(width=self.width(), height=self.height())
        self._fit_pending = False  # fit once the widget has its real size, at the next paint
        self._image: QImage | None = None  # None: draw anew at the next paint
        self._drag_from: QPointF | None = None
        self._drag_by = QPointF()

    # -- content -----------------------------------------------------------------------------

    def set_layers(self, layers: Mapping[str, gpd.GeoDataFrame]) -> None:
        """Show these layers (a project's), all visible, fitted to their full extent."""
        self._layers.clear()
        self._hidden.clear()
        for name, gdf in layers.items():
            self.set_layer(name, gdf)
        self.zoom_full()

    def set_layer(self, name: str, gdf: gpd.GeoDataFrame) -> None:
        """Show a new version of layer `name`; only its paths are rebuilt."""
        self._layers[name] = build_layer(name, gdf)
        self._invalidate()

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

    # -- view --------------------------------------------------------------------------------

    @property
    def view(self) -> MapView:
        """The current view (after any pending fit to full extent)."""
        if self._fit_pending:
            extent = self.full_extent()
            size = (self.width(), self.height())
            self._view = MapView.fit(extent, *size) if extent else MapView(width=size[0], height=size[1])
            self._fit_pending = False
        return self._view

    def zoom_full(self) -> None:
        """Show the full extent of all layers."""
        self._fit_pending = True
        self._invalidate()

    def zoom_at(self, factor: float, pos: QPointF) -> None:
        """Scale by `factor` about the widget position `pos`, which keeps its map point."""
        self._set_view(self.view.zoomed(factor, pos.x(), pos.y()))

    def to_map(self, pos: QPointF) -> tuple[float, float]:
        """The map point in metres under the widget position `pos`."""
        return self.view.to_map(pos.x() - self._drag_by.x(), pos.y() - self._drag_by.y())

    def _set_view(self, view: MapView) -> None:
        self._view = view
        self._invalidate()

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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            # Slide the cached picture while dragging; draw anew once, on release.
            self._drag_by = event.position() - self._drag_from
            self.update()
        self.mouse_moved.emit(*self.to_map(event.position()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag_from is not None:
            offset, self._drag_from, self._drag_by = self._drag_by, None, QPointF()
            self.unsetCursor()
            if not offset.isNull():
                self._set_view(self.view.panned(offset.x(), offset.y()))
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        fresh = self._image is None or self._image.deviceIndependentSize().toSize() != self.size()
        if fresh:
            self._image = self._render()
        painter = QPainter(self)
        try:
            if not self._drag_by.isNull():
                painter.fillRect(self.rect(), BACKGROUND)
            painter.drawImage(self._drag_by, self._image)
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
