"""A layer as the schema wants it: its columns and dtypes, single parts, the geometry type written, its hash."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyogrio
import shapely

from gis_census.memory import return_freed_memory
from gis_census.schema import LAYERS, LayerSpec

__all__ = ["empty_layer", "conform_layer", "single_parts", "file_geometry_type", "fingerprint", "layer_columns",
           "read_columns", "read_batches", "fid_ranges", "read_fids", "read_geometries"]

#: Features read at a time by :func:`read_columns`: the file's WKB is held for one batch only.
_BATCH = 100_000
_WORKERS = min(os.cpu_count() or 1, 4)
#: The WKB header of a little-endian MultiPolygon of one part: byte order 1, type 6, 1 part; its polygon follows.
_MULTI_OF_ONE = bytes([1, 6, 0, 0, 0, 1, 0, 0, 0])
_MULTI_OF_ONE_LENGTH = len(_MULTI_OF_ONE)


#: Ids in one SQL filter of :func:`_rows_by_id`: each query scans the table (the id column has no index), so few
#: and long ones (the 14,907 buildings of the demo county's problems: 0.09 s in one query, 0.96 s in 500-id ones).
_IDS_PER_QUERY = 1_000_000


def empty_layer(name: str, crs) -> gpd.GeoDataFrame:
    """An empty layer `name` with the schema's columns and dtypes."""
    spec = LAYERS[name]
    columns = {col: pd.Series([], dtype=_dtype(kind)) for col, kind in spec.fields.items()}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=crs))


def _missing(kind: str, n: int) -> np.ndarray:
    """A column the file lacks, as the schema's `kind` fills it: "" for text, 0 for numbers."""
    return np.full(n, "" if kind == "str" else 0, dtype=_dtype(kind))


def _dtype(kind: str):
    return object if kind == "str" else kind


def conform_layer(name: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` with the schema's columns of `name` (missing ones filled), typed, extra columns kept."""
    spec = LAYERS[name]
    out = gdf.copy()
    for col, kind in spec.fields.items():
        if col not in out.columns:
            out[col] = "" if kind == "str" else 0
        out[col] = _conform_column(out[col], kind)
    ordered = list(spec.fields) + [c for c in out.columns if c not in spec.fields and c != out.geometry.name]
    return out[ordered + [out.geometry.name]].reset_index(drop=True)


def _conform_column(column: pd.Series, kind: str) -> pd.Series:
    """A column as the schema's `kind` wants it: text with "" for missing, or numbers with 0."""
    if kind == "str":
        if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty"):
            return column  # already text throughout (as read from a file written by the tool): 3× quicker
        return column.astype(object).where(column.notna(), "").astype(str).astype(object)
    if column.dtype == kind:
        return column
    return pd.to_numeric(column).fillna(0).astype(kind)


def layer_columns(gdf: gpd.GeoDataFrame, fields: list[str], geometry: bool = True) -> dict[str, np.ndarray]:
    """The `fields` of a conformed layer (and its geometry, under "geometry") as numpy arrays."""
    cols = {c: gdf[c].to_numpy() for c in fields}
    if geometry:
        cols["geometry"] = np.asarray(gdf.geometry.array, dtype=object)
    return cols


def read_columns(path: Path, name: str, fields: list[str], geometry: bool = True, ids: list[int] | None = None) -> dict[str, np.ndarray]:
    """The `fields` of layer `name` of the GeoPackage at `path`, as :func:`layer_columns` of the layer read and
    conformed whole would give them, reading only those columns; equal texts share one object. With `ids`, only
    the rows whose integer ``id`` is one of them, read by an SQL filter (no geometry then)."""
    spec = LAYERS[name]
    info = pyogrio.read_info(path, layer=name, force_feature_count=True)
    present = set(info["fields"])
    if ids is not None:
        return _rows_by_id(path, name, [c for c in fields if c in present], fields, ids)
    wanted = [c for c in fields if c in present]
    frame = pyogrio.read_dataframe(path, layer=name, columns=wanted, read_geometry=False, use_arrow=True) if wanted \
        else pd.DataFrame(index=pd.RangeIndex(info["features"]))
    cols = {}
    for c in fields:
        kind = spec.fields[c]
        if c not in present:
            cols[c] = _missing(kind, len(frame))
            continue
        cols[c] = _conformed(frame[c], kind)
        del frame[c]
    if geometry:
        cols["geometry"] = _read_geometry(path, name)
        return_freed_memory()  # 200 MB after parsing 2.77 M footprints
    return cols


def read_batches(path: Path, name: str, fields: list[str], size: int = _BATCH,
                 fids: tuple[int, int] | None = None) -> Iterator[dict[str, np.ndarray]]:
    """:func:`read_columns` of layer `name` a batch of `size` features at a time, in file order, each batch
    with its features' GeoPackage ids under "fid" (for :func:`read_geometries`): a process holds one
    batch's footprints instead of millions. With `fids` (a range of :func:`fid_ranges`), only those features."""
    spec = LAYERS[name]
    info = pyogrio.read_info(path, layer=name)
    present = set(info["fields"])
    wanted = [c for c in fields if c in present]
    key = info["fid_column"] or "fid"
    where = None if fids is None else f'"{key}" >= {int(fids[0])} AND "{key}" < {int(fids[1])}'
    with pyogrio.open_arrow(path, layer=name, columns=wanted, batch_size=size, return_fids=True, where=where,
                            use_pyarrow=True) as (meta, reader):
        column = meta["geometry_name"] or "wkb_geometry"
        for batch in reader:
            cols = {"fid": batch.column(meta["fid_column"] or "fid").to_numpy()}
            for c in fields:
                kind = spec.fields[c]
                if c not in present:
                    cols[c] = _missing(kind, len(batch))
                    continue
                cols[c] = _arrow_column(batch.column(c), kind)
            cols["geometry"] = _parse(_one_part_as_polygon(batch.column(column)))
            yield cols


def fid_ranges(path: Path, name: str, size: int) -> list[tuple[int, int]]:
    """Ranges [first, end) of the GeoPackage ids of layer `name`, in file order, of about `size` features each
    where the ids run without gaps: parts of the layer that processes can read and work on apart."""
    info = pyogrio.read_info(path, layer=name, force_feature_count=True)  # a count GDAL does not hold is -1 else
    if info["features"] <= 0:
        return []
    key = info["fid_column"] or "fid"
    with closing(sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)) as db:
        # Apart: SQLite reads MIN or MAX alone off the key's b-tree, but both in one SELECT by scanning the table.
        low, high = db.execute(f'SELECT (SELECT MIN("{key}") FROM "{name}"), (SELECT MAX("{key}") FROM "{name}")').fetchone()
    step = -(-(high - low + 1) // -(-info["features"] // size))
    return [(first, min(first + step, high + 1)) for first in range(low, high + 1, step)]


def _arrow_column(values: pa.Array, kind: str) -> np.ndarray:
    """An Arrow column as :func:`_conform_column` gives it, converted by Arrow where it can (off the GIL): text
    through its dictionary, so that a repeated text is one object; numbers with missing as 0."""
    if kind == "str" and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        encoded = pc.dictionary_encode(pc.fill_null(values, ""))
        words = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
        return words[encoded.indices.to_numpy()] if len(values) else np.zeros(0, dtype=object)
    if kind != "str" and (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
        return np.nan_to_num(pc.fill_null(values, 0).to_numpy(zero_copy_only=False), nan=0).astype(kind)
    return _conformed(values.to_pandas(), kind)


def _conformed(column: pd.Series, kind: str) -> np.ndarray:
    """:func:`_conform_column` as an array, text with one object per distinct text: a code repeated over a
    million buildings is stored once."""
    values = _conform_column(column, kind).to_numpy()
    if kind == "str" and len(values):
        codes, uniques = pd.factorize(values)
        values = np.asarray(uniques, dtype=object)[codes]
    return values


def read_fids(path: Path, name: str, fields: list[str], fids: np.ndarray) -> dict[str, np.ndarray]:
    """The `fields` (conformed as :func:`read_columns` does) of the features of layer `name` with GeoPackage ids
    `fids`, in that order."""
    spec = LAYERS[name]
    present = set(pyogrio.read_info(path, layer=name)["fields"])
    wanted = [c for c in fields if c in present]
    _, table = pyogrio.read_arrow(path, layer=name, columns=wanted, fids=np.asarray(fids, dtype=np.int64), read_geometry=False)
    return {c: _conform_column(table.column(c).to_pandas(), spec.fields[c]).to_numpy() if c in present
            else _missing(spec.fields[c], len(fids))
            for c in fields}


def read_geometries(path: Path, name: str, fids: np.ndarray) -> np.ndarray:
    """The geometries (single parts) of the features of layer `name` with GeoPackage ids `fids`, in that order."""
    if not len(fids):
        return np.zeros(0, dtype=object)
    _, _, wkb, _ = pyogrio.raw.read(path, layer=name, columns=[], fids=np.asarray(fids, dtype=np.int64))
    return _parse(np.asarray(wkb, dtype=object))


def _rows_by_id(path: Path, name: str, present: list[str], fields: list[str], ids: list[int]) -> dict[str, np.ndarray]:
    """The `fields` of the rows of layer `name` whose ``id`` is in `ids`, read by an SQL filter."""
    spec = LAYERS[name]
    ids = sorted({int(i) for i in ids})
    frames = [pyogrio.read_dataframe(path, layer=name, columns=sorted({"id", *present}), read_geometry=False,
                                     where=f"id IN ({','.join(map(str, ids[k:k + _IDS_PER_QUERY]))})")
              for k in range(0, len(ids), _IDS_PER_QUERY)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["id", *present])
    return {c: _conform_column(frame[c], spec.fields[c]).to_numpy() if c in frame.columns
            else _missing(spec.fields[c], len(frame))
            for c in fields}


def _read_geometry(path: Path, name: str) -> np.ndarray:
    """The geometries of layer `name` as single parts, parsed a batch at a time on every core (shapely
    releases the GIL), with a few batches of the file's WKB in memory at once."""
    parts: list[np.ndarray] = []
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(_WORKERS) as pool, \
            pyogrio.open_arrow(path, layer=name, columns=[], batch_size=_BATCH, use_pyarrow=True) as (meta, reader):
        column = meta["geometry_name"] or "wkb_geometry"
        for batch in reader:
            pending.append(pool.submit(_parse, _one_part_as_polygon(batch.column(column))))
            if len(pending) > 2 * _WORKERS:
                parts.append(pending.popleft().result())
        parts += [future.result() for future in pending]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=object)


def _one_part_as_polygon(wkb: pa.Array) -> np.ndarray:
    """The WKB of each MultiPolygon of one part (how GeoPackage layers store polygons) cut down to its polygon.

    Parsing the multi and then taking its part (:func:`single_parts`) costs time, and leaves the freed
    multis as holes between the polygons kept: ~180 MB per million footprints.
    """
    one = pc.equal(pc.binary_slice(wkb, 0, _MULTI_OF_ONE_LENGTH), pa.scalar(_MULTI_OF_ONE, pa.binary()))
    return pc.if_else(one, pc.binary_slice(wkb, _MULTI_OF_ONE_LENGTH, 2**31 - 1), wkb).to_numpy(zero_copy_only=False)


def _parse(wkb: np.ndarray) -> np.ndarray:
    return single_parts(shapely.from_wkb(wkb))


def single_parts(geoms: np.ndarray) -> np.ndarray:
    """Multi-geometries of one part become that part (GeoPackage layers store them as multi)."""
    geoms = np.asarray(geoms, dtype=object)
    multi = shapely.get_type_id(geoms) >= 4
    single = multi & (shapely.get_num_geometries(geoms) == 1)
    if single.any():
        geoms = geoms.copy()
        geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def file_geometry_type(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> tuple[str, bool]:
    """The layer geometry type to write and whether to promote singles to multi."""
    types = set(gdf.geom_type.dropna().unique())
    if spec.geometry == "polygon" or (types and types <= {"Polygon", "MultiPolygon"}):
        return "MultiPolygon", True
    if spec.geometry == "line" or (types and types <= {"LineString", "MultiLineString"}):
        return "MultiLineString", True
    if spec.geometry == "point" or types == {"Point"}:
        return "Point", False
    return "Unknown", False


def fingerprint(gdf: gpd.GeoDataFrame) -> str:
    """A hash of a layer's columns, dtypes, values and geometries (not its index)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr([(str(c), str(t)) for c, t in gdf.dtypes.items()]).encode())
    try:
        for column in gdf.columns:
            if column != gdf.geometry.name:
                _hash_column(h, gdf[column])
        wkb = shapely.to_wkb(np.asarray(gdf.geometry.array, dtype=object))
    except (TypeError, ValueError):  # a value pandas cannot hash: count the layer as changed
        return uuid.uuid4().hex
    h.update(np.array([-1 if w is None else len(w) for w in wkb], dtype=np.int64).tobytes())
    h.update(b"".join(w for w in wkb if w is not None))
    return h.hexdigest()


def _hash_column(h, column: pd.Series) -> None:
    values = column.to_numpy()
    if values.dtype != object:
        h.update(np.ascontiguousarray(values).tobytes())
        return
    try:  # text: the strings and their lengths, far quicker than pandas' hashing of objects
        h.update("\x1f".join(values).encode("utf-8", "surrogatepass"))
        h.update(np.fromiter(map(len, values), dtype=np.int64, count=len(values)).tobytes())
    except TypeError:  # not all text
        h.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())
