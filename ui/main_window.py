"""MainWindow: menus, toolbar, the map canvas, the docks (layers, statistics, problems, attributes), the status bar.

Every change to the data is an engine `Edit` pushed on the document's undo stack; long engine
jobs (dividing, renumbering, checking everything) run in a thread behind a progress dialog.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from pyproj import CRS
from pyproj.exceptions import CRSError
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QInputDialog, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QStyle, QWidget)

from gis_census.checks import check_project
from gis_census.editing import (EditError, add_small_area, assign_building, delete_small_area, divide_edit,
                                merge_small_areas, move_vertex, renumber_edit, set_fields, set_locked,
                                split_small_area)
from gis_census.errors import CensusError, ProjectError
from gis_census.lists import write_lists
from gis_census.maps import make_maps
from gis_census.project import CensusProject, remove_leftovers
from gis_census.rules import Target
from ui.canvas.map_canvas import MapCanvas, Tool
from ui.document import ProjectDocument, autosave_path, open_autosave
from ui.icons import icon
from ui.language import setup_language
from ui.panels.attributes import AttributesPanel
from ui.panels.layers import LayersPanel
from ui.panels.problems import ProblemsPanel
from ui.panels.statistics import StatisticsPanel
from ui.tasks import run_job

__all__ = ["MainWindow"]

APP_NAME = "gis-census"
#: Unsaved work is copied beside the project this often (milliseconds).
AUTOSAVE_MS = 120_000
MAX_RECENT = 8
#: Windows opened by a language switch, kept alive here (the app holds only the first).
_windows: list = []


class MainWindow(QMainWindow):
    """The application window; one project at a time."""

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None):
        super().__init__(parent)
        self.settings = settings or QSettings("gis-census", "gis-census")
        self.document: ProjectDocument | None = None
        self.jobs: list = []  # running background jobs (kept alive until they finish)
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.canvas.setFocus()

        self.layers_panel = LayersPanel()
        self.statistics_panel = StatisticsPanel()
        self.problems_panel = ProblemsPanel()
        self.attributes_panel = AttributesPanel()
        self.layers_dock = self._dock("layers_dock", self.tr("Layers"), self.layers_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.attributes_dock = self._dock("attributes_dock", self.tr("Attributes"), self.attributes_panel,
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.statistics_dock = self._dock("statistics_dock", self.tr("Statistics"), self.statistics_panel,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("problems_dock", self.tr("Problems"), self.problems_panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.layers_dock, self.statistics_dock], [220, 400], Qt.Orientation.Horizontal)

        self._position = QLabel()
        self._scale = QLabel()
        self._selected = QLabel()
        self._crs = QLabel()
        for label in (self._selected, self._position, self._scale, self._crs):
            self.statusBar().addPermanentWidget(label)

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._connect()
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self._update_actions()
        self._show_project_info()

    @property
    def project(self) -> CensusProject | None:
        return self.document.project if self.document else None

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    # -- actions, menus, toolbars ---------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None, tip: str = "",
                icon_name: str | None = None, standard: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        elif standard is not None:
            action.setIcon(self.style().standardIcon(standard))
        tip = tip or text.replace("&", "").rstrip("…")
        if shortcut is not None:
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.open_action = self._action(self.tr("&Open…"), self.choose_project, "Ctrl+O", standard=sp.SP_DialogOpenButton)
        self.save_action = self._action(self.tr("&Save"), self.save, "Ctrl+S", standard=sp.SP_DialogSaveButton)
        self.save_as_action = self._action(self.tr("Save &As…"), self.save_as, "Ctrl+Shift+S")
        self.quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.export_map_actions = {
            kind: self._action(text, lambda checked=False, k=kind: self.export_maps(k), tip=tip)
            for kind, text, tip in (
                ("small-area", self.tr("&Small-Area Maps (PDF)…"),
                 self.tr("The selected small area's map, or every small area's, for the enumerators")),
                ("district", self.tr("&District Maps (PDF)…"), self.tr("The selected area's district map, or every district's")),
                ("township", self.tr("&Township Index Map (PDF)…"), self.tr("The index map of the township's districts")),
                ("atlas", self.tr("&Atlas (one PDF)…"),
                 self.tr("The selected area's district, or the whole township, in one PDF with bookmarks")),
            )
        }
        self.export_lists_action = self._action(self.tr("Area &Lists (Excel/CSV)…"), self.export_lists,
                                                tip=self.tr("Write the list of census areas and the building lists"))
        self.undo_action = self._action(self.tr("&Undo"), self._undo, "Ctrl+Z", standard=sp.SP_ArrowBack)
        self.redo_action = self._action(self.tr("&Redo"), self._redo, "Ctrl+Y", standard=sp.SP_ArrowForward)
        self.delete_action = self._action(self.tr("&Delete Small Area"), self.delete_selected, "Del", icon_name="delete",
                                          tip=self.tr("Delete the selected small areas; their land becomes a gap"))
        self.merge_action = self._action(self.tr("&Merge Small Areas"), self.merge_selected, "Ctrl+M", icon_name="merge",
                                         tip=self.tr("Merge the selected adjacent small areas into one"))
        self.lock_action = self._action(self.tr("&Lock"), lambda: self.lock_selected(True), "Ctrl+L", icon_name="lock",
                                        tip=self.tr("Lock the selected small areas: division keeps them as they are"))
        self.unlock_action = self._action(self.tr("U&nlock"), lambda: self.lock_selected(False), "Ctrl+Shift+L")
        self.assign_action = self._action(self.tr("Assign &Building…"), self.assign_building_to_selected,
                                          tip=self.tr("Move a building into the selected small area"))
        self.divide_action = self._action(self.tr("Auto-&Divide District"), self.divide_selected_district, "Ctrl+D",
                                          icon_name="divide",
                                          tip=self.tr("Divide the selected area's district into small areas of about the target"))
        self.renumber_action = self._action(self.tr("&Renumber Codes"), self.renumber, "Ctrl+R", icon_name="renumber",
                                            tip=self.tr("Number small areas and buildings in walking order"))
        self.check_action = self._action(self.tr("&Check Everything"), self.check_everything, "F5", icon_name="check",
                                         tip=self.tr("Check the whole township for gaps, overlaps and other problems"))
        self.zoom_full_action = self._action(self.tr("Zoom to &Full Extent"), self.canvas.zoom_full, "Ctrl+Shift+F",
                                             icon_name="zoom_full")
        self.zoom_selection_action = self._action(self.tr("Zoom to &Selection"), self.zoom_to_selection, "Ctrl+Shift+J",
                                                  icon_name="zoom_selection")
        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[str, QAction] = {}
        for tool, text, key, tip in (
            (Tool.SELECT, self.tr("&Select"), "S", self.tr("Click a small area to select it; Shift+click adds; drag pans")),
            (Tool.PAN, self.tr("&Pan"), "H", self.tr("Drag to move the map")),
            (Tool.DRAW, self.tr("&Draw Small Area"), "N",
             self.tr("Click the corners of a new small area (they snap to nearby boundaries); double-click to finish")),
            (Tool.SPLIT, self.tr("S&plit Small Area"), "X", self.tr("Draw a line across a small area; double-click to split it")),
            (Tool.VERTEX, self.tr("Edit &Vertices"), "V",
             self.tr("Drag a corner or a point of a boundary; the neighbouring areas move with it")),
        ):
            action = self._action(text, lambda checked=False, t=tool: self.canvas.set_tool(t), key, tip, icon_name=tool)
            action.setCheckable(True)
            self.tool_group.addAction(action)
            self.tool_actions[tool] = action
        self.tool_actions[Tool.SELECT].setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.open_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_menu.addActions(list(self.export_map_actions.values()))
        self.export_menu.addSeparator()
        self.export_menu.addAction(self.export_lists_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self._fill_recent_menu()

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.tool_actions[t] for t in (Tool.DRAW, Tool.SPLIT, Tool.VERTEX)])
        edit_menu.addSeparator()
        edit_menu.addActions([self.merge_action, self.delete_action, self.assign_action, self.lock_action,
                              self.unlock_action])

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([self.tool_actions[Tool.SELECT], self.tool_actions[Tool.PAN]])
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_full_action, self.zoom_selection_action])
        view_menu.addSeparator()
        for dock in (self.layers_dock, self.statistics_dock, self.problems_dock, self.attributes_dock):
            view_menu.addAction(dock.toggleViewAction())

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addActions([self.divide_action, self.renumber_action, self.check_action])

        language_menu = bar.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        current = self.settings.value("language", "zh")
        for code, name in (("zh", "中文"), ("en", "English")):
            action = language_menu.addAction(name, lambda c=code: self.choose_language(c))
            action.setCheckable(True)
            action.setChecked(code == current)
            group.addAction(action)

    def _build_toolbars(self) -> None:
        files = self.addToolBar(self.tr("File"))
        files.setObjectName("file_toolbar")
        files.addActions([self.open_action, self.save_action, self.undo_action, self.redo_action])
        tools = self.addToolBar(self.tr("Tools"))
        tools.setObjectName("tools_toolbar")
        tools.addActions(list(self.tool_actions.values()))
        tools.addSeparator()
        tools.addActions([self.merge_action, self.delete_action, self.lock_action])
        tools.addSeparator()
        tools.addActions([self.divide_action, self.renumber_action, self.check_action])
        tools.addSeparator()
        tools.addActions([self.zoom_full_action, self.zoom_selection_action])
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Go to code or name…"))
        self.search_box.setToolTip(self.tr("Type a small area, district or village code (or its last digits) or a name, then Enter"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(220)
        self.search_box.returnPressed.connect(lambda: self.go_to(self.search_box.text()))
        tools.addWidget(self.search_box)

    def _connect(self) -> None:
        self.layers_panel.visibility_changed.connect(self.canvas.set_layer_visible)
        self.canvas.mouse_moved.connect(self._show_position)
        self.canvas.scale_changed.connect(self._show_scale)
        self.canvas.selection_changed.connect(self._selection_from_map)
        self.canvas.area_drawn.connect(self.add_area)
        self.canvas.split_drawn.connect(self.split_along)
        self.canvas.vertex_dragged.connect(self.move_vertex)
        self.statistics_panel.selection_changed.connect(self._selection_from_table)
        self.statistics_panel.area_activated.connect(lambda code: self.go_to(code))
        self.problems_panel.problem_activated.connect(self.show_problem)
        self.attributes_panel.field_edited.connect(self.edit_fields)

    # -- project -----------------------------------------------------------------------------

    def choose_project(self) -> None:
        """Ask for a project file and open it."""
        if not self.confirm_discard():
            return
        start = str(self.project.path.parent) if self.project and self.project.path else os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Project"), start, self.tr("Census projects (*.gpkg);;All files (*)")
        )
        if path:
            self.open_project(path)

    def open_project(self, path: str | os.PathLike) -> bool:
        """Open the project at `path`; on failure say why.

        When an autosave copy of it exists (work not saved when gis-census last closed), the user chooses:
        recover it (as unsaved edits, checked against whatever saved the project since when they are saved)
        or discard it. Only that choice removes the copy, whatever else wrote the project meanwhile."""
        path = Path(path)
        backup = autosave_path(path)
        remove_leftovers(backup)  # temporary files of autosaves that were killed midway
        recover = False
        if backup.exists() and path.exists():
            recover = self.ask(self.tr("Recover Unsaved Work"), self.tr(
                "{name} has changes that were not saved when gis-census last closed. Recover them? "
                "(No discards them.)").format(name=path.name))
            if not recover:
                backup.unlink(missing_ok=True)
        try:
            project = open_autosave(path) if recover else CensusProject.open(path)
        except CensusError as exc:
            self.report_error(self.tr("Cannot Open Project"), exc.message())
            return False
        project.path = path.resolve()
        self.set_project(project)
        if recover:
            self.document.undo_stack.resetClean()  # recovered work is not saved yet
            self._update_title()
        self._remember_recent(path)
        return True

    def set_project(self, project: CensusProject) -> None:
        """Show `project`: its layers listed and drawn at full extent, its problems checked."""
        if self.document is not None:
            self.document.deleteLater()
        self._attach(ProjectDocument(project, self))
        # The whole check runs in the background (a county takes a second or two), once the map is drawn.
        self.canvas.rendered.connect(self._first_check, Qt.ConnectionType.SingleShotConnection)
        self.canvas.update()

    def adopt(self, document: ProjectDocument, view=None, selection: list[str] | None = None) -> None:
        """Show an open `document` (undo history and problems included) taken over from another window."""
        for signal in (document.edited, document.problems_changed, document.dirty_changed, document.undo_stack.indexChanged):
            signal.disconnect()
        document.setParent(self)
        self._attach(document)
        if view is not None:
            self.canvas.set_view(view)
        if selection:
            self.canvas.set_selection(selection)
            self._selection_from_map(selection)
        if document.checked:
            self._on_problems("")

    def _attach(self, document: ProjectDocument) -> None:
        self.document = document
        project = document.project
        document.edited.connect(self._on_edited)
        document.problems_changed.connect(self._on_problems)
        document.dirty_changed.connect(self._update_title)
        document.undo_stack.indexChanged.connect(self._update_actions)
        goal = Target.of(project.meta)
        self.canvas.set_layers(project.layers, {"small_areas": {"target": goal.size, "tolerance": goal.tolerance,
                                                                "unit": goal.unit}})
        self.layers_panel.set_layers(project.layers)
        self.statistics_panel.set_project(project)
        self.attributes_panel.show_feature("small_areas", None)
        self._show_project_info()
        self._update_actions()

    def save(self) -> bool:
        """Save the project where it came from (or ask where); True when saved."""
        if self.document is None:
            return False
        if self.project.path is None:
            return self.save_as()
        return self._save_to(self.project.path)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        start = str(self.project.path) if self.project.path else os.getcwd()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Project As"), start, self.tr("Census projects (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except ProjectError as exc:
            if exc.key in CHANGED_ON_DISK:
                return self._changed_on_disk(path, exc.message())
            self.report_error(self.tr("Cannot Save Project"), exc.message())
            return False
        except CensusError as exc:
            self.report_error(self.tr("Cannot Save Project"), exc.message())
            return False
        self._remember_recent(path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def _changed_on_disk(self, path: Path, message: str) -> bool:
        """The file was saved by another program since it was opened: never overwrite it. The user reloads
        it (losing these edits, after confirming) or saves these edits as a copy. True when saved as a copy."""
        choice = self.ask_changed_on_disk(message)
        if choice == "save_as":
            return self.save_as()
        if choice == "reload" and self.ask(self.tr("Reload Project"), self.tr(
                "Reload {name} as it is on disk? The changes made here since it was opened will be lost.")
                .format(name=path.name)):
            self.document.discard_autosave()
            self.document.undo_stack.setClean()
            self.open_project(path)
        return False

    def autosave(self) -> None:
        """Copy unsaved work beside the project, in a thread; a crash then loses at most a few minutes."""
        if self.document is None or not self.document.dirty or self.project.path is None:
            return
        snapshot, target = self.document.snapshot(), autosave_path(self.project.path)
        keys = self.document.autosave_keys()
        threading.Thread(target=_quiet_save, args=(snapshot, target, keys), daemon=True).start()

    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or discarded them."""
        if self.document is None or not self.document.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.document.discard_autosave()
            return True
        return False

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel, asked of the user."""
        return QMessageBox.question(
            self, self.tr("Unsaved Changes"), self.tr("Save the changes to {name} before closing?").format(
                name=self.project.path.name if self.project.path else self.tr("the project")),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm_discard():
            event.accept()
        else:
            event.ignore()

    def _remember_recent(self, path: Path) -> None:
        path = str(Path(path).resolve())
        recent = [p for p in self._recent() if p != path]
        self.settings.setValue("recent", [path] + recent[: MAX_RECENT - 1])
        self._fill_recent_menu()

    def _recent(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self.recent_menu.addAction(path, lambda p=path: self.confirm_discard() and self.open_project(p))
        self.recent_menu.setEnabled(bool(self._recent()))

    def choose_language(self, code: str) -> "MainWindow":
        """Switch the interface to `code` now and remember it: a window in that language takes over the
        open project (undo history, problems, view and selection) and this one closes. Returns the new window."""
        self.settings.setValue("language", code)
        setup_language(QApplication.instance(), code)
        new = MainWindow(settings=self.settings)
        _windows.append(new)
        new.destroyed.connect(lambda: _windows.remove(new) if new in _windows else None)
        new.setGeometry(self.geometry())
        new.restoreState(self.saveState())
        if self.document is not None:
            new.adopt(self.document, self.canvas.view, list(self.canvas.selection))
            self.document = None
        new.show()
        self.close()
        self.deleteLater()
        return new

    # -- edits ---------------------------------------------------------------------------------

    def _push(self, make_edit, *args) -> bool:
        """Build an edit with the engine and push it; a refusal is shown to the user. True when pushed."""
        try:
            edit = make_edit(self.project, *args)
        except EditError as exc:
            self.report_error(self.tr("Cannot Edit"), exc.message())
            return False
        self.document.push(edit)
        return True

    def add_area(self, polygon) -> None:
        if self.document is not None:
            self._push(add_small_area, polygon)

    def split_along(self, line) -> None:
        if self.document is None:
            return
        code = self._area_crossed(line)
        if code is None:
            self.report_error(self.tr("Cannot Edit"), self.tr("Draw the line across one small area, or select the area to split first."))
            return
        self._push(split_small_area, code, line)

    def _area_crossed(self, line) -> str | None:
        index = self.canvas.indexes.get("small_areas")
        xmin, ymin, xmax, ymax = line.bounds
        near = index.near((xmin + xmax) / 2, (ymin + ymax) / 2, max(xmax - xmin, ymax - ymin) / 2 + 1)
        crossed = [c for c, g in zip(near, index.geometries(near))
                   if line.intersects(g) and len(shapely.ops.split(g, line).geoms) > 1]  # cut through, not just entered
        if len(crossed) == 1:
            return crossed[0]
        chosen = [c for c in crossed if c in self.canvas.selection]
        return chosen[0] if len(chosen) == 1 else None

    def move_vertex(self, start: tuple, end: tuple) -> None:
        if self.document is not None:
            x, y, _ = self.canvas.snap(*end)
            self._push(move_vertex, start, (x, y))

    def merge_selected(self) -> None:
        if self.document is not None and len(self.canvas.selection) >= 2:
            self._push(merge_small_areas, list(self.canvas.selection))

    def delete_selected(self) -> None:
        if self.document is not None and self.canvas.selection:
            self._push(delete_small_area, list(self.canvas.selection))

    def lock_selected(self, locked: bool) -> None:
        if self.document is not None and self.canvas.selection:
            self._push(set_locked, list(self.canvas.selection), locked)

    def assign_building_to_selected(self) -> None:
        if self.document is None or len(self.canvas.selection) != 1:
            self.report_error(self.tr("Cannot Edit"), self.tr("Select the one small area the building should join."))
            return
        building, ok = QInputDialog.getInt(self, self.tr("Assign Building"), self.tr("Building id:"), 1, 0, 2**31 - 1)
        if ok:
            self._push(assign_building, building, self.canvas.selection[0])

    def edit_fields(self, layer: str, key, values: dict) -> None:
        if self.document is not None:
            self._push(set_fields, layer, key, values)

    def divide_selected_district(self) -> None:
        """Divide the district of the selected small area, in the background, as one undoable step."""
        district = self._selected_district()
        if district is None:
            self.report_error(self.tr("Auto-Divide"), self.tr("Select a small area of the district to divide first."))
            return
        snapshot = self.document.snapshot()

        def done(outcome) -> None:
            edit, result = outcome
            if result is None:  # cancelled
                return
            self.document.push(edit)
            self.statusBar().showMessage(self.tr(
                "District {code}: {n} small areas, {w20} within ±20 % of the target, longest walk {walk} km").format(
                code=district, n=result.areas, w20=f"{result.within_20:.0%}",
                walk=f"{max(result.walk_m, default=0) / 1000:.1f}"), 15000)
            if result.over_limit_buildings:
                self.report_error(self.tr("Auto-Divide"), self.tr(
                    "Buildings {ids} have more residents than a small area may hold; each is an area of its own. "
                    "Divide them by stairwell or have the county approve them.").format(
                    ids=", ".join(map(str, result.over_limit_buildings))))

        self._start_job(self.tr("Dividing district {code}…").format(code=district),
                        lambda feedback: divide_edit(snapshot, district, feedback=feedback), done)

    def renumber(self) -> None:
        """Renumber small areas and buildings (the selected area's district, else all) as one undoable step."""
        if self.document is None:
            return
        district = self._selected_district()
        snapshot = self.document.snapshot()
        self._start_job(self.tr("Renumbering…"),
                        lambda feedback: renumber_edit(snapshot, None if district is None else [district]))

    def _first_check(self) -> None:
        QTimer.singleShot(0, self.check_everything)

    def check_everything(self) -> None:
        """Check the whole project in the background; the result replaces the problems list unless the
        data changed meanwhile (then the live checks of the edited districts are newer)."""
        if self.document is None:
            return
        snapshot = self.document.snapshot()
        self._start_job(self.tr("Checking…"), lambda feedback: check_project(snapshot), self.document.set_problems,
                        stale="drop")

    def export_lists(self) -> None:
        """Write the area list and building lists (.xlsx, or .csv pairs) in the background."""
        if self.document is None:
            return
        start = str(self.project.path.with_suffix(".xlsx")) if self.project.path else os.getcwd()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export Area Lists"), start,
                                              self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.export_lists_to(Path(path))

    def export_maps(self, kind: str) -> None:
        """Ask for a folder and write maps of `kind` there in the background."""
        if self.document is None:
            return
        start = str(self.project.path.parent) if self.project.path else os.getcwd()
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export Maps To"), start)
        if folder:
            self.export_maps_to(Path(folder), kind)

    def export_maps_to(self, folder: Path, kind: str) -> None:
        """Write maps of `kind` (small-area, district, township, atlas) for the selection, else for everything."""
        selected = self.canvas.selection[0] if len(self.canvas.selection) == 1 else None
        district = self._selected_district() if kind in ("district", "atlas") else None
        small_area = selected if kind == "small-area" else None
        snapshot = self.document.snapshot()
        self._start_job(self.tr("Drawing maps…"),
                        lambda feedback: make_maps(snapshot, folder, kind=kind, district=district, small_area=small_area,
                                                   one_file=kind == "atlas", feedback=feedback),
                        lambda written: self.statusBar().showMessage(
                            self.tr("Wrote {n} PDF files to {folder}").format(n=len(written), folder=folder), 10000),
                        stale="deliver")

    def export_lists_to(self, path: Path) -> None:
        snapshot = self.document.snapshot()
        self._start_job(self.tr("Writing the lists…"), lambda feedback: write_lists(snapshot, path),
                        lambda written: self.statusBar().showMessage(
                            self.tr("Wrote {files}").format(files=", ".join(str(p) for p in written)), 10000),
                        stale="deliver")

    def _start_job(self, title: str, work, on_done=None, stale: str = "report") -> None:
        """Run `work(feedback)` on a snapshot in the background; `on_done` (default: push the Edit it returns)
        gets the result. When the data changed meanwhile the result is stale: `stale` says whether to
        "report" that (and drop it), "drop" it quietly, or "deliver" it anyway (files written from the snapshot)."""
        document, version = self.document, self.document.undo_stack.index()
        on_done = on_done or document.push

        def finished(result) -> None:
            current = document is self.document and document.undo_stack.index() == version
            if current or stale == "deliver":
                on_done(result)
            elif stale == "report":
                self.report_error(title, self.tr("The data changed while the job ran; run it again."))

        # The job is forgotten when it ends; connected before it starts, as a short job may end at once
        # (it did under load, and the window then waited for it for ever).
        job = run_job(self, title, work, finished, lambda message: self.report_error(title, message),
                      on_finished=lambda: self.jobs.remove(job) if job in self.jobs else None)
        self.jobs.append(job)

    def _selected_district(self) -> str | None:
        if self.document is None or not self.canvas.selection:
            return None
        areas = self.project["small_areas"]
        rows = areas[areas["code"] == self.canvas.selection[0]]
        return str(rows["district_code"].iat[0]) if len(rows) else None

    def _undo(self) -> None:
        if self.document is not None:
            self.canvas.cancel_sketch()
            self.document.undo_stack.undo()

    def _redo(self) -> None:
        if self.document is not None:
            self.document.undo_stack.redo()

    # -- views following the document --------------------------------------------------------

    def _on_edited(self, edit) -> None:
        for diff in edit.diffs:
            self.canvas.update_layer(diff.layer, self.project[diff.layer], diff.removed, diff.added)
        self.layers_panel.set_counts({name: len(gdf) for name, gdf in self.project.layers.items()})
        self.statistics_panel.refresh(self.project["small_areas"])
        self._selection_changed(self.canvas.selection)

    def _on_problems(self, _district: str) -> None:
        problems = self.document.problems
        self.problems_panel.set_problems(problems)
        marks = gpd.GeoDataFrame({"kind": [p.kind for p in problems], "severity": [p.severity for p in problems]},
                                 geometry=[p.location for p in problems], crs=self.project.crs)
        self.canvas.set_layer("problems", marks)
        self.layers_panel.set_counts({"problems": len(problems)})
        self._update_title()

    def _selection_from_map(self, codes: list) -> None:
        self.statistics_panel.select_codes(codes)
        self._selection_changed(codes)

    def _selection_from_table(self, codes: list) -> None:
        self.canvas.set_selection(codes)
        self._selection_changed(codes)

    def _selection_changed(self, codes: list) -> None:
        self._update_actions()
        if self.document is None:
            return
        areas = self.project["small_areas"]
        chosen = areas[areas["code"].isin(codes)]
        if len(chosen) == 1:
            self.attributes_panel.show_feature("small_areas", chosen.iloc[0])
        else:
            self.attributes_panel.show_feature("small_areas", None if chosen.empty else chosen)
        if chosen.empty:
            self._selected.clear()
        else:
            self._selected.setText(self.tr("{n} selected, {people} people").format(
                n=len(chosen), people=f"{int(chosen['population'].sum()):,}"))

    def show_problem(self, problem) -> None:
        """Zoom to a problem's location and mark it."""
        if problem.location is None or problem.location.is_empty:
            return
        self.canvas.zoom_to(problem.location.bounds)
        self.canvas.set_highlight(problem.location)

    def zoom_to_selection(self) -> None:
        index = self.canvas.indexes.get("small_areas")
        if index is None or not self.canvas.selection:
            return
        geoms = index.geometries(self.canvas.selection)
        if len(geoms):
            bounds = np.array([g.bounds for g in geoms])
            self.canvas.zoom_to((bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max()))

    def go_to(self, text: str) -> bool:
        """Zoom to the small area, district or village whose code (or its end) or name is `text`."""
        text = text.strip()
        if self.document is None or not text:
            return False
        for layer in ("small_areas", "districts", "villages"):
            gdf = self.project[layer]
            codes = gdf["code"].astype(str)
            hit = (codes == text) | (codes.str.endswith(text) & (len(text) >= 3))
            if "name" in gdf.columns:
                hit |= gdf["name"].astype(str) == text
            if hit.any():
                rows = gdf[hit.to_numpy()]
                self.canvas.zoom_to(tuple(rows.total_bounds))
                if layer == "small_areas":
                    chosen = list(rows["code"])
                    self.canvas.set_selection(chosen)
                    self._selection_from_map(chosen)
                return True
        self.statusBar().showMessage(self.tr("Nothing is coded or named {text}").format(text=text), 5000)
        return False

    # -- status and titles -------------------------------------------------------------------

    def _update_actions(self, *_) -> None:
        has = self.document is not None
        selected = len(self.canvas.selection)
        for action in (self.save_action, self.save_as_action, self.renumber_action, self.check_action, self.export_lists_action,
                       *self.export_map_actions.values(),
                       *self.tool_actions.values()):
            action.setEnabled(has)
        self.merge_action.setEnabled(has and selected >= 2)
        for action in (self.delete_action, self.lock_action, self.unlock_action, self.zoom_selection_action):
            action.setEnabled(has and selected >= 1)
        self.assign_action.setEnabled(has and selected == 1)
        self.divide_action.setEnabled(has and selected >= 1)
        stack = self.document.undo_stack if has else None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(self.tr("&Undo {what}").format(what=stack.undoText()) if stack and stack.canUndo()
                                 else self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo {what}").format(what=stack.redoText()) if stack and stack.canRedo()
                                 else self.tr("&Redo"))

    def _show_project_info(self) -> None:
        if self.project is None:
            self._crs.clear()
        else:
            self._crs.setText(self.tr("CRS: {crs}").format(crs=self.project.meta.crs))
            self._crs.setToolTip(_describe_crs(self.project.meta.crs))
        self._position.clear()
        self._update_title()

    def _update_title(self, *_) -> None:
        if self.project is None:
            self.setWindowTitle(APP_NAME)
            return
        name = self.project.meta.township_name or (self.project.path.stem if self.project.path else "")
        self.setWindowTitle(f"{APP_NAME} — {name}" + (" *" if self.document.dirty else ""))

    def _show_position(self, x: float, y: float) -> None:
        if self.project is not None:
            self._position.setText(self.tr("E {x} m  N {y} m").format(x=f"{x:.1f}", y=f"{y:.1f}"))

    def _show_scale(self, _scale: float) -> None:
        self._scale.setText(self.tr("Scale 1:{n}").format(n=f"{round(self.canvas.scale_denominator()):,}"))

    # -- talking to the user (tests replace these) ---------------------------------------------

    def report_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def ask_changed_on_disk(self, message: str) -> str:
        """"reload", "save_as" or "cancel": what to do with edits the file on disk no longer matches."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Project Changed on Disk"), message,
                          QMessageBox.StandardButton.Cancel, self)
        reload = box.addButton(self.tr("Reload from Disk…"), QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton(self.tr("Save As Copy…"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(save_as)
        box.exec()
        clicked = box.clickedButton()
        return "reload" if clicked == reload else "save_as" if clicked == save_as else "cancel"


#: Save refusals that mean another program saved the file since it was opened.
CHANGED_ON_DISK = ("project_changed_on_disk", "project_replaced_on_disk")


def _quiet_save(project: CensusProject, path: Path, keys: dict[str, str]) -> None:
    """Copy `project` to the autosave file `path`; an autosave that fails (disk full) must not disturb the user's work."""
    try:
        project.save_copy(path, keys)
    except CensusError:
        pass


def _describe_crs(crs: str) -> str:
    """`crs` with its name, e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"."""
    try:
        name = CRS.from_user_input(crs).name
    except CRSError:
        return crs
    return f"{crs} ({name})" if name and name != crs else crs
