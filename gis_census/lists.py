"""The area list (普查区域名单) and the per-small-area building list (建筑物清单), as .xlsx or .csv.

:func:`area_list` and :func:`building_list` return plain DataFrames with stable English
column keys; :func:`write_lists` translates the headers into the reader's language and
writes the file(s) atomically (a temporary file beside the target, then ``os.replace``). Texts from
the inputs are written so that a spreadsheet never evaluates them (see :mod:`gis_census.outputs`).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from gis_census.errors import CensusError
from gis_census.i18n import tr
from gis_census.outputs import atomic_files, csv_frame, display_width, xlsx_texts
from gis_census.project import CensusProject
from gis_census.rules import is_virtual

__all__ = ["AREA_COLUMNS", "BUILDING_COLUMNS", "area_list", "building_list", "write_lists"]

#: Columns of :func:`area_list`, in order; the header of each is the message ``lists_col_<key>``.
AREA_COLUMNS = [
    "county_code", "county_name", "township_code", "township_name", "village_code", "village_name", "district_code",
    "small_area_code", "seq", "virtual", "population", "households", "buildings", "supervisor_group",
]
#: Columns of :func:`building_list`, in order.
BUILDING_COLUMNS = ["small_area_code", "number", "address", "use", "households", "population"]

_CODE_COLUMNS = {"county_code", "township_code", "village_code", "district_code", "small_area_code", "seq"}
_TOTAL_COLUMNS = ("population", "households", "buildings")
_XLSX_MAX_ROWS = 1_048_576
_KNOWN_USES = {"residential", "commercial", "public", "factory", "school"}


def area_list(project: CensusProject) -> pd.DataFrame:
    """One row per small area (virtual ones included, ``virtual`` True), sorted by code.

    Columns (:data:`AREA_COLUMNS`): county_code (first 6 digits) and county_name (the project's
    county name when the codes agree, else ""), township_code (first 9 digits) and township_name (the
    project's name when the codes agree, else ""), village_code and village_name (through the
    district), district_code, small_area_code (15 digits), seq (its last 3 digits), virtual,
    population, households, buildings (buildings coded to the area), supervisor_group (0: none yet).
    """
    areas = project["small_areas"]
    codes = areas["code"].to_numpy(object)
    district = areas["district_code"].to_numpy(object)
    districts = project["districts"]
    village_of = dict(zip(districts["code"], districts["village_code"]))
    district_name = dict(zip(districts["code"], districts["name"]))
    village_name = dict(zip(project["villages"]["code"], project["villages"]["name"]))
    village = np.array([village_of.get(d) or d[:12] for d in district], dtype=object)
    township = np.array([(c or d)[:9] for c, d in zip(codes, district)], dtype=object)
    meta = project.meta
    seq = areas["seq"].to_numpy(object)
    virtual = is_virtual(seq, np.asarray(areas.geometry.array, dtype=object))
    counts = project["buildings"].groupby("small_area_code").size()
    county = (meta.county_code or meta.township_code[:6])
    frame = pd.DataFrame({
        "county_code": [t[:6] for t in township],
        "county_name": [meta.county_name if t[:6] == county else "" for t in township],
        "township_code": township,
        "township_name": [meta.township_name if t == meta.township_code else "" for t in township],
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
    })
    return frame.sort_values("small_area_code", kind="stable").reset_index(drop=True)


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


def write_lists(project: CensusProject, path: str | os.PathLike, lang: str | None = None) -> list[Path]:
    """Write the area list and the building list to `path`; return the files written.

    ``.xlsx``: one workbook, sheet 1 the area list (with a totals row), sheet 2 the building list.
    ``.csv``: `path` holds the area list and ``<stem>_buildings.csv`` beside it the building list,
    UTF-8 with a BOM. Headers are in `lang` (default: the current language). Raises CensusError
    (nothing written) for another extension, a missing folder, a project without small areas, or
    a failed write.
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".xlsx", ".csv"):
        raise CensusError("lists_bad_extension", path=str(path))
    if not path.parent.is_dir():
        raise CensusError("lists_folder_missing", path=str(path), folder=str(path.parent))
    areas = area_list(project)
    if areas.empty:
        raise CensusError("lists_no_small_areas", path=str(project.path or ""))
    buildings = building_list(project)
    if kind == ".csv":
        second = path.with_name(f"{path.stem}_buildings{path.suffix}")
        _atomic([(path, lambda tmp: _write_csv(_shown(areas, lang), tmp, lang)),
                 (second, lambda tmp: _write_csv(_shown(buildings, lang), tmp, lang))])
        return [path, second]
    if len(buildings) + 1 > _XLSX_MAX_ROWS:
        raise CensusError("lists_too_many_rows", path=str(path), n=len(buildings))
    _atomic([(path, lambda tmp: _write_xlsx(areas, buildings, tmp, lang))])
    return [path]


def _shown(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """`frame` as the reader sees it: virtual as a word, group 0 and unknown numbers blank, uses translated."""
    out = frame.copy()
    if "virtual" in out:
        out["virtual"] = np.where(out["virtual"], tr("lists_virtual_yes", lang), "")
    if "supervisor_group" in out:
        out["supervisor_group"] = out["supervisor_group"].astype(object).where(out["supervisor_group"] > 0, None)
    if "use" in out:
        words = {use: tr("lists_use_" + use, lang) for use in _KNOWN_USES}
        out["use"] = [words.get(use, use) for use in out["use"]]
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


def _write_xlsx(areas: pd.DataFrame, buildings: pd.DataFrame, tmp: Path, lang: str | None) -> None:
    """The workbook, written with xlsxwriter in constant-memory mode (each row goes to disk as it is complete).

    A county's workbook (200,000 buildings) takes 0.4 of the time of openpyxl's write-only mode, whose
    append was two thirds of its 13 s (``bench/io_bench.py``). The zip is built in memory and written in
    one go, so that a failed write is one OSError for the temporary file and no half-closed zip is left.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as book:
        totals = {c: int(areas[c].sum()) for c in _TOTAL_COLUMNS}
        _sheet(book, tr("lists_sheet_areas", lang), _shown(areas, lang), lang, totals)
        _sheet(book, tr("lists_sheet_buildings", lang), _shown(buildings, lang), lang, None)
    with open(tmp, "wb") as fh:
        fh.write(buffer.getbuffer())


def _sheet(book, title: str, frame: pd.DataFrame, lang: str | None, totals: dict | None) -> None:
    """One sheet: bold frozen header with a filter, codes as text, numbers as numbers, optional totals row.

    Every text is a string cell (:func:`xlsx_texts`), never a formula, whatever it begins with.
    """
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
    cells, quoted = zip(*(_column(frame[c], quote[code]) for c, code in zip(columns, codes)))
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, row in enumerate(zip(*cells), 1):
        for i, value in enumerate(row):
            if isinstance(value, str):
                write_string(r, i, value, quoted[i].get(r))
            elif value is not None:
                write_number(r, i, value)
    if totals:
        r = len(frame) + 1
        write_string(r, 0, tr("lists_total", lang), bold)
        for i, column in enumerate(columns):
            if column in totals:
                write_number(r, i, totals[column], bold)


def _column(series: pd.Series, quote) -> tuple[list, dict]:
    """The cells of one column (texts as written, numbers, None for a blank) and {row: `quote`} for its formula-like texts."""
    if is_numeric_dtype(series.dtype):
        return series.tolist(), {}
    cells = series.astype(object).where(series.notna(), None).tolist()
    at = [i for i, value in enumerate(cells) if isinstance(value, str)]
    texts, formulas = xlsx_texts([cells[i] for i in at])
    for i, text in zip(at, texts):
        cells[i] = text or None  # an empty text is a blank cell
    return cells, {at[k] + 1: quote for k in formulas}
