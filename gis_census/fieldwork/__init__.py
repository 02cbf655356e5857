"""The pre-count walk (摸底): the package each enumerator takes out, and the corrections brought back.

:func:`export_fieldwork` writes per small area its map, its map files for phone apps and its household
register; :func:`read_fieldwork` reads the filled registers and edited map files back into
:class:`FieldChanges` (refusing the whole set when any entry cannot be used), whose ``text(lang)`` is the change
report; :func:`fieldwork_edit` turns them into one undoable :class:`~gis_census.editing.Edit`.
"""

from gis_census.fieldwork.changes import FieldChanges, fieldwork_edit, read_fieldwork
from gis_census.fieldwork.package import export_fieldwork
from gis_census.fieldwork.report import AreaChange

__all__ = ["export_fieldwork", "read_fieldwork", "fieldwork_edit", "FieldChanges", "AreaChange"]
