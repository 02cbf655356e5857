"""Check input geometries (empty, wrong type, invalid) and, on request, repair them with make_valid."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from gis_census.errors import Finding
from gis_census.importing.crs import choose_metric_crs
from gis_census.importing.fields import feature_label
from gis_census.importing.reading import Source
from gis_census.rules import has_land

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

    unreadable = _unreadable(source, geoms, repair, faults, repairs, where)
    empty = ~has_land(geoms) & ~unreadable
    for i in np.flatnonzero(empty):
        faults.append(Finding("geometry_empty", **where(i)))
    empty |= shapely.is_missing(geoms)
    type_ids = shapely.get_type_id(geoms)
    wrong = ~empty & ~np.isin(type_ids, [_TYPE_IDS[t] for t in allowed])
    for i in np.flatnonzero(wrong):
        faults.append(
            Finding("geometry_wrong_type", **where(i), params={"found": geoms[i].geom_type, "expected": "/".join(allowed)})
        )
    # Nothing may be computed from coordinates that are infinite or do not fit the CRS (not even the CRS choice).
    bad_coords = _coordinate_faults(geoms, ~empty & ~wrong, source.gdf.crs, faults, where)
    invalid = ~empty & ~wrong & ~bad_coords & ~shapely.is_valid(geoms)
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


def _unreadable(source: Source, geoms: np.ndarray, repair: bool, faults, repairs, where) -> np.ndarray:
    """Mark the features the reader could not parse (e.g. rings not closed); with `repair`, use shapely's fix."""
    found = np.zeros(len(geoms), dtype=bool)
    if not source.unreadable:
        return found
    position = {fid: i for i, fid in enumerate(source.gdf.index)}
    for fid, (reason, fixed) in source.unreadable.items():
        i = position.get(fid)
        if i is None:
            continue
        found[i] = True
        not_closed = "closed" in reason
        if repair and fixed is not None:
            if not_closed:
                repairs.append(Finding("notice_ring_closed", **where(i)))
            else:
                repairs.append(Finding("notice_geometry_fixed_on_read", **where(i), params={"reason": reason}))
            geoms[i] = fixed
        elif not_closed:
            faults.append(Finding("geometry_ring_not_closed", **where(i)))
        else:
            faults.append(Finding("geometry_unreadable", **where(i), params={"reason": reason}))
    return found


# Projected coordinates beyond 100 000 km are typing slips or sentinel values, not places.
_MAX_PROJECTED = 1e8


def _coordinate_faults(geoms: np.ndarray, check: np.ndarray, crs, faults: list[Finding], where) -> np.ndarray:
    """Refuse non-finite coordinates, and coordinates that cannot be in `crs`; True where refused."""
    bad = np.zeros(len(geoms), dtype=bool)
    if not check.any():
        return bad
    coords, index = shapely.get_coordinates(geoms[check], return_index=True)
    rows = np.flatnonzero(check)[index]
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(coords).all(axis=1)
        geographic = crs is not None and _is_geographic(crs)
        if geographic:
            fits = (np.abs(coords[:, 0]) <= 180) & (np.abs(coords[:, 1]) <= 90)
        else:
            fits = (np.abs(coords[:, 0]) <= _MAX_PROJECTED) & (np.abs(coords[:, 1]) <= _MAX_PROJECTED)
    crs_name = _crs_label(crs)
    for k in np.flatnonzero(~finite | ~fits):
        i = rows[k]
        if bad[i]:
            continue
        bad[i] = True
        x, y = (f"{v:.10g}" for v in coords[k])
        if not finite[k]:
            faults.append(Finding("coords_not_finite", **where(i), params={"x": x, "y": y}))
        elif geographic:
            faults.append(Finding("coords_outside_geographic", **where(i), params={"x": x, "y": y, "crs": crs_name}))
        else:
            faults.append(Finding("coords_too_large", **where(i), params={"x": x, "y": y, "crs": crs_name}))
    return bad


def _is_geographic(crs) -> bool:
    try:
        return bool(CRS.from_user_input(crs).is_geographic)
    except Exception:
        return False


def _crs_label(crs) -> str:
    try:
        crs = CRS.from_user_input(crs)
        epsg = crs.to_epsg()
        return f"EPSG:{epsg} {crs.name}" if epsg else crs.name
    except Exception:
        return str(crs)


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
