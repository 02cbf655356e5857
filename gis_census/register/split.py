"""The register split by small area (根据普查小区划分情况对数据资料进行切分): one workbook per small area for its
enumerator, and the rows not placed in one of their own for the office.

A small area's workbook holds the register rows of its buildings in building-number order, the area's code and
name in its header. With names (the default) its file name says 含个人信息 and its first row says it holds
personal data; ``names=False`` writes each building's counts by kind instead, with no name or ID number.
File names are made of checked codes and fixed words only.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from gis_census.i18n import tr
from gis_census.outputs import atomic_files, code_for_file_name, formula_like, path_inside, xlsx_texts
from gis_census.places import place_name
from gis_census.project import CensusProject
from gis_census.register.counts import KIND_KEYS, register_counts
from gis_census.register.reading import KINDS
from gis_census.rules import building_name

__all__ = ["ROW_COLUMNS", "COUNT_COLUMNS", "UNPLACED_COLUMNS", "WITH_NAMES", "split_register"]

#: Columns of a small area's workbook with names, each headed by the message ``register_col_<key>``.
ROW_COLUMNS = ("number", "building", "kind", "household_no", "head", "name", "relation", "sex", "birth", "id_number",
               "address", "persons", "households")
#: Columns without names: a building's counts by kind.
COUNT_COLUMNS = ("number", "building", "building_address",
                 *(f"{KIND_KEYS[k]}_{what}" for k in KINDS for what in ("households", "persons")))
#: Columns of the unplaced rows (names and ID numbers left out without names).
UNPLACED_COLUMNS = ("kind", "village", "address", "status", "candidates", "file", "sheet", "row", "household_no", "head",
                    "name", "relation", "sex", "birth", "id_number", "persons", "households")
_PERSONAL = {"household_no", "head", "name", "relation", "sex", "birth", "id_number"}
_ORDER = {kind: i for i, kind in enumerate(KINDS)}
#: Fixed words of the file names, Chinese in every language: 含个人信息 must be read whoever opens the folder.
WITH_NAMES, _COUNTS_ONLY, _UNPLACED = "户籍资料_含个人信息", "户籍资料_户数人数", "未落位"


def split_register(project: CensusProject, out: str | os.PathLike, names: bool = True, lang: str | None = None,
                   small_areas: list[str] | None = None) -> list[Path]:
    """Write the register split by small area into folder `out`; the files written (small areas in code order,
    then the unplaced rows, when there are any). All are written, or none (a failed write leaves no file).

    With `small_areas` (the walk package's), only those areas' workbooks are written, each into its own folder
    ``out/<code>/`` beside its map; the unplaced rows are the office's and stay out of a package.
    """
    out = Path(out)
    rows = project["register"].drop(columns="geometry")
    buildings = project["buildings"][["id", "small_area_code", "number", "address"]]
    placed = rows.merge(buildings.rename(columns={"id": "building_id", "address": "building_address"}),
                        on="building_id", how="left")
    placed = placed[(placed["status"] == "matched") & placed["small_area_code"].fillna("").ne("")]
    unplaced = rows.drop(index=placed.index)  # a left merge on unique ids keeps the rows' order and index
    placed = placed.astype({"number": "int64"})
    placed = placed.assign(order=placed["kind"].map(_ORDER)).sort_values(
        ["small_area_code", "number", "order", "file", "sheet", "row"], kind="stable")
    areas = project["small_areas"].set_index("code")
    counts = register_counts(project) if not names else None
    jobs = []
    suffix = WITH_NAMES if names else _COUNTS_ONLY
    for code, mine in placed.groupby("small_area_code", sort=True):
        if small_areas is not None and code not in small_areas:
            continue
        checked = code_for_file_name(code, "small_area")
        path = path_inside(out if small_areas is None else path_inside(out, checked), f"{checked}_{suffix}.xlsx")
        title = _title(project, areas, str(code), lang)
        if names:
            frame = mine.assign(building=[building_name(code, n, i) for n, i in zip(mine["number"], mine["building_id"])])
            jobs.append((path, title, frame[list(ROW_COLUMNS)]))
        else:
            jobs.append((path, title, _building_counts(buildings, counts, str(code))))
    if len(unplaced) and small_areas is None:
        columns = [c for c in UNPLACED_COLUMNS if names or c not in _PERSONAL]
        frame = unplaced.assign(order=unplaced["kind"].map(_ORDER), candidates=_candidate_names(
            unplaced["candidates"], buildings)).sort_values(["order", "village", "address", "row"])
        jobs.append((path_inside(out, f"{_UNPLACED}_{suffix}.xlsx"),
                     tr("register_unplaced_title", lang), frame[columns]))
    for path, _, _ in jobs:
        path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_files() as temp_for:
        for path, title, frame in jobs:
            _write_book(temp_for(path), title, frame, names, lang)
    return [path for path, _, _ in jobs]


def _title(project: CensusProject, areas: pd.DataFrame, code: str, lang: str | None) -> str:
    """"白坡镇小尹村村委会第003普查小区 370481102201003", as the map's title."""
    meta = project.meta
    district = areas["district_code"].get(code, "")
    districts = project["districts"].set_index("code")
    villages = project["villages"].set_index("code")
    village = districts["village_code"].get(district, "")
    place = place_name((meta.county_name, meta.township_name, villages["name"].get(village, "") or
                        districts["name"].get(district, "")), "" if (lang or "zh") == "zh" else " ")
    return f"{tr('map_title_small_area', lang, place=place, seq=code[-3:]).strip()}  {code}"


def _candidate_names(candidates: pd.Series, buildings: pd.DataFrame) -> list[str]:
    """Each row's candidate buildings by the names people read ("370481102001025-003、…")."""
    names = {int(i): building_name(a, n, i) for i, a, n in zip(buildings["id"], buildings["small_area_code"], buildings["number"])}
    return ["、".join(names[int(i)] for i in text.split(",") if i and int(i) in names) for text in candidates]


def _building_counts(buildings: pd.DataFrame, counts: pd.DataFrame | None, code: str) -> pd.DataFrame:
    """Each building of small area `code` in number order with its registered counts by kind."""
    assert counts is not None
    mine = buildings[buildings["small_area_code"] == code].sort_values("number", kind="stable")
    frame = counts.loc[mine["id"].to_numpy(np.int64)].reset_index(drop=True)
    frame.insert(0, "building_address", mine["address"].to_numpy(object))
    frame.insert(0, "building", [building_name(code, n, i) for n, i in zip(mine["number"], mine["id"])])
    frame.insert(0, "number", mine["number"].to_numpy())
    return frame[list(COUNT_COLUMNS)]


def _write_book(path: Path, title: str, frame: pd.DataFrame, names: bool, lang: str | None) -> None:
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        warn = book.add_format({"bold": True, "font_color": "#C00000"})
        text = book.add_format({"num_format": "@"})
        quoted = book.add_format({"num_format": "@", "quote_prefix": True})
        sheet = book.add_worksheet(tr("register_sheet", lang))
        top = 0
        if names:
            sheet.write_string(0, 0, tr("register_personal_notice", lang), warn)
            top = 1
        sheet.write_string(top, 0, title, book.add_format({"bold": True, "font_size": 13}))
        header = top + 1
        for col, key in enumerate(frame.columns):
            sheet.write_string(header, col, tr("register_col_" + key, lang), bold)
            sheet.set_column(col, col, 20 if key in ("building", "address", "building_address", "id_number") else 10)
        for col, key in enumerate(frame.columns):
            values = frame[key].to_numpy()
            if not is_numeric_dtype(frame[key].dtype):
                texts, _ = xlsx_texts(["" if v is None or v != v else str(v) for v in values])
                for r, value in enumerate(texts, start=header + 1):
                    sheet.write_string(r, col, value, quoted if formula_like(value) else text)
            else:
                for r, value in enumerate(values, start=header + 1):
                    sheet.write_number(r, col, int(value))
        sheet.freeze_panes(header + 1, 0)
        sheet.autofilter(header, 0, header + max(len(frame), 1), len(frame.columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.repeat_rows(0, header)
        sheet.fit_to_pages(1, 0)
