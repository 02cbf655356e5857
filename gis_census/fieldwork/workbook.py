"""The household register (户主姓名底册) of a small area: written prefilled with its buildings, read back after the walk.

One sheet, named by the small area's code, one row per building (编号, 建筑物, 门牌地址, recorded 户数, 人数,
单元数) and blank columns for the walk (户主姓名, 摸底户数, 摸底人数, 新增/拆除, 备注). The enumerator writes one
row per household, repeating the building's number: the rows of a building add up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gis_census.errors import Finding
from gis_census.fieldwork.values import ADDED, REMOVED, BadValue, CellFinding, is_blank, read_count, read_status
from gis_census.i18n import tr
from gis_census.outputs import formula_like, xlsx_texts
from gis_census.rules import building_name

__all__ = ["COLUMNS", "RegisterRow", "write_register", "read_register"]

#: The register's columns in order, each headed by the message ``fieldwork_col_<key>``; the last five are the walk's.
COLUMNS = ("number", "name", "address", "households", "population", "units",
           "head", "walk_households", "walk_population", "status", "notes")
_WIDTHS = {"number": 6, "name": 22, "address": 30, "households": 7, "population": 7, "units": 7,
           "head": 14, "walk_households": 9, "walk_population": 9, "status": 10, "notes": 24}
_COUNTS = ("households", "population", "units", "walk_households", "walk_population")


@dataclass(frozen=True)
class RegisterRow:
    """One filled row of a register: building `number` of small area `small_area` (the sheet's name), and what
    the walk wrote (None where blank). `sheet`, `row` and `headers` (column key -> header text) locate it."""

    file: str
    sheet: str
    row: int
    small_area: str
    number: int | None
    units: int | None
    walk_households: int | None
    walk_population: int | None
    status: str
    headers: dict

    def fault(self, key: str, column: str = "", **params) -> Finding:
        """The finding `key` at this row (and `column`, a column key)."""
        return CellFinding(key, file=self.file, params=params, sheet=self.sheet, row=self.row,
                           column=self.headers.get(column, ""))


def write_register(code: str, buildings: pd.DataFrame, path: str | os.PathLike, lang: str | None = None) -> None:
    """Write the register of small area `code` to `path` (.xlsx): `buildings` are its buildings (columns number,
    id, address, households, population, units), written in number order.

    Codes and names are text cells; a text from the data that a spreadsheet would take for a formula is written
    as text with the quote prefix; the header is frozen and filtered; counts accept whole numbers only.
    """
    import xlsxwriter

    rows = buildings.sort_values("number", kind="stable")
    names = [building_name(code, n, i) for n, i in zip(rows["number"], rows["id"])]
    addresses, _ = xlsx_texts([str(a) for a in rows["address"]])
    with xlsxwriter.Workbook(str(path)) as book:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text = book.add_format({"num_format": "@"})
        quoted = book.add_format({"num_format": "@", "quote_prefix": True})
        sheet = book.add_worksheet(code)
        for col, key in enumerate(COLUMNS):
            sheet.write_string(0, col, tr("fieldwork_col_" + key, lang), bold)
            sheet.set_column(col, col, _WIDTHS[key], text if key in ("name", "address", "head", "status", "notes") else None)
        for r, (number, name, address, hh, pop, units) in enumerate(
                zip(rows["number"], names, addresses, rows["households"], rows["population"], rows["units"]), start=1):
            sheet.write_number(r, 0, int(number))
            sheet.write_string(r, 1, name, text)
            sheet.write_string(r, 2, address, quoted if formula_like(address) else text)
            for col, value in ((3, hh), (4, pop), (5, units)):
                sheet.write_number(r, col, int(value))
        last = max(len(rows), 1) + 200  # room for a row per household
        for key in _COUNTS:
            col = COLUMNS.index(key)
            sheet.data_validation(1, col, last, col, {"validate": "integer", "criteria": ">=", "value": 0})
        status = COLUMNS.index("status")
        sheet.data_validation(1, status, last, status, {"validate": "list", "source": [ADDED, REMOVED]})
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.repeat_rows(0)
        sheet.fit_to_pages(1, 0)
        sheet.set_header("&C" + tr("fieldwork_sheet_title", lang) + " " + code)


def read_register(path: str | os.PathLike) -> tuple[list[RegisterRow], list[Finding]]:
    """The filled rows of every sheet of the register at `path`, and the faults found reading it.

    A row with a number and nothing else is kept (its stairwell count may have changed); a row with walk
    entries but no number is a fault; a row with nothing is skipped.
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [Finding("fieldwork_file_unreadable", file=str(path), params={"reason": f"{type(exc).__name__}: {exc}"})]
    rows: list[RegisterRow] = []
    faults: list[Finding] = []
    try:
        for sheet in book.worksheets:
            _read_sheet(path, sheet, rows, faults)
    finally:
        book.close()
    return rows, faults


def _read_sheet(path: Path, sheet, rows: list[RegisterRow], faults: list[Finding]) -> None:
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, None) or ()
    at = _columns(header)
    headers = {key: str(header[i]).strip() for key, i in at.items()}
    if "number" not in at:
        faults.append(CellFinding("fieldwork_no_header", file=str(path), sheet=sheet.title, row=1,
                                  params={"sheet": sheet.title, "column": tr("fieldwork_col_number")}))
        return
    for r, values in enumerate(cells, start=2):
        got: dict = {}
        bad = []
        for key in ("number", "units", "walk_households", "walk_population", "status"):
            value = values[at[key]] if key in at and at[key] < len(values) else None
            try:
                got[key] = read_status(value) if key == "status" else read_count(value)
            except BadValue as exc:
                bad.append(CellFinding(exc.key, file=str(path), params=exc.params, sheet=sheet.title, row=r, column=headers[key]))
        if bad:
            faults += bad
            continue
        walk = [got[k] for k in ("walk_households", "walk_population")] + [got["status"] or None]
        if got["number"] is None:
            if any(v is not None for v in walk):
                faults.append(CellFinding("fieldwork_blank_number", file=str(path), sheet=sheet.title, row=r,
                                          column=headers["number"]))
            continue
        rows.append(RegisterRow(str(path), sheet.title, r, sheet.title.strip(), got["number"], got["units"],
                                got["walk_households"], got["walk_population"], got["status"], headers))


def _columns(header) -> dict[str, int]:
    """Column key -> position, for the headers in row 1 (Chinese or English)."""
    names: dict[str, str] = {}
    for key in COLUMNS:
        for lang in ("zh", "en"):
            names[tr("fieldwork_col_" + key, lang).lower()] = key
    at: dict[str, int] = {}
    for i, value in enumerate(header):
        key = "" if is_blank(value) else names.get(str(value).strip().lower(), "")
        if key and key not in at:
            at[key] = i
    return at
