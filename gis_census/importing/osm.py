"""Roads and water from an OpenStreetMap extract (.osm, .osm.pbf), read with GDAL's OSM driver."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from gis_census.errors import InputError

__all__ = ["is_osm", "read_osm"]

#: The highway classes a person walks or drives along (not paths drawn for routing only, e.g. proposed ways).
ROAD_CLASSES = frozenset({
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "living_street",
    "service", "pedestrian", "track", "footway", "path", "cycleway", "steps",
    "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link",
})
#: The waterway classes of a line and the water of an area one sees on the ground.
WATER_CLASSES = frozenset({"river", "stream", "canal", "drain", "ditch", "riverbank", "water"})

_TAG = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


def is_osm(path: Path) -> bool:
    """Whether `path` names an OpenStreetMap extract (by its suffix: .osm or .pbf)."""
    return path.suffix.lower() in (".osm", ".pbf")


def read_osm(path: Path, role: str) -> gpd.GeoDataFrame:
    """The `role` ("roads" or "water") features of the extract at `path` with their ``name`` (name:zh
    before name) and ``kind`` (the highway or waterway class), in WGS 84, index the OSM feature id.

    Roads are the ``lines`` with a highway of :data:`ROAD_CLASSES`; water is the ``lines`` with a
    waterway and the ``multipolygons`` whose natural or waterway tag is in :data:`WATER_CLASSES`.
    """
    if role not in ("roads", "water"):
        raise InputError("osm_role", file=str(path), role=role)
    lines = _layer(path, "lines", ["name", "highway", "waterway", "other_tags"])
    if role == "roads":
        return _named(lines, lines["highway"], ROAD_CLASSES)
    areas = _layer(path, "multipolygons", ["name", "natural", "other_tags"])
    water_kind = areas["natural"].where(areas["natural"].notna(), _tag(areas["other_tags"], "waterway"))
    found = [_named(lines, lines["waterway"], WATER_CLASSES), _named(areas, water_kind, WATER_CLASSES)]
    return pd.concat([f for f in found if len(f)] or found[:1])


def _layer(path: Path, layer: str, columns: list[str]) -> gpd.GeoDataFrame:
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, columns=columns, fid_as_index=True)
    except Exception as exc:
        raise InputError("read_failed", file=str(path), layer=layer, reason=str(exc)) from None
    for column in columns:  # a field no feature uses is left out by the driver
        if column not in gdf:
            gdf[column] = None
    return gdf


def _named(gdf: gpd.GeoDataFrame, kind: pd.Series, classes: frozenset[str]) -> gpd.GeoDataFrame:
    keep = kind.isin(classes).to_numpy()
    name_zh = _tag(gdf["other_tags"], "name:zh")
    name = name_zh.where(name_zh.notna(), gdf["name"]).fillna("")
    return gpd.GeoDataFrame({"name": name[keep].to_numpy(), "kind": kind[keep].to_numpy()},
                            geometry=gdf.geometry.to_numpy()[keep], crs=gdf.crs, index=gdf.index[keep])


def _tag(other_tags: pd.Series, key: str) -> pd.Series:
    """The value of tag `key` in GDAL's hstore-style ``other_tags`` ('"k"=>"v","k2"=>"v2"'), or None."""
    found = [dict(_TAG.findall(text)).get(key) if isinstance(text, str) else None for text in other_tags]
    return pd.Series(np.array(found, dtype=object), index=other_tags.index)
