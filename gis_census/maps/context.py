"""What every map of a project needs, computed once per job: layer arrays, spatial indexes, names, fonts."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.i18n import current_language, tr
from gis_census.maps.fonts import TextMeasure, map_font
from gis_census.messages import MESSAGES
from gis_census.places import place_name
from gis_census.project import CensusProject
from gis_census.rules import has_land

__all__ = ["MapContext"]


class _Layer:
    """Geometries of one layer (missing/empty dropped), its attribute arrays, and an STRtree."""

    def __init__(self, gdf, columns):
        geoms = np.asarray(gdf.geometry.array, dtype=object)
        keep = has_land(geoms)
        self.geoms = geoms[keep]
        self.attrs = {c: gdf[c].to_numpy()[keep] for c in columns}
        self.tree = shapely.STRtree(self.geoms)

    def __getitem__(self, column):
        return self.attrs[column]

    def __len__(self):
        return len(self.geoms)

    def query(self, rect) -> np.ndarray:
        """Indices of the features meeting the ground rectangle `rect`, in layer order."""
        return np.sort(self.tree.query(shapely.box(*rect), predicate="intersects"))


class MapContext:
    """A project prepared for drawing maps in language `lang`."""

    def __init__(self, project: CensusProject, lang: str | None = None):
        self.project = project
        self.meta = project.meta
        self.lang = lang or current_language()
        self.areas = _Layer(project["small_areas"], ["code", "district_code", "seq", "population", "households",
                                                      "supervisor_group"])
        self.buildings = _Layer(project["buildings"], ["number", "address", "population", "households",
                                                       "small_area_code", "use"])
        self.buildings.attrs["anchor"] = shapely.get_coordinates(shapely.point_on_surface(self.buildings.geoms))
        self.districts = _Layer(project["districts"], ["code", "village_code", "name"])
        self.villages = _Layer(project["villages"], ["code", "name"])
        self.roads = _Layer(project["roads"], ["name", "kind"])
        self.water = _Layer(project["water"], ["name", "kind"])
        self.landmarks = _Layer(project["landmarks"], ["name", "kind"])
        self.village_names = dict(zip(self.villages["code"], self.villages["name"]))
        self.district_names = dict(zip(self.districts["code"], self.districts["name"]))
        self.district_villages = dict(zip(self.districts["code"], self.districts["village_code"]))
        self.regular = str(map_font(self._characters(), "regular"))
        self.bold = str(map_font(self._characters(), "bold"))
        self.measure = TextMeasure(self.regular)
        self.measure_bold = TextMeasure(self.bold)

    def _characters(self) -> str:
        """Every character the maps of this project may print."""
        texts = [self.meta.county_name, self.meta.township_name, "0123456789,.:人米千"]
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
