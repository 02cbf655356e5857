"""PDF maps on the sample township (divided and coded on a copy), read back with poppler, qpdf and pypdf."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely
from pypdf import PdfReader

from gis_census.errors import CensusError
from gis_census.feedback import Feedback
from gis_census.fonts import find_sc_face
from gis_census.furniture import NORTH_LABEL_ABOVE, bar_length, bar_segments, length_label, north_arrow
from gis_census.maps import make_maps
from gis_census.maps.context import MapContext
from gis_census.maps.district import plan_district
from gis_census.maps.layout import PAPERS, plan_map_page
from gis_census.maps.scale import SCALES, fit_scale, scale_bar
from gis_census.maps.small_area import plan_small_area
from gis_census.project import CensusProject
from samples import coded_sample

PT = 72 / 25.4


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return coded_sample(tmp_path_factory.mktemp("maps"))


@pytest.fixture(scope="module")
def ctx(project):
    return MapContext(project, "zh")


def _densest(ctx) -> int:
    """Index of the small area with the most buildings per km² among those with 40+ buildings (the town centre)."""
    codes = ctx.areas["code"]
    counts = np.array([(ctx.buildings["small_area_code"] == c).sum() for c in codes])
    density = counts / (shapely.area(ctx.areas.geoms) / 1e6)
    density[counts < 40] = 0
    return int(np.argmax(density))


def _rural(ctx) -> int:
    return int(np.argmax(shapely.area(ctx.areas.geoms)))


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def dense_pdf(project, ctx, tmp_path_factory):
    code = str(ctx.areas["code"][_densest(ctx)])
    files = make_maps(project, tmp_path_factory.mktemp("dense"), "small-area", small_area=code, workers=1, lang="zh")
    assert len(files) == 1 and files[0].name == f"small_area_{code}.pdf"
    return code, files[0]


def test_font_is_the_simplified_chinese_face():
    face = find_sc_face()
    assert face.family.endswith("SC") or "sc" in face.psname.lower().split("-")[0][-2:]
    if face.path.endswith(".ttc"):
        assert face.index != 0  # the collection opens on the Japanese face


def test_pdf_embeds_the_sc_font_cleanly(dense_pdf):
    _, pdf = dense_pdf
    fonts = _run("pdffonts", str(pdf))
    assert fonts.returncode == 0, fonts.stderr
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:  # name type encoding emb sub uni object generation
        name, kind, (emb, sub, uni) = row[0], " ".join(row[1:-6]), row[-5:-2]
        assert re.search(r"CJKsc|SC", name), name
        assert "TrueType" in kind and (emb, sub, uni) == ("yes", "yes", "yes"), row  # embedded subset, with ToUnicode
    assert "Mismatch" not in fonts.stderr
    check = _run("qpdf", "--check", str(pdf))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_text_is_searchable(dense_pdf, ctx):
    code, pdf = dense_pdf
    result = _run("pdftotext", "-layout", str(pdf), "-")
    text = result.stdout
    assert "Mismatch" not in result.stderr and "Syntax Error" not in result.stderr, result.stderr
    i = int(np.flatnonzero(ctx.areas["code"] == code)[0])
    seq = code[-3:]
    title = f"{ctx.meta.township_name}"
    assert title in text
    assert f"第{seq}普查小区" in text
    assert "\u5c0f" in text and "\u2f29" not in text  # 小, not the Kangxi radical ⼩
    assert code in text
    numbers = ctx.buildings["number"][ctx.buildings["small_area_code"] == code]
    found = set(re.findall(r"\d+", text))
    assert {str(n) for n in numbers} <= found
    for word in ("绘图人", "审核人", "普查员", "普查指导员", "日期", "比例尺"):
        assert word in text
    assert ctx.areas["population"][i] > 0


def test_page_is_the_chosen_paper(dense_pdf, project, ctx, tmp_path):
    _, pdf = dense_pdf
    for page in PdfReader(pdf).pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(v * PT for v in PAPERS["A4"]), abs=0.5)
    code = str(ctx.areas["code"][_rural(ctx)])
    [a3] = make_maps(project, tmp_path, "small-area", small_area=code, paper="A3", workers=1)
    page = PdfReader(a3).pages[0]
    assert sorted((float(page.mediabox.width), float(page.mediabox.height))) == pytest.approx(
        sorted(v * PT for v in PAPERS["A3"]), abs=0.5)


def test_scale_is_true_on_paper(ctx, dense_pdf):
    code, pdf = dense_pdf
    plan = plan_small_area(ctx, int(np.flatnonzero(ctx.areas["code"] == code)[0]))
    layout, bar = plan.layout, plan.layout.bar
    assert layout.denominator in SCALES
    assert bar.length_mm == pytest.approx(bar.ground_m * 1000 / layout.denominator, rel=1e-9)
    assert plan.transform.mm_per_m == pytest.approx(1000 / layout.denominator)
    # the area fits its frame at that scale, and would not at the next larger one
    x0, y0, x1, y1 = shapely.bounds(ctx.areas.geoms[int(np.flatnonzero(ctx.areas["code"] == code)[0])])
    assert (x1 - x0) * plan.transform.mm_per_m <= layout.map.w and (y1 - y0) * plan.transform.mm_per_m <= layout.map.h
    # measure the drawn bar: render a strip around it at 600 dpi and find the dark run along its middle
    dpi = 600
    px_per_mm = dpi / 25.4
    left_mm, top_mm = bar.x - 3, layout.height - (bar.y + bar.height_mm / 2) - 0.05
    out = _run("pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", "-x", str(int(left_mm * px_per_mm)),
               "-y", str(int(top_mm * px_per_mm)), "-W", str(int((bar.length_mm + 6) * px_per_mm)), "-H", "2",
               str(pdf), str(Path(pdf).with_suffix("")))
    assert out.returncode == 0, out.stderr
    image = Path(str(Path(pdf).with_suffix("")) + "-1.pgm")
    data = image.read_bytes()
    header_end = [m.end() for m in re.finditer(rb"\s", data)][3]
    width = int((bar.length_mm + 6) * px_per_mm)
    row = np.frombuffer(data[header_end:header_end + width], np.uint8)
    dark = np.flatnonzero(row < 128)
    drawn_mm = (dark[-1] - dark[0] + 1) / px_per_mm
    outline = 0.2  # the bar's outline (mm) adds half a width at each end
    assert drawn_mm == pytest.approx(bar.length_mm + outline, rel=0.01)
    # and the PDF states that scale
    assert f"1:{layout.denominator:,}" in _run("pdftotext", str(pdf), "-").stdout


def test_fit_scale_picks_the_largest_that_fits():
    assert fit_scale(100, 100, 160, 200) == 1000
    assert fit_scale(350, 100, 160, 200) == 2500
    assert fit_scale(10_000, 10_000, 160, 200) == 100_000
    tall = plan_map_page(300, 1100)
    wide = plan_map_page(1100, 300)
    assert not tall.landscape and wide.landscape


@pytest.mark.parametrize("longest, length, segments, label", [
    (2, 5, 5, "5 m"), (24.9, 20, 4, "20 m"), (300, 250, 5, "250 m"), (1_300, 1_000, 5, "1 km"),
    (2_499, 2_000, 4, "2 km"), (2_500, 2_500, 5, "2.5 km"), (10**6, 50_000, 5, "50 km"),
])
def test_bar_lengths_are_round_and_cut_into_round_segments(longest, length, segments, label):
    """The one choice of the PDF maps' scale bars and the report picture's."""
    assert (bar_length(longest), bar_segments(bar_length(longest)), length_label(bar_length(longest))) == (length, segments, label)


def test_the_pdf_scale_bar_is_the_longest_round_length_that_fits():
    for denominator in SCALES:
        bar = scale_bar(denominator, 0, 0, max_mm=48.0)
        assert bar.ground_m == bar_length(48.0 * denominator / 1000) and bar.segments == bar_segments(bar.ground_m)
        assert bar.length_mm <= 48.0 or bar.ground_m == 5


def test_north_arrow_is_a_half_filled_head_11_mm_long():
    left, right = north_arrow(10.0, 50.0)
    assert left.tolist() == [[10.0, 50.0], [7.0, 39.0], [10.0, 41.5], [10.0, 50.0]]
    assert right.tolist() == [[10.0, 50.0], [13.0, 39.0], [10.0, 41.5], [10.0, 50.0]]
    big_left, _ = north_arrow(0.0, 0.0, scale=2.0)  # e.g. 2 ground metres per millimetre of a picture
    assert big_left.tolist() == [[0.0, 0.0], [-6.0, -22.0], [0.0, -17.0], [0.0, 0.0]] and NORTH_LABEL_ABOVE == 4.0


def test_labels_in_the_town_centre_do_not_overlap(ctx):
    i = _densest(ctx)
    plan = plan_small_area(ctx, i)
    boxes = [lb.box for lb in plan.labels]
    n_buildings = int((ctx.buildings["small_area_code"] == plan.code).sum())
    assert n_buildings >= 40
    for a in range(len(boxes)):
        assert plan.layout.map.contains(boxes[a])
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].overlaps(boxes[b]), (plan.labels[a], plan.labels[b])
    placed = len(plan.building_labels)
    assert placed + len(plan.unplaced) == n_buildings
    assert placed >= 0.9 * n_buildings


def test_rural_and_town_pages_have_the_furniture(ctx):
    for i in (_densest(ctx), _rural(ctx)):
        plan = plan_small_area(ctx, i)
        page = plan.pages[0]
        layout = plan.layout
        texts = [t.s for t in page.texts]
        assert any(t.startswith(ctx.meta.county_name + ctx.meta.township_name) and t.endswith("普查小区") for t in texts)
        assert layout.map.x >= 35 - 1e-9 and layout.content.x1 <= layout.width - 15 + 1e-9
        assert layout.content.y >= 15 - 1e-9 and layout.content.y1 <= layout.height - 15 + 1e-9
        for box in (layout.legend, layout.scale, layout.north):
            assert not box.overlaps(layout.map) and layout.content.contains(box)


def test_atlas_has_index_pages_first_and_bookmarks(project, ctx, tmp_path):
    district = str(ctx.districts["code"][0])

    class Progress(Feedback):
        def __init__(self):
            self.seen = []

        def set_progress(self, percent):
            self.seen.append(percent)

    progress = Progress()
    [atlas] = make_maps(project, tmp_path, "atlas", district=district, workers=2, feedback=progress)
    reader = PdfReader(atlas)
    outline = reader.outline
    assert outline and outline[0].title.startswith("普查区 " + district)
    children = outline[1]
    areas = sorted(ctx.areas["code"][ctx.areas["district_code"] == district])
    assert [c.title for c in children] == [f"普查小区 {c}" for c in areas]
    first = reader.pages[0].extract_text()
    assert "普查区图" in first
    pages = [reader.get_destination_page_number(c) for c in children]
    assert pages == sorted(pages) and pages[0] >= 1
    assert progress.seen and max(progress.seen) == pytest.approx(95.0)
    check = _run("qpdf", "--check", str(atlas))
    assert check.returncode == 0, check.stdout


def test_township_and_district_maps(project, ctx, tmp_path):
    [township] = make_maps(project, tmp_path, "township")
    text = _run("pdftotext", str(township), "-").stdout
    assert "普查区分布图" in text and ctx.meta.township_code in text
    files = make_maps(project, tmp_path, "district", district=list(ctx.districts["code"][:2]))
    assert [f.name for f in files] == [f"district_{c}.pdf" for c in sorted(ctx.districts["code"][:2])]
    text = _run("pdftotext", str(files[0]), "-").stdout
    assert "普查区图" in text and str(ctx.districts["code"][0]) in text


def test_cancel_stops_between_pages(project, ctx, tmp_path):
    class Cancel(Feedback):
        def is_canceled(self):
            return True

    assert make_maps(project, tmp_path, "small-area", feedback=Cancel(), workers=1) == []
    assert not list(tmp_path.glob("*.pdf"))


def test_district_map_numbers_stay_inside_their_areas(ctx):
    """In the crowded town, a number pushed out of its small area would name a neighbour's land: it is left
    to the table instead."""
    j = int(np.flatnonzero(ctx.districts["code"] == "370481102001")[0])  # the town centre's district
    plan = plan_district(ctx, j)
    areas = np.flatnonzero(ctx.areas["district_code"] == "370481102001")
    on_page = {str(ctx.areas["seq"][a]): shapely.transform(ctx.areas.geoms[a], plan.transform) for a in areas}
    units = [lb for lb in plan.labels if lb.role.startswith("unit")]
    assert 0 < len(units) <= len(areas)
    for label in units:
        seq = label.text.partition("\n")[0]
        assert on_page[seq].contains(shapely.Point(label.x, label.y)), seq
    boxes = [lb.box for lb in plan.labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_a_county_project_names_its_whole_maps_by_the_county_code(project, tmp_path):
    """A county-wide project (the demo county) carries the 6-digit county code where a township's 9 digits go."""
    county = CensusProject(dataclasses.replace(project.meta, township_code=project.meta.township_code[:6]), project.layers)
    [township] = make_maps(county, tmp_path, "township")
    assert township.name == f"township_{project.meta.township_code[:6]}.pdf"
    broken = CensusProject(dataclasses.replace(project.meta, township_code="3704811"), project.layers)
    with pytest.raises(CensusError) as refused:
        make_maps(broken, tmp_path / "b", "township")
    assert refused.value.key == "output_bad_code"
