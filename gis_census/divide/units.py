"""The units a district is divided from: whole street blocks, or building cells of blocks too full for one area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.divide.blocks import merge_split_buildings, street_blocks
from gis_census.divide.cells import building_cells, coverage_dissolve
from gis_census.spatial import holding_index

__all__ = ["Units", "make_units"]


@dataclass
class Units:
    """Polygons tiling the land to divide (whole blocks and building cells), edge-matched, each with its weight."""

    geoms: np.ndarray
    weights: np.ndarray
    building: np.ndarray  # index into the district's buildings of the one building a unit holds, else -1
    block: np.ndarray  # index of the street block each unit lies in
    wet: np.ndarray  # True for a block of open water with no building: a barrier no small area is grown across

    def dissolve(self, labels: np.ndarray) -> np.ndarray:
        """One polygon per label, by coverage union (the units share their edges vertex for vertex)."""
        order = np.argsort(labels, kind="stable")
        starts = np.searchsorted(labels[order], np.arange(int(labels.max()) + 2))
        return np.array([coverage_dissolve(self.geoms[order[starts[g]:starts[g + 1]]]) for g in range(len(starts) - 1)],
                        dtype=object)


def make_units(region, footprints: np.ndarray, weights: np.ndarray, roads: np.ndarray, water: np.ndarray,
               heaviest: float, cut: frozenset[int] = frozenset()) -> Units:
    """Street blocks of `region`; a block weighing more than `heaviest`, or numbered in `cut`, is cut
    into one cell per building."""
    blocks = merge_split_buildings(street_blocks(region, roads, water), footprints)
    where = holding_index(footprints, blocks)
    totals = np.bincount(where[where >= 0], weights=weights[where >= 0], minlength=len(blocks))
    wet = np.zeros(len(blocks), dtype=bool)
    if len(water) and len(blocks):
        wet[shapely.STRtree(np.asarray(water, dtype=object)).query(shapely.point_on_surface(blocks), predicate="within")[0]] = True
    wet &= np.bincount(where[where >= 0], minlength=len(blocks)) == 0
    geoms, unit_weights, building, block = [], [], [], []
    for b in range(len(blocks)):
        inside = np.flatnonzero(where == b)
        if (totals[b] <= heaviest and b not in cut) or len(inside) < 2:
            geoms.append(blocks[b])
            unit_weights.append(totals[b])
            building.append(inside[0] if len(inside) == 1 else -1)
            block.append(b)
            continue
        geoms += list(building_cells(blocks[b], footprints[inside]))
        unit_weights += list(weights[inside])
        building += list(inside)
        block += [b] * len(inside)
    block_of = np.array(block, dtype=np.int64)
    # Cells clipped to their block end a nanometre off the next block's edge, and claiming footprints
    # leaves nanometre slivers: a group's union would come apart there or keep sliver holes. Cleaned,
    # the units share their edges vertex for vertex and still cover the region.
    cleaned = shapely.coverage_clean(np.array(geoms, dtype=object))
    return Units(cleaned, np.array(unit_weights, dtype=float), np.array(building, dtype=np.int64),
                 block_of, wet[block_of])
