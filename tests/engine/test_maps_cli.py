"""`gis-census maps` as a reviewer runs it: the atlas of a district, and clear refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from gis_census.cli import main
from gis_census.project import CensusProject

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "370481102203"


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """The sample township divided and coded through the command line."""
    path = tmp_path_factory.mktemp("cli") / "township.gpkg"
    shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", path)
    assert main(["divide", str(path), "--district", DISTRICT]) == 0
    assert main(["code", str(path)]) == 0
    return path


def test_atlas_of_a_district_has_its_index_first_and_a_bookmark_per_map(coded, tmp_path, capsys):
    assert main(["maps", str(coded), "--out", str(tmp_path), "--kind", "atlas", "--district", DISTRICT]) == 0
    [atlas] = tmp_path.glob("*.pdf")
    assert str(atlas) in capsys.readouterr().out
    reader = PdfReader(atlas)
    areas = CensusProject.open(coded)["small_areas"]
    codes = sorted(areas.loc[areas["district_code"] == DISTRICT, "code"])
    titles = [item.title for item in _flatten(reader.outline)]
    assert DISTRICT in titles[0]  # the district map comes first, its small areas after it
    assert [t for t in titles if t.endswith(tuple(codes))] == [t for t in titles[1:]]
    assert all(any(code in t for t in titles) for code in codes)
    assert "普查区图" in reader.pages[0].extract_text()


def test_a4_landscape_or_portrait_and_a3_on_request(coded, tmp_path):
    assert main(["maps", str(coded), "--out", str(tmp_path), "--kind", "district", "--district", DISTRICT,
                 "--paper", "A3"]) == 0
    [pdf] = tmp_path.glob("*.pdf")
    box = PdfReader(pdf).pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [842, 1191]  # A3 in points


@pytest.mark.parametrize("args, says", [
    (["--district", "370481102999"], "370481102999"),
    (["--small-area", "370481102203999"], "370481102203999"),
])
def test_unknown_code_is_refused_naming_it(coded, tmp_path, capsys, args, says):
    assert main(["maps", str(coded), "--out", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.pdf"))


def test_missing_project_is_refused_naming_it(tmp_path, capsys):
    missing = tmp_path / "nowhere.gpkg"
    assert main(["maps", str(missing), "--out", str(tmp_path)]) == 2
    assert str(missing) in capsys.readouterr().err


def _flatten(outline) -> list:
    out = []
    for item in outline:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out
