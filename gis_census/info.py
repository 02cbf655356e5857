"""Summary of a project: what `gis-census info` prints."""

from __future__ import annotations

from gis_census.project import CensusProject

__all__ = ["project_summary"]


def project_summary(project: CensusProject) -> dict:
    """Counts and totals of `project` as plain data (the `info --json` schema).

    Keys: township {code, name}, county {code, name}, crs, counts {villages, districts, small_areas, buildings,
    roads, water, landmarks}, population, households, villages [{code, name, population,
    households, buildings}], buildings_without_small_area.
    Population and households come from the buildings, or from the small areas when
    the project has no buildings.
    """
    buildings = project["buildings"]
    villages = project["villages"]
    # Without buildings, the small areas' own counts (e.g. an imported division) are all there is.
    counted = buildings if len(buildings) else project["small_areas"]
    per_village = buildings.groupby("village_code").agg(
        population=("population", "sum"), households=("households", "sum"), buildings=("id", "size")
    )
    rows = []
    for code, name in zip(villages["code"], villages["name"]):
        stats = per_village.loc[code] if code in per_village.index else None
        rows.append(
            {
                "code": code,
                "name": name,
                "population": int(stats["population"]) if stats is not None else 0,
                "households": int(stats["households"]) if stats is not None else 0,
                "buildings": int(stats["buildings"]) if stats is not None else 0,
            }
        )
    return {
        "township": {"code": project.meta.township_code, "name": project.meta.township_name},
        "county": {"code": project.meta.county_code, "name": project.meta.county_name},
        "crs": project.crs,
        "counts": {name: int(len(gdf)) for name, gdf in project.layers.items()},
        "population": int(counted["population"].sum()),
        "households": int(counted["households"].sum()),
        "villages": rows,
        "buildings_without_small_area": int((buildings["small_area_code"] == "").sum()),
    }
