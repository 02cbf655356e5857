"""MapCanvas: the map widget — draws the document's layers and follows its edits, navigates, and hands
mouse and keys to the active tool (:mod:`ui.canvas.tools`)."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from gis_census.editing import snap_to_project
from gis_census.rules import Target
from gis_census.schema import LAYERS
from ui.canvas.building_tools import BUILDING_TOOLS
from ui.canvas.feature_index import FeatureIndex
from ui.canvas.overlay import render_buildings, render_highlight, render_selection
from ui.canvas.renderer import LayerGraphics, build_layer, draw_order, render_layers
from ui.canvas.tools import CLICK_SLOP, TOOLS, SelectTool, Tool
from ui.canvas.view import MapView

__all__ = ["MapCanvas"]

BACKGROUND = QColor("#f7f6f2")
#: Zoom factor of one wheel notch (120 eighths of a degree).
WHEEL_STEP = 1.25
#: Snapping reach in pixels, whatever the zoom.
SNAP_PIXELS = 10
#: Share of the view an arrow key pans by.
ARROW_STEP = 0.25
#: Layers indexed for picking and drawing the selection, and their key columns (not the buildings: a
#: county's 200,000 would cost a second at every open, and nothing picks them on the map). Snapping
#: asks the engine, over the project's own spatial indexes.
INDEXED = {"small_areas": "code"}
#: Pixels per metre from which buildings are picked by a click (4 m a pixel: a house is a few pixels
#: across); further out a click picks the small area. Buildings are found with the project's own
#: spatial index (a point query), which costs nothing at open.
PICK_BUILDINGS_SCALE = 0.25
#: Reach of a building pick in pixels, so that a small footprint is easy to hit.
PICK_PIXELS = 3


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
    #: The user picked buildings on the map (their ids; empty when a click picked none).
    buildings_selected = Signal(list)
    #: The user clicked a district where it has no small areas (its code; "" when the click picked none).
    district_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the map, not the layer list, starts with focus
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(200, 150)
        self._layers: dict[str, LayerGraphics] = {}
        self._style_args: dict[str, dict] = {}
        self._hidden: set[str] = set()
        self.indexes: dict[str, FeatureIndex] = {}
        self._view = MapView(width=self.width(), height=self.height())
        self._fit_pending = False  # fit once the widget has its real size, at the next paint
        self._image: QImage | None = None  # None: draw anew at the next paint
        self.basemap = None  # an imagery basemap (gis_census.maps.basemap.Basemap) drawn under the layers, or None
        self._drag_from: QPointF | None = None
        self._drag_by = QPointF()
        self.tool: Tool = SelectTool(self)
        self.document = None  # the ProjectDocument shown, whose edits the tools make
        self.selection: list[str] = []
        self.selected_buildings: list[int] = []
        self.register_address = ""  # the address chosen in the Register panel, which the settle tool places,
        self.register_village = ""  # and its rows' 所属村
        self._building_geoms = np.empty(0, dtype=object)  # of the selected buildings, for the overlay
        self._highlight: shapely.Geometry | None = None
        self.picked_district = ""  # a district clicked where it has no small areas (a fresh project's), to divide

    # -- content -----------------------------------------------------------------------------

    def attach(self, document) -> None:
        """Show `document`'s project (small areas tinted against its target) and follow its edits and problems."""
        self.cancel_sketch()
        self.document = document
        goal = Target.of(document.project.meta)
        self.set_layers(document.project.layers,
                        {"small_areas": {"target": goal.size, "tolerance": goal.tolerance, "unit": goal.unit}})
        document.edited.connect(self._on_edited)
        document.problems_changed.connect(self._on_problems)
        if document.checked:
            self._on_problems("")

    def _on_edited(self, edit) -> None:
        for diff in edit.diffs:
            if LAYERS[diff.layer].geometry == "none":  # the register's tables: nothing to draw
                continue
            self.update_layer(diff.layer, self.document.project[diff.layer], diff.removed, diff.added)
        if any(diff.layer == "buildings" for diff in edit.diffs):  # buildings moved, reshaped or gone
            self.set_building_selection(self.selected_buildings)

    def _on_problems(self, _district: str) -> None:
        self.set_layer("problems", self.document.problems_frame())

    def set_layers(self, layers: Mapping[str, gpd.GeoDataFrame], style_args: Mapping[str, dict] | None = None) -> None:
        """Show these layers (a project's), all visible, fitted to their full extent.

        `style_args` are extra keywords for `build_layer` per layer (e.g. the small areas' target)."""
        self._layers.clear()
        self._hidden.clear()
        self._style_args = dict(style_args or {})
        self.selection, self.selected_buildings = [], []
        self.picked_district = ""
        self._building_geoms = np.empty(0, dtype=object)
        for name, gdf in layers.items():
            self.set_layer(name, gdf)
        self.zoom_full()

    def set_layer(self, name: str, gdf: gpd.GeoDataFrame) -> None:
        """Show a new version of layer `name`; only its paths are rebuilt, its index built anew."""
        self._layers[name] = build_layer(name, gdf, **self._style_args.get(name, {}))
        if name in INDEXED:
            self.indexes[name] = FeatureIndex(gdf, INDEXED[name])
        self._invalidate()

    def update_layer(self, name: str, gdf: gpd.GeoDataFrame, removed: gpd.GeoDataFrame, added: gpd.GeoDataFrame) -> None:
        """Show the edited layer `name`: its paths rebuilt, its index updated only for the rows changed.

        Buildings are drawn from their footprints alone, so an edit that only recodes them (most area
        edits do) keeps their graphics: rebuilding a county's 200,000 footprints costs ~0.2 s an edit."""
        if name != "buildings" or not _same_drawing(removed, added):
            self._layers[name] = build_layer(name, gdf, **self._style_args.get(name, {}))
        if name in self.indexes:
            self.indexes[name].update(removed, added)
        if name == "small_areas":  # areas deleted or merged away leave the selection
            codes = set(gdf["code"])
            self.set_selection([c for c in self.selection if c in codes])
        self._invalidate()

    def set_basemap(self, basemap) -> None:
        """Draw `basemap` (a :class:`~gis_census.maps.basemap.Basemap`, read a window at a time at the screen's
        resolution) under the layers; None removes it."""
        self.basemap = basemap
        self._image = None
        self.update()

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

    def set_tool(self, name: str) -> None:
        """Switch to the tool `name` (a key of `TOOLS` or `BUILDING_TOOLS`), dropping any unfinished gesture."""
        self.cancel_sketch()
        self.tool = {**TOOLS, **BUILDING_TOOLS}[name](self)
        self.setCursor(self.tool.cursor)

    def cancel_sketch(self) -> None:
        """Drop the active tool's unfinished gesture."""
        self.tool.cancel()
        self.update()

    def set_selection(self, codes: list[str]) -> None:
        """Select these small areas (no signal: this is the program's choice, not the user's)."""
        if codes != self.selection:
            self.selection = list(codes)
            self.update()

    def set_building_selection(self, ids: list[int]) -> None:
        """Select these buildings (those still in the project; no signal)."""
        buildings = self.document.project["buildings"] if self.document is not None else None
        if buildings is None or not ids:
            self.selected_buildings, self._building_geoms = [], np.empty(0, dtype=object)
        else:
            rows = buildings["id"].isin(ids).to_numpy()
            present = set(buildings["id"].to_numpy()[rows].tolist())
            self.selected_buildings = [int(i) for i in ids if int(i) in present]
            self._building_geoms = np.asarray(buildings.geometry.array[rows], dtype=object)
        self.update()

    def selected_footprints(self) -> np.ndarray:
        """The footprints of the selected buildings."""
        return self._building_geoms

    def buildings_crossed(self, line: shapely.Geometry) -> list[int]:
        """The ids of the buildings `line` crosses."""
        if self.document is None or self.document.project["buildings"].empty:
            return []
        buildings = self.document.project["buildings"]
        hits = buildings.sindex.query(line, predicate="crosses")
        return [int(i) for i in buildings["id"].to_numpy()[np.sort(hits)]]

    def building_at(self, x: float, y: float) -> int | None:
        """The id of the building at the map point (x, y) (within PICK_PIXELS; the one it lies in, else
        the nearest), if buildings are shown and the view is zoomed in to PICK_BUILDINGS_SCALE."""
        if self.document is None or not self.is_layer_visible("buildings") or self.view.scale < PICK_BUILDINGS_SCALE:
            return None
        buildings = self.document.project["buildings"]
        if buildings.empty:
            return None
        point = shapely.Point(x, y)
        hits = buildings.sindex.query(point, predicate="dwithin", distance=PICK_PIXELS / self.view.scale)
        if not len(hits):
            return None
        geoms = np.asarray(buildings.geometry.array[hits], dtype=object)
        # Nearest first; among footprints holding the point (a podium under its tower), the smallest.
        order = np.lexsort((shapely.area(geoms), shapely.distance(geoms, point)))
        return int(buildings["id"].iat[hits[order[0]]])

    def set_highlight(self, geometry: shapely.Geometry | None) -> None:
        """Mark a location (a problem's) on top of the map, or clear the mark."""
        self._highlight = geometry
        self.update()

    def district_at(self, x: float, y: float) -> str | None:
        """The code of the district covering the map point (x, y), if any."""
        if self.document is None:
            return None
        districts = self.document.project["districts"]
        hits = districts.sindex.query(shapely.Point(x, y), predicate="intersects")
        return str(districts["code"].iat[int(hits[0])]) if len(hits) else None

    def set_picked_district(self, code: str) -> None:
        """Mark district `code` as picked ("" clears it); drawn like a selection."""
        if code != self.picked_district:
            self.picked_district = code
            self.update()

    def area_at(self, x: float, y: float) -> str | None:
        """The code of the small area covering the map point (x, y), if any."""
        index = self.indexes.get("small_areas")
        hits = index.at(x, y) if index is not None else []
        return hits[0] if hits else None

    def snap(self, x: float, y: float) -> tuple[float, float, str | None]:
        """(x, y) moved to the nearest vertex, else edge, of a small area or district within SNAP_PIXELS
        (the engine's rule, :func:`gis_census.editing.snap_to_project`)."""
        if self.document is None:
            return x, y, None
        return snap_to_project(self.document.project, (x, y), self.snap_reach())

    def snap_reach(self) -> float:
        """SNAP_PIXELS in metres at the current zoom."""
        return SNAP_PIXELS / self.view.scale

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
        elif not self.tool.key(event):
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self.tool.pans):
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        else:
            self.tool.press(event, self.to_map(event.position()))
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.tool.double_click(event)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            # Slide the cached picture while dragging; draw anew once, on release.
            self._drag_by = event.position() - self._drag_from
            self.update()
        else:
            self.tool.move(event, self.to_map(event.position()))
        self.mouse_moved.emit(*self.to_map(event.position()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None and event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            offset, self._drag_from, self._drag_by = self._drag_by, None, QPointF()
            self.setCursor(self.tool.cursor)
            if not offset.isNull() and offset.manhattanLength() > CLICK_SLOP:
                self._set_view(self.view.panned(offset.x(), offset.y()))
            elif event.button() == Qt.MouseButton.LeftButton:
                self.tool.click(event, self.to_map(event.position()))
        elif self._drag_from is None:
            self.tool.release(event, self.to_map(event.position()))
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
        shown = [self._layers[n] for n in draw_order() if n in self._layers and n not in self._hidden]
        painter = QPainter(image)
        try:
            if self.basemap is not None:
                self._paint_basemap(painter, view, image.width(), image.height())
            render_layers(painter, shown, view, self.font())
        finally:
            painter.end()
        return image

    def _paint_basemap(self, painter: QPainter, view, width_px: int, height_px: int) -> None:
        rgb = self.basemap.image(view.bounds(), width_px, height_px)
        if rgb is None:
            return
        rgb = np.ascontiguousarray(rgb)
        picture = QImage(rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1], QImage.Format.Format_RGB888)
        painter.drawImage(QRectF(0, 0, view.width, view.height), picture)

    # -- overlay: selection, problem mark, the tool's gesture ---------------------------------------

    def _paint_overlay(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        index = self.indexes.get("small_areas")
        if self.selection and index is not None:
            render_selection(painter, index.geometries(self.selection), self.view)
        if self.picked_district and self.document is not None:
            districts = self.document.project["districts"]
            render_selection(painter, districts.geometry.array[(districts["code"] == self.picked_district).to_numpy()],
                             self.view)
        if len(self._building_geoms):
            render_buildings(painter, self._building_geoms, self.view)
        render_highlight(painter, self._highlight, self.view)
        self.tool.paint(painter)


def _same_drawing(removed: gpd.GeoDataFrame, added: gpd.GeoDataFrame) -> bool:
    """Whether an edit's rows of the buildings layer keep their ids, numbers (their labels) and footprints."""
    if len(removed) != len(added):
        return False
    before, after = removed.sort_values("id"), added.sort_values("id")
    same = [(before[c].to_numpy() == after[c].to_numpy()).all() for c in ("id", "number") if c in before and c in after]
    return bool(all(same) and shapely.equals_exact(
        np.asarray(before.geometry.array, dtype=object), np.asarray(after.geometry.array, dtype=object), tolerance=0).all())

