"""A household-register table (《户籍/暂住/境外人员核对数据资料表》) read from .xlsx or .csv into rows to store.

The police station's tables come one row per person (姓名 and 与户主关系 columns) or one per household (户数 /
人数 columns); the header may sit below a title row. Columns are found by their common Chinese names or given.
Anything that cannot be read is a :class:`~gis_census.errors.CellFinding` naming file, sheet, row and column,
and the whole table is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Literal

import pandas as pd

from gis_census.errors import CellFinding, Finding, InputError

__all__ = ["KINDS", "COLUMN_NAMES", "read_register_table", "register_kind", "read_renames"]

#: The register's kinds: registered residents (户籍), temporary residents (暂住), people from abroad (境外).
KINDS = ("户籍", "暂住", "境外")
_KIND_WORDS = {"户籍": "户籍", "registered": "户籍", "暂住": "暂住", "temporary": "暂住", "境外": "境外", "foreign": "境外"}

#: Column key -> the headers it is known by, the first present taken (spaces and brackets ignored when compared):
#: a 暂住 table's 暂住地址 is where the person lives, its 户籍地址 where they are registered elsewhere.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "household_no": ("户号", "户编号", "户籍号"),
    "head": ("户主姓名", "户主"),
    "name": ("姓名", "人员姓名", "外文姓名", "英文姓名", "英文姓"),
    "given_name": ("英文名", "外文名"),  # a foreigner's given name, joined to the name
    "relation": ("与户主关系", "与户主关系名称", "关系"),
    "sex": ("性别",),
    "birth": ("出生日期", "出生年月", "出生年月日"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "证件号码", "身份号码"),
    "address": ("住址", "暂住地址", "住宿地址", "现住址", "居住地址", "门牌地址", "门牌", "门牌号", "地址", "详细地址",
                "户籍地址"),
    "village": ("所属村", "所属居委会", "村居", "所属村居", "村居委会", "村委会", "居委会", "所属村居委会", "村"),
    "households": ("户数",),
    "persons": ("人数", "人口数"),
}
_TEXT = ("household_no", "head", "name", "relation", "sex", "birth", "id_number", "address", "village")
#: Rows searched for the header, below any title rows.
_HEADER_ROWS = 10
_HEADS = ("户主", "本人")
#: Headers of a renamings table.
_RENAME_HEADERS = {"旧名": "旧名", "old": "旧名", "现名": "现名", "new": "现名"}


def read_register_table(path: str | os.PathLike, *, kind: str = "户籍", sheet: str | None = None,
                        fields: dict[str, str] | None = None,
                        per: Literal["person", "household"] | None = None) -> pd.DataFrame:
    """The rows of the register table at `path` (.xlsx, .csv in UTF-8 or GBK), as the ``register`` layer's columns
    (kind, per, file, sheet, row, the texts, persons, households); the match columns are left to the matcher.

    `fields` maps column keys (:data:`COLUMN_NAMES`) to headers as written; `sheet` reads that sheet alone
    (default: every sheet with a recognised header); `per` says whether a row is a person or a household
    (default: detected). A person row counts 1 person, and 1 household on the first row of its household (its
    户号, else its 户主 and address, else a 户主/本人 row starts one). Raises InputError naming every fault.
    """
    path = Path(path)
    kind = register_kind(kind)
    faults: list[Finding] = []
    sheets = _sheets(path, sheet, faults)
    frames = [f for name, rows in sheets if (f := _read_sheet(path, name, rows, fields or {}, per, faults)) is not None]
    if not frames and sheets and not faults:  # no sheet has the header: name what was looked for in the first
        faults.append(CellFinding("register_no_header", file=str(path), sheet=sheets[0][0], row=1, params={
            "columns": "、".join((fields or {}).get(k) or COLUMN_NAMES[k][0] for k in ("address", "name"))}))
    if frames and not faults and not sum(map(len, frames)):
        faults.append(Finding("register_no_rows", file=str(path)))
    if faults:
        raise InputError("register_refused", faults, n=len(faults), file=path.name)
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "kind", kind)
    return table


def register_kind(word: str) -> str:
    """The kind named by `word` (户籍, 暂住, 境外 or registered, temporary, foreign); InputError for another."""
    kind = _KIND_WORDS.get(str(word).strip().lower(), "")
    if not kind:
        raise InputError("register_bad_kind", kinds="、".join(KINDS))
    return kind


def read_renames(path: str | os.PathLike) -> dict[str, str]:
    """The street renamings of the civil-affairs office (a .csv or .xlsx with columns 旧名 and 现名, one street a
    row): old name -> present name. Raises InputError naming the row and column of a blank or repeated name."""
    path = Path(path)
    faults: list[Finding] = []
    sheets = _sheets(path, None, faults)
    renames: dict[str, str] = {}
    for sheet, rows in sheets[:1]:
        header = [_RENAME_HEADERS.get(_key(v).lower(), "") for v in (rows[0] if rows else ())]
        if "旧名" not in header or "现名" not in header:
            faults.append(CellFinding("register_no_header", file=str(path), sheet=sheet, row=1, params={"columns": "旧名、现名"}))
            break
        old_at, new_at = header.index("旧名"), header.index("现名")
        for r, values in enumerate(rows[1:], start=2):
            old, new = (str(values[i]).strip() if i < len(values) and not _blank(values[i]) else "" for i in (old_at, new_at))
            if not old and not new:
                continue
            for name, column in ((old, "旧名"), (new, "现名")):
                if not name:
                    faults.append(CellFinding("register_blank_street", file=str(path), sheet=sheet, row=r, column=column))
            if old in renames and renames[old] != new:
                faults.append(CellFinding("register_renamed_twice", file=str(path), sheet=sheet, row=r, column="旧名",
                                          params={"street": old}))
            renames[old] = new
    if faults:
        raise InputError("register_refused", faults, n=len(faults), file=path.name)
    return renames


def _sheets(path: Path, wanted: str | None, faults: list[Finding]) -> list[tuple[str, list[tuple]]]:
    """(sheet name, rows as tuples) of the file; a CSV file is one sheet named after the file."""
    if not path.is_file():
        faults.append(Finding("register_file_missing", file=str(path)))
        return []
    if path.suffix.lower() == ".csv":
        text = _decode(path.read_bytes())
        if text is None:
            faults.append(Finding("register_bad_encoding", file=str(path)))
            return []
        return [(path.name, [tuple(r) for r in csv.reader(io.StringIO(text))])]
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        faults.append(Finding("register_file_kind", file=str(path)))
        return []
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        faults.append(Finding("register_file_unreadable", file=str(path), params={"reason": f"{type(exc).__name__}: {exc}"}))
        return []
    try:
        names = book.sheetnames
        if wanted is not None and wanted not in names:
            faults.append(Finding("register_no_sheet", file=str(path), params={"sheet": wanted, "sheets": "、".join(names)}))
            return []
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets
                if wanted is None or ws.title == wanted]
    finally:
        book.close()


def _decode(data: bytes) -> str | None:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030 (GBK's superset); None when neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _key(header) -> str:
    text = "" if header is None else str(header)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "()（）/、／*＊:：")


def _header(rows: list[tuple], fields: dict[str, str]) -> tuple[int, dict[str, int]] | None:
    """The header's row index and column key -> position: the first of the top rows naming an address column
    and a name, head or count column."""
    given = {_key(v): (k, -1) for k, v in fields.items()}
    known = {_key(name): (key, rank) for key, names in COLUMN_NAMES.items() for rank, name in enumerate(names)
             if key not in fields}
    for r, values in enumerate(rows[:_HEADER_ROWS]):
        best: dict[str, tuple[int, int]] = {}  # key -> (rank of the name, position)
        for i, value in enumerate(values):
            key, rank = given.get(_key(value)) or known.get(_key(value)) or ("", 0)
            if key and (key not in best or rank < best[key][0]):
                best[key] = (rank, i)
        if "address" in best and {"name", "head", "persons"} & set(best):
            return r, {key: i for key, (_, i) in best.items()}
    return None


def _read_sheet(path: Path, sheet: str, rows: list[tuple], fields: dict[str, str], per: str | None,
                faults: list[Finding]) -> pd.DataFrame | None:
    found = _header(rows, fields)
    if found is None:
        return None  # a workbook's other sheets (说明, 汇总) are left alone
    top, at = found
    headers = {key: str(rows[top][i]).strip() for key, i in at.items()}
    per = per or ("person" if {"name", "relation"} <= set(at) else "household" if {"households", "persons"} & set(at)
                  else "person" if "name" in at else None)
    need = {"person": ("address", "name"), "household": ("address", "persons")}.get(per or "", ())
    missing = [k for k in need if k not in at]
    if per is None or missing:
        what = "、".join(fields.get(k) or COLUMN_NAMES[k][0] for k in (missing or ("name", "persons")))
        faults.append(CellFinding("register_missing_columns" if per else "register_per_unknown", file=str(path),
                                  sheet=sheet, row=top + 1, params={"columns": what}))
        return None
    records = []
    for r, values in enumerate(rows[top + 1:], start=top + 2):
        cells = {k: values[i] if i < len(values) else None for k, i in at.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        record: dict = {"per": per, "file": path.name, "sheet": sheet, "row": r}
        for key in _TEXT:
            record[key] = _text(cells.get(key), key, r, path, sheet, headers, faults)
        if cells.get("given_name") is not None:
            record["name"] = f"{record['name']} {_text(cells['given_name'], 'given_name', r, path, sheet, headers, faults)}".strip()
        for key in ("persons", "households"):
            record[key] = _count(cells.get(key), key, r, path, sheet, headers, faults)
        if per == "person" and not record["name"]:
            faults.append(CellFinding("register_blank_name", file=str(path), sheet=sheet, row=r, column=headers["name"]))
        records.append(record)
    frame = pd.DataFrame(records, columns=["per", "file", "sheet", "row", *_TEXT, "persons", "households"])
    return _person_counts(frame) if per == "person" else _household_counts(frame)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value, key: str, row: int, path: Path, sheet: str, headers: dict, faults: list[Finding]) -> str:
    """A cell as text: a date as YYYY-MM-DD; an ID number typed as a number (Excel keeps 15 digits) is a fault."""
    if _blank(value):
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if key == "id_number" and isinstance(value, (int, float)):
        faults.append(CellFinding("register_id_as_number", file=str(path), sheet=sheet, row=row, column=headers[key]))
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value, key: str, row: int, path: Path, sheet: str, headers: dict, faults: list[Finding]) -> int | None:
    if _blank(value):
        return None
    text = str(value).strip()
    if isinstance(value, str) and text.isascii() and text.isdigit():
        return int(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value >= 0:
        return int(value)
    faults.append(CellFinding("register_bad_count", file=str(path), sheet=sheet, row=row, column=headers[key],
                              params={"value": text}))
    return None


def _person_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """1 person a row; 1 household on the first row of each household."""
    if frame["household_no"].ne("").all():
        key = frame["household_no"]
    elif frame["head"].ne("").all():
        key = frame["head"] + "\x1f" + frame["address"]
    else:
        key = frame["relation"].isin(_HEADS).cumsum().astype(str) + "\x1f" + frame["address"]
    return frame.assign(persons=1, households=(~key.duplicated()).astype("int64"))


def _household_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A household row counts its 人数 (0 when blank) and its 户数 (1 when blank)."""
    return frame.assign(persons=frame["persons"].fillna(0).astype("int64"),
                        households=frame["households"].fillna(1).astype("int64"))
