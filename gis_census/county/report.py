"""The county report: the township check report of the merged county, with a table of its townships first."""

from __future__ import annotations

import html
import os
from pathlib import Path

from gis_census.checks.report import write_report
from gis_census.county.merge import County
from gis_census.i18n import current_language, tr

__all__ = ["write_county_report"]

_COLUMNS = (("code", "report_col_township_code"), ("name", "report_col_township"), ("villages", "report_col_villages"),
            ("small_areas", "report_col_small_areas"), ("buildings", "report_col_buildings"),
            ("population", "report_col_people"), ("households", "report_col_households"),
            ("errors", "severity_error"), ("warnings", "severity_warning"))


def write_county_report(county: County, path: str | os.PathLike, lang: str | None = None) -> Path:
    """Write the county's HTML report: its townships (with totals and those missing), then the report of the merged
    county: the faults across townships and each township's, per village, on the map."""
    lang = lang or current_language()
    problems = county.across + [p for ps in county.within.values() for p in ps]
    return write_report(county.project, problems, path, lang, sections=(_townships(county, lang),))


def _townships(county: County, lang: str) -> str:
    def cell(value) -> str:
        return f'<td class="num">{value:,}</td>' if isinstance(value, int) else f"<td>{html.escape(str(value))}</td>"

    head = "<tr>" + "".join(f"<th>{html.escape(tr(key, lang))}</th>" for _, key in _COLUMNS) + "</tr>"
    rows = "".join("<tr>" + "".join(cell(getattr(t, field)) for field, _ in _COLUMNS) + "</tr>" for t in county.townships)
    totals = [sum(getattr(t, field) for t in county.townships) for field, _ in _COLUMNS[2:]]
    rows += (f'<tr><th colspan="2">{html.escape(tr("report_total", lang))}</th>'
             + "".join(f'<td class="num">{v:,}</td>' for v in totals) + "</tr>")
    missing = (f'<p class="error">{html.escape(tr("county_missing", lang, codes=", ".join(county.missing)))}</p>'
               if county.missing else "")
    across = tr("county_across", lang, n=len(county.across)) if county.across else tr("county_across_none", lang)
    return (f'<section><h2>{html.escape(tr("report_townships", lang))}</h2><table class="townships">{head}{rows}</table>'
            f'{missing}<p>{html.escape(across.rstrip("：:"))}</p></section>')
