"""The units a district is divided from: whole street blocks, or building cells of blocks too full for one area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis_census.divide.blocks import merge_split_buildings, street_blocks
from gis_census.divide.cells import building_cells, dissolve_by
from gis_census.rules import AREA_TOLERANCE
from gis_census.spatial import holding_index

__all__ = ["Units", "UnitMaker", "make_units"]


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
        return dissolve_by(self.geoms, labels, int(labels.max()) + 1)


def make_units(region, footprints: np.ndarray, weights: np.ndarray, roads: np.ndarray, water: np.ndarray,
               heaviest: float, cut: frozenset[int] = frozenset()) -> Units:
    """Street blocks of `region`; a block weighing more than `heaviest`, or numbered in `cut`, is cut
    into one cell per building."""
    return UnitMaker(region, footprints, weights, roads, water, heaviest).units(cut)


class UnitMaker:
    """The street blocks of a region and their buildings, from which units are made and made again with
    more blocks cut: a block's building cells are found once."""

    def __init__(self, region, footprints: np.ndarray, weights: np.ndarray, roads: np.ndarray, water: np.ndarray,
                 heaviest: float) -> None:
        self.blocks = merge_split_buildings(street_blocks(region, roads, water), footprints)
        self.footprints, self.weights, self.heaviest = footprints, weights, heaviest
        self.where = holding_index(footprints, self.blocks)
        held = self.where >= 0
        self.totals = np.bincount(self.where[held], weights=weights[held], minlength=len(self.blocks))
        self.wet = np.zeros(len(self.blocks), dtype=bool)
        if len(water) and len(self.blocks):
            inside = shapely.STRtree(np.asarray(water, dtype=object)).query(shapely.point_on_surface(self.blocks),
                                                                             predicate="within")[0]
            self.wet[inside] = True
        self.wet &= np.bincount(self.where[held], minlength=len(self.blocks)) == 0
        self._cells: dict[int, np.ndarray] = {}

    def units(self, cut: frozenset[int] = frozenset()) -> Units:
        """The units: each block whole, or cut into one cell per building when it weighs more than
        `heaviest` or is numbered in `cut`."""
        geoms, unit_weights, building, block = [], [], [], []
        for b in range(len(self.blocks)):
            inside = np.flatnonzero(self.where == b)
            if (self.totals[b] <= self.heaviest and b not in cut) or len(inside) < 2:
                geoms.append(self.blocks[b])
                unit_weights.append(self.totals[b])
                building.append(inside[0] if len(inside) == 1 else -1)
                block.append(b)
                continue
            if b not in self._cells:
                self._cells[b] = building_cells(self.blocks[b], self.footprints[inside])
            geoms += list(self._cells[b])
            unit_weights += list(self.weights[inside])
            building += list(inside)
            block += [b] * len(inside)
        block_of = np.array(block, dtype=np.int64)
        # Cells clipped to their block end a nanometre off the next block's edge, and claiming footprints
        # leaves nanometre slivers: a group's union would come apart there or keep sliver holes. Cleaned,
        # the units share their edges vertex for vertex and still cover the region.
        cleaned = shapely.coverage_clean(np.array(geoms, dtype=object))
        return self._single_parts(Units(cleaned, np.array(unit_weights, dtype=float), np.array(building, dtype=np.int64),
                                        block_of, self.wet[block_of]))

    def _single_parts(self, units: Units) -> Units:
        """`units` with each unit of several pieces (a cell or block pinched to a point, a lobe cleaning cut
        off) split into one unit per piece: the piece holding a building keeps it and its weight, the others
        are land of no weight. A unit in pieces would hold a group together through a point, and its small
        area would come apart. Pieces of float noise (under AREA_TOLERANCE) stay with the largest piece,
        for the dissolved areas to drop (:func:`~gis_census.divide.cells.absorb_fragments`)."""
        parts, unit = shapely.get_parts(units.geoms, return_index=True)
        solid = shapely.area(parts) >= AREA_TOLERANCE
        pieces = np.bincount(unit[solid], minlength=len(units.geoms))
        if (pieces <= 1).all():
            return units
        geoms, weights, building, of = [], [], [], []
        for u in range(len(units.geoms)):
            if pieces[u] <= 1:
                geoms.append(units.geoms[u])
                weights.append(units.weights[u])
                building.append(units.building[u])
                of.append(u)
                continue
            mine = parts[(unit == u) & solid]
            noise = parts[(unit == u) & ~solid]
            # a unit of several buildings is a whole block: each piece weighs the buildings it holds
            held = [units.building[u]] if units.building[u] >= 0 else np.flatnonzero(self.where == units.block[u])
            where = holding_index(self.footprints[held], mine)
            largest = int(np.argmax(shapely.area(mine)))
            where[where < 0] = largest
            if len(noise):
                mine[largest] = shapely.multipolygons([mine[largest], *noise])
            geoms += list(mine)
            weights += list(np.bincount(where, weights=self.weights[held], minlength=len(mine)))
            building += [units.building[u] if k == where[0] and units.building[u] >= 0 else -1 for k in range(len(mine))]
            of += [u] * len(mine)
        rows = np.array(of, dtype=np.int64)
        return Units(np.array(geoms, dtype=object), np.array(weights, dtype=float), np.array(building, dtype=np.int64),
                     units.block[rows], units.wet[rows])
