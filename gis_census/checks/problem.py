"""Problem records: what a check finds, with a stable kind, severity, features, measured value and location."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import shapely

from gis_census.i18n import tr
from gis_census.rules import AREA_TOLERANCE, HARD_MAX, HARD_MIN, MAX_HOUSEHOLDS, SPLIT_SHARE, Target

__all__ = ["Severity", "Problem", "KINDS", "CheckSettings", "format_value", "sort_key"]

Severity = Literal["error", "warning"]

#: Every problem kind: its severity and the unit of its measured value ("" when it has none).
#: The kind is the stable machine id; its label is the message "problem_<kind>".
KINDS: dict[str, tuple[Severity, str]] = {
    "invalid_geometry": ("error", ""),
    "empty_geometry": ("error", ""),
    "multipart": ("error", "parts"),
    "overlap": ("error", "m2"),
    "gap": ("error", "m2"),
    "sliver_gap": ("error", "m2"),
    "outside_parent": ("error", "m2"),
    "parent_missing": ("error", ""),
    "building_unassigned": ("error", "people"),
    "building_split": ("error", "share"),
    "building_code_mismatch": ("warning", ""),
    "building_crosses_village": ("warning", "share"),
    "building_overlap": ("warning", "m2"),
    "population_off_target": ("warning", "people"),
    "population_out_of_range": ("error", "people"),
    "population_empty": ("error", "people"),
    "households_over_limit": ("error", "households"),
    "virtual_over_limit": ("error", "people"),
    "population_mismatch": ("error", "people"),
    "population_total_mismatch": ("error", "people"),
    "odd_shape": ("warning", "ratio"),
    "thin_neck": ("warning", "parts"),
    "boundary_crosses_road": ("warning", "m"),
    "no_children": ("warning", ""),
    "code_missing": ("error", ""),
    "code_malformed": ("error", ""),
    "code_duplicate": ("error", ""),
    "code_parent_mismatch": ("error", ""),
    "code_sequence_gap": ("warning", ""),
    "building_number_duplicate": ("error", ""),
}

_KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}


#: The layer of the areas a gap in a feature of each layer lies between.
_BESIDE = {"districts": "small_areas", "villages": "villages"}


@dataclass(frozen=True)
class Problem:
    """One fault in the division.

    Attributes
    ----------
    kind : stable id, a key of KINDS ("overlap", "gap", ...)
    layer : the layer of the features involved ("small_areas", "districts", ...)
    features : codes (or building ids) of the features involved
    value : the measured value in the kind's unit (m², people, ...), 0 when none
    location : geometry to zoom to, in the project CRS
    detail : extra words for the message (e.g. GEOS's reason for invalid geometry)
    names : the features as people read them, shown by the message instead of `features`: pairs (name,
        address), a building by its one name and its address, a code with no address
    """

    kind: str
    layer: str
    features: tuple[str, ...]
    value: float = 0.0
    location: shapely.Geometry | None = None
    detail: str = ""
    names: tuple[tuple[str, str], ...] = ()

    @property
    def severity(self) -> Severity:
        """"error" or "warning", fixed by the kind."""
        return KINDS[self.kind][0]

    @property
    def unit(self) -> str:
        """Unit of `value` ("m2", "m", "people", "households", "share", "ratio", "parts") or "" when it has none."""
        return KINDS[self.kind][1]

    def label(self, lang: str | None = None) -> str:
        """The kind in words ("重叠", "overlap")."""
        return tr(f"problem_{self.kind}", lang)

    def shown_features(self, lang: str | None = None) -> tuple[str, ...]:
        """The features as people read them: `names` (a building "370481102001025-003（杏坛街4号8栋）"), else `features`."""
        return tuple(tr("named_building", lang, name=n, address=a) if a else n for n, a in self.names) or self.features

    def message(self, lang: str | None = None) -> str:
        """A one-line description naming the features and the measured value."""
        named = self.shown_features(lang)
        if self.kind in ("gap", "sliver_gap") and len(named) > 1:  # the parent, then the areas on either side
            named = (named[0] + tr("gap_beside", lang, layer=tr("layer_" + _BESIDE[self.layer], lang), codes=", ".join(named[1:])),)
        text = f"{self.label(lang)}{tr('colon', lang)}{tr('layer_' + self.layer, lang)} {', '.join(named)}"
        if self.unit:
            text += f"{tr('where_sep', lang)}{format_value(self.value, self.unit, lang)}"
        if self.detail:
            text += tr("detail", lang, detail=self.detail)
        return text

    def to_dict(self) -> dict:
        """The problem as JSON-ready data (the `check --json` schema of one problem)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "layer": self.layer,
            "features": list(self.features),
            "value": round(float(self.value), 3),
            "unit": self.unit,
            "detail": self.detail,
            "message": self.message(),
            "location": None if self.location is None else shapely.to_wkt(self.location, rounding_precision=3),
            "bbox": None if self.location is None else [round(v, 3) for v in self.location.bounds],
        }


def sort_key(problem: Problem) -> tuple:
    """The order every list of problems is shown in (CLI, JSON, HTML report, problems panel).

    Errors before warnings, then by kind in :data:`KINDS` order, then by the features involved,
    numbers by value (building 136 before building 1340).

    Example
    -------
    >>> problems.sort(key=sort_key)
    """
    return (problem.severity != "error", _KIND_RANK[problem.kind], _natural(problem.features))


def _natural(features: tuple[str, ...]) -> tuple:
    return tuple((0, int(f), "") if f.isdigit() else (1, 0, f) for f in features)


def format_value(value: float, unit: str, lang: str | None = None) -> str:
    """A measured value with its unit, in words of `lang` ("20.00 平方米", "48%")."""
    if unit == "share":
        return tr("value_share", lang, value=f"{value:.0%}")
    if unit == "ratio":
        return tr("value_ratio", lang, value=f"{value:.2f}")
    if unit == "m2":
        return tr("value_m2", lang, value=f"{value:,.2f}")
    return tr(f"value_{unit}", lang, value=f"{value:,.0f}")


@dataclass
class CheckSettings:
    """Thresholds of the checks; defaults follow DOMAIN.md and the project's settings."""

    target: int = 300
    unit: Literal["people", "households"] = "people"
    tolerance: float = 0.2
    hard_min: int = HARD_MIN
    hard_max: int = HARD_MAX
    max_households: int = MAX_HOUSEHOLDS
    sliver_width: float = 1.0  # m: gaps thinner than this are slivers
    area_tolerance: float = AREA_TOLERANCE  # m²: overlaps and gaps smaller than this are float noise
    split_share: float = SPLIT_SHARE  # a building is split when more than this share lies on each side
    # Polsby–Popper below this is an odd shape: 0.2 flags the least compact 3–7 % of the areas `divide` makes on
    # the sample and a generated township (bench/divide_bench.py prints the distribution).
    compactness_min: float = 0.2
    neck_width: float = 20.0  # m: two lumps joined by a strip narrower than this are a thin neck ...
    lump_share: float = 0.15  # ... when each lump holds at least this share of the area
    junction_m: float = 20.0  # m: a boundary crossing a road farther than this from a junction or road end is warned about,
    # unless a house of each of its two areas stands within flank_m of the crossing: 10 m spares the crossings
    # between the houses facing each other across a village lane (of the crossing points `divide` makes on the
    # sample, 93 of 116 lie within 10 m of a house of each area, the rest 11 to 600 m from one).
    flank_m: float = 10.0

    @classmethod
    def for_project(cls, project, **overrides) -> CheckSettings:
        """Settings from the project's metadata, with `overrides` applied."""
        target = Target.of(project.meta)
        settings = cls(target=int(target.size), unit=target.unit, tolerance=target.tolerance)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
