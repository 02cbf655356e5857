"""Issue 11, points 7 and 8: file names from hostile codes, and a full disk, for `maps`, `lists` and `check --report`.

Every command is run through ``main([...])``: a refusal is exit 2 with a message naming the code or
the file, never a traceback; nothing is written outside the output folder and no partial or
temporary file is left behind.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gis_census.cli import main
from gis_census.errors import CensusError
from gis_census.numbering.codes import assign_codes
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"
DISTRICT = "370481102203"
ENOSPC = OSError(errno.ENOSPC, "No space left on device")
# "Exception ignored in ZipFile.__del__" and the like reach pytest as this warning: make it fail the test.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("safe") / "p.gpkg"
    shutil.copy(SAMPLE, path)
    project = CensusProject.open(path)
    assign_codes(project)
    project.save()
    return path


@pytest.fixture
def project_file(coded, tmp_path) -> Path:
    path = tmp_path / "project" / "p.gpkg"
    path.parent.mkdir()
    shutil.copy(coded, path)
    return path


def _clean(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err and "内部错误" not in err


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# File names from codes (point 7)
# ---------------------------------------------------------------------------------------------

HOSTILE_CODES = ["../../x", "a/b", "..\\x", "CON", "370481102:203"]


def _with_district_code(project_file: Path, code: str) -> None:
    """Give DISTRICT (and its small areas) the code `code`."""
    project = CensusProject.open(project_file)
    d, a = project["districts"], project["small_areas"]
    d.loc[d["code"] == DISTRICT, "code"] = code
    a.loc[a["district_code"] == DISTRICT, "district_code"] = code
    project.save()


def _with_small_area_code(project_file: Path, code: str) -> str:
    """Give the first small area of DISTRICT the code `code`; return its old code."""
    project = CensusProject.open(project_file)
    a = project["small_areas"]
    row = a.index[a["district_code"] == DISTRICT][0]
    old = a.loc[row, "code"]
    a.loc[row, "code"] = code
    b = project["buildings"]
    b.loc[b["small_area_code"] == old, "small_area_code"] = code
    project.save()
    return old


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_hostile_small_area_codes_are_refused_by_name(project_file, tmp_path, capsys, code):
    _with_small_area_code(project_file, code)
    out = tmp_path / "out" / "maps"
    for args in (["--kind", "small-area", "--district", DISTRICT], ["--kind", "small-area", "--small-area", code],
                 ["--kind", "atlas", "--small-area", code]):
        assert main(["maps", str(project_file), "--out", str(out), *args]) == 2, args
        err = capsys.readouterr().err
        assert code in err and "15" in err, args
        _clean(err)
        assert _files(out) == [] and _files(tmp_path) == ["out", "project"] and _files(tmp_path / "out") == ["maps"]


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_hostile_district_codes_are_refused_by_name(project_file, tmp_path, capsys, code):
    _with_district_code(project_file, code)
    out = tmp_path / "out"
    for args in (["--kind", "district"], ["--kind", "district", "--district", code], ["--kind", "atlas", "--district", code],
                 ["--kind", "small-area", "--one-file", "--district", code]):
        assert main(["maps", str(project_file), "--out", str(out), *args]) == 2, args
        err = capsys.readouterr().err
        assert code in err and "12" in err, args
        _clean(err)
        assert _files(out) == [] and _files(tmp_path) == ["out", "project"]


@pytest.mark.parametrize("code", ["../../x", "a/b", "CON"])
def test_a_hostile_township_code_is_refused_by_name(project_file, tmp_path, capsys, code):
    project = CensusProject.open(project_file)
    project.meta.township_code = code
    project.save()
    out = tmp_path / "out"
    for kind in ("township", "atlas"):
        assert main(["maps", str(project_file), "--out", str(out), "--kind", kind]) == 2
        err = capsys.readouterr().err
        assert code in err
        _clean(err)
    assert _files(out) == [] and _files(tmp_path) == ["out", "project"]


def test_a_name_with_a_colon_or_slash_only_reaches_the_map_not_the_file_name(project_file, tmp_path, capsys):
    project = CensusProject.open(project_file)
    d = project["districts"]
    d.loc[d["code"] == DISTRICT, "name"] = "东关:../../x/CON"
    project.save()
    out = tmp_path / "out"
    assert main(["maps", str(project_file), "--out", str(out), "--kind", "district", "--district", DISTRICT]) == 0
    _clean(capsys.readouterr().err)
    assert _files(out) == [f"district_{DISTRICT}.pdf"] and _files(tmp_path) == ["out", "project"]


# A full disk (point 8), simulated
# ---------------------------------------------------------------------------------------------

class _FullFile:
    """A real file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, fh, room: int):
        self._fh, self._room = fh, room

    def write(self, data):
        if len(data) > self._room:
            self._fh.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __iter__(self):
        return iter(self._fh)


def _full_disk_open(room: int = 100):
    real = open

    def fake(file, mode="r", *args, **kwargs):
        fh = real(file, mode, *args, **kwargs)
        return _FullFile(fh, room) if ("w" in mode or "a" in mode) else fh

    return fake


def _full_disk_said(err: str, path: Path) -> None:
    assert str(path) in err and "磁盘空间不足" in err and "剩余" in err
    _clean(err)


@pytest.mark.parametrize("name", ["lists.xlsx", "lists.csv"])
def test_lists_on_a_full_disk(project_file, tmp_path, capsys, monkeypatch, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    monkeypatch.setattr("gis_census.lists.open", _full_disk_open(), raising=False)
    assert main(["lists", str(project_file), "--out", str(out)]) == 2
    _full_disk_said(capsys.readouterr().err, out)
    assert _files(out.parent) == []


def test_check_report_on_a_full_disk(project_file, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    out.write_text("the old report")
    monkeypatch.setattr("gis_census.checks.report.open", _full_disk_open(), raising=False)
    assert main(["check", str(project_file), "--report", str(out), "--no-save"]) == 2
    _full_disk_said(capsys.readouterr().err, out)
    assert _files(out.parent) == ["report.html"] and out.read_text() == "the old report"


@pytest.mark.parametrize("kind", ["small-area", "district", "township", "atlas"])
def test_maps_drawing_on_a_full_disk(project_file, tmp_path, capsys, monkeypatch, kind):
    monkeypatch.setattr("gis_census.maps.render.open", _full_disk_open(1000), raising=False)
    out = tmp_path / "out"
    args = ["--district", DISTRICT] if kind != "township" else []
    assert main(["maps", str(project_file), "--out", str(out), "--kind", kind, *args]) == 2
    err = capsys.readouterr().err
    _full_disk_said(err, out)
    assert ".pdf" in err and _files(out) == []


def test_atlas_bookmarks_on_a_full_disk(project_file, tmp_path, capsys, monkeypatch):
    from pypdf import PdfWriter

    def full(self, stream):
        stream.write(b"%PDF-1.7 half")
        raise ENOSPC

    monkeypatch.setattr(PdfWriter, "write", full)
    out = tmp_path / "out"
    assert main(["maps", str(project_file), "--out", str(out), "--kind", "atlas", "--district", DISTRICT]) == 2
    _full_disk_said(capsys.readouterr().err, out / f"atlas_{DISTRICT}.pdf")
    assert _files(out) == []


# A full disk, for real: a small tmpfs (root only)
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 16 KB tmpfs mounted at a fresh folder; skipped where mounting is not permitted."""
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_really_full_disk(project_file, small_disk, capsys):
    for name in ("lists.xlsx", "lists.csv"):
        assert main(["lists", str(project_file), "--out", str(small_disk / name)]) == 2
        _full_disk_said(capsys.readouterr().err, small_disk / "lists")  # lists.csv may fit, lists_buildings.csv not
        assert _files(small_disk) == []
    report = small_disk / "report.html"
    assert main(["check", str(project_file), "--report", str(report), "--no-save"]) == 2
    _full_disk_said(capsys.readouterr().err, report)
    assert _files(small_disk) == []
    for kind in ("small-area", "district", "township", "atlas"):
        args = ["--district", DISTRICT] if kind != "township" else []
        assert main(["maps", str(project_file), "--out", str(small_disk), "--kind", kind, *args]) == 2, kind
        _full_disk_said(capsys.readouterr().err, small_disk)
        names = _files(small_disk)  # whole maps that fitted may stay; never a partial or temporary file
        assert not [n for n in names if n.startswith(".")], names
        for name in names:
            (small_disk / name).unlink()


def test_a_really_full_disk_with_worker_processes(project_file, small_disk, capfd):
    from gis_census.maps import make_maps

    with pytest.raises(CensusError) as caught:
        make_maps(CensusProject.open(project_file), small_disk, "atlas", district=DISTRICT, workers=2, lang="zh")
    assert caught.value.key == "output_disk_full" and str(small_disk / f"atlas_{DISTRICT}.pdf") in caught.value.message()
    assert _files(small_disk) == []
    _clean(capfd.readouterr().err)  # nor from the worker processes


def test_a_full_disk_under_the_font_cache(project_file, small_disk, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIS_CENSUS_CACHE", str(small_disk / "cache"))
    out = tmp_path / "out"
    assert main(["maps", str(project_file), "--out", str(out), "--kind", "township"]) == 2
    err = capsys.readouterr().err
    assert str(small_disk / "cache") in err and "磁盘空间不足" in err
    _clean(err)
    assert _files(out) == [] and _files(small_disk / "cache" / "fonts") == []
