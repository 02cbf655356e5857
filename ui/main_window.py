"""MainWindow: the map canvas, the docks (layers, statistics, problems, attributes) and the status bar
around one open ProjectDocument.

The canvas and the panels observe the document themselves; the window wires the actions
(:mod:`ui.actions`), the file dialogues (:mod:`ui.file_flows`) and the background jobs
(:mod:`ui.job_flows`) to it, and follows the selection.
"""

from __future__ import annotations

import os

import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from gis_census.checks.acceptance import acceptance, acceptance_text
from gis_census.editing import (
    assign_building,
    delete_buildings,
    delete_small_area,
    find,
    find_building,
    merge_buildings,
    merge_small_areas,
    set_building_fields,
    set_fields,
    set_locked,
)
from gis_census.errors import CensusError
from gis_census.i18n import tr as engine_tr
from gis_census.project import PREVIOUS, CensusProject
from gis_census.project.meta import READ_ONLY_KEY
from ui.actions import WindowActions
from ui.canvas.map_canvas import PICK_BUILDINGS_SCALE, MapCanvas
from ui.district_flows import DistrictFlows
from ui.division_scope import DivisionScopeDialog
from ui.document import ProjectDocument
from ui.fieldwork_flows import FieldworkFlows
from ui.file_flows import FileFlows
from ui.import_flows import ImportFlows
from ui.job_flows import JobFlows
from ui.language import setup_language
from ui.panels.attributes import AttributesPanel
from ui.panels.buildings import BuildingsPanel
from ui.panels.layers import LayersPanel
from ui.panels.problems import ProblemsPanel
from ui.panels.register import RegisterPanel
from ui.panels.statistics import StatisticsPanel
from ui.register_flows import RegisterFlows

__all__ = ["MainWindow"]

APP_NAME = "gis-census"
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
        self.buildings_panel = BuildingsPanel()
        self.register_panel = RegisterPanel()
        self.layers_dock = self._dock("layers_dock", self.tr("Layers"), self.layers_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.attributes_dock = self._dock("attributes_dock", self.tr("Attributes"), self.attributes_panel,
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.statistics_dock = self._dock("statistics_dock", self.tr("Statistics"), self.statistics_panel,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("problems_dock", self.tr("Problems"), self.problems_panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.buildings_dock = self._dock("buildings_dock", self.tr("Buildings"), self.buildings_panel,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.register_dock = self._dock("register_dock", self.tr("Register"), self.register_panel,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.buildings_dock, self.register_dock)
        self.register_dock.hide()  # shown for a project with a register, after an import, or from the View menu
        self.resizeDocks([self.layers_dock, self.statistics_dock], [220, 400], Qt.Orientation.Horizontal)

        self._position = QLabel()
        self._scale = QLabel()
        self._selected = QLabel()
        self._crs = QLabel()
        self._acceptance = QLabel()  # the county's acceptance (验收) of the division, and whether it changed since
        for label in (self._acceptance, self._selected, self._position, self._scale, self._crs):
            self.statusBar().addPermanentWidget(label)

        self.files = FileFlows(self)
        self.job_flows = JobFlows(self)
        self.fieldwork = FieldworkFlows(self)
        self.register_flows = RegisterFlows(self)
        self.imports = ImportFlows(self)
        self.district_flows = DistrictFlows(self)
        self.ui = WindowActions(self)
        self.files.fill_recent_menu()
        self._connect()
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

    def _connect(self) -> None:
        self.layers_panel.visibility_changed.connect(self.canvas.set_layer_visible)
        self.layers_panel.visibility_changed.connect(self._layer_toggled)
        self.canvas.mouse_moved.connect(self._show_position)
        self.canvas.scale_changed.connect(self._show_scale)
        self.canvas.selection_changed.connect(self._selection_from_map)
        self.canvas.buildings_selected.connect(self._buildings_from_map)
        self.canvas.district_picked.connect(self._district_from_map)
        self.buildings_panel.buildings_selected.connect(self._buildings_from_table)
        self.statistics_panel.selection_changed.connect(self._selection_from_table)
        self.statistics_panel.area_activated.connect(lambda code: self.go_to(code))
        self.problems_panel.problem_activated.connect(self.show_problem)
        self.attributes_panel.field_edited.connect(self.edit_fields)
        self.register_panel.address_chosen.connect(self.register_flows.address_chosen)

    # -- project -----------------------------------------------------------------------------

    def open_project(self, path: str | os.PathLike) -> bool:
        """Open the project at `path` (offering to recover autosaved work); False, having said why, when it cannot."""
        return self.files.open_project(path)

    def save(self) -> bool:
        """Save the project where it came from (or ask where); True when saved."""
        return self.files.save()

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
        for signal in (document.edited, document.problems_changed, document.dirty_changed, document.refused):
            signal.disconnect()
        document.setParent(self)
        self._attach(document)
        if view is not None:
            self.canvas.set_view(view)
        if selection:
            self.canvas.set_selection(selection)
            self._selection_from_map(selection)

    def _attach(self, document: ProjectDocument) -> None:
        """Show `document`: the canvas and the panels follow it from now on, the window its state."""
        self.document = document
        for view in (self.canvas, self.layers_panel, self.statistics_panel, self.problems_panel, self.buildings_panel,
                     self.register_panel):
            view.attach(document)
        document.edited.connect(self._on_edited)
        document.problems_changed.connect(self.update_title)
        document.dirty_changed.connect(self.update_title)
        document.refused.connect(lambda message: self.report_error(self.tr("Cannot Edit"), message))
        self.attributes_panel.show_feature("small_areas", None)
        if len(document.project["register"]):
            self.register_dock.show()
        self._show_project_info()
        self._update_actions()

    def _first_check(self) -> None:
        QTimer.singleShot(0, self.job_flows.check_everything)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.confirm_discard():
            event.accept()
        else:
            event.ignore()

    def choose_language(self, code: str) -> MainWindow:
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

    # -- edits of the selection ----------------------------------------------------------------

    def undo(self) -> None:
        if self.document is not None:
            self.canvas.cancel_sketch()
            self.document.history.undo()

    def redo(self) -> None:
        if self.document is not None:
            self.document.history.redo()

    def merge_selected(self) -> None:
        """Merge the selected buildings, if any are selected, else the selected small areas."""
        if self.document is not None and self.canvas.selected_buildings:
            self.merge_buildings()
        elif self.document is not None and len(self.canvas.selection) >= 2:
            self.document.perform(merge_small_areas, list(self.canvas.selection))

    def delete_selected(self) -> None:
        """Demolish the selected buildings, if any are selected, else delete the selected small areas."""
        if self.document is not None and self.canvas.selected_buildings:
            self.delete_buildings()
        elif self.document is not None and self.canvas.selection:
            self.document.perform(delete_small_area, list(self.canvas.selection))

    def delete_buildings(self) -> None:
        if self.document is not None and self.canvas.selected_buildings:
            self.document.perform(delete_buildings, list(self.canvas.selected_buildings))

    def merge_buildings(self) -> None:
        if self.document is not None and self.canvas.selected_buildings:
            self.document.perform(merge_buildings, list(self.canvas.selected_buildings))

    def lock_selected(self, locked: bool) -> None:
        if self.document is not None and self.canvas.selection:
            self.document.perform(set_locked, list(self.canvas.selection), locked)

    def assign_building_to_selected(self) -> None:
        if self.document is None or len(self.canvas.selection) != 1:
            self.report_error(self.tr("Cannot Edit"), self.tr("Select the one small area the building should join."))
            return
        text, ok = QInputDialog.getText(self, self.tr("Assign Building"),
                                        self.tr("Building (its name, e.g. 370481102001025-003 or 025-3, or its address):"))
        if ok:
            self.assign_building_named(text)

    def assign_building_named(self, text: str) -> bool:
        """Move the building named `text` (:func:`gis_census.editing.find_building`) into the selected small area."""
        building = find_building(self.project, text)
        if building is None:
            self.report_error(self.tr("Cannot Edit"), self.tr("No building is named {text}.").format(text=text.strip()))
            return False
        return self.document.perform(assign_building, building, self.canvas.selection[0])

    def edit_fields(self, layer: str, key, values: dict) -> None:
        if self.document is None:
            return
        if layer == "buildings":
            self.document.perform(set_building_fields, key, values)
        else:
            self.document.perform(set_fields, layer, key, values)

    def selected_district(self) -> str | None:
        """The district of the first selected small area."""
        if self.document is None or not self.canvas.selection:
            return None
        areas = self.project["small_areas"]
        rows = areas[areas["code"] == self.canvas.selection[0]]
        return str(rows["district_code"].iat[0]) if len(rows) else None

    def choose_basemap(self) -> None:
        """Ask for an imagery raster and draw it under the map (:meth:`set_basemap_file`)."""
        if self.document is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Imagery Basemap"), os.getcwd(),
                                              self.tr("Rasters (*.tif *.tiff *.jp2 *.img *.vrt);;All files (*)"))
        if path:
            self.set_basemap_file(path)

    def set_basemap_file(self, path: str) -> None:
        """Draw the raster at `path` under the map, read by window at the screen's resolution; a file the engine
        cannot use (no CRS, unreadable) is refused with its message."""
        from gis_census.maps.basemap import Basemap

        try:
            self.canvas.set_basemap(Basemap(path, self.project.crs))
        except CensusError as exc:
            self.report_error(self.tr("Imagery Basemap"), str(exc))

    def show_previous_division(self, visible: bool) -> None:
        """Show or hide the previous division's outline (View menu), ticked alike in the Layers panel."""
        self.canvas.set_layer_visible(PREVIOUS, visible)
        item = self.layers_panel.item_for(PREVIOUS)
        if item is not None:
            self.layers_panel.blockSignals(True)
            item.setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
            self.layers_panel.blockSignals(False)

    def _layer_toggled(self, name: str, visible: bool) -> None:
        if name == PREVIOUS:
            self.ui.previous_action.setChecked(visible)

    def division_scope(self) -> list[str]:
        """The districts Auto-Divide divides: the selected small area's, else the district picked on the map,
        else those of what the user chooses in a list (the whole township, a village, a district)."""
        district = self.selected_district() or self.canvas.picked_district
        return [district] if district else self.choose_division_scope()

    def choose_division_scope(self) -> list[str]:
        """The districts of the township, village or district chosen in a dialog ([] when cancelled)."""
        dialog = DivisionScopeDialog(self.project, self)
        return dialog.codes() if dialog.exec() == DivisionScopeDialog.DialogCode.Accepted else []

    # -- selection and navigation ----------------------------------------------------------------

    def _on_edited(self, _edit) -> None:
        shown = self.attributes_panel.layer, self.attributes_panel.key
        if shown[0] in ("villages", "districts") and shown[1] in set(self.project[shown[0]]["code"]):
            self._update_actions()
            self.show_feature(shown[0], shown[1])  # the village or district being edited stays shown
            return
        self._selection_changed(self.canvas.selection)  # its figures, or areas merged or deleted away

    def _selection_from_map(self, codes: list) -> None:
        self.statistics_panel.select_codes(codes)
        self._selection_changed(codes)

    def _district_from_map(self, code: str) -> None:
        """A district clicked where it has no small areas: named in the status bar, ready for Auto-Divide."""
        districts = self.project["districts"]
        names = districts["name"].to_numpy(object)[(districts["code"] == code).to_numpy()]
        self._selected.setText(self.tr("District {name} {code}").format(name=names[0] if len(names) else "", code=code))

    def _selection_from_table(self, codes: list) -> None:
        self.canvas.set_building_selection([])
        self.canvas.set_picked_district("")
        self.canvas.set_selection(codes)
        self._selection_changed(codes)

    def _buildings_from_map(self, ids: list) -> None:
        """Buildings picked on the map: their small area is selected too, and listed with them."""
        buildings = self.project["buildings"] if self.document is not None else None
        if buildings is not None and ids:
            area = str(buildings["small_area_code"].to_numpy(object)[(buildings["id"] == ids[0]).to_numpy()][0])
            codes = [area] if (self.project["small_areas"]["code"] == area).any() else []
            self.canvas.set_selection(codes)
            self.statistics_panel.select_codes(codes)
        self._selection_changed(self.canvas.selection)

    def _buildings_from_table(self, ids: list) -> None:
        """Rows chosen in the Buildings panel: the buildings are selected on the map, and brought into view
        (zoomed in as far as buildings are picked) unless already seen so."""
        self.canvas.set_building_selection(ids)
        footprints = self.canvas.selected_footprints()
        if len(footprints):
            xmin, ymin, xmax, ymax = shapely.total_bounds(footprints)
            vxmin, vymin, vxmax, vymax = self.canvas.view.bounds()
            seen = vxmin <= xmin and vymin <= ymin and xmax <= vxmax and ymax <= vymax
            if not seen or self.canvas.view.scale < PICK_BUILDINGS_SCALE:
                self.canvas.zoom_to((xmin, ymin, xmax, ymax), least=150.0)
        self._selection_changed(self.canvas.selection)

    def _selection_changed(self, codes: list) -> None:
        self._update_actions()
        if self.document is None:
            return
        areas = self.project["small_areas"]
        chosen = areas[areas["code"].isin(codes)]
        if self.buildings_panel.area != (codes[0] if len(codes) == 1 else None):
            self.buildings_panel.show_area(codes[0] if len(codes) == 1 else None)
        self.buildings_panel.select_buildings(self.canvas.selected_buildings)
        if self.canvas.selected_buildings:
            buildings = self.project["buildings"]
            self.attributes_panel.show_feature("buildings", buildings[buildings["id"].isin(self.canvas.selected_buildings)])
        elif len(chosen) == 1:
            self.attributes_panel.show_feature("small_areas", chosen.iloc[0])
        else:
            self.attributes_panel.show_feature("small_areas", None if chosen.empty else chosen)
        if self.canvas.selected_buildings:
            self._selected.setText(self.tr("{n} buildings selected").format(n=len(self.canvas.selected_buildings)))
        elif chosen.empty:
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
        """Zoom to the small area, district or village whose code (or its end) or name is `text`
        (:func:`gis_census.editing.find`); small areas found are selected."""
        found = find(self.project, text) if self.document is not None else None
        if found is None:
            if text.strip() and self.document is not None:
                self.statusBar().showMessage(self.tr("Nothing is coded or named {text}").format(text=text.strip()), 5000)
            return False
        self.canvas.zoom_to(found.bounds)
        if found.layer == "small_areas":
            self.canvas.set_selection(list(found.codes))
            self._selection_from_map(list(found.codes))
        elif found.layer in ("villages", "districts") and len(found.codes) == 1:
            # A village's one district carries its code: the village is shown, its urban–rural class editable.
            code = found.codes[0]
            self.show_feature("villages" if code in set(self.project["villages"]["code"]) else found.layer, code)
        return True

    def show_feature(self, layer: str, code: str) -> None:
        """Show village or district `code` in the Attributes panel (a village's urban–rural class is edited there)."""
        gdf = self.project[layer]
        rows = gdf[gdf["code"] == code]
        if len(rows):
            self.attributes_panel.show_feature(layer, rows.iloc[0])
            self.attributes_dock.raise_()

    # -- status and titles -------------------------------------------------------------------

    def _update_actions(self, *_) -> None:
        self.ui.update(self.document, len(self.canvas.selection), len(self.canvas.selected_buildings))

    def _show_project_info(self) -> None:
        if self.project is None:
            self._crs.clear()
        else:
            self._crs.setText(self.tr("CRS: {crs}").format(crs=self.project.meta.crs))
            self._crs.setToolTip(_describe_crs(self.project.meta.crs))
        self._position.clear()
        self.update_title()

    def update_title(self, *_) -> None:
        if self.project is None:
            self.setWindowTitle(APP_NAME)
            self._acceptance.clear()
            return
        record = acceptance(self.project)
        self._acceptance.setText(acceptance_text(record, brief=True))
        self._acceptance.setToolTip(acceptance_text(record))
        name = self.project.meta.township_name or (self.project.path.stem if self.project.path else "")
        if self.project.stored_meta.get(READ_ONLY_KEY) == "county":
            name += engine_tr("county_read_only_title")
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

    def ask_divide_or_update(self, n: int) -> str:
        """"update", "divide" or "cancel": what Auto-Divide does with `n` districts that have small areas already."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Auto-Divide"), self.tr(
            "{n} of the chosen districts have small areas already. Update them, keeping every valid small area and its "
            "code, or divide them afresh?").format(n=n), QMessageBox.StandardButton.Cancel, self)
        update = box.addButton(self.tr("Update (keep valid areas)"), QMessageBox.ButtonRole.AcceptRole)
        afresh = box.addButton(self.tr("Divide Afresh"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(update)
        box.exec()
        return {update: "update", afresh: "divide"}.get(box.clickedButton(), "cancel")

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

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel, asked of the user."""
        return QMessageBox.question(
            self, self.tr("Unsaved Changes"), self.tr("Save the changes to {name} before closing?").format(
                name=self.project.path.name if self.project.path else self.tr("the project")),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)


def _describe_crs(crs: str) -> str:
    """`crs` with its name, e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"."""
    try:
        name = CRS.from_user_input(crs).name
    except CRSError:
        return crs
    return f"{crs} ({name})" if name and name != crs else crs
