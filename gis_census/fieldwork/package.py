"""The walk package (摸底材料): per small area a folder with its map, its map files for phones and its register."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from gis_census.errors import CensusError
from gis_census.fieldwork.exchange import write_exchange
from gis_census.fieldwork.workbook import write_register
from gis_census.maps import make_maps
from gis_census.outputs import atomic_files, code_for_file_name, path_inside, write_failed
from gis_census.project import CensusProject
from gis_census.register import split_register
from gis_census.rules import has_land

__all__ = ["export_fieldwork"]


def export_fieldwork(project: CensusProject, out_dir: str | os.PathLike, district: str | None = None,
                     small_area: str | None = None, feedback=None, lang: str | None = None,
                     with_register: bool = False) -> list[Path]:
    """Write the walk package of the small areas of `project` (those of `district`, or `small_area` alone; default
    all) into `out_dir`; return the files written.

    Each small area with land gets a folder ``out_dir/<code>/`` holding ``small_area_<code>.pdf`` (the
    普查小区图, :func:`gis_census.maps.make_maps`), ``<code>.gpkg``, ``<code>.geojson`` and ``<code>.kml`` (its
    boundary and numbered buildings for phone map apps, see :mod:`gis_census.fieldwork.exchange`) and
    ``<code>_register.xlsx`` (the 户主姓名底册 prefilled with its buildings, see
    :mod:`gis_census.fieldwork.workbook`). Folder and file names are made only of codes checked to be 15 digits.
    `feedback` is told the progress of the maps, which take most of the time; a cancel stops between maps and
    writes the other files of the maps finished. `with_register`: each folder also gets its small area's
    household register rows (personal data, :func:`gis_census.register.split_register`), where it has any.
    """
    if district is not None and small_area is not None:
        raise CensusError("fieldwork_both_scopes")
    areas = project["small_areas"]
    chosen = has_land(np.asarray(areas.geometry.array, dtype=object))
    if district is not None:
        chosen &= (areas["district_code"] == district).to_numpy()
    if small_area is not None:
        chosen &= (areas["code"] == small_area).to_numpy()
    areas = areas[chosen].sort_values("code")
    if areas.empty:
        raise CensusError("fieldwork_no_areas", what=small_area or district or str(project.path or ""))
    codes = [code_for_file_name(code, "small_area") for code in areas["code"]]
    out_dir = Path(out_dir)
    staging = out_dir / f".fieldwork-maps-{os.getpid()}"
    try:
        staging.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failed(staging, exc) from None
    try:
        maps = {path.stem.removeprefix("small_area_"): path
                for path in make_maps(project, staging, "small-area", small_area=codes, feedback=feedback, lang=lang)}
        written = _write_folders(project, areas, maps, out_dir, lang)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if with_register and len(project["register"]):
        written += split_register(project, out_dir, lang=lang, small_areas=[a.parent.name for a in written if a.suffix == ".pdf"])
    return written


def _write_folders(project: CensusProject, areas, maps: dict[str, Path], out_dir: Path, lang: str | None) -> list[Path]:
    buildings = project["buildings"]
    by_area = buildings.groupby("small_area_code").indices
    written: list[Path] = []
    for code, boundary in zip(areas["code"], areas.geometry):
        if code not in maps:  # canceled before its map
            continue
        folder = path_inside(out_dir, code)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise write_failed(folder, exc) from None
        own = buildings.iloc[by_area.get(code, np.zeros(0, dtype=int))]
        with atomic_files() as temp_for:
            files = write_exchange(code, boundary, own, project.crs, temp_for, folder)
            register = folder / f"{code}_register.xlsx"
            write_register(code, own, temp_for(register), lang)
        pdf = folder / maps[code].name
        try:
            os.replace(maps[code], pdf)
        except OSError as exc:
            raise write_failed(pdf, exc) from None
        written += [pdf, *files, register]
    return written
