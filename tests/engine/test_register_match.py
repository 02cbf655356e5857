"""Register addresses: normalised to one key however a register writes them, then matched to the sample
township's buildings (exactly, by a similar street name, ambiguous, unmatched, remembered)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_census.demo.register import write_register
from gis_census.project import CensusProject
from gis_census.register import Prefixes, match_addresses, normalise
from gis_census.register.address import normalise_many, parse

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
XIAOYIN, BEIGUAN = "370481102201", "370481102002"


@pytest.fixture(scope="module")
def township():
    return CensusProject.open(SAMPLE)


@pytest.fixture(scope="module")
def prefixes(township):
    return Prefixes.of(township)


# address as a register writes it -> key "street|door|building", village code its prefix names
VARIANTS = [
    # prefixes the project knows are cut, with whatever precedes them
    ("白坡镇和平路12号", "和平路|12|", ""),
    ("山东省滕州市白坡镇和平路12号", "和平路|12|", ""),
    ("山东省枣庄市滕州市白坡镇和平路12号", "和平路|12|", ""),
    ("滕州市白坡镇和平路12号", "和平路|12|", ""),
    ("山东省和平路12号", "和平路|12|", ""),
    ("和平路12号", "和平路|12|", ""),
    # full-width, spaces, punctuation, 號 and #
    ("和平路１２号", "和平路|12|", ""),
    ("和平路 12 号", "和平路|12|", ""),
    ("白坡镇，和平路12號", "和平路|12|", ""),
    ("和平路12#", "和平路|12|", ""),
    ("和平路12", "和平路|12|", ""),  # 号 left out
    ("和平路12号（原解放路3号）", "和平路|12|", ""),  # a bracketed note
    # Chinese numerals that stand as numbers; names with numerals stay names
    ("和平路十二号", "和平路|12|", ""),
    ("和平路一百零三号", "和平路|103|", ""),
    ("和平路二十号", "和平路|20|", ""),
    ("和平路一〇三号", "和平路|103|", ""),
    ("三里屯十二号", "三里屯|12|", ""),
    ("十字街5号", "十字街|5|", ""),
    ("七星路三号", "七星路|3|", ""),
    ("五里屯村二组8号", "五里屯村|8|", ""),
    # 之 / 附 / - sub-numbers of a door
    ("和平路12号之1", "和平路|12-1|", ""),
    ("和平路12之1号", "和平路|12-1|", ""),
    ("和平路12-1号", "和平路|12-1|", ""),
    ("和平路12号附1", "和平路|12-1|", ""),
    ("和平路十二号之一", "和平路|12-1|", ""),
    ("和平路附12号", "和平路|附12|", ""),
    ("和平路12—1号", "和平路|12-1|", ""),
    # buildings: 栋/幢/座/号楼 one form; a compound's 院N号
    ("和平路6号2栋", "和平路|6|2", ""),
    ("和平路6号2幢", "和平路|6|2", ""),
    ("和平路6号2座", "和平路|6|2", ""),
    ("和平路6号2号楼", "和平路|6|2", ""),
    ("和平路6号二号楼", "和平路|6|2", ""),
    ("和平路6号B座", "和平路|6|B", ""),
    ("府前大道12号院73号", "府前大道|12|73", ""),
    ("府前大道12院73号", "府前大道|12|73", ""),
    ("府前大道12号院73号楼", "府前大道|12|73", ""),
    ("府前大道12号院内73号", "府前大道|12|73", ""),
    ("和平路6號2棟3單元", "和平路|6|2", ""),
    # below the building: stairwell, floor, room, household are dropped
    ("和平路6号2栋3单元301室", "和平路|6|2", ""),
    ("和平路6号2栋三单元", "和平路|6|2", ""),
    ("和平路6号2栋第3单元502", "和平路|6|2", ""),
    ("和平路6号2栋5层", "和平路|6|2", ""),
    ("和平路6号2-3-301", "和平路|6|2", ""),
    ("和平路6号1201户", "和平路|6|", ""),
    ("和平路十二号之一3单元301室", "和平路|12-1|", ""),
    # 院/弄/巷/胡同 are street words
    ("槐树胡同5号", "槐树胡同|5|", ""),
    ("东四条巷3号", "东四条巷|3|", ""),
    ("三元弄8号", "三元弄|8|", ""),
    # village prefixes in every form, with the village they name; 组 (村民小组) dropped
    ("白坡镇小尹村557号", "小尹村|557|", XIAOYIN),
    ("小尹村村委会557号", "小尹村|557|", XIAOYIN),
    ("白坡镇小尹村委会五百五十七号", "小尹村|557|", XIAOYIN),
    ("小尹村3组557号", "小尹村|557|", XIAOYIN),
    ("小尹村第三组557号", "小尹村|557|", XIAOYIN),
    ("白坡镇北关社区10号", "北关社区|10|", BEIGUAN),
    ("北关社区居委会10号", "北关社区|10|", BEIGUAN),
    ("北关居委会十号", "北关社区|10|", BEIGUAN),
    # another township's address keeps what tells it apart
    ("滕州市龙泉街道和平路12号", "龙泉街道和平路|12|", ""),
]


@pytest.mark.parametrize(("address", "key", "village"), VARIANTS)
def test_normalise(address, key, village, prefixes):
    assert parse(address, prefixes) == (village, key)
    assert normalise(address, prefixes) == key


def test_variants_table_is_large():
    assert len(VARIANTS) >= 40


def test_plain_names_as_prefixes():
    assert normalise("山东省滕州市白坡镇和平路十二号", ["滕州市", "白坡镇"]) == "和平路|12|"


def test_normalise_many_agrees_with_normalise(prefixes):
    addresses = [a for a, _, _ in VARIANTS] * 3 + [None, ""]
    keys, villages = normalise_many(addresses, prefixes)
    assert list(keys[: len(VARIANTS)]) == [k for _, k, _ in VARIANTS]
    assert list(villages[: len(VARIANTS)]) == [v for _, _, v in VARIANTS]
    assert list(keys[-2:]) == ["||", "||"]


def _building(township, address: str) -> int:
    buildings = township["buildings"]
    return int(buildings.loc[buildings["address"] == address, "id"].iloc[0])


def test_every_building_matches_its_own_address(township):
    buildings = township["buildings"]
    matches = match_addresses(township, buildings["address"])
    assert (matches.status == "matched").all()
    assert np.array_equal(matches.building_id, buildings["id"].to_numpy())
    assert (matches.confidence == 1.0).all()


def test_exact_fuzzy_ambiguous_unmatched(township):
    rows = [
        ("山东省滕州市白坡镇小尹村五百五十七号", None, "白坡镇小尹村557号", "matched", 1.0),  # exact after normalising
        ("和平路６号２幢３单元301室", None, "白坡镇和平路6号2栋", "matched", 1.0),
        ("557号", "小尹村村委会", "白坡镇小尹村557号", "matched", 1.0),  # the village column places a bare number
        ("557号", None, None, "ambiguous", 0.0),  # several villages have a 557
        ("合平路6号2栋", None, "白坡镇和平路6号2栋", "matched", 0.667),  # a typo in the street
        ("府前大路12号院73号", None, "白坡镇府前大道12号院73号", "matched", 0.75),
        ("和平路6-1号", None, "白坡镇和平路6号", "matched", 0.9),  # 6号之1 has no building: a household in 6号's yard
        ("杏坛街4号7号楼2-301", None, "白坡镇杏坛街4号7栋", "matched", 1.0),  # stairwell-room after the building
        ("府前大道12号院73-1号", None, "白坡镇府前大道12号院73号", "matched", 1.0),
        ("解放路3号", None, None, "unmatched", 0.0),  # an old street name no building carries
        ("小尹村9999号", None, None, "unmatched", 0.0),  # a number the village does not have (demolished)
        ("滕州市龙泉街道和平路6号", None, None, "unmatched", 0.0),  # another sub-district's street of that name
        ("和平路13号", None, None, "unmatched", 0.0),  # numbers are never guessed
        ("府前大道12号", None, None, "ambiguous", 0.0),  # a compound's door: its houses are the candidates
        ("南关社区9号", "南关社区居委会", None, "unmatched", 0.0),  # not 北关社区9号: another committee's number
        ("夏家洼村709号", None, None, "unmatched", 0.0),  # not 梁家村709号
    ]
    addresses = [r[0] for r in rows]
    villages = [r[1] or "" for r in rows]
    matches = match_addresses(township, addresses, villages)
    for i, (address, _, expected, status, confidence) in enumerate(rows):
        assert matches.status[i] == status, address
        assert matches.building_id[i] == (_building(township, expected) if expected else -1), address
        assert matches.confidence[i] == pytest.approx(confidence, abs=1e-3), address
    assert len(matches.candidates[3]) == 6
    assert {township["buildings"].set_index("id").loc[b, "address"] for b in matches.candidates[3]} == {
        f"白坡镇{v}557号" for v in ("小尹村", "梁家村", "乔家庙村", "罗楼村", "夏家洼村", "孔家屯村")}
    assert matches.counts() == {"matched": 8, "ambiguous": 2, "unmatched": 6}
    houses = township["buildings"]["address"].str.startswith("白坡镇府前大道12号院")
    assert set(matches.candidates[-3]) == set(township["buildings"].loc[houses, "id"])


def test_village_column_in_any_form(township):
    """The 所属村/居委会 column may name a village by its committee, its short name or its code."""
    forms = ["小尹村村委会", "小尹村", "小尹村委会", XIAOYIN, " 小尹村村民委员会 ", "梁家村"]
    matches = match_addresses(township, ["557号"] * len(forms), forms)
    assert list(matches.building_id) == [_building(township, "白坡镇小尹村557号")] * 5 + [
        _building(township, "白坡镇梁家村557号")]


def test_old_street_names_through_aliases(township):
    """An old street name is unmatched unless the project knows the renaming; a typo in the old name is forgiven."""
    addresses = ["解放街6号2栋", "解放街6号2栋", "解方街6号2栋"]
    assert list(match_addresses(township, addresses).status) == ["unmatched"] * 3
    matches = match_addresses(township, addresses, aliases={"解放街": "和平路"})
    assert list(matches.building_id) == [_building(township, "白坡镇和平路6号2栋")] * 3
    assert list(matches.confidence) == [1.0, 1.0, 0.667]


def test_remembered_choices_win(township):
    chosen = _building(township, "白坡镇和平路6号3栋")
    remembered = {normalise("解放路3号", Prefixes.of(township)): chosen, "和平路|6|2": chosen}
    matches = match_addresses(township, ["解放路3号", "和平路6号2栋", "和平路6号"], remembered=remembered)
    assert list(matches.building_id) == [chosen, chosen, _building(township, "白坡镇和平路6号")]
    assert list(matches.status) == ["matched"] * 3
    # a village's house number is remembered for that village only
    elsewhere = _building(township, "白坡镇小尹村557号")
    matches = match_addresses(township, ["557号", "557号", "梁家村557号"], ["小尹村村委会", "梁家村村委会", ""],
                              remembered={"小尹村|557|": elsewhere + 1})
    assert list(matches.normalised) == ["小尹村|557|", "梁家村|557|", "梁家村|557|"]
    assert list(matches.building_id) == [elsewhere + 1] + [_building(township, "白坡镇梁家村557号")] * 2


def test_index_follows_the_buildings_layer(township):
    """The index is kept per project and built again when the buildings layer changes."""
    project = CensusProject(township.meta, {"villages": township["villages"], "buildings": township["buildings"].copy()})
    assert match_addresses(project, ["和平路6号2栋"]).status[0] == "matched"
    buildings = project["buildings"].copy()
    buildings.loc[buildings["address"] == "白坡镇和平路6号2栋", "address"] = "白坡镇解放路3号"
    project.layers["buildings"] = buildings
    assert match_addresses(project, ["和平路6号2栋"]).status[0] == "unmatched"
    assert match_addresses(project, ["解放路3号"]).status[0] == "matched"


@pytest.fixture(scope="module")
def sample_register(township, tmp_path_factory):
    """The demo's 户籍 table as the office passes it on (GBK CSV), its truth and the street renamings."""
    paths = write_register(township, tmp_path_factory.mktemp("register"), seed=2020)
    table = pd.read_csv(paths["csv"], encoding="gbk", dtype=str)
    truth = pd.read_csv(paths["truth"], dtype={"noise": str}).query("sheet == '户籍'").fillna({"noise": ""})
    renames = pd.read_csv(paths["renames"], dtype=str)
    return table, truth, dict(zip(renames["旧名"], renames["现名"]))


def test_sample_register_matches_its_truth(township, sample_register):
    """Once the renamings are known, every row with a readable address is matched to its building; demolished
    and outside addresses are left unmatched. Wrong only: a clerk's slipped number that is another building's,
    which no matcher can see; a village written without any number stays unmatched."""
    table, truth, renames = sample_register
    matches = match_addresses(township, table["住址"], table["所属村/居委会"], aliases=renames)
    expected = truth["building_id"].fillna(-1).to_numpy(np.int64)
    matched = matches.status == "matched"
    slipped = truth["noise"].str.contains("wrong_number").to_numpy()
    assert (matches.building_id[matched & ~slipped] == expected[matched & ~slipped]).all()
    assert (matches.building_id[matched] == expected[matched]).mean() > 0.99
    readable = (expected >= 0) & ~slipped & ~truth["noise"].str.contains("no_number").to_numpy()
    assert matched[readable].mean() > 0.999
    assert not matched[expected < 0].any() and (truth["reason"][expected < 0] != "").all()


def test_old_street_names_are_left_for_a_person(township, sample_register):
    table, truth, _ = sample_register
    matches = match_addresses(township, table["住址"], table["所属村/居委会"])
    old = truth["noise"].str.contains("old_street").to_numpy()
    assert old.sum() > 500 and (matches.status[old] == "unmatched").all()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("零〇一二三四五六七八九十百千两号之附栋幢座楼单元室户院组第村路街-|#（） 0123456789AB白坡镇小尹"),
               max_size=20))
def test_any_text_gives_a_key(text):
    """Whatever a register cell holds, normalising it never fails and gives street|door|building."""
    key = normalise(text, PREFIXES)
    assert key.count("|") == 2


PREFIXES = Prefixes(admin=("滕州市", "白坡镇"), villages=(("小尹村", XIAOYIN),), short=((XIAOYIN, "小尹村"),))


def test_villages_sharing_a_core_name(township):
    """北关社区 and a 北关村 in one township: each name goes to its own village, a form both could have to none."""
    villages = township["villages"].copy()
    villages.loc[villages["code"] == "370481102202", "name"] = "北关村村委会"
    prefixes = Prefixes.of(CensusProject(township.meta, {"villages": villages}))
    assert prefixes.village_of("北关村") == "370481102202"
    assert prefixes.village_of("北关村村民委员会") == "370481102202"
    assert prefixes.village_of("北关社区") == prefixes.village_of("北关社区居委会") == BEIGUAN
    assert prefixes.village_of("北关居委会") == ""
    assert parse("北关村12号", prefixes) == ("370481102202", "北关村|12|")
