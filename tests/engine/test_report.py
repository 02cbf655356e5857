"""The reviewer's HTML report: verdict, one row per problem, an embedded PNG map, both languages, escaping."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser

import geopandas as gpd
import pytest
import shapely
from PIL import Image

from gis_census.checks import Problem, check_project
from gis_census.checks.report import write_report
from gis_census.project import CensusProject, ProjectMeta

X0, Y0 = 39_513_000.0, 3_883_000.0
CRS = "EPSG:4527"
VILLAGE = "370481102001"


def one_village_project(area_spans: list[tuple[float, float]], people: int, name: str = "白坡镇") -> CensusProject:
    """A 200 m × 100 m village forming one district, cut into small areas spanning `area_spans` (m from the west).

    Two 20 m buildings of 150 people (50 households) stand at 20 m and 150 m; each small
    area stores `people` people and a third as many households.
    """
    meta = ProjectMeta(township_code="370481102", township_name=name, crs=CRS)
    land = [shapely.box(X0, Y0, X0 + 200, Y0 + 100)]
    villages = gpd.GeoDataFrame({"code": [VILLAGE], "name": ["东关社区居委会"]}, geometry=land, crs=CRS)
    districts = gpd.GeoDataFrame({"code": [VILLAGE], "village_code": [VILLAGE], "name": ["东关"]}, geometry=land, crs=CRS)
    seqs = [f"{i + 1:03d}" for i in range(len(area_spans))]
    areas = gpd.GeoDataFrame(
        {"code": [VILLAGE + s for s in seqs], "district_code": VILLAGE, "seq": seqs, "population": people,
         "households": people // 3},
        geometry=[shapely.box(X0 + a, Y0, X0 + b, Y0 + 100) for a, b in area_spans], crs=CRS,
    )
    buildings = gpd.GeoDataFrame(
        {"id": [1, 2], "population": 150, "households": 50, "use": "residential", "village_code": VILLAGE,
         "district_code": VILLAGE},
        geometry=[shapely.box(X0 + x, Y0 + 20, X0 + x + 20, Y0 + 40) for x in (20, 150)], crs=CRS,
    )
    return CensusProject(meta, {"villages": villages, "districts": districts, "small_areas": areas, "buildings": buildings})


@pytest.fixture
def overlap_and_gap() -> CensusProject:
    """Small areas 0–110 m and 100–190 m: a 1,000 m² overlap and a 1,000 m² gap at the east end."""
    return one_village_project([(0, 110), (100, 190)], people=150)


class ReportParser(HTMLParser):
    """Text of the page, rows of the problems table, the verdict, the image and the language."""

    def __init__(self):
        super().__init__()
        self.text, self.rows, self.images, self.lang, self.verdict = [], [], [], None, None
        self._row = self._cell = None
        self._in_verdict = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "tr" and attrs.get("class") == "problem":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "p" and "verdict" in (attrs.get("class") or ""):
            self._in_verdict, self.verdict = True, ""

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "p":
            self._in_verdict = False

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_verdict:
            self.verdict += data


def parse(path) -> tuple[ReportParser, str]:
    source = path.read_text(encoding="utf-8")
    parser = ReportParser()
    parser.feed(source)
    parser.close()
    return parser, source


def test_report_lists_every_problem_errors_first_with_labels_and_codes(overlap_and_gap, tmp_path):
    problems = check_project(overlap_and_gap)
    assert {p.kind for p in problems} >= {"overlap", "gap"}
    written = write_report(overlap_and_gap, problems, tmp_path / "report.html")
    page, source = parse(written)
    assert written == tmp_path / "report.html"
    assert page.lang == "zh-CN" and "<meta charset=\"utf-8\">" in source
    assert "白坡镇（370481102）" in "".join(page.text)
    assert page.verdict.startswith("不通过")
    errors = sum(p.severity == "error" for p in problems)
    assert f"错误 {errors} 个" in page.verdict
    assert [row[0] for row in page.rows] == ["1", "2"]  # the two errors; the two warnings share a row
    assert len(problems) == 4 and '<tr class="problem group"><td class="num">3–4</td>' in source
    assert "人口偏离目标 ×2" in source and "2 处（村/居 370481102001 东关社区居委会）<span class=\"open\">，展开查看</span>" in source
    severities = [row[1] for row in page.rows]
    assert severities == sorted(severities, key=lambda s: s != "错误")
    by_kind = {row[2]: row for row in page.rows}
    overlap, gap = by_kind["重叠"], by_kind["空隙（漏划）"]
    assert overlap[3] == "普查小区" and overlap[4] == f"{VILLAGE}001, {VILLAGE}002"
    assert overlap[5] == "1,000.00 平方米"
    assert gap[3] == "普查区" and gap[4].startswith(f"{VILLAGE}, {VILLAGE}0")  # the district, then the areas beside the gap


def test_report_embeds_the_overview_map_as_a_png_1600_pixels_wide(overlap_and_gap, tmp_path):
    page, source = parse(write_report(overlap_and_gap, check_project(overlap_and_gap), tmp_path / "r.html"))
    assert "http://" not in source and "https://" not in source  # nothing to fetch: opens offline
    (image,) = page.images
    prefix = "data:image/png;base64,"
    assert image["src"].startswith(prefix)
    png = base64.b64decode(image["src"][len(prefix):])
    with Image.open(io.BytesIO(png)) as decoded:
        assert decoded.format == "PNG"
        assert decoded.size == (1600, int(image["height"]))


def test_report_in_english(overlap_and_gap, tmp_path):
    page, _ = parse(write_report(overlap_and_gap, check_project(overlap_and_gap), tmp_path / "en.html", lang="en"))
    assert page.lang == "en"
    assert page.verdict.startswith("Does not pass")
    assert "Census division check report — 白坡镇 (370481102)" in "".join(page.text)
    assert {"overlap", "gap (land left out)"} <= {row[2] for row in page.rows}
    assert "1,000.00 m²" in {row[5] for row in page.rows}


def test_report_escapes_names_and_details(tmp_path):
    project = one_village_project([(0, 110), (100, 190)], people=150, name='<b>"桥"&</b>')
    odd = Problem("invalid_geometry", "small_areas", ("A&B<1>",), detail="<script>alert('x')</script>")
    page, source = parse(write_report(project, [*check_project(project), odd], tmp_path / "esc.html"))
    assert "<b>" not in source and "<script>" not in source
    assert "&lt;b&gt;&quot;桥&quot;&amp;&lt;/b&gt;" in source and "A&amp;B&lt;1&gt;" in source
    assert '<b>"桥"&</b>' in "".join(page.text)  # the browser shows the texts as they were typed
    assert ["A&B<1>", "", "<script>alert('x')</script>"] in [row[4:] for row in page.rows]


def test_report_without_problems_says_it_passes(tmp_path):
    clean = one_village_project([(0, 200)], people=300)
    assert check_project(clean) == []
    page, source = parse(write_report(clean, [], tmp_path / "ok.html"))
    assert page.verdict.startswith("通过")
    assert page.rows == [] and "未发现任何问题" in "".join(page.text)
    assert len(page.images) == 1  # the map is shown even with nothing marked on it


def test_report_has_a_table_per_village_and_a_sign_off_block(overlap_and_gap, tmp_path):
    page, source = parse(write_report(overlap_and_gap, check_project(overlap_and_gap), tmp_path / "r.html"))
    text = "".join(page.text)
    # Both small areas store 150 people, outside the 240–360 band; the village has 2 errors and 2 warnings.
    row = f'<tr><td>{VILLAGE}</td><td>东关社区居委会</td><td class="num">2</td><td class="num">300</td>' \
          '<td class="num">100</td><td class="num">0%</td><td class="num error">2</td><td class="num warning">2</td></tr>'
    assert row in source and "目标范围：240–360 人" in text
    assert "审核签字" in text and "□ 通过　□ 不通过（需修改后复审）" in text


def test_the_overview_map_names_each_village_and_falls_back_to_its_code_digits_without_a_cjk_font(
        overlap_and_gap, tmp_path, monkeypatch):
    from gis_census.checks import report_map
    from gis_census.checks.report_map import render_overview
    from gis_census.errors import CensusError
    from gis_census.fonts import find_sc_face

    try:
        find_sc_face("bold")
    except CensusError:
        pytest.skip("no Simplified-Chinese font installed")
    plain = render_overview(overlap_and_gap, [])
    assert plain.named
    overlap_and_gap["villages"]["name"] = ["西关社区居委会"]  # another name, another picture
    other = render_overview(overlap_and_gap, [])
    assert plain.png != other.png
    page, _ = parse(write_report(overlap_and_gap, [], tmp_path / "r.html"))
    assert "图中粗体数字为村/居委会代码的末几位" not in "".join(page.text)
    monkeypatch.setattr(report_map, "_cjk_font", lambda chars, size: None)  # no Simplified-Chinese font installed
    digits = render_overview(overlap_and_gap, [])
    assert not digits.named
    page, _ = parse(write_report(overlap_and_gap, [], tmp_path / "r.html"))
    assert "图中粗体数字为村/居委会代码的末几位，名称见分村/居委会统计表。" in "".join(page.text)


def test_a_group_whose_numbers_do_not_run_on_shows_the_first_and_lists_them_all(overlap_and_gap, tmp_path):
    def split(building: int, x: float) -> Problem:
        return Problem("building_split", "buildings", (str(building),), value=0.5, location=shapely.Point(X0 + x, Y0 + 30))

    # Buildings 1 and 3 stand in the village, 2 outside it (east of it): sorted by id, 2 falls between the others.
    _, source = parse(write_report(overlap_and_gap, [split(1, 30), split(2, 500), split(3, 160)], tmp_path / "r.html"))
    assert '<tr class="problem group"><td class="num">1, …</td>' in source
    assert "<ul><li>1. 1 较小一侧占 50%</li><li>3. 3 较小一侧占 50%</li></ul>" in source  # each with its number on the map
