"""Stairwells (单元) read from the register's addresses: a block whose stairwells are not recorded takes the highest
单元 its placed rows name, when those are not too sparse to trust; a recorded count is kept; undo puts it back; and
the sample township divided after its own register is imported has no area of a whole apartment block over the
limit."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from gis_census.cli import main
from gis_census.demo.register import make_register
from gis_census.editing import History, register_import_edit
from gis_census.project import CensusProject
from gis_census.register import read_register_table
from gis_census.register.address import stairwell_numbers

ROOT = Path(__file__).resolve().parents[2]
BLOCK = "白坡镇杏坛街4号7栋"  # 542 people recorded, no stairwells
OTHER = "白坡镇杏坛街4号8栋"  # 503
SPARSE = "白坡镇杏坛街4号10栋"  # 466


@pytest.fixture
def project_file(tmp_path) -> Path:
    return Path(shutil.copy(ROOT / "sample_data" / "demo_township.gpkg", tmp_path / "p.gpkg"))


def register_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    """One two-person household per (address, below the building) pair."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["户号", "姓名", "与户主关系", "住址"])
        for h, (address, below) in enumerate(rows):
            for p in range(2):
                w.writerow([f"H{h}", f"测试{h}{p}", "户主" if p == 0 else "子", address + below])
    return path


def units(path: Path, *addresses: str) -> list[int]:
    b = CensusProject.open(path)["buildings"].set_index("address")
    return [int(b.loc[a, "units"]) for a in addresses]


def test_each_way_of_writing_a_stairwell_is_read():
    assert stairwell_numbers(["杏坛街4号7栋1单元1301室", "杏坛街4号7栋三单元501室", "7-3-501", "和平路十二号之一3单元301室",
                              "杏坛街4号7栋第十二单元", "和平路12号", "", None]).tolist() == [1, 3, 3, 3, 12, 0, 0, 0]


def test_a_block_takes_the_highest_stairwell_its_rows_name_and_the_division_splits_it(project_file, tmp_path, capsys):
    rows = [(BLOCK, f"{u}单元{f}01室") for u in (1, 2, 4, 5, 6) for f in (1, 2)]  # no row of stairwell 3: still 6
    rows += [(SPARSE, "1单元101室"), (SPARSE, "9单元101室")]  # 2 of 1…9 named: not trusted
    rows += [(OTHER, "1单元101室"), (OTHER, "4单元101室")]  # recorded below before the import: kept
    assert main(["building", str(project_file), OTHER, "--units", "3"]) == 0
    assert main(["register", "import", str(project_file), str(register_csv(tmp_path / "r.csv", rows))]) == 0
    assert "记录了 1 栋楼的单元数" in capsys.readouterr().out
    assert units(project_file, BLOCK, SPARSE, OTHER) == [6, 0, 3]
    # a block over the limit with its stairwells is divided between them; the sparse one stays whole
    assert main(["divide", str(project_file), "--district", "370481102001"]) == 0
    b = CensusProject.open(project_file)["buildings"]
    parts = b[b["address"].str.startswith(BLOCK)]
    assert len(parts) > 1 and parts["population"].sum() == 542 and parts["units"].sum() == 6
    assert (b["address"] == SPARSE).sum() == 1
    # a new import leaves the parts of the divided block as they are
    assert main(["register", "import", str(project_file), str(tmp_path / "r.csv")]) == 0
    again = CensusProject.open(project_file)["buildings"]
    assert again.loc[again["address"].str.startswith(BLOCK), "units"].tolist() == parts["units"].tolist()


def test_only_the_household_register_records_stairwells(project_file, tmp_path):
    """A temporary residents' table names a few households of a block: imported first, it must not record two
    stairwells for a block the 户籍 table then shows to have five."""
    few = register_csv(tmp_path / "暂住.csv", [(BLOCK, "1单元101室"), (BLOCK, "2单元101室")])
    assert main(["register", "import", str(project_file), str(few), "--kind", "暂住"]) == 0
    assert units(project_file, BLOCK) == [0]
    every = register_csv(tmp_path / "户籍.csv", [(BLOCK, f"{u}单元101室") for u in range(1, 6)])
    assert main(["register", "import", str(project_file), str(every)]) == 0
    assert units(project_file, BLOCK) == [5]


def test_undoing_the_import_takes_the_recorded_stairwells_back(project_file, tmp_path):
    project = CensusProject.open(project_file)
    history = History(project)
    table = read_register_table(register_csv(tmp_path / "r.csv", [(BLOCK, f"{u}单元101室") for u in (1, 2, 3)]))
    edit, stored = register_import_edit(project, table)
    history.push(edit)
    assert stored.stairwells == 1
    block = (project["buildings"]["address"] == BLOCK).to_numpy()
    assert project["buildings"].loc[block, "units"].tolist() == [3]
    history.undo()
    assert project["buildings"].loc[block, "units"].tolist() == [0]


def test_the_sample_divided_after_its_register_is_imported_keeps_every_area_within_a_fifth_of_300(project_file, tmp_path):
    """The sample's eleven apartment blocks of 363–542 people are areas of their own, over the limit, until the
    register names their stairwells; then nearly every area is within ±20 % of 300."""
    tables, _ = make_register(CensusProject.open(project_file), seed=2020)
    tables["户籍"].to_csv(tmp_path / "户籍.csv", index=False)
    assert main(["divide", str(project_file)]) == 0
    before = CensusProject.open(project_file)["small_areas"]["population"].to_numpy()
    assert main(["register", "import", str(project_file), str(tmp_path / "户籍.csv")]) == 0
    assert main(["divide", str(project_file)]) == 0
    project = CensusProject.open(project_file)
    after = project["small_areas"]["population"].to_numpy()
    within = {name: float(np.mean(np.abs(people / 300 - 1) <= 0.2)) for name, people in (("before", before), ("after", after))}
    assert within["before"] < 0.9 <= within["after"], within
    assert after.max() <= 360 and after.sum() == before.sum()
    assert main(["check", str(project_file)]) == 0
