"""Map scales: the standard series, the largest scale at which an area fits a frame, and scale bars."""

from __future__ import annotations

from dataclasses import dataclass

from gis_census.furniture import bar_length, bar_segments, length_label

__all__ = ["SCALES", "fit_scale", "format_scale", "ScaleBar", "scale_bar"]

#: Standard scale denominators, largest scale first.
SCALES = (500, 1_000, 2_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)


def fit_scale(width_m: float, height_m: float, frame_w_mm: float, frame_h_mm: float) -> int:
    """The largest standard scale (smallest denominator) at which `width_m` × `height_m` metres
    fit a frame of `frame_w_mm` × `frame_h_mm` millimetres; the smallest scale of the series
    when nothing fits."""
    for denominator in SCALES:
        if width_m * 1000 / denominator <= frame_w_mm and height_m * 1000 / denominator <= frame_h_mm:
            return denominator
    return SCALES[-1]


def format_scale(denominator: int) -> str:
    """"1:2,000" for 2000."""
    return f"1:{denominator:,}"


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar: its ground length, its length on paper, and where it is drawn (page mm).

    ``length_mm == ground_m * 1000 / denominator`` exactly: the bar is true on the printed page.
    """

    denominator: int
    ground_m: float
    length_mm: float
    x: float
    y: float
    height_mm: float
    segments: int

    @property
    def label(self) -> str:
        return length_label(self.ground_m)


def scale_bar(denominator: int, x: float, y: float, max_mm: float = 40.0, height_mm: float = 1.8) -> ScaleBar:
    """The longest bar of a round ground length (:func:`gis_census.furniture.bar_length`) no longer than
    `max_mm` on paper, left end at (x, y)."""
    ground = bar_length(max_mm * denominator / 1000)
    return ScaleBar(denominator, float(ground), ground * 1000 / denominator, x, y, height_mm, bar_segments(ground))
