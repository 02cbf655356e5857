"""Buildings skipped by `new --skip-outside-buildings`: a short notice, and the whole list as a CSV beside the project."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from gis_census.errors import Finding
from gis_census.outputs import csv_text

__all__ = ["SKIPPED_SHOWN", "skipped_notice", "skipped_list_path", "write_skipped_list"]

SKIPPED_SHOWN = 10  # FIDs named in the notice; the whole list travels in params["skipped"]
_KEYS = ("notice_skipped_outside", "notice_skipped_outside_first")


def skipped_notice(src, skipped: list[tuple]) -> Finding:
    """The notice for buildings of `src` skipped outside every village; `skipped` is [(FID, address)]."""
    shown = ", ".join(f"#{fid}" for fid, _ in skipped[:SKIPPED_SHOWN])
    key = "notice_skipped_outside" if len(skipped) <= SKIPPED_SHOWN else "notice_skipped_outside_first"
    return Finding(key, **src.where(), params={"n": len(skipped), "fids": shown, "shown": SKIPPED_SHOWN,
                                               "more": len(skipped) - SKIPPED_SHOWN,
                                               "skipped": [(int(fid), str(label)) for fid, label in skipped]})


def skipped_list_path(project_path: Path) -> Path:
    """Where the list goes: ``<project stem>.skipped_buildings.csv`` beside the project."""
    return project_path.with_name(project_path.stem + ".skipped_buildings.csv")


def write_skipped_list(notices: list[Finding], project_path: Path) -> tuple[Path, int] | None:
    """Write every skipped building named in `notices` (fid, address) as UTF-8 CSV; (path, count) or None.

    UTF-8 with a byte-order mark, so Excel shows the Chinese addresses; an address a spreadsheet
    would take for a formula gets a leading ' (:func:`gis_census.outputs.csv_text`); written to a temporary
    file first and renamed, so a half-written list is never left behind.
    """
    rows = [row for n in notices if n.key in _KEYS for row in n.params.get("skipped", [])]
    if not rows:
        return None
    path = skipped_list_path(Path(project_path))
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(["fid", "address"])
            writer.writerows((fid, csv_text(address)) for fid, address in rows)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path, len(rows)
