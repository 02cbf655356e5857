"""The GeoPackage under a project, at SQLite level: one write transaction, the layers swapped in it, the
journal of a save killed midway rolled back, temporary files and their leftovers, failures in words."""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
import sqlite3
from pathlib import Path

from gis_census.errors import ProjectError
from gis_census.project.meta import REVISION_KEY
from gis_census.schema import META_TABLE

__all__ = ["BUSY_TIMEOUT_S", "temp_path", "remove_temp", "remove_leftovers", "connect", "is_locked", "begin",
           "read_stored_meta", "drop_layer", "copy_layer", "set_meta", "save_error", "fsync", "fsync_dir"]

#: How long opening or saving waits for another program that is saving the same file (seconds).
BUSY_TIMEOUT_S = 10.0

#: GeoPackage bookkeeping tables whose rows of a layer are replaced with the layer.
_LAYER_ROWS = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_ogr_contents")


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.stem}.saving-{os.getpid()}.gpkg")


def remove_temp(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def remove_leftovers(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary files (``.NAME.saving-PID.gpkg`` and its journals) that saves of `path` killed
    midway left behind; a file whose process still runs is kept. Returns the files removed."""
    path = Path(path)
    pattern = re.compile(re.escape(f".{path.stem}.saving-") + r"(\d+)\.gpkg(-journal|-wal|-shm)?")
    removed: list[Path] = []
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


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def begin(db: sqlite3.Connection, target: Path) -> None:
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
        if is_locked(exc):
            raise ProjectError("project_locked", path=str(target), seconds=int(BUSY_TIMEOUT_S)) from None
        raise


def read_stored_meta(path: Path) -> dict[str, str] | None:
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
        if is_locked(exc):
            raise ProjectError("project_locked", path=str(path), seconds=int(BUSY_TIMEOUT_S)) from None
        return None
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _columns(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA {schema}.table_info("{table}")')]


def drop_layer(db: sqlite3.Connection, name: str) -> tuple | None:
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


def copy_layer(db: sqlite3.Connection, name: str, kept: tuple | None) -> None:
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


def set_meta(db: sqlite3.Connection, keys: dict[str, str]) -> None:
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


def save_error(target: Path, exc: BaseException) -> ProjectError:
    """The failure of a save in words: the file, the reason, the free space on its disk."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    remove_temp(temp_path(target))  # the free space the user will have once this save's files are gone
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


def fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
