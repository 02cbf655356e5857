"""One demo township: villages, roads, buildings, landmarks and small areas (local metres)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from . import _rural
from ._divide import divide
from ._geom import dart_throw, voronoi_tiles
from ._town import Candidates, Town, town_buildings, town_roads
from .names import NamePool

#: Buildings keep this distance (m) from road centre lines, by road kind, and from water.
ROAD_CLEARANCE = {"main": 12.0, "street": 9.0, "rural": 6.0, "lane": 3.5}
WATER_CLEARANCE = 3.0


@dataclass
class TownshipSpec:
    """What to generate for one township."""

    code: str
    name: str
    region: Polygon
    town: Town
    n_villages: int
    n_rc: int
    apartment_pop: float
    village_pop: float
    rich: bool = True


def _village_seeds(rng, spec: TownshipSpec, water) -> np.ndarray:
    t = spec.town
    n_vc = spec.n_villages - spec.n_rc
    rects = t.districts(spec.n_rc)
    rc = np.array([[(x0 + x1) / 2, (y0 + y1) / 2] for x0, y0, x1, y1 in rects])
    if n_vc <= 0:
        return rc
    square = shapely.box(t.cx - t.half, t.cy - t.half, t.cx + t.half, t.cy + t.half)
    avoid = shapely.union_all([square.buffer(250.0)] + ([water] if water is not None else []))
    room = spec.region.buffer(-250.0)
    clear = float(np.sqrt(spec.village_pop * _rural.PLOT_AREA / 2.8 / np.pi)) + 120.0
    min_dist = 0.8 * np.sqrt(max(room.area - square.area, 1.0) / n_vc)
    for attempt in range(40):
        vc = dart_throw(room, n_vc, min_dist, rng, avoid, clear)
        if len(vc) == n_vc:
            return np.vstack([rc, vc])
        min_dist *= 0.9
        if attempt > 10:
            clear *= 0.9
    raise RuntimeError(f"cannot place {n_vc} villages in township {spec.code}")


def _filter(geoms, tiles, roads: list, water: list):
    """Indices of candidates that obey the rules, and their village (tile) indices."""
    n = len(geoms)
    village = np.full(n, -1)
    pairs = shapely.STRtree(tiles).query(geoms, predicate="within")
    village[pairs[0]] = pairs[1]
    ok = (village >= 0) & shapely.is_valid(geoms)
    for kind, dist in ROAD_CLEARANCE.items():
        lines = [g for g, _, k, _ in roads if k == kind]
        if lines:
            idx = np.flatnonzero(ok)
            hit = shapely.STRtree(lines).query(geoms[idx], predicate="dwithin", distance=dist)[0]
            ok[idx[hit]] = False
    if water:
        idx = np.flatnonzero(ok)
        hit = shapely.STRtree(water).query(geoms[idx], predicate="dwithin", distance=WATER_CLEARANCE)[0]
        ok[idx[hit]] = False
    idx = np.flatnonzero(ok)
    a, b = shapely.STRtree(geoms[idx]).query(geoms[idx], predicate="intersects")
    ok[idx[np.unique(a[b < a])]] = False  # an earlier candidate wins
    keep = np.flatnonzero(ok)
    return keep, village[keep]


def _bridges(names: NamePool, roads: list, rivers: list) -> list:
    """Bridge landmarks where ``roads`` ``(geom, name, kind, bridge)`` cross ``rivers`` ``(line, name)``."""
    if not rivers or not roads:
        return []
    lines = [g for g, _ in rivers]
    r_i, w_i = shapely.STRtree(lines).query([g for g, *_ in roads], predicate="intersects")
    out = []
    for i, j in zip(r_i, w_i):
        _, road_name, kind, bridge = roads[i]
        for pt in shapely.get_parts(shapely.intersection(roads[i][0], lines[j])):
            if pt.geom_type != "Point":
                continue
            base = bridge or (road_name + rivers[j][1] + "大桥" if kind == "main" else rivers[j][1] + "桥")
            out.append((pt, names.unique(base), "bridge"))
    return out


def build_township(rng: np.random.Generator, names: NamePool, spec: TownshipSpec, ext_roads: list,
                   ext_water: list, rivers: list) -> dict:
    """Generate one township inside ``spec.region``.

    ``ext_roads`` ``(geom, name, kind, bridge)`` and ``ext_water`` ``(geom, name, kind)`` come from the
    level above (trunk roads, rivers); buildings keep clear of them.  ``rivers`` are ``(centre line, name)``.
    """
    t = spec.town
    water_here = [g for g, _, _ in ext_water if g.intersects(spec.region)]
    water_union = shapely.union_all(water_here) if water_here else None
    seeds = _village_seeds(rng, spec, water_union)
    tiles = np.array(voronoi_tiles(spec.region, seeds, list(shapely.box(*np.array(t.districts(spec.n_rc)).T))),
                     dtype=object)
    n_rc = spec.n_rc
    villages, stems = [], []
    for i, (x, y) in enumerate(seeds):
        if i < n_rc:
            central = np.hypot(x - t.cx, y - t.cy) < 0.25 * t.half
            d = None if central else int(np.round(np.arctan2(y - t.cy, x - t.cx) / (np.pi / 2))) % 4
            stem = names.residents_stem(d)
            villages.append((f"{spec.code}{i + 1:03d}", stem + "社区居委会"))
            stems.append(stem + "社区")
        else:
            stem = names.village_stem()
            villages.append((f"{spec.code}{200 + i - n_rc + 1:03d}", stem + "村委会"))
            stems.append(stem if stem.endswith("村") else stem + "村")
    roads = [(g, name, kind, name[:-1] + "桥") for g, name, kind in town_roads(t)]
    cand = Candidates()
    town_buildings(rng, t, spec.name, spec.apartment_pop, water_union, cand, 0.55 if spec.rich else 0.3)
    water: list = []
    lanes: list = []
    gates = t.gates()
    for i in range(n_rc, len(seeds)):
        cx, cy = seeds[i]
        people = spec.village_pop * rng.uniform(0.75, 1.25)
        stem = villages[i][1][: -len("村委会")]
        _rural.settlement(rng, names, cx, cy, people, stem, cand, lanes, water, spec.rich)
        g = gates[int(np.argmin(np.hypot(*(gates - seeds[i]).T)))]
        name = names.unique(spec.name[0] + stem[0] + "路")
        roads.append((_rural.road(g, (cx, cy), rng), name, "rural", stem + "桥"))
    vc = seeds[n_rc:]
    links: list = []
    for i in range(len(vc)):  # link each village to its nearest neighbour
        d = np.hypot(*(vc - vc[i]).T)
        d[i] = np.inf
        pair = tuple(sorted((i, int(np.argmin(d)))))
        if len(vc) > 1 and pair not in links:
            links.append(pair)
            roads.append((_rural.road(vc[pair[0]], vc[pair[1]], rng), "", "rural", None))
    roads += [(g, "", "lane", None) for g, _, _ in lanes]
    for tile in tiles:
        _rural.scattered(rng, tile, max(1, int(tile.area / 4e5 * (1.0 if spec.rich else 0.5))), cand)
    _rural.factories(rng, [g for g, _, k, _ in roads + ext_roads if k in ("main", "rural")],
                     int(rng.integers(4, 9)), cand)
    water = [w for w in water if w[0].within(spec.region)]
    all_roads = roads + [r for r in ext_roads if r[0].intersects(spec.region)]
    geoms, pop, hh, use, address, mark = cand.arrays()
    keep, vil = _filter(geoms, tiles, all_roads, water_here + [g for g, _, _ in water])
    geoms, pop, hh, use, address, mark = (a[keep] for a in (geoms, pop, hh, use, address, mark))
    # addresses of village buildings: numbered row by row, north to south, west to east
    pts = shapely.point_on_surface(geoms)
    xy = shapely.get_coordinates(pts)
    todo = np.flatnonzero(np.array([a is None for a in address], dtype=bool))
    order = todo[np.lexsort((xy[todo, 0], -np.round(xy[todo, 1] / 44.0), vil[todo]))]
    seq = np.zeros(len(geoms), dtype=np.int64)
    for v in np.unique(vil[order]):
        sel = order[vil[order] == v]
        seq[sel] = np.arange(1, len(sel) + 1)
    for i in order:
        address[i] = f"{spec.name}{stems[vil[i]]}{seq[i]}号"
    marks = [(pts[i], *mark[i]) for i in np.flatnonzero(np.array([m is not None for m in mark], dtype=bool))]
    marks += _bridges(names, roads, rivers)
    # small areas
    bounds = shapely.bounds(geoms)
    small = []
    for v, (vcode, _) in enumerate(villages):
        sel = np.flatnonzero(vil == v)
        for k, (g, idx) in enumerate(divide(tiles[v], xy[sel], bounds[sel], pop[sel])):
            small.append((f"{vcode}{k + 1:03d}", int(pop[sel][idx].sum()), int(hh[sel][idx].sum()), g))
    return {
        "villages": [(c, n, spec.code, g) for (c, n), g in zip(villages, tiles)],
        "buildings": (geoms, pop, hh, use, address),
        "roads": [r[:3] for r in roads],
        "water": water,
        "landmarks": marks,
        "small_areas": small,
    }
