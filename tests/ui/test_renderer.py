"""The map renderer, judged by the pixels it paints: deviation colours, buildings at every zoom, labels, overlays."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from gis_census.demo import make_county
from gis_census.demo.project import county_project
from ui.canvas.overlay import HIGHLIGHT, SELECTION, render_highlight, render_selection
from ui.canvas.renderer import DOTS_BELOW_PX, STYLES, build_layer, render_layers, small_area_label
from ui.canvas.view import MapView
from ui.deviation import ON, OVER, UNDER
from ui_township import BUILDING_CORNERS, X0, Y0, two_village_township

BACKGROUND = QColor("#f7f6f2")
W, H = 800, 500
TARGET = dict(target=300.0, tolerance=0.2, unit="people")


def draw(layers, view: MapView, ratio: float = 1.0) -> QImage:
    image = QImage(round(view.width * ratio), round(view.height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    try:
        render_layers(painter, layers, view, QFont())
    finally:
        painter.end()
    return image


def rgb(image: QImage, x: float, y: float) -> tuple[int, int, int]:
    c = image.pixelColor(int(x), int(y))
    return c.red(), c.green(), c.blue()


def pixel_at(image: QImage, view: MapView, x: float, y: float) -> tuple[int, int, int]:
    sx, sy = view.to_screen(np.array([[x, y]]))[0]
    return rgb(image, sx, sy)


def blend(fill: QColor, alpha: int, under: QColor = BACKGROUND) -> np.ndarray:
    a = alpha / 255
    return np.array([fill.red(), fill.green(), fill.blue()]) * a + np.array([under.red(), under.green(), under.blue()]) * (1 - a)


def deviation_of(pixel) -> str:
    """The class whose colour, blended over the background at whatever alpha, comes nearest to `pixel`."""
    best = {}
    for name, colour in (("under", UNDER), ("on", ON), ("over", OVER)):
        best[name] = min(np.abs(blend(colour, a) - np.array(pixel)).sum() for a in range(40, 256, 5))
    return min(best, key=best.get)


@pytest.fixture
def township():
    """The two-village township with one small area over target, one under, two on."""
    project = two_village_township()
    areas = project.layers["small_areas"].copy()
    areas["population"] = [500, 100, 300, 330]  # 370481102201001 over, …002 under, the rest on
    return project, areas


def test_small_areas_are_filled_by_deviation_class(qapp, township):
    _, areas = township
    layer = build_layer("small_areas", areas, **TARGET)
    view = MapView.fit((X0, Y0, X0 + 2000, Y0 + 800), W, H)
    image = draw([layer], view)
    for geom, expected in zip(areas.geometry, ["over", "under", "on", "on"]):
        c = geom.centroid
        # Off the centre by a quarter of the area's width: the centre holds the label.
        pixel = pixel_at(image, view, c.x + 250, c.y)
        assert deviation_of(pixel) == expected, pixel
    r, g, b = pixel_at(image, view, X0 + 750, Y0 + 200)
    assert r > g and r > b  # over target: reddish
    r, g, b = pixel_at(image, view, X0 + 750, Y0 + 600)
    assert b > g > r  # under target: bluish


def test_without_a_target_areas_keep_the_plain_fill(qapp, township):
    _, areas = township
    layer = build_layer("small_areas", areas)  # the old call
    assert len(layer.groups) == 1
    view = MapView.fit((X0, Y0, X0 + 2000, Y0 + 800), W, H)
    image = draw([layer], view)
    fill = STYLES["small_areas"].fill
    expected = blend(fill, fill.alpha())
    assert np.abs(np.array(pixel_at(image, view, X0 + 750, Y0 + 200)) - expected).max() <= 3


def test_the_county_slice_areas_have_their_class_colour(qapp):
    project = county_project(make_county(townships=2, villages_per_township=3))
    areas = project.layers["small_areas"]
    layer = build_layer("small_areas", areas, **TARGET)
    population = areas["population"].to_numpy()
    for expected, mask in (("over", population > 360), ("under", population < 240), ("on", abs(population - 300) <= 60)):
        assert mask.any()
        area = areas.geometry[mask].area.idxmax()
        geom = areas.geometry[area]
        view = MapView.fit(geom.bounds, W, H)
        image = draw([layer], view)
        label = shapely.point_on_surface(geom).buffer(60 / view.scale)
        inside = shapely.point_on_surface(geom.buffer(-8 / view.scale).difference(label))
        assert deviation_of(pixel_at(image, view, inside.x, inside.y)) == expected


def test_buildings_are_footprints_zoomed_in_and_dots_zoomed_out(qapp, township):
    project, areas = township
    layers = [build_layer("small_areas", areas, **TARGET), build_layer("buildings", project.layers["buildings"])]
    x, y = X0 + BUILDING_CORNERS[0][0], Y0 + BUILDING_CORNERS[0][1]  # a 40 × 30 m building
    near = MapView(x + 20, y + 15, 4.0, W, H)  # 160 × 120 px
    image = draw(layers, near)
    fill = STYLES["buildings"].fill
    for dx, dy in ((20, 15), (5, 5), (35, 25)):
        assert np.abs(np.array(pixel_at(image, near, x + dx, y + dy)) - [fill.red(), fill.green(), fill.blue()]).max() <= 2
    outside = pixel_at(image, near, x - 10, y + 15)
    assert deviation_of(outside) == "over"  # around it, the area's fill

    far = MapView(x + 20, y + 15, DOTS_BELOW_PX / 40 / 2, W, H)  # the building is under a pixel wide
    image = draw(layers, far)
    sx, sy = far.to_screen(np.array([[x + 20, y + 15]]))[0]
    around = [rgb(image, sx + i, sy + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
    assert min(sum(p) for p in around) < sum(rgb(image, sx + 30, sy + 30)) - 120  # a dark dot on the area


def test_county_buildings_drawn_at_every_zoom(qapp):
    project = county_project(make_county(townships=2, villages_per_township=3))
    buildings = build_layer("buildings", project.layers["buildings"])
    centres = project.layers["buildings"].geometry.centroid
    fitted = MapView.fit(project.layers["buildings"].total_bounds, W, H)
    assert buildings.groups[0].footprint * fitted.scale < DOTS_BELOW_PX  # the whole slice: dots
    for scale_factor in (1.0, 40.0):
        view = MapView(centres.x.median(), centres.y.median(), fitted.scale * scale_factor, W, H)
        image = draw([buildings], view)
        pixels = np.frombuffer(image.constBits(), np.uint32, W * H)
        assert (pixels != pixels[0]).sum() > 2000  # thousands of dots, or footprints filling the view


def test_area_labels_appear_only_when_they_fit(qapp, township):
    _, areas = township
    layer = build_layer("small_areas", areas, **TARGET)
    anchor = shapely.point_on_surface(areas.geometry.iloc[0])

    def dark_pixels(view: MapView) -> int:
        image = draw([layer], view)
        sx, sy = view.to_screen(np.array([[anchor.x, anchor.y]]))[0]
        return sum(
            1 for i in range(-30, 31, 2) for j in range(-20, 21, 2) if max(rgb(image, sx + i, sy + j)) < 110
        )  # fmt: skip

    assert dark_pixels(MapView(anchor.x, anchor.y, 1.0, W, H)) > 10  # 1000 × 400 px: "001" over "500人"
    assert dark_pixels(MapView(anchor.x, anchor.y, 0.05, W, H)) == 0  # 50 × 20 px: no room


def test_labels_are_drawn_on_high_dpi_images(qapp, township):
    _, areas = township
    layer = build_layer("small_areas", areas, **TARGET)
    anchor = shapely.point_on_surface(areas.geometry.iloc[0])
    image = draw([layer], MapView(anchor.x, anchor.y, 1.0, W, H), ratio=2.0)
    assert image.width() == 2 * W
    dark = [1 for i in range(-60, 61, 2) for j in range(-40, 41, 2) if max(rgb(image, W + i, H + j)) < 110]
    assert len(dark) > 10


def test_small_area_label_text():
    assert small_area_label("370481102201003", 312, lang="zh") == "003\n312人"
    assert small_area_label("370481102201003", 312, lang="en") == "003\n312 p."
    assert small_area_label("370481102201003", 85, unit="households", lang="zh") == "003\n85户"
    assert small_area_label("370481102201003", None) == "003"


def test_whole_township_draws_with_every_layer(qapp, township):
    project, areas = township
    layers = [build_layer(n, g, **(TARGET if n == "small_areas" else {})) for n, g in project.layers.items()]
    view = MapView.fit((X0, Y0, X0 + 2000, Y0 + 800), W, H)
    image = draw(layers, view)
    # The village boundary between the two villages is a dark line.
    assert min(sum(pixel_at(image, view, X0 + 1000 + d / view.scale, Y0 + 100)) for d in (-1, 0, 1)) < 500  # the fill is ≈ 650


def test_selection_outline_is_cyan(qapp, township):
    _, areas = township
    view = MapView.fit((X0, Y0, X0 + 2000, Y0 + 800), W, H)
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    render_selection(painter, list(areas.geometry[:1]), view)
    painter.end()
    sx, sy = view.to_screen(np.array([[X0 + 500, Y0]]))[0]  # the middle of the area's bottom edge
    edge = [rgb(image, sx, sy + d) for d in (-1, 0, 1)]
    assert any(abs(r - SELECTION.red()) < 30 and abs(g - SELECTION.green()) < 30 and abs(b - SELECTION.blue()) < 30 for r, g, b in edge)
    r, g, b = pixel_at(image, view, X0 + 500, Y0 + 200)
    assert b > r and (r, g, b) != (255, 255, 255)  # a light cyan fill inside
    assert pixel_at(image, view, X0 + 1500, Y0 + 200) == (255, 255, 255)  # not the others


def test_highlight_marks_a_point_with_a_ring(qapp):
    view = MapView(X0, Y0, 1.0, W, H)
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    render_highlight(painter, shapely.Point(X0, Y0), view)
    render_highlight(painter, None, view)  # nothing to mark: nothing happens
    painter.end()
    r, g, b = rgb(image, W / 2 + 14, H / 2)
    assert r > 200 and g < 120 and b < 120, (r, g, b)
    assert HIGHLIGHT.red() > 200


def test_view_bounds():
    view = MapView(100.0, 50.0, 2.0, 400, 200)
    assert view.bounds() == (0.0, 0.0, 200.0, 100.0)
    assert view.bounds(pad_px=10) == (-5.0, -5.0, 205.0, 105.0)


def test_warnings_are_orange_and_errors_red(qapp):
    import geopandas as gpd

    marks = gpd.GeoDataFrame({"kind": ["building_overlap", "overlap"], "severity": ["warning", "error"]},
                             geometry=[shapely.box(X0, Y0, X0 + 400, Y0 + 400), shapely.box(X0 + 600, Y0, X0 + 1000, Y0 + 400)],
                             crs="EPSG:4527")
    view = MapView.fit((X0, Y0, X0 + 1000, Y0 + 400), W, H)
    image = draw([build_layer("problems", marks)], view)
    r, g, b = pixel_at(image, view, X0 + 200, Y0 + 200)
    assert r > g > b and g > 150, (r, g, b)  # orange over white
    r, g, b = pixel_at(image, view, X0 + 800, Y0 + 200)
    assert r > 200 and g < 160 and abs(g - b) < 20, (r, g, b)  # red
