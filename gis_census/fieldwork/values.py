"""The values the walk's files hold, read one way whichever file they come from: counts, status, use, and
where a bad one sits (file, sheet, row, column)."""

from __future__ import annotations

import math

from gis_census.errors import CellFinding
from gis_census.i18n import tr
from gis_census.rules import BUILDING_USES

__all__ = ["ADDED", "REMOVED", "ATTRIBUTES", "BadValue", "CellFinding", "is_blank", "read_count", "read_status",
           "read_use", "read_text"]

#: The status an enumerator gives a building: new (新增) or demolished (拆除); "" for one that stands as recorded.
ADDED, REMOVED = "新增", "拆除"
_STATUS = {"": "", ADDED: ADDED, "new": ADDED, "added": ADDED, REMOVED: REMOVED, "demolished": REMOVED, "removed": REMOVED}
#: Attributes of a building in the map files (GeoJSON, KML, GeoPackage), in order.
ATTRIBUTES = ("name", "small_area", "number", "address", "use", "households", "population", "units", "status", "notes")


class BadValue(ValueError):
    """A value that cannot be used: `key` and `params` name the fault (a message of the catalog)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def is_blank(value) -> bool:
    """Nothing written: None, NaN or a text of spaces."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def read_count(value) -> int | None:
    """A count of households, people or stairwells: a whole number of 0 or more (a text of digits too);
    None when blank. Anything else is a :class:`BadValue`."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value >= 0:
        return int(value)
    raise BadValue("fieldwork_bad_count", value=str(value))


def read_status(value) -> str:
    """ADDED, REMOVED or "" (blank); Chinese or English words accepted."""
    text = "" if is_blank(value) else str(value).strip()
    if text.lower() in _STATUS:
        return _STATUS[text.lower()]
    raise BadValue("fieldwork_bad_status", value=text)


def read_use(value) -> str | None:
    """A building use key of :data:`~gis_census.rules.BUILDING_USES`, from its key or its Chinese or English label;
    None when blank."""
    if is_blank(value):
        return None
    text = str(value).strip()
    for key in BUILDING_USES:
        if text.lower() in (key, tr("use_" + key, "zh"), tr("use_" + key, "en").lower()):
            return key
    raise BadValue("fieldwork_bad_use", value=text)


def read_text(value) -> str:
    """A text attribute ("" for blank)."""
    return "" if is_blank(value) else str(value).strip()
