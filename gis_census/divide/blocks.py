"""Street blocks: a district cut by its roads and water into faces that tile it exactly."""

from __future__ import annotations

import numpy as np
import shapely

from gis_census.rules import AREA_TOLERANCE

__all__ = ["street_blocks", "merge_split_buildings"]


def street_blocks(region, lines: np.ndarray, water: np.ndarray) -> np.ndarray:
    """Faces of `region` cut by the road `lines` and the outlines of the `water` polygons.

    The faces come from one noded arrangement of all the lines together with the region's
    boundary, so neighbouring faces share their edges vertex for vertex and together they
    cover the region. Roads ending inside a block (dead ends) cut nothing.
    """
    cutters = [shapely.boundary(region)]
    for geoms in (np.asarray(lines, dtype=object), shapely.boundary(np.asarray(water, dtype=object))):
        if len(geoms):
            clipped = shapely.intersection(geoms[shapely.intersects(geoms, region)], region)
            cutters += [g for g in shapely.get_parts(clipped) if shapely.get_dimensions(g) == 1]
    noded = shapely.get_parts(shapely.union_all(cutters))
    faces = shapely.get_parts(shapely.polygonize(noded))
    shapely.prepare(region)
    faces = faces[shapely.contains(region, shapely.point_on_surface(faces))]
    return _absorb_noise(faces)


def _absorb_noise(faces: np.ndarray, smallest: float = 0.01) -> np.ndarray:
    """Faces with the slivers of noding noise (under `smallest` m²) joined to a face they touch.

    When every face is noise (what is left of a district whose areas are all locked), none is kept.
    """
    tiny = shapely.area(faces) < smallest
    if not tiny.any():
        return faces
    if tiny.all():
        return faces[:0]
    big, noise = faces[~tiny], faces[tiny]
    k, b = shapely.STRtree(big).query(noise, predicate="dwithin", distance=1e-6)
    first = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, dtype=bool)
    for t, f in zip(k[first], b[first]):
        big[f] = shapely.union_all([big[f], noise[t]])
    return big


def merge_split_buildings(faces: np.ndarray, footprints: np.ndarray, least: float = AREA_TOLERANCE) -> np.ndarray:
    """`faces` with every pair that both hold more than `least` m² of one footprint merged.

    Any real piece counts, however small a share of the footprint it is: a 2 m² end of an annex over a road
    line, ignored, became a boundary through the building (found by the property test of divide).

    A road line drawn across a building must not split it; the faces on both sides
    become one block. Where those faces meet only at a point (a house on the corner of a
    crossing, held by two faces diagonally opposite), every face the footprint reaches
    joins them, so the block is one polygon.
    """
    if not len(footprints) or len(faces) < 2:
        return faces
    b, f = shapely.STRtree(faces).query(footprints, predicate="intersects")
    part = shapely.area(footprints[b])
    shapely.prepare(faces)
    across = ~shapely.contains_properly(faces[f], footprints[b])  # only these need an overlay
    part[across] = shapely.area(shapely.intersection(footprints[b[across]], faces[f[across]]))
    held = part > least
    split = np.flatnonzero(np.bincount(b[held], minlength=len(footprints)) > 1)  # footprints in two faces or more
    if not len(split):
        return faces
    roots = _merged(len(faces), b[held], f[held])
    merged = _unions(faces, roots)
    if (shapely.get_num_geometries(merged) > 1).any():  # faces touching at a point: join what the footprints reach
        reach = np.isin(b, split) & (part > 0)
        roots = _merged(len(faces), np.r_[b[held], b[reach]], np.r_[f[held], f[reach]])
        merged = _unions(faces, roots)
    return merged


def _merged(n: int, b: np.ndarray, f: np.ndarray) -> np.ndarray:
    """The root face of each of `n` faces once the faces `f` holding one footprint `b` are joined."""
    order = np.lexsort((f, b))
    b, f = b[order], f[order]
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k in np.flatnonzero(b[1:] == b[:-1]):
        a, c = root(f[k]), root(f[k + 1])
        if a != c:
            parent[max(a, c)] = min(a, c)
    return np.array([root(i) for i in range(n)])


def _unions(faces: np.ndarray, roots: np.ndarray) -> np.ndarray:
    return np.array([shapely.union_all(faces[roots == r]) for r in np.unique(roots)], dtype=object)
