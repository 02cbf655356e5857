"""A fictional household register of a project's township, as the police station's tables, with its truth.

The 户籍 table has one row per person, households (户号) living in the buildings as their population and
households say, head first; a few households are registered at demolished addresses (空挂户) or at
addresses outside the township. 暂住 (temporary residents, ~6 % of the people) and 境外 (a handful) live in
buildings too. Addresses carry the noise of real registers (see :data:`NOISE_RATES`). The truth — which
building each row belongs to — is returned apart and written to its own file, never into the register.

>>> from gis_census.project import CensusProject
>>> tables, truth = make_register(CensusProject.open("sample_data/demo_township.gpkg"), seed=2020)
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from ._address import NOISE_RATES, Address, old_street_names, parse, region_names, written
from ._people import CENSUS_DAY, IdNumbers, given_name, household_members, surname_weights, village_surname
from .names import NamePool

__all__ = ["KINDS", "COLUMNS", "NOISE_RATES", "EXTRA_RATES", "TEMPORARY_SHARE", "TRUTH_COLUMNS", "make_register",
           "make_register_rows", "street_renames", "write_register"]

KINDS = ("户籍", "暂住", "境外")
COLUMNS = {
    "户籍": ["序号", "户号", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "公民身份号码", "住址", "所属村/居委会"],
    "暂住": ["序号", "姓名", "性别", "出生日期", "公民身份号码", "户籍地址", "暂住地址", "暂住事由", "登记日期",
             "所属村/居委会"],
    "境外": ["序号", "英文姓", "英文名", "性别", "出生日期", "国籍", "证件种类", "证件号码", "住宿地址", "所属村/居委会"],
}
#: Households added beyond the buildings' own, as a share of theirs: registered at a demolished
#: address (空挂户) or at one outside the township.
EXTRA_RATES = {"demolished": 0.015, "outside": 0.007}
TEMPORARY_SHARE = 0.06  # 暂住 people per registered person
TRUTH_COLUMNS = ["sheet", "row", "building_id", "reason", "noise"]

_VANISHED = ["供销社家属院", "粮所宿舍", "农机站宿舍", "老油厂宿舍", "食品站家属院", "棉站宿舍", "老镇政府院"]
_ORIGINS = [("370402", "山东省枣庄市市中区"), ("370403", "山东省枣庄市薛城区"), ("370404", "山东省枣庄市峄城区"),
            ("370406", "山东省枣庄市山亭区"), ("370883", "山东省济宁市邹城市"), ("370826", "山东省济宁市微山县"),
            ("371324", "山东省临沂市兰陵县"), ("320382", "江苏省徐州市邳州市"), ("341321", "安徽省宿州市砀山县"),
            ("411323", "河南省南阳市淅川县")]
_REASONS = ["务工"] * 14 + ["经商"] * 4 + ["投靠亲友", "就学"]
_FOREIGN = {
    "韩国": ("M", "KIM LEE PARK CHOI JUNG KANG", "MINJUN SEOYEON JIHO HAEUN DOYUN SUBIN"),
    "日本": ("T", "SATO SUZUKI TAKAHASHI TANAKA ITO", "HARUTO YUI SOTA AOI REN HINA"),
    "越南": ("C", "NGUYEN TRAN LE PHAM HOANG", "VAN ANH MINH THU DUC LINH"),
    "巴基斯坦": ("A", "KHAN ALI AHMED MALIK", "USMAN AYESHA BILAL FATIMA"),
    "德国": ("C", "MULLER SCHMIDT WAGNER BECKER", "LUKAS ANNA FELIX LENA"),
}


@dataclass
class _Household:
    village: str  # 12-digit code
    address: Address
    size: int
    building: int | None  # true building id
    reason: str = ""  # "", demolished, outside
    room: tuple[int, int] | None = None
    members: list = field(default_factory=list)


class _Township:
    """What the generator needs of a project: its buildings parsed, names of its villages and region."""

    def __init__(self, project, seed: int) -> None:
        b = project.layers["buildings"]
        meta = project.meta
        self.name = meta.township_name
        self.region = meta.county_code or meta.township_code[:6]
        self.prefix = region_names(self.region, meta.county_name)
        self.villages = dict(zip(project.layers["villages"]["code"], project.layers["villages"]["name"]))
        self.ids = b["id"].to_numpy(np.int64)
        self.pop = b["population"].to_numpy(np.int64)
        self.hh = b["households"].to_numpy(np.int64)
        self.use = b["use"].to_numpy(str)
        self.village = b["village_code"].to_numpy(str)
        self.address = b["address"].to_numpy(str)
        self.parsed = [parse(a, self.name) for a in self.address]
        places = sorted({a.place for a in self.parsed if a})
        self.renamed = street_renames(places, seed)  # old -> new
        self.old_of = {new: old for old, new in self.renamed.items()}
        self.top: dict[str, tuple[int, str]] = {}  # place -> (highest number, a village it lies in)
        for a, v in zip(self.parsed, self.village):
            if a and a.num > self.top.get(a.place, (0, ""))[0]:
                self.top[a.place] = (a.num, v)


def street_renames(places: list[str], seed: int) -> dict[str, str]:
    """Old street name -> present name for about half the streets among ``places``."""
    return old_street_names(random.Random(seed * 7 + 3), places)


def make_register(project, seed: int = 2020) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The household register of ``project``'s township and its truth.

    Parameters
    ----------
    project : CensusProject
        Its buildings (``id``, ``address``, ``population``, ``households``, ``village_code``) are
        the people's homes; addresses of the demo's forms get the full range of noise, others are written as they are.
    seed : int
        The same seed and project give identical tables.

    Returns
    -------
    tables : dict
        ``"户籍"``, ``"暂住"``, ``"境外"`` -> DataFrame with :data:`COLUMNS`, all text but 序号.
    truth : DataFrame
        ``sheet``, ``row`` (the 序号, from 1), ``building_id`` (nullable int; empty for a demolished
        or outside address), ``reason`` ("", ``demolished``, ``outside``), ``noise`` (kinds, ``;``-joined).
    """
    town = _Township(project, seed)
    rng = random.Random(seed)
    ids = IdNumbers()
    huji, t1 = _huji(town, rng, ids, {})
    temp, t2 = _temporary(town, rng, ids)
    foreign, t3 = _foreign(town, rng)
    return {"户籍": huji, "暂住": temp, "境外": foreign}, pd.concat([t1, t2, t3], ignore_index=True)


def make_register_rows(project, n: int, seed: int = 2020) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 户籍 table of exactly ``n`` rows for benchmarks, and its truth.

    The township's register is drawn again (new people, new noise, distinct 户号 and ID numbers) as many
    times as ``n`` needs; the last household may be cut short.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    town = _Township(project, seed)
    ids = IdNumbers()
    serials: dict[str, int] = {}
    tables, truths, rows = [], [], 0
    for k in range(100):
        table, truth = _huji(town, random.Random(seed * 1000 + k), ids, serials)
        tables.append(table)
        truths.append(truth)
        rows += len(table)
        if rows >= n:
            break
    table = pd.concat(tables, ignore_index=True).iloc[:n]
    truth = pd.concat(truths, ignore_index=True).iloc[:n]
    table["序号"] = truth["row"] = np.arange(1, len(table) + 1)
    return table, truth


def _huji(town: _Township, rng: random.Random, ids: IdNumbers,
          serials: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 户籍 table and its truth; ``serials`` holds each village's last 户号 serial, and is updated."""
    households = _households(town, rng)
    households += _extra(town, rng, len(households))
    by_village: dict[str, list[_Household]] = {}
    for h in households:
        by_village.setdefault(h.village, []).append(h)
    rows: list[list] = []
    truth: list[tuple] = []
    weights = {v: surname_weights(village_surname(name)) for v, name in town.villages.items()}
    for v in sorted(by_village):
        group = by_village[v]
        rng.shuffle(group)
        start = serials.get(v, 0)
        serials[v] = start + len(group)
        if serials[v] > 999_999:
            raise RuntimeError("household numbers exhausted")
        names, w = weights.get(v) or surname_weights()
        for serial, h in enumerate(group, start=start + 1):
            number = f"{v[6:12]}{serial:06d}"
            old = None if h.reason == "outside" else town.old_of.get(h.address.place)
            text, noise = written(rng, h.address, town.prefix, old, h.room,
                                  "township" if h.reason == "outside" and rng.random() < 0.6 else None)
            if h.reason == "outside" and text.startswith(h.address.place):
                text = h.address.township + text
            family = rng.choices(names, w)[0]
            people = household_members(rng, h.size)
            own = rng.choices(names, w)[0]
            lines = {"family": family, "head": family if people[0].line == "family" else own}
            named = [(lines.get(p.line) or rng.choices(names, w)[0]) + given_name(rng, CENSUS_DAY.year - p.age, p.sex)
                     for p in people]
            for p, name in zip(people, named):
                born, idn = ids.issue(rng, town.region, p.age, p.sex)
                rows.append([len(rows) + 1, number, named[0], name, p.relation, p.sex, f"{born:%Y-%m-%d}", idn, text,
                             town.villages.get(v, v)])
                truth.append(("户籍", len(rows), h.building, h.reason, ";".join(noise)))
    return pd.DataFrame(rows, columns=COLUMNS["户籍"]), _truth(truth)


def _households(town: _Township, rng: random.Random) -> list[_Household]:
    out = []
    for i in np.flatnonzero(town.pop > 0):
        a = town.parsed[i] or Address("", town.address[i], 0)
        pop, hh = int(town.pop[i]), max(1, int(town.hh[i]))
        sizes = [1] * hh
        for _ in range(pop - hh):
            sizes[rng.randrange(hh)] += 1
        rooms = _rooms(rng, hh) if a.block else [None] * hh
        out += [_Household(town.village[i], a, s, int(town.ids[i]), room=r) for s, r in zip(sizes, rooms)]
    return out


def _rooms(rng: random.Random, households: int) -> list[tuple[int, int]]:
    """Distinct (unit, room) of the flats of a block: 2 a landing, 6 floors, 18 for large blocks."""
    floors = 6 if households <= 72 else 18
    units = max(1, math.ceil(households / (2 * floors)))
    slots = [(u, f * 100 + d) for u in range(1, units + 1) for f in range(1, floors + 1) for d in (1, 2)]
    return rng.sample(slots, households)


def _extra(town: _Township, rng: random.Random, households: int) -> list[_Household]:
    """Households registered at a demolished address or outside the township."""
    out = []
    places = sorted(town.top)
    committees = sorted(v for v in town.villages if v[9] in "01") or sorted(town.villages)
    for _ in range(round(EXTRA_RATES["demolished"] * households)):
        size = rng.choice([1, 1, 1, 2, 2, 3, 4])
        if rng.random() < 0.3 or not places:
            village = rng.choice(committees)
            a = Address(town.name, rng.choice(_VANISHED), rng.randint(1, 30))
        else:
            place = rng.choice(places)
            top, village = town.top[place]
            a = Address(town.name, place, top + rng.randint(1, 30))
        out.append(_Household(village, a, size, None, "demolished"))
    pool = NamePool(np.random.default_rng(rng.randrange(2**32)))
    here = {town.name} | {a.township for a in town.parsed if a}
    others = [t for t in (pool.township() for _ in range(8)) if t not in here]
    for _ in range(round(EXTRA_RATES["outside"] * households)):
        place = pool.village_stem() + "村" if rng.random() < 0.7 else rng.choice(["人民路", "建设街", "文化路"])
        a = Address(rng.choice(others), place, rng.randint(1, 400))
        out.append(_Household(rng.choice(sorted(town.villages)), a, rng.choice([1, 2, 2, 3, 4]), None, "outside"))
    return out


def _homes(town: _Township, rng: random.Random, n: int, factor: dict[str, float]) -> list[tuple[int, Address]]:
    """Buildings for ``n`` people living apart from the households: town blocks, factory dormitories."""
    weight = [((p > 0) + factor.get(u, 0.0)) * (3.0 if v[9] in "01" else 1.0) if a else 0.0
              for p, u, v, a in zip(town.pop, town.use, town.village, town.parsed)]
    return [(i, a) for i in rng.choices(range(len(weight)), weight, k=n) if (a := town.parsed[i])]


def _temporary(town: _Township, rng: random.Random, ids: IdNumbers) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = round(TEMPORARY_SHARE * int(town.pop.sum()))
    pool = NamePool(np.random.default_rng(rng.randrange(2**32)))
    villages = [f"{pool.township()[:-1]}镇{pool.village_stem()}村" for _ in range(60)]
    names, w = surname_weights()
    rows: list[list] = []
    truth: list[tuple] = []
    for i, a in _homes(town, rng, n, {"factory": 20.0, "commercial": 1.0}):
        room = _rooms(rng, 1)[0] if a.block else None
        text, noise = written(rng, a, town.prefix, town.old_of.get(a.place), room)
        sex = "男" if rng.random() < 0.6 else "女"
        age = rng.randint(17, 58)
        region, origin = rng.choice(_ORIGINS)
        born, idn = ids.issue(rng, region, age, sex)
        home = f"{origin}{rng.choice(villages)}{rng.randint(1, 300)}号"
        since = CENSUS_DAY - timedelta(days=rng.randint(30, 2000))
        rows.append([len(rows) + 1, rng.choices(names, w)[0] + given_name(rng, born.year, sex), sex,
                     f"{born:%Y-%m-%d}", idn, home, text, rng.choice(_REASONS), f"{since:%Y-%m-%d}",
                     town.villages.get(town.village[i], town.village[i])])
        truth.append(("暂住", len(rows), int(town.ids[i]), "", ";".join(noise)))
    return pd.DataFrame(rows, columns=COLUMNS["暂住"]), _truth(truth)


def _foreign(town: _Township, rng: random.Random) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows: list[list] = []
    truth: list[tuple] = []
    for i, a in _homes(town, rng, rng.randint(6, 14), {"factory": 5.0}):
        room = _rooms(rng, 1)[0] if a.block else None
        text, noise = written(rng, a, town.prefix, None, room)
        country = rng.choice(sorted(_FOREIGN))
        letter, surnames, given = _FOREIGN[country]
        sex = rng.choice(["男", "女"])
        born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        rows.append([len(rows) + 1, rng.choice(surnames.split()), rng.choice(given.split()), sex, f"{born:%Y-%m-%d}",
                     country, "普通护照", f"{letter}{rng.randrange(10**8):08d}", text,
                     town.villages.get(town.village[i], town.village[i])])
        truth.append(("境外", len(rows), int(town.ids[i]), "", ";".join(noise)))
    return pd.DataFrame(rows, columns=COLUMNS["境外"]), _truth(truth)


def _truth(records: list[tuple]) -> pd.DataFrame:
    t = pd.DataFrame(records, columns=TRUTH_COLUMNS)
    t["building_id"] = t["building_id"].astype("Int64")
    return t


def write_register(project, folder: Path, seed: int = 2020) -> dict[str, Path]:
    """Write ``project``'s register to ``folder``; return the paths by role.

    ``register_户籍.xlsx``, ``register_暂住.xlsx``, ``register_境外.xlsx`` (one workbook per table, as the
    police station exports each from its own system), ``register_户籍.csv`` in GBK (as offices pass it
    on), ``street_renames.csv`` (旧名, 现名: what the civil-affairs office knows) and, apart,
    ``register_truth.csv``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, truth = make_register(project, seed)
    paths = {kind: folder / f"register_{kind}.xlsx" for kind in KINDS}
    for kind, table in tables.items():
        _xlsx(table, kind, paths[kind])
    paths["csv"] = folder / "register_户籍.csv"
    tables["户籍"].to_csv(paths["csv"], index=False, encoding="gbk")
    paths["renames"] = folder / "street_renames.csv"
    town = _Township(project, seed)
    with open(paths["renames"], "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["旧名", "现名"], *sorted(town.renamed.items())])
    paths["truth"] = folder / "register_truth.csv"
    truth.to_csv(paths["truth"], index=False, encoding="utf-8")
    return paths


def _xlsx(table: pd.DataFrame, sheet: str, path: Path) -> None:
    widths = [6] + [max(8, min(40, int(table[c].astype(str).str.len().max() * 2))) for c in table.columns[1:]]
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        ws = book.add_worksheet(sheet)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        ws.write_row(0, 0, table.columns.tolist(), book.add_format({"bold": True}))
        for r, row in enumerate(table.itertuples(index=False), start=1):
            ws.write_number(r, 0, row[0])
            for c, value in enumerate(row[1:], start=1):
                ws.write_string(r, c, str(value))
