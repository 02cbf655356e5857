"""MapView: where the canvas looks (map centre in metres, pixels per metre) and its transforms."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtGui import QTransform

__all__ = ["MapView", "MIN_SCALE", "MAX_SCALE"]

#: Zoom limits in pixels per metre: a whole province at the one end, 2 cm per pixel at the other
#: (beyond that Qt's raster engine meets coordinates too large for its fixed-point arithmetic).
MIN_SCALE = 1e-5
MAX_SCALE = 50.0


@dataclass(frozen=True)
class MapView:
    """A north-up view of width × height pixels centred on (center_x, center_y) metres."""

    center_x: float = 0.0
    center_y: float = 0.0
    scale: float = 1.0  # pixels per metre
    width: int = 1
    height: int = 1

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: int, height: int, margin: float = 0.04) -> MapView:
        """The view showing `bounds` (xmin, ymin, xmax, ymax in metres) whole, with a `margin` share spare."""
        xmin, ymin, xmax, ymax = bounds
        span_x, span_y = max(xmax - xmin, 1e-6), max(ymax - ymin, 1e-6)
        scale = min(width / span_x, height / span_y) * (1 - 2 * margin)
        return cls((xmin + xmax) / 2, (ymin + ymax) / 2, _clamp(scale), width, height)

    def resized(self, width: int, height: int) -> MapView:
        return replace(self, width=width, height=height)

    def panned(self, dx_px: float, dy_px: float) -> MapView:
        """The view after dragging the map by (dx_px, dy_px) pixels."""
        return replace(self, center_x=self.center_x - dx_px / self.scale, center_y=self.center_y + dy_px / self.scale)

    def zoomed(self, factor: float, x_px: float, y_px: float) -> MapView:
        """The view scaled by `factor` about the pixel (x_px, y_px), which keeps its map point."""
        mx, my = self.to_map(x_px, y_px)
        scale = _clamp(self.scale * factor)
        return replace(
            self,
            scale=scale,
            center_x=mx - (x_px - self.width / 2) / scale,
            center_y=my + (y_px - self.height / 2) / scale,
        )

    def to_map(self, x_px: float, y_px: float) -> tuple[float, float]:
        """The map point in metres under the pixel (x_px, y_px)."""
        return (
            self.center_x + (x_px - self.width / 2) / self.scale,
            self.center_y - (y_px - self.height / 2) / self.scale,
        )

    def bounds(self, pad_px: float = 0.0) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in metres of the map area in view, widened by `pad_px` pixels each side."""
        half_w, half_h = (self.width / 2 + pad_px) / self.scale, (self.height / 2 + pad_px) / self.scale
        return self.center_x - half_w, self.center_y - half_h, self.center_x + half_w, self.center_y + half_h

    def to_screen(self, xy: np.ndarray, origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
        """Pixel positions of the (n, 2) map points `xy`, given relative to `origin`."""
        xy = np.asarray(xy, dtype=float)
        out = np.empty_like(xy)
        out[:, 0] = (xy[:, 0] + (origin[0] - self.center_x)) * self.scale + self.width / 2
        out[:, 1] = self.height / 2 - (xy[:, 1] + (origin[1] - self.center_y)) * self.scale
        return out

    def transform(self, origin: tuple[float, float] = (0.0, 0.0)) -> QTransform:
        """The painter transform from map coordinates relative to `origin` to pixels."""
        s = self.scale
        return QTransform(
            s, 0.0, 0.0, -s,
            (origin[0] - self.center_x) * s + self.width / 2,
            self.height / 2 - (origin[1] - self.center_y) * s,
        )  # fmt: skip


def _clamp(scale: float) -> float:
    return min(max(scale, MIN_SCALE), MAX_SCALE)
