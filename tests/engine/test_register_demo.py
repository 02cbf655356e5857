"""The synthetic household register of the sample township (gis_census.demo.register) and its truth."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from gis_census.cli import main
from gis_census.demo._address import PREFIX_LEVELS, cn_number, parse
from gis_census.demo._people import check_digit
from gis_census.demo.register import (
    COLUMNS,
    EXTRA_RATES,
    NOISE_RATES,
    TEMPORARY_SHARE,
    make_register,
    make_register_rows,
    street_renames,
    write_register,
)
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


@pytest.fixture(scope="module")
def project() -> CensusProject:
    return CensusProject.open(SAMPLE)


@pytest.fixture(scope="module")
def register(project):
    return make_register(project, seed=2020)


@pytest.fixture(scope="module")
def huji(register) -> pd.DataFrame:
    """The 户籍 table joined to its truth by row."""
    tables, truth = register
    t = truth[truth["sheet"] == "户籍"].set_index("row")
    return tables["户籍"].join(t, on="序号")


def test_tables_have_the_police_columns(register):
    tables, _ = register
    assert set(tables) == {"户籍", "暂住", "境外"}
    for kind, table in tables.items():
        assert list(table.columns) == COLUMNS[kind]
        assert list(table["序号"]) == list(range(1, len(table) + 1))
    assert len(tables["境外"]) < 20 < len(tables["暂住"]) < len(tables["户籍"]) / 10


def test_rows_per_building_match_population_and_households(project, huji):
    b = project.layers["buildings"].set_index("id")
    placed = huji[huji["building_id"].notna()]
    people = placed.groupby("building_id").size()
    households = placed.groupby("building_id")["户号"].nunique()
    lived = b[b["population"] > 0]
    assert people.reindex(lived.index, fill_value=0).tolist() == lived["population"].tolist()
    assert households.reindex(lived.index, fill_value=0).tolist() == lived["households"].clip(lower=1).tolist()
    assert set(people.index) <= set(lived.index)


def test_households_share_a_number_with_one_head_first(huji):
    g = huji.groupby("户号", sort=False)
    assert (g["与户主关系"].first() == "户主").all()
    assert (g["与户主关系"].apply(lambda r: (r == "户主").sum()) == 1).all()
    assert (g["姓名"].first() == g["户主姓名"].first()).all()
    assert (g["户主姓名"].nunique() == 1).all()
    assert (g["住址"].nunique() == 1).all() and (g["building_id"].nunique(dropna=False) == 1).all()
    assert huji["户号"].str.fullmatch(r"\d{12}").all()
    spouses = huji[huji["与户主关系"] == "配偶"].join(g["性别"].first().rename("head_sex"), on="户号")
    assert (spouses["性别"] != spouses["head_sex"]).all()


def test_id_numbers_are_well_formed_unique_and_agree_with_birth_and_sex(register):
    tables, _ = register
    for kind in ("户籍", "暂住"):
        t = tables[kind]
        ids = t["公民身份号码"]
        assert ids.str.fullmatch(r"\d{17}[\dX]").all() and ids.is_unique
        assert all(check_digit(i[:17]) == i[17] for i in ids)
        assert (ids.str[6:14] == t["出生日期"].str.replace("-", "")).all()
        male = ids.str[16].astype(int) % 2 == 1
        assert (male == (t["性别"] == "男")).all()
    assert (tables["户籍"]["公民身份号码"].str[:6] == "370481").all()
    assert check_digit("11010519491231002") == "X"  # the standard's own example


def test_truth_covers_every_row_and_says_why_a_row_has_no_building(project, register):
    tables, truth = register
    for kind, table in tables.items():
        rows = truth[truth["sheet"] == kind]["row"]
        assert sorted(rows) == list(table["序号"])
    assert set(truth["reason"]) == {"", "demolished", "outside"}
    assert truth["building_id"].isna().tolist() == (truth["reason"] != "").tolist()
    assert set(truth["building_id"].dropna()) <= set(project.layers["buildings"]["id"])


def test_demolished_and_outside_addresses_are_no_building_s(project, huji):
    township = project.meta.township_name
    known = {(a.place, a.num) for a in map(lambda s: parse(s, township), project.layers["buildings"]["address"]) if a}
    for reason, rate in EXTRA_RATES.items():
        rows = huji[huji["reason"] == reason]
        share = rows["户号"].nunique() / huji["户号"].nunique()
        assert 0.6 * rate < share < 1.4 * rate, reason
        for text in rows["住址"].unique():
            a = parse(re.sub(r"\s", "", text).split("滕州市")[-1], township)
            assert a is None or (a.place, a.num) not in known, text
    outside = huji[huji["reason"] == "outside"]["住址"]
    assert not outside.str.contains(township).any()


def test_noise_rates_within_stated_bounds(project, huji):
    households = huji[huji["reason"] == ""].drop_duplicates("户号")
    homes = project.layers["buildings"].set_index("id")["address"].map(lambda a: parse(a, "白坡镇"))
    home = households["building_id"].map(homes)
    kinds = households["noise"].str.split(";")
    renamed = set(street_renames(sorted({a.place for a in homes if a}), 2020).values())
    block = home.map(lambda a: a.block is not None)
    village = home.map(lambda a: a.place.endswith("村")) & ~block
    numbered = ~block & ~kinds.map(lambda ks: "no_number" in ks)
    among = {"old_street": home.map(lambda a: a.place in renamed), "unit_room": block, "dong_variant": block,
             "no_number": village, "missing_hao": numbered, "annex": numbered, "wrong_number": ~block}
    assert set(NOISE_RATES) == set(among) | {"cn_numeral", "fullwidth", "typo", "spaces"}
    for kind, rate in NOISE_RATES.items():
        where = among.get(kind, pd.Series(True, index=households.index))
        n, hits = int(where.sum()), int(kinds[where].map(lambda ks, k=kind: k in ks).sum())
        assert abs(hits - n * rate) < 4 * (n * rate * (1 - rate)) ** 0.5 + 2, (kind, hits, n)  # 4 sigma
        assert not kinds[~where].map(lambda ks, k=kind: k in ks).any(), kind
    full = households["住址"].str.startswith("山东省枣庄市滕州市白坡镇")
    n, rate = len(full), PREFIX_LEVELS["full"]
    assert abs(full.sum() - n * rate) < 4 * (n * rate * (1 - rate)) ** 0.5
    clean = households[households["noise"] == ""]["住址"]
    assert clean.str.fullmatch(r"\S*\d+号(院\d+号|\d+栋)?").mean() > 0.95


def test_noise_looks_like_the_kind_it_is(huji):
    rows = huji.drop_duplicates("户号")
    by = {k: rows[rows["noise"].str.split(";").apply(lambda ks, k=k: k in ks)]["住址"] for k in NOISE_RATES}
    assert by["cn_numeral"].str.contains("[一二三四五六七八九十百]+号?").all()
    assert by["fullwidth"].str.contains("[０-９]").all()
    assert by["annex"].str.contains("[之附－-]").all()
    assert by["spaces"].str.contains(" ").all()
    digits = r"(?:[\d０-９]+|[一二三四五六七八九十百零]+)"
    assert by["unit_room"].str.contains(rf"{digits}(?:单元{digits}室?|[-－]{digits})$").all()
    assert not by["missing_hao"].str.endswith("号").any()
    assert by["no_number"].str.fullmatch(r"[^\d０-９]+").all()
    assert by["dong_variant"].str.contains("幢|座|号楼|#楼").all()


def test_cn_numerals():
    assert [cn_number(n) for n in (1, 10, 12, 20, 103, 110, 1005, 2020)] == \
        ["一", "十", "十二", "二十", "一百零三", "一百一十", "一千零五", "二千零二十"]


def test_names_are_chinese_and_varied(huji):
    names = huji["姓名"]
    assert names.str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    surnames = names.str[0].value_counts(normalize=True)
    assert 0.05 < surnames.iloc[0] < 0.3 and len(surnames) > 60
    assert names.nunique() > 0.5 * len(names)
    heads = huji[huji["与户主关系"] == "户主"]
    for village, surname in (("夏家洼村委会", "夏"), ("小尹村村委会", "尹")):  # named after a family living there
        assert heads[heads["所属村/居委会"] == village]["姓名"].str[0].value_counts().index[0] == surname


def test_same_seed_same_register_other_seed_other(project, register):
    tables, truth = make_register(project, seed=2020)
    for kind, table in tables.items():
        pd.testing.assert_frame_equal(table, register[0][kind])
    pd.testing.assert_frame_equal(truth, register[1])
    other, _ = make_register(project, seed=7)
    assert other["户籍"]["姓名"].head(50).tolist() != tables["户籍"]["姓名"].head(50).tolist()


def test_rows_for_a_benchmark(project):
    table, truth = make_register_rows(project, 40_000, seed=1)
    assert len(table) == len(truth) == 40_000
    assert list(truth["row"]) == list(table["序号"]) == list(range(1, 40_001))
    assert table["公民身份号码"].is_unique
    heads = table.drop_duplicates("户号")
    assert (heads["与户主关系"] == "户主").all()


def test_files_written_apart_and_csv_is_gbk(project, tmp_path):
    b = project.layers["buildings"]
    town = CensusProject(project.meta, {**project.layers, "buildings": b[b["village_code"] == "370481102001"]})
    paths = write_register(town, tmp_path, seed=2020)
    tables, truth = make_register(town, seed=2020)
    read = pd.read_excel(paths["户籍"], sheet_name="户籍", dtype=str)
    assert list(read.columns) == COLUMNS["户籍"] and len(read) == len(tables["户籍"])
    assert read["公民身份号码"].tolist() == tables["户籍"]["公民身份号码"].tolist()
    for kind in ("暂住", "境外"):
        assert len(pd.read_excel(paths[kind], dtype=str)) == len(tables[kind])
    raw = paths["csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    csv = pd.read_csv(paths["csv"], encoding="gbk", dtype=str)
    assert csv["住址"].tolist() == tables["户籍"]["住址"].tolist()
    t = pd.read_csv(paths["truth"], dtype={"reason": str, "noise": str}, keep_default_na=False)
    assert len(t) == len(truth) and "building_id" not in read.columns
    renames = pd.read_csv(paths["renames"], encoding="utf-8-sig")
    assert list(renames.columns) == ["旧名", "现名"] and len(renames) >= 1


def test_temporary_residents_live_in_buildings(register, project):
    tables, truth = register
    n = len(tables["暂住"])
    assert abs(n - TEMPORARY_SHARE * project.layers["buildings"]["population"].sum()) < 5
    t = truth[truth["sheet"] != "户籍"]
    assert t["building_id"].notna().all()


def test_demo_command_writes_the_register_of_the_project_it_builds(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    inputs = tmp_path / "inputs"
    assert str(inputs / "register_truth.csv") in out
    written = pd.read_csv(inputs / "register_truth.csv", dtype={"building_id": "Int64"}, keep_default_na=False,
                          na_values={"building_id": [""]})
    _, truth = make_register(CensusProject.open(tmp_path / "demo_township.gpkg"), seed=2020)
    pd.testing.assert_frame_equal(written, truth, check_dtype=False)
    _, sample_truth = make_register(CensusProject.open(SAMPLE), seed=2020)
    pd.testing.assert_frame_equal(truth, sample_truth)


def test_any_project_gets_a_register_even_with_addresses_of_other_forms(project):
    b = project.layers["buildings"].copy()
    odd = b.index[b["population"] > 0][:5]
    b.loc[odd, "address"] = ["东门外大街甲3号", "No. 5 Main Street", "", "白坡镇", "粮站后院"]
    other = CensusProject(project.meta, {**project.layers, "buildings": b})
    tables, truth = make_register(other, seed=3)
    rows = tables["户籍"].join(truth[truth["sheet"] == "户籍"].set_index("row"), on="序号")
    for i in odd:
        mine = rows[rows["building_id"] == b.at[i, "id"]]
        assert len(mine) == b.at[i, "population"] and (mine["住址"] == b.at[i, "address"]).all()
