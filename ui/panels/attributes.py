"""AttributesPanel: the fields of the selected feature as a form; a few of them editable."""

from __future__ import annotations

import numbers

import pandas as pd
import shapely
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gis_census.rules import BUILDING_USES, URBAN_RURAL_CLASSES
from ui.building_text import building_title, use_label
from ui.language import layer_title

__all__ = ["AttributesPanel", "EDITABLE", "feature_key"]

#: Fields the user may edit, by layer: "text" (a line edit), "check" (a check box, stored 0/1), "count" (a
#: whole number ≥ 0), "use" (a building's use, one of rules.BUILDING_USES) or "urban_rural" (a village's
#: urban–rural class, one of rules.URBAN_RURAL_CLASSES or none).
EDITABLE: dict[str, dict[str, str]] = {
    "villages": {"urban_rural": "urban_rural"},
    "small_areas": {"notes": "text", "locked": "check"},
    "districts": {"name": "text"},
    "buildings": {"address": "text", "use": "use", "households": "count", "population": "count", "units": "count",
                  "notes": "text"},
}
#: Fields not shown, by layer: a building's internal id (its one name heads the form).
HIDDEN: dict[str, set[str]] = {"buildings": {"id"}}
#: The largest count a spin box takes (people, households or stairwells of one building).
MAX_COUNT = 999_999
#: The field that identifies a feature of each layer; other layers use the row's index label.
_KEY_FIELD = {"villages": "code", "districts": "code", "small_areas": "code", "buildings": "id"}


def feature_key(layer: str, row: pd.Series):
    """The identifier of `row` in `layer`: its code, a building's id, else the row's index label."""
    field = _KEY_FIELD.get(layer)
    if field and field in row.index:
        value = row[field]
        return int(value) if isinstance(value, numbers.Integral) else str(value)
    return row.name


class AttributesPanel(QWidget):
    """Field names and values of one feature (editable: small areas' notes and locked, districts' name,
    buildings' address, use, counts and notes), or a summary of several.

    Edits are not applied here: field_edited(layer, key, {field: value}) asks the window to apply them
    as an undoable edit, after which it shows the feature again.
    """

    #: (layer, feature key, {field: new value}) when the user changes an editable field
    field_edited = Signal(str, object, dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer: str | None = None
        self.key = None
        #: the editable fields' widgets by field name (QLineEdit or QCheckBox)
        self.editors: dict[str, QWidget] = {}
        #: the read-only values shown, by field name (for tests and tooltips)
        self.values: dict[str, QLabel] = {}
        self._original: dict[str, object] = {}

        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll, 1)
        self._titles = {
            "code": self.tr("Code"),
            "name": self.tr("Name"),
            "village_code": self.tr("Village"),
            "district_code": self.tr("District"),
            "seq": self.tr("Number"),
            "population": self.tr("Population"),
            "households": self.tr("Households"),
            "locked": self.tr("Locked"),
            "notes": self.tr("Notes"),
            "exclave": self.tr("Exclave"),
            "supervisor_group": self.tr("Supervisor group"),
            "id": self.tr("ID"),
            "address": self.tr("Address"),
            "use": self.tr("Use"),
            "small_area_code": self.tr("Small area"),
            "number": self.tr("Building number"),
            "kind": self.tr("Kind"),
            "units": self.tr("Stairwells"),
            "urban_rural": self.tr("Urban–rural class"),
        }
        self._classes = {
            "": self.tr("(not set)"), "111": self.tr("111 main urban area"), "112": self.tr("112 urban fringe"),
            "121": self.tr("121 town centre"), "122": self.tr("122 town fringe"), "123": self.tr("123 special area"),
            "210": self.tr("210 rural centre"), "220": self.tr("220 village"),
        }
        self.show_feature(None, None)

    # -- API ---------------------------------------------------------------------------------------

    def show_feature(self, layer: str | None, row: pd.Series | pd.DataFrame | None) -> None:
        """Show the fields of `row` of `layer`; None clears the form.

        A DataFrame is taken as the selection: one row shows that feature, several a summary.
        A pending edit of the feature shown before (text typed but not confirmed) is emitted first.
        """
        if isinstance(row, pd.DataFrame):
            self.show_features(layer, row)
            return
        self._commit_pending()
        form = self._new_form()
        if layer is None or row is None:
            self.layer, self.key = None, None
            self.title.setText(self.tr("No feature selected"))
            self._install(form)
            return
        self.layer, self.key = layer, feature_key(layer, row)
        shown = building_title(row) if layer == "buildings" else self.key
        self.title.setText(self.tr("{layer} {key}").format(layer=layer_title(layer), key=shown))
        editable, hidden = EDITABLE.get(layer, {}), HIDDEN.get(layer, set())
        for field, value in row.items():
            if field in hidden:
                continue
            if isinstance(value, shapely.Geometry) or value is None and field == "geometry":
                self._add_measure(form, value)
                continue
            title = self._titles.get(field, str(field))
            kind = editable.get(field)
            if kind == "text":
                editor = QLineEdit(_text(value))
                editor.setObjectName(f"edit_{field}")
                editor.editingFinished.connect(lambda f=field: self._text_finished(f))
                self._original[field] = _text(value)
                self.editors[field] = editor
                form.addRow(title, editor)
            elif kind == "count":
                editor = QSpinBox()
                editor.setObjectName(f"edit_{field}")
                editor.setRange(0, MAX_COUNT)
                editor.setValue(int(value) if _text(value) else 0)
                editor.editingFinished.connect(lambda f=field: self._count_finished(f))
                self._original[field] = editor.value()
                self.editors[field] = editor
                form.addRow(title, editor)
            elif kind == "use":
                editor = QComboBox()
                editor.setObjectName(f"edit_{field}")
                current = _text(value)
                uses = list(BUILDING_USES) + ([current] if current not in BUILDING_USES else [])
                for use in uses:
                    editor.addItem(use_label(use), use)
                editor.setCurrentIndex(uses.index(current))
                editor.activated.connect(lambda index, f=field: self._use_chosen(f))
                self._original[field] = current
                self.editors[field] = editor
                form.addRow(title, editor)
            elif kind == "urban_rural":
                editor = QComboBox()
                editor.setObjectName(f"edit_{field}")
                current = _text(value)
                for code in ("", *URBAN_RURAL_CLASSES, *([current] if current not in ("", *URBAN_RURAL_CLASSES) else [])):
                    editor.addItem(self._classes.get(code, code), code)
                editor.setCurrentIndex(editor.findData(current))
                editor.activated.connect(lambda index, f=field: self._use_chosen(f))
                self._original[field] = current
                self.editors[field] = editor
                form.addRow(title, editor)
            elif kind == "check":
                editor = QCheckBox()
                editor.setObjectName(f"edit_{field}")
                editor.setChecked(bool(value))
                editor.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a click beside it does nothing
                editor.clicked.connect(lambda checked, f=field: self._check_clicked(f, checked))
                self._original[field] = int(bool(value))
                self.editors[field] = editor
                form.addRow(title, editor)
            else:
                self._add_value(form, field, title, _text(value))
        self._install(form)

    def show_features(self, layer: str | None, rows: pd.DataFrame | None) -> None:
        """Show the selection `rows` of `layer`: the feature itself when one, else a summary
        (count; for small areas and buildings also total population and households)."""
        if layer is None or rows is None or len(rows) == 0:
            self.show_feature(None, None)
            return
        if len(rows) == 1:
            self.show_feature(layer, rows.iloc[0])
            return
        self._commit_pending()
        form = self._new_form()
        self.layer, self.key = layer, None
        self.title.setText(self.tr("{count} features selected ({layer})").format(count=f"{len(rows):,}", layer=layer_title(layer)))
        self._add_value(form, "count", self.tr("Count"), f"{len(rows):,}")
        totals = {"population": self.tr("Total population"), "households": self.tr("Total households")}
        for field, title in totals.items():
            if field in rows.columns:
                total = pd.to_numeric(rows[field], errors="coerce").fillna(0).sum()
                self._add_value(form, field, title, f"{int(total):,}")
        self._install(form)

    # -- internals ---------------------------------------------------------------------------------

    def _new_form(self) -> QFormLayout:
        self.editors, self.values, self._original = {}, {}, {}
        self._container = container = QWidget()  # kept: it has no parent until installed
        form = QFormLayout(container)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return form

    def _install(self, form: QFormLayout) -> None:
        """Put the filled `form` (made by _new_form) in place of the previous one, visible at once."""
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(self._container)
        self._container.show()

    def _add_value(self, form: QFormLayout, field: str, title: str, text: str) -> None:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        self.values[field] = label
        form.addRow(title, label)

    def _add_measure(self, form: QFormLayout, geometry) -> None:
        if geometry is None or shapely.is_empty(geometry):
            return
        dimension = shapely.get_dimensions(geometry)
        if dimension == 2:
            self._add_value(form, "area", self.tr("Area"), self.tr("{value} m²").format(value=f"{shapely.area(geometry):,.0f}"))
        elif dimension == 1:
            self._add_value(form, "length", self.tr("Length"), self.tr("{value} m").format(value=f"{shapely.length(geometry):,.0f}"))

    def _text_finished(self, field: str) -> None:
        editor = self.editors.get(field)
        if isinstance(editor, QLineEdit):
            self._emit_if_changed(field, editor.text())

    def _count_finished(self, field: str) -> None:
        editor = self.editors.get(field)
        if isinstance(editor, QSpinBox):
            self._emit_if_changed(field, editor.value())

    def _use_chosen(self, field: str) -> None:
        editor = self.editors.get(field)
        if isinstance(editor, QComboBox):
            self._emit_if_changed(field, editor.currentData())

    def _check_clicked(self, field: str, checked: bool) -> None:
        self._emit_if_changed(field, int(checked))

    def _emit_if_changed(self, field: str, value) -> None:
        if self.layer is None or self.key is None or value == self._original.get(field):
            return
        self._original[field] = value  # focus leaving the box later must not report it again
        self.field_edited.emit(self.layer, self.key, {field: value})

    def _commit_pending(self) -> None:
        """Report text typed into a box but not yet confirmed before the form is replaced."""
        for field, editor in list(self.editors.items()):
            if isinstance(editor, QLineEdit | QSpinBox):
                editor.blockSignals(True)  # its editingFinished on losing focus would come too late
                self._emit_if_changed(field, editor.text() if isinstance(editor, QLineEdit) else editor.value())


def _text(value) -> str:
    """A field value as shown: whole numbers as such, missing as empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):,.2f}"
    return str(value)
