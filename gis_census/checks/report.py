"""The reviewer's report: one self-contained HTML file with the verdict, the problems and an overview map."""

from __future__ import annotations

import base64
import html
import os
from collections import Counter
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from gis_census.checks import Problem, summarize
from gis_census.checks.acceptance import Acceptance, acceptance_text
from gis_census.checks.problem import CheckSettings, sort_key
from gis_census.checks.report_map import OverviewMap, render_overview
from gis_census.checks.report_tables import grouped_problem_table, sign_off, village_table, villages_of
from gis_census.i18n import current_language, tr
from gis_census.info import project_summary
from gis_census.outputs import atomic_file
from gis_census.places import place_name
from gis_census.project import CensusProject

__all__ = ["write_report"]

_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.meta { color: #555; margin: .1em 0; }
.verdict { font-size: 1.3em; font-weight: bold; padding: .5em .8em; margin: 1em 0; border-radius: 4px; }
.verdict.pass { background: #e6f4ea; color: #1e6b2f; border: 1px solid #7bbf8a; }
.verdict.fail { background: #fdecea; color: #a31515; border: 1px solid #e59a93; }
table { border-collapse: collapse; margin: .5em 0; } th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.problems td:nth-child(-n+4), .problems td:nth-child(6) { white-space: nowrap; }
.error { color: #b00020; font-weight: bold; } .warning { color: #b26a00; font-weight: bold; }
.map img { width: 100%; height: auto; border: 1px solid #ccc; }
.legend span.swatch { display: inline-block; width: 2.2em; height: 0; vertical-align: middle; margin: 0 .4em 0 1em; }
.legend span.dot { display: inline-block; width: .9em; height: .9em; border-radius: 50%; vertical-align: middle;
                   margin: 0 0 0 1em; background: rgba(214, 39, 40, .3); border: 2px solid #d62728; }
.legend span.dot-warning { margin: 0 .4em 0 .2em; background: rgba(255, 140, 0, .3); border-color: #ff8c00; }
details summary { cursor: pointer; color: #1a4d8f; } details ul { margin: .3em 0; padding-left: 1.5em; list-style: none; }
.sign-off table { width: 100%; max-width: 40em; } .sign-off th { width: 6em; } .sign-off td.sign { height: 3em; }
@media print { details { display: block; } details > *:not(summary) { display: block; } }
footer { margin-top: 2em; color: #777; font-size: .9em; }
"""

_MAP_LEGEND = (  # message key, CSS of the swatch, as drawn in report_map
    ("report_legend_village", "border-top: 3px solid #000"),
    ("report_legend_district", "border-top: 2px dashed #333"),
    ("report_legend_small_area", "border-top: 1px solid #5b7fa6"),
    ("report_legend_building", "height: .8em; width: .8em; background: #a0a0a0"),
)


def write_report(project: CensusProject, problems: list[Problem], path: str | os.PathLike, lang: str | None = None,
                 accepted: Acceptance | None = None, sections: tuple[str, ...] = ()) -> Path:
    """Write the check report of `project` for the county reviewer as one HTML file, or as an A4 PDF to print and
    sign when `path` ends in .pdf (:mod:`gis_census.checks.report_pdf`: the same page, in the maps' SC face).

    The HTML file needs nothing else to open: styles are inline and the overview map is an
    embedded PNG. Problems are listed errors first and numbered as on the map.

    Parameters
    ----------
    project : the checked project
    problems : what :func:`gis_census.checks.check_project` found
    path : the HTML file to write (UTF-8), or the PDF file (.pdf)
    lang : "zh" or "en"; default: the current language
    accepted : the project's acceptance (:func:`gis_census.checks.acceptance.acceptance`), None when never accepted
    sections : HTML sections (escaped by their writer) shown after the summary, e.g. the county's townships

    Returns
    -------
    The path written. A failed write (a full disk, a missing folder) raises CensusError naming the
    file and leaves no partial file.
    """
    lang = lang or current_language()
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}: use 'zh' or 'en'")
    ordered = sorted(problems, key=sort_key)
    overview = render_overview(project, ordered)
    title = tr("report_title", lang, township=_township(project, lang))
    places = villages_of(project, ordered)
    body = [
        _header(project, ordered, title, lang),
        _acceptance(accepted, lang),
        _summary_table(ordered, lang),
        *sections,
        village_table(project, ordered, places, CheckSettings.for_project(project), lang),
        _map_section(overview, ordered, len(project["buildings"]), lang),
        grouped_problem_table(ordered, places, lang, _village_names(project)),
        _severity_legend(lang),
        sign_off(accepted, lang),
        f"<footer>{_e(tr('report_footer', lang, version=_version()))}</footer>",
    ]
    page = (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
    path = Path(path)
    with atomic_file(path) as tmp:  # a full disk leaves the old report or none, never half a page
        if path.suffix.lower() == ".pdf":
            from gis_census.checks.report_pdf import write_pdf

            write_pdf(page, Path(tmp))
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(page)
    return path


def _village_names(project: CensusProject) -> dict[str, str]:
    villages = project.columns("villages", ["code", "name"], geometry=False)
    return {str(c): str(n) for c, n in zip(villages["code"], villages["name"])}


def _e(value) -> str:
    return html.escape(str(value))


def _township(project: CensusProject, lang: str) -> str:
    name = place_name((project.meta.county_name, project.meta.township_name), "" if lang == "zh" else " ")
    code = project.meta.township_code
    return tr("report_township", lang, name=name, code=code) if name and code else name or code


def _version() -> str:
    try:
        return version("gis-census")
    except PackageNotFoundError:
        return "?"


def _header(project: CensusProject, problems: list[Problem], title: str, lang: str) -> str:
    info = project_summary(project)
    counts = {k: f"{info['counts'][k]:,}" for k in ("villages", "districts", "small_areas", "buildings")}
    summary = summarize(problems)
    passed = summary["errors"] == 0
    verdict = tr("report_pass" if passed else "report_fail", lang, errors=f"{summary['errors']:,}",
                 warnings=f"{summary['warnings']:,}")
    file = project.path.name if project.path else tr("report_unsaved", lang)
    meta = [
        (tr("report_generated", lang), datetime.now().strftime("%Y-%m-%d %H:%M")),
        (tr("report_file", lang), file),
        (tr("report_crs", lang), project.crs),
    ]
    lines = "".join(f'<p class="meta">{_e(k)}{_e(tr("colon", lang))}{_e(v)}</p>' for k, v in meta)
    counts["population"] = f"{info['population']:,}"
    lines += f'<p class="meta">{_e(tr("report_counts", lang, **counts))}</p>'
    return (f"<header><h1>{_e(title)}</h1>{lines}"
            f'<p class="verdict {"pass" if passed else "fail"}">{_e(verdict)}</p></header>')


def _acceptance(accepted: Acceptance | None, lang: str) -> str:
    state = f'<p class="acceptance">{_e(acceptance_text(accepted, lang))}</p>'
    if accepted is None or not accepted.exceptions:
        return f'<section><h2>{_e(tr("report_acceptance", lang))}</h2>{state}</section>'
    rows = "".join(f"<tr><td>{_e(e.code)}</td><td>{_e(e.reason)}</td></tr>" for e in accepted.exceptions)
    table = (f'<h3>{_e(tr("report_exceptions", lang))}</h3><table class="exceptions">'
             f'{_head(lang, "report_col_features", "report_col_reason")}{rows}</table>')
    return f'<section><h2>{_e(tr("report_acceptance", lang))}</h2>{state}{table}</section>'


def _summary_table(problems: list[Problem], lang: str) -> str:
    if not problems:
        return ""
    counts = Counter((p.severity, p.kind) for p in problems)
    rows = "".join(
        f'<tr><td class="{severity}">{_e(tr("severity_" + severity, lang))}</td>'
        f'<td>{_e(tr("problem_" + kind, lang))}</td><td class="num">{n:,}</td></tr>'
        for (severity, kind), n in counts.items()  # in the problems' order: errors first, then by kind
    )
    total = f'<tr><th colspan="2">{_e(tr("report_total", lang))}</th><td class="num">{len(problems):,}</td></tr>'
    head = _head(lang, "report_col_severity", "report_col_kind", "report_col_count")
    return f'<section><h2>{_e(tr("report_summary", lang))}</h2><table class="summary">{head}{rows}{total}</table></section>'


def _head(lang: str, *keys: str) -> str:
    return "<tr>" + "".join(f"<th>{_e(tr(k, lang))}</th>" for k in keys) + "</tr>"


def _map_section(overview: OverviewMap | None, problems: list[Problem], buildings: int, lang: str) -> str:
    heading = f'<h2>{_e(tr("report_map", lang))}</h2>'
    if overview is None:
        return f'<section class="map">{heading}<p>{_e(tr("report_map_none", lang))}</p></section>'
    data = base64.b64encode(overview.png).decode("ascii")
    image = f'<img src="data:image/png;base64,{data}" width="{overview.width}" height="{overview.height}" alt="">'
    notes = []
    if overview.crowded:
        notes.append(tr("report_map_crowded", lang, n=overview.crowded))
    if overview.located < len(problems):
        notes.append(tr("report_map_unlocated", lang, n=len(problems) - overview.located))
    if not overview.buildings_drawn:
        notes.append(tr("report_map_no_buildings", lang, n=f"{buildings:,}"))
    legend = "".join(f'<span class="swatch" style="{css}"></span>{_e(tr(key, lang))}' for key, css in _MAP_LEGEND)
    legend += f'<span class="dot"></span><span class="dot dot-warning"></span>{_e(tr("report_legend_problem", lang))}'
    if not overview.named:
        notes.append(tr("report_map_village_numbers", lang))
    notes_html = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return f'<section class="map">{heading}<p class="legend">{legend}</p>{image}{notes_html}</section>'


def _severity_legend(lang: str) -> str:
    items = "".join(f'<li><span class="{s}">{_e(tr("severity_" + s, lang))}</span> — {_e(tr("report_legend_" + s, lang))}</li>'
                    for s in ("error", "warning"))
    return f'<section><h2>{_e(tr("report_legend", lang))}</h2><ul>{items}</ul></section>'
