"""Label placement with a collision test: a grid of the label boxes already placed, in page mm."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from gis_census.maps.layout import Box

__all__ = ["Label", "LabelGrid", "OFFSETS"]

#: Candidate offsets of a label from its anchor, in label widths/heights: centred, then around it.
OFFSETS = ((0.0, 0.0), (0.0, 1.0), (0.0, -1.0), (1.0, 0.0), (-1.0, 0.0), (0.9, 0.9), (-0.9, 0.9), (0.9, -0.9),
           (-0.9, -0.9), (0.0, 2.0), (0.0, -2.0), (2.0, 0.0), (-2.0, 0.0))


@dataclass(frozen=True)
class Label:
    """A placed label: text, centre (x, y) in page mm, its box, size in points, rotation in degrees,
    and the anchor it labels (for a leader line when it was moved off it)."""

    text: str
    x: float
    y: float
    box: Box
    size: float
    role: str
    rotation: float = 0.0
    anchor: tuple[float, float] | None = None


class LabelGrid:
    """Boxes already taken on a page, bucketed in a grid of `cell` mm for a fast overlap test."""

    def __init__(self, bounds: Box, cell: float = 4.0):
        self.bounds = bounds
        self.cell = cell
        self._cells: dict[tuple[int, int], list[Box]] = defaultdict(list)
        self.boxes: list[Box] = []

    def _keys(self, box: Box):
        c = self.cell
        for i in range(int(box.x // c), int(box.x1 // c) + 1):
            for j in range(int(box.y // c), int(box.y1 // c) + 1):
                yield i, j

    def free(self, box: Box) -> bool:
        """Whether `box` lies inside the bounds and overlaps no box taken."""
        if not self.bounds.contains(box):
            return False
        return not any(box.overlaps(other) for key in self._keys(box) for other in self._cells.get(key, ()))

    def take(self, box: Box) -> None:
        self.boxes.append(box)
        for key in self._keys(box):
            self._cells[key].append(box)

    def place(self, text: str, x: float, y: float, w: float, h: float, size: float, role: str,
              offsets=OFFSETS, pad: float = 0.25, rotation: float = 0.0) -> Label | None:
        """Put a `w` × `h` mm label at the first free candidate position around (x, y); None when none is free."""
        for dx, dy in offsets:
            cx, cy = x + dx * (w + pad), y + dy * (h + pad)
            box = Box(cx - w / 2 - pad / 2, cy - h / 2 - pad / 2, w + pad, h + pad)
            if self.free(box):
                self.take(box)
                moved = (x, y) if (dx, dy) != (0.0, 0.0) else None
                return Label(text, cx, cy, box, size, role, rotation, moved)
        return None
