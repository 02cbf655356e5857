"""An imagery basemap under a small-area map: a GeoTIFF made here, its pixels found on the rendered page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from gis_census.divide import divide_project
from gis_census.errors import CensusError
from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.maps.small_area import plan_small_area
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject

ROOT = Path(__file__).resolve().parents[2]
DPI = 72


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp("basemap") / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", copy)
    project = CensusProject.open(copy)
    divide_project(project)
    assign_codes(project)
    return project


def _imagery(path: Path, crs: str, rect, square) -> None:
    """A white RGB GeoTIFF of 2 m pixels over `rect` with a green `square` (ground xmin, ymin, xmax, ymax)."""
    x0, y0, x1, y1 = rect
    w, h = int((x1 - x0) / 2), int((y1 - y0) / 2)
    rgb = np.full((3, h, w), 255, np.uint8)
    c0, c1 = int((square[0] - x0) / 2), int((square[2] - x0) / 2)
    r0, r1 = int((y1 - square[3]) / 2), int((y1 - square[1]) / 2)
    rgb[:, r0:r1, c0:c1] = np.array([0, 160, 0], np.uint8)[:, None, None]
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=crs,
                       transform=from_origin(x0, y1, 2.0, 2.0), tiled=True) as dst:
        dst.write(rgb)
        dst.update_tags(TIFFTAG_DATETIME="2025:06:01 10:00:00")


def _green(pixels: np.ndarray) -> np.ndarray:
    r, g, b = (pixels[..., k].astype(int) for k in range(3))
    return (g > r + 40) & (g > b + 40)


def test_the_imagery_reaches_the_page_where_its_ground_is(project, tmp_path):
    ctx = MapContext(project, "zh")
    plan = plan_small_area(ctx, int(np.flatnonzero(ctx.areas["code"] == "370481102001001")[0]))
    t, frame = plan.transform, plan.layout.map
    rect = t.ground_rect(frame)
    gx, gy = rect[0] + (rect[2] - rect[0]) * 0.1, rect[1] + (rect[3] - rect[1]) * 0.1
    square = (gx, gy, gx + 40.0, gy + 40.0)  # in the frame's lower left, outside the area
    tif = tmp_path / "ortho.tif"
    _imagery(tif, project.crs, (rect[0] - 200, rect[1] - 200, rect[2] + 200, rect[3] + 200), square)
    [pdf] = make_maps(project, tmp_path / "out", "small-area", small_area="370481102001001", workers=1, lang="zh",
                      basemap=tif)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    from PIL import Image

    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"))
    height = page.shape[0]

    def px(x_mm, y_mm):
        return int(round(x_mm / 25.4 * DPI)), int(round(height - y_mm / 25.4 * DPI))

    (c0, r1), (c1, r0) = px(*t(np.array(square[:2]))), px(*t(np.array(square[2:])))
    inside = _green(page[r0 + 1:r1 - 1, c0 + 1:c1 - 1])
    assert inside.mean() > 0.6  # the square, lightened, under whatever the map draws over it
    green = _green(page)
    green[r0 - 2:r1 + 2, c0 - 2:c1 + 2] = False
    assert green.sum() == 0  # nowhere else: the rest of the imagery is white, nothing else on the map is green
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "底图影像：ortho.tif（2025-06-01）" in text


@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
def test_a_basemap_without_a_crs_is_refused(project, tmp_path):
    tif = tmp_path / "plain.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8") as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(CensusError) as refused:
        make_maps(project, tmp_path / "out", "small-area", small_area="370481102001001", workers=1, basemap=tif)
    assert refused.value.key == "map_basemap_no_crs"
