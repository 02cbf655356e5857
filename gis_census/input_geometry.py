"""Check input geometries (empty, wrong type, invalid) and, on request, repair them with make_valid."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis_census.crs import choose_metric_crs
from gis_census.errors import Finding
from gis_census.fields import feature_label
from gis_census.reading import Source

__all__ = ["POLYGONAL", "LINEAR", "PUNTAL", "check_geometries"]

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
PUNTAL = ("Point", "MultiPoint")
_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5, "MultiPolygon": 6}


def check_geometries(
    source: Source, labels: pd.Series, allowed: tuple[str, ...], repair: bool = False
) -> tuple[np.ndarray, list[Finding], list[Finding]]:
    """Geometries of `source` checked against the `allowed` types.

    Returns the geometries (repaired where `repair` is set), the faults that refuse the
    input, and notices describing each repair. Invalid polygons are a fault unless
    `repair`; repair keeps the polygonal part of ``shapely.make_valid`` and reports
    the area before and after.
    """
    geoms = source.gdf.geometry.values.to_numpy().copy()
    fids = source.gdf.index
    faults: list[Finding] = []
    repairs: list[Finding] = []
    where = lambda i: source.where(feature_label(source, fids[i], labels.iloc[i]))  # noqa: E731

    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(empty):
        faults.append(Finding("geometry_empty", **where(i)))
    type_ids = shapely.get_type_id(geoms)
    wrong = ~empty & ~np.isin(type_ids, [_TYPE_IDS[t] for t in allowed])
    for i in np.flatnonzero(wrong):
        faults.append(
            Finding("geometry_wrong_type", **where(i), params={"found": geoms[i].geom_type, "expected": "/".join(allowed)})
        )
    invalid = ~empty & ~wrong & ~shapely.is_valid(geoms)
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms[i])
        if not repair:
            faults.append(Finding("geometry_invalid", **where(i), params={"reason": reason}))
            continue
        fixed = _make_valid_like(geoms[i])
        if fixed is None:
            faults.append(Finding("geometry_unrepairable", **where(i), params={"reason": reason}))
            continue
        before, after = _areas_m2([geoms[i], fixed], source.gdf.crs)
        repairs.append(
            Finding("notice_repaired", **where(i), params={"reason": reason, "before": before, "after": after})
        )
        geoms[i] = fixed
    return geoms, faults, repairs


def _areas_m2(geoms: list, crs) -> list[float]:
    """Areas in m², measured in a metric CRS whatever CRS the input is in."""
    series = gpd.GeoSeries(geoms, crs=crs)
    metric = choose_metric_crs(gpd.GeoDataFrame(geometry=series)) if crs is not None else None
    measured = series.to_crs(metric) if metric is not None else series
    return [round(float(a), 2) for a in measured.area]


#: A polygon part of a repaired geometry smaller than this share of the whole is a slip of the
#: pen (a spike folded back on itself), not land: make_valid keeps it as a sliver of ~0 m².
#: Relative, because the input may be in degrees.
_NEGLIGIBLE_SHARE = 1e-6


def _make_valid_like(geom):
    """make_valid, keeping only parts of the original dimension (None if nothing is left).

    Polygon parts of (near) zero area, which make_valid cuts off a spike or a fold, are
    dropped, so a repaired village is not reported as in several pieces; one part left is a Polygon.
    """
    fixed = shapely.make_valid(geom)
    dim = shapely.get_dimensions(geom)
    parts = [p for p in shapely.get_parts(fixed) if shapely.get_dimensions(p) == dim and not p.is_empty]
    if dim == 2 and parts:
        polygons = [q for p in parts for q in shapely.get_parts(p)]
        areas = shapely.area(polygons)
        parts = [q for q, a in zip(polygons, areas) if a > _NEGLIGIBLE_SHARE * areas.sum()]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if dim == 2:
        return shapely.MultiPolygon([q for p in parts for q in shapely.get_parts(p)])
    return shapely.union_all(parts)
