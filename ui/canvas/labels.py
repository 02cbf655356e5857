"""Labels drawn as cached images with a white halo, each where no earlier label lies (a grid of taken cells)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QStaticText, QTransform

from ui.canvas.view import MapView

__all__ = ["Placed", "paint_labels", "on_screen", "MAX_LABELS"]

#: A map showing more labels than this at once is unreadable; they are left out until zoomed in.
MAX_LABELS = 800


def on_screen(xy: np.ndarray, screen: QRectF, pad: float) -> np.ndarray:
    """Which of the pixel positions `xy` lie on `screen` or within `pad` pixels of it."""
    return (
        (xy[:, 0] > -pad) & (xy[:, 0] < screen.width() + pad) & (xy[:, 1] > -pad) & (xy[:, 1] < screen.height() + pad)
    )


class Placed:
    """Where labels have been drawn so far: a grid of CELL-pixel cells, taken or free.

    A label is tested against the cells its box covers, rounded outwards, which keeps labels at
    most a cell further apart than they need be, in a few microseconds whatever their number.
    """

    CELL = 4

    def __init__(self, width: int, height: int):
        self.taken = np.zeros((height // self.CELL + 2, width // self.CELL + 2), dtype=bool)

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice]:
        c, (rows, cols) = self.CELL, self.taken.shape
        return (
            slice(min(max(int(y0 // c), 0), rows), min(max(int(-(-y1 // c)), 0), rows)),
            slice(min(max(int(x0 // c), 0), cols), min(max(int(-(-x1 // c)), 0), cols)),
        )

    def take(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Take the cells of the box (x0, y0)–(x1, y1) if all are free; False if some are taken."""
        cells = self._cells(x0, y0, x1, y1)
        if self.taken[cells].any():
            return False
        self.taken[cells] = True
        return True


#: Labels drawn with their halo, by (text, font, device pixel ratio): drawing a cached image is
#: some 50× faster than stroking a halo around the text's outline every time.
_SPRITES: dict[tuple, QImage] = {}
_SIZES: dict[tuple, tuple[float, float]] = {}  # (text, font) -> sprite width, height in pixels
_CACHE_SIZE = 6000
_PAD = 2.0  # room for the halo around the text
_HALO = QColor(255, 255, 255, 230)
_INK = QColor("#202020")
_HALO_OFFSETS = [(dx * 1.2, dy * 1.2) for dx, dy in ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))]


def _label_size(text: str, font_key: str, metrics: QFontMetricsF) -> tuple[float, float]:
    key = (text, font_key)
    size = _SIZES.get(key)
    if size is None:
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        size = (width + 2 * _PAD, metrics.height() * len(lines) + 2 * _PAD)
        if len(_SIZES) >= _CACHE_SIZE:
            _SIZES.clear()
        _SIZES[key] = size
    return size


def _sprite(text: str, font: QFont, font_key: str, metrics: QFontMetricsF, ratio: float) -> QImage:
    """`text` (lines centred under each other) in dark ink with a white halo, on a transparent image."""
    key = (text, font_key, ratio)
    image = _SPRITES.get(key)
    if image is not None:
        return image
    width, height = _label_size(text, font_key, metrics)
    image = QImage(math.ceil(width * ratio), math.ceil(height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setFont(font)
        line_height = metrics.height()
        lines = []
        for i, line in enumerate(text.split("\n")):
            static = QStaticText(line)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            lines.append((static, (width - metrics.horizontalAdvance(line)) / 2, _PAD + i * line_height))
        for colour, offsets in ((_HALO, _HALO_OFFSETS), (_INK, [(0.0, 0.0)])):
            p.setPen(colour)
            for static, x, y in lines:
                for dx, dy in offsets:
                    p.drawStaticText(QPointF(x + dx, y + dy), static)
    finally:
        p.end()
    if len(_SPRITES) >= _CACHE_SIZE:
        _SPRITES.clear()
    _SPRITES[key] = image
    return image


def paint_labels(painter: QPainter, group, view: MapView, origin, screen: QRectF, font: QFont, placed: Placed) -> None:
    """Draw the group's labels with a halo, leaving out any that would overlap one in `placed`."""
    if not group.labels:
        return
    xy = view.to_screen(group.anchors, origin)
    ok = on_screen(xy, screen, 50)
    if group.extents is not None and group.style.label_fit is not None:
        ok &= (group.extents[:, 0] * view.scale >= group.style.label_fit[0]) & (
            group.extents[:, 1] * view.scale >= group.style.label_fit[1]
        )
    shown = np.flatnonzero(ok)
    if len(shown) == 0 or len(shown) > MAX_LABELS:
        return
    font = QFont(font)
    font.setPointSizeF(group.style.label_size)
    font.setBold(group.style.label_bold)
    font_key = font.key()
    metrics = QFontMetricsF(font)
    device = painter.device()
    ratio = device.devicePixelRatioF() if device is not None else 1.0
    # A point symbol's label sits beside it; an area's label is centred on the area.
    dx = group.style.marker + 3 - _PAD if len(group.points) else None
    for i, (x, y) in zip(shown.tolist(), xy[shown].tolist()):
        text = group.labels[i]
        w, h = _label_size(text, font_key, metrics)
        left = x + dx if dx is not None else x - w / 2
        top = y - h / 2
        if placed.take(left + 1, top + 1, left + w - 1, top + h - 1):
            painter.drawImage(QPointF(round(left), round(top)), _sprite(text, font, font_key, metrics, ratio))
