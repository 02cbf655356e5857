"""An imagery basemap under the maps (small-area, district and township): a GeoTIFF made here, its pixels found
on the rendered page where its ground is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from gis_census.errors import CensusError
from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.maps.district import plan_district
from gis_census.maps.small_area import plan_small_area
from gis_census.maps.township import plan_township
from samples import coded_sample

DPI = 72


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return coded_sample(tmp_path_factory.mktemp("basemap"))


def _imagery(path: Path, crs: str, rect, square) -> None:
    """A white RGB GeoTIFF of 2 m pixels over `rect` with a green `square` (ground xmin, ymin, xmax, ymax)."""
    x0, y0, x1, y1 = rect
    w, h = int((x1 - x0) / 2), int((y1 - y0) / 2)
    rgb = np.full((3, h, w), 255, np.uint8)
    c0, c1 = int((square[0] - x0) / 2), int((square[2] - x0) / 2)
    r0, r1 = int((y1 - square[3]) / 2), int((y1 - square[1]) / 2)
    rgb[:, r0:r1, c0:c1] = np.array([0, 160, 0], np.uint8)[:, None, None]
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=crs,
                       transform=Affine(2.0, 0.0, x0, 0.0, -2.0, y1), tiled=True) as dst:
        dst.write(rgb)
        dst.update_tags(TIFFTAG_DATETIME="2025:06:01 10:00:00")


def _green(pixels: np.ndarray) -> np.ndarray:
    r, g, b = (pixels[..., k].astype(int) for k in range(3))
    return (g > r + 40) & (g > b + 40)


def _square_in_frame(plan) -> tuple[float, float, float, float]:
    """A 40 m square (ground xmin, ymin, xmax, ymax) a tenth of the way into the lower left of `plan`'s frame."""
    rect = plan.transform.ground_rect(plan.layout.map)
    gx, gy = rect[0] + (rect[2] - rect[0]) * 0.1, rect[1] + (rect[3] - rect[1]) * 0.1
    return gx, gy, gx + 40.0, gy + 40.0


def _assert_square_on_page(project, plan, square, tmp_path, **what) -> Path:
    """Draw the maps `what` over imagery white but for the green `square`; the first page shows the green where
    the square's ground is and nowhere else, and names the imagery in its legend. Returns the PDF."""
    t, frame = plan.transform, plan.layout.map
    rect = t.ground_rect(frame)
    tif = tmp_path / "ortho.tif"
    _imagery(tif, project.crs, (rect[0] - 200, rect[1] - 200, rect[2] + 200, rect[3] + 200), square)
    [pdf] = make_maps(project, tmp_path / "out", workers=1, lang="zh", basemap=tif, **what)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    from PIL import Image

    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"))
    height = page.shape[0]

    def px(x_mm, y_mm):
        return int(round(x_mm / 25.4 * DPI)), int(round(height - y_mm / 25.4 * DPI))

    (c0, r1), (c1, r0) = px(*t(np.array(square[:2]))), px(*t(np.array(square[2:])))
    assert c1 - c0 >= 4 and r1 - r0 >= 4  # the square is a few pixels wide on the page
    inside = _green(page[r0 + 1:r1 - 1, c0 + 1:c1 - 1])
    assert inside.mean() > 0.6  # the square, lightened, under whatever the map draws over it
    green = _green(page)
    green[r0 - 2:r1 + 2, c0 - 2:c1 + 2] = False
    assert green.sum() == 0  # nowhere else: the rest of the imagery is white, nothing else on the map is green
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "底图影像：ortho.tif（2025-06-01）" in text
    return pdf


def test_the_imagery_reaches_the_page_where_its_ground_is(project, tmp_path):
    ctx = MapContext(project, "zh")
    plan = plan_small_area(ctx, int(np.flatnonzero(ctx.areas["code"] == "370481102001001")[0]))
    _assert_square_on_page(project, plan, _square_in_frame(plan), tmp_path, kind="small-area",
                           small_area="370481102001001")  # in the frame's lower left, outside the area


def test_the_imagery_is_under_the_district_map_and_its_enlargements(project, tmp_path):
    ctx = MapContext(project, "zh")
    town = "370481102001"  # the town centre: its map has enlargement pages
    plan = plan_district(ctx, int(np.flatnonzero(ctx.districts["code"] == town)[0]))
    assert plan.enlargements
    pdf = _assert_square_on_page(project, plan, _square_in_frame(plan), tmp_path, kind="district", district=town)
    for n in range(2, 2 + len(plan.enlargements)):  # each enlargement names the imagery too
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "局部放大图" in text and "底图影像：ortho.tif（2025-06-01）" in text, n


def test_the_imagery_is_under_the_township_map(project, tmp_path):
    plan = plan_township(MapContext(project, "zh"))
    gx, gy, _, _ = _square_in_frame(plan)
    square = (gx, gy, gx + 150.0, gy + 150.0)  # a township map is at 1:25,000 or so: a bigger square
    _assert_square_on_page(project, plan, square, tmp_path, kind="township")


@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
def test_a_basemap_without_a_crs_is_refused(project, tmp_path):
    tif = tmp_path / "plain.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8") as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(CensusError) as refused:
        make_maps(project, tmp_path / "out", "small-area", small_area="370481102001001", workers=1, basemap=tif)
    assert refused.value.key == "map_basemap_no_crs"
