"""Census rules every stage shares, each written once: which small areas are virtual, what has land.

DOMAIN.md: residents registered at a demolished address, or collective quarters without territory of
their own, may form a *virtual* small area, numbered from 900 up, with no map. So an area is virtual
when it is numbered 900 or above **and** has no territory; an area numbered 900+ with land is a
mis-numbered territorial one, and an area below 900 without land is a territorial area whose land
went missing (an error the checks report), neither of them virtual.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["VIRTUAL_SEQ", "has_land", "seq_numbers", "is_virtual"]

#: The first number of a virtual small area within its district (6th census rule).
VIRTUAL_SEQ = 900


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
