"""The project's settings (census_meta) and the keys the engine keeps there."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from gis_census.rules import Target, balance_source, district_code_scheme
from gis_census.schema import FORMAT_VERSION

__all__ = ["ProjectMeta", "REVISION_KEY", "UID_KEY", "SAVED_LAYERS_KEY", "SAVED_BY_KEY", "READ_ONLY_KEY", "COUNTY_KEY",
           "OWNED_KEYS", "now", "program", "as_int"]


def now() -> str:
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
    balance_count: str = "recorded"  # which count of a building balances the division (rules.BALANCE_COUNTS)
    district_codes: str = "village+seq"  # how a village's further districts are coded (rules.DISTRICT_CODE_SCHEMES)
    format_version: int = FORMAT_VERSION
    created: str = field(default_factory=now)
    modified: str = field(default_factory=now)

    def to_frame(self) -> pd.DataFrame:
        items = asdict(self)
        return pd.DataFrame({"key": list(items), "value": [str(v) for v in items.values()]})

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> ProjectMeta:
        stored = dict(zip(frame["key"], frame["value"]))
        values = {}
        for f in fields(cls):
            if f.name in stored:
                kind = {"int": int, "float": float}.get(str(f.type), str)
                values[f.name] = kind(stored[f.name])
        meta = cls(**values)
        Target.of(meta)  # a target unit other than people or households is refused on opening, not counted as households
        balance_source(meta.balance_count)
        district_code_scheme(meta.district_codes)
        return meta


#: census_meta keys the engine owns besides the ProjectMeta fields: a save bumps `revision`, and records
#: which layers it wrote and which program it was; `project_uid` tells this file from another one put in its place.
REVISION_KEY = "revision"
UID_KEY = "project_uid"
SAVED_LAYERS_KEY = "saved_layers"
SAVED_BY_KEY = "saved_by"
#: census_meta keys of a merged county project (gis_census.county): it is read-only ("county"), and its townships (JSON).
READ_ONLY_KEY = "read_only"
COUNTY_KEY = "county_townships"
OWNED_KEYS = {f.name for f in fields(ProjectMeta)} | {REVISION_KEY, UID_KEY, SAVED_LAYERS_KEY, SAVED_BY_KEY}


#: The program saving, as recorded in the file (the command line sets "gis-census VERB", the app its name).
SAVED_BY: str | None = None


def program() -> str:
    """The program saving, as a user would name it: "gis-census divide", "gis-census 桌面程序"."""
    if SAVED_BY:
        return SAVED_BY
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name.endswith("cli.py") or name == "__main__.py":
        name = "gis-census"
    verb = sys.argv[1] if len(sys.argv) > 1 else ""
    return f"{name} {verb}" if verb.isidentifier() or verb.replace("-", "").isalpha() else name




def as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
