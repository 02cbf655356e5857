"""NewProjectWizard: File → New Project, the window's `gis-census new`. One page per input file (villages
required; buildings, roads, water, landmarks optional) shows the fields the engine recognises, the first rows
and the engine's refusal; the last page the township and the CRS the engine chose, and why.

Every rule is the engine's (:func:`gis_census.importing.build_project`, run as a dry run before Next and
Finish): the wizard only shows what it says. Nothing is written until Finish, and then by a background job.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gis_census.errors import CensusError, Finding
from gis_census.importing import ImportOptions, build_project
from gis_census.importing.fields import find_field
from gis_census.importing.reading import read_vector

__all__ = ["NewProjectWizard", "INPUT_ROLES"]

#: The input files, in page order.
INPUT_ROLES = ("villages", "buildings", "roads", "water", "landmarks")
#: The fields the engine looks for in each input (roles of :data:`gis_census.importing.fields.FIELD_CANDIDATES`).
_FIELD_ROLES = {
    "villages": ("code", "name"),
    "buildings": ("id", "address", "population", "households", "units", "use"),
    "roads": ("name", "kind"),
    "water": ("name", "kind"),
    "landmarks": ("name", "kind"),
}
#: Fields the user may name instead of the engine's guess (the command line's --…-field options), by input.
_CHOSEN_FIELDS = {
    "villages": (("code", "village_code_field"), ("name", "village_name_field")),
    "buildings": (("population", "population_field"), ("households", "households_field"), ("address", "address_field")),
}
PREVIEW_ROWS = 5
_ERROR_STYLE = "color: #b00020;"


class InputPage(QWizardPage):
    """One input file: its path, the fields recognised, a preview of its first rows and any refusal."""

    def __init__(self, role: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.role = role
        self.setTitle(self._titles()[role])
        self.setSubTitle(self.tr("Required: the township's villages (居委会/村委会) with their 12-digit codes.")
                         if role == "villages" else self.tr("Optional: leave empty to go without."))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("GeoPackage, Shapefile, GeoJSON or KML (FILE or FILE::LAYER)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        #: The CRS of files that name none (a Shapefile without .prj), for every input: `--assume-crs`.
        self.assume_crs = QLineEdit()
        self.assume_crs.setPlaceholderText(self.tr("e.g. EPSG:4490; only for files without a CRS"))
        #: role -> (ImportOptions field, combo box of the file's columns; the first entry: the engine's guess)
        self.field_boxes: dict[str, tuple[str, QComboBox]] = {}
        choices = QHBoxLayout()
        for field_role, option in _CHOSEN_FIELDS.get(role, ()):
            box = QComboBox()
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # "（自动识别）" whole
            box.currentIndexChanged.connect(self._field_chosen)
            self.field_boxes[field_role] = (option, box)
            choices.addWidget(QLabel(self.tr("{role} field:").format(role=self._role_names()[field_role])))
            choices.addWidget(box)
        choices.addStretch(1)
        self.fields_label = QLabel()
        self.fields_label.setWordWrap(True)
        self.preview = QTableWidget(0, 0)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.verticalHeader().setVisible(False)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        if role == "villages":
            form = QFormLayout()
            form.addRow(self.tr("CRS of files without one:"), self.assume_crs)
            layout.addLayout(form)
            self.assume_crs.editingFinished.connect(self._reload_all)
        layout.addWidget(self.fields_label)
        if self.field_boxes:
            layout.addLayout(choices)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.error_label)
        self.preview.setMinimumHeight(120)
        self.path_edit.textChanged.connect(self._load)
        self.path_edit.textChanged.connect(self.completeChanged)

    def _titles(self) -> dict[str, str]:
        return {"villages": self.tr("Villages"), "buildings": self.tr("Buildings"), "roads": self.tr("Roads"),
                "water": self.tr("Water"), "landmarks": self.tr("Landmarks")}

    @property
    def spec(self) -> str | None:
        """The file ("FILE" or "FILE::LAYER") chosen, or None."""
        return self.path_edit.text().strip() or None

    def isComplete(self) -> bool:
        return self.role != "villages" or self.spec is not None

    def validatePage(self) -> bool:
        """Next is refused, with the engine's message shown here, when the inputs so far are refused."""
        wizard = self.wizard()
        return wizard is None or wizard.dry_run(self)

    def show_error(self, message: str, key: str = "") -> None:
        """Show the engine's refusal; where it names a command-line option, say where the wizard has it."""
        hints = {"field_missing": self.tr("In the wizard: choose the field in the list above."),
                 "missing_crs": self.tr("In the wizard: give it in “CRS of files without one” on the villages page."),
                 "crs_undecidable": self.tr("In the wizard: give the CRS on the last page.")}
        self.error_label.setText(message + ("\n" + hints[key] if key in hints and message else ""))

    def chosen_fields(self) -> dict[str, str]:
        """ImportOptions fields named by the user (the others are left to the engine)."""
        return {option: box.currentData() for option, box in self.field_boxes.values() if box.currentData()}

    def _field_chosen(self) -> None:
        self.error_label.clear()  # a refusal about the field is checked again at Next

    def _browse(self) -> None:
        start = os.path.dirname(self.spec or "") or os.getcwd()
        path, _ = QFileDialog.getOpenFileName(self, self._titles()[self.role], start,
                                              self.tr("GIS files (*.gpkg *.shp *.geojson *.json *.kml *.zip);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def _load(self) -> None:
        """Read the file as the engine will and show its recognised fields and first rows, or why it is refused."""
        self.error_label.clear()
        self.fields_label.clear()
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        for _, box in self.field_boxes.values():
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("(automatic)"), None)
            box.blockSignals(False)
        if self.spec is None:
            return
        wizard = self.wizard()
        assume = wizard.assume_crs() if isinstance(wizard, NewProjectWizard) else None
        try:
            source = read_vector(self.spec, self.role, assume_crs=assume)
        except CensusError as exc:
            self.show_error(exc.message(), exc.key)
            return
        found = []
        for field_role in _FIELD_ROLES[self.role]:
            try:
                field = find_field(source, field_role, required=False)
            except CensusError:
                field = None
            found.append(self.tr("{role}: {field}").format(role=self._role_names()[field_role],
                                                           field=field if field else self.tr("(none)")))
        self.fields_label.setText(self.tr("Layer {layer}, {n} features. Fields recognised — {fields}").format(
            layer=source.layer, n=f"{len(source.gdf):,}", fields=self.tr("; ").join(found)))
        gdf = source.gdf
        columns = [c for c in gdf.columns if c != gdf.geometry.name]
        for _, box in self.field_boxes.values():
            for column in columns:
                box.addItem(str(column), str(column))
        head = gdf.head(PREVIEW_ROWS)
        self.preview.setColumnCount(len(columns))
        self.preview.setRowCount(len(head))
        self.preview.setHorizontalHeaderLabels([str(c) for c in columns])
        for r, (_, row) in enumerate(head.iterrows()):
            for c, column in enumerate(columns):
                value = row[column]
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None or value != value else str(value)))

    def _reload_all(self) -> None:
        wizard = self.wizard()
        for page in wizard.input_pages.values() if isinstance(wizard, NewProjectWizard) else (self,):
            page._load()

    def _role_names(self) -> dict[str, str]:
        return {"code": self.tr("code"), "name": self.tr("name"), "population": self.tr("population"),
                "households": self.tr("households"), "units": self.tr("units"), "id": self.tr("id"),
                "address": self.tr("address"), "use": self.tr("use"), "kind": self.tr("kind")}


class SummaryPage(QWizardPage):
    """The township (code as the villages give it, names), the CRS the engine chose and why, the notices."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Township and Coordinate System"))
        self.setSubTitle(self.tr("Check what the tool found; Finish asks where to save the project."))
        self.township_code = QLineEdit()
        self.township_name = QLineEdit()
        self.county_name = QLineEdit()
        self.crs_edit = QLineEdit()
        self.crs_edit.setPlaceholderText(self.tr("empty: chosen by the tool"))
        self.crs_label = QLabel()
        self.crs_label.setWordWrap(True)
        self.notices = QPlainTextEdit()  # footprint notices can run to many lines on a large township
        self.notices.setReadOnly(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("Township code:"), self.township_code)
        form.addRow(self.tr("Township name:"), self.township_name)
        form.addRow(self.tr("County name:"), self.county_name)
        form.addRow(self.tr("CRS (EPSG):"), self.crs_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.crs_label)
        layout.addWidget(self.notices, 1)
        layout.addWidget(self.error_label)

    def initializePage(self) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.dry_run(self):
            project, notices = wizard.last_dry_run
            if not self.township_code.text():
                self.township_code.setText(project.meta.township_code)
            self.show_notices(project, notices)

    def show_notices(self, project, notices: list[Finding]) -> None:
        crs = [n for n in notices if n.key.startswith("notice_crs")]
        self.crs_label.setText(self.tr("Coordinate system: {crs}").format(crs=project.meta.crs) + "\n"
                               + "\n".join(n.message() for n in crs))
        others = [n.message() for n in notices if not n.key.startswith("notice_crs")
                  and n.key != "notice_township_name_missing"]
        self.notices.setPlainText("\n".join(others))
        self.notices.setVisible(bool(others))

    def show_error(self, message: str, key: str = "") -> None:
        self.error_label.setText(message)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        if wizard is None or not wizard.dry_run(self):
            return False
        return wizard.choose_save_path()


class NewProjectWizard(QWizard):
    """The pages of a new project; after Finish, `options()` and `save_path` say what to build and where."""

    def __init__(self, parent: QWidget | None = None, start_dir: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New Project"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setMinimumSize(760, 560)
        self.start_dir = start_dir or os.getcwd()
        self.input_pages = {role: InputPage(role) for role in INPUT_ROLES}
        for page in self.input_pages.values():
            self.addPage(page)
        self.summary = SummaryPage()
        self.addPage(self.summary)
        self.save_path: Path | None = None
        self.last_dry_run = None

    def options(self, upto: str | None = None) -> ImportOptions:
        """The engine's options from the pages (the input files up to page `upto` only, when given)."""
        specs: dict[str, str | None] = {}
        for role in INPUT_ROLES:
            specs[role] = self.input_pages[role].spec
            if role == upto:
                break
        s = self.summary
        chosen: dict[str, str] = {}
        for role in INPUT_ROLES:
            chosen.update(self.input_pages[role].chosen_fields())
            if role == upto:
                break
        return ImportOptions(
            **chosen,
            villages=specs.get("villages") or "",
            buildings=specs.get("buildings"), roads=specs.get("roads"), water=specs.get("water"),
            landmarks=specs.get("landmarks"),
            township_code=(s.township_code.text().strip() or None) if upto is None else None,
            township_name=s.township_name.text().strip() or None,
            county_name=s.county_name.text().strip() or None,
            crs=(s.crs_edit.text().strip() or None) if upto is None else None,
            assume_crs=self.assume_crs(),
        )

    def assume_crs(self) -> str | None:
        """The CRS given for input files that name none, or None."""
        return self.input_pages["villages"].assume_crs.text().strip() or None

    def dry_run(self, page) -> bool:
        """Build the project in memory from the inputs up to `page`, as `gis-census new` would; a refusal
        is shown on `page` and returns False. Nothing is written."""
        upto = page.role if isinstance(page, InputPage) else None
        page.show_error("")
        # A second or two for a large buildings file: the reader's rules are worth the wait before Next.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.last_dry_run = build_project(self.options(upto))
        except CensusError as exc:
            page.show_error(exc.message(), exc.key)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return True

    def choose_save_path(self) -> bool:
        """Ask where to save the new project; False when the user cancels."""
        path = self.ask_save_path()
        if not path:
            return False
        path = Path(path)
        self.save_path = path if path.suffix.lower() == ".gpkg" else path.with_name(path.name + ".gpkg")
        return True

    def ask_save_path(self) -> str:
        """The file the user chose for the new project ("" when cancelled); tests replace this."""
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save New Project As"), self.start_dir,
                                              self.tr("Census projects (*.gpkg)"))
        return path
