"""The buildings' normalised addresses, indexed for matching; built once per buildings layer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gis_census.register.address import SEP, Prefixes, normalise_many, placed, split_key

__all__ = ["BuildingIndex", "building_index"]


@dataclass
class BuildingIndex:
    """Building ids by canonical key, township-wide and per village."""

    prefixes: Prefixes
    stamp: int
    by_key: dict[str, list[int]] = field(default_factory=dict)
    by_village_key: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: (door, building) -> the streets with that number and, per street, (building id, village code) pairs
    by_number: dict[tuple[str, str], dict[str, list[tuple[int, str]]]] = field(default_factory=dict)
    #: (street, door) -> the buildings behind that door (a compound's houses, an estate's blocks)
    by_door: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: every street of the township, and every village's short name
    streets: frozenset[str] = frozenset()

    @staticmethod
    def stamp_of(project, layer: pd.DataFrame) -> int:
        """A hash of what the index reads: ids, addresses, villages and the names that prefix addresses."""
        columns = layer[["id", "address", "village_code"]]
        names = (project.meta.county_name, project.meta.township_name, tuple(project["villages"]["name"]))
        return hash((int(pd.util.hash_pandas_object(columns, index=False).sum()), names))

    def exact(self, key: str, village: str) -> list[int]:
        """Buildings with `key`: in `village` when given and it has any, else in the township."""
        if village:
            found = self.by_village_key.get((village, key))
            if found:
                return found
        return self.by_key.get(key, [])


def building_index(project, layer: pd.DataFrame, stamp: int) -> BuildingIndex:
    """Index `layer` (the project's buildings) by the canonical key of each building's address."""
    prefixes = Prefixes.of(project)
    keys, prefix_villages = normalise_many(layer["address"], prefixes)
    villages = np.where(prefix_villages == "", layer["village_code"].astype(str).to_numpy(), prefix_villages)
    ids = layer["id"].to_numpy(dtype=np.int64)
    by_key: dict[str, list[int]] = defaultdict(list)
    by_village_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_number: dict[tuple[str, str], dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    by_door: dict[tuple[str, str], list[int]] = defaultdict(list)
    for building, key, village in zip(ids.tolist(), placed(keys, villages, prefixes), villages):
        if key.strip(SEP):
            by_key[key].append(building)
            by_village_key[(village, key)].append(building)
            street, door, number = split_key(key)
            if door:
                by_number[(door, number)][street].append((building, village))
                by_door[(street, door)].append(building)
    return BuildingIndex(prefixes, stamp, dict(by_key), dict(by_village_key),
                         {n: dict(streets) for n, streets in by_number.items()}, dict(by_door),
                         frozenset(street for street, _ in by_door) | frozenset(prefixes.street_of.values()))
