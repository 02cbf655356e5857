"""Write the sample township as the files an office would have, and build its project by importing them."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis_census.demo import DemoData, make_county, make_township
from gis_census.demo.generate import COUNTY_NAME
from gis_census.demo.register import write_register
from gis_census.errors import Finding
from gis_census.importing import ImportOptions, build_project, import_small_areas
from gis_census.project import CensusProject, ProjectMeta
from gis_census.rules import locate_buildings
from gis_census.spatial import holding_index

__all__ = ["write_township_demo", "write_county_demo", "demo_inputs", "county_project", "township_projects"]

#: Offices receive boundaries in geographic CGCS2000 more often than in a projected CRS.
INPUT_CRS = "EPSG:4490"
TOWNSHIP_FILE = "demo_township.gpkg"
COUNTY_FILE = "demo_county.gpkg"


def demo_inputs(data: DemoData, folder: Path) -> dict[str, Path]:
    """Write `data` as office-style input files in `folder`; return their paths by role.

    Villages go to a GBK Shapefile with Chinese field names in pinyin initials (DM, MC),
    buildings to a GeoPackage (ID, DZ, RK, HS, YT), roads and landmarks to GeoJSON, water
    to KML, and the previous census's small areas to a GeoPackage: the formats the
    importer must read.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "villages": folder / "villages.shp",
        "buildings": folder / "buildings.gpkg",
        "roads": folder / "roads.geojson",
        "water": folder / "water.kml",
        "landmarks": folder / "landmarks.geojson",
        "small_areas": folder / "small_areas_previous.gpkg",
    }
    v = data.villages
    _geo(v, {"DM": v["code"], "MC": v["name"]}).to_file(paths["villages"], encoding="GBK", engine="pyogrio")
    b = data.buildings
    _geo(b, {"ID": b["id"], "DZ": b["address"], "RK": b["population"], "HS": b["households"], "YT": b["use"]}).to_file(
        paths["buildings"], layer="buildings", engine="pyogrio"
    )
    for role in ("roads", "landmarks"):
        g = getattr(data, role)
        _geo(g, {"name": g["name"], "kind": g["kind"]}).to_file(paths[role], driver="GeoJSON", engine="pyogrio")
    w = data.water
    _geo(w, {"Name": w["name"]}, crs="EPSG:4326").to_file(paths["water"], driver="KML", engine="pyogrio")
    s = data.small_areas
    _geo(s, {"code": s["code"]}).to_file(paths["small_areas"], layer="small_areas", engine="pyogrio")
    return paths


def _geo(gdf: gpd.GeoDataFrame, columns: dict, crs: str = INPUT_CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=gdf.geometry.values, crs=gdf.crs).to_crs(crs)


def write_township_demo(out: Path, seed: int = 2020) -> tuple[Path, list[Finding]]:
    """Generate the sample township, write its input files and its household register to out/inputs, import them.

    Returns the project path (out/demo_township.gpkg) and the importer's notices.
    """
    data = make_township(seed=seed)
    paths = demo_inputs(data, Path(out) / "inputs")
    project, notices = build_project(
        ImportOptions(
            villages=str(paths["villages"]),
            buildings=str(paths["buildings"]),
            roads=str(paths["roads"]),
            water=str(paths["water"]),
            landmarks=str(paths["landmarks"]),
            township_name=data.townships["name"].iloc[0],
            county_name=COUNTY_NAME,
        )
    )
    notices += import_small_areas(project, str(paths["small_areas"]))
    write_register(project, Path(out) / "inputs", seed=seed)
    return project.save(Path(out) / TOWNSHIP_FILE), notices


def county_project(data: DemoData) -> CensusProject:
    """A project holding a whole generated county, built directly (no input files)."""
    v = data.villages
    districts = gpd.GeoDataFrame(
        {"code": v["code"], "village_code": v["code"], "name": v["name"]}, geometry=v.geometry.values, crs=data.crs
    )
    s = data.small_areas.copy()
    s["district_code"] = s["code"].str[:12]
    s["seq"] = s["code"].str[12:]
    b = data.buildings.copy()
    village_of = v["code"].to_numpy()[holding_index(b.geometry.values, v.geometry.values)]
    b["village_code"] = b["district_code"] = village_of
    b["small_area_code"] = locate_buildings(s, b)
    meta = ProjectMeta(township_code=data.townships["code"].iloc[0][:6], township_name="", crs=data.crs)
    layers = {"villages": v[["code", "name", "geometry"]], "districts": districts, "small_areas": s, "buildings": b}
    layers.update(roads=data.roads, water=data.water, landmarks=data.landmarks)
    return CensusProject(meta, layers)


def write_county_demo(out: Path, seed: int = 2020) -> Path:
    """Generate a county-size project (≈7,000 small areas, ≈200,000 buildings) at out/demo_county.gpkg."""
    Path(out).mkdir(parents=True, exist_ok=True)
    return county_project(make_county(seed=seed)).save(Path(out) / COUNTY_FILE)


def township_projects(data: DemoData) -> list[CensusProject]:
    """The generated county cut into its township projects, by the township digits (7–9) of the village codes."""
    county = county_project(data)
    names = dict(zip(data.townships["code"], data.townships["name"]))
    projects = []
    for code in sorted(set(county["villages"]["code"].str[:9])):
        meta = ProjectMeta(township_code=code, township_name=names.get(code, ""), county_code=code[:6],
                           county_name=COUNTY_NAME, crs=data.crs)
        layers = {name: county[name][county[name][field].str[:9] == code].reset_index(drop=True)
                  for name, field in (("villages", "code"), ("districts", "code"), ("small_areas", "code"),
                                      ("buildings", "village_code"))}
        land = layers["villages"].union_all()
        for name in ("roads", "water", "landmarks"):
            layers[name] = county[name][county[name].intersects(land)].reset_index(drop=True)
        projects.append(CensusProject(meta, layers))
    return projects
