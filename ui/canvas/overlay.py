"""What the canvas draws over the map: the selected small areas and buildings, and a problem's location."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath

from gis_census.rules import has_land
from ui.canvas.renderer import pen, rings_path, simple_parts
from ui.canvas.view import MapView

__all__ = ["render_selection", "render_buildings", "render_highlight", "SELECTION", "SELECTED_BUILDING", "HIGHLIGHT"]

SELECTION = QColor("#00b7eb")
#: Selected buildings: magenta, apart from the cyan of their small area and the red of problems.
SELECTED_BUILDING = QColor("#c2188b")
HIGHLIGHT = QColor("#ff2d2d")
HALO = QColor(0, 0, 0, 200)
#: A problem smaller than this on screen (a building at a township's scale) is ringed too.
RING_BELOW_PX = 60


def _geometry_path(geoms) -> tuple[QPainterPath, QPainterPath, tuple[float, float]] | None:
    """Paths of the polygons (filled) and lines/outlines of `geoms`, relative to an origin; None if empty."""
    geoms = np.atleast_1d(np.asarray(geoms, dtype=object))
    geoms = geoms[has_land(geoms)]
    if not len(geoms):
        return None
    parts = simple_parts(geoms)
    kind = shapely.get_type_id(parts)
    xmin, ymin, _, _ = shapely.total_bounds(parts)
    origin = (float(xmin), float(ymin))
    polygons = shapely.get_rings(shapely.orient_polygons(parts[kind == 3]))
    return (
        rings_path(polygons, Qt.FillRule.WindingFill, origin),
        rings_path(parts[(kind == 1) | (kind == 2)], Qt.FillRule.OddEvenFill, origin),
        origin,
    )


def _paint_geometries(painter: QPainter, geoms, view: MapView, stroke: QColor, fill: QColor, width: float) -> list[QPointF]:
    """Outline and fill `geoms` in `view`; returns the screen positions of any points among them."""
    built = _geometry_path(geoms)
    if built is None:
        return []
    areas, lines, origin = built
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(view.transform(origin), True)
    painter.setPen(pen(stroke, width))
    painter.setBrush(QBrush(fill))
    if not areas.isEmpty():
        painter.drawPath(areas)
    if not lines.isEmpty():
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(lines)
    painter.restore()
    parts = simple_parts(np.atleast_1d(np.asarray(geoms, dtype=object)))
    points = shapely.get_coordinates(parts[shapely.get_type_id(parts) == 0])
    return [QPointF(x, y) for x, y in view.to_screen(points).tolist()] if len(points) else []


def render_selection(painter: QPainter, geoms, view: MapView) -> None:
    """Draw the selected `geoms` (shapely geometries, map metres) with a bright cyan outline and a light fill."""
    painter.save()
    for p in _paint_geometries(painter, geoms, view, SELECTION, QColor(0, 183, 235, 45), 2.5):
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawEllipse(p, 6, 6)
    painter.restore()


def render_buildings(painter: QPainter, geoms, view: MapView) -> None:
    """Draw the selected buildings' footprints `geoms` filled in magenta on a dark edge (a point: ringed)."""
    painter.save()
    _paint_geometries(painter, geoms, view, HALO, Qt.GlobalColor.transparent, 4.5)
    for p in _paint_geometries(painter, geoms, view, SELECTED_BUILDING, QColor(194, 24, 139, 120), 2.5):
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)  # a building drawn as a point
        painter.setPen(pen(SELECTED_BUILDING, 2.5))
        painter.setBrush(QBrush(QColor(194, 24, 139, 120)))
        painter.drawEllipse(p, 7, 7)
    painter.restore()


def render_highlight(painter: QPainter, geom, view: MapView) -> None:
    """Mark `geom` (a problem's location) in red on a dark edge, which stands out even on the red fills of
    other problems; a point or a feature under RING_BELOW_PX across gets a ring around it as well."""
    if geom is None or shapely.is_missing(geom) or shapely.is_empty(geom):
        return
    painter.save()
    _paint_geometries(painter, [geom], view, HALO, Qt.GlobalColor.transparent, 6.0)
    _paint_geometries(painter, [geom], view, HIGHLIGHT, QColor(255, 45, 45, 70), 3.0)
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    across = max(xmax - xmin, ymax - ymin) * view.scale
    if across < RING_BELOW_PX:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        centre = QPointF(*view.to_screen(np.array([[(xmin + xmax) / 2, (ymin + ymax) / 2]]))[0])
        radius = max(14.0, across / 2 + 8)
        for colour, width in ((HALO, 6.0), (HIGHLIGHT, 3.0)):
            painter.setPen(pen(colour, width))
            painter.drawEllipse(centre, radius, radius)
    painter.restore()
