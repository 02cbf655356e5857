"""`gis-census accept`: refusal with errors, approved exceptions, the division's fingerprint across saves and edits."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import shapely
from test_report import VILLAGE, X0, Y0, one_village_project

from gis_census.checks.acceptance import acceptance
from gis_census.cli import main
from gis_census.project import CensusProject

TODAY = datetime.now(timezone.utc).strftime("%Y-%m-%d")
HALL = VILLAGE + "002"  # the small area holding the dormitory


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def dormitory(tmp_path):
    """Two small areas; the eastern one is a single dormitory of 1,200 people, which no boundary can divide."""
    project = one_village_project([(0, 100), (100, 200)], people=150)
    buildings, areas = project["buildings"], project["small_areas"]
    buildings.loc[buildings["id"] == 2, ["population", "households"]] = [1200, 400]
    areas.loc[areas["code"] == HALL, ["population", "households"]] = [1200, 400]
    return project.save(tmp_path / "p.gpkg")


@pytest.fixture
def accepted(dormitory, capsys):
    assert run(capsys, "accept", dormitory, "--reviewer", "王审核", "--exception", f"{HALL}:独栋宿舍楼，无法再分")[0] == 0
    return dormitory


def test_errors_not_excepted_are_refused_and_nothing_is_written(tmp_path, capsys):
    path = one_village_project([(0, 110), (100, 190)], people=150).save(tmp_path / "p.gpkg")
    before = path.read_bytes()
    rc, out, err = run(capsys, "accept", path, "--reviewer", "王审核")
    assert rc == 2 and out == ""
    assert "仍有 2 个错误不在批准的例外之内，未验收（文件未改动）" in err
    assert "重叠" in err and "空隙" in err
    assert path.read_bytes() == before
    rc, out, _ = run(capsys, "check", path, "--no-save")
    assert out.splitlines()[1] == "未验收"  # under the verdict


def test_an_approved_exception_lets_its_error_through_and_is_recorded(dormitory, capsys):
    rc, _, err = run(capsys, "accept", dormitory, "--reviewer", "王审核")
    assert rc == 2 and HALL in err and "人口超出上下限" in err
    rc, out, _ = run(capsys, "accept", dormitory, "--reviewer", "王审核", "--exception", f"{HALL}：独栋宿舍楼，无法再分")
    assert rc == 0
    assert f"已验收 {dormitory}：审核人 王审核，{TODAY}，批准例外 1 项" in out
    assert f"例外 {HALL}：独栋宿舍楼，无法再分" in out
    record = acceptance(CensusProject.open(dormitory, lazy=True))
    assert record is not None
    assert (record.reviewer, record.date) == ("王审核", TODAY)
    assert [(e.code, e.reason) for e in record.exceptions] == [(HALL, "独栋宿舍楼，无法再分")]
    assert record.changes.empty


@pytest.mark.parametrize("exception, message", [
    ("370481102001009:没有这个小区", "没有以下例外所指的普查小区或建筑物"),
    (HALL, f"例外“{HALL}”格式不对：应为 代码:理由"),
    (f"{HALL}:  ", "格式不对"),
])
def test_an_exception_naming_nothing_or_without_reason_is_refused(dormitory, capsys, exception, message):
    before = dormitory.read_bytes()
    rc, _, err = run(capsys, "accept", dormitory, "--reviewer", "王审核", "--exception", exception)
    assert rc == 2 and message in err
    assert dormitory.read_bytes() == before


def test_check_says_unchanged_after_saves_that_change_nothing(accepted, capsys):
    project = CensusProject.open(accepted)
    fingerprint = acceptance(project).hash
    project.save()  # nothing changed
    assert run(capsys, "check", accepted)[0] == 1  # the approved error is still an error; it saves the problems layer
    rc, out, _ = run(capsys, "check", accepted, "--json")
    state = json.loads(out)["acceptance"]
    assert state["hash"] == fingerprint and state["reviewer"] == "王审核"
    assert state["exceptions"] == [{"code": HALL, "reason": "独栋宿舍楼，无法再分"}]
    assert not any(state["changes"].values())
    rc, out, _ = run(capsys, "check", accepted, "--no-save")
    assert out.splitlines()[1] == f"已验收（{TODAY}，王审核），未改动"


def test_check_lists_the_small_areas_and_buildings_changed_since(accepted, capsys, tmp_path):
    project = CensusProject.open(accepted)
    areas, buildings = project["small_areas"], project["buildings"]
    # The boundary moves 10 m west (both areas redrawn) and building 1 is assigned to the eastern area.
    areas.geometry = [shapely.box(X0, Y0, X0 + 90, Y0 + 100), shapely.box(X0 + 90, Y0, X0 + 200, Y0 + 100)]
    buildings.loc[buildings["id"] == 1, "small_area_code"] = HALL
    project.save()
    rc, out, _ = run(capsys, "check", accepted, "--no-save", "--report", tmp_path / "r.html")
    expected = (f"已验收（{TODAY}，王审核），此后有改动：改绘普查小区 2 个（{VILLAGE}001, {HALL}）、"
                "改变所属小区的建筑物 1 栋（编号 1）")
    assert out.splitlines()[1] == expected
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert expected in page and "独栋宿舍楼，无法再分" in page
    assert '<td class="sign">王审核</td>' in page and f'<td class="sign">{TODAY}</td>' in page  # signed off


def test_the_report_of_a_project_never_accepted_says_so(dormitory, capsys, tmp_path):
    run(capsys, "check", dormitory, "--no-save", "--report", tmp_path / "r.html")
    assert '<p class="acceptance">未验收</p>' in (tmp_path / "r.html").read_text(encoding="utf-8")
