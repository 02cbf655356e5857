"""Cutting a street block between its buildings: one cell per building, no cut through a footprint."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["building_cells", "absorb_fragments", "coverage_dissolve"]

#: m between generator points along footprint outlines; a cut may stray into a footprint by half of it.
SPACING = 2.5


def building_cells(block, footprints: np.ndarray, spacing: float = SPACING) -> np.ndarray:
    """One polygon per footprint, together tiling `block`: the land nearer that building than any other.

    Voronoi cells of points spaced `spacing` m along the footprint outlines, dissolved by
    building. A point inside a footprint is nearer its own outline than any other disjoint
    footprint, so the cells hold their whole footprints up to ``spacing / 2``. A cell that
    comes out in pieces (the block bends around another building) keeps its largest piece;
    the rest goes to the cell beside it sharing the longest edge, so every cell is one polygon.
    """
    n = len(footprints)
    if n == 1:
        return np.array([block], dtype=object)
    # Voronoi and overlay lose their topology on Gauss–Krüger eastings (4×10⁷ m): work near (0, 0).
    # The origin is whole metres, so shifting back restores the block's own vertices exactly.
    origin = np.round(shapely.get_coordinates(shapely.centroid(block))[0])
    block = shapely.transform(block, lambda c: c - origin)
    footprints = shapely.transform(np.asarray(footprints, dtype=object), lambda c: c - origin)
    outlines = shapely.segmentize(shapely.boundary(shapely.intersection(footprints, block)), spacing)
    coords, owner = shapely.get_coordinates(outlines, return_index=True)
    rep = shapely.get_coordinates(shapely.point_on_surface(footprints))  # a footprint outside the block still counts
    coords, owner = np.vstack([coords, rep]), np.r_[owner, np.arange(n)]
    # Touching footprints give near-duplicate points, which break the Voronoi topology: keep one per 0.1 m.
    first = np.sort(np.unique(np.round(coords, 1), axis=0, return_index=True)[1])
    coords, owner = coords[first], owner[first]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(coords), extend_to=block, ordered=True))
    bad = ~shapely.is_valid(cells)  # a near-degenerate circumcircle can fold a tiny edge
    cells[bad] = shapely.make_valid(cells[bad])
    shapely.prepare(block)
    edge = ~shapely.contains_properly(block, cells)
    cells[edge] = shapely.intersection(cells[edge], block)
    order = np.argsort(owner, kind="stable")
    starts = np.searchsorted(owner[order], np.arange(n + 1))
    merged = np.array([coverage_dissolve(cells[order[starts[i]:starts[i + 1]]]) for i in range(n)], dtype=object)
    merged = shapely.transform(merged, lambda c: c + origin)
    return absorb_fragments(merged)


def coverage_dissolve(cells: np.ndarray):
    """Union of polygons that share their edges exactly (Voronoi cells): coverage union, 6× faster, where it applies."""
    try:
        return shapely.coverage_union_all(cells)
    except shapely.errors.GEOSException:  # clipping to the block left an edge unmatched
        return shapely.union_all(cells)


def absorb_fragments(cells: np.ndarray) -> np.ndarray:
    """Cells with every part but the largest handed to the neighbouring cell that shares most edge."""
    cells = cells.copy()
    multi = np.flatnonzero(shapely.get_num_geometries(cells) > 1)
    if not len(multi):
        return cells
    tree = shapely.STRtree(cells)
    for i in multi:
        parts = shapely.get_parts(cells[i])
        parts = parts[np.argsort(-shapely.area(parts), kind="stable")]
        cells[i] = parts[0]
        for part in parts[1:]:
            near = tree.query(part, predicate="intersects")
            near = near[near != i]
            if not len(near):
                cells[i] = shapely.union_all([cells[i], part])
                continue
            shared = shapely.length(shapely.intersection(shapely.boundary(cells[near]), part))
            j = near[int(np.argmax(shared))]
            cells[j] = shapely.union_all([cells[j], part])
    return cells
