"""The status bar shows the county's acceptance (验收) of the division, and says so as soon as an edit changes it."""

from __future__ import annotations

from datetime import datetime, timezone

from gis_census.checks.acceptance import accept
from gis_census.editing import merge_small_areas
from gis_census.project import CensusProject

TODAY = datetime.now(timezone.utc).strftime("%Y-%m-%d")


def test_the_status_bar_shows_not_accepted_then_accepted_then_changed(window, township_file, qtbot):
    assert window.open_project(township_file)
    assert window._acceptance.text() == "未验收"

    project = CensusProject.open(township_file)
    accept(project, "王审核", [], [])  # the refusal of errors is the engine's (tests/engine/test_accept.py)
    project.save()
    assert window.open_project(township_file)
    assert window._acceptance.text() == f"已验收（{TODAY}，王审核），未改动"

    window.document.perform(merge_small_areas, ["370481102201001", "370481102201002"])
    qtbot.waitUntil(lambda: "此后有改动" in window._acceptance.text())
    assert window._acceptance.text() == f"已验收（{TODAY}，王审核），此后有改动"
    assert window._acceptance.toolTip() == (f"已验收（{TODAY}，王审核），此后有改动：删除普查小区 1 个（370481102201002）、"
                                            "改绘普查小区 1 个（370481102201001）、"
                                            "改变所属小区的建筑物 3 栋（编号 1, 2, 3）")  # the edit stamps the merged area's code
    window.document.history.undo()
    qtbot.waitUntil(lambda: window._acceptance.text().endswith("未改动"))


def test_a_merged_county_opens_to_browse_every_township_and_says_it_is_read_only(window, tmp_path):
    from gis_census.county import merge_county
    from gis_census.demo import make_county
    from gis_census.demo.project import township_projects

    (tmp_path / "t").mkdir()
    files = [p.save(tmp_path / "t" / f"{p.meta.township_code}.gpkg")
             for p in township_projects(make_county(townships=2, villages_per_township=3))]
    county = merge_county(files).project.save(tmp_path / "county.gpkg")
    window.errors = []
    window.report_error = lambda title, message: window.errors.append(message)
    assert window.open_project(county)
    assert window.windowTitle() == "gis-census — county（全县合并，只读）"
    assert set(window.project["villages"]["code"].str[:9]) == {p.name[:9] for p in files}
    assert not window.save()
    assert any("只供查看，不能保存" in e for e in window.errors)
