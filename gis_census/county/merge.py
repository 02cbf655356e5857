"""The county: its township projects checked one by one and across their lines, merged into one read-only project."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis_census.checks import Problem, check_project, summarize
from gis_census.checks.problem import sort_key
from gis_census.checks.store import problems_layer
from gis_census.county.across import NOISE_WIDTH, codes_across, gaps_across, overlaps_across
from gis_census.errors import CensusError
from gis_census.feedback import Feedback
from gis_census.forking import forked_pool, may_fork
from gis_census.project import CensusProject, ProjectMeta
from gis_census.project.meta import COUNTY_KEY, READ_ONLY_KEY

__all__ = ["Township", "County", "township_files", "merge_county"]

#: The layers a county project holds: the division and what is drawn with it; never the household register.
MERGED = ("villages", "districts", "small_areas", "buildings", "roads", "water", "landmarks")


@dataclass(frozen=True)
class Township:
    """One township project of the county, as read and checked."""

    file: str
    code: str
    name: str
    villages: int
    small_areas: int
    buildings: int
    population: int
    households: int
    errors: int
    warnings: int


@dataclass
class County:
    """The merged county: its project (read-only), its townships, the faults across them and per township."""

    project: CensusProject
    townships: list[Township]
    across: list[Problem]
    within: dict[str, list[Problem]]  # by file name
    missing: list[str]

    @property
    def errors(self) -> int:
        return len(self.across) + len(self.missing) + sum(t.errors for t in self.townships)


def township_files(sources: list[str | os.PathLike]) -> list[Path]:
    """The township projects named: files as given, a folder's *.gpkg files in name order."""
    files: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            files += sorted(p for p in source.glob("*.gpkg") if p.is_file())
        elif source.is_file():
            files.append(source)
        else:
            raise CensusError("county_source_missing", path=str(source))
    if not files:
        raise CensusError("county_no_townships", paths=", ".join(map(str, sources)))
    return files


def merge_county(files: list[Path], expect: list[str] | None = None, noise: float = NOISE_WIDTH,
                 feedback: Feedback | None = None) -> County:
    """Read and check the township projects `files`, check across them, and merge them into one county project.

    Parameters
    ----------
    files : township projects (one GeoPackage each), in one CRS or reprojected to the first's
    expect : the county's township codes (9 digits); those with no project are listed as missing
    noise : faults across township lines narrower than this (m) everywhere are digitising noise
    """
    feedback = feedback or Feedback()
    layers: dict[str, list[gpd.GeoDataFrame]] = {name: [] for name in MERGED}
    townships, within, crs, first = [], {}, None, None
    for k, (read, meta, problems, township) in enumerate(_read_and_check(files)):
        crs, first = crs or meta.crs, first or meta
        for name in MERGED:
            gdf = read[name]
            layers[name].append(gdf.to_crs(crs) if meta.crs != crs and len(gdf) else gdf)
        within[township.file] = problems
        townships.append(township)
        feedback.set_progress(100 * (k + 1) / (len(files) + 1))
    merged = {name: _concat(frames, crs) for name, frames in layers.items()}
    merged["buildings"]["id"] = np.arange(1, len(merged["buildings"]) + 1)  # each township numbers its own from 1
    villages = merged["villages"]
    owner = np.repeat([t.code for t in townships], [len(f) for f in layers["villages"]])
    county_code = townships[0].code[:6]
    geoms, codes = villages.geometry.values, villages["code"].to_numpy()
    across = overlaps_across(geoms, codes, owner, noise) + gaps_across(geoms, codes, owner, county_code, noise)
    for name in ("villages", "districts", "small_areas"):
        owners = np.repeat([t.code for t in townships], [len(f) for f in layers[name]])
        across += codes_across(name, merged[name]["code"].to_numpy(), owners)
    across.sort(key=sort_key)
    merged["problems"] = problems_layer(across + [p for ps in within.values() for p in ps], crs)
    meta = ProjectMeta(township_code=county_code, township_name="", county_code=county_code,
                       county_name=first.county_name if first else "", crs=crs or "")
    project = CensusProject(meta, {})
    project.layers.update(merged)  # read as the schema wants them, and concatenated so: no second conforming (1 s a county)
    project.set_keys({READ_ONLY_KEY: "county", COUNTY_KEY: json.dumps([asdict(t) for t in townships], ensure_ascii=False)})
    present = {t.code for t in townships}
    feedback.set_progress(100)
    return County(project, townships, across, within, [c for c in expect or [] if c not in present])


def _read_and_check(files: list[Path]) -> Iterator[tuple[dict[str, gpd.GeoDataFrame], ProjectMeta, list[Problem], Township]]:
    """Each township's layers, settings, problems and figures, in the order of `files`: read and checked by forked
    processes (the county's 20 townships: 3.7 s on one core), or here where a process cannot fork."""
    workers = min(len(files), os.cpu_count() or 1, 4)
    if workers < 2 or not may_fork():
        yield from map(_read_checked, files)
        return
    with forked_pool(workers) as pool:
        futures = [pool.submit(_read_checked, file) for file in files]
        try:
            for future in futures:
                yield future.result()
        except BaseException:  # a township refused, or Ctrl+C: those not begun are dropped
            pool.shutdown(cancel_futures=True)
            raise


def _read_checked(file: Path) -> tuple[dict[str, gpd.GeoDataFrame], ProjectMeta, list[Problem], Township]:
    """One township project's merged layers (held whole, so the check forks no workers of its own), settings,
    problems and figures."""
    project = CensusProject.open(file, lazy=True)
    layers = {name: project[name] for name in MERGED}
    problems = check_project(project)
    return layers, project.meta, problems, _township(file, project, problems)


def _township(file: Path, project: CensusProject, problems: list[Problem]) -> Township:
    buildings, summary = project["buildings"], summarize(problems)
    return Township(file.name, project.meta.township_code, project.meta.township_name, len(project["villages"]),
                    len(project["small_areas"]), len(buildings), int(buildings["population"].sum()),
                    int(buildings["households"].sum()), summary["errors"], summary["warnings"])


def _concat(frames: list[gpd.GeoDataFrame], crs) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry=frames[0].geometry.name, crs=crs)
