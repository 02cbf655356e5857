"""Overview map of a project with its problems marked in red (errors) and orange (warnings), rendered to PNG for the
HTML and PDF reports.

Every problem with a location is marked and carries its number; villages are named in the maps' Simplified-Chinese
face (:mod:`gis_census.fonts`), or by their code digits where no such font is installed. Figures are drawn on a
bare Agg canvas, never through pyplot, so that no GUI backend is ever loaded.
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
from matplotlib.transforms import IdentityTransform

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
    numbered : how many problems carry their number (every one marked, up to `max_numbers`)
    located : how many problems have a location and are marked
    crowded : numbers written over others' where marks crowd together (none is left off)
    buildings_drawn : False when there were too many buildings to draw
    named : True when the villages carry their names, False when their code digits (no CJK font installed)
    """

    png: bytes
    width: int
    height: int
    numbered: int
    located: int
    crowded: int
    buildings_drawn: bool
    named: bool = False


#: The picture's width (px) for up to this many problems: more widen it (by their square root, up to _MAX_WIDTH),
#: so that a county's thousands of numbers find room beside their marks when the picture is zoomed.
_PROBLEMS_AT_WIDTH = 300
_WIDTH, _MAX_WIDTH = 1600, 4000


def render_overview(project: CensusProject, problems: list[Problem], width: int | None = None,
                    max_numbers: int | None = None, max_buildings: int = 300_000) -> OverviewMap | None:
    """Draw villages, districts, small areas and buildings, and mark `problems` numbered 1, 2, 3 ….

    Parameters
    ----------
    project : the project to draw
    problems : in the order of the report's table; problem *i* is labelled *i + 1*
    width : image width in pixels; default 1600, wider for more than 300 problems (up to 4000)
    max_numbers : only problems 1 … max_numbers are labelled with their number (None: all)
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
    if width is None:
        width = int(min(_MAX_WIDTH, max(_WIDTH, _WIDTH * (len(problems) / _PROBLEMS_AT_WIDTH) ** 0.5)))
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
    villages = project["villages"]
    named = _village_labels(ax, layers["villages"], villages["code"].to_numpy(), villages["name"].to_numpy(),
                            11 * width / _WIDTH)  # as large on the page however wide the picture
    counts = _mark(ax, problems, metres_per_px, len(problems) if max_numbers is None else max_numbers)
    _scale_bar(ax, x0, y0, x1 - x0, metres_per_px)
    _north_arrow(ax, x1, y1, metres_per_px)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return OverviewMap(buffer.getvalue(), width, height, *counts, show_buildings, named)


def _label_digits(codes) -> slice:
    """The digits of the village codes the map labels them by: the village's own three, or the township's and the
    village's six when the villages belong to several townships (a merged county)."""
    return slice(9, 12) if len({str(c)[:9] for c in codes}) <= 1 else slice(6, 12)


def _village_labels(ax, geoms: np.ndarray, codes: np.ndarray, names: np.ndarray, size: float) -> bool:
    """Each village's name at a point inside it, in the maps' SC face; its code digits where it has no name or no
    such font is installed. Whether names were written."""
    present = has_land(geoms)
    digits = _label_digits(codes)
    labels = [str(n) if str(n).strip() else str(c)[digits] for c, n in zip(codes[present], names[present])]
    font = _cjk_font("".join(labels), size)
    if font is None:
        labels = [str(c)[digits] for c in codes[present]]
    halo = [withStroke(linewidth=3, foreground="white")]
    for point, label in zip(shapely.point_on_surface(geoms[present]), labels):
        ax.text(point.x, point.y, label, fontsize=size, fontweight="bold", fontproperties=font, color="#1a1a1a",
                ha="center", va="center", path_effects=halo, zorder=9)  # above the marks: a village is always named
    return font is not None


def _cjk_font(chars: str, size: float):
    """The maps' bold SC face cut to `chars`, for matplotlib; None where no Simplified-Chinese font is installed."""
    from matplotlib.font_manager import FontProperties

    from gis_census.errors import CensusError
    from gis_census.fonts import map_font

    try:
        return FontProperties(fname=str(map_font(chars, "bold")), size=size)
    except CensusError:
        return None


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
    were numbered, how many were marked, and how many numbers found no free place near their
    mark and were written over others.
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
    crowded = _place_labels(ax, numbers[labelled], xy[labelled], text_colours[labelled])
    return int(labelled.sum()), len(geoms), crowded


#: Where a number goes beside its mark: the four corners, then further out in eight directions (in gaps of the mark).
_OFFSETS = [(1, 1), (-1, 1), (1, -1), (-1, -1)] + [(k * dx, k * dy) for k in (2, 3, 4, 6, 9, 13)
                                                   for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1),
                                                                  (1.5, 0), (-1.5, 0), (0, 1.5), (0, -1.5))]
_CELL = 32  # px of the grid that finds the numbers already written near a place


def _place_labels(ax, numbers: np.ndarray, xy: np.ndarray, colours: np.ndarray) -> int:
    """Write each number beside its point, in the first place around it where it overlaps no earlier number; a number
    set further out than a corner gets a thin line to its mark, and one with no free place is written at its first
    corner all the same (no problem goes unnumbered).

    Returns how many numbers were written where they overlap an earlier one.
    """
    pixels = ax.transData.transform(xy)
    right, top = ax.figure.bbox.width, ax.figure.bbox.height
    halo = [withStroke(linewidth=2.5, foreground="white")]
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    gap = _MARKER_PX / 2
    crowded = 0
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    leader_colours: list[str] = []
    for n, (px, py), colour in zip(numbers, pixels, colours):
        w, h = 7.0 * len(str(n)) + 2, 12.0
        chosen = None
        for fx, fy in _OFFSETS:
            dx, dy = fx * gap if fx > 0 else fx * gap - w, fy * gap if fy > 0 else fy * gap - h
            if fx == 0:
                dx = -w / 2
            if fy == 0:
                dy = -h / 2
            box = (px + dx, py + dy, px + dx + w, py + dy + h)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= right and box[3] <= top
            if inside and not _overlaps(grid, box):
                chosen = (dx, dy, box, abs(fx) > 1 or abs(fy) > 1 or fx == 0 or fy == 0)
                break
        if chosen is None:
            crowded += 1
            dx = gap if px + gap + w <= right else -gap - w
            dy = gap if py + gap + h <= top else -gap - h
            chosen = (dx, dy, (px + dx, py + dy, px + dx + w, py + dy + h), False)
        dx, dy, box, far = chosen
        for cell in _cells(box):
            grid.setdefault(cell, []).append(box)
        if far:  # to the box's nearest point
            leaders.append(((px, py), (min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3]))))
            leader_colours.append(colour)
        # in pixels, not an annotation: an annotation's arrow is clipped to its text by bisection, 3 s a county
        ax.text(px + dx + 1, py + dy + 1, str(n), transform=IdentityTransform(), ha="left", va="bottom", fontsize=8,
                fontweight="bold", color=colour, path_effects=halo, zorder=7, gid="problem")
    if leaders:
        ax.add_artist(LineCollection(leaders, colors=leader_colours, linewidths=0.6, transform=IdentityTransform(),
                                     zorder=6))
    return crowded


def _cells(box: tuple[float, float, float, float]):
    for i in range(int(box[0] // _CELL), int(box[2] // _CELL) + 1):
        for j in range(int(box[1] // _CELL), int(box[3] // _CELL) + 1):
            yield i, j


def _overlaps(grid: dict, box: tuple[float, float, float, float]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for cell in _cells(box) for b in grid.get(cell, ()))


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
