"""Rules every output file follows, in one place: safe to open, safely named, never left half-written.

* **Formula-safe cells.** Text from the inputs (names, addresses, uses) that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return would be evaluated by Excel or WPS as a formula (OWASP
  "CSV Injection"). In .xlsx every text goes in as a string cell (:func:`xlsx_texts`), never a
  formula, with Excel's quote prefix on such texts; in .csv such a text gets a leading ``'``
  (:func:`csv_text`). Numbers stay numbers, codes stay text.
* **Safe file names.** A file name made from a code takes the code only when it is digits of the
  expected length (:func:`code_for_file_name`), and the final path is checked to lie in the chosen
  folder (:func:`path_inside`).
* **Columns line up.** A CJK character takes two columns in a terminal or a spreadsheet
  (:func:`display_width`, :func:`pad_to_width`).
* **No partial files.** Each file is written to a temporary file beside it and renamed into place
  (:func:`atomic_file`, or :func:`atomic_files` for several files written as one job); a failed write (a full
  disk above all) removes the temporary file and is a :class:`CensusError` naming the file and the free space
  left (:func:`write_failed`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gis_census.errors import CensusError

__all__ = ["FORMULA_STARTS", "formula_like", "csv_text", "csv_frame", "xlsx_texts", "code_for_file_name",
           "path_inside", "temp_beside", "atomic_file", "atomic_files", "write_failed", "CODE_DIGITS", "display_width", "pad_to_width"]

#: A text cell beginning with one of these is taken for a formula by Excel, WPS or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Digits of each kind of code that may become part of a file name.
CODE_DIGITS = {"county": 6, "township": 9, "district": 12, "small_area": 15}

#: Names Windows keeps for devices, whatever the extension (CON.pdf is the console).
_RESERVED_ON_WINDOWS = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
#: Characters XML 1.0 cannot hold: dropped from xlsx text.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The longest text an .xlsx cell holds, in UTF-16 units (a character above U+FFFF counts two).
_XLSX_MAX_TEXT = 32_767


# Cells
# ---------------------------------------------------------------------------------------------

def formula_like(value) -> bool:
    """True for a text a spreadsheet would evaluate (begins with = + - @ tab or CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value):
    """`value` as a CSV cell: a formula-like text gets a leading ``'`` (OWASP); anything else unchanged."""
    return "'" + value if formula_like(value) else value


def csv_frame(frame):
    """A copy of DataFrame `frame` with every text cell passed through :func:`csv_text`."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column].dtype):  # object or string columns: numbers stay numbers
            out[column] = _object_series([csv_text(v) for v in out[column]], out[column])
    return out


def _object_series(values, like):
    import pandas as pd

    return pd.Series(values, index=like.index, dtype=object)


def xlsx_texts(texts: list[str]) -> tuple[list[str], list[int]]:
    """A column of texts as .xlsx string cells hold them, and the positions of those needing Excel's quote prefix.

    Write each as a string cell (an inline string in the lists; never xlsxwriter's ``write``, which makes a
    formula of a text starting with "="). A formula-like text gets the quote prefix, so that editing the cell keeps it
    text. Characters XML cannot hold are dropped, and a carriage return becomes the line feed Excel
    has always read back from the file. A text longer than a cell holds is cut to its first 32,767 UTF-16
    units, as xlsxwriter cut it. A column at a time, because a county's list has 600,000 texts.
    """
    formulas = [i for i, text in enumerate(texts) if text.startswith(FORMULA_STARTS)]
    joined = "".join(texts)
    if "\r" in joined or _NOT_IN_XML.search(joined):
        texts = [_NOT_IN_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n") for text in texts]
    if max(map(len, texts), default=0) > _XLSX_MAX_TEXT // 2:  # shorter ones fit whatever their characters
        texts = [text.encode("utf-16-le")[:2 * _XLSX_MAX_TEXT].decode("utf-16-le", "ignore") for text in texts]
    return texts, formulas


# Text width
# ---------------------------------------------------------------------------------------------

def display_width(text) -> int:
    """Columns `text` takes in a terminal or a spreadsheet: East-Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def pad_to_width(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` columns (:func:`display_width`); a longer text unchanged."""
    return text + " " * max(width - display_width(text), 0)


# File names
# ---------------------------------------------------------------------------------------------

def code_for_file_name(code, kind: str) -> str:
    """`code` when it is the digits a `kind` code has (see :data:`CODE_DIGITS`); else a refusal naming it."""
    code = str(code)
    digits = CODE_DIGITS[kind]
    if not (len(code) == digits and code.isascii() and code.isdigit()):
        raise CensusError("output_bad_code", code=code, digits=digits)
    return code


def path_inside(folder: str | os.PathLike, name: str) -> Path:
    """`folder`/`name`, refused unless it resolves to a file directly inside `folder`."""
    folder = Path(folder)
    target = folder / name
    if (Path(name).name != name or name in ("", ".", "..") or any(ch in name for ch in '\\/:')
            or name.split(".")[0].strip().upper() in _RESERVED_ON_WINDOWS
            or target.resolve().parent != folder.resolve()):
        raise CensusError("output_outside_folder", name=name, folder=str(folder))
    return target


# Writing
# ---------------------------------------------------------------------------------------------

def temp_beside(target: Path) -> Path:
    """A hidden temporary name beside `target` (same folder, so the final rename is atomic)."""
    return target.with_name(f".{target.stem}.writing-{os.getpid()}{target.suffix}")


def write_failed(path: str | os.PathLike, exc: OSError) -> CensusError:
    """The refusal for a failed write of `path`: with the free space left when the disk is full."""
    path = Path(path)
    if exc.errno in _NO_SPACE:
        return CensusError("output_disk_full", path=str(path), free=_free_space(path),
                           reason=exc.strerror or str(exc))
    return CensusError("output_write_failed", path=str(path), reason=exc.strerror or str(exc))


def _free_space(path: Path) -> str:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "?"
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if free >= size:
            return f"{free / size:.1f} {unit}"
    return f"{free} B"


@contextmanager
def atomic_file(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `target`; when the block ends, flush it to disk and rename it to `target`.

    An OSError in the block or in the rename becomes :func:`write_failed` for `target`; the
    temporary file is always removed, and `target` is either the old file or the whole new one.
    """
    with atomic_files() as temp_for:
        yield temp_for(target)


@contextmanager
def atomic_files() -> Iterator[Callable[[str | os.PathLike], Path]]:
    """Write several files as one job: yield ``temp_for(target)``, a temporary path beside `target`.

    When the block ends, every temporary file is flushed to disk, and only then are they renamed
    into place, so that no target is replaced unless all of them were written. An OSError becomes
    :func:`write_failed` for the file it hit (in the block: the target last asked for); the
    temporary files are always removed.

    Example
    -------
    >>> with atomic_files() as temp_for:
    ...     for target, write in jobs:
    ...         write(temp_for(target))
    """
    pending: list[tuple[Path, Path]] = []  # (temporary file, target)

    def temp_for(target: str | os.PathLike) -> Path:
        target = Path(target)
        pending.append((temp_beside(target), target))
        return pending[-1][0]

    at = None  # the target being flushed or renamed
    try:
        yield temp_for
        for tmp, at in pending:  # noqa: B007 - `at` names the file that failed, in the except clause
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        for tmp, at in pending:
            os.replace(tmp, at)
    except OSError as exc:
        if at is None and not pending:
            raise
        raise write_failed(at or pending[-1][1], exc) from None
    finally:
        for tmp, _ in pending:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
