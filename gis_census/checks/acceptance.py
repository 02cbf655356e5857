"""Acceptance (验收): who accepted the division and when, the approved exceptions, and what changed since.

The record lives in the project's census_meta keys ``accepted_*``. Its fingerprint covers what the reviewer
accepted — the small areas' codes and shapes and which small area each building belongs to — and nothing
volatile (problems, save counter, modified time), so a save with no change keeps it.

>>> record = accept(project, "王审核", [parse_exception("370481102001003:独栋宿舍楼无法再分")], problems)
>>> project.save()
>>> acceptance(project).changes.empty
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.checks.problem import Problem
from gis_census.errors import CensusError, Finding
from gis_census.i18n import tr
from gis_census.project import CensusProject
from gis_census.project.meta import now

__all__ = ["Approved", "Changes", "Acceptance", "parse_exception", "accept", "acceptance", "acceptance_text"]

_BY, _AT, _EXCEPTIONS, _HASH, _STATE = ("accepted_by", "accepted_at", "accepted_exceptions", "accepted_hash",
                                        "accepted_state")
#: How many codes a change lists by name before it says "…".
_SHOWN = 10


@dataclass(frozen=True)
class Approved:
    """An approved exception: the small area's code or the building's id, and the reviewer's reason."""

    code: str
    reason: str


@dataclass(frozen=True)
class Changes:
    """What differs from the accepted division: small areas' codes, buildings' ids (as text)."""

    areas_added: tuple[str, ...] = ()
    areas_removed: tuple[str, ...] = ()
    areas_redrawn: tuple[str, ...] = ()
    buildings_moved: tuple[str, ...] = ()
    buildings_added: tuple[str, ...] = ()
    buildings_removed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any((self.areas_added, self.areas_removed, self.areas_redrawn, self.buildings_moved,
                        self.buildings_added, self.buildings_removed))


@dataclass(frozen=True)
class Acceptance:
    """The acceptance recorded in a project, and the changes made since."""

    reviewer: str
    at: str  # ISO 8601, UTC
    exceptions: tuple[Approved, ...]
    hash: str
    changes: Changes

    @property
    def date(self) -> str:
        return self.at[:10]


def parse_exception(text: str) -> Approved:
    """``CODE:REASON`` (a full-width colon too) as an :class:`Approved`; CensusError when either part is missing."""
    code, sep, reason = text.replace("：", ":").partition(":")
    if not sep or not code.strip() or not reason.strip():
        raise CensusError("accept_exception_malformed", text=text)
    return Approved(code.strip(), reason.strip())


def accept(project: CensusProject, reviewer: str, exceptions: list[Approved], problems: list[Problem]) -> Acceptance:
    """Record in `project` (saved with its next save) that `reviewer` accepts its division now.

    Refused (CensusError, nothing recorded) when the reviewer is not named, an exception names no small area
    or building of the project, or an error in `problems` names none of the excepted features.
    """
    if not reviewer.strip():
        raise CensusError("accept_no_reviewer")
    state = _state(project)
    unknown = [Finding("accept_exception_unknown", feature=e.code) for e in exceptions
               if e.code not in state["areas"] and e.code not in state["buildings"]]
    if unknown:
        raise CensusError("accept_exceptions_unknown", unknown, path=str(project.path))
    excepted = {e.code for e in exceptions}
    errors = [p for p in problems if p.severity == "error" and not excepted & set(p.features)]
    if errors:
        raise CensusError("accept_refused", [Finding("accept_error", params={"problem": p.message()}) for p in errors],
                          path=str(project.path), n=len(errors))
    record = Acceptance(reviewer.strip(), now(), tuple(exceptions), _hash(state), Changes())
    project.set_keys({
        _BY: record.reviewer, _AT: record.at, _HASH: record.hash, _STATE: _pack(state),
        _EXCEPTIONS: json.dumps([[e.code, e.reason] for e in exceptions], ensure_ascii=False),
    })
    return record


def acceptance(project: CensusProject) -> Acceptance | None:
    """The acceptance recorded in `project` with what changed since, or None when it was never accepted."""
    keys = project.stored_meta
    if not keys.get(_HASH):
        return None
    state = _state(project)
    changes = Changes() if _hash(state) == keys[_HASH] else _changes(_unpack(keys.get(_STATE, "")), state)
    exceptions = tuple(Approved(code, reason) for code, reason in json.loads(keys.get(_EXCEPTIONS) or "[]"))
    return Acceptance(keys.get(_BY, ""), keys.get(_AT, ""), exceptions, keys[_HASH], changes)


def acceptance_text(record: Acceptance | None, lang: str | None = None, brief: bool = False) -> str:
    """One line for the check output, the report and the app: "已验收（日期，审核人），未改动" or what changed
    (`brief`: only that something changed, for a status bar)."""
    if record is None:
        return tr("accept_none", lang)
    head = tr("accept_state", lang, date=record.date, reviewer=record.reviewer)
    c = record.changes
    if c.empty:
        return head + tr("accept_unchanged", lang)
    if brief:
        return head + tr("accept_changed_brief", lang)
    parts = [tr("accept_change_" + name, lang, n=len(codes), codes=_listed(codes))
             for name, codes in (("areas_added", c.areas_added), ("areas_removed", c.areas_removed),
                                 ("areas_redrawn", c.areas_redrawn), ("buildings_moved", c.buildings_moved),
                                 ("buildings_added", c.buildings_added), ("buildings_removed", c.buildings_removed))
             if codes]
    return head + tr("accept_changed", lang, changes=tr("list_sep", lang).join(parts))


def _listed(codes: tuple[str, ...]) -> str:
    return ", ".join(codes[:_SHOWN]) + (" …" if len(codes) > _SHOWN else "")


def _state(project: CensusProject) -> dict[str, dict[str, str]]:
    """Small area code -> digest of its shape (to the millimetre); building id -> its small area's code."""
    areas = project.columns("small_areas", ["code"])
    shapes = shapely.transform(shapely.normalize(areas["geometry"]), lambda xy: np.round(xy, 3))
    digests = [hashlib.blake2b(w or b"", digest_size=8).hexdigest() for w in shapely.to_wkb(shapes, output_dimension=2)]
    buildings = project.columns("buildings", ["id", "small_area_code"], geometry=False)
    return {"areas": dict(zip(map(str, areas["code"]), digests)),
            "buildings": dict(zip(map(str, buildings["id"]), map(str, buildings["small_area_code"])))}


def _hash(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def _pack(state: dict) -> str:
    return base64.b64encode(zlib.compress(json.dumps(state, sort_keys=True).encode(), 9)).decode("ascii")


def _unpack(text: str) -> dict[str, dict[str, str]]:
    try:
        return json.loads(zlib.decompress(base64.b64decode(text)))
    except (ValueError, zlib.error):
        return {"areas": {}, "buildings": {}}


def _changes(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> Changes:
    def diff(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        old, new = before.get(name, {}), after[name]
        return (tuple(sorted(set(new) - set(old), key=_order)), tuple(sorted(set(old) - set(new), key=_order)),
                tuple(sorted((k for k in set(old) & set(new) if old[k] != new[k]), key=_order)))

    areas, buildings = diff("areas"), diff("buildings")
    return Changes(areas_added=areas[0], areas_removed=areas[1], areas_redrawn=areas[2],
                   buildings_added=buildings[0], buildings_removed=buildings[1], buildings_moved=buildings[2])


def _order(code: str) -> tuple[int, str]:
    """Building ids in numeric order, codes (all of one length) in their own."""
    return len(code), code
