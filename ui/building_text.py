"""How a building is named and its use is worded in the interface (the engine's messages, in the current language)."""

from __future__ import annotations

import pandas as pd

from gis_census.i18n import current_language, tr
from gis_census.messages import MESSAGES
from gis_census.rules import SPECIAL_USES, building_name

__all__ = ["use_label", "building_title"]


def use_label(use: str) -> str:
    """The use `use` as read, a special unit marked: "学校（特殊单位）"; an unknown key shown as it is."""
    use = str(use or "")
    text = tr("use_" + use) if "use_" + use in MESSAGES else use
    if use not in SPECIAL_USES:
        return text
    return f"{text}（{tr('special_unit')}）" if current_language() == "zh" else f"{text} ({tr('special_unit')})"


def building_title(row: pd.Series) -> str:
    """The one name of the building `row` (:func:`gis_census.rules.building_name`)."""
    return building_name(str(row.get("small_area_code") or ""), int(row.get("number") or 0), int(row["id"]))
