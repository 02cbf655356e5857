"""The county's expected townships: a text file of 9-digit township codes, one a line (a name may follow)."""

from __future__ import annotations

import os
from pathlib import Path

from gis_census.errors import CensusError, Finding

__all__ = ["read_expected"]


def read_expected(path: str | os.PathLike) -> list[str]:
    """The township codes listed in `path`; blank lines and lines starting with # are skipped. A line not starting
    with 9 digits is refused, naming the file and the line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CensusError("county_expect_unreadable", path=str(path), reason=str(exc)) from None
    codes, bad = [], []
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        code = text.replace(",", " ").replace("\t", " ").split()[0]
        if len(code) == 9 and code.isdigit():
            codes.append(code)
        else:
            bad.append(Finding("county_expect_bad_line", file=str(path), feature=str(n), params={"text": text[:40]}))
    if bad:
        raise CensusError("county_expect_refused", bad, path=str(path))
    return codes
