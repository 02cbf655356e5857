"""Overview map of a project with its problems marked in red (errors) and orange (warnings), rendered to PNG for the HTML report.

The image holds no CJK text (numbers and latin only): the report's HTML carries the
words, so the map needs no Chinese font. Figures are drawn on a bare Agg canvas,
never through pyplot, so that no GUI backend is ever loaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from gis_census.checks.problem import Problem
from gis_census.furniture import NORTH_LABEL_ABOVE, bar_length, bar_segments, length_label, north_arrow
from gis_census.project import CensusProject
from gis_census.rules import has_land

__all__ = ["OverviewMap", "render_overview"]

_DPI = 100
_COLOURS = {"error": ("#d62728", "#8b0000"), "warning": ("#ff8c00", "#8a4b00")}  # mark, number
_MARKER_PX = 12  # locations smaller than this on the map are drawn as circles of this size
_ARROW_PX_PER_MM = 4  # the north arrow, 11 mm long on a printed map, is 44 px long in the picture


@dataclass(frozen=True)
class OverviewMap:
    """A rendered overview map.

    Attributes
    ----------
    png : the PNG image
    width, height : image size in pixels
    numbered : how many problems carry their number (of those numbered up to `max_numbers`)
    located : how many problems have a location and are marked
    crowded : numbers up to `max_numbers` left off where marks crowd together
    buildings_drawn : False when there were too many buildings to draw
    """

    png: bytes
    width: int
    height: int
    numbered: int
    located: int
    crowded: int
    buildings_drawn: bool


def render_overview(project: CensusProject, problems: list[Problem], width: int = 1600,
                    max_numbers: int = 200, max_buildings: int = 300_000) -> OverviewMap | None:
    """Draw villages, districts, small areas and buildings, and mark `problems` numbered 1, 2, 3 ….

    Parameters
    ----------
    project : the project to draw
    problems : in the order of the report's table; problem *i* is labelled *i + 1*
    width : image width in pixels
    max_numbers : only problems 1 … max_numbers are labelled with their number
    max_buildings : above this many buildings, none are drawn

    Returns
    -------
    OverviewMap, or None when the project has no geometry to draw.
    """
    layers = {name: np.asarray(project[name].geometry.array, dtype=object)
              for name in ("villages", "districts", "small_areas", "buildings")}
    drawn = [g[has_land(g)] for g in layers.values()]
    drawn = [g for g in drawn if len(g)]
    if not drawn:
        return None
    x0, y0, x1, y1 = shapely.total_bounds(np.concatenate(drawn))
    (x0, y0, x1, y1), height = _frame(x0, y0, x1, y1, width)
    fig = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    metres_per_px = (x1 - x0) / width

    buildings = layers["buildings"]
    show_buildings = len(buildings) <= max_buildings
    if show_buildings:
        ax.add_artist(PathPatch(_rings(buildings), facecolor="#a0a0a0", edgecolor="none", zorder=1))
        points = buildings[shapely.get_type_id(buildings) == 0]
        if len(points):
            ax.scatter(shapely.get_x(points), shapely.get_y(points), s=1, color="#b0b0b0", zorder=1)
    for name, colour, lw, style in (("small_areas", "#5b7fa6", 0.5, "-"), ("districts", "#333333", 1.1, "--"),
                                    ("villages", "#000000", 2.0, "-")):
        ax.add_artist(PathPatch(_rings(layers[name]), facecolor="none", edgecolor=colour, linewidth=lw,
                               linestyle=style, zorder=2))
    _village_labels(ax, layers["villages"], project["villages"]["code"].to_numpy(), metres_per_px)
    counts = _mark(ax, problems, metres_per_px, max_numbers)
    _scale_bar(ax, x0, y0, x1 - x0, metres_per_px)
    _north_arrow(ax, x1, y1, metres_per_px)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return OverviewMap(buffer.getvalue(), width, height, *counts, show_buildings)


def _label_digits(codes) -> slice:
    """The digits of the village codes the map labels them by: the village's own three, or the township's and the
    village's six when the villages belong to several townships (a merged county)."""
    return slice(9, 12) if len({str(c)[:9] for c in codes}) <= 1 else slice(6, 12)


def _village_labels(ax, geoms: np.ndarray, codes: np.ndarray, metres_per_px: float) -> None:
    """Each village's number at a point inside it (the report's table of villages gives the names: the picture holds
    no CJK text)."""
    present = has_land(geoms)
    digits = _label_digits(codes)
    halo = [withStroke(linewidth=3, foreground="white")]
    for point, code in zip(shapely.point_on_surface(geoms[present]), codes[present]):
        ax.text(point.x, point.y, str(code)[digits], fontsize=13, fontweight="bold", color="#1a1a1a", ha="center",
                va="center", path_effects=halo, zorder=9)  # above the marks: a village is always named


def _frame(x0, y0, x1, y1, width: int):
    """Padded map extent with a height/width ratio kept between 1:3 and 3:2, and the image height."""
    pad = 0.03 * max(x1 - x0, y1 - y0, 1.0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    ratio = min(max((y1 - y0) / (x1 - x0), 1 / 3), 1.5)
    height = round(width * ratio)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, (y1 - y0) * width / height) / 2
    half_h = half_w * height / width
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h), height


def _rings(geoms: np.ndarray) -> MplPath:
    """One compound path of every ring of the polygons in `geoms`: far faster than a patch each.

    Callers add it with `add_artist`, not `add_patch`, whose data-limit update walks every vertex in Python.
    """
    polygons = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (3, 6))])
    coords, index = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    if not len(coords):
        return MplPath(np.zeros((0, 2)))
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    codes[starts] = MplPath.MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def _mark(ax, problems: list[Problem], metres_per_px: float, max_numbers: int) -> tuple[int, int, int]:
    """Fills for large problem areas, circles for small ones, numbers up to `max_numbers`.

    Errors are red, warnings orange and drawn beneath them, so that a small area with a
    population warning does not hide the overlap inside it. Returns how many problems
    were numbered, how many were marked, and how many numbers were left off because they
    found no free place beside their mark.
    """
    shown = [(i + 1, p) for i, p in enumerate(problems) if has_land(p.location)]
    if not shown:
        return 0, 0, 0
    numbers = np.array([n for n, _ in shown])
    geoms = np.array([p.location for _, p in shown], dtype=object)
    errors = np.array([p.severity == "error" for _, p in shown])
    x0, y0, x1, y1 = shapely.bounds(geoms).T
    large = np.maximum(x1 - x0, y1 - y0) >= _MARKER_PX * metres_per_px
    areal = large & (shapely.get_dimensions(geoms) == 2)
    linear = large & (shapely.get_dimensions(geoms) == 1)
    spots = ~(areal | linear)
    anchors = shapely.point_on_surface(geoms)
    anchors[spots] = shapely.centroid(shapely.envelope(geoms[spots]))
    xy = shapely.get_coordinates(anchors)
    for level, severity in enumerate(("warning", "error")):
        colour = _COLOURS[severity][0]
        mine = errors == (severity == "error")
        ax.add_artist(PathPatch(_rings(geoms[mine & areal]), facecolor=colour, alpha=0.35, edgecolor=colour,
                                linewidth=1.0, zorder=3 + level))
        lines = [shapely.get_coordinates(line) for line in shapely.get_parts(geoms[mine & linear])]
        ax.add_artist(LineCollection(lines, colors=colour, linewidths=2.0, zorder=3 + level))
        ax.scatter(xy[mine & spots, 0], xy[mine & spots, 1], s=(_MARKER_PX * 72 / _DPI) ** 2, facecolor=(*to_rgb(colour), 0.3),
                   edgecolor=colour, linewidth=1.5, zorder=5 + level)
    labelled = numbers <= max_numbers
    text_colours = np.where(errors, _COLOURS["error"][1], _COLOURS["warning"][1])
    placed = _place_labels(ax, numbers[labelled], xy[labelled], text_colours[labelled])
    return placed, len(geoms), int(labelled.sum()) - placed


def _place_labels(ax, numbers: np.ndarray, xy: np.ndarray, colours: np.ndarray) -> int:
    """Write each number beside its point, in the first corner where it overlaps no earlier number.

    Returns how many numbers were written; a number with no free corner is left off, so
    that the ones shown stay legible where problems crowd together.
    """
    pixels = ax.transData.transform(xy)
    halo = [withStroke(linewidth=2.5, foreground="white")]
    taken: list[tuple[float, float, float, float]] = []
    gap = _MARKER_PX / 2
    for n, (px, py), colour in zip(numbers, pixels, colours):
        w, h = 7.0 * len(str(n)) + 2, 12.0
        for dx, dy in ((gap, gap), (-gap - w, gap), (gap, -gap - h), (-gap - w, -gap - h)):
            box = (px + dx, py + dy, px + dx + w, py + dy + h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                taken.append(box)
                ax.annotate(str(n), (px, py), xycoords="figure pixels", xytext=(dx + 1, dy + 1), textcoords="offset pixels",
                            ha="left", va="bottom", fontsize=8, fontweight="bold", color=colour,
                            path_effects=halo, zorder=7)
                break
    return len(taken)


def _scale_bar(ax, x0: float, y0: float, span: float, metres_per_px: float) -> None:
    """A black and white bar at bottom left, of the round length and cut of the PDF maps' bars
    (:mod:`gis_census.furniture`), as long as fits in about a fifth of the map."""
    length = bar_length(span / 5)
    segments = bar_segments(length)
    left, bottom, thick = x0 + 30 * metres_per_px, y0 + 30 * metres_per_px, 6 * metres_per_px
    for k in range(segments):
        ax.add_artist(Rectangle((left + k * length / segments, bottom), length / segments, thick,
                                facecolor="black" if k % 2 == 0 else "white", edgecolor="black", linewidth=1.0, zorder=8))
    label = length_label(length)
    halo = [withStroke(linewidth=3, foreground="white")]
    ax.text(left, bottom + thick + 4 * metres_per_px, "0", fontsize=10, ha="center", va="bottom", path_effects=halo, zorder=8)
    ax.text(left + length, bottom + thick + 4 * metres_per_px, label, fontsize=10, ha="center", va="bottom",
            path_effects=halo, zorder=8)


def _north_arrow(ax, x1: float, y1: float, metres_per_px: float) -> None:
    """The PDF maps' north arrow (:func:`gis_census.furniture.north_arrow`) under "N", in the top right corner."""
    scale = _ARROW_PX_PER_MM * metres_per_px
    cx, tip = x1 - 40 * metres_per_px, y1 - 30 * metres_per_px - (NORTH_LABEL_ABOVE + 2) * scale
    for half, face in zip(north_arrow(cx, tip, scale), ("black", "white")):
        ax.add_artist(Polygon(half, closed=True, facecolor=face, edgecolor="black", linewidth=1.0, zorder=8))
    ax.text(cx, tip + NORTH_LABEL_ABOVE * scale, "N", ha="center", va="center", fontsize=14, fontweight="bold",
            path_effects=[withStroke(linewidth=3, foreground="white")], zorder=8)
