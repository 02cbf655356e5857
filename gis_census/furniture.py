"""Map furniture every map shares, written once: the round length of a scale bar and its label, the north arrow's shape.

The PDF maps (:mod:`gis_census.maps`) and the overview picture of the HTML check report
(:mod:`gis_census.checks.report_map`) both show a scale bar and a north arrow. They draw with
different tools (the PDF renderer in page millimetres, matplotlib in ground metres), so only the
numbers live here, on the ground floor that both may import: the two can never disagree on which
lengths a bar may show, how it is cut, what it says, or what north looks like.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BAR_LENGTHS", "bar_length", "bar_segments", "length_label", "north_arrow", "NORTH_LABEL_ABOVE"]

#: Ground lengths (metres) a scale bar may show.
BAR_LENGTHS = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 25_000, 50_000)

#: The north arrow in millimetres as the PDF maps print it: tip to barbs, half the width across the
#: barbs, and how far the notch between the barbs rises above them.
_ARROW_LENGTH, _ARROW_HALF_WIDTH, _ARROW_NOTCH = 11.0, 3.0, 2.5
#: Millimetres from the arrow's tip up to the centre of the word for north written above it.
NORTH_LABEL_ABOVE = 4.0


def bar_length(longest_m: float) -> int:
    """The longest of :data:`BAR_LENGTHS` no longer than `longest_m` metres; the shortest when none is.

    Example
    -------
    >>> bar_length(1_300), bar_length(300), bar_length(2)
    (1000, 250, 5)
    """
    fitting = [g for g in BAR_LENGTHS if g <= longest_m]
    return fitting[-1] if fitting else BAR_LENGTHS[0]


def bar_segments(ground_m: float) -> int:
    """How many alternate black and white segments a bar of `ground_m` metres is cut into.

    Four when the length begins with a 2 (but not 25), so each segment is a round length; else five.
    """
    digits = f"{ground_m:g}"
    return 4 if digits.startswith("2") and not digits.startswith("25") else 5


def length_label(ground_m: float) -> str:
    """A bar's length in latin words: "500 m", "2.5 km"."""
    return f"{ground_m / 1000:g} km" if ground_m >= 1000 else f"{ground_m:g} m"


def north_arrow(cx: float, tip_y: float, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """The north arrow with its tip at (`cx`, `tip_y`), y up: its left half (filled black) and right half (white).

    Each half is a closed ring of 4 points: tip, barb, notch, tip. `scale` is units per millimetre of
    the printed arrow (1 for page millimetres; ground metres per millimetre on a picture).
    """
    base = tip_y - _ARROW_LENGTH * scale
    width, notch = _ARROW_HALF_WIDTH * scale, _ARROW_NOTCH * scale
    left = np.array([(cx, tip_y), (cx - width, base), (cx, base + notch), (cx, tip_y)], dtype=np.float64)
    right = np.array([(cx, tip_y), (cx + width, base), (cx, base + notch), (cx, tip_y)], dtype=np.float64)
    return left, right
