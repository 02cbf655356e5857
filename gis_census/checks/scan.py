"""The buildings read and checked a batch at a time (:mod:`~gis_census.checks.buildings`): by forked worker
processes that each read their own parts of the file, or, where a process cannot fork, by threads as the
batches are read.

Processes, because much of a batch's check is Python holding the GIL: two threads gave the 100,000-area
check 10 %; two processes took it from 22 s to 15.6 s. Each worker inherits the scope at the fork (nothing of it
is pickled) and sends back what the join needs, the footprints staying behind; the main process checks the
small areas meanwhile.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import shapely

from gis_census.checks.buildings import Batch, BuildingScan, Gathered, Scope, check_batch
from gis_census.checks.problem import Problem
from gis_census.errors import ProjectError
from gis_census.forking import forked_pool, may_fork
from gis_census.memory import return_freed_memory
from gis_census.project.layers import read_batches

__all__ = ["FileBuildings", "scan_buildings"]

_WORKERS = min(os.cpu_count() or 1, 4)
T = TypeVar("T")


@dataclass
class FileBuildings:
    """Buildings that worker processes read from a GeoPackage a part at a time: its path, the fid ranges of
    the parts (:meth:`~gis_census.project.CensusProject.file_parts`) and the columns the checks need."""

    path: Path
    parts: list[tuple[int, int]]
    fields: list[str]


#: The buildings as batches of column arrays (with "geometry" and a "fid" each), or parts of a file; and what
#: gives back the geometries of some fids.
BuildingSource = tuple[Iterable[dict[str, np.ndarray]] | FileBuildings, Callable[[np.ndarray], np.ndarray]]


def scan_buildings(source: BuildingSource, scope: Scope, meanwhile: Callable[[], T]) -> tuple[BuildingScan, T]:
    """Check the buildings of `source` against `scope` and run `meanwhile` beside; both results."""
    batches, fetch = source
    if isinstance(batches, FileBuildings):
        if _can_fork(len(batches.parts)):
            return _forked(batches, fetch, scope, meanwhile)
        batches = _read(batches)
    if isinstance(batches, list) and len(batches) == 1:  # a district after an edit: no threads, nothing to join
        beside = meanwhile()
        gathered = Gathered(len(batches[0]["fid"]))
        gathered.add(check_batch(batches[0], scope, alone=True))
        return gathered.join(fetch, scope), beside
    gathered = Gathered(0)
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(1, thread_name_prefix="gis-census-areas") as background:
        beside_pending = background.submit(meanwhile)
        with ThreadPoolExecutor(_WORKERS, thread_name_prefix="gis-census-check") as pool:
            for batch in batches:  # read here while the pool checks the batches before
                pending.append(pool.submit(check_batch, batch, scope))
                if len(pending) > _WORKERS:
                    gathered.add(pending.popleft().result())
            for future in pending:
                gathered.add(future.result())
        return_freed_memory()
        return gathered.join(fetch, scope), beside_pending.result()


def _can_fork(parts: int) -> bool:
    """Whether the parts go to forked processes: several parts and cores, where the process may fork."""
    return parts > 1 and _WORKERS > 1 and may_fork()


def _read(source: FileBuildings) -> Iterable[dict[str, np.ndarray]]:
    """The parts of the file read in turn, here."""
    try:
        for part in source.parts:
            yield from read_batches(source.path, "buildings", source.fields, part[1] - part[0], fids=part)
    except Exception as exc:
        raise ProjectError("project_layer_unreadable", path=str(source.path), layer="buildings", reason=str(exc)) from None


#: The scope of the check under way in forked workers: each inherits it at the fork.
_forked_scope: Scope | None = None


def _forked(source: FileBuildings, fetch, scope: Scope, meanwhile: Callable[[], T]) -> tuple[BuildingScan, T]:
    global _forked_scope
    _forked_scope = scope
    try:
        with forked_pool(min(_WORKERS, len(source.parts))) as pool:
            futures = [pool.submit(_check_part, source, part) for part in source.parts]
            try:
                beside = meanwhile()
                gathered = Gathered(sum(end - first for first, end in source.parts))
                for future in futures:  # gathered while the later parts are checked
                    checked = future.result()
                    if checked is not None:  # a part without features
                        gathered.add(_unpacked(*checked))
            except _Unreadable as exc:
                pool.shutdown(cancel_futures=True)
                raise ProjectError("project_layer_unreadable", path=str(source.path), layer="buildings",
                                   reason=str(exc)) from None
            except BaseException:  # an error in the areas' checks, or Ctrl+C: the parts not begun are dropped
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        _forked_scope = None
    return gathered.join(fetch, scope), beside


class _Unreadable(Exception):
    """A part of the file a worker could not read (the reason), told to the main process."""


def _check_part(source: FileBuildings, part: tuple[int, int]) -> tuple[Batch, dict] | None:
    """In a worker: the check of one part of the file, and its problems packed apart; None for a part
    without features."""
    assert _forked_scope is not None
    try:
        cols = next(iter(read_batches(source.path, "buildings", source.fields, part[1] - part[0], fids=part)), None)
    except Exception as exc:
        raise _Unreadable(str(exc)) from None
    if cols is None:
        return None
    batch = check_batch(cols, _forked_scope)
    problems, batch.problems = batch.problems, {}
    return batch, _packed(problems)


def _packed(problems: dict[str, list[Problem]]) -> dict[str, tuple[list[tuple], np.ndarray]]:
    """Problems as a few arrays: pickled, a hundred thousand Problem objects each with its geometry cost more
    than checking them."""
    return {kind: ([(p.layer, p.features, p.value, p.detail, p.names) for p in found],
                   shapely.to_wkb(np.array([p.location for p in found], dtype=object)))
            for kind, found in problems.items()}


def _unpacked(batch: Batch, packed: dict[str, tuple[list[tuple], np.ndarray]]) -> Batch:
    for kind, (rows, wkb) in packed.items():
        locations: Iterable = shapely.from_wkb(wkb)
        batch.problems[kind] = [Problem(kind, layer, features, value, location, detail, names)
                                for (layer, features, value, detail, names), location in zip(rows, locations)]
    return batch
