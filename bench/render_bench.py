"""Open and draw times of the map for a county-size project (≈7,000 small areas, ≈200,000 buildings).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/render_bench.py [--repeat 5] [--cache DIR] [--profile WHAT]

Prints, best and median of several runs:
  open      CensusProject.open plus build_layer for every layer (aim < 3 s)
  window    the same in the real main window, until the map is first drawn (aim < 3 s)
  full      a full redraw at full extent into a 1600 × 1000 image (aim < 100 ms)
  village   a full redraw of a view 1.5 km wide centred on a village (aim < 30 ms)
  pick      picking a building with a click at that view: the first (which builds the buildings' index), then others
The generated project is cached as DIR/demo_county.gpkg (default /tmp/render_bench).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gis_census.demo.project import COUNTY_FILE, write_county_demo  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402
from gis_census.schema import LAYER_ORDER  # noqa: E402
from timing import timed  # noqa: E402  (bench/timing.py)
from ui.canvas.renderer import build_layer, render_layers  # noqa: E402
from ui.canvas.view import MapView  # noqa: E402

WIDTH, HEIGHT = 1600, 1000
AIMS = {"open": 3.0, "window": 3.0, "full": 0.100, "village": 0.030}



def _report(label: str, times: list[float]) -> None:
    aim = AIMS.get(label)
    scale, unit = (1.0, "s ") if label in ("open", "window") else (1000.0, "ms")
    verdict = "" if aim is None else ("  ok" if statistics.median(times) <= aim else f"  MISSES aim {aim * scale:g} {unit}")
    print(
        f"{label:<10} best {min(times) * scale:8.2f} {unit}  median {statistics.median(times) * scale:8.2f} {unit}"
        f"  ({len(times)} runs){verdict}"
    )


def style_args(project: CensusProject) -> dict[str, dict]:
    """The keywords the main window passes to build_layer (the small areas' target)."""
    meta = project.meta
    return {"small_areas": {"target": float(meta.target_population), "tolerance": float(meta.tolerance), "unit": meta.target_unit}}


def open_and_build(path: Path):
    project = CensusProject.open(path)
    extra = style_args(project)
    layers = {name: build_layer(name, gdf, **extra.get(name, {})) for name, gdf in project.layers.items()}
    return project, [layers[n] for n in LAYER_ORDER if n in layers]


def window_open_times(path: Path, repeat: int) -> list[float]:
    """Seconds to open the project in the real main window until its map is first drawn; the whole check
    that follows in the background is let finish before the next run, and is not counted."""
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    times = []
    for _ in range(repeat + 1):  # the first run loads fonts and translations: not counted
        window = MainWindow(settings=QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat))
        window.resize(WIDTH, HEIGHT)
        window.show()
        QApplication.processEvents()
        start = time.perf_counter()
        window.open_project(path)
        window.canvas.repaint()
        times.append(time.perf_counter() - start)
        while not window.document.checked or window.jobs:
            QApplication.processEvents()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    return times[1:]


def pick_times(path: Path, view: MapView, repeat: int) -> tuple[float, list[float]]:
    """Seconds for the window's first building pick at the village view (it builds the buildings' spatial
    index) and for later picks, at the centres of `repeat` × 10 buildings in view."""
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat))
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.open_project(path)
    while not window.document.checked or window.jobs:
        QApplication.processEvents()
    canvas = window.canvas
    canvas.set_view(view)
    view = canvas.view  # as the widget holds it (its own size)
    buildings = window.document.project["buildings"]
    x0, y0 = view.to_map(0, HEIGHT)
    x1, y1 = view.to_map(WIDTH, 0)
    seen = buildings.cx[x0:x1, y0:y1].geometry.representative_point()
    points = [(p.x, p.y) for p in seen.iloc[:: max(1, len(seen) // (10 * repeat))][: 10 * repeat]]
    start = time.perf_counter()
    first = canvas.building_at(*points[0])
    first_s = time.perf_counter() - start
    later = []
    for xy in points[1:]:
        start = time.perf_counter()
        canvas.building_at(*xy)
        later.append(time.perf_counter() - start)
    window.close()
    if first is None:
        raise SystemExit("no building picked at the village view: picking is broken")
    return first_s, later


def draw(layers, view: MapView, font: QFont) -> QImage:
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFF7F6F2)
    painter = QPainter(image)
    try:
        render_layers(painter, layers, view, font)
    finally:
        painter.end()
    return image


def village_view(project: CensusProject, width_m: float = 1500.0) -> MapView:
    """A view `width_m` wide centred on the buildings of the village with the most (the county town's centre)."""
    buildings = project.layers["buildings"]
    busiest = buildings["village_code"].value_counts().index[0]
    centres = buildings.geometry[buildings["village_code"] == busiest].centroid
    return MapView(float(centres.x.median()), float(centres.y.median()), WIDTH / width_m, WIDTH, HEIGHT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/render_bench"))
    parser.add_argument("--profile", choices=["open", "full", "village"], help="print a cProfile of one step instead")
    parser.add_argument("--save", type=Path, help="write the full and village pictures to this folder")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])  # noqa: F841  (fonts and painting need one)

    path = args.cache / COUNTY_FILE
    if not path.exists():
        start = time.perf_counter()
        write_county_demo(args.cache)
        print(f"generate county   {time.perf_counter() - start:7.2f} s  (cached at {path})")
    project, layers = open_and_build(path)
    print("features  ", ", ".join(f"{name} {len(gdf):,}" for name, gdf in project.layers.items()))
    font = QFont()
    full = MapView.fit(project.layers["villages"].total_bounds, WIDTH, HEIGHT)
    village = village_view(project)
    print(f"views      full {1 / full.scale:.1f} m/px, village {1 / village.scale:.2f} m/px, {WIDTH}×{HEIGHT} px")

    steps = {
        "open": lambda: open_and_build(path),
        "full": lambda: draw(layers, full, font),
        "village": lambda: draw(layers, village, font),
    }
    if args.profile:
        import cProfile
        import pstats

        steps[args.profile]()  # warm up: profile the steady state
        profiler = cProfile.Profile()
        profiler.runcall(steps[args.profile])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        draw(layers, full, font).save(str(args.save / "full.png"))
        draw(layers, village, font).save(str(args.save / "village.png"))
    opens = timed(steps["open"], max(2, args.repeat // 2))
    _report("open", opens)
    start = time.perf_counter()
    CensusProject.open(path)
    print(f"  of which CensusProject.open {time.perf_counter() - start:.2f} s (one run)")
    _report("window", window_open_times(path, max(2, args.repeat // 2)))
    for label in ("full", "village"):
        steps[label]()  # warm up
        _report(label, timed(steps[label], args.repeat))
    first, later = pick_times(path, village, args.repeat)
    print(f"pick       first {first * 1e3:7.1f} ms (builds the buildings' index)   later: best {min(later) * 1e3:.2f} ms, "
          f"median {statistics.median(later) * 1e3:.2f} ms ({len(later)} buildings)")


if __name__ == "__main__":
    main()
