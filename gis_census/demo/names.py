"""Plausible fictional Chinese place names for the demo data.

All choices are drawn from a :class:`numpy.random.Generator`, so the same seed
gives the same names; a :class:`NamePool` never hands out a name twice.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NamePool", "SURNAMES", "STREETS", "RIVERS"]

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙"
    "万段钱汤尹黎常武乔贺文殷颜褚甘牛房"
)
# Place-name endings after a surname: 王庄, 张庙, 李集 ...
_SUFFIX = list("庄楼庙集店营屯寨村桥湖岭圩口坡河沟峪湾埠堂洼园坊")
# Endings after surname + 家: 李家洼, 刘家庄 ...
_JIA_SUFFIX = ["家洼", "家庄", "家村", "家楼", "家庙", "家河", "家湾", "家岭", "家屯", "家桥", "家寨"]
_PREFIX = list("东西南北前后大小上下新")
_STANDALONE = [
    "后楼", "前楼", "东沙河", "西沙河", "柳沟", "黄土坡", "石门", "双庙", "三里庄", "五里屯",
    "七里店", "十里铺", "杏花庄", "桑园", "梨园", "枣林", "官庄", "岔河", "高庙", "马场",
    "龙泉", "河口", "北坦", "南坦", "中心店", "朱洼", "孤山", "柏山", "芦沟", "杨树行",
]
_RC_DIRECTION = {0: "东关", 1: "北关", 2: "西关", 3: "南关"}
_RC_STEMS = [
    "府前", "文昌", "新华", "建设", "振兴", "和平", "光明", "育才", "幸福", "中心街", "胜利",
    "团结", "迎宾", "滨河", "康宁", "龙泉", "善国", "荆河", "学院", "北辛", "杏坛", "东城",
    "西城", "南城", "北城", "花园", "平安", "阳光", "锦绣", "长安",
]
STREETS = [
    "人民路", "建设街", "文化路", "中山路", "解放路", "新华街", "和平路", "胜利街", "光明路",
    "幸福街", "团结路", "振兴路", "青年路", "工业路", "商业街", "学府路", "府前街", "长安路",
    "兴业路", "育才街", "健康路", "开元路", "向阳街", "红旗路", "东风路", "民主街", "友谊路",
    "建华街", "富民路", "迎宾路",
]
RIVERS = ["荆河", "城漷河", "北沙河", "薛河", "小清河", "白马河", "柳泉河", "郭河", "界河", "十字河"]
_CANALS = ["幸福渠", "胜利渠", "东干渠", "西干渠", "引水渠", "跃进渠", "红卫渠", "南干渠"]
_PONDS = ["莲花塘", "东大湾", "西大湾", "苇子湾", "南大坑", "北大湾", "荷花池", "鸭子湾", "老龙潭", "月牙塘"]
_TEMPLES = ["关帝庙", "土地庙", "娘娘庙", "玉皇庙", "龙王庙", "三官庙", "观音堂", "泰山行宫"]
_TOWN_A = list("青白金龙凤柳桃杏石清双马黄红安平永丰富兴东西南北大小古新长太")
_TOWN_B = list("石山河湖泉桥集庄坡岭店营城峪沟湾口亭阳")
_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """Chinese numeral for 1..99 (``12`` -> ``"十二"``)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


class NamePool:
    """Deterministic source of unique names.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source; every choice is drawn from it.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._used: set[str] = set()  # membership only, never iterated

    def _pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def _unique(self, make, fallback, tries: int = 40) -> str:
        for _ in range(tries):
            name = make()
            if name not in self._used:
                self._used.add(name)
                return name
        for i in range(2, 10_000):
            name = fallback(i)
            if name not in self._used:
                self._used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def township(self, sub_district: bool = False) -> str:
        """Township name such as ``"青石镇"`` (or ``"青石街道"``)."""
        tail = "街道" if sub_district else "镇"
        stem = self._unique(lambda: self._pick(_TOWN_A) + self._pick(_TOWN_B),
                            lambda i: self._pick(_TOWN_A) + self._pick(_TOWN_B) + numeral(i % 99 + 1))
        return stem + tail

    def village_stem(self) -> str:
        """Village place name such as ``"王庄"``, ``"李家洼"``, ``"后楼"``."""

        def make() -> str:
            r = self.rng.random()
            s = self._pick(SURNAMES)
            if r < 0.5:
                return s + self._pick(_SUFFIX)
            if r < 0.7:
                return s + self._pick(_JIA_SUFFIX)
            if r < 0.9:
                return self._pick(_PREFIX) + s + self._pick(["庄", "楼", "村", "营", "屯", "洼"])
            return self._pick(_STANDALONE)

        return self._unique(make, lambda i: self._pick(SURNAMES) + "庄" + numeral(i % 99 + 1))

    def residents_stem(self, direction: int | None = None) -> str:
        """Residents' committee stem such as ``"东关"`` (direction 0=E, 1=N, 2=W, 3=S)."""
        if direction is not None and _RC_DIRECTION[direction] not in self._used:
            self._used.add(_RC_DIRECTION[direction])
            return _RC_DIRECTION[direction]
        return self._unique(lambda: self._pick(_RC_STEMS), lambda i: self._pick(_RC_STEMS) + numeral(i % 99 + 1))

    def streets(self, n: int) -> list[str]:
        """``n`` distinct street names (``"人民路"``, ``"建设街"`` ...), unique within one town only."""
        pool = STREETS + [stem + tail for tail in ("路", "街", "大道") for stem in _RC_STEMS
                          if stem + tail not in STREETS and not stem.endswith("街")]
        order = self.rng.permutation(len(pool))
        out = [pool[i] for i in order[:n]]
        out += [f"{numeral(i + 1)}号路" for i in range(n - len(out))]
        return out

    def river(self) -> str:
        """River name such as ``"荆河"``."""
        return self._unique(lambda: self._pick(RIVERS), lambda i: self._pick(_TOWN_A) + "河")

    def canal(self) -> str:
        """Canal name such as ``"幸福渠"``."""
        return self._unique(lambda: self._pick(_CANALS), lambda i: self._pick(_TOWN_A) + "渠")

    def pond(self) -> str:
        """Pond name such as ``"莲花塘"``."""
        return self._unique(lambda: self._pick(_PONDS), lambda i: self._pick(_PONDS) + numeral(i % 99 + 1))

    def temple(self) -> str:
        """Temple name such as ``"关帝庙"`` (prefixed if already used)."""
        return self._unique(lambda: self._pick(_TEMPLES), lambda i: self._pick(_PREFIX) + self._pick(_TEMPLES))

    def unique(self, name: str) -> str:
        """``name`` itself, or ``name`` with a numeral inserted before its last character."""
        return self._unique(lambda: name, tries=1, fallback=lambda i: name[:-1] + numeral(min(i, 99)) + name[-1])
