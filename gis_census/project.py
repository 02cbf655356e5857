"""CensusProject: one township's census division, kept in one GeoPackage file."""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import sys
import uuid
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

__all__ = ["ProjectMeta", "CensusProject", "FileBase", "empty_layer", "conform_layer", "remove_leftovers"]


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


#: census_meta keys the engine owns besides the ProjectMeta fields: a save bumps `revision`, and records
#: which layers it wrote and which program it was; `project_uid` tells this file from another one put in its place.
REVISION_KEY = "revision"
UID_KEY = "project_uid"
SAVED_LAYERS_KEY = "saved_layers"
SAVED_BY_KEY = "saved_by"
_OWNED_KEYS = {f.name for f in fields(ProjectMeta)} | {REVISION_KEY, UID_KEY, SAVED_LAYERS_KEY, SAVED_BY_KEY}

#: How long opening or saving waits for another program that is saving the same file (seconds).
BUSY_TIMEOUT_S = 10.0

#: GeoPackage bookkeeping tables whose rows of a layer are replaced with the layer.
_LAYER_ROWS = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_ogr_contents")


@dataclass
class FileBase:
    """The file a project was read from (or last saved to), as it was then.

    `fingerprints` holds, per layer, a hash of the layer as read; a save writes again only the layers whose
    hash changed (a layer missing there is written). `revision` is the file's save counter then.
    """

    file: Path
    uid: str
    revision: int
    fingerprints: dict[str, str]
    crs: str


class CensusProject:
    """A township's villages, districts, small areas, buildings and context layers, with settings.

    Layers are GeoDataFrames in one projected CRS in metres. Open with :meth:`open`,
    write with :meth:`save`: a project read from a file is saved into that file in place, in one SQLite
    transaction that replaces only the layers that changed (a crash leaves the old or the new state, and
    tables the tool does not know survive), and is refused when another program saved the file meanwhile.
    """

    def __init__(self, meta: ProjectMeta, layers: dict[str, gpd.GeoDataFrame], path: Path | None = None):
        self.meta = meta
        self.layers = {name: conform_layer(name, layers.get(name, empty_layer(name, meta.crs))) for name in LAYERS}
        self.path = Path(path) if path else None
        #: Every census_meta key -> value as read from the file (the tool's and others').
        self.stored_meta: dict[str, str] = {}
        #: The file this project is based on, or None for a project not read from or saved to a file yet.
        self.base: FileBase | None = None

    @property
    def crs(self) -> str:
        return self.meta.crs

    @property
    def revision(self) -> int:
        """The save counter of the file when it was read (or last saved by this project); 0 without a file."""
        return self.base.revision if self.base else 0

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        return self.layers[name]

    @classmethod
    def open(cls, path: str | os.PathLike) -> "CensusProject":
        """Read a project file; raise ProjectError naming the file when it is not one.

        Temporary files left by a save that was killed are removed first, and an interrupted in-place save
        is rolled back (SQLite does that when it first reads the file).
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError("project_missing", path=str(path))
        remove_leftovers(path)
        stored = _read_stored_meta(path)
        try:
            names = set(pyogrio.list_layers(path)[:, 0])
        except Exception:
            raise ProjectError("project_unreadable", path=str(path)) from None
        if META_TABLE not in names:
            raise ProjectError("not_a_project", path=str(path))
        if stored is None:
            raise ProjectError("project_layer_unreadable", path=str(path), layer=META_TABLE, reason="SQLite")
        try:
            meta = ProjectMeta.from_frame(pd.DataFrame({"key": list(stored), "value": list(stored.values())}))
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
        project = cls(meta, layers, path)
        project.stored_meta = stored
        project.base = FileBase(path.resolve(), stored.get(UID_KEY, ""), _int(stored.get(REVISION_KEY)),
                                project._fingerprints(), meta.crs)
        return project

    def rebase(self, path: str | os.PathLike, revision: int, uid: str) -> None:
        """Make this project (e.g. read from an autosave copy) unsaved work on the file at `path` as it was at
        `revision`: the next save writes every layer into that file, and is refused if it was saved since."""
        self.path = Path(path).resolve()
        self.base = FileBase(self.path, uid, revision, {}, self.meta.crs)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Write the project to `path` (default: where it was opened); a failed save leaves the file as it was.

        Into the file the project was read from: in place, only the changed layers and the tool's own
        settings, in one transaction, refused (ProjectError, nothing written) when the file was saved by
        someone else since it was read. Anywhere else: a whole new file, written beside the target, flushed
        to disk and renamed over it.
        """
        target = Path(path) if path else self.path
        if target is None:
            raise ProjectError("save_no_path")
        target = target.resolve()
        meta = ProjectMeta(**{**asdict(self.meta), "modified": _now()})
        if self.base is not None and self.base.file == target and target.exists():
            self._save_in_place(target, meta)
        else:
            same = self.base is not None and self.base.file == target
            revision = self.base.revision + 1 if same else 1
            uid = self.base.uid if same and self.base.uid else uuid.uuid4().hex
            self._save_whole(target, meta, {REVISION_KEY: str(revision), UID_KEY: uid,
                                            SAVED_LAYERS_KEY: ", ".join(LAYERS), SAVED_BY_KEY: _program()})
            self.base = FileBase(target, uid, revision, self._fingerprints(), meta.crs)
        self.meta, self.path = meta, target
        return target

    def save_copy(self, path: str | os.PathLike, extra: dict[str, str] | None = None) -> Path:
        """Write the whole project to a new file `path` (e.g. an autosave copy) with `extra` census_meta keys;
        the project itself stays based on its own file."""
        target = Path(path).resolve()
        keys = {REVISION_KEY: str(self.revision), UID_KEY: self.base.uid if self.base else "",
                SAVED_LAYERS_KEY: ", ".join(LAYERS), SAVED_BY_KEY: _program(), **(extra or {})}
        self._save_whole(target, ProjectMeta(**{**asdict(self.meta), "modified": _now()}), keys)
        return target

    # -- whole file ------------------------------------------------------------------------------

    def _save_whole(self, target: Path, meta: ProjectMeta, keys: dict[str, str]) -> None:
        tmp = _temp_path(target)
        try:
            self._write(tmp, meta, keys)
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except (OSError, RuntimeError, pyogrio.errors.DataSourceError, sqlite3.Error) as exc:
            raise _save_error(target, exc) from None
        finally:
            _remove_temp(tmp)

    def _write(self, tmp: Path, meta: ProjectMeta, keys: dict[str, str]) -> None:
        tmp.unlink(missing_ok=True)
        others = {k: v for k, v in self.stored_meta.items() if k not in _OWNED_KEYS and k not in keys}
        frame = pd.concat([meta.to_frame(), pd.DataFrame({"key": list(keys) + list(others),
                                                          "value": list(keys.values()) + list(others.values())})],
                          ignore_index=True)
        pyogrio.write_dataframe(frame, tmp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS)
        self._write_layers(tmp, list(LAYERS), meta.crs, first=False)

    def _write_layers(self, tmp: Path, names: list[str], crs: str, first: bool) -> list[str]:
        """Write the layers `names` into the GeoPackage `tmp` (created when `first`); the names written
        (an empty optional layer is not)."""
        written = []
        for name in names:
            spec, gdf = LAYERS[name], self.layers[name]
            if gdf.empty and not spec.required:
                continue
            geometry_type, promote = _file_geometry_type(spec, gdf)
            options = {"dataset_options": GPKG_OPTIONS} if first and not written else {}
            pyogrio.write_dataframe(
                gdf.set_crs(crs, allow_override=True),
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=promote,
                append=False,
                **options,
            )
            written.append(name)
        return written

    # -- in place ---------------------------------------------------------------------------------

    def _fingerprints(self) -> dict[str, str]:
        return {name: _fingerprint(gdf) for name, gdf in self.layers.items()}

    def changed_layers(self) -> list[str]:
        """The layers a save would write into the file the project was read from."""
        if self.base is None:
            return list(LAYERS)
        if self.meta.crs != self.base.crs:
            return list(LAYERS)
        return [n for n, fp in self._fingerprints().items() if fp != self.base.fingerprints.get(n)]

    def _save_in_place(self, target: Path, meta: ProjectMeta) -> None:
        base = self.base
        fingerprints = self._fingerprints()
        everything = meta.crs != base.crs
        changed = [n for n in LAYERS if everything or fingerprints[n] != base.fingerprints.get(n)]
        tmp = _temp_path(target)
        try:
            _refuse_if_changed(target, _read_stored_meta(target) or {}, base)  # early, before the slow part
            tmp.unlink(missing_ok=True)
            written = self._write_layers(tmp, changed, meta.crs, first=True)
            db = _connect(target)
            try:
                if written:
                    db.execute("ATTACH DATABASE ? AS src", (str(tmp),))
                _begin(db, target)
                stored = {str(k): "" if v is None else str(v) for k, v in db.execute(
                    f'SELECT "key", "value" FROM "{META_TABLE}"')}
                _refuse_if_changed(target, stored, base)
                for name in changed:
                    kept = _drop_layer(db, name)
                    if name in written:
                        _copy_layer(db, name, kept)
                uid = stored.get(UID_KEY) or uuid.uuid4().hex
                keys = {k: str(v) for k, v in asdict(meta).items()}
                keys.update({REVISION_KEY: str(base.revision + 1), UID_KEY: uid,
                             SAVED_LAYERS_KEY: ", ".join(changed), SAVED_BY_KEY: _program()})
                _set_meta(db, keys)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            finally:
                db.close()
        except ProjectError:
            raise
        except sqlite3.OperationalError as exc:
            if _is_locked(exc):
                raise ProjectError("project_locked", path=str(target), seconds=int(BUSY_TIMEOUT_S)) from None
            raise _save_error(target, exc) from None
        except (OSError, RuntimeError, pyogrio.errors.DataSourceError, sqlite3.Error) as exc:
            raise _save_error(target, exc) from None
        finally:
            _remove_temp(tmp)
        self.stored_meta = {**stored, **keys}
        self.base = FileBase(target, uid, base.revision + 1, fingerprints, meta.crs)


#: The program saving, as recorded in the file (the command line sets "gis-census VERB", the app its name).
SAVED_BY: str | None = None


def _program() -> str:
    """The program saving, as a user would name it: "gis-census divide", "gis-census 桌面程序"."""
    if SAVED_BY:
        return SAVED_BY
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name.endswith("cli.py") or name == "__main__.py":
        name = "gis-census"
    verb = sys.argv[1] if len(sys.argv) > 1 else ""
    return f"{name} {verb}" if verb.isidentifier() or verb.replace("-", "").isalpha() else name


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _fingerprint(gdf: gpd.GeoDataFrame) -> str:
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


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.stem}.saving-{os.getpid()}.gpkg")


def _remove_temp(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def remove_leftovers(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary files (``.NAME.saving-PID.gpkg`` and its journals) that saves of `path` killed
    midway left behind; a file whose process still runs is kept. Returns the files removed."""
    path = Path(path)
    pattern = re.compile(re.escape(f".{path.stem}.saving-") + r"(\d+)\.gpkg(-journal|-wal|-shm)?")
    removed = []
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.stem)}.saving-*"))
    except OSError:
        return removed
    for leftover in candidates:
        match = pattern.fullmatch(leftover.name)
        if match and not _running(int(match.group(1))):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # cannot tell cheaply: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _begin(db: sqlite3.Connection, target: Path) -> None:
    """Start the write transaction, waiting up to BUSY_TIMEOUT_S for another writer of the file.

    The write lock is taken on the project file only (a first write to it), not with BEGIN IMMEDIATE: that
    would open a write transaction on the attached temporary file too, and a commit over two files goes
    through a super-journal that a kill at the wrong moment leaves behind."""
    try:
        db.execute("BEGIN")
        db.execute(f'UPDATE main."{META_TABLE}" SET "value" = "value" WHERE "key" = ?', (REVISION_KEY,))
    except sqlite3.OperationalError as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if _is_locked(exc):
            raise ProjectError("project_locked", path=str(target), seconds=int(BUSY_TIMEOUT_S)) from None
        raise


def _read_stored_meta(path: Path) -> dict[str, str] | None:
    """census_meta as key -> value, read with SQLite (which first rolls back a save killed midway);
    None when the file is not SQLite or has no such table."""
    writable = os.access(path, os.W_OK)
    try:
        db = sqlite3.connect(Path(path).absolute().as_uri() + ("?mode=rw" if writable else "?mode=ro"),
                             uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        journal = Path(f"{path}-journal")
        supers = list(Path(path).parent.glob(f"{glob.escape(Path(path).name)}-mj*"))
        if writable and (journal.exists() or supers):
            # A save killed midway: reading rolls its transaction back from the journal ("hot" journal). One
            # killed before it wrote a page leaves a journal nothing needs: with the write lock held (so no
            # one else's transaction is under way) only such a stale journal can be left; it goes.
            db.execute("BEGIN IMMEDIATE")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            journal.unlink(missing_ok=True)
            for stale in supers:  # super-journals of multi-file commits (earlier versions) killed midway
                stale.unlink(missing_ok=True)
            db.execute("ROLLBACK")
        return {str(k): "" if v is None else str(v) for k, v in db.execute(f'SELECT "key", "value" FROM "{META_TABLE}"')}
    except sqlite3.OperationalError as exc:
        if _is_locked(exc):
            raise ProjectError("project_locked", path=str(path), seconds=int(BUSY_TIMEOUT_S)) from None
        return None
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _refuse_if_changed(target: Path, stored: dict[str, str], base: FileBase) -> None:
    """Raise ProjectError when the file no longer holds the revision the project was based on."""
    uid = stored.get(UID_KEY, "")
    if base.uid and uid != base.uid:
        raise ProjectError("project_replaced_on_disk", path=str(target))
    revision = _int(stored.get(REVISION_KEY))
    if revision != base.revision:
        when = stored.get("modified", "").replace("T", " ").replace("+00:00", " UTC")
        raise ProjectError("project_changed_on_disk", path=str(target), when=when or "?",
                           by=stored.get(SAVED_BY_KEY) or "?", layers=stored.get(SAVED_LAYERS_KEY) or "?")


def _columns(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _drop_layer(db: sqlite3.Connection, name: str) -> tuple | None:
    """Drop layer `name` from the project file with its spatial index and bookkeeping rows; its
    gpkg_contents identifier and description (a user may have written them) are returned to keep."""
    kept = db.execute("SELECT identifier, description FROM main.gpkg_contents WHERE lower(table_name) = lower(?)",
                      (name,)).fetchone()
    for (column,) in db.execute("SELECT column_name FROM main.gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                                (name,)).fetchall():
        db.execute(f'DROP TABLE IF EXISTS main."rtree_{name}_{column}"')
    db.execute(f'DROP TABLE IF EXISTS main."{name}"')
    for table in _LAYER_ROWS:
        if _columns(db, "main", table):
            db.execute(f"DELETE FROM main.{table} WHERE lower(table_name) = lower(?)", (name,))
    if _columns(db, "main", "gpkg_extensions"):
        db.execute("DELETE FROM main.gpkg_extensions WHERE lower(table_name) = lower(?) AND "
                   "(extension_name = 'gpkg_rtree_index' OR extension_name LIKE 'gpkg_geom_%')", (name,))
    return kept


def _copy_layer(db: sqlite3.Connection, name: str, kept: tuple | None) -> None:
    """Copy layer `name` from the attached GeoPackage `src` (table, rows, spatial index, triggers, bookkeeping)."""
    objects = db.execute("SELECT type, name, sql FROM src.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
                         (name,)).fetchall()
    table_sql = [sql for kind, _, sql in objects if kind == "table"]
    db.execute(table_sql[0])
    db.execute(f'INSERT INTO main."{name}" SELECT * FROM src."{name}"')
    for (column,) in db.execute("SELECT column_name FROM src.gpkg_geometry_columns WHERE table_name = ?",
                                (name,)).fetchall():
        rtree = f"rtree_{name}_{column}"
        row = db.execute("SELECT sql FROM src.sqlite_master WHERE name = ?", (rtree,)).fetchone()
        if row:
            db.execute(row[0])
            db.execute(f'INSERT INTO main."{rtree}" SELECT * FROM src."{rtree}"')
    for kind, _, sql in objects:
        if kind in ("index", "trigger"):
            db.execute(sql)  # triggers last: GeoPackage's call functions plain SQLite lacks
    srs = db.execute("SELECT srs_id FROM src.gpkg_contents WHERE table_name = ?", (name,)).fetchone()
    if srs is not None:
        columns = ", ".join(f'"{c}"' for c in _columns(db, "src", "gpkg_spatial_ref_sys")
                            if c in _columns(db, "main", "gpkg_spatial_ref_sys"))
        db.execute(f"INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys ({columns}) "
                   f"SELECT {columns} FROM src.gpkg_spatial_ref_sys WHERE srs_id = ?", srs)
    for table in (*_LAYER_ROWS, "gpkg_extensions"):
        common = [c for c in _columns(db, "src", table) if c in _columns(db, "main", table)]
        if not common:
            continue
        columns = ", ".join(f'"{c}"' for c in common)
        verb = "INSERT OR REPLACE" if table == "gpkg_extensions" else "INSERT"
        db.execute(f"{verb} INTO main.{table} ({columns}) SELECT {columns} FROM src.{table} WHERE table_name = ?",
                   (name,))
    if kept is not None:
        db.execute("UPDATE main.gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                   (*kept, name))


def _set_meta(db: sqlite3.Connection, keys: dict[str, str]) -> None:
    """Set the tool's census_meta keys in the project file; other keys stay as they are."""
    for key, value in keys.items():
        cursor = db.execute(f'UPDATE "{META_TABLE}" SET "value" = ? WHERE "key" = ?', (value, key))
        if cursor.rowcount == 0:
            db.execute(f'INSERT INTO "{META_TABLE}" ("key", "value") VALUES (?, ?)', (key, value))
    db.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
               (META_TABLE,))
    if _columns(db, "main", "gpkg_ogr_contents"):
        db.execute(f'UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM "{META_TABLE}") '
                   f"WHERE lower(table_name) = lower(?)", (META_TABLE,))


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    return f"{n / 2**20:.0f} MB" if n >= 10 * 2**20 else f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n // 1024} KB"


def _save_error(target: Path, exc: BaseException) -> ProjectError:
    """The failure of a save in words: the file, the reason, the free space on its disk."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    _remove_temp(_temp_path(target))  # the free space the user will have once this save's files are gone
    try:
        free = shutil.disk_usage(target.parent).free
    except OSError:
        free = None
    size = target.stat().st_size if target.exists() else 0
    text = str(exc).lower()
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))) \
        or "no space" in text or "disk is full" in text or "disk full" in text \
        or (free is not None and free < max(64 * 2**20, 2 * size))
    if full:
        return ProjectError("save_failed_disk_full", path=str(target), folder=str(target.parent), free=_size(free))
    return ProjectError("save_failed", path=str(target), reason=reason, free=_size(free))


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
