"""The report's tables a reviewer signs: per village, problems grouped by kind and village, the sign-off block."""

from __future__ import annotations

import html
from collections import defaultdict

import numpy as np
import shapely

from gis_census.checks.acceptance import Acceptance
from gis_census.checks.problem import CheckSettings, Problem, format_value
from gis_census.i18n import tr
from gis_census.project import CensusProject

__all__ = ["village_table", "grouped_problem_table", "sign_off"]


def _e(value) -> str:
    return html.escape(str(value))


def _head(lang: str, *keys: str) -> str:
    return "<tr>" + "".join(f"<th>{_e(tr(k, lang))}</th>" for k in keys) + "</tr>"


def villages_of(project: CensusProject, problems: list[Problem]) -> list[str]:
    """The village each problem lies in: the one its first feature's code starts with, else the one holding a point
    of its location ("" when neither)."""
    villages = project.columns("villages", ["code"])
    codes = [str(c) for c in villages["code"]]
    known = set(codes)
    found = [p.features[0][:12] if p.features and p.features[0][:12] in known else "" for p in problems]
    missing = [k for k, v in enumerate(found) if not v and problems[k].location is not None]
    if missing and len(codes):
        points = shapely.point_on_surface(np.array([problems[k].location for k in missing], dtype=object))
        p, v = shapely.STRtree(villages["geometry"]).query(points, predicate="within")
        for i, j in zip(p.tolist(), v.tolist()):
            found[missing[i]] = codes[j]
    return found


def village_table(project: CensusProject, problems: list[Problem], places: list[str], settings: CheckSettings,
                  lang: str) -> str:
    """One row per village: its small areas, people, households, the share of small areas within the target band,
    and its errors and warnings."""
    villages = project.columns("villages", ["code", "name"], geometry=False)
    districts = project.columns("districts", ["code", "village_code"], geometry=False)
    areas = project.columns("small_areas", ["district_code", "population", "households"], geometry=False)
    village_of = dict(zip(districts["code"].tolist(), districts["village_code"].tolist()))
    owner = np.array([village_of.get(d, "") for d in areas["district_code"].tolist()], dtype=object)
    counted = areas["population"] if settings.unit == "people" else areas["households"]
    low, high = settings.target * (1 - settings.tolerance), settings.target * (1 + settings.tolerance)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for place, p in zip(places, problems):
        tally[place][p.severity != "error"] += 1
    rows = []
    for code, name in zip(villages["code"].tolist(), villages["name"].tolist()):
        mine = owner == code
        n = int(mine.sum())
        band = f"{((counted[mine] >= low) & (counted[mine] <= high)).mean():.0%}" if n else "–"
        errors, warnings = tally.get(code, [0, 0])
        rows.append(f"<tr><td>{_e(code)}</td><td>{_e(name)}</td><td class=\"num\">{n:,}</td>"
                    f"<td class=\"num\">{int(areas['population'][mine].sum()):,}</td>"
                    f"<td class=\"num\">{int(areas['households'][mine].sum()):,}</td><td class=\"num\">{band}</td>"
                    f"<td class=\"num error\">{errors or ''}</td><td class=\"num warning\">{warnings or ''}</td></tr>")
    head = _head(lang, "report_col_village_code", "report_col_village", "report_col_small_areas", "report_col_people",
                 "report_col_households", "report_col_in_band", "severity_error", "severity_warning")
    note = tr("report_in_band", lang, low=f"{low:,.0f}", high=f"{high:,.0f}", unit=tr("report_unit_" + settings.unit, lang))
    return (f'<section><h2>{_e(tr("report_villages", lang))}</h2><table class="villages">{head}{"".join(rows)}</table>'
            f'<p class="note">{_e(note)}</p></section>')


def grouped_problem_table(problems: list[Problem], places: list[str], lang: str, names: dict[str, str] | None = None) -> str:
    """The problems numbered as on the map; several of one kind in one village share a row ("建筑物被切分 ×12"), the
    members listed when it is opened. `names`: the villages' names by code, shown after their codes."""
    names = names or {}
    heading = f'<h2>{_e(tr("report_problems", lang))}</h2>'
    if not problems:
        return f'<section>{heading}<p>{_e(tr("report_no_problems", lang))}</p></section>'
    groups: dict[tuple[str, str], list[int]] = {}
    for k, p in enumerate(problems):
        groups.setdefault((p.kind, places[k]), []).append(k)
    rows = []
    for (_, place), members in groups.items():
        p = problems[members[0]]
        severity = f'<td class="{p.severity}">{_e(tr("severity_" + p.severity, lang))}</td>'
        layer = f'<td>{_e(tr("layer_" + p.layer, lang))}</td>'
        if len(members) == 1:
            rows.append(f'<tr class="problem"><td class="num">{members[0] + 1}</td>{severity}<td>{_e(p.label(lang))}</td>'
                        f'{layer}<td>{_e(", ".join(p.shown_features(lang)))}</td><td class="num">{_value(p, lang)}</td>'
                        f"<td>{_e(p.detail)}</td></tr>")
            continue
        items = "".join(f"<li>{k + 1}. {_e(', '.join(problems[k].shown_features(lang)))} {_value(problems[k], lang)}</li>"
                        for k in members)
        village = " ".join(part for part in (place, names.get(place, "")) if part) or "–"
        summary = tr("report_group_members", lang, n=len(members), village=village)
        rows.append(f'<tr class="problem group"><td class="num">{_numbers(members)}</td>{severity}'
                    f'<td>{_e(p.label(lang))} ×{len(members)}</td>{layer}<td colspan="3"><details><summary>{_e(summary)}'
                    f'<span class="open">{_e(tr("report_group_open", lang))}</span></summary>'
                    f"<ul>{items}</ul></details></td></tr>")
    head = _head(lang, "report_col_no", "report_col_severity", "report_col_kind", "report_col_layer",
                 "report_col_features", "report_col_value", "report_col_detail")
    return f'<section>{heading}<table class="problems">{head}{"".join(rows)}</table></section>'


def _numbers(members: list[int]) -> str:
    """A group's numbers on the map: "3–4" when they run on, else the first and "…" (the list gives them all)."""
    first, last = members[0] + 1, members[-1] + 1
    return f"{first}–{last}" if last - first + 1 == len(members) else f"{first}, …"


def _value(p: Problem, lang: str) -> str:
    return _e(format_value(p.value, p.unit, lang)) if p.unit else ""


def sign_off(accepted: Acceptance | None, lang: str) -> str:
    """The block the reviewer signs: reviewer, date, conclusion (filled in from a recorded acceptance)."""
    reviewer, date = (accepted.reviewer, accepted.date) if accepted else ("", "")
    conclusion = tr("report_sign_accepted", lang) if accepted else tr("report_sign_choices", lang)
    rows = "".join(f'<tr><th>{_e(tr(k, lang))}</th><td class="sign">{_e(v)}</td></tr>'
                   for k, v in (("report_sign_reviewer", reviewer), ("report_sign_date", date),
                                ("report_sign_conclusion", conclusion)))
    return f'<section class="sign-off"><h2>{_e(tr("report_sign", lang))}</h2><table>{rows}</table></section>'
