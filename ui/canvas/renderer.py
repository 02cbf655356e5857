"""Turn project layers into cached Qt paths once, and paint them in a view with cartographic styles.

Speed (county: 7,000 small areas, 200,000 buildings, 1600 × 1000 px): what costs in Qt's raster
engine is antialiased strokes wider than one pixel (they go through the stroker and the grey
rasteriser, which slows down steeply with the size of a path), antialiased fills, and halos
stroked around text. So fills are drawn without antialiasing (a mosaic has no seams that way),
wide outlines from paths of a few features each, lines thinner and undashed when zoomed far out,
buildings smaller than a pixel or two as a dot raster made with numpy, and labels as cached
images with a halo.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen

from gis_census.project import PREVIOUS
from gis_census.rules import has_land
from gis_census.schema import LAYER_ORDER
from ui.canvas.labels import Placed, on_screen, paint_labels
from ui.canvas.view import MapView

__all__ = ["Style", "LayerGraphics", "PREVIOUS", "draw_order", "build_layer", "render_layers", "small_area_label", "simple_parts", "rings_path",
           "pen"]

#: Below this scale (pixels per metre; 15 m a pixel) lines are drawn in their generalised style.
SMALL_SCALE = 1 / 15
#: Buildings whose typical footprint is smaller on screen than this many pixels are drawn as dots.
DOTS_BELOW_PX = 1.5


@dataclass(frozen=True)
class Style:
    """How one group of features is drawn; widths and sizes in pixels, whatever the zoom."""

    fill: QColor | None = None
    stroke: QColor | None = None
    width: float = 1.0  # polygon outlines
    line_width: float | None = None  # line features; defaults to `width`
    dashed: bool = False
    marker: float = 0.0  # radius of point symbols
    label: str | None = None  # column to label features with
    label_size: float = 9.0
    label_bold: bool = False
    #: Label an area only when it is at least this wide and high on screen (pixels); None: always.
    label_fit: tuple[float, float] | None = None
    #: Label on the feature's top edge, not its middle (where the small area's own label and houses are).
    label_on_top: bool = False
    #: The style used below SMALL_SCALE (zoomed far out); None: this one.
    small: Style | None = None
    #: Draw polygons as dots when their typical size on screen is below DOTS_BELOW_PX.
    dots: bool = False
    #: Antialias outlines and lines (fills never are).
    smooth: bool = True

    def at(self, scale: float) -> Style:
        """The style to draw with at `scale` pixels per metre."""
        return self.small if self.small is not None and scale < SMALL_SCALE else self


_GREY_DARK = QColor("#3a3a3a")
_SMALL_AREA_STROKE = QColor("#c99a4e")
_SMALL_AREA_LABEL_FIT = (44.0, 34.0)
#: A building's number shows once its footprint is this big on screen (pixels): at a village's zoom.
_BUILDING_LABEL_FIT = (12.0, 9.0)

STYLES: dict[str, Style] = {
    "villages": Style(stroke=_GREY_DARK, width=2.6, label="name", label_size=12, label_bold=True),
    "districts": Style(
        stroke=QColor("#55557f"), width=1.4, dashed=True, small=Style(stroke=QColor(85, 85, 127, 160), width=1.0)
    ),
    "small_areas": Style(fill=QColor(255, 226, 150, 90), stroke=_SMALL_AREA_STROKE, width=0.8, label_fit=_SMALL_AREA_LABEL_FIT,
                         small=Style(fill=QColor(255, 226, 150, 90), stroke=QColor(201, 154, 78, 150), width=1.0, smooth=False,
                                     label_fit=_SMALL_AREA_LABEL_FIT)),
    "water": Style(fill=QColor("#a9cfee"), stroke=QColor("#4f8fc7"), width=0.8, line_width=2.2, marker=3,
                   small=Style(fill=QColor("#a9cfee"), stroke=QColor("#4f8fc7"), width=0.8, line_width=1.0, marker=2)),
    "buildings": Style(fill=QColor("#b9b6b0"), stroke=QColor("#77736c"), width=0.6, marker=2.5, dots=True, label="number",
                       label_size=7.5, label_fit=_BUILDING_LABEL_FIT),
    "landmarks": Style(fill=QColor("#d1432e"), stroke=QColor("white"), width=1.2, marker=4.5, label="name"),
    "problems": Style(fill=QColor(230, 30, 30, 110), stroke=QColor("#d01010"), width=2.0, line_width=3.0, marker=6),
    # a previous census's division: a dashed outline over the current one, so old and new are seen side by side
    "previous_small_areas": Style(stroke=QColor("#8a3fb8"), width=1.8, dashed=True,
                                  small=Style(stroke=QColor(138, 63, 184, 180), width=1.2, dashed=True)),
}  # fmt: skip


def draw_order() -> list[str]:
    """The layers in drawing order, bottom first: the schema's, with the previous division's outline just
    above the current small areas when the schema does not place it itself."""
    order = list(LAYER_ORDER)
    if PREVIOUS not in order:
        order.insert(order.index("small_areas") + 1, PREVIOUS)
    return order
#: A special district (学校, 营区 …: a non-empty ``kind``) stands out from the village's ordinary districts, named.
#: Its outline is wide enough to show on both sides of the small areas' boundary drawn over it.
SPECIAL_DISTRICT = Style(stroke=QColor("#7b2cbf"), width=3.6, fill=QColor(123, 44, 191, 40), label="name", label_size=10,
                         label_bold=True, label_on_top=True,
                         small=Style(stroke=QColor("#7b2cbf"), width=2.0, fill=QColor(123, 44, 191, 40)))
#: Warnings (a house on a village line, overlapping footprints, a population off target) must not read as errors.
WARNING_STYLE = replace(STYLES["problems"], fill=QColor(245, 150, 20, 90), stroke=QColor("#e07b00"), width=1.5)
MINOR_ROAD = Style(stroke=QColor("#8f8f8f"), width=1.6, small=Style(stroke=QColor("#9a9a9a"), width=0.9))
MAJOR_ROAD = Style(stroke=QColor("#e8902a"), width=3.4, small=Style(stroke=QColor("#e8902a"), width=2.0))
#: Road kinds drawn as major roads when the layer has no numeric `width` column (metres).
MAJOR_ROAD_KINDS = {"motorway", "trunk", "primary", "secondary", "major", "国道", "省道", "县道", "主干道", "干道"}
MAJOR_ROAD_WIDTH = 7.0
_FALLBACK = Style(fill=QColor(120, 120, 120, 60), stroke=QColor("#606060"), marker=3)


class _Chunks:
    """Geometries as paths of up to `chunk` parts each, near ones together, with each path's bounds.

    One path per layer is slow to fill antialiased (Qt's rasteriser spends 15× longer on one path
    of 30,000 rings than on 120 compact paths of 256), and compact chunks let the off-screen ones
    be skipped when zoomed in. Wide antialiased strokes need smaller paths still (STROKE_CHUNK).
    """

    CHUNK = 64
    STROKE_CHUNK = 8

    def __init__(self, parts: np.ndarray, polygons: bool, origin: tuple[float, float], chunk: int = CHUNK, ordered: bool = False):
        self._paths: list[QPainterPath] | None = []
        self.bounds = np.empty((0, 4))  # xmin, ymin, xmax, ymax, relative to origin
        self.parts = parts  # in path order, for outlines in smaller chunks
        self.part_bounds = np.empty((0, 4))  # of each part, in path order
        if len(parts) == 0:
            return
        if len(parts) > chunk and not ordered:
            parts = parts[np.argsort(gpd.GeoSeries(parts).hilbert_distance(), kind="stable")]
        # Paths are made when first drawn: a county's buildings are dots until zoomed in (saves ~0.8 s at open),
        # and then only the chunks in view.
        self._paths, self._recipe = None, (polygons, origin, chunk)
        self.part_bounds = bounds = shapely.bounds(parts)
        starts = np.arange(0, len(parts), chunk)
        self.bounds = np.column_stack([
            np.minimum.reduceat(bounds[:, 0], starts), np.minimum.reduceat(bounds[:, 1], starts),
            np.maximum.reduceat(bounds[:, 2], starts), np.maximum.reduceat(bounds[:, 3], starts),
        ]) - np.tile(origin, 2)  # fmt: skip
        self.parts = parts

    @property
    def paths(self) -> list[QPainterPath]:
        """Every chunk's path."""
        return self._chunk_paths(range(len(self.bounds)))

    def visible(self, box: tuple[float, float, float, float]) -> list[QPainterPath]:
        """The paths whose bounds meet `box` (xmin, ymin, xmax, ymax relative to the origin)."""
        b = self.bounds
        hit = (b[:, 0] <= box[2]) & (b[:, 2] >= box[0]) & (b[:, 1] <= box[3]) & (b[:, 3] >= box[1])
        return self._chunk_paths(np.flatnonzero(hit).tolist())

    def _chunk_paths(self, chunks) -> list[QPainterPath]:
        if self._paths is None:
            self._paths = [None] * len(self.bounds)
        polygons, origin, chunk = self._recipe if len(self.bounds) else (True, (0, 0), 1)
        missing = [i for i in chunks if self._paths[i] is None]
        if len(missing) == len(self._paths) and missing:
            self._paths = _chunk_paths(self.parts, polygons, origin, chunk)  # all at once is faster
        for i in missing if self._paths.count(None) else ():
            self._paths[i] = _chunk_paths(self.parts[i * chunk:(i + 1) * chunk], polygons, origin, chunk)[0]
        return [self._paths[i] for i in chunks]


@dataclass
class _Group:
    """Features of one layer sharing a style, in metres relative to the layer origin."""

    style: Style
    areas: _Chunks
    lines: _Chunks
    points: np.ndarray  # (n, 2)
    anchors: np.ndarray  # (m, 2) label positions
    labels: list[str]
    outlines: _Chunks | None = None  # the areas again in small paths, for outlines wider than a pixel
    extents: np.ndarray | None = None  # (m, 2) width and height in metres of each labelled feature
    centres: np.ndarray | None = None  # (k, 2) centres of the areas, for drawing them as dots
    footprint: float = 0.0  # typical size of an area in metres (median of √area)


@dataclass
class LayerGraphics:
    """A layer ready to paint: built once per layer version, reused for every view."""

    name: str
    bounds: tuple[float, float, float, float] | None  # metres; None when the layer is empty
    origin: tuple[float, float] = (0.0, 0.0)
    groups: list[_Group] = field(default_factory=list)


def build_layer(
    name: str, gdf: gpd.GeoDataFrame, target: float | None = None, tolerance: float | None = None, unit: str = "people"
) -> LayerGraphics:
    """The paths, points and labels of layer `name`, grouped by style (minor roads below major).

    For "small_areas", a `target` size (people, or households when `unit` is "households") fills
    each area by its deviation class (under, on, over target ± `tolerance`, default 0.2), and the
    areas are labelled with their sequence number and size.
    """
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    present = has_land(geoms)
    if not present.any():
        return LayerGraphics(name, None)
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms[present]))
    origin = (bounds[0], bounds[1])  # keeps path coordinates small whatever the CRS's false easting
    graphics = LayerGraphics(name, bounds, origin)
    labels_of = _small_area_labels(gdf, unit) if name == "small_areas" else None
    for style, mask in _style_groups(name, gdf, target, tolerance, unit):
        mask = mask & present
        if mask.any():
            if labels_of is not None:
                labels = labels_of[mask]
            elif name == "buildings" and style.label in gdf.columns:
                labels = _building_numbers(gdf[style.label].to_numpy()[mask])
            else:
                labels = gdf[style.label].to_numpy()[mask] if style.label in gdf.columns else None
            graphics.groups.append(_build_group(style, geoms[mask], labels, origin))
    return graphics


def _style_groups(name: str, gdf: gpd.GeoDataFrame, target, tolerance, unit) -> list[tuple[Style, np.ndarray]]:
    everything = np.ones(len(gdf), dtype=bool)
    if name == "small_areas" and target is not None and target > 0:
        from ui.deviation import COLORS, deviation_class

        classes = deviation_class(_measure(gdf, unit), float(target), 0.2 if tolerance is None else float(tolerance))
        base = STYLES["small_areas"]
        groups = []
        for c in (-1, 0, 1):
            fill = _fill_of(COLORS[c])
            groups.append((replace(base, fill=fill, small=replace(base.small, fill=fill) if base.small else None), classes == c))
        return groups
    if name == "problems" and "severity" in gdf.columns:  # warnings in orange beneath the errors in red
        warning = (gdf["severity"] == "warning").to_numpy()
        return [(WARNING_STYLE, warning), (STYLES["problems"], ~warning)]
    if name == "districts" and "kind" in gdf.columns:
        special = (gdf["kind"].astype(str).str.strip() != "").to_numpy()
        return [(STYLES["districts"], ~special), (SPECIAL_DISTRICT, special)]
    if name != "roads":
        return [(STYLES.get(name, _FALLBACK), everything)]
    if "width" in gdf.columns and np.issubdtype(gdf["width"].dtype, np.number):
        major = gdf["width"].to_numpy() >= MAJOR_ROAD_WIDTH
    else:
        major = gdf["kind"].astype(str).str.strip().str.lower().isin(MAJOR_ROAD_KINDS).to_numpy()
    return [(MINOR_ROAD, ~major), (MAJOR_ROAD, major)]


def _fill_of(color: QColor) -> QColor:
    """A deviation class's colour as an area fill: translucent, so what lies below still shows."""
    fill = QColor(color)
    if fill.alpha() == 255:
        fill.setAlpha(170)
    return fill


def _measure(gdf: gpd.GeoDataFrame, unit: str) -> np.ndarray:
    column = "households" if unit == "households" else "population"
    if column not in gdf.columns:
        return np.zeros(len(gdf))
    return gdf[column].to_numpy(dtype=float, na_value=0.0)


def small_area_label(code: str, size: float | None, unit: str = "people", lang: str | None = None) -> str:
    """A small area's label: its sequence number (the code's last 3 digits) over its size, e.g. "003\\n312人"."""
    seq = str(code)[-3:]
    if size is None or not np.isfinite(size):
        return seq
    if lang is None:
        from gis_census.i18n import current_language

        lang = current_language()
    suffix = {("zh", "households"): "户", ("en", "households"): " hh"}.get((lang, unit), "人" if lang == "zh" else " p.")
    return f"{seq}\n{int(round(size))}{suffix}"


def _small_area_labels(gdf: gpd.GeoDataFrame, unit: str) -> np.ndarray | None:
    if "code" not in gdf.columns:
        return None
    from gis_census.i18n import current_language

    lang = current_language()
    column = "households" if unit == "households" else "population"
    sizes = gdf[column].to_numpy(dtype=float, na_value=np.nan) if column in gdf.columns else [None] * len(gdf)
    return np.array([small_area_label(c, s, unit, lang) for c, s in zip(gdf["code"].astype(str), sizes)], dtype=object)


def _building_numbers(numbers: np.ndarray) -> np.ndarray:
    """Buildings' labels: their number in their small area, "" for one not numbered yet."""
    numbers = np.nan_to_num(numbers.astype(float), nan=0.0).astype(np.int64)
    return np.where(numbers > 0, numbers.astype(str), "").astype(object)


def _build_group(style: Style, geoms: np.ndarray, labels: np.ndarray | None, origin) -> _Group:
    parts = simple_parts(geoms)
    kind = shapely.get_type_id(parts)
    polygons = parts[kind == 3]
    areas = _Chunks(polygons, True, origin)
    wide = max(style.width, style.line_width or 0.0) > 1.0
    line_parts = parts[(kind == 1) | (kind == 2)]
    lines = _Chunks(line_parts, False, origin, chunk=_Chunks.STROKE_CHUNK if wide else _Chunks.CHUNK)
    outlines = None
    if style.stroke is not None and style.width > 1.0 and len(polygons):
        outlines = _Chunks(_boundaries(areas.parts), False, origin, chunk=_Chunks.STROKE_CHUNK)
    points = shapely.get_coordinates(parts[kind == 0]) - origin
    centres, footprint = None, 0.0
    if style.dots and len(polygons):
        b = areas.part_bounds  # the middle of the bounds is near enough the centroid, and free
        centres = np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2]) - origin
        footprint = float(np.median(np.sqrt(shapely.area(polygons))))
    anchors, texts, extents = np.empty((0, 2)), [], None
    if labels is not None:
        if style.dots:  # a county's buildings: their labels are numbers or "" (_building_numbers), compared in C
            keep = np.asarray(labels != "", dtype=bool)
        else:
            keep = np.array([bool(str(t).strip()) for t in labels], dtype=bool)
        if keep.any():
            b = shapely.bounds(geoms[keep]) if style.label_fit is not None or style.dots else None
            if style.dots:  # a county's footprints: the middle of the bounds, 10× faster than point_on_surface
                anchors = np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2]) - origin
            else:
                anchors = shapely.get_coordinates(shapely.point_on_surface(geoms[keep])) - origin
                if style.label_on_top:
                    anchors[:, 1] = shapely.bounds(geoms[keep])[:, 3] - origin[1]
            texts = labels[keep].tolist() if style.dots else [str(t) for t in labels[keep]]
            if b is not None and style.label_fit is not None:
                extents = np.column_stack([b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]])
    return _Group(style, areas, lines, points, anchors, texts, outlines, extents, centres, footprint)


def _boundaries(polygons: np.ndarray) -> np.ndarray:
    """The outlines of `polygons` as lines, a boundary two of them share only once (half the stroking)."""
    rings = shapely.get_rings(polygons)
    if len(polygons) > 5000:  # noding that many costs more than it saves
        return rings
    try:
        merged = shapely.line_merge(shapely.union_all(rings))
    except shapely.errors.GEOSException:
        return rings
    lines = shapely.get_parts(merged)
    return lines[shapely.get_type_id(lines) == 1]


def simple_parts(geoms: np.ndarray) -> np.ndarray:
    """Points, lines and polygons of `geoms`, multi-parts and collections taken apart."""
    if (shapely.get_type_id(geoms) < 4).all():  # nothing to take apart: spare copying every geometry
        return geoms[~shapely.is_empty(geoms)]
    parts = shapely.get_parts(geoms)
    while (nested := shapely.get_type_id(parts) >= 4).any():
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    return parts[~shapely.is_empty(parts)]


_ELEMENT = np.dtype([("type", ">i4"), ("x", ">f8"), ("y", ">f8")])  # QPainterPath::Element on a stream


def _chunk_paths(parts: np.ndarray, polygons: bool, origin, chunk: int) -> list[QPainterPath]:
    """One path for each run of `chunk` parts: `rings_path` for all at once, the numpy work done once."""
    if polygons:  # one winding for all rings: holes stay open, overlaps stay filled
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        coords = _oriented(coords - origin, ring, ring_part) + origin
        part, rule = ring_part[ring], Qt.FillRule.WindingFill
    else:
        coords, ring = shapely.get_coordinates(parts, return_index=True)
        part, rule = ring, Qt.FillRule.OddEvenFill
    n = len(coords)
    starts = np.ones(n, dtype=bool)
    starts[1:] = ring[1:] != ring[:-1]
    records = np.zeros(n, dtype=_ELEMENT)
    records["type"] = np.where(starts, 0, 1)  # MoveToElement, LineToElement
    records["x"] = coords[:, 0] - origin[0]
    records["y"] = coords[:, 1] - origin[1]
    raw = records.tobytes()
    ends = np.searchsorted(part // chunk, np.arange(1, (len(parts) - 1) // chunk + 2))
    start_at = np.flatnonzero(starts)
    last_start = start_at[np.searchsorted(start_at, ends) - 1]
    paths, a = [], 0
    for b, last in zip(ends.tolist(), last_start.tolist()):
        path = QPainterPath()
        if b > a:
            head, tail = np.array([b - a], ">i4").tobytes(), np.array([last - a, rule.value], ">i4").tobytes()
            QDataStream(QByteArray(head + raw[a * _ELEMENT.itemsize : b * _ELEMENT.itemsize] + tail)) >> path
        paths.append(path)
        a = b
    return paths


def _oriented(coords: np.ndarray, ring: np.ndarray, ring_part: np.ndarray) -> np.ndarray:
    """`coords` of closed rings (ring index `ring`, part of each ring `ring_part`) with every exterior
    ring counter-clockwise and every hole clockwise: shapely.orient_polygons in numpy, 3× faster."""
    n = len(coords)
    if n < 2:
        return coords
    x, y = coords[:, 0], coords[:, 1]
    same = ring[1:] == ring[:-1]
    cross = (x[:-1] * y[1:] - x[1:] * y[:-1])[same]
    twice_area = np.bincount(ring[:-1][same], weights=cross, minlength=len(ring_part))
    exterior = np.ones(len(ring_part), dtype=bool)
    exterior[1:] = ring_part[1:] != ring_part[:-1]
    flip = (twice_area > 0) != exterior
    if not flip.any():
        return coords
    first = np.searchsorted(ring, np.arange(len(ring_part)))
    last = np.searchsorted(ring, np.arange(len(ring_part)), side="right") - 1
    index = np.arange(n)
    f = flip[ring]
    index[f] = first[ring[f]] + last[ring[f]] - index[f]
    return coords[index]


def rings_path(rings: np.ndarray, fill_rule: Qt.FillRule, origin) -> QPainterPath:
    """One path of the lines or rings `rings`, in metres relative to `origin`.

    Qt has no bulk constructor for paths, and one Python call per vertex costs seconds for a
    county's buildings, so the path is written in QDataStream's binary layout with numpy and read
    back in one call (the trick pyqtgraph's ``arrayToQPath`` uses).
    """
    path = QPainterPath()
    coords, owner = shapely.get_coordinates(rings, return_index=True)
    n = len(coords)
    if n == 0:
        return path
    starts = np.ones(n, dtype=bool)
    starts[1:] = owner[1:] != owner[:-1]
    # Records 1..n hold the elements; the stream starts 4 bytes before record 1 with the count
    # and ends with the index of the last subpath's start and the fill rule.
    records = np.zeros(n + 2, dtype=_ELEMENT)
    records["type"][1:-1] = np.where(starts, 0, 1)  # MoveToElement, LineToElement
    records["x"][1:-1] = coords[:, 0] - origin[0]
    records["y"][1:-1] = coords[:, 1] - origin[1]
    raw = records.view(np.uint8)
    tail = _ELEMENT.itemsize * (n + 1)
    raw[16:20] = np.array([n], ">i4").view(np.uint8)
    raw[tail : tail + 8] = np.array([np.flatnonzero(starts)[-1], fill_rule.value], ">i4").view(np.uint8)
    QDataStream(QByteArray(raw[16:-12].tobytes())) >> path
    return path


# -- painting ---------------------------------------------------------------------------------


def render_layers(painter: QPainter, layers: list[LayerGraphics], view: MapView, font: QFont) -> None:
    """Paint `layers`, bottom first, as seen in `view`; `painter` is left as it was.

    The fills of every layer come first, then every layer's outlines, lines and symbols, then the
    labels: so the translucent fill of the small areas cannot hide the village boundaries below.
    """
    painter.save()
    screen = QRectF(0, 0, view.width, view.height)
    for fills in (True, False):
        for layer in layers:
            box = _visible_box(view, layer.origin)
            for group in layer.groups:
                style = group.style.at(view.scale)
                if group.centres is not None and group.footprint * view.scale < DOTS_BELOW_PX:
                    if not fills:
                        _paint_dots(painter, group, style, view, layer.origin)
                else:
                    painter.setTransform(view.transform(layer.origin))
                    _paint_shapes(painter, group, style, box, fills)
                    painter.resetTransform()
                if not fills:
                    _paint_points(painter, group, style, view, layer.origin, screen)
    placed = Placed(view.width, view.height)  # labels above every layer's features; the first drawn wins a contested spot
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    for layer in layers:
        for group in layer.groups:
            paint_labels(painter, group, view, layer.origin, screen, font, placed)
    painter.restore()


def pen(color: QColor | None, width: float, dashed: bool = False) -> QPen:
    if color is None:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(color, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setCosmetic(True)  # width in pixels, not metres
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _visible_box(view: MapView, origin) -> tuple[float, float, float, float]:
    """The map area in view, relative to `origin`, widened by a few pixels for line widths."""
    xmin, ymin, xmax, ymax = view.bounds(pad_px=8)
    return xmin - origin[0], ymin - origin[1], xmax - origin[0], ymax - origin[1]


def _paint_shapes(painter: QPainter, group: _Group, style: Style, box, fills: bool) -> None:
    """The group's area fills when `fills`, else its outlines and lines."""
    if fills:
        # Fills without antialiasing: twice as fast, and neighbouring areas meet without a seam.
        if style.fill is not None and (areas := group.areas.visible(box)):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(style.fill))
            for path in areas:
                painter.drawPath(path)
        return
    if style.stroke is not None:
        # Qt strokes thin cosmetic pens fast whatever the path; wide ones need small paths.
        wide = group.outlines is not None and style.width > 1.0
        if outlines := (group.outlines if wide else group.areas).visible(box):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, style.smooth)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen(style.stroke, style.width, style.dashed))
            for path in outlines:
                painter.drawPath(path)
    if lines := group.lines.visible(box):
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, style.smooth)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(style.stroke, style.line_width or style.width, style.dashed))
        for path in lines:
            painter.drawPath(path)


def _paint_dots(painter: QPainter, group: _Group, style: Style, view: MapView, origin) -> None:
    """The group's areas as one-pixel dots, darker where several fall on a pixel: a raster made with numpy."""
    w, h = view.width, view.height
    xy = view.to_screen(group.centres, origin)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    if not inside.any():
        return
    at = xy[inside, 1].astype(np.intp) * w + xy[inside, 0].astype(np.intp)
    counts = np.bincount(at, minlength=w * h)
    occupied = np.flatnonzero(counts)
    pixels = np.zeros(w * h, dtype=np.uint32)
    pixels[occupied] = _dot_colours(style.stroke or style.fill or QColor("black"))[np.minimum(counts[occupied], 3)]
    image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied)
    painter.drawImage(QRectF(0, 0, w, h), image)
    del image  # before `pixels`, whose memory it uses


def _dot_colours(color: QColor) -> np.ndarray:
    """Premultiplied ARGB of a pixel holding 0, 1, 2 and 3 or more dots."""
    alpha = np.array([0, 170, 220, 255], dtype=np.uint32)
    r, g, b = (alpha * c // 255 for c in (color.red(), color.green(), color.blue()))
    return (alpha << 24) | (r << 16) | (g << 8) | b


def _paint_points(painter: QPainter, group: _Group, style: Style, view: MapView, origin, screen: QRectF) -> None:
    if not len(group.points) or style.marker <= 0:
        return
    xy = view.to_screen(group.points, origin)
    xy = xy[on_screen(xy, screen, style.marker)]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QBrush(style.fill or style.stroke))
    painter.setPen(pen(style.stroke if style.fill is not None else None, style.width))
    r = style.marker
    for x, y in xy.tolist():
        painter.drawEllipse(QPointF(x, y), r, r)
