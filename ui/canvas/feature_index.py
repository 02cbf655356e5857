"""FeatureIndex: an rtree index of one layer's features by key, updated feature by feature as edits land."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from rtree import index

from gis_census.rules import has_land

__all__ = ["FeatureIndex"]


class FeatureIndex:
    """The features of one layer at a map point, and their geometries, by the layer's key (code or id)."""

    def __init__(self, gdf: gpd.GeoDataFrame, key: str):
        self._key = key
        self._ids: dict[object, int] = {}
        self._keys: dict[int, object] = {}
        self._geoms: dict[int, shapely.Geometry] = {}
        self._next = 0
        geoms = np.asarray(gdf.geometry.array, dtype=object)
        keys = gdf[key].tolist()
        present = has_land(geoms)
        bounds = shapely.bounds(geoms[present])
        items = []
        for k, g, b in zip(np.asarray(keys, dtype=object)[present].tolist(), geoms[present], bounds.tolist()):
            i = self._remember(k, g)
            items.append((i, b, None))
        # Bulk loading (sort-tile-recursive) is several times faster than inserting one by one.
        self._tree = index.Index(items) if items else index.Index()

    def __len__(self) -> int:
        return len(self._ids)

    def update(self, removed: gpd.GeoDataFrame, added: gpd.GeoDataFrame) -> None:
        """Drop the features of `removed` and insert those of `added` (rows of the same layer)."""
        for k in removed[self._key].tolist():
            i = self._ids.pop(k, None)
            if i is None:
                continue
            self._tree.delete(i, shapely.bounds(self._geoms.pop(i)).tolist())
            del self._keys[i]
        for k, g in zip(added[self._key].tolist(), added.geometry.array):
            if g is None or g.is_empty:
                continue
            self._tree.insert(self._remember(k, g), shapely.bounds(g).tolist())

    def at(self, x: float, y: float) -> list:
        """Keys of the features covering the point (x, y), in index order."""
        point = shapely.Point(x, y)
        return [self._keys[i] for i in sorted(self._tree.intersection((x, y, x, y)))
                if shapely.covers(self._geoms[i], point)]

    def geometries(self, keys) -> np.ndarray:
        """The geometries of `keys` (known keys only)."""
        return np.array([self._geoms[self._ids[k]] for k in keys if k in self._ids], dtype=object)

    def _remember(self, key, geom) -> int:
        i = self._next
        self._next += 1
        self._ids[key] = i
        self._keys[i] = key
        self._geoms[i] = geom
        return i
