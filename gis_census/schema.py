"""Layer and field definitions of a census project GeoPackage, and its format version."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FORMAT_VERSION",
    "META_TABLE",
    "LayerSpec",
    "LAYERS",
    "LAYER_ORDER",
    "GPKG_OPTIONS",
]

#: Version of the project file layout; bumped when layers or fields change.
FORMAT_VERSION = 1

#: Name of the non-spatial key/value table that holds project settings.
META_TABLE = "census_meta"

#: QGIS 3.22 (GDAL 3.6) warns on GeoPackage 1.4, still GDAL's default: write 1.2.
GPKG_OPTIONS = {"VERSION": "1.2"}


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the project: its fields (name -> pandas dtype) and geometry kind."""

    name: str
    fields: dict[str, str]
    geometry: str  # "polygon", "line", "point", "any", or "none" for a table without geometry
    title_zh: str
    title_en: str
    required: bool = True


LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "villages",
            # urban_rural: the 3-digit urban–rural class (城乡划分代码: 111 … 220), "" where not known
            {"code": "str", "name": "str", "exclave": "int64", "urban_rural": "str"},
            "polygon",
            "村/居委会",
            "Villages",
        ),
        LayerSpec(
            "districts",
            # seq: the district's number within its village (1, 2, …; 0 in projects made before villages could be cut:
            # the village's only district); kind: a special district's kind (学校, 营区, 大型企业 …), "" for an ordinary one
            {"code": "str", "village_code": "str", "name": "str", "exclave": "int64", "seq": "int64", "kind": "str"},
            "polygon",
            "普查区",
            "Districts",
        ),
        LayerSpec(
            "small_areas",
            {
                "code": "str",
                "district_code": "str",
                "seq": "str",
                "population": "int64",
                "households": "int64",
                "locked": "int64",
                "notes": "str",
                "exclave": "int64",
                "supervisor_group": "int64",
            },
            "polygon",
            "普查小区",
            "Small areas",
        ),
        LayerSpec(
            "buildings",
            {
                "id": "int64",
                "address": "str",
                "population": "int64",
                "households": "int64",
                "units": "int64",  # stairwells (单元); a building over the limit is divided between them
                "use": "str",
                "village_code": "str",
                "district_code": "str",
                "small_area_code": "str",
                "number": "int64",
                "notes": "str",
                # The office's own counts while `population`/`households` balance on another source (balance_count)
                "recorded_population": "int64",
                "recorded_households": "int64",
                # What the pre-count walk counted (摸底), kept beside the others; 0 where it has not counted
                "walk_population": "int64",
                "walk_households": "int64",
                # The id of the block a part divided between stairwells comes from (0: not a part); the block's
                # register rows, matched to that id, are shared among its parts by stairwells
                "part_of": "int64",
            },
            "any",
            "建筑物",
            "Buildings",
        ),
        # The previous division (the last census's, or the last accepted), kept for reference and for
        # `gis-census compare`: filled by `import-areas --previous`, or by the first `divide` (or `divide --update`)
        # over districts that had small areas; never changed after. Optional: older projects open with none.
        LayerSpec(
            "previous_small_areas",
            {"code": "str", "district_code": "str", "seq": "str", "population": "int64", "households": "int64"},
            "polygon",
            "上次划分的普查小区",
            "Previous small areas",
            required=False,
        ),
        LayerSpec("roads", {"name": "str", "kind": "str"}, "line", "道路", "Roads"),
        LayerSpec("water", {"name": "str", "kind": "str"}, "any", "水系", "Water"),
        LayerSpec(
            "problems",
            {"kind": "str", "severity": "str", "layer": "str", "features": "str", "value": "float64",
             "unit": "str", "message": "str"},
            "any",
            "问题",
            "Problems",
            required=False,
        ),
        # Holes in the township that belong to another jurisdiction (an enclave), recorded by
        # `gis-census allow-hole` so that `check` no longer reports them. Optional: older projects open with none.
        LayerSpec(
            "allowed_holes",
            {"note": "str"},
            "polygon",
            "允许的空洞（飞入地）",
            "Allowed holes",
            required=False,
        ),
        # The household register's rows (personal data: names, ID numbers), one per person or household, with
        # the building each was matched to; and the addresses a person settled by hand, applied first on the
        # next import. Tables without geometry, written only while they hold rows: older projects have none.
        LayerSpec(
            "register",
            {"kind": "str", "per": "str", "file": "str", "sheet": "str", "row": "int64", "household_no": "str",
             "head": "str", "name": "str", "relation": "str", "sex": "str", "birth": "str", "id_number": "str",
             "address": "str", "village": "str", "persons": "int64", "households": "int64",
             "building_id": "int64", "status": "str", "confidence": "float64",
             "candidates": "str",  # an ambiguous row's candidate building ids, "1347,1348"
             "address_key": "str"},  # the address as the matcher normalises it: what settling one row looks up
            "none",
            "户籍资料",
            "Household register",
            required=False,
        ),
        LayerSpec(
            "register_choices",
            {"address": "str", "building_id": "int64"},  # the address as the matcher normalises it
            "none",
            "户籍地址的人工匹配",
            "Register addresses settled by hand",
            required=False,
        ),
        LayerSpec(
            "landmarks",
            {"name": "str", "kind": "str"},
            "point",
            "地标",
            "Landmarks",
            required=False,
        ),
    )
}

#: Drawing order, bottom to top.
#: Tables holding personal data (the register's names and ID numbers, the addresses settled by hand): what is
#: deleted of them is overwritten in the file, not left in its free pages.
PERSONAL_LAYERS = ("register", "register_choices")

LAYER_ORDER = ["villages", "districts", "small_areas", "water", "roads", "buildings", "landmarks", "problems"]
