"""Problems as a `problems` layer of the project, so that QGIS and the app can show them."""

from __future__ import annotations

import geopandas as gpd

from gis_census.checks.problem import Problem
from gis_census.i18n import current_language
from gis_census.project import conform_layer

__all__ = ["problems_layer"]


def problems_layer(problems: list[Problem], crs) -> gpd.GeoDataFrame:
    """The problems as rows of the schema's `problems` layer (message in the current language)."""
    lang = current_language()  # looked up once: the environment is read on every lookup
    rows = {
        "kind": [p.kind for p in problems],
        "severity": [p.severity for p in problems],
        "layer": [p.layer for p in problems],
        "features": [", ".join(p.features) for p in problems],
        "value": [float(p.value) for p in problems],
        "unit": [p.unit for p in problems],
        "message": [p.message(lang) for p in problems],
    }
    return conform_layer("problems", gpd.GeoDataFrame(rows, geometry=[p.location for p in problems], crs=crs))
