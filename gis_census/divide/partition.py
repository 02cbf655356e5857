"""Grouping units (blocks, building cells) on their adjacency graph into contiguous, balanced groups."""

from __future__ import annotations

import heapq

import numpy as np
import pymetis

from gis_census.spatial import ring_segments

__all__ = ["adjacency", "balance_score", "components", "partition"]

#: METIS's allowed imbalance of a group's weight, in thousandths above the mean (its ufactor), and the seeds
#: it is run with (the best division kept): measured on 56 of the demo county's districts, 50 balanced best
#: (30, 100, 200 tried) once the local pass evens the groups out, and 3 seeds gain what 5 do.
_IMBALANCE = 50
_SEEDS = (1, 2, 3)
#: Edge weight per metre of border inside a street block (a border along a road or water costs 1): METIS
#: then prefers to cut along roads.
_EDGE_PER_M = 0.1
#: Units per group from which METIS alone balances as well as the sweeps. Coarser units (Providence's
#: census blocks: ≈ 6 a group) leave some groups off the ±12 % band, and the sweeps, trying every cut
#: position, find better ones there.
_FINE = 10
#: Sweep directions tried at each bisection: west→east, north→south, east→west, south→north.
_DIRECTIONS = ((1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.0, 1.0))
_CUTS_TRIED = 6  # best-balanced cut positions tried per sweep before giving it up
_PASSES = 30  # local improvement passes at most
#: Groups within this share of the target are settled: the local pass moves a border unit only while one of the
#: two groups is farther off. Evening settled groups further gained no area within ±20 % or ±12 % on the sample,
#: a generated township and Suzhou's footprints, and stepped the lines round single houses: settled at 5 %, the
#: new boundary on roads and water rose from 29 to 35 % on the sample (35 to 40 % generated), the least
#: compactness from 0.10 to 0.31; the demo county kept 71.7 % within ±20 % (61.8 -> 61.6 % within ±12 %).
SETTLED = 0.05
#: Turns of the sweep axes (radians), coarse first: each gives one division, and the best balanced is
#: kept; the finer turns are tried only while a group is off the ±12 % band. A sixth (75°) changed nothing
#: on the sample and two generated townships, and on the demo county kept the share within ±20 % (71.7 %)
#: and lowered that within ±12 % (61.7 % against 61.8 % without it), for 3 % of the county's division time.
_TURNS = tuple(np.r_[0, 2, 4, 1, 3] * np.pi / 12)


def adjacency(geoms: np.ndarray, shortest: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, i < j, of polygons sharing an edge, and the shared length in m.

    The polygons must be a clean coverage (:func:`shapely.coverage_clean`), whose shared edges run
    vertex for vertex: each segment that two polygons both have is one piece of their border.
    Polygons meeting only at a point, or along less than `shortest` m, are not neighbours: a walk
    cannot pass there.
    """
    a, b, owner = ring_segments(geoms)
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[flip], b[flip] = b[flip], a[flip].copy()  # each segment from its lower end
    order = np.lexsort((b[:, 1], b[:, 0], a[:, 1], a[:, 0]))
    ends = np.hstack([a, b])[order]
    twice = np.flatnonzero((ends[1:] == ends[:-1]).all(axis=1))  # a segment two polygons hold
    owner = owner[order]
    i, j = owner[twice], owner[twice + 1]
    i, j, length = np.minimum(i, j), np.maximum(i, j), np.hypot(*(ends[twice, 2:] - ends[twice, :2]).T)
    keep = i != j
    key, where = np.unique(i[keep] * len(geoms) + j[keep], return_inverse=True)
    shared = np.bincount(where, weights=length[keep], minlength=len(key))
    keep = shared > shortest
    return key[keep] // len(geoms), key[keep] % len(geoms), shared[keep]


def partition(n: int, pairs: tuple[np.ndarray, np.ndarray], weights: np.ndarray, xy: np.ndarray,
              k: int, target: float, cut_cost: np.ndarray | None = None,
              limits: tuple[float, float] = (0.0, np.inf), settled: float = SETTLED) -> np.ndarray:
    """Labels 0..k-1 for `n` connected units: each group contiguous, its weight near `target`.

    METIS divides the graph into `k` contiguous groups of balanced weight (within `_IMBALANCE`),
    cutting as little as it can of the `cut_cost` of the `pairs` (e.g. the length of a border that
    follows no road), with each of `_SEEDS`. A local pass then moves units across group borders
    while that lowers the sum of squared deviations from `target` and keeps both groups connected.
    The division with fewest groups of several units outside the hard `limits`, then off the
    ±20 % and ±12 % bands, wins; among equals, the one whose borders cost least and then the best
    balanced (:func:`balance_score`). Recursive bisection by sweeps (:func:`_swept`) is tried too
    where METIS finds no `k` contiguous groups or leaves a group outside the hard `limits`, and, for
    coarse units (fewer than `_FINE` a group), off the ±20 % or ±12 % band. A last pass
    (:func:`_tighten`) then shortens the winner's borders where that costs no balance that counts.
    Deterministic for the same input.
    """
    if k <= 1:
        return np.zeros(n, dtype=np.int64)
    neighbours = _neighbour_lists(n, *pairs)
    best, best_score = None, None
    for labels in _metis(n, pairs, weights, k, cut_cost):
        _improve(labels, neighbours, weights, target, settled)
        score = balance_score(labels, weights, target, pairs, cut_cost, limits)
        if best_score is None or score < best_score:
            best, best_score = labels, score
    good = 1 if n >= _FINE * k else 3
    if best is None or best_score is None or best_score[:good] != (0,) * good:
        swept = _swept(n, neighbours, pairs, weights, xy, k, target, cut_cost, limits, settled)
        if best is None or best_score is None or balance_score(swept, weights, target, pairs, cut_cost, limits) < best_score:
            best = swept
    if cut_cost is not None:
        _tighten(best, pairs, cut_cost, weights, target, limits, neighbours, settled)
    return best


def _metis(n: int, pairs: tuple[np.ndarray, np.ndarray], weights: np.ndarray, k: int,
           cut_cost: np.ndarray | None) -> list[np.ndarray]:
    """METIS's divisions of the units into `k` groups, one per seed, those with k contiguous groups only."""
    i, j = pairs
    cost = np.zeros(len(i)) if cut_cost is None else np.asarray(cut_cost, dtype=float)
    src, dst, edge = np.r_[i, j], np.r_[j, i], np.r_[cost, cost]
    order = np.argsort(src, kind="stable")
    graph = pymetis.CSRAdjacency(np.r_[0, np.cumsum(np.bincount(src, minlength=n))], dst[order])
    edge_weights = (np.round(edge[order] * _EDGE_PER_M) + 1).astype(np.int64)  # METIS wants integers above 0
    unit_weights = np.maximum(np.round(weights), 0).astype(np.int64)
    out = []
    for seed in _SEEDS:
        options = pymetis.Options(ufactor=_IMBALANCE, seed=seed, contig=1)
        labels = np.asarray(pymetis.part_graph(k, graph, vweights=unit_weights, eweights=edge_weights,
                                               options=options)[1], dtype=np.int64)
        same = labels[i] == labels[j]
        groups = components(n, i[same], j[same])  # one per group when each group is contiguous
        if int(groups.max()) + 1 == k and len(np.unique(labels)) == k:
            out.append(labels)
    return out


def _swept(n: int, neighbours, pairs, weights: np.ndarray, xy: np.ndarray, k: int, target: float,
           cut_cost: np.ndarray | None, limits: tuple[float, float], settled: float) -> np.ndarray:
    """Labels of `k` groups by recursive bisection: sweeps grow a contiguous region from each side in
    turn and cut where it holds the right share of the weight while the rest stays connected, then the
    local pass. Done with the sweep axes turned by each of `_TURNS` (the finer half only while a group
    is off the ±12 % band); the best by :func:`balance_score` wins."""
    best, best_score = None, None
    for turn in _TURNS:
        c, s = np.cos(turn), np.sin(turn)
        labels = _bisection(n, neighbours, weights, xy @ np.array([[c, s], [-s, c]]), k)
        _improve(labels, neighbours, weights, target, settled)
        score = balance_score(labels, weights, target, pairs, cut_cost, limits)
        if best_score is None or score < best_score:
            best, best_score = labels, score
        if turn == _TURNS[2] and best_score[:3] == (0, 0, 0):
            break
    assert best is not None  # _TURNS is not empty
    return best


def balance_score(labels: np.ndarray, weights: np.ndarray, target: float, pairs: tuple | None = None,
                  cut_cost: np.ndarray | None = None, limits: tuple[float, float] = (0.0, np.inf)
                  ) -> tuple[int, int, int, float, float]:
    """How good a division is, lower better: groups of several units outside the hard `limits`, groups
    off `target` by more than 20 % and by more than 12 %, the `cut_cost` of the `pairs` it separates,
    and the squared relative deviations."""
    totals = np.bincount(labels, weights=weights)
    several = np.bincount(labels, weights=weights > 0) > 1
    outside = int((several & ((totals < limits[0]) | (totals > limits[1]))).sum())
    deviation = np.abs(totals / max(target, 1e-9) - 1)
    cut = 0.0 if cut_cost is None or pairs is None else float(cut_cost[labels[pairs[0]] != labels[pairs[1]]].sum())
    return outside, int((deviation > 0.2).sum()), int((deviation > 0.12).sum()), round(cut, 3), float((deviation ** 2).sum())


def _bisection(n: int, neighbours, weights: np.ndarray, xy: np.ndarray, k: int) -> np.ndarray:
    """Labels of `k` groups from recursive bisection by sweeps along the axes of `xy` (fewer only where
    there are fewer units than groups). `neighbours` must join all `n` units."""
    sweeps = [_Sweep(xy @ np.asarray(d)) for d in _DIRECTIONS]
    w = weights.tolist()
    cut = np.zeros(n, dtype=bool)
    stack, groups = [(np.arange(n), k)], []
    while stack:
        nodes, parts = stack.pop()
        parts = min(parts, len(nodes))
        if parts == 1:
            groups.append(nodes)
            continue
        first = _bisect(nodes, neighbours, weights, w, sweeps, (parts // 2) / parts)
        left = _parts_of(float(weights[first].sum()), float(weights[nodes].sum()), parts, len(first), len(nodes) - len(first))
        cut[first] = True
        stack.append((nodes[~cut[nodes]], parts - left))
        cut[first] = False
        stack.append((first, left))
    labels = np.zeros(n, dtype=np.int64)
    for g, nodes in enumerate(groups):
        labels[nodes] = g
    return labels


def _parts_of(weight: float, total: float, parts: int, units: int, others: int) -> int:
    """Groups for a part weighing `weight` of `total` cut from `parts` groups: its share of them, so an
    uneven cut is not carried on as groups too full or too light, each side at most one group a unit."""
    share = weight / total if total > 0 else 0.5
    return int(np.clip(round(share * parts), max(1, parts - others), min(parts - 1, units)))


def _neighbour_lists(n: int, i: np.ndarray, j: np.ndarray) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(i.tolist(), j.tolist()):
        out[a].append(b)
        out[b].append(a)
    return out


class _Sweep:
    """One sweep direction's order of the units: `rank` of each unit by its key (ties by unit number) and
    the `unit` at each rank, as Python lists (a heap of ranks compares plain ints), and `ranks` as numpy."""

    def __init__(self, key: np.ndarray) -> None:
        order = np.argsort(key, kind="stable")
        self.ranks = np.empty(len(key), dtype=np.int64)
        self.ranks[order] = np.arange(len(key))
        self.rank, self.unit = self.ranks.tolist(), order.tolist()


def _bisect(nodes: np.ndarray, neighbours, weights: np.ndarray, w: list[float], sweeps: list[_Sweep],
            share: float) -> np.ndarray:
    """The best first part of `nodes` holding `share` of their weight, both parts connected; `w` are
    the `weights` as Python floats."""
    members = set(nodes.tolist())
    goal = share * float(weights[nodes].sum())
    best, best_error = None, np.inf
    for sweep in sweeps:
        order = _sweep(nodes, members, neighbours, sweep, w, goal)
        cum = np.cumsum(weights[order])[:len(nodes) - 1]
        for cut in np.argsort(np.abs(cum - goal), kind="stable")[:_CUTS_TRIED]:
            error = abs(cum[cut] - goal)
            if error >= best_error:
                break
            if _connected(members.difference(order[:cut + 1].tolist()), neighbours):
                best, best_error = order[:cut + 1], error
                break
    if best is None:  # no sweep's cut leaves the rest connected: cut the sweep's spanning tree instead
        best = _tree_cut(nodes, members, neighbours, sweeps[0], w, goal)
    return np.sort(best)


def _tree_cut(nodes: np.ndarray, members: set, neighbours, sweep: _Sweep, w: list[float], goal: float) -> np.ndarray:
    """The branch, weighing nearest `goal`, of the tree a sweep from its lowest unit grows over `nodes`:
    both a branch and the tree without it are connected, so this cut always exists."""
    rank, unit = sweep.rank, sweep.unit
    start = unit[int(sweep.ranks[nodes].min())]
    heap, parent, order = [rank[start]], {start: -1}, []
    while heap:
        u = unit[heapq.heappop(heap)]
        order.append(u)
        for v in neighbours[u]:
            if v not in parent and v in members:
                parent[v] = u
                heapq.heappush(heap, rank[v])
    below = {u: w[u] for u in order}
    for u in reversed(order[1:]):
        below[parent[u]] += below[u]
    top = min(order[1:], key=lambda u: abs(below[u] - goal))
    children: dict[int, list[int]] = {}
    for u in order[1:]:
        children.setdefault(parent[u], []).append(u)
    branch, todo = [], [top]
    while todo:
        u = todo.pop()
        branch.append(u)
        todo += children.get(u, [])
    return np.array(branch, dtype=np.int64)


def _sweep(nodes: np.ndarray, members: set, neighbours, sweep: _Sweep, w: list[float], goal: float) -> np.ndarray:
    """The first of `nodes` in the order a region grows from the lowest in `sweep`, always adding its lowest
    neighbour: up to `_CUTS_TRIED` weighted units past the point where the region weighs `goal`
    (the cuts tried lie before it). `w` are the weights as Python floats: numpy scalars make every step slow."""
    rank, unit = sweep.rank, sweep.unit
    first = int(sweep.ranks[nodes].min())
    heap = [first]
    free = set(members)  # not yet reached
    free.discard(unit[first])
    order = []
    total, past = 0.0, 0
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        u = unit[pop(heap)]
        order.append(u)
        total += w[u]
        if total >= goal and w[u] > 0:
            past += 1
            if past > _CUTS_TRIED:
                break
        for v in neighbours[u]:
            if v in free:
                free.remove(v)
                push(heap, rank[v])
    return np.array(order, dtype=np.int64)


def _connected(free: set, neighbours) -> bool:
    """Whether the units of `free` (emptied on the way) are one connected group."""
    if not free:
        return False
    todo = [free.pop()]
    while todo:
        for v in neighbours[todo.pop()]:
            if v in free:
                free.remove(v)
                todo.append(v)
    return not free


def _stays_connected(u: int, group: set, neighbours) -> bool:
    """Whether the connected `group` stays connected without its unit `u`: whether u's neighbours in it
    still reach each other (a search that stops once it has met them all)."""
    near = [v for v in neighbours[u] if v in group]
    if len(near) <= 1:
        return bool(near)
    wanted = set(near)
    wanted.discard(near[0])
    seen = {u, near[0]}
    todo = [near[0]]
    while todo:
        for v in neighbours[todo.pop()]:
            if v in group and v not in seen:
                seen.add(v)
                wanted.discard(v)
                if not wanted:
                    return True
                todo.append(v)
    return False


def _improve(labels: np.ndarray, neighbours, weights, target: float, settled: float = SETTLED) -> None:
    """Move border units to a neighbouring group while that lowers the squared deviation and one of the two
    groups is not settled (within the share `settled` of the target)."""
    groups = int(labels.max()) + 1
    label = labels.tolist()  # Python numbers: numpy scalars make every step of this loop slow
    w = np.asarray(weights, dtype=float).tolist()
    totals = np.bincount(labels, weights=weights, minlength=groups).tolist()
    members: list[set[int]] = [set() for _ in range(groups)]
    for u, g in enumerate(label):
        members[g].add(u)
    foreign = [sum(label[v] != g for v in neighbours[u]) for u, g in enumerate(label)]  # 0: not on a border
    settled = settled * target
    for _ in range(_PASSES):
        moved = False
        for u in range(len(label)):
            a, wu = label[u], w[u]
            if wu <= 0 or not foreign[u] or len(members[a]) == 1:
                continue
            leaves = None  # whether a stays connected without u, asked once
            for b in sorted({label[v] for v in neighbours[u]} - {a}):
                before = (totals[a] - target) ** 2 + (totals[b] - target) ** 2
                after = (totals[a] - wu - target) ** 2 + (totals[b] + wu - target) ** 2
                if after >= before - 1e-9 or (abs(totals[a] - target) <= settled and abs(totals[b] - target) <= settled):
                    continue
                if leaves is None:
                    leaves = _stays_connected(u, members[a], neighbours)
                if not leaves:
                    break
                members[a].discard(u)
                members[b].add(u)
                for v in neighbours[u]:
                    foreign[v] += (label[v] == a) - (label[v] == b)
                label[u] = b
                foreign[u] = sum(label[v] != b for v in neighbours[u])
                totals[a] -= wu
                totals[b] += wu
                moved = True
                break
        if not moved:
            break
    labels[:] = label


def _tighten(labels: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], cut_cost: np.ndarray, weights,
             target: float, limits: tuple[float, float], neighbours, settled: float = SETTLED) -> None:
    """Move border units to the neighbouring group they share more `cut_cost` with, while both groups stay
    connected, within the hard `limits` if they were, and no farther off `target` than they were or than the
    share `settled`: lines between groups get shorter and straighter at no loss of balance that counts.

    Each pass finds the units that would gain at once (numpy), then moves those still gaining one by one."""
    n = len(labels)
    src, dst = np.r_[pairs[0], pairs[1]], np.r_[pairs[1], pairs[0]]
    order = np.argsort(src, kind="stable")
    src, dst, cost = src[order], dst[order], np.r_[cut_cost, cut_cost].astype(float)[order]
    start = np.searchsorted(src, np.arange(n + 1)).tolist()
    ends, costs = dst.tolist(), cost.tolist()
    label = labels.tolist()
    w = np.asarray(weights, dtype=float).tolist()
    totals = np.bincount(labels, weights=weights).tolist()
    members: dict[int, set[int]] = {}  # of the groups a move has asked about
    low, high, room = limits[0], limits[1], settled * target

    def fits(old: float, new: float) -> bool:
        return (abs(new - target) <= max(abs(old - target), room) + 1e-9
                and (low <= new <= high or not low <= old <= high))

    for _ in range(_PASSES):
        now = np.asarray(label)
        same = now[src] == now[dst]
        own = np.bincount(src[same], weights=cost[same], minlength=n)
        cross, groups = np.flatnonzero(~same), len(totals)
        keys, at = np.unique(src[cross] * groups + now[dst[cross]], return_inverse=True)  # (unit, other group)
        toward_best = np.zeros(n)
        np.maximum.at(toward_best, keys // groups, np.bincount(at, weights=cost[cross]))
        moved = False
        for u in np.flatnonzero(toward_best > own + 1e-6).tolist():
            a = label[u]
            toward: dict[int, float] = {}
            for k in range(start[u], start[u + 1]):
                g = label[ends[k]]
                toward[g] = toward.get(g, 0.0) + costs[k]
            mine, wu = toward.pop(a, 0.0), w[u]
            if not toward:
                continue
            b = max(sorted(toward), key=lambda g: toward[g])
            if toward[b] <= mine + 1e-6 or not (fits(totals[a], totals[a] - wu) and fits(totals[b], totals[b] + wu)):
                continue
            for g in (a, b):
                if g not in members:
                    members[g] = {v for v, x in enumerate(label) if x == g}
            if len(members[a]) == 1 or not _stays_connected(u, members[a], neighbours):
                continue
            members[a].discard(u)
            members[b].add(u)
            label[u] = b
            totals[a] -= wu
            totals[b] += wu
            moved = True
        if not moved:
            break
    labels[:] = label


def components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component label of each of `n` units joined by the pairs ``(i, j)``, numbered in unit order."""
    neighbours = _neighbour_lists(n, i, j)
    labels = np.full(n, -1, dtype=np.int64)
    count = 0
    for start in range(n):
        if labels[start] >= 0:
            continue
        labels[start] = count
        todo = [start]
        while todo:
            for v in neighbours[todo.pop()]:
                if labels[v] < 0:
                    labels[v] = count
                    todo.append(v)
        count += 1
    return labels
