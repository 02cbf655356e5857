"""Write a building's address the way household registers write it, noise included.

Every variant is drawn at a stated rate (:data:`NOISE_RATES`, per household) and recorded by
kind, so that a matcher can be measured against the truth kind by kind.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

__all__ = ["NOISE_RATES", "PREFIX_LEVELS", "Address", "parse", "cn_number", "written", "old_street_names",
           "region_names"]

#: Share of households whose address shows each kind of noise (old_street: of those on a renamed street;
#: unit_room and dong_variant: of those in blocks of flats; no_number: of those in a village, whose register
#: often names the village alone; wrong_number: a clerk's slip to a neighbouring or transposed number, which
#: may be another building's, so no matcher can place these rows right).
NOISE_RATES = {
    "old_street": 0.25,
    "missing_hao": 0.06,
    "cn_numeral": 0.05,
    "fullwidth": 0.04,
    "annex": 0.03,
    "typo": 0.02,
    "spaces": 0.03,
    "unit_room": 0.9,
    "dong_variant": 0.25,
    "no_number": 0.03,
    "wrong_number": 0.004,
}
#: How much of "province city county township" leads the address, with its share of households.
PREFIX_LEVELS = {"none": 0.2, "township": 0.5, "county": 0.18, "full": 0.12}

_PROVINCES = {"11": "北京市", "32": "江苏省", "34": "安徽省", "37": "山东省", "41": "河南省"}
_CITIES = {"3704": "枣庄市", "3708": "济宁市", "3713": "临沂市"}
_OLD_STREETS = ["红旗路", "东风路", "卫东街", "跃进路", "工农路", "向阳路", "前进街", "红卫路", "反修路",
                "解放街", "大众路", "新风街", "战备路", "东方红路", "老街", "正街", "后街", "前街"]
# Characters often written for one another (same sound or similar shape) in place names.
_TYPO: dict[str, str] = {pair[0]: pair[1] for pair in (
    "王汪 李里 张章 刘留 陈程 杨扬 赵照 黄皇 周州 吴无 徐许 孙荪 胡湖 朱珠 高糕 林琳 何河 郭国 马玛 罗萝 梁良 宋送 "
    "郑正 谢泄 韩寒 唐塘 冯逢 于余 董懂 曹草 袁元 邓登 彭朋 吕侣 苏酥 卢炉 蒋奖 蔡菜 贾假 丁钉 魏未 薛雪 叶页 夏下 "
    "孔空 乔桥 尹引 洼挖 庄装 楼娄 屯囤 家佳 村材 河合 桥乔 集级 店殿 营莹 寨砦 湖胡 岭领 坡破 沟钩 峪玉 湾弯 埠步 "
    "堂唐 园圆 坊方 庙妙 路露 街阶 道到 和合 平评 坛谭 民明 府付 前钱 荆京 善膳 国果 辛新 长常 安按 元园 学雪 华化 "
    "振震 兴星 健建 康糠 城成 关官 西希 南男 东冬 小晓 大达 后候 中忠 心新 杏幸 主住 泉全 城诚"
).split()}
_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_DIGITS = "零一二三四五六七八九"


@dataclass
class Address:
    """An address taken apart: ``{township}{place}{num}号[院{house}号|{block}栋]``; ``num`` 0: ``place`` is an
    address of another form, written as it is."""

    township: str
    place: str
    num: int
    house: int | None = None
    block: int | None = None

    def core(self) -> str:
        tail = f"院{self.house}号" if self.house else f"{self.block}栋" if self.block else ""
        return f"{self.place}{self.num}号{tail}"


_PATTERN = re.compile(r"^(?P<place>\D+?)(?P<num>\d+)号(?:院(?P<house>\d+)号|(?P<block>\d+)栋)?$")


def parse(address: str, township: str) -> Address | None:
    """``address`` taken apart, or None when it is not of the demo's forms."""
    if township and address.startswith(township):
        twp, rest = township, address[len(township):]
    else:
        m = re.match(r"^(.+?(?:镇|街道|乡))(.+)$", address)
        if not m:
            return None
        twp, rest = m.groups()
    m = _PATTERN.match(rest)
    if not m:
        return None
    house, block = m["house"], m["block"]
    return Address(twp, m["place"], int(m["num"]), int(house) if house else None, int(block) if block else None)


def cn_number(n: int) -> str:
    """Chinese numeral for 0..9999 as people write it (``103`` -> ``"一百零三"``, ``12`` -> ``"十二"``)."""
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and d == 1 and not out) else _DIGITS[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def old_street_names(rng: random.Random, places: list[str]) -> dict[str, str]:
    """Old name -> present name for about half the streets among ``places`` (never a present name)."""
    streets = [p for p in places if p.endswith(("路", "街", "大道"))]
    free = [n for n in _OLD_STREETS if n not in set(places)]
    rng.shuffle(free)
    renamed = [s for s in streets if rng.random() < 0.5]
    return {old: new for old, new in zip(free, renamed)}


def written(rng: random.Random, a: Address, prefix: dict[str, str], old_name: str | None,
            room: tuple[int, int] | None, forced_level: str | None = None) -> tuple[str, list[str]]:
    """How one household's register writes address ``a``, and the kinds of noise in it.

    ``prefix`` holds ``province``, ``city`` and ``county`` names; ``old_name`` is the street's old name
    if it was renamed; ``room`` is ``(unit, room number)`` for a flat in a block.
    """
    if not a.num:
        return a.place, []
    kinds: list[str] = []
    rate = NOISE_RATES
    place = a.place
    if old_name and rng.random() < rate["old_street"]:
        place, kinds = old_name, ["old_street"]
    if rng.random() < rate["typo"]:
        spots = [i for i, c in enumerate(place) if c in _TYPO]
        if spots:
            i = rng.choice(spots)
            place = place[:i] + _TYPO[place[i]] + place[i + 1:]
            kinds.append("typo")
    num, house = a.num, a.house
    if not a.block and rng.random() < rate["wrong_number"]:
        if house:
            house = _slip(rng, house)
        else:
            num = _slip(rng, num)
        kinds.append("wrong_number")
    core, suffix = Address(a.township, place, num, house, a.block).core(), ""
    if a.block:
        if rng.random() < rate["dong_variant"]:
            core = core[:-1] + rng.choice(["幢", "座", "号楼", "#楼"])
            kinds.append("dong_variant")
        if room and rng.random() < rate["unit_room"]:
            suffix = rng.choice(["{u}单元{r}室"] * 5 + ["{u}-{r}", "{u}单元{r}"])
            kinds.append("unit_room")
    elif a.place.endswith("村") and rng.random() < rate["no_number"]:
        core = place
        kinds.append("no_number")
    else:
        r = rng.random()
        if r < rate["annex"]:
            k = rng.randint(1, 3)
            core = core[:-1] + rng.choice([f"-{k}号", f"号之{k}", f"之{k}号", f"号附{k}号", f"号附{k}"])
            kinds.append("annex")
        elif r < rate["annex"] + rate["missing_hao"]:
            core = core[:-1]
            kinds.append("missing_hao")
    unit, number = (str(n) for n in room or (0, 0))
    r = rng.random() if re.search(r"\d", core) else 1.0
    if r < rate["cn_numeral"]:  # a room is read digit by digit: 三零一
        core = re.sub(r"\d+", lambda m: cn_number(int(m[0])), core)
        unit, number = cn_number(int(unit)), "".join(_DIGITS[int(d)] for d in number)
        kinds.append("cn_numeral")
    elif r < rate["cn_numeral"] + rate["fullwidth"]:
        core, unit, number = (x.translate(_FULLWIDTH) for x in (core, unit, number))
        kinds.append("fullwidth")
    core += suffix.format(u=unit, r=number)
    level = forced_level or _level(rng)
    head = {"none": "", "township": a.township, "county": prefix["county"] + a.township,
            "full": prefix["province"] + prefix["city"] + prefix["county"] + a.township}[level]
    if rng.random() < rate["spaces"]:
        head, core = (head + " ", core) if head else ("", place + " " + core[len(place):])
        kinds.append("spaces")
    return head + core, kinds


def _slip(rng: random.Random, n: int) -> int:
    """``n`` miswritten: its last two digits swapped, or one more or less."""
    text = str(n)
    if len(text) > 1 and text[-1] != text[-2] and text[-1] != "0" and rng.random() < 0.5:
        return int(text[:-2] + text[-1] + text[-2])
    return n + 1 if n == 1 or rng.random() < 0.5 else n - 1


def _level(rng: random.Random) -> str:
    r = rng.random()
    for level, share in PREFIX_LEVELS.items():
        if r < share:
            return level
        r -= share
    return "full"


def region_names(code: str, county_name: str) -> dict[str, str]:
    """Province, city and county names for a 6-digit county code (empty where not known)."""
    return {"province": _PROVINCES.get(code[:2], ""), "city": _CITIES.get(code[:4], ""), "county": county_name}
