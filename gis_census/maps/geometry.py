"""Ground geometries to page paths: vectorised conversion of shapely arrays to path arrays in page mm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.rules import has_land

__all__ = ["PageTransform", "ring_path", "line_path", "EMPTY_PATH"]

MOVETO, LINETO, CLOSEPOLY = 1, 2, 79  # the page paths' codes (numbered as matplotlib numbers them)
EMPTY_PATH = (np.zeros((0, 2), np.float32), np.zeros(0, np.uint8))


@dataclass(frozen=True)
class PageTransform:
    """Ground metres to page millimetres: the ground point (gx, gy) lands on the page point (px, py)
    and one metre of ground is `mm_per_m` millimetres of paper (north up)."""

    gx: float
    gy: float
    px: float
    py: float
    mm_per_m: float

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        xy = np.asarray(xy, dtype=np.float64)
        out = np.empty_like(xy)
        out[..., 0] = self.px + (xy[..., 0] - self.gx) * self.mm_per_m
        out[..., 1] = self.py + (xy[..., 1] - self.gy) * self.mm_per_m
        return out

    def ground_rect(self, box) -> tuple[float, float, float, float]:
        """The ground rectangle (xmin, ymin, xmax, ymax) seen through the page box `box`."""
        return (self.gx + (box.x - self.px) / self.mm_per_m, self.gy + (box.y - self.py) / self.mm_per_m,
                self.gx + (box.x1 - self.px) / self.mm_per_m, self.gy + (box.y1 - self.py) / self.mm_per_m)


def _clean(geoms: np.ndarray) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    return geoms[has_land(geoms)]


def ring_path(geoms, transform: PageTransform) -> tuple[np.ndarray, np.ndarray]:
    """One compound path (vertices mm, codes) of every ring of the polygons in `geoms`."""
    geoms = _clean(geoms)
    polygons = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (3, 6, 7))])
    polygons = polygons[shapely.get_type_id(polygons) == 3]
    coords, index = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    if not len(coords):
        return EMPTY_PATH
    codes = np.full(len(coords), LINETO, dtype=np.uint8)
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    codes[starts] = MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1]] = CLOSEPOLY
    return transform(coords).astype(np.float32), codes


def line_path(geoms, transform: PageTransform) -> tuple[np.ndarray, np.ndarray]:
    """One compound path of every line of `geoms` (polygons give their rings, open)."""
    geoms = _clean(geoms)
    parts = shapely.get_parts(geoms)
    polys = shapely.get_type_id(parts) == 3
    if polys.any():
        parts = np.concatenate([parts[~polys], shapely.get_rings(parts[polys])])
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    coords, index = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return EMPTY_PATH
    codes = np.full(len(coords), LINETO, dtype=np.uint8)
    codes[np.flatnonzero(np.r_[True, index[1:] != index[:-1]])] = MOVETO
    return transform(coords).astype(np.float32), codes
