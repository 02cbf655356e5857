"""Toolbar icons drawn with QPainter, so the app ships no image files and looks the same everywhere."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

__all__ = ["icon"]

_SIZE = 32
_INK = QColor("#2b3a4a")
_ACCENT = QColor("#d4145a")
_AREA = QColor(255, 210, 120)


def icon(name: str) -> QIcon:
    """The icon called `name` (a key of `_DRAW`)."""
    pixmap = QPixmap(_SIZE, _SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(_INK, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    try:
        _DRAW[name](painter)
    finally:
        painter.end()
    return QIcon(pixmap)


def _poly(*points: tuple[float, float]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def _select(p: QPainter) -> None:
    p.setBrush(QBrush(QColor("white")))
    p.drawPolygon(_poly((8, 4), (8, 26), (13, 21), (17, 29), (21, 27), (17, 19), (24, 19)))


def _pan(p: QPainter) -> None:
    p.drawLine(16, 4, 16, 28)
    p.drawLine(4, 16, 28, 16)
    for a, b, c in (((12, 8), (16, 4), (20, 8)), ((12, 24), (16, 28), (20, 24)),
                    ((8, 12), (4, 16), (8, 20)), ((24, 12), (28, 16), (24, 20))):
        p.drawPolyline(_poly(a, b, c))


def _area_shape(p: QPainter) -> None:
    p.setBrush(QBrush(_AREA))
    p.drawPolygon(_poly((4, 10), (14, 4), (27, 9), (24, 25), (8, 27)))


def _draw(p: QPainter) -> None:
    _area_shape(p)
    p.setPen(QPen(_ACCENT, 3))
    p.drawLine(22, 16, 30, 16)
    p.drawLine(26, 12, 26, 20)


def _split(p: QPainter) -> None:
    _area_shape(p)
    p.setPen(QPen(_ACCENT, 2.6, Qt.PenStyle.DashLine))
    p.drawLine(9, 2, 22, 30)


def _vertex(p: QPainter) -> None:
    p.setBrush(QBrush(_AREA))
    p.drawPolygon(_poly((4, 24), (16, 8), (28, 24)))
    p.setBrush(QBrush(_ACCENT))
    p.setPen(QPen(_ACCENT, 1))
    p.drawRect(QRectF(12, 4, 8, 8))


def _merge(p: QPainter) -> None:
    p.setBrush(QBrush(_AREA))
    p.drawRect(QRectF(4, 8, 12, 16))
    p.drawRect(QRectF(16, 8, 12, 16))
    p.setPen(QPen(_ACCENT, 3))
    p.drawLine(12, 16, 20, 16)


def _delete(p: QPainter) -> None:
    _area_shape(p)
    p.setPen(QPen(QColor("#c0392b"), 3.2))
    p.drawLine(9, 9, 23, 23)
    p.drawLine(23, 9, 9, 23)


def _lock(p: QPainter) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(10, 4, 12, 14), 0, 180 * 16)
    p.drawLine(10, 11, 10, 15)
    p.drawLine(22, 11, 22, 15)
    p.setBrush(QBrush(QColor("#e6b34a")))
    p.drawRoundedRect(QRectF(7, 15, 18, 13), 2, 2)


def _divide(p: QPainter) -> None:
    p.setBrush(QBrush(_AREA))
    p.drawRect(QRectF(4, 4, 24, 24))
    p.setPen(QPen(_ACCENT, 2.2))
    p.drawLine(16, 4, 16, 28)
    p.drawLine(4, 16, 16, 16)
    p.drawLine(16, 20, 28, 20)


def _renumber(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(5, 8)
    path.lineTo(27, 8)
    path.lineTo(27, 16)
    path.lineTo(5, 16)
    path.lineTo(5, 24)
    path.lineTo(25, 24)
    p.drawPath(path)
    p.setBrush(QBrush(_ACCENT))
    p.drawPolygon(_poly((22, 20), (28, 24), (22, 28)))


def _check(p: QPainter) -> None:
    p.setPen(QPen(QColor("#1e8449"), 3.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawPolyline(_poly((5, 17), (12, 25), (27, 7)))


def _zoom_full(p: QPainter) -> None:
    p.drawRect(QRectF(5, 5, 22, 22))
    for a, b, c in (((5, 11), (5, 5), (11, 5)), ((21, 5), (27, 5), (27, 11)),
                    ((27, 21), (27, 27), (21, 27)), ((11, 27), (5, 27), (5, 21))):
        p.setPen(QPen(_ACCENT, 3))
        p.drawPolyline(_poly(a, b, c))


def _zoom_selection(p: QPainter) -> None:
    p.setBrush(QBrush(QColor(0, 183, 235, 90)))
    p.drawEllipse(QRectF(4, 4, 18, 18))
    p.setPen(QPen(_INK, 3.4))
    p.drawLine(19, 19, 28, 28)


_BUILDING = QColor("#b9b6b0")
_BLOCK = QRectF(5, 7, 18, 18)


def _block(p: QPainter, rect: QRectF = _BLOCK) -> None:
    """A building's footprint, drawn as the map draws it: a grey block."""
    p.setBrush(QBrush(_BUILDING))
    p.drawRect(rect)


def _accent(p: QPainter, width: float = 2.8, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> None:
    p.setPen(QPen(_ACCENT, width, style, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))


def _add_building(p: QPainter) -> None:
    _block(p)
    p.setBrush(QBrush(_ACCENT))
    p.setPen(QPen(_ACCENT, 1))
    p.drawEllipse(QPointF(14, 16), 3, 3)
    _accent(p, 3)
    p.drawLine(22, 26, 30, 26)
    p.drawLine(26, 22, 26, 30)


def _draw_building(p: QPainter) -> None:
    p.setBrush(QBrush(_BUILDING))
    p.setPen(QPen(_ACCENT, 2.2, Qt.PenStyle.DashLine))
    p.drawPolygon(_poly((5, 8), (22, 8), (22, 16), (14, 16), (14, 25), (5, 25)))
    _accent(p, 3)
    p.drawLine(22, 26, 30, 26)
    p.drawLine(26, 22, 26, 30)


def _move_building(p: QPainter) -> None:
    _block(p, QRectF(3, 3, 14, 14))
    _accent(p)
    p.drawLine(12, 12, 27, 27)
    p.drawPolyline(_poly((20, 27), (27, 27), (27, 20)))


def _reshape_building(p: QPainter) -> None:
    p.setBrush(QBrush(_BUILDING))
    p.drawPolygon(_poly((5, 27), (5, 8), (18, 8), (26, 24)))
    p.setBrush(QBrush(_ACCENT))
    p.setPen(QPen(_ACCENT, 1))
    p.drawRect(QRectF(22, 20, 8, 8))


def _split_building(p: QPainter) -> None:
    _block(p, QRectF(5, 6, 22, 20))
    _accent(p, 2.6, Qt.PenStyle.DashLine)
    p.drawLine(10, 2, 22, 30)


def _merge_buildings(p: QPainter) -> None:
    _block(p, QRectF(3, 9, 12, 14))
    _block(p, QRectF(17, 9, 12, 14))
    _accent(p, 3)
    p.drawLine(11, 16, 21, 16)


def _delete_building(p: QPainter) -> None:
    _block(p, QRectF(5, 5, 22, 22))
    p.setPen(QPen(QColor("#c0392b"), 3.2))
    p.drawLine(9, 9, 23, 23)
    p.drawLine(23, 9, 9, 23)


def _assign_building(p: QPainter) -> None:
    p.setBrush(QBrush(_AREA))
    p.drawRect(QRectF(3, 3, 26, 26))
    _block(p, QRectF(14, 14, 11, 11))
    _accent(p, 2.6)
    p.drawLine(5, 5, 13, 13)
    p.drawPolyline(_poly((8, 13), (13, 13), (13, 8)))


def _settle_register(p: QPainter) -> None:
    _block(p, QRectF(4, 12, 16, 16))
    p.setBrush(QBrush(QColor("white")))
    p.drawRect(QRectF(16, 3, 13, 15))  # a register sheet
    p.drawLine(19, 8, 26, 8)
    p.drawLine(19, 12, 26, 12)
    _accent(p, 2.6)
    p.drawLine(17, 17, 12, 21)


_DISTRICT = QColor("#7b2cbf")


def _split_district(p: QPainter) -> None:
    p.setPen(QPen(_DISTRICT, 2.2, Qt.PenStyle.DashLine))
    p.drawRect(QRectF(4, 6, 24, 20))
    p.setPen(QPen(_ACCENT, 2.6))
    p.drawLine(14, 2, 18, 30)


def _special_district(p: QPainter) -> None:
    p.setPen(QPen(_DISTRICT, 2.2, Qt.PenStyle.DashLine))
    p.drawRect(QRectF(3, 5, 26, 22))
    p.setBrush(QBrush(QColor(123, 44, 191, 90)))
    p.setPen(QPen(_DISTRICT, 2.2))
    p.drawPolygon(_poly((12, 11), (24, 11), (24, 22), (12, 22)))


_DRAW = {
    "split_district": _split_district, "special_district": _special_district,
    "select": _select, "pan": _pan, "draw": _draw, "split": _split, "vertex": _vertex, "merge": _merge,
    "delete": _delete, "lock": _lock, "divide": _divide, "renumber": _renumber, "check": _check,
    "zoom_full": _zoom_full, "zoom_selection": _zoom_selection, "add_building": _add_building,
    "draw_building": _draw_building, "move_building": _move_building, "reshape_building": _reshape_building,
    "split_building": _split_building, "merge_buildings": _merge_buildings, "delete_building": _delete_building,
    "assign_building": _assign_building, "settle_register": _settle_register,
}
