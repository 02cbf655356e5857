"""MainWindow: menus, the layers dock, the map canvas and a status bar with the mouse position."""

from __future__ import annotations

import os

from pyproj import CRS
from pyproj.exceptions import CRSError
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QWidget

from gis_census.errors import CensusError
from gis_census.project import CensusProject
from ui.canvas.map_canvas import MapCanvas
from ui.panels.layers import LayersPanel

__all__ = ["MainWindow"]

APP_NAME = "gis-census"


class MainWindow(QMainWindow):
    """The application window; shows one project at a time, read-only in this version."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: CensusProject | None = None
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.canvas.setFocus()

        self.layers_panel = LayersPanel()
        self.layers_dock = QDockWidget(self.tr("Layers"), self)
        self.layers_dock.setObjectName("layers_dock")
        self.layers_dock.setWidget(self.layers_panel)
        self.layers_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layers_dock)
        self.resizeDocks([self.layers_dock], [240], Qt.Orientation.Horizontal)

        self._position = QLabel()
        self._crs = QLabel()
        self.statusBar().addPermanentWidget(self._position)
        self.statusBar().addPermanentWidget(self._crs)

        self._build_menus()
        self.layers_panel.visibility_changed.connect(self.canvas.set_layer_visible)
        self.canvas.mouse_moved.connect(self._show_position)
        self._show_project_info()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = file_menu.addAction(self.tr("&Open…"), QKeySequence("Ctrl+O"), self.choose_project)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction(self.tr("&Quit"), QKeySequence("Ctrl+Q"), self.close)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.zoom_full_action = view_menu.addAction(
            self.tr("Zoom to &Full Extent"), QKeySequence("Ctrl+Shift+F"), self.canvas.zoom_full
        )
        view_menu.addSeparator()
        view_menu.addAction(self.layers_dock.toggleViewAction())

    # -- project -----------------------------------------------------------------------------

    def choose_project(self) -> None:
        """Ask for a project file and open it."""
        start = str(self.project.path.parent) if self.project and self.project.path else os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Project"), start, self.tr("Census projects (*.gpkg);;All files (*)")
        )
        if path:
            self.open_project(path)

    def open_project(self, path: str | os.PathLike) -> bool:
        """Open the project at `path`; on failure tell the user why and keep the current one."""
        try:
            project = CensusProject.open(path)
        except CensusError as exc:
            QMessageBox.critical(self, self.tr("Cannot Open Project"), exc.message())
            return False
        self.set_project(project)
        return True

    def set_project(self, project: CensusProject) -> None:
        """Show `project`: its layers listed and drawn at full extent."""
        self.project = project
        self.layers_panel.set_layers(project.layers)
        self.canvas.set_layers(project.layers)
        self._show_project_info()

    def _show_project_info(self) -> None:
        if self.project is None:
            self.setWindowTitle(APP_NAME)
            self._crs.clear()
        else:
            meta = self.project.meta
            name = meta.township_name or (self.project.path.stem if self.project.path else "")
            self.setWindowTitle(f"{APP_NAME} — {name}")
            self._crs.setText(self.tr("CRS: {crs}").format(crs=_describe_crs(meta.crs)))
        self._position.clear()

    def _show_position(self, x: float, y: float) -> None:
        if self.project is not None:
            self._position.setText(self.tr("E {x} m  N {y} m").format(x=f"{x:.1f}", y=f"{y:.1f}"))


def _describe_crs(crs: str) -> str:
    """`crs` with its name, e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"."""
    try:
        name = CRS.from_user_input(crs).name
    except CRSError:
        return crs
    return f"{crs} ({name})" if name and name != crs else crs
