"""The report to sign as a PDF (`check --report FILE.pdf`, `county --report FILE.pdf`), in the maps' SC face, and its
overview map, which numbers every problem it marks and names the villages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from matplotlib.axes import Axes

from gis_census.checks import check_project
from gis_census.checks.problem import sort_key
from gis_census.checks.report import write_report
from gis_census.checks.report_map import render_overview
from gis_census.cli import main
from gis_census.errors import CensusError
from gis_census.fonts import find_sc_face
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


def _has_sc_font() -> bool:
    try:
        find_sc_face()
    except CensusError:
        return False
    return True


needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="no poppler")
needs_font = pytest.mark.skipif(not _has_sc_font(), reason="no Simplified-Chinese font installed")


@pytest.fixture(scope="module")
def sample():
    project = CensusProject.open(SAMPLE)
    return project, sorted(check_project(project), key=sort_key)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_poppler
@needs_font
def test_the_sample_report_as_a_pdf_reads_back_with_its_verdict_villages_and_sign_off(sample, tmp_path):
    project, problems = sample
    pdf = write_report(project, problems, tmp_path / "report.pdf", lang="zh")
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _text(pdf)
    errors = sum(p.severity == "error" for p in problems)
    verdict = f"不通过：错误 {errors} 个，警告 {len(problems) - errors} 个"
    for words in ("普查区划分检查报告", verdict, "分村/居委会统计", "西关社区居委会", "乔家庙村委会",
                  "总览图", "问题清单", "建筑物被小区界线切分", "审核签字", "审核人", "日期", "结论", "□ 通过"):
        assert words in text, words
    assert re.search(rf"(?<!\d){len(problems)}\.(\s|$)", text)  # the last problem is listed, numbered as on the map
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts)  # only the SC face, embedded as a subset
    assert all("CJKsc" in line or "SC" in line for line in fonts)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=True)


@needs_poppler
@needs_font
def test_check_report_pdf_from_the_command_line(tmp_path, capsys):
    project = tmp_path / "sample.gpkg"
    shutil.copy(SAMPLE, project)
    assert main(["check", str(project), "--no-save", "--report", str(tmp_path / "r.pdf")]) == 1
    assert "r.pdf" in capsys.readouterr().out
    assert "审核签字" in _text(tmp_path / "r.pdf")


@needs_font
def test_every_problem_marked_on_the_overview_map_carries_its_number_and_villages_are_named(sample, monkeypatch):
    project, problems = sample
    numbers: list[str] = []
    texts: list[str] = []
    text = Axes.text

    def record_text(self, x, y, label, *args, **kwargs):
        (numbers if kwargs.get("gid") == "problem" else texts).append(label)
        return text(self, x, y, label, *args, **kwargs)

    monkeypatch.setattr(Axes, "text", record_text)
    overview = render_overview(project, problems)
    assert len(problems) > 300 and all(p.location is not None for p in problems)
    assert sorted(map(int, numbers)) == list(range(1, len(problems) + 1))  # each number once, none left off
    assert overview.numbered == overview.located == len(problems)
    assert overview.named
    assert set(project["villages"]["name"]) <= set(texts)
