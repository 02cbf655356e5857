"""WindowActions: the main window's actions, menus, toolbars and search box, and when each is enabled."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLineEdit, QStyle

from gis_census.project import PREVIOUS
from ui.icons import icon

__all__ = ["WindowActions"]

#: Tools listed in the Edit menu; the others (select, pan) are in the View menu.
EDIT_TOOLS = ("draw", "split", "vertex")
#: District tools, listed in the Edit menu's Districts submenu (and on the Tools toolbar).
DISTRICT_TOOLS = ("split_district", "special_district")
#: Building tools, listed in the Edit menu's Buildings submenu and on the Buildings toolbar.
BUILDING_TOOLS = ("add_building", "draw_building", "move_building", "reshape_building", "split_building",
                  "assign_building", "settle_register")


class WindowActions(QObject):
    """Builds the window's actions (wired to its slots), menus and toolbars; `update` enables them."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._build_actions()
        self._build_menus()
        self._build_toolbars()

    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None, tip: str = "",
                icon_name: str | None = None, standard: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        elif standard is not None:
            action.setIcon(self.window.style().standardIcon(standard))
        tip = tip or text.replace("&", "").rstrip("…")
        if shortcut is not None:
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        w, files, jobs, sp = self.window, self.window.files, self.window.job_flows, QStyle.StandardPixmap
        self.new_action = self._action(self.tr("&New Project…"), files.new_project, "Ctrl+N",
                                       standard=sp.SP_FileIcon,
                                       tip=self.tr("Build a project from the village, building, road, water and landmark files"))
        self.open_action = self._action(self.tr("&Open…"), files.choose_project, "Ctrl+O", standard=sp.SP_DialogOpenButton)
        self.save_action = self._action(self.tr("&Save"), files.save, "Ctrl+S", standard=sp.SP_DialogSaveButton)
        self.save_as_action = self._action(self.tr("Save &As…"), files.save_as, "Ctrl+Shift+S")
        self.quit_action = self._action(self.tr("&Quit"), w.close, "Ctrl+Q")
        self.export_map_actions = {
            kind: self._action(text, lambda checked=False, k=kind: jobs.export_maps(k), tip=tip)
            for kind, text, tip in (
                ("small-area", self.tr("&Small-Area Maps (PDF)…"),
                 self.tr("The selected small area's map, or every small area's, for the enumerators")),
                ("district", self.tr("&District Maps (PDF)…"), self.tr("The selected area's district map, or every district's")),
                ("township", self.tr("&Township Index Map (PDF)…"), self.tr("The index map of the township's districts")),
                ("atlas", self.tr("&Atlas (one PDF)…"),
                 self.tr("The selected area's district, or the whole township, in one PDF with bookmarks")),
            )
        }
        self.export_lists_action = self._action(self.tr("Area &Lists (Excel/CSV)…"), jobs.export_lists,
                                                tip=self.tr("Write the list of census areas and the building lists"))
        self.fieldwork_export_action = self._action(
            self.tr("&Export Packages…"), w.fieldwork.export_packages,
            tip=self.tr("For the pre-count walk: each small area's map, map files for phone apps and household register "
                        "(the selected area, else its district, else all)"))
        self.fieldwork_import_action = self._action(
            self.tr("&Import Results…"), w.fieldwork.import_results,
            tip=self.tr("Read the filled registers and edited map files back; review the changes, then apply them as one step"))
        self.import_register_action = self._action(
            self.tr("&Register…"), w.register_flows.import_register,
            tip=self.tr("Read the police station's household-register table and match its addresses to the buildings "
                        "(one undo step; importing a kind again replaces its rows)"))
        self.import_previous_action = self._action(
            self.tr("&Previous Division…"), w.imports.import_previous_division,
            tip=self.tr("Read a previous census's small areas as the reference the division is compared with and "
                        "drawn beside (one undo step)"))
        self.import_areas_action = self._action(
            self.tr("&Small Areas…"), w.imports.import_small_areas,
            tip=self.tr("Read small areas from a file as this project's own, to start from (one undo step)"))
        self.import_buildings_action = self._action(
            self.tr("&Buildings…"), w.imports.import_buildings,
            tip=self.tr("Add the buildings of a file to the project, read as a new project reads them (one undo step)"))
        self.undo_action = self._action(self.tr("&Undo"), w.undo, "Ctrl+Z", standard=sp.SP_ArrowBack)
        self.redo_action = self._action(self.tr("&Redo"), w.redo, "Ctrl+Y", standard=sp.SP_ArrowForward)
        self.delete_action = self._action(self.tr("&Delete Small Area"), w.delete_selected, "Del", icon_name="delete",
                                          tip=self.tr("Delete the selected small areas; their land becomes a gap"))
        self.merge_action = self._action(self.tr("&Merge Small Areas"), w.merge_selected, "Ctrl+M", icon_name="merge",
                                         tip=self.tr("Merge the selected adjacent small areas into one"))
        self.lock_action = self._action(self.tr("&Lock"), lambda: w.lock_selected(True), "Ctrl+L", icon_name="lock",
                                        tip=self.tr("Lock the selected small areas: division keeps them as they are"))
        self.unlock_action = self._action(self.tr("U&nlock"), lambda: w.lock_selected(False), "Ctrl+Shift+L")
        self.assign_action = self._action(self.tr("Assign &Building…"), w.assign_building_to_selected,
                                          tip=self.tr("Move a building into the selected small area"))
        self.divide_action = self._action(self.tr("Auto-&Divide District"), jobs.divide_selected_district, "Ctrl+D",
                                          icon_name="divide",
                                          tip=self.tr("Divide the selected area's district, the district clicked on the map, or the "
                                                      "township or a village chosen from a list, into small areas of about the target"))
        self.update_action = self._action(
            self.tr("&Update Division"), jobs.update_division, "Ctrl+U", icon_name="divide",
            tip=self.tr("After the walk: bring areas outside the population band back in, changing as few areas and "
                        "building numbers as possible (the selected area's district, else all)"))
        self.renumber_action = self._action(self.tr("&Renumber Codes"), jobs.renumber, "Ctrl+R", icon_name="renumber",
                                            tip=self.tr("Number small areas and buildings in walking order"))
        self.check_action = self._action(self.tr("&Check Everything"), jobs.check_everything, "F5", icon_name="check",
                                         tip=self.tr("Check the whole township for gaps, overlaps and other problems"))
        self.zoom_full_action = self._action(self.tr("Zoom to &Full Extent"), w.canvas.zoom_full, "Ctrl+Shift+F",
                                             icon_name="zoom_full")
        self.zoom_selection_action = self._action(self.tr("Zoom to &Selection"), w.zoom_to_selection, "Ctrl+Shift+J",
                                                  icon_name="zoom_selection")
        self.delete_buildings_action = self._action(
            self.tr("&Demolish Buildings"), w.delete_buildings, icon_name="delete_building",
            tip=self.tr("Remove the selected buildings (demolished); the others keep their numbers (Del)"))
        self.merge_buildings_action = self._action(
            self.tr("Mer&ge Buildings"), w.merge_buildings, icon_name="merge_buildings",
            tip=self.tr("Make the selected buildings one (Shift+click selects several; Ctrl+M)"))
        self.previous_action = self._action(
            self.tr("&Previous Division Outline"), w.show_previous_division,
            tip=self.tr("Draw the previous census's small areas as a dashed outline over the current division"))
        self.previous_action.setCheckable(True)
        self.previous_action.setChecked(True)
        self.basemap_action = self._action(
            self.tr("Imagery &Basemap…"), w.choose_basemap,
            tip=self.tr("Draw an orthophoto or imagery raster (GeoTIFF, any raster GDAL reads) under the map"))
        self.no_basemap_action = self._action(self.tr("No Basemap"), lambda: w.canvas.set_basemap(None),
                                              tip=self.tr("Stop drawing the imagery under the map"))
        districts = w.district_flows
        self.merge_districts_action = self._action(
            self.tr("Merge &Districts"), districts.merge_selected_districts,
            tip=self.tr("Merge the districts of the selected small areas (of one village) into one; their small areas are recoded"))
        self.new_virtual_action = self._action(
            self.tr("New &Virtual Small Area…"), districts.new_virtual_area,
            tip=self.tr("A small area without land (空挂户, collective quarters), numbered from 900, with its reason, "
                        "people and households"))
        self.delete_virtual_action = self._action(self.tr("Delete V&irtual Small Area…"), districts.delete_virtual_area,
                                                  tip=self.tr("Choose a virtual small area and delete it"))
        self.tool_group = QActionGroup(self.window)
        self.tool_actions: dict[str, QAction] = {}
        for tool, text, key, tip in (
            ("select", self.tr("&Select"), "S",
             self.tr("Click a small area, or a building when zoomed in, to select it; Shift+click adds; drag pans")),
            ("pan", self.tr("&Pan"), "H", self.tr("Drag to move the map")),
            ("draw", self.tr("&Draw Small Area"), "N",
             self.tr("Click the corners of a new small area (they snap to nearby boundaries); double-click to finish")),
            ("split", self.tr("S&plit Small Area"), "X", self.tr("Draw a line across a small area; double-click to split it")),
            ("vertex", self.tr("Edit &Vertices"), "V",
             self.tr("Drag a corner or a point of a boundary; the neighbouring areas move with it")),
            ("split_district", self.tr("&Cut Village into Districts"), None,
             self.tr("Draw a line across a district; double-click to cut it into districts of its village "
                     "(their small areas are recoded)")),
            ("add_building", self.tr("&Add Building (Point)"), None,
             self.tr("Click where a new building stands; it is numbered next in its small area")),
            ("draw_building", self.tr("Draw Building &Footprint"), None,
             self.tr("Click the corners of a new building (they snap to nearby boundaries); double-click to finish")),
            ("move_building", self.tr("&Move Building"), None, self.tr("Drag a building to where it stands")),
            ("reshape_building", self.tr("&Reshape Building"), None, self.tr("Drag a corner of the selected building")),
            ("split_building", self.tr("&Split Building"), None,
             self.tr("Draw a line across a building; double-click to split it in two")),
            ("assign_building", self.tr("Assign Building by &Click"), "B",
             self.tr("With a small area selected, click a building to move it into that area")),
            ("settle_register", self.tr("&Place Register Address by Click"), None,
             self.tr("With an address chosen in the Register panel, click the building its rows belong to")),
        ):
            action = self._action(text, lambda checked=False, t=tool: w.canvas.set_tool(t), key, tip, icon_name=tool)
            action.setCheckable(True)
            self.tool_group.addAction(action)
            self.tool_actions[tool] = action
        # Choosing it first asks the kind and name, then the user draws it.
        self.special_district_action = self._action(
            self.tr("New &Special District…"), districts.start_special_district,
            tip=self.tr("Draw a special district (school, barracks, large enterprise …) inside a village; its land is "
                        "taken from the districts it lies in"), icon_name="special_district")
        self.special_district_action.setCheckable(True)
        self.tool_group.addAction(self.special_district_action)
        self.tool_actions["special_district"] = self.special_district_action
        self.tool_actions["select"].setChecked(True)

    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        self.import_menu = file_menu.addMenu(self.tr("&Import"))
        self.import_menu.addActions([self.import_previous_action, self.import_areas_action, self.import_buildings_action,
                                     self.import_register_action])
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_menu.addActions(list(self.export_map_actions.values()))
        self.export_menu.addSeparator()
        self.export_menu.addAction(self.export_lists_action)
        self.fieldwork_menu = file_menu.addMenu(self.tr("&Field Work"))
        self.fieldwork_menu.addActions([self.fieldwork_export_action, self.fieldwork_import_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.tool_actions[t] for t in EDIT_TOOLS])
        edit_menu.addSeparator()
        edit_menu.addActions([self.merge_action, self.delete_action, self.assign_action, self.lock_action,
                              self.unlock_action])
        self.districts_menu = edit_menu.addMenu(self.tr("Dis&tricts"))
        self.districts_menu.addActions([self.tool_actions[t] for t in DISTRICT_TOOLS])
        self.districts_menu.addAction(self.merge_districts_action)
        self.districts_menu.addSeparator()
        self.districts_menu.addActions([self.new_virtual_action, self.delete_virtual_action])
        self.buildings_menu = edit_menu.addMenu(self.tr("B&uildings"))
        self.buildings_menu.addActions([self.tool_actions[t] for t in BUILDING_TOOLS])
        self.buildings_menu.addSeparator()
        self.buildings_menu.addActions([self.merge_buildings_action, self.delete_buildings_action])

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([self.tool_actions[t] for t in self.tool_actions
                              if t not in EDIT_TOOLS + BUILDING_TOOLS + DISTRICT_TOOLS])
        view_menu.addSeparator()
        view_menu.addActions([self.zoom_full_action, self.zoom_selection_action])
        view_menu.addSeparator()
        view_menu.addActions([self.basemap_action, self.no_basemap_action])
        view_menu.addSeparator()
        view_menu.addAction(self.previous_action)
        view_menu.addSeparator()
        for dock in (w.layers_dock, w.statistics_dock, w.problems_dock, w.attributes_dock, w.buildings_dock,
                     w.register_dock):
            view_menu.addAction(dock.toggleViewAction())

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addActions([self.divide_action, self.update_action, self.renumber_action, self.check_action])

        language_menu = bar.addMenu(self.tr("&Language"))
        group = QActionGroup(w)
        current = w.settings.value("language", "zh")
        for code, name in (("zh", "中文"), ("en", "English")):
            action = language_menu.addAction(name, lambda c=code: w.choose_language(c))
            action.setCheckable(True)
            action.setChecked(code == current)
            group.addAction(action)

    def _build_toolbars(self) -> None:
        w = self.window
        files = w.addToolBar(self.tr("File"))
        files.setObjectName("file_toolbar")
        files.addActions([self.open_action, self.save_action, self.undo_action, self.redo_action])
        tools = w.addToolBar(self.tr("Tools"))
        tools.setObjectName("tools_toolbar")
        tools.addActions([a for t, a in self.tool_actions.items() if t not in BUILDING_TOOLS])
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
        self.search_box.returnPressed.connect(lambda: w.go_to(self.search_box.text()))
        tools.addWidget(self.search_box)
        buildings = w.addToolBar(self.tr("Buildings"))
        buildings.setObjectName("buildings_toolbar")
        buildings.addActions([self.tool_actions[t] for t in BUILDING_TOOLS])
        buildings.addActions([self.merge_buildings_action, self.delete_buildings_action])

    def update(self, document, selected: int, buildings: int = 0) -> None:
        """Enable what applies to `document` (None: no project), `selected` small areas and `buildings`
        selected buildings; the Undo and Redo actions name their edit, as the history has it."""
        has = document is not None
        for action in (self.save_action, self.save_as_action, self.renumber_action, self.check_action, self.update_action,
                       self.export_lists_action, *self.export_map_actions.values(), *self.tool_actions.values(),
                       self.fieldwork_export_action, self.fieldwork_import_action, self.import_register_action,
                       self.import_previous_action, self.import_areas_action, self.import_buildings_action,
                       self.new_virtual_action, self.delete_virtual_action, self.basemap_action, self.no_basemap_action):
            action.setEnabled(has)
        # Del and Ctrl+M act on the selected buildings when there are any (MainWindow.delete_selected, merge_selected).
        self.delete_action.setText(self.tr("&Demolish Buildings") if buildings else self.tr("&Delete Small Area"))
        self.merge_action.setText(self.tr("Mer&ge Buildings") if buildings else self.tr("&Merge Small Areas"))
        self.merge_action.setEnabled(has and (selected >= 2 or buildings >= 2))
        self.merge_buildings_action.setEnabled(has and buildings >= 2)
        self.merge_districts_action.setEnabled(has and selected >= 2)
        self.delete_buildings_action.setEnabled(has and buildings >= 1)
        # Auto-Divide needs no selection: without one it asks what to divide (a fresh project has no small areas).
        self.divide_action.setEnabled(has)
        for action in (self.delete_action, self.lock_action, self.unlock_action, self.zoom_selection_action):
            action.setEnabled(has and selected >= 1)
        self.assign_action.setEnabled(has and selected == 1)
        previous = document.project.layers.get(PREVIOUS) if has else None
        self.previous_action.setEnabled(previous is not None and len(previous) > 0)
        history = document.history if has else None
        self.undo_action.setEnabled(bool(history and history.can_undo()))
        self.redo_action.setEnabled(bool(history and history.can_redo()))
        self.undo_action.setText(self.tr("&Undo {what}").format(what=history.undo_text()) if history and history.can_undo()
                                 else self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo {what}").format(what=history.redo_text()) if history and history.can_redo()
                                 else self.tr("&Redo"))
