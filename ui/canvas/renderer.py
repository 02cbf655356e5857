"""Turn project layers into cached Qt paths once, and paint them in a view with cartographic styles."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from ui.canvas.view import MapView

__all__ = ["Style", "LayerGraphics", "build_layer", "render_layers"]

#: A map showing more labels than this at once is unreadable; they are left out until zoomed in.
MAX_LABELS = 800


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


_GREY_DARK = QColor("#3a3a3a")

STYLES: dict[str, Style] = {
    "villages": Style(stroke=_GREY_DARK, width=2.6, label="name", label_size=12, label_bold=True),
    "districts": Style(stroke=QColor("#55557f"), width=1.4, dashed=True),
    "small_areas": Style(fill=QColor(255, 226, 150, 90), stroke=QColor("#c99a4e"), width=0.8),
    "water": Style(fill=QColor("#a9cfee"), stroke=QColor("#4f8fc7"), width=0.8, line_width=2.2, marker=3),
    "buildings": Style(fill=QColor("#b9b6b0"), stroke=QColor("#77736c"), width=0.6, marker=2.5),
    "landmarks": Style(fill=QColor("#d1432e"), stroke=QColor("white"), width=1.2, marker=4.5, label="name"),
    "problems": Style(fill=QColor(230, 30, 30, 110), stroke=QColor("#d01010"), width=2.0, line_width=3.0, marker=6),
}
MINOR_ROAD = Style(stroke=QColor("#8f8f8f"), width=1.6)
MAJOR_ROAD = Style(stroke=QColor("#e8902a"), width=3.4)
#: Road kinds drawn as major roads when the layer has no numeric `width` column (metres).
MAJOR_ROAD_KINDS = {"motorway", "trunk", "primary", "secondary", "major", "国道", "省道", "县道", "主干道", "干道"}
MAJOR_ROAD_WIDTH = 7.0
_FALLBACK = Style(fill=QColor(120, 120, 120, 60), stroke=QColor("#606060"), marker=3)


class _Chunks:
    """Geometries as paths of up to CHUNK parts each, near ones together, with each path's bounds.

    One path per layer is slow to fill antialiased (Qt's rasteriser spends 15× longer on one path
    of 30,000 rings than on 120 compact paths of 256), and compact chunks let the off-screen ones
    be skipped when zoomed in.
    """

    CHUNK = 256

    def __init__(self, parts: np.ndarray, polygons: bool, origin: tuple[float, float]):
        self.paths: list[QPainterPath] = []
        self.bounds = np.empty((0, 4))  # xmin, ymin, xmax, ymax, relative to origin
        if len(parts) == 0:
            return
        if len(parts) > self.CHUNK:
            parts = parts[np.argsort(gpd.GeoSeries(parts).hilbert_distance(), kind="stable")]
        chunks = [parts[i : i + self.CHUNK] for i in range(0, len(parts), self.CHUNK)]
        for chunk in chunks:
            if polygons:  # one winding for all rings: holes stay open, overlaps stay filled
                self.paths.append(_rings_path(shapely.get_rings(shapely.orient_polygons(chunk)), Qt.FillRule.WindingFill, origin))
            else:
                self.paths.append(_rings_path(chunk, Qt.FillRule.OddEvenFill, origin))
        self.bounds = np.array([shapely.total_bounds(c) for c in chunks]) - np.tile(origin, 2)

    def visible(self, box: tuple[float, float, float, float]) -> list[QPainterPath]:
        """The paths whose bounds meet `box` (xmin, ymin, xmax, ymax relative to the origin)."""
        b = self.bounds
        hit = (b[:, 0] <= box[2]) & (b[:, 2] >= box[0]) & (b[:, 1] <= box[3]) & (b[:, 3] >= box[1])
        return [self.paths[i] for i in np.flatnonzero(hit)]


@dataclass
class _Group:
    """Features of one layer sharing a style, in metres relative to the layer origin."""

    style: Style
    areas: _Chunks
    lines: _Chunks
    points: np.ndarray  # (n, 2)
    anchors: np.ndarray  # (m, 2) label positions
    labels: list[str]


@dataclass
class LayerGraphics:
    """A layer ready to paint: built once per layer version, reused for every view."""

    name: str
    bounds: tuple[float, float, float, float] | None  # metres; None when the layer is empty
    origin: tuple[float, float] = (0.0, 0.0)
    groups: list[_Group] = field(default_factory=list)


def build_layer(name: str, gdf: gpd.GeoDataFrame) -> LayerGraphics:
    """The paths, points and labels of layer `name`, grouped by style (minor roads below major)."""
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return LayerGraphics(name, None)
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms[present]))
    origin = (bounds[0], bounds[1])  # keeps path coordinates small whatever the CRS's false easting
    graphics = LayerGraphics(name, bounds, origin)
    for style, mask in _style_groups(name, gdf):
        mask = mask & present
        if mask.any():
            labels = gdf[style.label].to_numpy()[mask] if style.label in gdf.columns else None
            graphics.groups.append(_build_group(style, geoms[mask], labels, origin))
    return graphics


def _style_groups(name: str, gdf: gpd.GeoDataFrame) -> list[tuple[Style, np.ndarray]]:
    everything = np.ones(len(gdf), dtype=bool)
    if name != "roads":
        return [(STYLES.get(name, _FALLBACK), everything)]
    if "width" in gdf.columns and np.issubdtype(gdf["width"].dtype, np.number):
        major = gdf["width"].to_numpy() >= MAJOR_ROAD_WIDTH
    else:
        major = gdf["kind"].astype(str).str.strip().str.lower().isin(MAJOR_ROAD_KINDS).to_numpy()
    return [(MINOR_ROAD, ~major), (MAJOR_ROAD, major)]


def _build_group(style: Style, geoms: np.ndarray, labels: np.ndarray | None, origin) -> _Group:
    parts = _simple_parts(geoms)
    kind = shapely.get_type_id(parts)
    areas = _Chunks(parts[kind == 3], True, origin)
    lines = _Chunks(parts[(kind == 1) | (kind == 2)], False, origin)
    points = shapely.get_coordinates(parts[kind == 0]) - origin
    anchors, texts = np.empty((0, 2)), []
    if labels is not None:
        keep = np.array([bool(str(t).strip()) for t in labels], dtype=bool)
        if keep.any():
            anchors = shapely.get_coordinates(shapely.point_on_surface(geoms[keep])) - origin
            texts = [str(t) for t in labels[keep]]
    return _Group(style, areas, lines, points, anchors, texts)


def _simple_parts(geoms: np.ndarray) -> np.ndarray:
    """Points, lines and polygons of `geoms`, multi-parts and collections taken apart."""
    parts = shapely.get_parts(geoms)
    while (nested := shapely.get_type_id(parts) >= 4).any():
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    return parts[~shapely.is_empty(parts)]


_ELEMENT = np.dtype([("type", ">i4"), ("x", ">f8"), ("y", ">f8")])  # QPainterPath::Element on a stream


def _rings_path(rings: np.ndarray, fill_rule: Qt.FillRule, origin) -> QPainterPath:
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


def render_layers(painter: QPainter, layers: list[LayerGraphics], view: MapView, font: QFont) -> None:
    """Paint `layers`, bottom first, as seen in `view`; `painter` is left as it was."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    screen = QRectF(0, 0, view.width, view.height)
    for layer in layers:
        box = _visible_box(view, layer.origin)
        for group in layer.groups:
            painter.setTransform(view.transform(layer.origin))
            _paint_shapes(painter, group, box)
            painter.resetTransform()
            _paint_points(painter, group, view, layer.origin, screen)
    placed: list[QRectF] = []  # labels above every layer's features; the first drawn wins a contested spot
    for layer in layers:
        for group in layer.groups:
            _paint_labels(painter, group, view, layer.origin, screen, font, placed)
    painter.restore()


def _pen(color: QColor | None, width: float, dashed: bool = False) -> QPen:
    if color is None:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(color, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setCosmetic(True)  # width in pixels, not metres
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _visible_box(view: MapView, origin) -> tuple[float, float, float, float]:
    """The map area in view, relative to `origin`, widened by a few pixels for line widths."""
    pad = 8 / view.scale
    xmin, ymax = view.to_map(0, 0)
    xmax, ymin = view.to_map(view.width, view.height)
    return xmin - origin[0] - pad, ymin - origin[1] - pad, xmax - origin[0] + pad, ymax - origin[1] + pad


def _paint_shapes(painter: QPainter, group: _Group, box) -> None:
    style = group.style
    if areas := group.areas.visible(box):
        painter.setBrush(QBrush(style.fill) if style.fill is not None else Qt.BrushStyle.NoBrush)
        painter.setPen(_pen(style.stroke, style.width, style.dashed))
        for path in areas:
            painter.drawPath(path)
    if lines := group.lines.visible(box):
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(_pen(style.stroke, style.line_width or style.width, style.dashed))
        for path in lines:
            painter.drawPath(path)


def _visible(xy: np.ndarray, screen: QRectF, pad: float) -> np.ndarray:
    return (
        (xy[:, 0] > -pad) & (xy[:, 0] < screen.width() + pad) & (xy[:, 1] > -pad) & (xy[:, 1] < screen.height() + pad)
    )


def _paint_points(painter: QPainter, group: _Group, view: MapView, origin, screen: QRectF) -> None:
    if not len(group.points) or group.style.marker <= 0:
        return
    xy = view.to_screen(group.points, origin)
    xy = xy[_visible(xy, screen, group.style.marker)]
    style = group.style
    painter.setBrush(QBrush(style.fill or style.stroke))
    painter.setPen(_pen(style.stroke if style.fill is not None else None, style.width))
    r = style.marker
    for x, y in xy.tolist():
        painter.drawEllipse(QPointF(x, y), r, r)


def _paint_labels(
    painter: QPainter, group: _Group, view: MapView, origin, screen: QRectF, font: QFont, placed: list[QRectF]
) -> None:
    """Draw the group's labels with a halo, leaving out any that would overlap one in `placed`."""
    if not group.labels:
        return
    xy = view.to_screen(group.anchors, origin)
    shown = np.flatnonzero(_visible(xy, screen, 50))
    if len(shown) == 0 or len(shown) > MAX_LABELS:
        return
    font = QFont(font)
    font.setPointSizeF(group.style.label_size)
    font.setBold(group.style.label_bold)
    metrics = QFontMetricsF(font)
    # A point symbol's label sits beside it; an area's label is centred on the area.
    dx = group.style.marker + 3 if len(group.points) else None
    halo = QPen(QColor(255, 255, 255, 220), 3.0)
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    ink = QBrush(QColor("#202020"))
    for i in shown.tolist():
        text = group.labels[i]
        x, y = xy[i]
        width = metrics.horizontalAdvance(text)
        left = x + dx if dx is not None else x - width / 2
        box = QRectF(left - 1, y - metrics.height() / 2, width + 2, metrics.height())
        if any(box.intersects(other) for other in placed):
            continue
        placed.append(box)
        path = QPainterPath()
        path.addText(QPointF(left, y + metrics.capHeight() / 2), font, text)
        painter.strokePath(path, halo)
        painter.fillPath(path, ink)
