"""An imagery basemap under the app's map: a GeoTIFF made here, its pixels found on the canvas where its ground is."""

from __future__ import annotations

import numpy as np
import rasterio

from gis_census.project import CensusProject


def _imagery(path, crs: str, rect, square) -> None:
    """A white RGB GeoTIFF of 2 m pixels over `rect` with a green `square` (ground xmin, ymin, xmax, ymax)."""
    x0, y0, x1, y1 = rect
    w, h = int((x1 - x0) / 2), int((y1 - y0) / 2)
    rgb = np.full((3, h, w), 255, np.uint8)
    c0, c1 = int((square[0] - x0) / 2), int((square[2] - x0) / 2)
    r0, r1 = int((y1 - square[3]) / 2), int((y1 - square[1]) / 2)
    rgb[:, r0:r1, c0:c1] = np.array([0, 160, 0], np.uint8)[:, None, None]
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=crs,
                       transform=rasterio.Affine(2.0, 0.0, x0, 0.0, -2.0, y1)) as dst:
        dst.write(rgb)


def _greenish(window, x: float, y: float) -> bool:
    image = window.canvas.grab().toImage()
    p = window.canvas.to_widget(x, y)
    pixel = image.pixelColor(round(p.x() * image.devicePixelRatio()), round(p.y() * image.devicePixelRatio()))
    return pixel.green() > pixel.red() + 30 and pixel.green() > pixel.blue() + 30


def test_the_imagery_is_drawn_under_the_map_where_its_ground_is(window, township_file, tmp_path, qtbot):
    assert window.open_project(township_file)
    crs = CensusProject.open(township_file).crs
    x0, y0, x1, y1 = window.project["villages"].total_bounds
    square = (x0 + 20, y0 + 20, x0 + 120, y0 + 120)  # in a corner, away from the houses' labels
    _imagery(tmp_path / "ortho.tif", crs, (x0, y0, x1, y1), square)
    window.resize(900, 700)
    window.canvas.zoom_to((x0, y0, x1, y1))
    window.set_basemap_file(str(tmp_path / "ortho.tif"))
    qtbot.waitUntil(lambda: window.canvas.basemap is not None)
    inside, outside = (x0 + 70, y0 + 70), (x1 - 60, y1 - 60)
    assert _greenish(window, *inside) and not _greenish(window, *outside)
    window.ui.no_basemap_action.trigger()
    assert window.canvas.basemap is None and not _greenish(window, *inside)


def test_a_raster_without_a_crs_is_refused_with_the_engines_message(window, township_file, tmp_path):
    assert window.open_project(township_file)
    path = tmp_path / "no_crs.tif"
    with rasterio.open(path, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8",
                       transform=rasterio.Affine(1.0, 0.0, 0.0, 0.0, -1.0, 4.0)) as dst:  # placed, but in no CRS
        dst.write(np.zeros((1, 4, 4), np.uint8))
    shown = []
    window.report_error = lambda title, message: shown.append((title, message))
    window.set_basemap_file(str(path))
    assert window.canvas.basemap is None and shown and "no_crs.tif" in shown[0][1]
