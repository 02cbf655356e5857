"""Values typed into an edit: a feature's key and a field's new value, as the schema's types, or EditError."""

from __future__ import annotations

import numbers

from gis_census.editing.edit import EditError

__all__ = ["as_key", "checked_value"]


def as_key(key, kind: str):
    """`key` as a key of kind `kind` ("str" or an integer dtype); None when it cannot be one."""
    if kind == "str":
        return str(key)
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


def checked_value(value, kind: str, where: dict):
    """`value` as the field's type, or EditError naming layer, feature and field (`where`)."""
    if kind == "str":
        if value is None:
            return ""
        if not isinstance(value, str):
            raise EditError("edit_wrong_type_str", **where, value=str(value))
        return value
    number = None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        number = int(float(value))
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number is None:
        raise EditError("edit_wrong_type_int", **where, value=str(value))
    if number < 0:
        raise EditError("edit_negative", **where, value=str(number))
    return number
