"""Census rules every stage shares, each written once: the size of a small area, which areas are virtual.

DOMAIN.md: residents registered at a demolished address, or collective quarters without territory of
their own, may form a *virtual* small area, numbered from 900 up, with no map. So an area is virtual
when it is numbered 900 or above **and** has no territory; an area numbered 900+ with land is a
mis-numbered territorial one, and an area below 900 without land is a territorial area whose land
went missing (an error the checks report), neither of them virtual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely

__all__ = ["VIRTUAL_SEQ", "HARD_MIN", "HARD_MAX", "MAX_HOUSEHOLDS", "AREA_TOLERANCE", "Target", "has_land", "seq_numbers", "is_virtual"]

#: The first number of a virtual small area within its district (6th census rule).
VIRTUAL_SEQ = 900
#: People in a small area below or above which it is an error, whatever the target (DOMAIN.md).
HARD_MIN, HARD_MAX = 100, 500
#: Households (census forms) one small area may hold at most (6th census).
MAX_HOUSEHOLDS = 999
#: m²: overlaps, gaps and holes smaller than this are float noise, not land.
AREA_TOLERANCE = 0.01


@dataclass(frozen=True)
class Target:
    """The size a small area aims at: `size` people (or households) ± `tolerance` (a share)."""

    size: float = 300.0
    unit: Literal["people", "households"] = "people"
    tolerance: float = 0.2

    @classmethod
    def of(cls, meta=None, size: float | None = None, unit: str | None = None, tolerance: float | None = None) -> "Target":
        """The project's target (`meta` a ProjectMeta, or None for the defaults), with any value given instead."""
        base = cls() if meta is None else cls(float(meta.target_population), meta.target_unit, float(meta.tolerance))
        return cls(float(base.size if size is None else size), unit or base.unit,  # type: ignore[arg-type]
                   float(base.tolerance if tolerance is None else tolerance))

    @property
    def column(self) -> str:
        """The buildings' and areas' column the target counts: "population" or "households"."""
        return "population" if self.unit == "people" else "households"

    @property
    def top(self) -> float:
        """The top of the band: size × (1 + tolerance)."""
        return self.size * (1 + self.tolerance)


def has_land(geoms) -> np.ndarray:
    """True where a geometry has territory (neither missing nor empty)."""
    geoms = np.asarray(geoms, dtype=object)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def seq_numbers(seqs) -> np.ndarray:
    """The small areas' numbers as integers (0 where a seq is not all digits)."""
    return np.array([int(s) if str(s).isdigit() else 0 for s in seqs], dtype=np.int64)


def is_virtual(seqs, geoms) -> np.ndarray:
    """True for the virtual small areas: numbered 900 or above and without territory."""
    return (seq_numbers(seqs) >= VIRTUAL_SEQ) & ~has_land(geoms)
