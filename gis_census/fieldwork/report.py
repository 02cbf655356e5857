"""The change report of a walk: per small area its figures before and after, the buildings added and demolished,
and whether it now falls outside the target band or the hard limits (the checks' population rules)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from gis_census.checks import CheckSettings
from gis_census.checks.population import population_problems
from gis_census.i18n import tr
from gis_census.rules import building_name, count_population

__all__ = ["AreaChange", "area_changes", "report_lines"]


@dataclass(frozen=True)
class AreaChange:
    """How the walk changes small area `code` ("" for buildings in no small area): population and households
    before and after, the names of the buildings added and demolished, and `flags`, the kinds of the checks'
    population problems it has after the walk (``population_off_target``, ``population_out_of_range``, …)."""

    code: str
    population: tuple[int, int]
    households: tuple[int, int]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    flags: tuple[str, ...]


def area_changes(project, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, touched: set[str]) -> tuple[AreaChange, ...]:
    """The :class:`AreaChange` of each small area in `touched`, from the buildings `before` and `after` the walk."""
    codes = sorted(touched)
    pop0, hh0 = count_population(codes, before)
    pop1, hh1 = count_population(codes, after)
    areas = project["small_areas"].set_index("code")
    land = [c for c in codes if c in areas.index]
    columns = {"code": np.array(land, dtype=object), "geometry": areas.loc[land].geometry.to_numpy(),
               "population": pop1[[codes.index(c) for c in land]], "households": hh1[[codes.index(c) for c in land]]}
    flags: dict[str, list[str]] = {}
    for problem in population_problems(columns, {"id": np.zeros(0)}, np.zeros(0, int), np.zeros(0, object),
                                       CheckSettings.for_project(project)):
        flags.setdefault(problem.features[0], []).append(problem.kind)
    old_ids, new_ids = set(before["id"]), set(after["id"])

    def names(frame, ids, code) -> tuple[str, ...]:
        rows = frame[frame["id"].isin(ids) & (frame["small_area_code"] == code)].sort_values(["number", "id"])
        return tuple(building_name(code, n, i) for n, i in zip(rows["number"], rows["id"]))

    return tuple(AreaChange(code, (int(pop0[k]), int(pop1[k])), (int(hh0[k]), int(hh1[k])),
                            names(after, new_ids - old_ids, code), names(before, old_ids - new_ids, code),
                            tuple(flags.get(code, ())))
                 for k, code in enumerate(codes))


def report_lines(areas: tuple[AreaChange, ...], changed: int, lang: str | None = None) -> list[str]:
    """The report in words: a headline, then each small area (its figures, buildings and flags)."""
    added, removed = sum(len(a.added) for a in areas), sum(len(a.removed) for a in areas)
    lines = [tr("fieldwork_report_header", lang, changed=changed, added=added, removed=removed,
                areas=sum(1 for a in areas if a.code))]
    for a in areas:
        if not a.code:
            lines.append(tr("fieldwork_report_unassigned", lang, added=len(a.added), removed=len(a.removed)))
            continue
        lines.append(tr("fieldwork_report_area", lang, code=a.code, pop_before=a.population[0], pop_after=a.population[1],
                        hh_before=a.households[0], hh_after=a.households[1], added=len(a.added), removed=len(a.removed)))
        if a.added:
            lines.append(tr("fieldwork_report_added", lang, names=", ".join(a.added)))
        if a.removed:
            lines.append(tr("fieldwork_report_removed", lang, names=", ".join(a.removed)))
        lines += [tr("fieldwork_report_flag", lang, flag=tr("problem_" + kind, lang)) for kind in a.flags]
    return lines
