"""The register's rows in the project file: imported with their matches, replaced by kind, settled by hand, cleared.

The rows are personal data (names, ID numbers). They live in the project's ``register`` table only — never in a
map, list, report or log — and the addresses a person settled by hand in ``register_choices``, applied first
on the next import. Every change here is made to the project in memory; the caller saves it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis_census.project import CensusProject, conform_layer
from gis_census.register.counts import rebalance
from gis_census.register.match import match_addresses
from gis_census.register.stairwells import record_stairwells

__all__ = ["RegisterImport", "import_register", "clear_register", "settle_address", "remembered_choices",
           "forget_deleted"]


@dataclass(frozen=True)
class RegisterImport:
    """What one import stored: the kind, how many rows replaced those of the kind before (`replaced`), how
    many rows were matched, ambiguous and unmatched, and how many blocks had their stairwells recorded from the
    rows' 单元 (:func:`~gis_census.register.stairwells.record_stairwells`)."""

    kind: str
    rows: int
    replaced: int
    matched: int
    ambiguous: int
    unmatched: int
    stairwells: int


def import_register(project: CensusProject, table: pd.DataFrame, renames: dict[str, str] | None = None) -> RegisterImport:
    """Store the rows of `table` (one kind, as :func:`~gis_census.register.reading.read_register_table` reads
    them) in place of that kind's rows, each with the building the matcher finds for its address (the settled
    choices first; an old street name of `renames` under its present name), record the stairwells the rows name
    for blocks with none recorded, and balance the division again. The project is changed, not saved."""
    kind = str(table["kind"].iloc[0]) if len(table) else ""
    villages = table["village"].to_numpy(object) if table["village"].ne("").any() else None
    matches = match_addresses(project, table["address"].to_numpy(object), villages=villages,
                              remembered=remembered_choices(project), aliases=renames)
    building, status, confidence, candidates = _whole_blocks(project, matches)
    rows = table.assign(building_id=building, status=status, confidence=confidence,
                        candidates=[",".join(map(str, c)) for c in candidates], address_key=matches.normalised)
    old = project["register"]
    kept = old[old["kind"] != kind]
    _set_table(project, "register", pd.concat([kept.drop(columns=kept.geometry.name), rows], ignore_index=True))
    stairwells = record_stairwells(project)
    rebalance(project)
    status = rows["status"].value_counts()
    return RegisterImport(kind, len(rows), len(old) - len(kept), int(status.get("matched", 0)),
                          int(status.get("ambiguous", 0)), int(status.get("unmatched", 0)), stairwells)


def _whole_blocks(project: CensusProject, matches) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, ...]]]:
    """Building ids, statuses, confidences and candidates of `matches`, with an address whose candidates are all the parts of
    one block divided between its stairwells (its address is theirs, less the 单元) placed at that block."""
    building = np.asarray(matches.building_id, dtype=np.int64).copy()
    status = np.asarray(matches.status, dtype=object).copy()
    confidence = np.asarray(matches.confidence, dtype=np.float64).copy()
    candidates = list(matches.candidates)
    buildings = project["buildings"]
    block_of = dict(zip(buildings["id"].to_numpy(np.int64).tolist(), buildings["part_of"].to_numpy(np.int64).tolist()))
    for k in np.flatnonzero(status == "ambiguous"):
        blocks = {block_of.get(int(i), 0) for i in candidates[k]}
        if len(blocks) == 1 and (block := blocks.pop()) > 0:
            building[k], status[k], confidence[k], candidates[k] = block, "matched", 1.0, ()
    return building, status, confidence, candidates


def clear_register(project: CensusProject, kind: str | None = None) -> int:
    """Remove the register's rows (of `kind` only, if given) and balance again; the number of rows removed."""
    old = project["register"]
    gone = old["kind"] == kind if kind else np.ones(len(old), dtype=bool)
    _set_table(project, "register", old.loc[~gone].drop(columns=old.geometry.name))
    if not kind:
        _set_table(project, "register_choices", pd.DataFrame(columns=["address", "building_id"]))
    rebalance(project)
    return int(gone.sum())


def settle_address(project: CensusProject, address: str, building_id: int, village: str = "") -> int:
    """Place the rows whose address (in `village`, its 所属村 as the rows write it) reads as `address` does at
    building `building_id`, and remember the choice for the next import; the number of rows placed."""
    key = str(match_addresses(project, [address], villages=[village] if village else None).normalised[0])
    rows = project["register"].copy()
    unkeyed = (rows["address_key"] == "").to_numpy()  # rows stored before the key was (a project of an older version)
    if unkeyed.any():
        rows.loc[unkeyed, "address_key"] = _keys(project, rows.loc[unkeyed])
    hit = (rows["address_key"] == key).to_numpy()
    rows.loc[hit, ["building_id", "status", "confidence", "candidates"]] = [int(building_id), "matched", 1.0, ""]
    _set_table(project, "register", rows.drop(columns=rows.geometry.name))
    choices = project["register_choices"]
    _set_table(project, "register_choices", pd.concat(
        [choices.loc[choices["address"] != key].drop(columns=choices.geometry.name),
         pd.DataFrame({"address": [key], "building_id": [int(building_id)]})], ignore_index=True))
    rebalance(project)
    return int(np.count_nonzero(hit))


def _keys(project: CensusProject, rows: pd.DataFrame) -> np.ndarray:
    """The rows' addresses as the matcher keys them (with their village column, as on import)."""
    if not len(rows):
        return np.zeros(0, dtype=object)
    villages = rows["village"].to_numpy(object) if rows["village"].ne("").any() else None
    return match_addresses(project, rows["address"].to_numpy(object), villages=villages).normalised


def remembered_choices(project: CensusProject) -> dict[str, int]:
    """The settled choices: normalised address -> building id."""
    choices = project["register_choices"]
    return {a: int(b) for a, b in zip(choices["address"], choices["building_id"])}


def forget_deleted(path: str | Path) -> None:
    """Rewrite the project file without its free pages (SQLite VACUUM), so the bytes of removed register rows
    do not linger in it."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("VACUUM")
    finally:
        db.close()


def _set_table(project: CensusProject, name: str, frame: pd.DataFrame) -> None:
    frame = frame.reset_index(drop=True)
    project.layers[name] = conform_layer(name, gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries([None] * len(frame), crs=project.crs)))
