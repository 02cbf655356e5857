"""Fictional people for the demo register: names by surname frequency, household make-up, ID numbers.

Nothing here describes a real person: names are random draws from common characters, and the
ID numbers, though well-formed, take their sequence code from the top of the range down (999, 998, …).
"""

from __future__ import annotations

import operator
import random
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["CENSUS_DAY", "Person", "IdNumbers", "check_digit", "household_members", "given_name",
           "surname_weights", "village_surname"]

#: Standard time of the 7th census; ages and birth dates count back from it.
CENSUS_DAY = date(2020, 11, 1)

# Common surnames with their approximate share (‱) of the population, most frequent first.
_SURNAME_FREQ = (
    "王712 李700 张662 刘543 陈455 杨308 黄223 赵219 吴205 周190 徐151 孙152 马142 朱129 胡117 郭114 何109 "
    "高106 林105 罗86 郑81 梁80 谢65 宋61 唐60 许59 韩58 冯56 邓55 曹54 彭53 曾51 肖50 田49 董48 袁47 潘46 "
    "于45 蒋44 蔡43 余42 杜41 叶40 程39 苏38 魏37 吕36 丁35 任34 沈33 姚32 卢31 姜30 崔29 钟28 谭27 陆26 "
    "汪25 范24 金23 石22 廖21 贾21 夏20 韦20 付19 方19 白18 邹18 孟17 熊17 秦16 邱16 江15 尹15 薛14 闫14 "
    "段13 雷13 侯12 龙12 史11 陶11 黎10 贺10 顾10 毛9 郝9 龚9 邵8 万8 钱8 严7 武7 戴7 孔6 乔5 常5 康5 殷4 "
    "颜4 牛4 房3 褚2 甘2"
)
SURNAMES, _WEIGHTS = zip(*((s[0], int(s[1:])) for s in _SURNAME_FREQ.split()))

# Characters of given names by the era of birth, as naming fashions changed.
_GIVEN = {
    ("old", "男"): "德福贵国庆振华长海清明永顺春树林广建忠文学士发兴全宝成山金祥",
    ("old", "女"): "秀英桂兰玉珍凤芝淑荣翠花梅芳香琴云霞素秋彩爱月",
    ("mid", "男"): "伟强军磊勇杰涛明超刚平辉鹏华飞斌峰亮波东志永海庆建卫国新立勤",
    ("mid", "女"): "芳娜敏静丽艳娟霞燕玲红梅萍莉琴慧洁雪英华春凤晓丹",
    ("new", "男"): "浩宇轩子豪博然泽辰睿铭俊熙航晨阳鑫嘉逸恒瑞宸一凯旭哲",
    ("new", "女"): "欣怡涵梓萱雨桐思佳诗琪悦可馨妍婉菲雅晨语然一琳颖",
}
_SINGLE = {"old": 0.3, "mid": 0.4, "new": 0.15}  # share of one-character given names
_NOT_ALONE = set("子一然语可晨诗思梓雨")  # characters that only make a name with another


def surname_weights(favoured: str | None = None) -> tuple[list[str], list[float]]:
    """Surnames and draw weights; ``favoured`` (a village's own surname) takes 30 % of all draws."""
    total = float(sum(_WEIGHTS))
    weights = [w / total for w in _WEIGHTS]
    if favoured in SURNAMES:
        weights = [w * 0.7 for w in weights]
        weights[SURNAMES.index(favoured)] += 0.3
    return list(SURNAMES), weights


def village_surname(name: str) -> str | None:
    """The surname a village is named after (李家洼 -> 李, 小尹村 -> 尹), if any."""
    return next((c for c in name[:2] if c in SURNAMES), None)


def given_name(rng: random.Random, born: int, sex: str) -> str:
    """A one- or two-character given name in the fashion of the birth year."""
    era = "old" if born < 1960 else "mid" if born < 1990 else "new"
    chars = _GIVEN[(era, sex)]
    if rng.random() < _SINGLE[era]:
        return rng.choice([c for c in chars if c not in _NOT_ALONE])
    a, b = rng.sample(chars, 2)
    return a + b


@dataclass
class Person:
    """One member of a household before names and IDs are filled in."""

    relation: str  # 与户主关系
    sex: str  # 男 / 女
    age: int  # whole years on CENSUS_DAY
    line: str  # whose surname: "family" (the children's father's), "head" (the head's own), "own"


def household_members(rng: random.Random, size: int) -> list[Person]:
    """A plausible make-up of a household of ``size`` people, head (户主) first."""
    if size == 1:
        age = rng.randint(60, 90) if rng.random() < 0.5 else rng.randint(22, 59)
        return [Person("户主", "男" if rng.random() < 0.55 else "女", age, "family")]
    head_male = rng.random() < 0.85
    head = Person("户主", "男" if head_male else "女", rng.randint(26, 80), "family" if head_male else "head")
    people = [head]
    if size == 2 and rng.random() < 0.15:  # a single parent and a child
        people.append(_child(rng, head.age))
    else:
        people.append(Person("配偶", "女" if head_male else "男", max(20, head.age + rng.randint(-5, 2)),
                             "own" if head_male else "family"))
    left = size - len(people)
    if head.age >= 58 and left >= 3 and rng.random() < 0.7:  # three generations: son, his wife, grandchildren
        son = Person("子", "男", max(22, head.age - rng.randint(24, 32)), "family")
        people += [son, Person("儿媳", "女", max(20, son.age + rng.randint(-4, 2)), "own")]
        people += [_child(rng, son.age, grand=True) for _ in range(left - 2)]
    else:
        kids = min(left, 3)
        people += [_child(rng, head.age) for _ in range(kids)]
        for i in range(left - kids):
            people.append(_elder(rng, head, i))
    _order_children(people)
    return people


def _child(rng: random.Random, parent_age: int, grand: bool = False) -> Person:
    age = parent_age - rng.randint(22, 36)
    if age < 0:
        age = rng.randint(0, max(0, parent_age - 20))
    male = rng.random() < 0.515
    relation = ("孙子" if male else "孙女") if grand else ("子" if male else "女")
    return Person(relation, "男" if male else "女", age, "family")


def _elder(rng: random.Random, head: Person, i: int) -> Person:
    """The head's father, mother, or else a brother or sister."""
    if i < 2 and head.age + 22 <= 92:
        age = min(99, head.age + rng.randint(22, 34))
        return Person("父亲", "男", age, "head") if i == 0 else Person("母亲", "女", age, "own")
    younger = rng.random() < 0.5
    male = rng.random() < 0.5
    relation = ("弟" if younger else "兄") if male else ("妹" if younger else "姐")
    return Person(relation, "男" if male else "女", max(0, head.age + rng.randint(-8, -1) if younger
                                                        else head.age + rng.randint(1, 8)), "head")


def _order_children(people: list[Person]) -> None:
    """Several sons become 长子, 次子, 三子 by age (daughters likewise)."""
    for tag in ("子", "女"):
        kids = sorted((p for p in people if p.relation == tag), key=lambda p: -p.age)
        if len(kids) > 1:
            for p, rank in zip(kids, "长次三四"):
                p.relation = rank + tag


_WEIGHTS_ID = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-digit citizen ID number."""
    return "10X98765432"[sum(map(operator.mul, map(int, first17), _WEIGHTS_ID)) % 11]


class IdNumbers:
    """Unique, well-formed, fictional 18-digit ID numbers.

    Sequence codes run down from 999 for each region, birth date and sex (odd for men, even for
    women), so numbers never repeat within one generator.
    """

    def __init__(self) -> None:
        self._taken: dict[tuple[str, date, str], int] = {}

    def issue(self, rng: random.Random, region: str, age: int, sex: str) -> tuple[date, str]:
        """A birth date for ``age`` on the census day and an ID number carrying it."""
        born = CENSUS_DAY - timedelta(days=365 * age + rng.randint(0, 364) + age // 4)
        key = (region, born, sex)
        k = self._taken.get(key, 0)
        self._taken[key] = k + 1
        seq = 999 - 2 * k - (0 if sex == "男" else 1)
        if seq < 0:
            raise RuntimeError("ID sequence exhausted")
        first17 = f"{region}{born:%Y%m%d}{seq:03d}"
        return born, first17 + check_digit(first17)
