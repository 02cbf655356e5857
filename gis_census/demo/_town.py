"""Town centre of a demo township: street grid, apartment blocks, shops and public buildings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString

from ._geom import rectangles
from .names import NamePool


@dataclass
class Candidates:
    """Building candidates, in priority order (earlier ones win overlaps)."""

    geoms: list = field(default_factory=list)
    pop: list = field(default_factory=list)
    hh: list = field(default_factory=list)
    use: list = field(default_factory=list)
    address: list = field(default_factory=list)  # str, or None = number later within the village
    mark: list = field(default_factory=list)  # (name, kind) of a landmark, or None

    def add(self, geoms, pop, hh, use, address=None, mark=None) -> None:
        """Append ``len(geoms)`` candidates; scalars broadcast."""
        n = len(geoms)
        self.geoms.append(np.asarray(geoms, dtype=object))
        self.pop.append(np.broadcast_to(np.asarray(pop, dtype=np.int64), (n,)))
        self.hh.append(np.broadcast_to(np.asarray(hh, dtype=np.int64), (n,)))
        self.use.append(np.broadcast_to(np.asarray(use, dtype=object), (n,)))
        addr = np.empty(n, dtype=object)
        addr[:] = address if not isinstance(address, (str, type(None))) else [address] * n
        self.address.append(addr)
        marks = np.empty(n, dtype=object)
        if mark is not None:
            marks[0] = mark
        self.mark.append(marks)

    def arrays(self):
        """Concatenated arrays ``(geoms, pop, hh, use, address, mark)``."""
        cat = [np.concatenate(x) if x else np.empty(0, dtype=object) for x in
               (self.geoms, self.pop, self.hh, self.use, self.address, self.mark)]
        return tuple(cat)


def households(pop: np.ndarray) -> np.ndarray:
    """Households of apartment buildings: population / 2.8, rounded."""
    return np.rint(np.asarray(pop) / 2.8).astype(np.int64)


def rural_people(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Residents (2..7) and households (1..2) of ``n`` village houses."""
    pop = rng.choice(np.arange(2, 8), size=n, p=[0.14, 0.2, 0.24, 0.2, 0.14, 0.08])
    hh = 1 + ((pop >= 4) & (rng.random(n) < 0.45)).astype(np.int64)
    return pop.astype(np.int64), hh


@dataclass
class Town:
    """Street grid of a town centre (local metres)."""

    cx: float
    cy: float
    xs: np.ndarray  # N-S street x positions, west to east
    ys: np.ndarray  # E-W street y positions, south to north
    x_names: list
    y_names: list
    mid: int  # index of the central street in xs and ys

    @property
    def half(self) -> float:
        """Half the width of the grid."""
        return float(self.xs[-1] - self.cx)

    def districts(self, n: int) -> list:
        """Split the grid along its streets into ``n`` rectangles ``(x0, y0, x1, y1)``."""
        out: list = []

        def split(i0, i1, j0, j1, k):
            if k == 1 or (i1 - i0 == 1 and j1 - j0 == 1):
                out.append((self.xs[i0], self.ys[j0], self.xs[i1], self.ys[j1]))
                return
            first = k // 2
            if (i1 - i0 >= j1 - j0 or j1 - j0 == 1) and i1 - i0 > 1:
                cut = i0 + max(1, min(i1 - i0 - 1, round((i1 - i0) * first / k)))
                split(i0, cut, j0, j1, first)
                split(cut, i1, j0, j1, k - first)
            else:
                cut = j0 + max(1, min(j1 - j0 - 1, round((j1 - j0) * first / k)))
                split(i0, i1, cut, j1, first)
                split(i0, i1, j0, cut, k - first)

        split(0, len(self.xs) - 1, 0, len(self.ys) - 1, n)
        return out

    def gates(self) -> np.ndarray:
        """Ends of the two central streets: S, N, W, E."""
        h = self.half
        return np.array([[self.cx, self.cy - h], [self.cx, self.cy + h], [self.cx - h, self.cy], [self.cx + h, self.cy]])


def make_town(rng: np.random.Generator, names: NamePool, cx: float, cy: float, g: int, block: float = 200.0) -> Town:
    """Grid of ``2g`` x ``2g`` blocks centred on ``(cx, cy)``; the central streets are straight."""
    off = np.arange(-g, g + 1) * block
    jx = rng.uniform(-15, 15, off.size)
    jy = rng.uniform(-15, 15, off.size)
    jx[[0, g, -1]] = 0.0
    jy[[0, g, -1]] = 0.0
    street = names.streets(2 * off.size)
    return Town(cx, cy, cx + off + jx, cy + off + jy, street[: off.size], street[off.size:], g)


def town_roads(town: Town) -> list[tuple]:
    """Street lines ``(geom, name, kind)``; the central streets are ``main``."""
    lo_x, hi_x, lo_y, hi_y = town.xs[0], town.xs[-1], town.ys[0], town.ys[-1]
    out = []
    for i, x in enumerate(town.xs):
        out.append((LineString([(x, lo_y), (x, hi_y)]), town.x_names[i], "main" if i == town.mid else "street"))
    for j, y in enumerate(town.ys):
        out.append((LineString([(lo_x, y), (hi_x, y)]), town.y_names[j], "main" if j == town.mid else "street"))
    return out


def _grid(x0, x1, y0, y1, w, h, gap_x, gap_y):
    """Centres of a regular grid of ``w`` x ``h`` boxes fitted (centred) into a rectangle."""
    nx = int((x1 - x0 + gap_x) // (w + gap_x))
    ny = int((y1 - y0 + gap_y) // (h + gap_y))
    if nx <= 0 or ny <= 0:
        return np.empty(0), np.empty(0)
    px = x0 + (x1 - x0 - (nx * w + (nx - 1) * gap_x)) / 2 + w / 2 + np.arange(nx) * (w + gap_x)
    py = y0 + (y1 - y0 - (ny * h + (ny - 1) * gap_y)) / 2 + h / 2 + np.arange(ny) * (h + gap_y)
    gx, gy = np.meshgrid(px, py[::-1])  # north row first
    return gx.ravel(), gy.ravel()


_SPECIALS = [("人民政府", "government", "public", (50, 18)), ("农贸市场", "market", "commercial", (80, 36)),
             ("卫生院", "hospital", "public", (56, 16)), ("中心小学", "school", "school", (72, 16)),
             ("中学", "school", "school", (80, 16)), ("供销社", "market", "commercial", (40, 14))]


def town_buildings(rng: np.random.Generator, town: Town, tname: str, apartment_pop: float,
                   water, cand: Candidates, old_share: float = 0.55) -> None:
    """Add the town's buildings to ``cand``: public buildings, shops, apartments, old courtyard houses."""
    inset = 11.0
    blocks = []
    for i in range(len(town.xs) - 1):
        for j in range(len(town.ys) - 1):
            x0, x1 = town.xs[i] + inset, town.xs[i + 1] - inset
            y0, y1 = town.ys[j] + inset, town.ys[j + 1] - inset
            d = np.hypot((x0 + x1) / 2 - town.cx, (y0 + y1) / 2 - town.cy)
            blocks.append((d, i, j, x0, x1, y0, y1))
    blocks.sort(key=lambda b: (round(b[0], 3), b[1], b[2]))
    boxes = shapely.box(*np.array([b[3:] for b in blocks])[:, [0, 2, 1, 3]].T)
    wet = shapely.dwithin(boxes, water, 5.0) if water is not None else np.zeros(len(blocks), bool)
    dry = [b for b, w in zip(blocks, wet) if not w]  # wet blocks are riverside parks
    special_at = {0, 2, 4, 7, 10, 13}
    role = ["special" if k in special_at and k < len(dry) else "" for k in range(len(dry))]
    left = apartment_pop
    apartments = []  # (x, y, w, h, address, pop)
    shop_no: dict[str, int] = {}  # the next shop number in each street
    for k in rng.permutation(len(dry)):
        if role[k]:
            continue
        if left > 0:
            role[k] = "apartments"
        else:
            role[k] = str(rng.choice(["old", "work", "vacant"], p=[old_share, (1 - old_share) * 0.55, (1 - old_share) * 0.45]))
        if role[k] == "apartments":
            d, i, j, x0, x1, y0, y1 = dry[k]
            x0, x1, y0, y1 = _shop_free(town, i, j, x0, x1, y0, y1)
            w = rng.uniform(48, 66)
            ax, ay = _grid(x0, x1, y0, y1, w, 14, 13, 20)
            pop = np.rint(rng.triangular(100, 240, 600, len(ax))).astype(np.int64)
            street, num = town.y_names[j], 2 * (i + 1)
            for n, (x, y, p) in enumerate(zip(ax, ay, pop)):
                if left > 0:
                    apartments.append((x, y, w, 14.0, f"{tname}{street}{num}号{n + 1}栋", p))
                    left -= p
    n_special = 0
    for k, (_, i, j, x0, x1, y0, y1) in enumerate(dry):
        street, num = town.y_names[j], 2 * (i + 1)
        _shops(rng, town, tname, i, j, x0, x1, y0, y1, cand, shop_no)
        x0, x1, y0, y1 = _shop_free(town, i, j, x0, x1, y0, y1)
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if role[k] == "special":
            label, kind, use, (w, h) = _SPECIALS[n_special % len(_SPECIALS)]
            n_special += 1
            geoms = rectangles([mx, mx - (x1 - x0) / 4, mx + (x1 - x0) / 4], [my + 20, my - 40, my - 40],
                               [w, 36, 36], [h, 14, 14])
            cand.add(geoms[:1], 0, 0, use, f"{tname}{street}{num}号", (tname + label, kind))
            cand.add(geoms[1:], 0, 0, use, [f"{tname}{street}{num}号{n}栋" for n in (2, 3)])
        elif role[k] == "old":  # single-storey courtyard houses
            hx, hy = _grid(x0, x1, y0, y1, 13, 12, 4, 5)
            keep = rng.random(len(hx)) < 0.85
            hx, hy = hx[keep] + rng.uniform(-1, 1, keep.sum()), hy[keep]
            pop, hh = rural_people(rng, len(hx))
            cand.add(rectangles(hx, hy, rng.uniform(10, 13, len(hx)), rng.uniform(9, 11, len(hx))), pop, hh,
                     "residential", [f"{tname}{street}{num}号院{n + 1}号" for n in range(len(hx))])
        elif role[k] == "work":  # a work unit's compound: offices, workshops, warehouses
            m = int(rng.integers(2, 5))
            wx, wy = rng.uniform(30, 70, m), rng.uniform(15, 30, m)
            px = mx + rng.uniform(-0.5, 0.5, m) * (x1 - x0 - wx)
            py = y1 - 10 - wy / 2 - np.arange(m) * (y1 - y0 - 20) / m
            uses = rng.choice(["commercial", "factory", "public"], size=m, p=[0.5, 0.35, 0.15])
            cand.add(rectangles(px, py, wx, np.minimum(wy, (y1 - y0 - 20) / m - 6)), 0, 0, uses,
                     [f"{tname}{street}{num}号{n + 1}栋" for n in range(m)])
    if apartments:
        a = np.array([ap[:4] for ap in apartments], dtype=float)
        pop = np.array([ap[5] for ap in apartments], dtype=np.int64)
        cand.add(rectangles(a[:, 0], a[:, 1], a[:, 2], a[:, 3]), pop, households(pop), "residential",
                 [ap[4] for ap in apartments])


def _shop_free(town: Town, i, j, x0, x1, y0, y1):
    """Part of a block left after the band of shops along the central streets."""
    if j == town.mid - 1:
        y1 -= 24
    elif j == town.mid:
        y0 += 24
    if i == town.mid - 1:
        x1 -= 24
    elif i == town.mid:
        x0 += 24
    return x0, x1, y0, y1


def _shops(rng, town: Town, tname, i, j, x0, x1, y0, y1, cand: Candidates, shop_no: dict) -> None:
    """Rows of small shops facing the central streets."""
    rows = []
    if j in (town.mid - 1, town.mid):
        sx = np.arange(x0 + 8, x1 - 7, 17.0)
        rows.append((town.y_names[town.mid], sx, np.full_like(sx, y1 - 9 if j == town.mid - 1 else y0 + 9), 14, 12))
    if i in (town.mid - 1, town.mid):
        sy = np.arange(y1 - 8, y0 + 7, -17.0)
        rows.append((town.x_names[town.mid], np.full_like(sy, x1 - 9 if i == town.mid - 1 else x0 + 9), sy, 12, 14))
    for street, sx, sy, w, h in rows:
        pop = np.where(rng.random(len(sx)) < 0.3, rng.integers(1, 5, len(sx)), 0)
        start = shop_no.get(street, 101)
        cand.add(rectangles(sx, sy, w, h), pop, (pop > 0).astype(int), "commercial",
                 [f"{tname}{street}{start + n}号" for n in range(len(sx))])
        shop_no[street] = start + len(sx)
