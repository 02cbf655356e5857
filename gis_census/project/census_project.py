"""CensusProject: one township's census division, kept in one GeoPackage file."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from gis_census.errors import ProjectError
from gis_census.project import gpkg
from gis_census.project.layers import (
    conform_layer,
    empty_layer,
    fid_ranges,
    file_geometry_type,
    fingerprint,
    layer_columns,
    read_columns,
    read_fids,
    read_geometries,
    single_parts,
)
from gis_census.project.meta import (
    OWNED_KEYS,
    READ_ONLY_KEY,
    REVISION_KEY,
    SAVED_BY_KEY,
    SAVED_LAYERS_KEY,
    UID_KEY,
    ProjectMeta,
    as_int,
    now,
    program,
)
from gis_census.schema import FORMAT_VERSION, GPKG_OPTIONS, LAYERS, META_TABLE, PERSONAL_LAYERS

__all__ = ["CensusProject", "FileBase", "Layers"]


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


class Layers(MutableMapping):
    """The layers of a project opened from a file, by name: each is read from the file when first asked for,
    so a job that needs a few layers (or, through :meth:`CensusProject.columns`, a few columns) reads no more.

    A layer read late comes from the file as it is then; a save after another program's is refused all the same.
    """

    def __init__(self, read: Callable[[str], gpd.GeoDataFrame]):
        self._read = read
        self._loaded: dict[str, gpd.GeoDataFrame] = {}

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        if name not in self._loaded:
            if name not in LAYERS:
                raise KeyError(name)
            self._loaded[name] = self._read(name)
        return self._loaded[name]

    def __setitem__(self, name: str, gdf: gpd.GeoDataFrame) -> None:
        self._loaded[name] = gdf

    def __delitem__(self, name: str) -> None:
        raise KeyError(f"a project always has layer {name}")

    def __iter__(self) -> Iterator[str]:
        return iter(LAYERS)

    def __len__(self) -> int:
        return len(LAYERS)

    def loaded(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers read or set so far."""
        return dict(self._loaded)


def _unreadable(name: str) -> gpd.GeoDataFrame:
    raise KeyError(name)


class CensusProject:
    """A township's villages, districts, small areas, buildings and context layers, with settings.

    Layers are GeoDataFrames in one projected CRS in metres. Open with :meth:`open`,
    write with :meth:`save`: a project read from a file is saved into that file in place, in one SQLite
    transaction that replaces only the layers that changed (a crash leaves the old or the new state, and
    tables the tool does not know survive), and is refused when another program saved the file meanwhile.
    """

    def __init__(self, meta: ProjectMeta, layers: dict[str, gpd.GeoDataFrame] | Layers, path: Path | None = None):
        self.meta = meta
        # A file's layers are conformed as they are read (0.1 s a project saved, were the empty ones made first)
        self.layers: MutableMapping[str, gpd.GeoDataFrame] = layers if isinstance(layers, Layers) else {
            name: conform_layer(name, layers.get(name, empty_layer(name, meta.crs))) for name in LAYERS}
        self.path = Path(path) if path else None
        #: Every census_meta key -> value as read from the file (the tool's and others').
        self.stored_meta: dict[str, str] = {}
        #: The file this project is based on, or None for a project not read from or saved to a file yet.
        self.base: FileBase | None = None
        #: The file the layers not read yet come from, and the layers it holds (set by :meth:`open`).
        self._source: tuple[Path, set[str]] | None = None
        #: That file's id and save counter when it was opened (or last saved by this project).
        self._source_stamp: tuple[str, int] = ("", 0)
        #: census_meta keys of other parts of the engine (acceptance) set since the last save: the next save writes them.
        self._keys_to_write: set[str] = set()

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
    def open(cls, path: str | os.PathLike, *, lazy: bool = False) -> CensusProject:
        """Read a project file; raise ProjectError naming the file when it is not one.

        With `lazy`, a layer is read only when first asked for (and :meth:`columns` reads single columns), so a
        job that needs a few layers reads no more; a layer asked for after someone else saved the file is
        refused rather than mixed with the version read before. Otherwise every layer is read now.

        Temporary files left by a save that was killed are removed first, and an interrupted in-place save
        is rolled back (SQLite does that when it first reads the file).
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError("project_missing", path=str(path))
        gpkg.remove_leftovers(path)
        stored = gpkg.read_stored_meta(path)
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
        project = cls(meta, Layers(_unreadable), path)
        project.layers = Layers(project._reader(path, names))
        project._source = (path, names)
        project._source_stamp = (stored.get(UID_KEY, ""), as_int(stored.get(REVISION_KEY)))
        project.stored_meta = stored
        project.base = FileBase(path.resolve(), stored.get(UID_KEY, ""), as_int(stored.get(REVISION_KEY)), {}, meta.crs)
        if not lazy:
            for name in LAYERS:
                project.layers[name]
        return project

    def _reader(self, path: Path, names: set[str]) -> Callable[[str], gpd.GeoDataFrame]:
        """Reads layer `name` of the file at `path` (holding the layers `names`) as the schema wants it, and
        records its fingerprint as read."""

        def read(name: str) -> gpd.GeoDataFrame:
            if name in names:
                self._check_source(name)
                try:
                    gdf = pyogrio.read_dataframe(path, layer=name, use_arrow=True, fid_as_index=False)
                except Exception as exc:
                    raise ProjectError("project_layer_unreadable", path=str(path), layer=name, reason=str(exc)) from None
                if LAYERS[name].geometry == "none":  # a table: read as a layer whose geometries are all empty
                    gdf = gpd.GeoDataFrame(gdf, geometry=gpd.GeoSeries([None] * len(gdf), crs=self.meta.crs))
                gdf = conform_layer(name, gdf.set_geometry(single_parts(gdf.geometry.values), crs=gdf.crs))
            else:
                gdf = conform_layer(name, empty_layer(name, self.meta.crs))
            if self.base is not None:
                self.base.fingerprints[name] = fingerprint(gdf)
            return gdf

        return read

    def columns(self, name: str, fields: list[str], geometry: bool = True, ids: list[int] | None = None) -> dict[str, np.ndarray]:
        """The `fields` of layer `name` (and its geometry, under "geometry") as numpy arrays; with `ids`, only
        those of the features whose integer ``id`` is one of them.

        A layer not read yet stays unread: only these columns (and rows) come from the file, with the values the
        whole layer would have (the schema's types, missing text as "", single parts); repeated text shares one object.
        """
        if isinstance(self.layers, Layers) and self._source is not None and name not in self.layers.loaded():
            path, names = self._source
            if name not in names:
                return layer_columns(empty_layer(name, self.crs), fields, geometry)
            self._check_source(name)
            try:
                return read_columns(path, name, fields, geometry, ids)
            except Exception as exc:
                raise ProjectError("project_layer_unreadable", path=str(path), layer=name, reason=str(exc)) from None
        cols = layer_columns(self.layers[name], fields, geometry)
        if ids is None:
            return cols
        chosen = np.isin(self.layers[name]["id"].to_numpy(), np.asarray(ids, dtype=np.int64))
        return {c: v[chosen] for c, v in cols.items()}

    def file_parts(self, name: str, size: int) -> tuple[Path, list[tuple[int, int]]] | None:
        """Where other processes can read layer `name` a part at a time (:func:`~gis_census.project.layers.read_batches`
        with `fids`): the file and ranges of its features' ids, about `size` a range. None where the project holds
        the layer (read, changed, or not from a file)."""
        if isinstance(self.layers, Layers) and self._source is not None and name not in self.layers.loaded():
            path, names = self._source
            if name in names:
                self._check_source(name)
                try:
                    return path, fid_ranges(path, name, size)
                except Exception as exc:
                    raise ProjectError("project_layer_unreadable", path=str(path), layer=name, reason=str(exc)) from None
        return None

    def rows(self, name: str, fields: list[str], fids: np.ndarray) -> dict[str, np.ndarray]:
        """The `fields` of the features of layer `name` keyed `fids` (GeoPackage ids, as
        :meth:`file_parts` reads them; row positions in a layer the project holds), in that order."""
        if isinstance(self.layers, Layers) and self._source is not None and name not in self.layers.loaded():
            path, names = self._source
            if name in names:
                return read_fids(path, name, fields, fids)
        cols = self.columns(name, fields, geometry=False)
        return {c: v[np.asarray(fids, dtype=np.int64)] for c, v in cols.items()}

    def geometries(self, name: str, fids: np.ndarray) -> np.ndarray:
        """The geometries of the features of layer `name` keyed `fids` (GeoPackage ids, as
        :meth:`file_parts` reads them; row positions in a layer the project holds), in that order."""
        if isinstance(self.layers, Layers) and self._source is not None and name not in self.layers.loaded():
            path, names = self._source
            if name in names:
                return read_geometries(path, name, fids)
        return self.columns(name, [])["geometry"][np.asarray(fids, dtype=np.int64)]

    def _check_source(self, layer: str) -> None:
        """Refuse to read `layer` late from a file saved by someone else since it was opened: the project
        would hold two versions of the file at once."""
        assert self._source is not None
        path = self._source[0]
        stored = gpkg.read_stored_meta(path) or {}
        if (stored.get(UID_KEY, ""), as_int(stored.get(REVISION_KEY))) != self._source_stamp:
            when = stored.get("modified", "").replace("T", " ").replace("+00:00", " UTC")
            raise ProjectError("project_changed_while_reading", path=str(path), layer=layer, when=when or "?",
                               by=stored.get(SAVED_BY_KEY) or "?")

    def set_keys(self, keys: dict[str, str]) -> None:
        """Set census_meta keys the project settings do not own (e.g. the acceptance record); saved with the next save."""
        clash = OWNED_KEYS & set(keys)
        if clash:
            raise ValueError(f"census_meta keys {sorted(clash)} belong to the project settings")
        self.stored_meta.update(keys)
        self._keys_to_write |= set(keys)

    def rebase(self, path: str | os.PathLike, revision: int, uid: str) -> None:
        """Make this project (e.g. read from an autosave copy) unsaved work on the file at `path` as it was at
        `revision`: the next save writes every layer into that file, and is refused if it was saved since."""
        self.layers = dict(self.layers)  # the layers are read from the file they came from, before it changes
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
        meta = ProjectMeta(**{**asdict(self.meta), "modified": now()})
        base = self.base if self.base is not None and self.base.file == target else None
        if base is not None and self.stored_meta.get(READ_ONLY_KEY):  # a merged county: its townships are the originals
            raise ProjectError("project_read_only", path=str(target))
        if base is not None and target.exists():
            self._save_in_place(target, meta, base)
        else:
            revision = base.revision + 1 if base else 1
            uid = base.uid if base and base.uid else uuid.uuid4().hex
            self._save_whole(target, meta, {REVISION_KEY: str(revision), UID_KEY: uid,
                                            SAVED_LAYERS_KEY: ", ".join(LAYERS), SAVED_BY_KEY: program()})
            self.base = FileBase(target, uid, revision, self._fingerprints(), meta.crs)
        self.meta, self.path = meta, target
        self._keys_to_write.clear()
        return target

    def save_copy(self, path: str | os.PathLike, extra: dict[str, str] | None = None) -> Path:
        """Write the whole project to a new file `path` (e.g. an autosave copy) with `extra` census_meta keys;
        the project itself stays based on its own file."""
        target = Path(path).resolve()
        keys = {REVISION_KEY: str(self.revision), UID_KEY: self.base.uid if self.base else "",
                SAVED_LAYERS_KEY: ", ".join(LAYERS), SAVED_BY_KEY: program(), **(extra or {})}
        self._save_whole(target, ProjectMeta(**{**asdict(self.meta), "modified": now()}), keys)
        return target

    # -- whole file ------------------------------------------------------------------------------

    def _save_whole(self, target: Path, meta: ProjectMeta, keys: dict[str, str]) -> None:
        tmp = gpkg.temp_path(target)
        try:
            self._write(tmp, meta, keys)
            gpkg.fsync(tmp)
            os.replace(tmp, target)
            gpkg.fsync_dir(target.parent)
        except (OSError, RuntimeError, pyogrio.errors.DataSourceError, sqlite3.Error) as exc:
            raise gpkg.save_error(target, exc) from None
        finally:
            gpkg.remove_temp(tmp)

    def _write(self, tmp: Path, meta: ProjectMeta, keys: dict[str, str]) -> None:
        tmp.unlink(missing_ok=True)
        others = {k: v for k, v in self.stored_meta.items() if k not in OWNED_KEYS and k not in keys}
        frame = pd.concat([meta.to_frame(), pd.DataFrame({"key": list(keys) + list(others),
                                                          "value": list(keys.values()) + list(others.values())})],
                          ignore_index=True)
        pyogrio.write_dataframe(frame, tmp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS)
        self._write_layers(tmp, list(LAYERS), meta.crs, first=False)

    def _write_layers(self, tmp: Path, names: list[str], crs: str, first: bool) -> list[str]:
        """Write the layers `names` into the GeoPackage `tmp` (created when `first`); the names written
        (an empty optional layer is not)."""
        written: list[str] = []
        for name in names:
            spec, gdf = LAYERS[name], self.layers[name]
            if gdf.empty and not spec.required:
                continue
            if spec.geometry == "none":
                table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
                options = {"dataset_options": GPKG_OPTIONS} if first and not written else {}
                pyogrio.write_dataframe(table, tmp, layer=name, driver="GPKG", append=False, **options)
                written.append(name)
                continue
            geometry_type, promote = file_geometry_type(spec, gdf)
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

    def _loaded(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers in memory: all, or those of an opened file read or set so far (the others are as in the file)."""
        return self.layers.loaded() if isinstance(self.layers, Layers) else dict(self.layers)

    def _fingerprints(self) -> dict[str, str]:
        return {name: fingerprint(gdf) for name, gdf in self._loaded().items()}

    def changed_layers(self) -> list[str]:
        """The layers a save would write into the file the project was read from."""
        if self.base is None:
            return list(LAYERS)
        if self.meta.crs != self.base.crs:
            return list(LAYERS)
        fingerprints = self._fingerprints()
        return [n for n in LAYERS if n in fingerprints and fingerprints[n] != self.base.fingerprints.get(n)]

    def _save_in_place(self, target: Path, meta: ProjectMeta, base: FileBase) -> None:
        fingerprints = self._fingerprints()
        everything = meta.crs != base.crs
        changed = list(LAYERS) if everything else [
            n for n in LAYERS if n in fingerprints and fingerprints[n] != base.fingerprints.get(n)]
        tmp = gpkg.temp_path(target)
        try:
            _refuse_if_changed(target, gpkg.read_stored_meta(target) or {}, base)  # early, before the slow part
            tmp.unlink(missing_ok=True)
            written = self._write_layers(tmp, changed, meta.crs, first=True)
            db = gpkg.connect(target)
            try:
                if written:
                    db.execute("ATTACH DATABASE ? AS src", (str(tmp),))
                gpkg.begin(db, target)
                stored = {str(k): "" if v is None else str(v) for k, v in db.execute(
                    f'SELECT "key", "value" FROM "{META_TABLE}"')}
                _refuse_if_changed(target, stored, base)
                for name in changed:
                    db.execute(f"PRAGMA secure_delete = {'ON' if name in PERSONAL_LAYERS else 'OFF'}")  # zero what is dropped
                    kept = gpkg.drop_layer(db, name)
                    if name in written:
                        gpkg.copy_layer(db, name, kept)
                uid = stored.get(UID_KEY) or uuid.uuid4().hex
                keys = {k: str(v) for k, v in asdict(meta).items()}
                keys.update({REVISION_KEY: str(base.revision + 1), UID_KEY: uid,
                             SAVED_LAYERS_KEY: ", ".join(changed), SAVED_BY_KEY: program()})
                keys.update({k: self.stored_meta[k] for k in self._keys_to_write})
                gpkg.set_meta(db, keys)
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
            if gpkg.is_locked(exc):
                raise ProjectError("project_locked", path=str(target), seconds=int(gpkg.BUSY_TIMEOUT_S)) from None
            raise gpkg.save_error(target, exc) from None
        except (OSError, RuntimeError, pyogrio.errors.DataSourceError, sqlite3.Error) as exc:
            raise gpkg.save_error(target, exc) from None
        finally:
            gpkg.remove_temp(tmp)
        self.stored_meta = {**stored, **keys}
        if self._source is not None and self._source[0].resolve() == target:
            self._source_stamp = (uid, base.revision + 1)  # the layers not read yet are still as in the file
        self.base = FileBase(target, uid, base.revision + 1, self._fingerprints() if everything else fingerprints, meta.crs)


def _refuse_if_changed(target: Path, stored: dict[str, str], base: FileBase) -> None:
    """Raise ProjectError when the file no longer holds the revision the project was based on."""
    uid = stored.get(UID_KEY, "")
    if base.uid and uid != base.uid:
        raise ProjectError("project_replaced_on_disk", path=str(target))
    revision = as_int(stored.get(REVISION_KEY))
    if revision != base.revision:
        when = stored.get("modified", "").replace("T", " ").replace("+00:00", " UTC")
        raise ProjectError("project_changed_on_disk", path=str(target), when=when or "?",
                           by=stored.get(SAVED_BY_KEY) or "?", layers=stored.get(SAVED_LAYERS_KEY) or "?")
