"""County-level layout of the demo: township tiles, towns, rivers and trunk roads (local metres)."""

from __future__ import annotations

import numpy as np
import shapely

from ._geom import blob, dart_throw, make_river, voronoi_tiles, wiggle_line
from ._town import make_town
from ._township import TownshipSpec, _bridges
from .names import NamePool

TOWNSHIP_AREA = 150e6  # m2
VILLAGE_POP = 2100.0
TOWN_APARTMENTS = 48_000.0
SUB_DISTRICT_APARTMENTS = 120_000.0


def _grid_half_blocks(apartment_pop: float) -> int:
    """Half the number of blocks per side of a town grid holding ``apartment_pop`` in apartments."""
    blocks = apartment_pop / (8 * 320 * 0.75) / 0.55
    return max(2, int(np.ceil(np.sqrt(blocks) / 2)))


def _spanning_tree(points: np.ndarray) -> list[tuple[int, int]]:
    """Edges of the Euclidean minimum spanning tree (Prim, deterministic)."""
    n = len(points)
    d = np.hypot(points[:, None, 0] - points[None, :, 0], points[:, None, 1] - points[None, :, 1])
    inside = np.zeros(n, bool)
    inside[0] = True
    best, parent = d[0].copy(), np.zeros(n, int)
    edges = []
    for _ in range(n - 1):
        cand = np.where(inside, np.inf, best)
        j = int(np.argmin(cand))
        edges.append((int(parent[j]), j))
        inside[j] = True
        closer = d[j] < best
        best[closer], parent[closer] = d[j][closer], j
    return edges


def county_layout(rng: np.random.Generator, names: NamePool, n_town: int, vpt: int):
    """Township specs, trunk roads, rivers and bridges of a county.

    Returns
    -------
    tuple
        ``(specs, trunk roads (geom, name, kind, bridge), water (geom, name, kind),
        rivers (line, name), bridge landmarks (point, name, kind))``.
    """

    area = n_town * TOWNSHIP_AREA
    radius = float(np.sqrt(area / np.pi))
    region = blob(0.0, 0.0, radius, rng, roughness=0.2, vertices=96)
    water, rivers = [], []
    for _ in range(1 if n_town < 6 else 2):
        through = rng.uniform(-0.4, 0.4, 2) * radius
        poly, line, name = make_river(rng, names, region, through, rng.uniform(0, np.pi), rng.uniform(30, 45), 1200.0)
        water.append((poly, name, "river"))
        rivers.append((line, name))
    wet = shapely.union_all([w[0] for w in water])
    room = region.buffer(-2500.0)
    min_dist = 0.8 * np.sqrt(area / n_town)
    clear = 1300.0
    for _ in range(60):
        seeds = dart_throw(room, n_town, min_dist, rng, wet, clear, tries=6000)
        if len(seeds) == n_town:
            break
        min_dist *= 0.93
        clear *= 0.97
    else:
        raise RuntimeError("cannot place the townships")
    tiles = voronoi_tiles(region, seeds)
    order = np.argsort(np.hypot(seeds[:, 0], seeds[:, 1]), kind="stable")
    n_sub = max(1, round(n_town / 8))
    specs = []
    for rank, k in enumerate(order):
        sub = rank < n_sub
        code = f"370481{rank + 1:03d}" if sub else f"370481{100 + rank - n_sub + 1:03d}"
        name = names.township(sub)
        n_rc = min(vpt, max(3, vpt // 2) if sub else (3 if vpt >= 7 else (2 if vpt >= 3 else 1)))
        apt = (SUB_DISTRICT_APARTMENTS if sub else TOWN_APARTMENTS) * rng.uniform(0.85, 1.15)
        town = make_town(rng, names, float(seeds[k, 0]), float(seeds[k, 1]), _grid_half_blocks(apt))
        specs.append(TownshipSpec(code, name, tiles[k], town, vpt, n_rc, apt, VILLAGE_POP, rich=False))
    trunk = []
    for a, b in _spanning_tree(np.array([[s.town.cx, s.town.cy] for s in specs])):
        ga, gb = specs[a].town.gates(), specs[b].town.gates()
        pa = ga[int(np.argmin(np.hypot(*(ga - [specs[b].town.cx, specs[b].town.cy]).T)))]
        pb = gb[int(np.argmin(np.hypot(*(gb - [specs[a].town.cx, specs[a].town.cy]).T)))]
        name = names.unique(specs[a].name[0] + specs[b].name[0] + "路")
        trunk.append((wiggle_line(pa, pb, rng, 400.0, step=300.0), name, "main", None))
    return specs, trunk, water, rivers, _bridges(names, trunk, rivers)
