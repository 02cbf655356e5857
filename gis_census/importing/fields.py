"""Find attribute fields by their common names and parse codes and counts, reporting bad values."""

from __future__ import annotations

import re
from typing import Literal, overload

import numpy as np
import pandas as pd

from gis_census.errors import Finding, InputError
from gis_census.importing.reading import Source

__all__ = ["FIELD_CANDIDATES", "find_field", "parse_codes", "parse_counts", "text_values", "feature_label"]

#: Field names tried, in order, when the user names none (case-insensitive after exact).
FIELD_CANDIDATES: dict[str, tuple[str, ...]] = {
    "code": ("CODE", "code", "DM", "XZQDM", "QHDM"),
    "name": ("NAME", "name", "MC", "XZQMC"),
    "population": ("POP", "population", "RK", "RKS"),
    "households": ("HH", "households", "HS"),
    "units": ("UNITS", "units", "DYS", "DY"),  # stairwells (单元) of a building, 0 when not recorded
    "address": ("ADDRESS", "address", "DZ", "ADDR"),
    "id": ("ID", "id", "BM"),
    "use": ("USE", "use", "YT"),
    "kind": ("KIND", "kind", "TYPE", "LX"),
    # a village's urban–rural class (城乡划分代码, 3 digits), optional
    "urban_rural": ("CXFL", "CXDM", "CXFLDM", "城乡分类", "城乡划分代码", "城乡分类代码", "URBAN_RURAL", "urban_rural"),
}


# Counts above this are typing slips, not people (and would overflow 32-bit readers).
_MAX_COUNT = 2**31 - 1


@overload
def find_field(source: Source, role: str, explicit: str | None = None, required: Literal[True] = True) -> str: ...
@overload
def find_field(source: Source, role: str, explicit: str | None = None, *, required: bool) -> str | None: ...
def find_field(source: Source, role: str, explicit: str | None = None, required: bool = True) -> str | None:
    """The column of `source` holding `role` ("code", "population", ...), or None if optional and absent."""
    columns = [c for c in source.gdf.columns if c != source.gdf.geometry.name]
    if explicit:
        if explicit in columns:
            return explicit
        raise InputError(
            "field_not_found", file=str(source.path), layer=source.layer, field=explicit, fields=", ".join(columns)
        )
    candidates = FIELD_CANDIDATES[role]
    for name in candidates:
        if name in columns:
            return name
    lowered = {c.lower(): c for c in columns}
    for name in candidates:
        if name.lower() in lowered:
            return lowered[name.lower()]
    if not required:
        return None
    raise InputError(
        "field_missing",
        file=str(source.path),
        layer=source.layer,
        role=role,
        candidates="/".join(candidates),
        fields=", ".join(columns),
    )


def feature_label(source: Source, fid, label: str = "") -> str:
    """How a feature is named in messages: its FID and, when known, its code or name."""
    return f"#{fid}" + (f" ({label})" if label else "")


def text_values(source: Source, field: str | None) -> pd.Series:
    """The column as stripped text ("" where empty); all "" when `field` is None."""
    if field is None:
        return pd.Series("", index=source.gdf.index, dtype=object)
    values = source.gdf[field]
    if pd.api.types.is_float_dtype(values):
        values = values.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(object)


def parse_codes(source: Source, field: str, digits: int, labels: pd.Series | None = None) -> tuple[pd.Series, list[Finding]]:
    """Codes of `digits` digits as text, with findings for missing, malformed and duplicated ones."""
    codes = text_values(source, field)
    findings = []
    pattern = re.compile(rf"^\d{{{digits}}}$")
    for fid, code in codes.items():
        label = feature_label(source, fid, "" if labels is None else labels[fid])
        if not code:
            findings.append(Finding("code_missing", **source.where(label, field)))
        elif not pattern.match(code):
            findings.append(Finding("code_malformed", **source.where(label, field), params={"code": code, "digits": digits}))
    present = codes[codes != ""]
    for code, group in present.groupby(present).groups.items():
        if len(group) > 1:
            fids = ", ".join(f"#{fid}" for fid in group)
            findings.append(Finding("code_duplicate", **source.where(fids, field), params={"code": code}))
    return codes, findings


def parse_counts(source: Source, field: str | None, labels: pd.Series) -> tuple[pd.Series, list[Finding], int]:
    """Whole non-negative numbers (population, households), findings, and how many were empty (taken as 0)."""
    if field is None:
        return pd.Series(0, index=source.gdf.index, dtype="int64"), [], 0
    raw = source.gdf[field]
    if pd.api.types.is_bool_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
        raise InputError(
            "field_wrong_type", file=str(source.path), layer=source.layer, field=field, dtype=str(raw.dtype)
        )
    text = raw.astype(object).where(raw.notna(), None)
    empty = text.isna() | (text.astype(str).str.strip() == "")
    numbers = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    numbers = numbers.where(np.isfinite(numbers))
    findings = []
    for fid in source.gdf.index[~empty & numbers.isna()]:
        findings.append(Finding("count_not_number", **source.where(feature_label(source, fid, labels[fid]), field), params={"value": raw[fid]}))
    valid = numbers.notna()
    for fid in source.gdf.index[valid & (numbers < 0)]:
        findings.append(Finding("count_negative", **source.where(feature_label(source, fid, labels[fid]), field), params={"value": raw[fid]}))
    fractional = valid & (numbers >= 0) & (np.floor(numbers.fillna(0)) != numbers.fillna(0))
    for fid in source.gdf.index[fractional]:
        findings.append(Finding("count_not_whole", **source.where(feature_label(source, fid, labels[fid]), field), params={"value": raw[fid]}))
    for fid in source.gdf.index[valid & (numbers > _MAX_COUNT)]:
        findings.append(Finding("count_too_large", **source.where(feature_label(source, fid, labels[fid]), field),
                                params={"value": raw[fid], "limit": _MAX_COUNT}))
    numbers = numbers.where(numbers.abs() <= _MAX_COUNT)
    return numbers.fillna(0).astype("int64"), findings, int(empty.sum())
