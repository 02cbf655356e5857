"""Registered people and households per building, by kind, and the counts that balance the division.

The register's counts are computed from the stored rows whenever asked, never stored on the buildings: the rows
are the one record, so a re-import, a clear or a settled address cannot leave a stale copy behind. What the
division balances on is stored: the buildings' ``population``/``households`` stay the counts that `divide` and
`check` use, set from the source the project's ``balance_count`` names, with the office's own counts kept in
``recorded_population``/``recorded_households`` while another source balances.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis_census.project import CensusProject
from gis_census.register.reading import KINDS
from gis_census.rules import balance_source, balanced_counts, count_population, whole_shares

__all__ = ["KIND_KEYS", "register_counts", "set_balance", "rebalance", "balanced_layer", "recorded_fields"]

#: Column prefix of each kind in :func:`register_counts`.
KIND_KEYS = {"户籍": "registered", "暂住": "temporary", "境外": "foreign"}


def register_counts(project: CensusProject) -> pd.DataFrame:
    """Per building id (every building of the project, in its order): ``<kind>_persons`` and
    ``<kind>_households`` for kinds registered, temporary, foreign, and their totals ``persons`` and
    ``households``, over the register rows matched to it. The rows of a block divided between its stairwells
    are shared among its parts by their stairwells (largest remainder, so the block's totals stay exact)."""
    buildings = project["buildings"]
    ids = pd.Index(buildings["id"].to_numpy(np.int64), name="id")
    rows = project["register"]
    rows = rows[(rows["status"] == "matched") & rows["building_id"].isin(ids)]
    sums = rows.groupby(["building_id", "kind"])[["persons", "households"]].sum().unstack("kind", fill_value=0)
    out = pd.DataFrame(index=ids)
    for kind in KINDS:
        for what in ("persons", "households"):
            got = sums[(what, kind)] if (what, kind) in sums.columns else pd.Series(dtype="int64")
            out[f"{KIND_KEYS[kind]}_{what}"] = _shared(got.reindex(ids, fill_value=0).astype("int64").to_numpy(), buildings)
    out["persons"] = out[[f"{k}_persons" for k in KIND_KEYS.values()]].sum(axis=1)
    out["households"] = out[[f"{k}_households" for k in KIND_KEYS.values()]].sum(axis=1)
    return out


def _shared(counts: np.ndarray, buildings: pd.DataFrame) -> np.ndarray:
    """`counts` per building with the counts of each block's parts (the block's rows are at its first part,
    which keeps its id) pooled and shared among them by stairwells."""
    part_of = buildings["part_of"].to_numpy(np.int64)
    if not (part_of > 0).any():
        return counts
    counts = counts.copy()
    units = np.maximum(buildings["units"].to_numpy(np.int64), 1)
    for _, parts in pd.Series(np.flatnonzero(part_of > 0)).groupby(part_of[part_of > 0]):
        members = parts.to_numpy()
        counts[members] = whole_shares(int(counts[members].sum()), units[members])
    return counts


def set_balance(project: CensusProject, source: str) -> None:
    """Balance the division on `source` (recorded, register, walk or largest) from now on: the buildings' population
    and households, and their small areas', are set from it; the recorded counts are kept aside while another
    source balances, and come back when "recorded" is chosen again."""
    source = balance_source(source)
    old = project.meta.balance_count
    buildings = project["buildings"].copy()
    if old == "recorded" and source != "recorded":
        buildings["recorded_population"] = buildings["population"]
        buildings["recorded_households"] = buildings["households"]
        project.layers["buildings"] = buildings
    project.meta.balance_count = source
    if source == "recorded" and old != "recorded":
        _apply(project, buildings["recorded_population"].to_numpy(), buildings["recorded_households"].to_numpy())
    else:
        rebalance(project)


def rebalance(project: CensusProject) -> None:
    """Set the buildings' population and households from the project's balance_count again (after the register
    or the recorded counts changed) and recount the small areas whose buildings changed."""
    if project.meta.balance_count == "recorded":
        return
    balanced = balanced_layer(project, project["buildings"])
    _apply(project, balanced["population"].to_numpy(), balanced["households"].to_numpy())


def recorded_fields(project: CensusProject) -> dict[str, str]:
    """Where the office's own counts of a building are kept now: "population" -> the field, "households" -> the
    field (themselves while they balance, else recorded_population and recorded_households)."""
    if project.meta.balance_count == "recorded":
        return {"population": "population", "households": "households"}
    return {"population": "recorded_population", "households": "recorded_households"}


def balanced_layer(project: CensusProject, buildings: pd.DataFrame) -> pd.DataFrame:
    """A copy of `buildings` (the project's, or the layer an edit is about to make) with population and
    households set from the project's balance_count; the register counts of a building it does not know are 0."""
    if project.meta.balance_count == "recorded":
        return buildings.copy()
    counts = register_counts(project).reindex(buildings["id"].to_numpy(np.int64), fill_value=0)
    population, households = balanced_counts(
        (buildings["recorded_population"].to_numpy(), buildings["recorded_households"].to_numpy()),
        (counts["persons"].to_numpy(), counts["households"].to_numpy()),
        (buildings["walk_population"].to_numpy(), buildings["walk_households"].to_numpy()), project.meta.balance_count)
    return buildings.assign(population=np.asarray(population, dtype=np.int64),
                            households=np.asarray(households, dtype=np.int64))


def _apply(project: CensusProject, population: np.ndarray, households: np.ndarray) -> None:
    buildings = project["buildings"]
    changed = (buildings["population"].to_numpy() != population) | (buildings["households"].to_numpy() != households)
    if not changed.any():
        return
    touched = set(buildings.loc[changed, "small_area_code"]) - {""}
    project.layers["buildings"] = buildings.assign(population=np.asarray(population, dtype=np.int64),
                                                   households=np.asarray(households, dtype=np.int64))
    areas = project["small_areas"].copy()
    rows = areas["code"].isin(touched).to_numpy()
    areas.loc[rows, "population"], areas.loc[rows, "households"] = count_population(
        areas.loc[rows, "code"], project["buildings"])
    project.layers["small_areas"] = areas
