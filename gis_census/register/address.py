"""Chinese addresses to a canonical key "street|door|building", so that a register's way of writing an address
and the buildings layer's meet.

>>> normalise("山东省滕州市白坡镇和平路十二号之一3单元301室", Prefixes(admin=("滕州市", "白坡镇")))
'和平路|12-1|'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import cn2an
import numpy as np
import pandas as pd

__all__ = ["Prefixes", "normalise", "normalise_many", "parse", "placed", "short_name", "split_key", "stairwell_numbers",
           "village_forms"]

SEP = "|"

#: Suffixes a village's name is written with, longest first: "小尹村村委会", "北关社区居委会", ...
_VILLAGE_SUFFIXES = ("社区居民委员会", "村民委员会", "居民委员会", "社区居委会", "村村委会", "村委会", "居委会", "社区", "村")
_NUMERALS = "零〇一二三四五六七八九十百千两"
# A run of Chinese numerals is a number only where an address number stands: before a marker (十二号, 三单元,
# 五栋), after 之/附/第 or a digit's dash, or at the very end. 三里屯, 十字街, 七星路 are names and stay.
_MARKERS = "号|栋|幢|座|楼|单元|室|户|层|组|之|附|-"
_CN_NUMBER = re.compile(rf"(?<=[之附第-])[{_NUMERALS}]+|[{_NUMERALS}]+(?=(?:{_MARKERS})|$)")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_DASHES = re.compile(r"[‐‑‒–—―~～_]+")
_DROP = re.compile(r"[\s|,.;:'\"`、，。；：“”‘’!?！？/\\·•*]+")
_PROVINCE = re.compile(r"^\D{2,7}?(?:省|自治区|特别行政区)")
# A stairwell (单元), its number captured: 3单元, 第3单元, and 7-2-301 (building 7, stairwell 2, room 301).
_STAIRWELL = re.compile(r"第?(\d+)单元|(?<=\d)-(\d+)-\d+$")
# Below the building: a stairwell, floor, room or household.
_BELOW = re.compile(rf"(?:{_STAIRWELL.pattern}|\d+层|\d+楼(?=\d)|[A-Z]?\d+(?:室|户)).*$")
_BELOW_BUILDING = re.compile(r"^[\d\-之附号室院]*$")
# 栋, 幢, 座, 号楼 and 楼 after a number all name a building.
_BUILDING = re.compile(r"(?<=[0-9A-Z])(?:号楼|幢|座|楼)")
_SHAPE = re.compile(
    r"^(?P<street>.*?)(?P<pre>附)?(?P<door>\d+)号?(?:[之附-](?P<sub>\d+)号?)?院?"
    r"(?:(?P<bld>\d+|[A-Z])(?:栋|号)?)?(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Prefixes:
    """What the project knows precedes an address: county and township names (cut with everything before them),
    village names in the forms they are written, each with its village code, and each village's short name
    (小尹村, 北关社区), which stands as the street of an address that has none (小尹村557号 -> "小尹村|557|")."""

    admin: tuple[str, ...] = ()
    villages: tuple[tuple[str, str], ...] = ()  # (form, village code), longest form first
    short: tuple[tuple[str, str], ...] = ()  # (village code, short name)

    @classmethod
    def of(cls, project) -> Prefixes:
        """The project's county and township names and its villages' names."""
        meta = project.meta
        admin = [n for n in (meta.county_name, meta.township_name) if n]
        villages = project["villages"]
        pairs = list(zip(villages["code"].astype(str), villages["name"].astype(str)))
        # a form two villages share (北关村 of 北关社区 and of 北关村) names only the village it is the name of
        own = {n: code for code, name in pairs for n in (_clean(name), short_name(name))}
        written: dict[str, set[str]] = {}
        for code, name in pairs:
            for form in village_forms(name):
                written.setdefault(form, set()).add(code)
        found = {form: own.get(form) or next(iter(codes)) for form, codes in written.items() if len(codes) == 1 or form in own}
        forms = sorted(found.items(), key=lambda f: -len(f[0]))
        return cls(tuple(admin), tuple(forms), tuple((code, short_name(name)) for code, name in pairs))

    @cached_property
    def street_of(self) -> dict[str, str]:
        """Village code -> the village's short name."""
        return dict(self.short)

    def village_of(self, name: str) -> str:
        """The code of the village called `name` in any of its forms ("小尹村", "小尹村村委会"), else ""."""
        text = _clean(str(name or ""))
        for form, code in self.villages:
            if text == form or text == code:
                return code
        return ""


def village_forms(name: str) -> list[str]:
    """A village's name as addresses write it: "小尹村村委会" -> 小尹村村委会, 小尹村村民委员会, 小尹村委会, 小尹村, ..."""
    name = _clean(name)
    core = name
    for suffix in _VILLAGE_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core = core[: -len(suffix)]
            break
    if core.endswith("村") and len(core) > 2:
        core = core[:-1]
    kind = next((k for k in ("村", "社区") if short_name(name).endswith(k)), "")
    return [name] + [core + middle + s for middle in {"", kind} for s in _VILLAGE_SUFFIXES]


def short_name(name: str) -> str:
    """A village's name without its committee: "小尹村村委会" -> 小尹村, "北关社区居委会" -> 北关社区."""
    name = _clean(name)
    for suffix, kept in (("社区居民委员会", "社区"), ("社区居委会", "社区"), ("村村委会", "村"), ("村民委员会", "村"),
                         ("村委会", "村"), ("居民委员会", ""), ("居委会", "")):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + kept
    return name


def _clean(text: str) -> str:
    """Half-width, upper case, no spaces, punctuation or bracketed notes; dashes as "-", "#" as 号."""
    text = unicodedata.normalize("NFKC", text).upper()
    text = _BRACKETS.sub("", text)
    text = _DASHES.sub("-", text).replace("#", "号").replace("號", "号").replace("棟", "栋").replace("單", "单")
    return _DROP.sub("", text)


def _arabic(match: re.Match) -> str:
    try:
        number = str(cn2an.cn2an(match.group(0), "smart"))
    except (ValueError, KeyError, IndexError):  # 百十, 〇十〇 and the like (cn2an raises all three): not a number
        return match.group(0)
    # 之一3单元: a digit right after would run into the number, so the number is closed with 号
    end = match.end()
    return number + "号" if end < len(match.string) and match.string[end].isdigit() else number


def _strip_prefix(text: str, prefixes: Prefixes) -> tuple[str, str]:
    """The address without its admin and village prefix, and the village code that prefix named ("" if none)."""
    cut = 0
    for name in prefixes.admin:
        at = text.rfind(name)
        if at >= 0:
            cut = max(cut, at + len(name))
    text = text[cut:] if cut else _PROVINCE.sub("", text)
    for form, code in prefixes.villages:
        if text.startswith(form):
            return text[len(form):], code
    return text, ""


def _parse(address: str, prefixes: Prefixes) -> tuple[str, str]:
    text, village = _strip_prefix(_clean(address), prefixes)
    text = _CN_NUMBER.sub(_arabic, text)
    text = re.sub(r"第?\d+组", "", text)  # 村民小组: the house number is unique in the village without it
    text = _BUILDING.sub("栋", _BELOW.sub("", text)).replace("院内", "院")
    shape = _SHAPE.match(text)
    if shape is None or shape["door"] is None:
        return village, SEP.join((text, "", ""))
    door = ("附" if shape["pre"] else "") + shape["door"] + (f"-{shape['sub']}" if shape["sub"] else "")
    building = shape["bld"] or ""
    # After the building, numbers (2-301: stairwell and room; 73-1号: a household's annex) are below it;
    # text that names a place is kept, as it tells buildings apart.
    if not _BELOW_BUILDING.match(shape["rest"]):
        building += shape["rest"]
    return village, SEP.join((shape["street"] or prefixes.street_of.get(village, ""), door, building))


def parse(address: str, prefixes: Prefixes = Prefixes()) -> tuple[str, str]:
    """The village code named by the address's prefix ("" if none) and its canonical key."""
    return _parse(str(address or ""), prefixes)


def normalise(address: str, known_prefixes: Prefixes | Iterable[str] = Prefixes()) -> str:
    """The canonical key "street|door|building" of a Chinese address.

    The county, township and village names the project knows are cut (with everything before them); full-width
    characters become half-width; Chinese numerals that stand as numbers become digits; 之/附/- numbers join the
    door number ("12-1"); 栋/幢/座/号楼 and a compound's 院N号 give the building; 单元, floor, 室 and 户 are dropped
    (they are below a building); spaces and punctuation go. `known_prefixes` may be plain names.
    """
    if not isinstance(known_prefixes, Prefixes):
        known_prefixes = Prefixes(tuple(sorted(known_prefixes, key=len, reverse=True)))
    return parse(address, known_prefixes)[1]


def normalise_many(addresses: Sequence[str] | np.ndarray | pd.Series, prefixes: Prefixes) -> tuple[np.ndarray, np.ndarray]:
    """Keys and prefix village codes of many addresses (object arrays), each distinct address parsed once."""
    values = pd.Series(addresses, dtype=object).fillna("").astype(str)
    codes, uniques = pd.factorize(values)
    parsed = [_parse(a, prefixes) for a in uniques]
    villages = np.array([p[0] for p in parsed] + [""], dtype=object)
    keys = np.array([p[1] for p in parsed] + ["||"], dtype=object)
    return keys[codes], villages[codes]


def stairwell_numbers(addresses: Sequence[str] | np.ndarray | pd.Series) -> np.ndarray:
    """The stairwell (单元) each address names, 0 where none: "7栋三单元501室" and "7-3-501" name 3."""
    values = pd.Series(addresses, dtype=object).fillna("").astype(str)
    codes, uniques = pd.factorize(values)
    found = [_STAIRWELL.search(_CN_NUMBER.sub(_arabic, _clean(a))) for a in uniques]
    numbers = np.array([int(m[1] or m[2]) if m else 0 for m in found] + [0], dtype=np.int64)
    return numbers[codes]


def placed(keys: np.ndarray, villages: np.ndarray, prefixes: Prefixes) -> np.ndarray:
    """`keys` with the short name of their village as the street where they have none ("|557|" -> "小尹村|557|")."""
    streets = pd.Series(villages, dtype=object).map(prefixes.street_of).fillna("").to_numpy(object)
    bare = pd.Series(keys, dtype=object).str.startswith(SEP).to_numpy(bool) & (streets != "")
    return np.where(bare, streets + keys, keys)


def split_key(key: str) -> tuple[str, str, str]:
    """(street, door, building) of a key."""
    street, door, building = key.split(SEP)
    return street, door, building
