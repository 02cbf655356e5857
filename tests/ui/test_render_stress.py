"""Drawing a county-sized layer again and again must neither crash nor crawl.

PySide6 6.12.0 crashed this Python ("none_dealloc") after some thousands of QPainter calls;
these tests make tens of thousands, so an upgrade past the pin fails here, not in an office.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import PySide6
import shapely
from PySide6.QtCore import QPointF

from gis_census.project import CensusProject, ProjectMeta
from ui_township import CRS, X0, Y0


def test_pyside6_is_below_the_crashing_6_12():
    assert tuple(int(p) for p in PySide6.__version__.split(".")[:2]) < (6, 12)


def grid_township(columns: int = 200, rows: int = 150, landmarks: int = 5000) -> CensusProject:
    """columns × rows buildings 12 × 9 m on a 20 m grid, and `landmarks` named points among them."""
    x, y = np.meshgrid(np.arange(columns) * 20.0 + X0, np.arange(rows) * 20.0 + Y0)
    x, y = x.ravel(), y.ravel()
    buildings = gpd.GeoDataFrame({"id": np.arange(1, x.size + 1)}, geometry=shapely.box(x, y, x + 12, y + 9), crs=CRS)
    rng = np.random.default_rng(7)
    points = shapely.points(rng.uniform(X0, X0 + columns * 20, landmarks), rng.uniform(Y0, Y0 + rows * 20, landmarks))
    marks = gpd.GeoDataFrame({"name": [f"地标{i}" for i in range(landmarks)]}, geometry=points, crs=CRS)
    village = gpd.GeoDataFrame(
        {"code": ["370481102201"], "name": ["东关村"]}, geometry=[shapely.box(X0, Y0, X0 + columns * 20, Y0 + rows * 20)], crs=CRS
    )
    meta = ProjectMeta(township_code="370481102", township_name="青石镇", crs=CRS)
    return CensusProject(meta, {"villages": village, "buildings": buildings, "landmarks": marks})


def test_thirty_thousand_buildings_draw_repeatedly(window, qtbot):
    project = grid_township()
    assert len(project.layers["buildings"]) == 30_000
    window.set_project(project)
    canvas = window.canvas
    started = time.perf_counter()
    for step in range(6):
        if step % 2:
            window.resize(1000 + 60 * step, 700 + 40 * step)
        else:
            canvas.zoom_at(1.6, QPointF(canvas.width() / 3, canvas.height() / 2))
        with qtbot.waitSignal(canvas.rendered, timeout=20_000):
            canvas.update()
        image = canvas.grab().toImage()
        assert image.width() == canvas.width()
    # Zoomed in, a few hundred landmark labels are drawn besides the 5,000 symbols.
    assert 6 / (time.perf_counter() - started) > 0.5, "drawing 30,000 buildings should take well under 2 s"
