"""Deviation of small areas from the target size: the class of each area and the colour of each class.

Shared by the statistics table and the map canvas, so both show an area in the same colour.
No widgets here: only numpy and QColor.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

__all__ = ["UNDER", "ON", "OVER", "COLORS", "deviation_class", "deviation_percent", "measure_of", "color_of"]

#: Below target − tolerance (too small): light blue.
UNDER = QColor(166, 206, 227)
#: Within target ± tolerance: light green.
ON = QColor(199, 233, 192)
#: Above target + tolerance (too big): light red.
OVER = QColor(251, 180, 174)
#: The colour of each class returned by deviation_class.
COLORS: dict[int, QColor] = {-1: UNDER, 0: ON, 1: OVER}


def deviation_class(population, target: float, tolerance: float) -> np.ndarray:
    """-1 where a value is below target·(1 − tolerance), 1 above target·(1 + tolerance), else 0.

    `population` is the measured size (people or households, whichever the project targets),
    a scalar or array; the bounds are those of the checker's "population_off_target", so the
    colours and the problems list agree. A target of 0 or less puts everything on target.
    """
    values = np.asarray(population, dtype=float)
    if target <= 0:
        return np.zeros(values.shape, dtype=np.int8)
    low, high = target * (1 - tolerance), target * (1 + tolerance)
    return np.where(values < low, -1, np.where(values > high, 1, 0)).astype(np.int8)


def deviation_percent(population, target: float) -> np.ndarray:
    """Signed deviation from `target` in percent ((value − target) / target · 100); 0 when target ≤ 0."""
    values = np.asarray(population, dtype=float)
    if target <= 0:
        return np.zeros(values.shape)
    return (values - target) / target * 100.0


def measure_of(small_areas, target_unit: str) -> np.ndarray:
    """The column the target applies to: households when `target_unit` is "households", else population."""
    column = "households" if target_unit == "households" else "population"
    return small_areas[column].to_numpy(dtype=float)


def color_of(cls: int) -> QColor:
    """The colour of deviation class `cls` (-1, 0 or 1)."""
    return COLORS[int(cls)]
