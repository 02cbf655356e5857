"""Start the gis-census desktop app: ``python app.py [PROJECT.gpkg] [--lang zh|en] [--screenshot FILE.png]``."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication

from gis_census.errors import CensusError
from gis_census.i18n import set_language
from gis_census.project import CensusProject
from gis_census.project import meta as project_meta
from ui.language import setup_language
from ui.main_window import MainWindow

SCREENSHOT_SIZE = QSize(1280, 800)
# The longest a screenshot waits for the map to be drawn, in milliseconds.
SCREENSHOT_WAIT_MS = 60_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="app.py", description="gis-census: census area division for township offices")
    parser.add_argument("project", nargs="?", help="project file (.gpkg) to open")
    parser.add_argument("--lang", choices=("zh", "en"), help="interface language (default: Chinese unless the locale is English)")
    parser.add_argument("--screenshot", metavar="FILE.png", help="draw the project, save the window to FILE.png and quit")
    parser.add_argument("--go-to", metavar="CODE", help="zoom to this small area, district or village code (or name)")
    parser.add_argument("--problem", type=int, metavar="N", help="show the N-th problem (from 1) of the problems panel")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QSettings("gis-census", "gis-census")
    remembered = settings.value("language")  # the Language menu's choice; a damaged setting is ignored
    args.lang = args.lang or (remembered if remembered in ("zh", "en") else None)
    set_language(args.lang)  # the engine's messages follow the interface language
    project_meta.SAVED_BY = "gis-census app"  # who saved, as another writer's refusal names it
    project = None
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window flashes up, no display needed
        if args.project:
            try:
                project = CensusProject.open(args.project)
            except CensusError as exc:
                print(exc.message(), file=sys.stderr)
                return exc.exit_code

    app = QApplication(sys.argv[:1])
    app.setApplicationName("gis-census")
    setup_language(app, args.lang)
    window = MainWindow(settings=settings)
    if args.screenshot:
        if project is not None:
            window.set_project(project)
        return _screenshot(window, args)
    window.resize(1280, 800)
    window.show()
    if args.project and window.open_project(args.project):
        window.document.problems_changed.connect(lambda _: _show(window, args), Qt.ConnectionType.SingleShotConnection)
    return app.exec()


def _show(window: MainWindow, args: argparse.Namespace) -> None:
    """Apply --go-to and --problem (once the whole check has listed the problems)."""
    if args.go_to:
        window.go_to(args.go_to)
    if args.problem:
        window.problems_panel.activate_row(args.problem - 1)


def _screenshot(window: MainWindow, args: argparse.Namespace) -> int:
    """Show `window`, wait until its map is drawn, save it to `path`; the exit status."""
    drawn = []
    loop = QEventLoop()
    window.canvas.rendered.connect(lambda: (drawn.append(True), loop.quit()))
    QTimer.singleShot(SCREENSHOT_WAIT_MS, loop.quit)
    window.resize(SCREENSHOT_SIZE)
    window.show()
    if not drawn:
        loop.exec()
    if not drawn:
        print(QCoreApplication.translate("app", "The map was not drawn in time."), file=sys.stderr)
        return 1
    _wait_until(lambda: window.document is None or (window.document.checked and not window.jobs))
    _show(window, args)
    QCoreApplication.processEvents()  # lay out the status bar's new texts
    window.canvas.repaint()  # with the problems the whole check found
    path = args.screenshot
    if not window.grab().save(path):
        print(QCoreApplication.translate("app", "Cannot write the screenshot {path}").format(path=path), file=sys.stderr)
        return 1
    return 0


def _wait_until(done, timeout_ms: int = SCREENSHOT_WAIT_MS) -> None:
    """Let the event loop run until `done()` (background jobs finish), at most `timeout_ms`."""
    loop, timer = QEventLoop(), QTimer()
    timer.timeout.connect(lambda: done() and loop.quit())
    timer.start(50)
    QTimer.singleShot(timeout_ms, loop.quit)
    if not done():
        loop.exec()
    timer.stop()


if __name__ == "__main__":
    sys.exit(main())
