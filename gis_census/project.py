"""CensusProject: one township's census division, kept in one GeoPackage file."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from gis_census.errors import ProjectError
from gis_census.schema import FORMAT_VERSION, GPKG_OPTIONS, LAYERS, META_TABLE, LayerSpec

__all__ = ["ProjectMeta", "CensusProject", "empty_layer", "conform_layer"]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class ProjectMeta:
    """Project settings stored in the metadata table."""

    township_code: str = ""
    township_name: str = ""
    county_code: str = ""  # 6 digits, the first 6 of the township code; "" in projects made before it was kept
    county_name: str = ""
    crs: str = ""
    target_population: int = 300
    target_unit: str = "people"
    tolerance: float = 0.2
    format_version: int = FORMAT_VERSION
    created: str = field(default_factory=_now)
    modified: str = field(default_factory=_now)

    def to_frame(self) -> pd.DataFrame:
        items = asdict(self)
        return pd.DataFrame({"key": list(items), "value": [str(v) for v in items.values()]})

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "ProjectMeta":
        stored = dict(zip(frame["key"], frame["value"]))
        values = {}
        for f in fields(cls):
            if f.name in stored:
                kind = {"int": int, "float": float}.get(str(f.type), str)
                values[f.name] = kind(stored[f.name])
        return cls(**values)


def empty_layer(name: str, crs) -> gpd.GeoDataFrame:
    """An empty layer `name` with the schema's columns and dtypes."""
    spec = LAYERS[name]
    columns = {col: pd.Series([], dtype=_dtype(kind)) for col, kind in spec.fields.items()}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=crs))


def _dtype(kind: str):
    return object if kind == "str" else kind


def conform_layer(name: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` with the schema's columns of `name` (missing ones filled), typed, extra columns kept."""
    spec = LAYERS[name]
    out = gdf.copy()
    for col, kind in spec.fields.items():
        if col not in out.columns:
            out[col] = "" if kind == "str" else 0
        if kind == "str":
            out[col] = out[col].astype(object).where(out[col].notna(), "").astype(str).astype(object)
        else:
            out[col] = pd.to_numeric(out[col]).fillna(0).astype(kind)
    ordered = list(spec.fields) + [c for c in out.columns if c not in spec.fields and c != out.geometry.name]
    return out[ordered + [out.geometry.name]].reset_index(drop=True)


def _single_parts(geoms: np.ndarray) -> np.ndarray:
    """Multi-geometries of one part become that part (GeoPackage layers store them as multi)."""
    geoms = np.asarray(geoms, dtype=object)
    multi = shapely.get_type_id(geoms) >= 4
    single = multi & (shapely.get_num_geometries(geoms) == 1)
    if single.any():
        geoms = geoms.copy()
        geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def _file_geometry_type(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> tuple[str, bool]:
    """The layer geometry type to write and whether to promote singles to multi."""
    types = set(gdf.geom_type.dropna().unique())
    if spec.geometry == "polygon" or (types and types <= {"Polygon", "MultiPolygon"}):
        return "MultiPolygon", True
    if spec.geometry == "line" or (types and types <= {"LineString", "MultiLineString"}):
        return "MultiLineString", True
    if spec.geometry == "point" or types == {"Point"}:
        return "Point", False
    return "Unknown", False


class CensusProject:
    """A township's villages, districts, small areas, buildings and context layers, with settings.

    Layers are GeoDataFrames in one projected CRS in metres. Open with :meth:`open`,
    write with :meth:`save` (atomic: a failed save leaves the previous file as it was).
    """

    def __init__(self, meta: ProjectMeta, layers: dict[str, gpd.GeoDataFrame], path: Path | None = None):
        self.meta = meta
        self.layers = {name: conform_layer(name, layers.get(name, empty_layer(name, meta.crs))) for name in LAYERS}
        self.path = Path(path) if path else None

    @property
    def crs(self) -> str:
        return self.meta.crs

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        return self.layers[name]

    @classmethod
    def open(cls, path: str | os.PathLike) -> "CensusProject":
        """Read a project file; raise ProjectError naming the file when it is not one."""
        path = Path(path)
        if not path.exists():
            raise ProjectError("project_missing", path=str(path))
        try:
            names = set(pyogrio.list_layers(path)[:, 0])
        except Exception:
            raise ProjectError("project_unreadable", path=str(path)) from None
        if META_TABLE not in names:
            raise ProjectError("not_a_project", path=str(path))
        try:
            meta = ProjectMeta.from_frame(pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False))
        except Exception as exc:
            raise ProjectError("project_layer_unreadable", path=str(path), layer=META_TABLE, reason=str(exc)) from None
        if meta.format_version > FORMAT_VERSION:
            raise ProjectError("project_too_new", path=str(path), version=meta.format_version)
        missing = [n for n, spec in LAYERS.items() if spec.required and n not in names]
        if missing:
            raise ProjectError("project_layer_missing", path=str(path), layers=", ".join(missing))
        layers = {}
        for name in LAYERS:
            if name in names:
                try:
                    gdf = pyogrio.read_dataframe(path, layer=name, use_arrow=True, fid_as_index=False)
                except Exception as exc:
                    raise ProjectError("project_layer_unreadable", path=str(path), layer=name, reason=str(exc)) from None
                layers[name] = gdf.set_geometry(_single_parts(gdf.geometry.values), crs=gdf.crs)
        return cls(meta, layers, path)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Write the project to `path` (default: where it was opened) atomically.

        Everything is written to a temporary file beside the target, flushed to disk and
        then renamed over it, so a crash or a full disk leaves the old file intact.
        """
        target = Path(path) if path else self.path
        if target is None:
            raise ProjectError("save_no_path")
        target = target.resolve()
        tmp = target.with_name(f".{target.stem}.saving-{os.getpid()}.gpkg")
        meta = ProjectMeta(**{**asdict(self.meta), "modified": _now()})
        try:
            self._write(tmp, meta)
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except (OSError, RuntimeError, pyogrio.errors.DataSourceError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            raise ProjectError("save_failed", path=str(target), reason=str(exc)) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self.meta, self.path = meta, target
        return target

    def _write(self, tmp: Path, meta: ProjectMeta) -> None:
        tmp.unlink(missing_ok=True)
        pyogrio.write_dataframe(
            meta.to_frame(), tmp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS
        )
        for name, spec in LAYERS.items():
            gdf = self.layers[name]
            if gdf.empty and not spec.required:
                continue
            geometry_type, promote = _file_geometry_type(spec, gdf)
            pyogrio.write_dataframe(
                gdf.set_crs(meta.crs, allow_override=True),
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=promote,
                append=False,
            )


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
