"""app.py as a user runs it: screenshots of a project, refusal of files that are no project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from PySide6.QtGui import QImage

from ui.canvas.map_canvas import BACKGROUND

APP = Path(__file__).resolve().parents[2] / "app.py"


def run_app(*args, lang: str = "zh") -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(APP), *map(str, args), "--lang", lang],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_screenshot_of_a_project(township_file, tmp_path):
    shot = tmp_path / "shot.png"
    done = run_app(township_file, "--screenshot", shot)
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert image.width() >= 1280 and image.height() >= 800
    # The map was drawn: the small areas' tint fills the middle of the window.
    middle = image.pixelColor(image.width() // 2 + 100, image.height() // 2)
    assert middle != BACKGROUND and middle.saturation() >= 20


def not_a_project(folder: Path) -> Path:
    path = folder / "buildings.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4527").to_file(path, engine="pyogrio")
    return path


def garbage(folder: Path) -> Path:
    path = folder / "garbage.gpkg"
    path.write_bytes(b"\x00\x01 not a geopackage")
    return path


@pytest.mark.parametrize(
    "make, lang, says",
    [
        (lambda folder: folder / "missing.gpkg", "zh", "找不到项目文件"),
        (lambda folder: folder / "missing.gpkg", "en", "Project file not found"),
        (garbage, "zh", "无法读取项目文件"),
        (not_a_project, "zh", "不是 gis-census 项目文件"),
        (not_a_project, "en", "is not a gis-census project"),
    ],
)
def test_a_file_that_is_no_project_exits_2_naming_it(tmp_path, make, lang, says):
    path = make(tmp_path)
    done = run_app(path, "--screenshot", tmp_path / "never.png", lang=lang)
    assert done.returncode == 2
    assert str(path) in done.stderr and says in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "never.png").exists()
