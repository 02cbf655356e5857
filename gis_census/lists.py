"""The area list (普查区域名单) and the per-small-area building list (建筑物清单), as .xlsx or .csv.

:func:`area_list` and :func:`building_list` return plain DataFrames with stable English
column keys; :func:`write_lists` translates the headers into the reader's language and
writes the file(s) atomically (a temporary file beside the target, then ``os.replace``). Texts from
the inputs are written so that a spreadsheet never evaluates them (see :mod:`gis_census.outputs`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from gis_census.errors import CensusError
from gis_census.i18n import tr
from gis_census.outputs import atomic_files, csv_frame, display_width, xlsx_texts
from gis_census.project import CensusProject
from gis_census.project.meta import COUNTY_KEY
from gis_census.rules import BUILDING_USES, is_virtual

if TYPE_CHECKING:  # the lists verb does not pay for importing the divider
    from gis_census.divide.update import UpdateReport

__all__ = ["AREA_COLUMNS", "BUILDING_COLUMNS", "RENUMBERING_COLUMNS", "area_list", "area_subtotals", "building_list", "write_lists",
           "checked_list_path", "renumbering_list", "write_renumbering", "write_table"]

#: Columns of :func:`area_list`, in order; the header of each is the message ``lists_col_<key>``.
AREA_COLUMNS = [
    "county_code", "county_name", "township_code", "township_name", "village_code", "village_name", "district_code",
    "small_area_code", "seq", "virtual", "population", "households", "buildings", "supervisor_group",
    "urban_rural", "district_seq", "district_kind", "notes",
]
#: Columns of :func:`building_list`, in order.
BUILDING_COLUMNS = ["small_area_code", "number", "address", "use", "households", "population"]
#: Columns of :func:`area_subtotals`, in order.
SUBTOTAL_COLUMNS = ["level", "township_code", "township_name", "village_code", "village_name", "urban_rural", "small_areas",
                    "virtual_areas", "population", "households", "buildings", "notes"]
#: Columns of :func:`renumbering_list`, in order.
RENUMBERING_COLUMNS = ["change", "building_id", "old_name", "new_name"]

_CODE_COLUMNS = {"county_code", "township_code", "village_code", "urban_rural", "district_code", "small_area_code", "seq",
                 "old_codes", "new_codes"}
_TOTAL_COLUMNS = ("population", "households", "buildings")
_XLSX_MAX_ROWS = 1_048_576
#: Excel reads _xHHHH_ in a text as the character U+HHHH: one meant literally has its underscore escaped (_x005F).
_EXCEL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
#: Rows of a sheet rendered at a time, so that memory stays flat (a county's workbook: 20 MB at its peak, not 320).
_CHUNK_ROWS = 10_000


def area_list(project: CensusProject) -> pd.DataFrame:
    """One row per small area (virtual ones included, ``virtual`` True), sorted by code.

    Columns (:data:`AREA_COLUMNS`): county_code (first 6 digits) and county_name (the project's
    county name when the codes agree, else ""), township_code (first 9 digits) and township_name (the
    project's name when the codes agree, else ""), village_code and village_name (through the
    district), district_code, small_area_code (15 digits), seq (its last 3 digits), virtual, population,
    households, buildings (buildings coded to the area), supervisor_group (0: none yet), then the village's
    urban_rural class (城乡划分代码, "" when not known), district_seq (the district's number in its village, 0 for
    a village's only district of an older project), district_kind (a special district's kind, "" else) and notes
    (a virtual area's reason).
    """
    areas = project["small_areas"]
    codes = areas["code"].to_numpy(object)
    district = areas["district_code"].to_numpy(object)
    districts = project["districts"]
    village_of = dict(zip(districts["code"], districts["village_code"]))
    district_name = dict(zip(districts["code"], districts["name"]))
    village_name = dict(zip(project["villages"]["code"], project["villages"]["name"]))
    urban_rural = dict(zip(project["villages"]["code"], project["villages"]["urban_rural"]))
    district_seq = dict(zip(districts["code"], districts["seq"]))
    district_kind = dict(zip(districts["code"], districts["kind"]))
    village = np.array([village_of.get(d) or d[:12] for d in district], dtype=object)
    township = np.array([(c or d)[:9] for c, d in zip(codes, district)], dtype=object)
    meta = project.meta
    township_names = {meta.township_code: meta.township_name} | _county_townships(project)
    seq = areas["seq"].to_numpy(object)
    virtual = is_virtual(seq, np.asarray(areas.geometry.array, dtype=object))
    counts = project["buildings"].groupby("small_area_code").size()
    county = (meta.county_code or meta.township_code[:6])
    frame = pd.DataFrame({
        "county_code": [t[:6] for t in township],
        "county_name": [meta.county_name if t[:6] == county else "" for t in township],
        "township_code": township,
        "township_name": [township_names.get(t, "") for t in township],
        "village_code": village,
        "village_name": [village_name.get(v) or district_name.get(d, "") for v, d in zip(village, district)],
        "district_code": district,
        "small_area_code": codes,
        "seq": seq,
        "virtual": virtual,
        "population": areas["population"].to_numpy(np.int64),
        "households": areas["households"].to_numpy(np.int64),
        "buildings": counts.reindex(pd.Index(codes, dtype=object), fill_value=0).to_numpy(np.int64),
        "supervisor_group": areas["supervisor_group"].to_numpy(np.int64),
        "urban_rural": [urban_rural.get(v, "") for v in village],
        "district_seq": np.array([district_seq.get(d, 0) for d in district], dtype=np.int64),
        "district_kind": [district_kind.get(d, "") for d in district],
        "notes": areas["notes"].to_numpy(object),
    })
    return frame.sort_values("small_area_code", kind="stable").reset_index(drop=True)


def _county_townships(project: CensusProject) -> dict[str, str]:
    """Township code -> name in a merged county project (its `county_townships` record), else none."""
    try:
        return {t["code"]: t["name"] for t in json.loads(project.stored_meta.get(COUNTY_KEY) or "[]")}
    except (ValueError, TypeError, KeyError):
        return {}


def area_subtotals(areas: pd.DataFrame) -> pd.DataFrame:
    """Subtotals of an :func:`area_list`: a row per township, followed by a row per of its villages (``level``
    "township" or "village"), with their small areas (virtual ones also counted apart), people, households and
    buildings; a village's urban–rural class, and its virtual areas' notes."""
    rows = []
    for (township, township_name), in_township in areas.groupby(["township_code", "township_name"], sort=True):
        rows.append(_subtotal("township", in_township, township, township_name, "", "", "", ""))
        for (village, village_name), in_village in in_township.groupby(["village_code", "village_name"], sort=True):
            notes = "; ".join(n for n in in_village["notes"] if n)
            rows.append(_subtotal("village", in_village, township, township_name, village, village_name,
                                  in_village["urban_rural"].iloc[0], notes))
    return pd.DataFrame(rows, columns=SUBTOTAL_COLUMNS)


def _subtotal(level: str, areas: pd.DataFrame, township: str, township_name: str, village: str, village_name: str,
              urban_rural: str, notes: str) -> list:
    return [level, township, township_name, village, village_name, urban_rural, len(areas), int(areas["virtual"].sum()),
            int(areas["population"].sum()), int(areas["households"].sum()), int(areas["buildings"].sum()), notes]


def building_list(project: CensusProject) -> pd.DataFrame:
    """The buildings that belong to a small area, by area code then building number.

    Columns (:data:`BUILDING_COLUMNS`): small_area_code, number, address, use, households, population.
    """
    b = project["buildings"]
    b = b[b["small_area_code"] != ""]
    frame = pd.DataFrame({
        "small_area_code": b["small_area_code"].to_numpy(object),
        "number": b["number"].to_numpy(np.int64),
        "address": b["address"].to_numpy(object),
        "use": b["use"].to_numpy(object),
        "households": b["households"].to_numpy(np.int64),
        "population": b["population"].to_numpy(np.int64),
        "_id": b["id"].to_numpy(np.int64),
    })
    frame = frame.sort_values(["small_area_code", "number", "_id"], kind="stable")
    return frame.drop(columns="_id").reset_index(drop=True)


def write_lists(project: CensusProject, path: str | os.PathLike, lang: str | None = None,
                subtotals: bool = False) -> list[Path]:
    """Write the area list and the building list to `path`; return the files written.

    ``.xlsx``: one workbook, sheet 1 the area list (with a totals row), sheet 2 the building list.
    ``.csv``: `path` holds the area list and ``<stem>_buildings.csv`` beside it the building list,
    UTF-8 with a BOM. With `subtotals` (the county's list sent upward), the :func:`area_subtotals` come first: the
    workbook's first sheet (with a totals row), or ``<stem>_subtotals.csv``. Headers are in `lang` (default: the
    current language). Raises CensusError (nothing written) for another extension, a missing folder, a project
    without small areas, or a failed write.
    """
    path = checked_list_path(path)
    kind = path.suffix.lower()
    areas = area_list(project)
    if areas.empty:
        raise CensusError("lists_no_small_areas", path=str(project.path or ""))
    buildings = building_list(project)
    sums = area_subtotals(areas) if subtotals else None
    if kind == ".csv":
        second = path.with_name(f"{path.stem}_buildings{path.suffix}")
        jobs = [(path, lambda tmp: _write_csv(_shown(areas, lang), tmp, lang)),
                (second, lambda tmp: _write_csv(_shown(buildings, lang), tmp, lang))]
        if sums is not None:
            third = path.with_name(f"{path.stem}_subtotals{path.suffix}")
            jobs.append((third, lambda tmp: _write_csv(_shown(sums, lang), tmp, lang)))
        _atomic(jobs)
        return [path, second] + ([third] if sums is not None else [])
    if len(buildings) + 1 > _XLSX_MAX_ROWS:
        raise CensusError("lists_too_many_rows", path=str(path), n=len(buildings))
    _atomic([(path, lambda tmp: _write_xlsx(areas, buildings, tmp, lang, sums))])
    return [path]


def checked_list_path(path: str | os.PathLike) -> Path:
    """`path` as a list's file: refused (CensusError) unless it ends in .xlsx or .csv and its folder exists."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise CensusError("lists_bad_extension", path=str(path))
    if not path.parent.is_dir():
        raise CensusError("lists_folder_missing", path=str(path), folder=str(path.parent))
    return path


def renumbering_list(report: UpdateReport, lang: str | None = None) -> pd.DataFrame:
    """The renumbering list of a division update, one row per change (columns :data:`RENUMBERING_COLUMNS`):
    the areas new, gone or with a new boundary (their maps to print again), then every building whose
    name changed, old name → new name (:func:`~gis_census.rules.building_name`)."""
    rows: list[tuple[str, int | None, str, str]] = [
        (tr("update_area_" + a.kind, lang), None, "" if a.kind == "new" else a.code, "" if a.kind == "gone" else a.code)
        for a in report.areas]
    word = tr("update_building", lang)
    rows += [(word, b.building_id, b.old_name, b.new_name) for b in report.buildings]
    return pd.DataFrame(rows, columns=RENUMBERING_COLUMNS).astype(object)


def write_renumbering(report: UpdateReport, path: str | os.PathLike, lang: str | None = None) -> Path:
    """Write :func:`renumbering_list` to `path` (.xlsx or .csv, refused as by :func:`checked_list_path`), safe to
    open: every name a text cell, never a formula (:mod:`gis_census.outputs`); written atomically."""
    return write_table(renumbering_list(report, lang), path, tr("renumbered_sheet", lang), lang)


def write_table(frame: pd.DataFrame, path: str | os.PathLike, title: str, lang: str | None = None) -> Path:
    """Write `frame` to `path` (.xlsx: one sheet called `title`; .csv), refused as by :func:`checked_list_path`;
    its header the messages ``lists_col_<column>`` in `lang`, codes as text, never a formula
    (:mod:`gis_census.outputs`); written atomically."""
    path = checked_list_path(path)
    if path.suffix.lower() == ".csv":
        _atomic([(path, lambda tmp: _write_csv(frame, tmp, lang))])
    else:
        _atomic([(path, lambda tmp: _write_one_sheet(frame, title, tmp, lang))])
    return path


def _write_one_sheet(frame: pd.DataFrame, title: str, tmp: Path, lang: str | None) -> None:
    """A workbook of one sheet holding `frame` (:func:`_sheet`, no totals)."""
    import xlsxwriter

    buffer = io.BytesIO()
    with tempfile.TemporaryFile() as rows:
        with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as book:
            cells = _sheet(book, title, frame, lang, None, rows)
        workbook = _spliced(buffer, [(rows, cells)])
    with open(tmp, "wb") as fh:
        fh.write(workbook)


def _shown(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """`frame` as the reader sees it: virtual as a word, group 0 and unknown numbers blank, uses translated."""
    out = frame.copy()
    if "virtual" in out:
        out["virtual"] = np.where(out["virtual"], tr("lists_virtual_yes", lang), "")
    if "supervisor_group" in out:
        out["supervisor_group"] = out["supervisor_group"].astype(object).where(out["supervisor_group"] > 0, None)
    if "district_seq" in out:
        out["district_seq"] = out["district_seq"].astype(object).where(out["district_seq"] > 0, None)
    if "level" in out:
        out["level"] = [tr("lists_level_" + level, lang) for level in out["level"].tolist()]
    if "use" in out:
        words = {use: tr("use_" + use, lang) for use in BUILDING_USES}
        out["use"] = [words.get(use, use) for use in out["use"].tolist()]
    return out


def _header(frame: pd.DataFrame, lang: str | None) -> list[str]:
    return [tr("lists_col_" + c, lang) for c in frame.columns]


def _atomic(jobs: list[tuple[Path, Callable[[Path], None]]]) -> None:
    """Run each job on a temporary file beside its target, then rename them all into place (:func:`atomic_files`).

    A failed write (a full disk above all) names the file and the free space; no temporary file is left.
    """
    with atomic_files() as temp_for:
        for target, write in jobs:
            write(temp_for(target))


def _write_csv(frame: pd.DataFrame, tmp: Path, lang: str | None) -> None:
    """UTF-8 with a BOM, texts quoted; a text a spreadsheet would evaluate gets a leading ' (csv_frame)."""
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        csv_frame(frame).to_csv(fh, index=False, header=_header(frame, lang), quoting=csv.QUOTE_NONNUMERIC,
                                lineterminator="\r\n")


def _write_xlsx(areas: pd.DataFrame, buildings: pd.DataFrame, tmp: Path, lang: str | None,
                sums: pd.DataFrame | None = None) -> None:
    """The workbook: xlsxwriter writes each sheet's frame (header, columns, filter, totals) and the styles; the
    data rows, rendered a column at a time (:func:`_rows`), are spliced into its sheets (:func:`_spliced`).

    xlsxwriter's constant-memory mode wrote the same cells one at a time, 85 % of a county's 6.6 s
    (``bench/io_bench.py``; now 1.5 s); as there, the rows wait in a temporary file. The zip is built in
    memory and written in one go, so that a failed write is one OSError for the temporary file and no
    half-closed zip is left.
    """
    import xlsxwriter

    totals = {c: int(areas[c].sum()) for c in _TOTAL_COLUMNS}
    sheets = [(tr("lists_sheet_areas", lang), areas, totals), (tr("lists_sheet_buildings", lang), buildings, None)]
    if sums is not None:  # first: what the county reports upward, the detail after it
        townships = sums[sums["level"] == "township"]
        sheets.insert(0, (tr("lists_sheet_subtotals", lang), sums,
                          {c: int(townships[c].sum()) for c in ("small_areas", "virtual_areas", *_TOTAL_COLUMNS)}))
    buffer = io.BytesIO()
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(tempfile.TemporaryFile()) for _ in sheets]
        with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as book:
            cells = [_sheet(book, title, _shown(frame, lang), lang, sheet_totals, rows)
                     for (title, frame, sheet_totals), rows in zip(sheets, files)]
        workbook = _spliced(buffer, list(zip(files, cells)))
    with open(tmp, "wb") as fh:
        fh.write(workbook)


def _sheet(book, title: str, frame: pd.DataFrame, lang: str | None, totals: dict | None, rows: BinaryIO) -> str:
    """One sheet: bold frozen header with a filter, codes as text, numbers as numbers, optional totals row.

    xlsxwriter writes all but the data rows, which go to the file `rows` (:func:`_rows`); returns the sheet's
    dimension ("A1:F9"), for :func:`_spliced`.
    """
    from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

    sheet = book.add_worksheet(title)
    header = _header(frame, lang)
    columns = list(frame.columns)
    text, bold = book.add_format({"num_format": "@"}), book.add_format({"bold": True})
    # Excel's quote prefix on a formula-like text, in a code column with the text format too
    quote = {False: book.add_format({"quote_prefix": True}), True: book.add_format({"num_format": "@", "quote_prefix": True})}
    codes = [c in _CODE_COLUMNS for c in columns]
    for i, column in enumerate(columns):
        sample = frame[column].head(2000).astype(str).tolist()
        width = max([display_width(header[i])] + [display_width(v) for v in sample if v != "None"])
        # at 7 pixels a character the file stores the width as given, as openpyxl did; a code column is
        # text as a whole, so a code typed in later keeps its digits too
        sheet.set_column_pixels(i, i, 7 * min(max(width + 2, 8), 60), text if codes[i] else None)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    for i, name in enumerate(header):
        sheet.write_string(0, i, name, bold)
    last = len(frame) + 1
    if totals:
        sheet.write_string(last, 0, tr("lists_total", lang), bold)
        for i, column in enumerate(columns):
            if column in totals:
                sheet.write_number(last, i, totals[column], bold)
    # rendered last: the totals row sent the header row out, so bold is numbered before text, as xlsxwriter did
    letters = [xl_col_to_name(i) for i in range(len(columns))]
    formats = [(text if code else None, quote[code]) for code in codes]
    for start in range(0, len(frame), _CHUNK_ROWS):
        rows.write(_rows(frame.iloc[start:start + _CHUNK_ROWS], start + 2, letters, formats).encode())
    return f"A1:{letters[-1]}{last + 1 if totals else last}"


def _rows(frame: pd.DataFrame, first: int, letters: list[str], formats: list[tuple]) -> str:
    """The `<row>` elements of `frame`'s rows, numbered from `first`.

    `letters` names the columns, `formats` holds each column's (format, quote format) (:func:`_cells`).
    """
    numbers = [str(r) for r in range(first, first + len(frame))]
    columns = [_cells(frame[c], letter, numbers, *formats[i]) for i, (c, letter) in enumerate(zip(frame.columns, letters))]
    return "".join(map("".join, zip([f'<row r="{r}">' for r in numbers], *columns, itertools.repeat("</row>"))))


def _cells(series: pd.Series, letter: str, rows: list[str], column_format, quote) -> list[str]:
    """The `<c>` elements of one column (`letter`), one a row ("" for a blank), as xlsxwriter writes them.

    Numbers are number cells and every text an inline string cell (:func:`xlsx_texts`, :func:`_inline`),
    never a formula, whatever it begins with; a cell takes the column's format, a formula-like text the
    format `quote` (Excel's quote prefix) instead.
    """
    s = _style(column_format)
    if is_numeric_dtype(series.dtype):
        return [f'<c r="{letter}{r}"{s}><v>{v:.16G}</v></c>' for r, v in zip(rows, series.tolist())]
    values = series.astype(object).where(series.notna(), None).tolist()
    cells = ["" if v is None or isinstance(v, str) else f'<c r="{letter}{r}"{s}><v>{v:.16G}</v></c>'
             for r, v in zip(rows, values)]
    at = [i for i, v in enumerate(values) if isinstance(v, str)]
    texts, formulas = xlsx_texts([values[i] for i in at])
    styles = [s] * len(texts)
    if formulas:
        quoted = _style(quote)
        for k in formulas:
            styles[k] = quoted
    for i, t, style in zip(at, _inline(texts), styles):
        if t:  # an empty text is a blank cell
            cells[i] = f'<c r="{letter}{rows[i]}"{style} t="inlineStr"><is>{t}</is></c>'
    return cells


def _style(cell_format) -> str:
    """The ` s="n"` attribute of a cell in `cell_format` (None: the default, no attribute)."""
    return f' s="{cell_format._get_xf_index()}"' if cell_format else ""  # xlsxwriter numbers a format when first used


def _inline(texts: list[str]) -> list[str]:
    """The `<t>` elements of `texts` ("" for an empty text), escaped as xlsxwriter escapes an inline string.

    XML's & < >, and Excel's own escape _xHHHH_ when a text holds one literally; xml:space="preserve"
    keeps a leading or trailing space. The texts come from :func:`xlsx_texts`, so none holds a NUL.
    """
    joined = "\0".join(texts)
    if any(mark in joined for mark in ("&", "<", ">", "_x", "\ufffe", "\uffff")):
        joined = _EXCEL_ESCAPE.sub(r"_x005F\1", joined).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        texts = joined.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_").split("\0")
    return [(f"<t>{t}</t>" if t == t.strip() else f'<t xml:space="preserve">{t}</t>') if t else "" for t in texts]


def _spliced(book: io.BytesIO, sheets: Sequence[tuple[BinaryIO, str]]) -> memoryview:
    """The xlsx `book` with each sheet's rows put after its header row (its first `</row>`) and its dimension set.

    `sheets` holds each sheet's (rows file, dimension), in order (:func:`_sheet`); the other parts are copied as they are.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            sheet = _SHEET_PART.fullmatch(info.filename)
            if not sheet:
                target.writestr(info, data)
                continue
            rows, dimension = sheets[int(sheet[1]) - 1]
            head, end, tail = data.partition(b"</row>")
            with target.open(info, "w") as part:
                part.write(_DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), head, count=1) + end)
                rows.seek(0)
                shutil.copyfileobj(rows, part)
                part.write(tail)
    return out.getbuffer()
