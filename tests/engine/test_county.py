"""`gis-census county`: the demo county cut into townships, with faults planted between two of them, merged and
checked; exactly the planted faults are found across the township lines."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import shapely

from gis_census.cli import main
from gis_census.county import merge_county, township_files
from gis_census.demo import make_county
from gis_census.demo.project import township_projects
from gis_census.errors import CensusError, ProjectError
from gis_census.project import CensusProject

A, B = "370481101", "370481102"  # two neighbouring townships of the demo county
VA, VB = "370481101201", "370481102201"  # villages on either side of their line (3.7 km long)


@pytest.fixture(scope="module")
def townships():
    return township_projects(make_county(seed=7, townships=3, villages_per_township=6))


def save(projects, folder):
    folder.mkdir()
    return [p.save(folder / f"{p.meta.township_code}.gpkg") for p in projects]


def square_on_line(projects, at: float, side: float) -> shapely.Polygon:
    """A `side` m square centred on the line between VA and VB, `at` of the way along it."""
    va, vb = (p["villages"].set_index("code").geometry[v] for p, v in ((projects[1], VA), (projects[2], VB)))
    line = shapely.line_merge(shapely.intersection(va, vb))
    line = max(shapely.get_parts(line), key=shapely.length)
    return shapely.buffer(line.interpolate(at, normalized=True), side / 2, cap_style="square")


@pytest.fixture(scope="module")
def planted(townships, tmp_path_factory):
    """The county with three faults between townships A and B: VA reaches 20 m into VB (an overlap), a 30 m notch
    is cut out of VB at the line (a gap), and a small area of B takes the code of one of A's."""
    a, b = (CensusProject(p.meta, {n: p[n].copy() for n in p.layers}) for p in townships[1:])
    reach, notch = square_on_line(townships, 0.3, 40), square_on_line(townships, 0.7, 30)
    va, vb = a["villages"], b["villages"]
    vb_shape = vb.loc[vb["code"] == VB].geometry.iloc[0]
    va.loc[va["code"] == VA, "geometry"] = va.loc[va["code"] == VA].geometry.union(reach.intersection(vb_shape))
    vb.loc[vb["code"] == VB, "geometry"] = vb_shape.difference(notch)
    reused = a["small_areas"]["code"].iloc[0]
    b["small_areas"].loc[0, "code"] = reused
    folder = tmp_path_factory.mktemp("county") / "townships"
    files = save([townships[0], a, b], folder)
    return folder, files, reach.intersection(vb_shape).area, notch.intersection(vb_shape).area, reused


def test_the_demo_county_cut_into_townships_has_no_faults_across_their_lines(townships, tmp_path):
    county = merge_county(save(townships, tmp_path / "t"))
    assert county.across == []
    assert [t.code for t in county.townships] == ["370481001", A, B]
    merged = county.project
    assert len(merged["small_areas"]) == sum(len(p["small_areas"]) for p in townships) == 922
    assert len(merged["buildings"]) == sum(len(p["buildings"]) for p in townships)
    assert merged["buildings"]["id"].is_unique  # each township numbers its buildings from 1


def test_exactly_the_planted_overlap_gap_and_repeated_code_are_found(planted):
    folder, files, overlap, gap, reused = planted
    county = merge_county(township_files([folder]))
    found = [(p.kind, p.layer, p.features, p.detail) for p in county.across]
    assert found == [
        ("overlap", "villages", (VA, VB), f"{A} / {B}"),
        ("gap", "villages", ("370481", VA, VB), f"{A} / {B}"),
        ("code_duplicate", "small_areas", (reused,), f"{A} / {B}"),
    ]
    assert county.across[0].value == pytest.approx(overlap, rel=1e-6) and overlap == pytest.approx(800, rel=0.05)
    assert county.across[1].value == pytest.approx(gap, rel=1e-6) and gap == pytest.approx(450, rel=0.05)


def test_noise_narrower_than_the_tolerance_is_not_reported(townships, tmp_path):
    """VB's line pushed 0.2 m into VA over 40 m: the kind of disagreement two offices digitising apart leave."""
    b = CensusProject(townships[2].meta, {n: townships[2][n].copy() for n in townships[2].layers})
    vb = b["villages"]
    sliver = square_on_line(townships, 0.5, 40).intersection(
        townships[1]["villages"].set_index("code").geometry[VA]).intersection(
        vb.loc[vb["code"] == VB].geometry.iloc[0].buffer(0.2))
    vb.loc[vb["code"] == VB, "geometry"] = vb.loc[vb["code"] == VB].geometry.union(sliver)
    assert sliver.area > 5
    assert merge_county(save([townships[0], townships[1], b], tmp_path / "t")).across == []
    assert [p.kind for p in merge_county(township_files([tmp_path / "t"]), noise=0.1).across] == ["overlap"]


def test_the_cli_lists_townships_faults_missing_townships_and_writes_a_read_only_county(planted, tmp_path, capsys):
    folder, _, _, _, reused = planted
    (tmp_path / "expect.txt").write_text(f"# 滕州市\n370481001 富湾街道\n{A}\n{B}\n370481103 缺的镇\n", encoding="utf-8")
    out = tmp_path / "county.gpkg"
    rc = main(["county", str(folder), "--out", str(out), "--expect", str(tmp_path / "expect.txt"),
               "--report", str(tmp_path / "county.html")])
    text = capsys.readouterr().out
    assert rc == 1
    assert "乡镇之间的问题 3 个：" in text
    assert f"普查小区 {reused}" in text and "重叠" in text and "空隙" in text
    assert "缺少乡镇项目：370481103" in text
    assert "全县合计：乡镇 3，村/居 18，普查小区 922" in text
    page = (tmp_path / "county.html").read_text(encoding="utf-8")
    assert "项目文件：county.gpkg" in page
    assert "分乡镇统计" in page and f"<tr><td>{A}</td><td>金桥镇</td>" in page
    assert "缺少乡镇项目：370481103" in page and "乡镇之间的问题 3 个" in page
    assert '<tr><th colspan="2">合计</th><td class="num">18</td><td class="num">922</td>' in page
    county = CensusProject.open(out, lazy=True)
    assert county.stored_meta["read_only"] == "county"
    assert len(county["small_areas"]) == 922 and county.meta.township_code == "370481"
    with pytest.raises(ProjectError, match="只供查看"):
        county.save()
    assert main(["check", str(out)]) == 1  # checked as a whole, not saved into
    assert "problems 图层" not in capsys.readouterr().out
    township = folder / f"{A}.gpkg"
    before = township.read_bytes()
    assert main(["county", str(folder), "--out", str(township)]) == 2  # never over a township project
    assert "不是合并的全县项目，未覆盖" in capsys.readouterr().err
    assert township.read_bytes() == before


def test_lists_county_sends_one_workbook_with_subtotals_per_township_and_village(townships, tmp_path, capsys):
    import openpyxl

    county = merge_county(save(townships, tmp_path / "t")).project.save(tmp_path / "county.gpkg")
    out = tmp_path / "名单.xlsx"
    assert main(["lists", str(county), "--out", str(out), "--county"]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["分乡镇村小计", "普查区域名单", "建筑物清单"]
    header, *rows = list(book["分乡镇村小计"].iter_rows(values_only=True))
    assert header[:3] == ("层级", "乡镇（街道）代码", "乡镇（街道）名称") and header[6] == "普查小区数"
    levels = [r[0] for r in rows[:-1]]
    assert levels.count("乡镇小计") == 3 and levels.count("村/居") == 18
    assert rows[0][:3] == ("乡镇小计", "370481001", "富湾街道") and rows[1][0] == "村/居"
    assert rows[-1][0] == "合计" and rows[-1][6] == 922  # the townships' subtotals, not twice over with the villages'
    by_township = {r[1]: r for r in rows if r[0] == "乡镇小计"}
    assert by_township[A][2] == "金桥镇" and by_township[A][6] == len(townships[1]["small_areas"])
    areas = list(book["普查区域名单"].iter_rows(values_only=True))
    assert {r[3] for r in areas[1:-1]} == {"富湾街道", "金桥镇", "永店镇"}  # township names from the county's record


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="no poppler")
def test_the_county_report_as_a_pdf_has_the_townships_faults_across_and_sign_off(planted, tmp_path, capsys):
    from gis_census.fonts import find_sc_face

    try:
        find_sc_face()
    except CensusError:
        pytest.skip("no Simplified-Chinese font installed")
    folder, *_ = planted
    assert main(["county", str(folder), "--out", str(tmp_path / "county.gpkg"), "--report", str(tmp_path / "c.pdf")]) == 1
    capsys.readouterr()
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("分乡镇统计", "金桥镇", "乡镇之间的问题 3 个", "审核人", "日期", "结论"):
        assert words in text, words
