"""The small area's map file for phones and tablets, written for the walk and read back from it.

Three formats of the same features, all in WGS 84 (EPSG:4326), each building with the attributes
:data:`~gis_census.fieldwork.values.ATTRIBUTES` (its name "370481102001025-003", number, address, use, households,
population, stairwells, status and notes) and the area's boundary:

- ``<code>.gpkg`` for QField (and QGIS): layers ``boundary``, ``buildings`` and an empty point layer
  ``new_buildings`` to mark new buildings on;
- ``<code>.geojson`` (RFC 7946) for OsmAnd, Organic Maps and most map apps that import GeoJSON;
- ``<code>.kml`` for 2bulu (两步路), OsmAnd, Organic Maps and Google Earth.

Back from the walk a building carries status 拆除 (demolished), or is new: a point or polygon with status
新增 or without a number. GeoJSON and GeoPackage are read back (KML too, where the app kept the attributes).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.errors import Finding
from gis_census.fieldwork.values import ADDED, ATTRIBUTES, BadValue, read_count, read_status, read_text, read_use
from gis_census.rules import building_name

__all__ = ["FORMATS", "MapFeature", "write_exchange", "read_exchange"]

#: File suffixes of the map files, in the order written.
FORMATS = (".gpkg", ".geojson", ".kml")
READABLE = (".gpkg", ".geojson", ".json", ".kml")
_WGS84 = "EPSG:4326"
_COUNTS = ("households", "population", "units")


@dataclass(frozen=True)
class MapFeature:
    """One building brought back in a map file: `values` holds the attributes it has (parsed, present keys
    only), `geometry` is in the project's CRS; `file`, `layer` and `feature` (1-based) locate it."""

    file: str
    layer: str
    feature: int
    small_area: str
    number: int | None
    status: str
    values: dict
    geometry: object

    @property
    def is_new(self) -> bool:
        return self.status == ADDED or not self.number

    def fault(self, key: str, field: str = "", **params) -> Finding:
        return Finding(key, file=self.file, layer=self.layer, feature=str(self.feature), field=field, params=params)


def _building_frame(code: str, buildings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows = buildings.sort_values("number", kind="stable")
    return gpd.GeoDataFrame({
        "name": [building_name(code, n, i) for n, i in zip(rows["number"], rows["id"])],
        "small_area": code,
        "number": rows["number"].to_numpy(np.int64),
        "address": rows["address"].astype(str).to_numpy(object),
        "use": rows["use"].astype(str).to_numpy(object),
        **{k: rows[k].to_numpy(np.int64) for k in _COUNTS},
        "status": "",
        "notes": rows["notes"].astype(str).to_numpy(object),
    }, geometry=rows.geometry.to_crs(_WGS84).to_numpy(), crs=_WGS84)


def write_exchange(code: str, boundary, buildings: gpd.GeoDataFrame, crs: str, temp_for, folder: Path) -> list[Path]:
    """Write the map files of small area `code` into `folder` through `temp_for(target)` (see
    :func:`gis_census.outputs.atomic_files`): `boundary` its polygon and `buildings` its rows, in `crs`."""
    import pyogrio

    features = _building_frame(code, buildings)
    outline = gpd.GeoDataFrame({"name": [code], "kind": ["boundary"]}, geometry=[boundary], crs=crs).to_crs(_WGS84)
    # GeoJSON and KML hold the boundary among the buildings, marked by `kind`, with the same attributes
    blank = {"small_area": code, "number": 0, "address": "", "use": "", **{k: 0 for k in _COUNTS}, "status": "", "notes": ""}
    mixed = gpd.GeoDataFrame(pd.concat([outline.assign(**blank)[[*ATTRIBUTES, "kind", "geometry"]],
                                        features.assign(kind="building")], ignore_index=True), crs=_WGS84)
    written = []
    for suffix in FORMATS:
        target = folder / f"{code}{suffix}"
        tmp = temp_for(target)
        if suffix == ".gpkg":
            pyogrio.write_dataframe(outline, tmp, layer="boundary", driver="GPKG")
            pyogrio.write_dataframe(features, tmp, layer="buildings", driver="GPKG")
            pyogrio.write_dataframe(features.iloc[:0], tmp, layer="new_buildings", driver="GPKG", geometry_type="Point")
        elif suffix == ".geojson":
            pyogrio.write_dataframe(mixed, tmp, driver="GeoJSON", layer=code, layer_options={"RFC7946": "YES"})
        else:
            pyogrio.write_dataframe(mixed, tmp, driver="KML", layer=code, dataset_options={"NameField": "name"})
        written.append(target)
    return written


def read_exchange(path: str | os.PathLike, crs: str) -> tuple[list[MapFeature], list[Finding]]:
    """The buildings of the map file at `path` (GeoPackage: its layers ``buildings`` and ``new_buildings``;
    GeoJSON or KML: every feature but the boundary), geometry in `crs`; and the faults found reading them."""
    import pyogrio

    path = Path(path)
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        if path.suffix.lower() == ".gpkg":
            layers = [name for name in layers if name in ("buildings", "new_buildings")]
        # GDAL warns of a column of mixed types ("很多" among numbers): each value is read below and a bad one named
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames = [(name, gpd.read_file(path, layer=name, engine="pyogrio")) for name in layers]
    except Exception as exc:  # GDAL names what it could not read
        return [], [Finding("fieldwork_file_unreadable", file=str(path), params={"reason": f"{type(exc).__name__}: {exc}"})]
    features: list[MapFeature] = []
    faults: list[Finding] = []
    for layer, frame in frames:
        if frame.crs is None:
            frame = frame.set_crs(_WGS84)
        # phones record heights: census maps are 2-D
        geoms = shapely.force_2d(frame.geometry.to_crs(crs).to_numpy()) if len(frame) else []
        for i, (row, geom) in enumerate(zip(frame.drop(columns=frame.geometry.name).to_dict("records"), geoms), start=1):
            row = {str(k).lower(): v for k, v in row.items()}
            if _is_boundary(row):
                continue
            feature, bad = _feature(path, layer, i, row, geom)
            faults += bad
            if feature is not None:
                features.append(feature)
    return features, faults


def _is_boundary(row: dict) -> bool:
    """The small area's outline: marked so, or (an app having dropped the other attributes) named by a bare code."""
    name = read_text(row.get("name"))
    return read_text(row.get("kind")) == "boundary" or (len(name) == 15 and name.isascii() and name.isdigit())


def _feature(path: Path, layer: str, i: int, row: dict, geom) -> tuple[MapFeature | None, list[Finding]]:
    values: dict = {}
    bad: list[Finding] = []
    readers = {"number": read_count, "status": read_status, "use": read_use, "address": read_text, "notes": read_text,
               **{k: read_count for k in _COUNTS}}
    for key, read in readers.items():
        if key not in row:
            continue
        try:
            value = read(row[key])
        except BadValue as exc:
            bad.append(Finding(exc.key, file=str(path), layer=layer, feature=str(i), field=key, params=exc.params))
            continue
        if value is not None:
            values[key] = value
    if bad:
        return None, bad
    name = read_text(row.get("name"))
    area = read_text(row.get("small_area")) or (name.split("-")[0] if "-" in name else "")
    return MapFeature(str(path), layer, i, area, values.pop("number", None), values.pop("status", ""), values, geom), []
