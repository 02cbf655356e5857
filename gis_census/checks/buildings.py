"""Buildings against small areas and each other: unassigned, split by a boundary, coded to the wrong area,
cut by a village line, or overlapping another footprint.

The buildings are checked a batch at a time (:mod:`~gis_census.checks.scan` reads them and shares the
batches between processes): a process holds one batch's footprints, not a county's millions, and the work on
a batch meets only the small areas and district lines near it. What spans batches is then joined by the boxes
kept of every footprint: footprints of two batches overlapping each other, and overlap groups that decide together where
their houses lie (:func:`~gis_census.spatial.holding`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from gis_census.checks.names import names_in
from gis_census.checks.problem import CheckSettings, Problem
from gis_census.spatial import holding, holding_index, is_in, overlapping, overlapping_pairs, ring_segments
from gis_census.spatial.shares import shared_areas

__all__ = ["Scope", "BuildingScan", "Batch", "Gathered", "check_batch", "crossing_problems", "overlap_problems"]

#: Buildings read and checked at a time.
_BATCH = 100_000
_BOUNDARY_SLICE = 2_000  # polygons whose boundary segments are looked for footprints at once
#: How far (m) a small area may stray over its district's line and still count as inside it: a house within
#: the strip cannot hold a share of its area beyond the line.
_LINE_SLACK = 0.01
#: The grid joining batches: cells of _GRID metres (a projected CRS), of which one box may cover _GRID_CELLS.
_GRID = 40.0
_GRID_CELLS = 4_096
#: The kinds found where a building lies: redone for a building whose overlap group spans batches.
_PLACED = ("building_code_mismatch", "building_split", "building_unassigned")
_KINDS = ("building_overlap", *_PLACED, "building_crosses_village")


@dataclass
class Scope:
    """What the buildings are checked against: the small areas with land (cleaned geometries, codes, their
    districts' codes), the districts of the scope (cleaned geometries and codes), the districts that have
    small areas, the codes of virtual small areas, and the district lines whose cut houses are warnings
    (geometries and codes of every district; none without)."""

    areas: np.ndarray
    codes: np.ndarray
    parents: np.ndarray
    districts: np.ndarray
    district_codes: np.ndarray
    divided: set[str]
    virtual: set[str]
    settings: CheckSettings
    lines: tuple[np.ndarray, np.ndarray] | None = None
    area_tree: shapely.STRtree = field(init=False)
    line_tree: shapely.STRtree | None = field(init=False)
    loose: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.area_tree = shapely.STRtree(self.areas)
        self.line_tree = shapely.STRtree(self.lines[0]) if self.lines is not None else None
        # A house inside a small area that lies inside its own district cannot cross a district line: only houses
        # in no small area, or in one reaching out of its district (a tiling error), are measured against them.
        # Inside within _LINE_SLACK: areas drawn beside a line stray over it by rounding (~10⁻⁶ m²).
        self.loose = np.ones(len(self.areas), dtype=bool)
        if self.lines is not None and len(self.areas):
            valid = np.flatnonzero(shapely.is_valid(self.lines[0]))
            widened = shapely.buffer(self.lines[0][valid], _LINE_SLACK, join_style="mitre")
            line, area = self.area_tree.query(widened, predicate="covers")
            own = self.lines[1][valid[line]] == self.parents[area]
            self.loose[area[own]] = False


@dataclass
class BuildingScan:
    """Every building's columns (no geometry), the index of the small area holding it (-1 for none), the code
    of its district ("" for none), the problems found, by kind, what gives back the footprints of some rows, and
    every footprint's bounds (minx, miny, maxx, maxy)."""

    columns: dict[str, np.ndarray]
    where: np.ndarray
    district_of: np.ndarray
    problems: dict[str, list[Problem]]
    locate: Callable[[np.ndarray], np.ndarray]
    boxes: np.ndarray


@dataclass
class Batch:
    """One batch checked: its columns, where its buildings lie, its problems, and what the join needs."""

    columns: dict[str, np.ndarray]  # with the "fid" of each building, without geometry
    where: np.ndarray
    district_of: np.ndarray
    rest: np.ndarray  # polygonal footprints no small area covers
    boxes: np.ndarray
    pairs: tuple[np.ndarray, np.ndarray]  # overlapping polygonal footprints (batch indexes)
    cells: tuple[np.ndarray, ...] | None  # the joining grid's cells its boxes meet (:func:`_cells`); None when alone
    problems: dict[str, list[Problem]]


def check_batch(cols: dict[str, np.ndarray], scope: Scope, alone: bool = False) -> Batch:
    """The problems of one batch, and what joining it to the others needs (none when it is `alone`)."""
    geoms = cols["geometry"]
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    bounds = shapely.total_bounds(geoms) if n else np.full(4, np.nan)
    extent = shapely.box(*bounds) if np.isfinite(bounds).all() else None
    near = np.sort(scope.area_tree.query(extent)) if extent is not None else np.zeros(0, dtype=np.int64)
    local, (g, p, area), rest = holding(geoms, scope.areas[near], tree)
    where = np.where(local >= 0, near[np.maximum(local, 0)] if len(near) else -1, -1)
    district_of = _district_of(geoms, where, scope)
    problems: dict[str, list[Problem]] = {kind: [] for kind in _KINDS}
    _placed_problems(problems, cols, where, district_of, (g, near[p], area), rest, scope)
    i, j = overlapping_pairs(geoms, tree)
    del tree
    if scope.lines is not None and scope.line_tree is not None and extent is not None:
        lines = np.sort(scope.line_tree.query(extent))
        loose = np.flatnonzero(where >= 0)[scope.loose[where[where >= 0]]]
        candidates = np.unique(np.concatenate([rest, loose, i, j]))
        problems["building_crosses_village"] = crossing_problems(
            cols, scope.lines[0][lines], scope.lines[1][lines], scope.settings, candidates)
    problems["building_overlap"] = _overlap_problems(cols["id"], geoms, i, j, scope.settings.area_tolerance)
    polygonal = (shapely.get_dimensions(geoms[i]) == 2) & (shapely.get_dimensions(geoms[j]) == 2)
    rest_mask = np.zeros(n, dtype=bool)
    rest_mask[rest] = True
    boxes = shapely.bounds(geoms)
    if "address" in cols:  # named while the columns are at hand: the few problems made later are named apart
        problems = {kind: names_in(found, cols) for kind, found in problems.items()}
    return Batch({c: v for c, v in cols.items() if c not in ("geometry", "address")}, where, district_of,
                 rest_mask, boxes, (i[polygonal], j[polygonal]), None if alone else _cells(boxes), problems)


def _district_of(geoms: np.ndarray, where: np.ndarray, scope: Scope) -> np.ndarray:
    """The code of the district of each building: its small area's, or for one in none, the district holding it."""
    district_of = np.where(where >= 0, scope.parents[np.maximum(where, 0)] if len(scope.parents) else "", "").astype(object)
    unassigned = np.flatnonzero(where < 0)
    if len(unassigned) and len(scope.districts):  # buildings in no small area still count towards their district
        held = holding_index(geoms[unassigned], scope.districts)
        district_of[unassigned] = np.where(held >= 0, scope.district_codes[np.maximum(held, 0)], "")
    return district_of


def _placed_problems(problems: dict[str, list[Problem]], cols: dict[str, np.ndarray], where: np.ndarray,
                     district_of: np.ndarray, measured: tuple[np.ndarray, ...], rest: np.ndarray, scope: Scope) -> None:
    """The problems of where the buildings `cols` lie, added to `problems`: coded to another small area than
    the one holding them, split between two small areas of one district, residential in none.

    `measured` are the pairs (footprint, small area, area shared) of the footprints `rest` that no small area
    covers (:func:`~gis_census.spatial.holding`): only those can be split.
    """
    geoms, ids = cols["geometry"], cols["id"]
    stored = cols["small_area_code"]
    located = np.where(where >= 0, scope.codes[np.maximum(where, 0)] if len(scope.codes) else "", "")
    wrong = (where >= 0) & (stored != "") & (stored != located) & ~is_in(stored, scope.virtual)
    problems["building_code_mismatch"] += [
        Problem("building_code_mismatch", "buildings", (str(ids[i]), stored[i], located[i]), location=geoms[i])
        for i in np.flatnonzero(wrong)]
    g, a, area = measured
    placed = np.isin(g, rest[where[rest] >= 0])
    g, a, area = g[placed], a[placed], area[placed]
    same = scope.parents[a] == scope.parents[where[g]]  # parts across a district line are a village matter
    g, a, area = g[same], a[same], area[same]
    share = area / shapely.area(geoms[g])
    problems["building_split"] += [
        Problem("building_split", "buildings", (str(ids[k]), *scope.codes[parts]), value=smallest, location=geoms[k])
        for k, parts, smallest in _cut(g, a, share, scope.settings.split_share)]
    population = cols["population"]
    residential = (cols["use"] == "residential") | (population > 0)
    missing = (where < 0) & residential
    missing[missing] = is_in(district_of[missing], scope.divided)
    problems["building_unassigned"] += [
        Problem("building_unassigned", "buildings", (str(ids[i]),), value=population[i], location=geoms[i])
        for i in np.flatnonzero(missing)]


class Gathered:
    """Checked batches gathered in order as they come, into arrays sized for `capacity` buildings (grown if
    more come): the copying is done while the workers still check, and :meth:`join` adds what spans batches."""

    def __init__(self, capacity: int):
        self._size, self._batches = 0, 0
        self._columns: dict[str, np.ndarray] = {}
        self._where = np.empty(capacity, dtype=np.int64)
        self._district_of = np.empty(capacity, dtype=object)
        self._rest = np.empty(capacity, dtype=bool)
        self._boxes = np.empty((capacity, 4))
        self._batch_of = np.empty(capacity, dtype=np.int64)
        self._pairs: list[tuple[np.ndarray, np.ndarray]] = []
        self._cells: list[tuple[int, tuple[np.ndarray, ...]]] = []  # (offset, cells) of each batch not alone
        self._problems: dict[str, list[Problem]] = {kind: [] for kind in _KINDS}

    def add(self, batch: Batch) -> None:
        start, n = self._size, len(batch.where)
        if not self._columns:
            self._columns = {c: np.empty(len(self._where), dtype=v.dtype) for c, v in batch.columns.items()}
        if start + n > len(self._where):
            self._grow(2 * (start + n))
        for column, values in batch.columns.items():
            self._columns[column][start:start + n] = values
        for held, values in ((self._where, batch.where), (self._district_of, batch.district_of), (self._rest, batch.rest),
                             (self._boxes, batch.boxes)):
            held[start:start + n] = values
        self._batch_of[start:start + n] = self._batches
        self._pairs.append((batch.pairs[0] + start, batch.pairs[1] + start))
        if batch.cells is not None:
            self._cells.append((start, batch.cells))
        for kind in _KINDS:
            self._problems[kind] += batch.problems[kind]
        self._size += n
        self._batches += 1

    def _grow(self, capacity: int) -> None:
        def grown(values: np.ndarray) -> np.ndarray:
            more = np.empty((capacity, *values.shape[1:]), dtype=values.dtype)
            more[:self._size] = values[:self._size]
            return more

        self._columns = {c: grown(v) for c, v in self._columns.items()}
        self._where, self._district_of, self._rest, self._boxes, self._batch_of = map(
            grown, (self._where, self._district_of, self._rest, self._boxes, self._batch_of))

    def join(self, fetch: Callable[[np.ndarray], np.ndarray], scope: Scope) -> BuildingScan:
        """The batches as one scan, with what spans them: overlapping footprints of two batches, and the overlap
        groups they join, whose houses are placed again where a group holds a footprint no small area covers.
        `fetch` gives back the geometries of some fids."""
        n = self._size
        columns = {c: v[:n] for c, v in self._columns.items()}
        where, district_of, problems = self._where[:n], self._district_of[:n], self._problems
        boxes, batch_of = self._boxes[:n], self._batch_of[:n]
        scan = BuildingScan(columns, where, district_of, problems, lambda rows: fetch(columns["fid"][rows]), boxes)
        if self._batches < 2:
            return scan
        i, j = _across(self._cells, boxes, batch_of)
        geoms = _Geometries(fetch, columns["fid"])
        over = overlapping(geoms[i], geoms[j])
        i, j = i[over], j[over]
        if not len(i):
            return scan
        found = problems["building_overlap"] + _overlap_problems(columns["id"], geoms, i, j, scope.settings.area_tolerance)
        problems["building_overlap"] = _in_row_order(columns, found)
        polygonal = (shapely.get_dimensions(geoms[i]) == 2) & (shapely.get_dimensions(geoms[j]) == 2)
        pairs = tuple(np.concatenate([*(p[end] for p in self._pairs), (i, j)[end][polygonal]]) for end in (0, 1))
        _regroup(columns, where, district_of, problems, self._rest[:n], pairs, i[polygonal], geoms, scope)
        return scan


def _in_row_order(columns: dict[str, np.ndarray], problems: list[Problem]) -> list[Problem]:
    """`problems` ordered by the rows of the buildings they name, as one batch would give them."""
    def buildings(p: Problem) -> tuple[str, ...]:
        return p.features[:2] if p.kind == "building_overlap" else p.features[:1]

    ids = columns["id"]
    named = np.flatnonzero(is_in(ids, {int(f) for p in problems for f in buildings(p)}))
    row = {str(ids[k]): int(k) for k in named}
    return sorted(problems, key=lambda p: [row[f] for f in buildings(p)])


class _Geometries:
    """Geometries of some buildings by row, fetched once: the few that span batches."""

    def __init__(self, fetch: Callable[[np.ndarray], np.ndarray], fids: np.ndarray):
        self._fetch, self._fids = fetch, fids
        self._held: dict[int, object] = {}

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        new = np.setdiff1d(np.unique(rows), np.fromiter(self._held, dtype=np.int64, count=len(self._held)))
        self._held.update(zip(new.tolist(), self._fetch(self._fids[new])))
        return np.array([self._held[r] for r in rows.tolist()], dtype=object)


def _cells(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The cells of the joining grid (keys) each box meets, as (key, row) entries sorted by key; the rows of
    boxes over more than _GRID_CELLS cells (a footprint drawn kilometres wide), left out of the entries; and
    the distinct keys."""
    rows = np.flatnonzero(np.isfinite(boxes).all(axis=1))
    low = np.floor(boxes[rows, :2] / _GRID).astype(np.int64)
    high = np.floor(boxes[rows, 2:] / _GRID).astype(np.int64)
    wide, tall = high[:, 0] - low[:, 0] + 1, high[:, 1] - low[:, 1] + 1
    cells = wide * tall
    huge = cells > _GRID_CELLS
    rows, low, wide, cells = rows[~huge], low[~huge], wide[~huge], cells[~huge]
    entry = np.repeat(np.arange(len(rows)), cells)
    k = np.arange(len(entry)) - np.repeat(np.cumsum(cells) - cells, cells)
    key = (low[entry, 0] + k % wide[entry]) * (1 << 32) + low[entry, 1] + k // wide[entry]
    order = np.argsort(key, kind="stable")
    key = key[order]
    distinct = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return key, rows[entry[order]], np.flatnonzero(np.isfinite(boxes).all(axis=1))[huge], distinct


def _across(cells: list[tuple[int, tuple[np.ndarray, ...]]], boxes: np.ndarray, batch_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), i < j, of buildings of two batches whose boxes meet. Each batch has listed the cells of a
    grid its boxes meet (:func:`_cells`; given with the batch's first row); only cells of two batches or more,
    along the seams between them, are looked into. Boxes too wide for the grid are met against all."""
    keys = np.concatenate([c[3] for _, c in cells])
    values, counts = np.unique(keys, return_counts=True)
    seams = values[counts > 1]
    key = np.concatenate([c[0][np.isin(c[0], seams)] for _, c in cells])
    member = np.concatenate([c[1][np.isin(c[0], seams)] + offset for offset, c in cells])
    order = np.argsort(key, kind="stable")
    key, member = key[order], member[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    length = np.diff(np.r_[start, len(key)])
    # Every pair of entries within each cell: the entry at position p of a run of n meets the n - 1 - p after it.
    first = np.repeat(start, length) + (np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length))
    after = np.repeat(start + length, length) - first - 1
    a = np.repeat(first, after)
    b = a + 1 + (np.arange(after.sum()) - np.repeat(np.cumsum(after) - after, after))
    found = [(member[a], member[b])]
    found += [_pairs_with(row + offset, boxes, batch_of) for offset, c in cells for row in c[2]]
    i = np.concatenate([np.minimum(*pair) for pair in found])
    j = np.concatenate([np.maximum(*pair) for pair in found])
    meet = (batch_of[i] != batch_of[j]) & (boxes[i, 0] <= boxes[j, 2]) & (boxes[j, 0] <= boxes[i, 2]) \
        & (boxes[i, 1] <= boxes[j, 3]) & (boxes[j, 1] <= boxes[i, 3])
    pairs = np.unique(np.stack([i[meet], j[meet]], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _pairs_with(row: int, boxes: np.ndarray, batch_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The buildings of other batches whose boxes meet building `row`'s."""
    x0, y0, x1, y1 = boxes[row]
    other = np.flatnonzero((batch_of != batch_of[row]) & (boxes[:, 0] <= x1) & (boxes[:, 2] >= x0)
                           & (boxes[:, 1] <= y1) & (boxes[:, 3] >= y0))
    return np.full(len(other), row), other


def _regroup(columns, where, district_of, problems, rest, pairs, crossing_rows, geoms, scope: Scope) -> None:
    """Place again the houses of each overlap group joined across batches that holds a footprint no small area
    covers (the group's union decides, as :func:`~gis_census.spatial.holding` does), and redo the problems
    of where they lie for those whose place changed."""
    nodes = np.unique(np.r_[pairs[0], pairs[1]])
    local = np.searchsorted(nodes, pairs[0]), np.searchsorted(nodes, pairs[1])
    graph = coo_matrix((np.ones(len(local[0])), local), shape=(len(nodes), len(nodes)))
    _, label = connected_components(graph, directed=False)
    joined = np.unique(label[np.searchsorted(nodes, crossing_rows)])
    moves = []
    for group in joined:
        members = nodes[label == group]
        if not rest[members].any():
            continue
        placed = holding_index(np.array([shapely.union_all(geoms[members])], dtype=object), scope.areas)[0]
        moved = members[where[members] != placed]
        where[moved] = placed
        moves.append(moved)
    changed = np.concatenate(moves) if moves else np.zeros(0, dtype=np.int64)
    if not len(changed):
        return
    names = set(columns["id"][changed].astype(str))
    for kind in _PLACED:
        problems[kind] = [p for p in problems[kind] if p.features[0] not in names]
    cols = {c: v[changed] for c, v in columns.items()} | {"geometry": geoms[changed]}
    district_of[changed] = _district_of(cols["geometry"], where[changed], scope)
    uncovered = np.flatnonzero(rest[changed] & (shapely.get_dimensions(cols["geometry"]) == 2))
    g, p = scope.area_tree.query(cols["geometry"][uncovered], predicate="intersects")
    measured = uncovered[g], p, shared_areas(cols["geometry"][uncovered], scope.areas, g, p)
    _placed_problems(problems, cols, where[changed], district_of[changed], measured, uncovered, scope)
    for kind in _PLACED:
        problems[kind] = _in_row_order(columns, problems[kind])


def _touching(tree: shapely.STRtree, polygons: np.ndarray) -> np.ndarray:
    """The footprints (indexes into `tree`, ascending) touching the boundary of some of `polygons`: only those
    can be cut by one, and tree queries find them. The boundaries go in as their segments, whose small boxes
    meet only the footprints along them (a whole ring's box meets every footprint inside): half the tests.
    A slice of polygons at a time, so that only its segments are held."""
    polygons = polygons[~shapely.is_missing(polygons)]
    found = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(polygons), _BOUNDARY_SLICE):
        a, b, _ = ring_segments(polygons[start:start + _BOUNDARY_SLICE])
        if len(a):
            segments = shapely.linestrings(np.stack([a, b], axis=1))
            found.append(np.unique(tree.query(segments, predicate="intersects")[1]))
    return np.unique(np.concatenate(found))


def crossing_problems(buildings: dict, districts: np.ndarray, codes: np.ndarray, settings: CheckSettings,
                      touching: np.ndarray | None = None) -> list[Problem]:
    """Footprints with more than `split_share` of their area in each of two districts (a village line
    drawn through a house): a warning, since the office cannot move official lines. The building
    belongs to the district holding most of it. `touching`: the footprints (ascending indexes) that alone can
    be cut, when known (by default those touching a district's boundary, :func:`_touching`)."""
    geoms = buildings["geometry"]
    polygonal = shapely.get_dimensions(geoms) == 2
    if not polygonal.any() or len(districts) < 2:
        return []
    touching = _touching(shapely.STRtree(geoms), districts) if touching is None else touching
    candidates = touching[polygonal[touching]]
    b, d = shapely.STRtree(districts).query(geoms[candidates], predicate="intersects")
    share = shared_areas(geoms[candidates], districts, b, d) / shapely.area(geoms[candidates[b]])
    ids = buildings["id"]  # as text only where a problem names them: millions of str objects would cost ~60 B each
    return [Problem("building_crosses_village", "buildings", (str(ids[candidates[k]]), *codes[parts]), value=smallest,
                    location=geoms[candidates[k]])
            for k, parts, smallest in _cut(b, d, share, settings.split_share)]


def _cut(b: np.ndarray, a: np.ndarray, share: np.ndarray, least: float):
    """For the pairs (footprint b, polygon a) holding `share` of the footprint's area, each footprint with more
    than `least` of its area in two polygons or more: (footprint, those polygons' indexes, the smallest share)."""
    big = share > least
    b, a, share = b[big], a[big], share[big]
    order = np.lexsort((a, b))
    b, a, share = b[order], a[order], share[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if len(b) else np.zeros(0, dtype=int)
    counts = np.diff(np.r_[starts, len(b)])
    smallest = np.minimum.reduceat(share, starts) if len(starts) else share
    return [(int(b[s]), a[s:s + n], float(smallest[k])) for k, (s, n) in enumerate(zip(starts, counts)) if n > 1]


def overlap_problems(buildings: dict, area_tolerance: float) -> list[Problem]:
    """Pairs of footprints overlapping by more than `area_tolerance` m² (one inside another, a duplicate,
    a podium under its tower): a warning, since `divide` keeps such buildings together in one small area."""
    geoms = buildings["geometry"]
    return _overlap_problems(buildings["id"], geoms, *overlapping_pairs(geoms), area_tolerance)


def _overlap_problems(ids: np.ndarray, geoms, i: np.ndarray, j: np.ndarray, area_tolerance: float) -> list[Problem]:
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    shared = shapely.intersection(geoms[i], geoms[j])
    return [Problem("building_overlap", "buildings", (str(ids[a]), str(ids[b])), value=float(s), location=g)
            for a, b, s, g in zip(i, j, shapely.area(shared), shared) if s > area_tolerance]
