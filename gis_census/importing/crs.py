"""Choose the metric CRS a project is stored in: a CGCS2000 3-degree Gauss–Krüger zone in China, UTM elsewhere."""

from __future__ import annotations

import math

import geopandas as gpd
from pyproj import CRS, Transformer

from gis_census.errors import InputError

__all__ = ["is_metric", "choose_metric_crs", "gauss_kruger_zone_crs"]

# Rough bounding box of China's territory; data inside it gets a CGCS2000 zone.
_CHINA_LON = (73.0, 135.5)
_CHINA_LAT = (3.0, 54.0)
# EPSG:4513 is CGCS2000 3-degree Gauss-Kruger zone 25 (CM 75E) ... EPSG:4533 zone 45 (CM 135E).
_GK_FIRST_EPSG, _GK_FIRST_ZONE, _GK_LAST_ZONE = 4513, 25, 45


def is_metric(crs: CRS) -> bool:
    """True when `crs` is projected with metre units on both axes."""
    return crs.is_projected and all(
        (axis.unit_name or "").lower() in ("metre", "meter") for axis in crs.axis_info[:2]
    )


def gauss_kruger_zone_crs(lon: float) -> CRS:
    """The CGCS2000 3-degree Gauss–Krüger zone (with zone prefix) containing longitude `lon`."""
    zone = int(round(lon / 3.0))
    zone = min(max(zone, _GK_FIRST_ZONE), _GK_LAST_ZONE)
    return CRS.from_epsg(_GK_FIRST_EPSG + zone - _GK_FIRST_ZONE)


def _center_lonlat(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    minx, miny, maxx, maxy = gdf.total_bounds
    to_ll = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
    return to_ll.transform((minx + maxx) / 2, (miny + maxy) / 2)


def choose_metric_crs(gdf: gpd.GeoDataFrame) -> CRS:
    """The CRS a layer should be stored in.

    A projected CRS in metres is kept. Anything else (geographic, or projected in feet)
    goes to the CGCS2000 3-degree Gauss–Krüger zone containing the data's centre when it
    lies in China, else to the data's UTM zone.

    The input checks refuse coordinates that do not fit their CRS first; should a layer still
    give no usable centre, an InputError asks for --crs instead of failing inside pyproj.
    """
    crs = CRS.from_user_input(gdf.crs)
    if is_metric(crs):
        return crs
    try:
        lon, lat = _center_lonlat(gdf)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError(f"centre ({lon}, {lat})")
        if _CHINA_LON[0] <= lon <= _CHINA_LON[1] and _CHINA_LAT[0] <= lat <= _CHINA_LAT[1]:
            return gauss_kruger_zone_crs(lon)
        return gdf.estimate_utm_crs()
    except Exception as exc:
        raise InputError("crs_undecidable", crs=crs.name, reason=str(exc) or type(exc).__name__) from None
