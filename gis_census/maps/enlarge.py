"""Enlargements (局部放大图): windows at larger scales around the features a map could not label."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely

from gis_census.maps.body import label_box_h
from gis_census.maps.layout import MAP_PAD, Box
from gis_census.maps.page import Styles, rects_path
from gis_census.maps.render import PathItem, TextItem

__all__ = ["enlargements", "mark_window"]


def enlargements(pending: list[int], anchors: dict[int, np.ndarray], scales: list[int], frame: Box,
                 draw: Callable[[object, np.ndarray, int], tuple[object, set[int]]]) -> tuple[list, list[int]]:
    """Pages that label the features `pending` (keys of `anchors`, their ground points), each a window
    the size of `frame` (page mm) at one of `scales` (largest denominator first).

    A window is centred on the crowd of pending features around the first one still pending, at the scale that
    feature has reached; ``draw(window, wanted, n)`` lays out page `n` of the window (a ground box) meant to
    label `wanted` and returns the page and those of `wanted` it could not label; these try the next scale.
    Returns the pages that labelled any, and the features no scale labels."""
    level = dict.fromkeys(pending, 0)
    pending = list(pending)
    left: list[int] = []
    pages: list = []
    while pending:
        seed = pending[0]
        if level[seed] >= len(scales):
            left.append(pending.pop(0))
            continue
        half = np.array([frame.w, frame.h]) * scales[level[seed]] / 1000 / MAP_PAD * 0.98 / 2
        xy = np.array([anchors[k] for k in pending])
        centre = _centre(xy, 0, half)
        wanted = np.array(pending)[np.all(np.abs(xy - centre) <= 0.9 * half, axis=1)]
        page, still = draw(shapely.box(*(centre - half), *(centre + half)), wanted, len(pages) + 1)
        for k in still:
            level[k] += 1
        if len(still) < len(wanted):
            pages.append(page)
        done = set(wanted.tolist()) - still
        pending = [k for k in pending if k not in done]
    return pages, left


def mark_window(ctx, spec, grid, t, labels: list, name: str, rect) -> None:
    """Frame the ground rectangle `rect` of an enlargement on a map (`spec` drawn through `t`), named in its
    upper left corner where `grid` has room (the label joins `labels`)."""
    (x0, y0), (x1, y1) = t(np.array([rect[:2], rect[2:]]))
    spec.paths.append(PathItem(*rects_path([(x0, y0, x1 - x0, y1 - y0)]), edge=Styles.enlargement, lw=0.35,
                               dash=(1.2, 0.6), z=8.0, clip=True))
    size = 6.0
    w, h = ctx.measure_bold.width_mm(name, size), label_box_h(size)
    inside, above, below = (0.0, 0.0), (0.0, 1.2), (0.0, -1.2)
    # a window narrower than its name (1:500 on a 1:10,000 map) is named above it, not across its edge
    offsets = (inside, above, below) if w + 1.2 <= x1 - x0 else (above, inside, below)
    label = grid.place(name, x0 + w / 2 + 0.6, y1 - h / 2 - 0.6, w, h, size, "enlargement", offsets=offsets)
    if label is not None:
        labels.append(label)
        spec.texts.append(TextItem(label.x, label.y, name, size, va="center_baseline", bold=True,
                                   color=Styles.enlargement, z=9.5, clip=True))


def _centre(xy: np.ndarray, seed: int, half: np.ndarray, steps: int = 4) -> np.ndarray:
    """A window's centre: moved from point `seed` of `xy` towards the mean of the points it holds (a few
    mean-shift steps, so that it settles on the crowd rather than on the middle of its outliers), never so far
    that the seed leaves it."""
    centre = xy[seed]
    for _ in range(steps):
        held = np.all(np.abs(xy - centre) <= 0.9 * half, axis=1)
        moved = xy[held].mean(axis=0)
        if np.any(np.abs(xy[seed] - moved) > 0.9 * half):
            break
        centre = moved
    return centre
