"""Build a census project from the files a township office has: villages, buildings, roads, water."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from gis_census.checks.store import problems_layer
from gis_census.errors import Finding, InputError
from gis_census.importing.crs import choose_metric_crs, is_metric
from gis_census.importing.fields import feature_label, find_field, parse_codes, parse_counts, text_values
from gis_census.importing.footprints import review_footprints
from gis_census.importing.geometry import LINEAR, POLYGONAL, PUNTAL, check_geometries
from gis_census.importing.reading import Source, read_vector
from gis_census.importing.skipped import skipped_notice
from gis_census.project import CensusProject, ProjectMeta
from gis_census.rules import URBAN_RURAL_CLASSES
from gis_census.spatial import holding_index

__all__ = ["ImportOptions", "build_project", "read_context_layer", "read_buildings", "county_code"]

_TOWNSHIP_DIGITS = 9
_FIDS_SHOWN = 10  # features named in one message; a whole layer sharing an id is one line, not 68,000 characters


@dataclass
class ImportOptions:
    """What `gis-census new` is given: input files ("FILE" or "FILE::LAYER") and field names."""

    villages: str
    buildings: str | None = None
    roads: str | None = None
    water: str | None = None
    landmarks: str | None = None
    village_code_field: str | None = None
    village_name_field: str | None = None
    population_field: str | None = None
    households_field: str | None = None
    address_field: str | None = None
    township_code: str | None = None
    township_name: str | None = None
    county_code: str | None = None
    county_name: str | None = None
    crs: str | None = None
    encoding: str | None = None
    assume_crs: str | None = None
    repair: bool = False
    skip_outside: bool = False
    merge_duplicates: bool = False


def build_project(opts: ImportOptions) -> tuple[CensusProject, list[Finding]]:
    """A new project from `opts`, and the notices the user should read (CRS chosen, repairs).

    Raises InputError listing every fault found (file, layer, feature, field) when any
    input is refused; nothing is written in that case.
    """
    faults: list[Finding] = []
    notices: list[Finding] = []
    read = lambda spec, role: read_vector(spec, role, encoding=opts.encoding, assume_crs=opts.assume_crs)  # noqa: E731

    village_src = read(opts.villages, "villages")
    villages, township_code = _villages(village_src, opts, faults, notices)
    layers = {"villages": villages}
    buildings_src = read(opts.buildings, "buildings") if opts.buildings else None
    context = {
        role: read(spec, role)
        for role, spec in (("roads", opts.roads), ("water", opts.water), ("landmarks", opts.landmarks))
        if spec
    }
    _raise_if(faults)
    target_crs = _target_crs(village_src, opts, notices)  # only from coordinates the checks passed

    layers["villages"] = _flag_exclaves(village_src, villages.to_crs(target_crs), notices)
    if buildings_src is not None:
        layers["buildings"] = _buildings(buildings_src, layers["villages"], target_crs, opts, faults, notices)
        if not faults:
            layers["buildings"], found, problems = review_footprints(layers["buildings"], layers["villages"], opts.merge_duplicates)
            notices += found
            if problems:
                layers["problems"] = problems_layer(problems, target_crs)
    for role, src in context.items():
        layers[role] = read_context_layer(src, role, target_crs, opts.repair, faults, notices)
    _raise_if(faults)

    v = layers["villages"]
    layers["districts"] = gpd.GeoDataFrame(
        {"code": v["code"], "village_code": v["code"], "name": v["name"], "exclave": v["exclave"]},
        geometry=v.geometry.values, crs=target_crs,
    )
    meta = ProjectMeta(
        township_code=township_code,
        township_name=(opts.township_name or "").strip(),
        county_code=county_code(opts.county_code, township_code),
        county_name=(opts.county_name or "").strip(),
        crs=target_crs.to_string(),
    )
    if not meta.township_name:
        notices.append(Finding("notice_township_name_missing"))
    read_notices = [n for src in (village_src, buildings_src, *context.values()) if src is not None for n in src.notices]
    return CensusProject(meta, layers), read_notices + notices


def county_code(given: str | None, township_code: str) -> str:
    """The 6-digit county code: as given (6 digits, agreeing with the township code), else the
    township code's first 6 digits ("" when there is none)."""
    if given is None or given == "":
        return township_code[:6] if re.fullmatch(r"\d{9}", township_code or "") else ""
    if not re.fullmatch(r"\d{6}", given):
        raise InputError("county_code_malformed", code=given)
    if township_code and not township_code.startswith(given):
        raise InputError("county_code_mismatch", code=given, township=township_code)
    return given


def _raise_if(faults: list[Finding]) -> None:
    if faults:
        raise InputError("input_refused", findings=faults, n=len(faults))


def _villages(src: Source, opts: ImportOptions, faults: list[Finding], notices: list[Finding]):
    name_field = find_field(src, "name", opts.village_name_field, required=False)
    names = text_values(src, name_field)
    code_field = find_field(src, "code", opts.village_code_field)
    codes, found = parse_codes(src, code_field, 12, labels=names)
    faults += found
    geoms, found, repairs = check_geometries(src, names, POLYGONAL, opts.repair)
    faults += found
    notices += repairs
    township_code = _township_code(src, codes, names, code_field, opts.township_code, faults)
    classes = _urban_rural(src, names, faults)
    villages = gpd.GeoDataFrame(
        {"code": codes.values, "name": names.values, "urban_rural": classes.values}, geometry=geoms, crs=src.gdf.crs
    )
    return villages, township_code


def _urban_rural(src: Source, names: pd.Series, faults: list[Finding]) -> pd.Series:
    """The villages' urban–rural class (城乡划分代码) when the file has the field, "" else; a value that is no
    class is a fault (a float column's 111.0 reads as 111)."""
    field = find_field(src, "urban_rural", required=False)
    values = text_values(src, field)
    if field is None:
        return values
    for fid in src.gdf.index[(values != "") & ~values.isin(URBAN_RURAL_CLASSES)]:
        faults.append(Finding("urban_rural_bad", **src.where(feature_label(src, fid, names[fid]), field),
                              params={"value": values[fid], "classes": ", ".join(URBAN_RURAL_CLASSES)}))
    return values


def _flag_exclaves(src: Source, villages: gpd.GeoDataFrame, notices: list[Finding]) -> gpd.GeoDataFrame:
    """Villages drawn in several separate parts (飞地) flagged ``exclave = 1``, each with a notice
    giving its parts' areas: an exclave is allowed, not an error (see gis_census.rules)."""
    parts = villages.geometry.count_geometries().to_numpy()
    villages = villages.assign(exclave=(parts > 1).astype("int64"))
    for i in np.flatnonzero(parts > 1):
        areas = sorted(villages.geometry.iloc[i].geoms, key=lambda g: -g.area)
        label = villages["name"].iat[i] or villages["code"].iat[i]
        notices.append(Finding(
            "notice_exclave", **src.where(feature_label(src, src.gdf.index[i], label)),
            params={"n": int(parts[i]), "areas": ", ".join(f"{g.area:,.0f}" for g in areas)},
        ))
    return villages


def _township_code(src, codes, names, code_field, given, faults) -> str:
    """The 9-digit township code: as given, else the one all village codes share."""
    if given is not None and not re.fullmatch(r"\d{9}", given):
        raise InputError("township_code_malformed", code=given)
    valid = codes[codes.str.fullmatch(r"\d{12}")]
    prefixes = valid.str[:_TOWNSHIP_DIGITS]
    township = given or (prefixes.mode().iloc[0] if len(prefixes) else "")
    if given is None and prefixes.nunique() > 1:
        raise InputError("several_townships", file=str(src.path), codes=", ".join(sorted(prefixes.unique())))
    for fid in prefixes.index[prefixes != township]:
        faults.append(
            Finding(
                "code_other_township",
                **src.where(feature_label(src, fid, names[fid]), code_field),
                params={"code": codes[fid], "township": township},
            )
        )
    return township


def _target_crs(src: Source, opts: ImportOptions, notices: list[Finding]) -> CRS:
    if opts.crs:
        try:
            crs = CRS.from_user_input(opts.crs)
        except Exception:
            raise InputError("crs_unknown", crs=opts.crs) from None
        if not is_metric(crs):
            raise InputError("crs_not_metric", crs=opts.crs, name=crs.name)
        notices.append(Finding("notice_crs_given", params={"crs": _crs_label(crs)}))
        return crs
    crs = choose_metric_crs(src.gdf)
    source_crs = CRS.from_user_input(src.gdf.crs)
    key = "notice_crs_kept" if crs == source_crs else "notice_crs_chosen"
    notices.append(Finding(key, params={"crs": _crs_label(crs), "source": _crs_label(source_crs)}))
    return crs


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def _buildings(src, villages, target_crs, opts, faults, notices) -> gpd.GeoDataFrame:
    address_field = find_field(src, "address", opts.address_field, required=False)
    addresses = text_values(src, address_field)
    labels = addresses
    population, found, empty_pop = parse_counts(src, find_field(src, "population", opts.population_field), labels)
    faults += found
    households, found, _ = parse_counts(src, find_field(src, "households", opts.households_field, required=False), labels)
    faults += found
    units, found, _ = parse_counts(src, find_field(src, "units", required=False), labels)
    faults += found
    ids = _building_ids(src, labels, faults)
    geoms, found, repairs = check_geometries(src, labels, POLYGONAL + ("Point",), opts.repair)
    faults += found
    notices += repairs
    if empty_pop:
        notices.append(Finding("notice_empty_population", **src.where(), params={"n": empty_pop}))
    if found:
        return gpd.GeoDataFrame()
    geoms = gpd.GeoSeries(geoms, crs=src.gdf.crs).to_crs(target_crs).values
    village_idx = holding_index(geoms, villages.geometry.values)
    outside = np.flatnonzero(village_idx < 0)
    if len(outside) and not opts.skip_outside:
        for i in outside:
            faults.append(Finding("building_outside", **src.where(feature_label(src, src.gdf.index[i], labels.iloc[i]))))
    elif len(outside):
        notices.append(skipped_notice(src, [(src.gdf.index[i], labels.iloc[i]) for i in outside]))
    keep = village_idx >= 0
    village_codes = villages["code"].to_numpy()[village_idx[keep]]
    use_field = find_field(src, "use", required=False)
    return gpd.GeoDataFrame(
        {
            "id": ids[keep],
            "address": addresses.values[keep],
            "population": population.values[keep],
            "households": households.values[keep],
            "units": units.values[keep],
            "use": text_values(src, use_field).values[keep],
            "village_code": village_codes,
            "district_code": village_codes,
        },
        geometry=geoms[keep],
        crs=target_crs,
    )


def read_buildings(src: Source, villages: gpd.GeoDataFrame, target_crs, opts: ImportOptions
                   ) -> tuple[gpd.GeoDataFrame, list[Finding]]:
    """The buildings of `src` as `gis-census new` reads them (fields, counts, ids, geometry, each in a village
    of `villages`, in `target_crs`) and the notices; InputError listing every fault when any is refused."""
    faults: list[Finding] = []
    notices: list[Finding] = []
    buildings = _buildings(src, villages, target_crs, opts, faults, notices)
    _raise_if(faults)
    return buildings, src.notices + notices


def _building_ids(src: Source, labels: pd.Series, faults: list[Finding]) -> np.ndarray:
    """Building ids from an ID field when there is one (whole, unique), else 1..n."""
    field = find_field(src, "id", required=False)
    if field is None:
        return np.arange(1, len(src.gdf) + 1, dtype="int64")
    ids, found, empty = parse_counts(src, field, labels)
    faults += found
    if empty:
        faults.append(Finding("id_missing", **src.where(field=field), params={"n": empty}))
    dup = ids[ids.duplicated(keep=False)]
    for value, group in dup.groupby(dup).groups.items():
        fids = ", ".join(f"#{fid}" for fid in group[:_FIDS_SHOWN])
        params = {"id": value, "n": len(group)}
        faults.append(Finding("id_duplicate" if len(group) <= _FIDS_SHOWN else "id_duplicate_many",
                              **src.where(fids, field), params=params))
    return ids.to_numpy()


def read_context_layer(src: Source, role: str, target_crs, repair: bool, faults, notices) -> gpd.GeoDataFrame:
    """Roads (lines), water (lines or polygons) or landmarks (points) with name and kind."""
    allowed = {"roads": LINEAR, "water": LINEAR + POLYGONAL, "landmarks": PUNTAL}[role]
    names = text_values(src, find_field(src, "name", required=False))
    geoms, found, repairs = check_geometries(src, names, allowed, repair)
    faults += found
    notices += repairs
    if found:
        return gpd.GeoDataFrame()
    kinds = text_values(src, find_field(src, "kind", required=False))
    return gpd.GeoDataFrame(
        {"name": names.values, "kind": kinds.values}, geometry=gpd.GeoSeries(geoms, crs=src.gdf.crs).values, crs=src.gdf.crs
    ).to_crs(target_crs)
