"""Errors the engine raises on bad input or unreadable projects, each with a translated message."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from gis_census.i18n import tr

__all__ = ["CensusError", "InputError", "ProjectError", "Finding", "CellFinding"]


@dataclass(frozen=True)
class Finding:
    """One fault in an input: where it is (file, layer, feature, field) and what it is."""

    key: str
    file: str = ""
    layer: str = ""
    feature: str = ""
    field: str = ""
    params: dict = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The fault in words, prefixed with its location."""
        where = []
        if self.file:
            where.append(tr("where_file", lang, file=Path(self.file).name))
        if self.layer:
            where.append(tr("where_layer", lang, layer=self.layer))
        if self.feature:
            where.append(tr("where_feature", lang, feature=self.feature))
        if self.field:
            where.append(tr("where_field", lang, field=self.field))
        text = tr(self.key, lang, **self.params)
        return f"{tr('where_sep', lang).join(where)}{tr('colon', lang)}{text}" if where else text


@dataclass(frozen=True)
class CellFinding(Finding):
    """A fault in a cell (or a row, when `column` is "") of a workbook sheet or table; `column` is the header as
    written (a CSV file's sheet is its file name)."""

    sheet: str = ""
    row: int = 0
    column: str = ""

    def message(self, lang: str | None = None) -> str:
        problem = tr(self.key, lang, **self.params)
        where = (tr("where_cell", lang, sheet=self.sheet, row=self.row, column=self.column, problem=problem) if self.column
                 else tr("where_row", lang, sheet=self.sheet, row=self.row, problem=problem))
        return f"{tr('where_file', lang, file=Path(self.file).name)}{tr('colon', lang)}{where}"


class CensusError(Exception):
    """Base of the errors a user can act on; `message()` is what they are shown."""

    exit_code = 2

    def __init__(self, key: str, findings: list[Finding] | None = None, **params):
        self.key = key
        self.params = params
        self.findings = list(findings or [])
        super().__init__(key)

    def message(self, lang: str | None = None, limit: int = 50) -> str:
        """The headline and up to `limit` findings, one per line."""
        lines = [tr(self.key, lang, **self.params)]
        lines += ["  - " + f.message(lang) for f in self.findings[:limit]]
        if len(self.findings) > limit:
            lines.append("  " + tr("more_findings", lang, n=len(self.findings) - limit))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self):
        # Raised in a forked worker, the error reaches the main process whole (Exception's own pickling keeps args only)
        return _rebuilt, (type(self), self.key, self.findings, self.params)


def _rebuilt(cls: type[CensusError], key: str, findings: list[Finding], params: dict) -> CensusError:
    return cls(key, findings, **params)


class InputError(CensusError):
    """An input file was refused; nothing was written."""


class ProjectError(CensusError):
    """A project file cannot be opened or saved."""
