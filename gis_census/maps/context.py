"""What every map of a project needs, computed once per job: layer arrays, spatial indexes, names, fonts."""

from __future__ import annotations

import copy

import numpy as np
import shapely

from gis_census.fonts import TextMeasure, map_font
from gis_census.i18n import current_language, tr
from gis_census.messages import MESSAGES
from gis_census.places import place_name
from gis_census.project import CensusProject
from gis_census.rules import has_land

__all__ = ["MapContext", "LAYERS"]

#: The layers a map draws, with the attribute columns it reads.
LAYERS = {
    "areas": ("small_areas", ["code", "district_code", "seq", "population", "households", "supervisor_group"]),
    "buildings": ("buildings", ["number", "address", "population", "households", "small_area_code", "use"]),
    "districts": ("districts", ["code", "village_code", "name"]),
    "villages": ("villages", ["code", "name"]),
    "roads": ("roads", ["name", "kind"]),
    "water": ("water", ["name", "kind"]),
    "landmarks": ("landmarks", ["name", "kind"]),
}


class _Layer:
    """Geometries of one layer (missing/empty dropped), its attribute arrays, and an STRtree."""

    def __init__(self, geoms: np.ndarray, attrs: dict[str, np.ndarray]):
        self.geoms = geoms
        self.attrs = attrs
        self.tree = shapely.STRtree(self.geoms)

    @classmethod
    def of(cls, gdf, columns) -> _Layer:
        geoms = np.asarray(gdf.geometry.array, dtype=object)
        keep = has_land(geoms)
        return cls(geoms[keep], {c: gdf[c].to_numpy()[keep] for c in columns})

    def take(self, idx: np.ndarray) -> _Layer:
        """The features `idx` (sorted, so that the layer's order is kept)."""
        return _Layer(self.geoms[idx], {c: v[idx] for c, v in self.attrs.items()})

    def __reduce__(self):
        # One vectorised WKB call each way: pickling shapely objects one by one costs several times more.
        return _from_wkb, (shapely.to_wkb(self.geoms), self.attrs)

    def __getitem__(self, column):
        return self.attrs[column]

    def __len__(self):
        return len(self.geoms)

    def query(self, rect) -> np.ndarray:
        """Indices of the features meeting the ground rectangle `rect`, in layer order."""
        return np.sort(self.tree.query(shapely.box(*rect), predicate="intersects"))


def _from_wkb(wkb: np.ndarray, attrs: dict[str, np.ndarray]) -> _Layer:
    return _Layer(shapely.from_wkb(wkb), attrs)


class MapContext:
    """A project prepared for drawing maps in language `lang`.

    It pickles compactly (geometries as WKB), so that worker processes receive it once;
    :meth:`subset` cuts it down to the features some maps show.
    """

    areas: _Layer
    buildings: _Layer
    districts: _Layer
    villages: _Layer
    roads: _Layer
    water: _Layer
    landmarks: _Layer

    def __init__(self, project: CensusProject, lang: str | None = None, basemap=None):
        self.meta = project.meta
        self.lang = lang or current_language()
        self.basemap = basemap  # a maps.basemap.Basemap drawn under the map frames, or None
        for name, (layer, columns) in LAYERS.items():
            setattr(self, name, _Layer.of(project[layer], columns))
        self.village_names = dict(zip(self.villages["code"], self.villages["name"]))
        self.district_names = dict(zip(self.districts["code"], self.districts["name"]))
        self.district_villages = dict(zip(self.districts["code"], self.districts["village_code"]))
        characters = self._characters()
        self.regular = str(map_font(characters, "regular"))
        self.bold = str(map_font(characters, "bold"))
        self.measure = TextMeasure(self.regular)
        self.measure_bold = TextMeasure(self.bold)

    def subset(self, keep: dict[str, np.ndarray]) -> MapContext:
        """This context with only the features `keep[layer]` (sorted indices) of the layers named;
        names, fonts and the other layers are shared."""
        part = copy.copy(self)
        for name, idx in keep.items():
            setattr(part, name, getattr(self, name).take(idx))
        return part

    def _characters(self) -> str:
        """Every character the maps of this project may print."""
        texts = [self.meta.county_name, self.meta.township_name, "0123456789,.:-人米千"]
        if self.basemap is not None:
            texts.append(self.basemap.source)
        for layer in (self.villages, self.districts, self.roads, self.water, self.landmarks):
            texts.extend(map(str, layer["name"]))
        texts.extend(map(str, self.buildings["address"]))
        texts.extend(zh + en for key, (zh, en) in MESSAGES.items() if key.startswith("map_"))
        return "".join(set("".join(texts)))

    def tr(self, key: str, **params) -> str:
        return tr(key, self.lang, **params)

    @property
    def place_prefix(self) -> str:
        """County and township name, as titles begin (each left out when the project has none)."""
        return self.place(self.meta.county_name, self.meta.township_name)

    def district_place(self, district_code: str) -> str:
        """County, township and village (or district) name of a district, as in titles."""
        village = self.village_names.get(self.district_villages.get(district_code, ""), "")
        name = village or self.district_names.get(district_code, "")
        return self.place(self.meta.county_name, self.meta.township_name, name)

    def place(self, *names: str) -> str:
        """`names` from the largest unit to the smallest, joined as in a title: a missing name is left
        out, and one that the next already begins with is not repeated ("白坡镇" + "白坡镇小尹村")."""
        return place_name(names, "" if self.lang == "zh" else " ")  # Chinese names run on: 滕州市白坡镇
