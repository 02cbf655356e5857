"""Qt-free editing engine: every edit is an undoable diff of layer rows (see :mod:`gis_census.editing.edit`).

Edit functions return an :class:`Edit` and never change the project; :func:`apply_edit` applies one,
and ``edit.inverse()`` undoes it; a :class:`History` keeps them as undo steps. Refused edits raise
:class:`EditError` with a translated message.
"""

from gis_census.editing.areas import (
    add_small_area,
    add_virtual_area,
    assign_building,
    delete_small_area,
    merge_small_areas,
    set_fields,
    set_locked,
    split_small_area,
)
from gis_census.editing.buildings import (
    add_building,
    delete_buildings,
    find_building,
    merge_buildings,
    move_building,
    reshape_building,
    set_building_fields,
    split_building,
)
from gis_census.editing.districts import add_special_district, merge_districts, next_district_codes, split_district
from gis_census.editing.edit import (
    KEYS,
    ROW_KEYS,
    Edit,
    EditError,
    LayerDiff,
    apply_edit,
    diff_layers,
    divide_districts_edit,
    divide_edit,
    renumber_edit,
    update_edit,
)
from gis_census.editing.history import History
from gis_census.editing.imports import import_areas_edit, import_buildings_edit
from gis_census.editing.register import register_import_edit, settle_edit
from gis_census.editing.search import Found, find
from gis_census.editing.snapping import snap_point, snap_to_project
from gis_census.editing.targets import area_crossed
from gis_census.editing.vertices import move_vertex, vertex_at

__all__ = [
    "KEYS",
    "ROW_KEYS",
    "Edit",
    "EditError",
    "LayerDiff",
    "apply_edit",
    "diff_layers",
    "divide_edit",
    "divide_districts_edit",
    "renumber_edit",
    "update_edit",
    "add_small_area",
    "split_small_area",
    "merge_small_areas",
    "delete_small_area",
    "set_locked",
    "set_fields",
    "assign_building",
    "add_building",
    "move_building",
    "reshape_building",
    "delete_buildings",
    "merge_buildings",
    "split_building",
    "set_building_fields",
    "find_building",
    "split_district",
    "merge_districts",
    "add_special_district",
    "next_district_codes",
    "add_virtual_area",
    "move_vertex",
    "vertex_at",
    "snap_point",
    "snap_to_project",
    "area_crossed",
    "find",
    "Found",
    "History",
    "settle_edit",
    "register_import_edit",
    "import_buildings_edit",
    "import_areas_edit",
]
