"""Stairwells (单元) of blocks read from the register: "…7栋3单元501室" says block 7 has a third stairwell.

The division divides a block over the limit between its stairwells only when they are recorded (``units``), and
offices seldom type them in; the police's register names each household's 单元. After an import, a block whose
stairwells are not recorded takes the highest 单元 its placed 户籍 rows name — when the numbers named cover at least
half of 1…highest, so that one mistyped "31单元" records nothing. Only the 户籍 table, which lists every registered
household, is read: the 暂住 and 境外 tables name a few households of a block, and imported first they would record
too few stairwells for good. A recorded count is never changed, and the parts of a block already divided keep theirs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis_census.project import CensusProject
from gis_census.register.address import stairwell_numbers

__all__ = ["record_stairwells"]


def record_stairwells(project: CensusProject) -> int:
    """Record in ``units`` the stairwells the register's placed 户籍 rows name for each block with none recorded
    (see the module); return how many blocks were given theirs. The project is changed, not saved."""
    rows = project["register"]
    rows = rows[(rows["status"] == "matched") & (rows["kind"] == "户籍")]
    named = pd.DataFrame({"id": rows["building_id"].to_numpy(np.int64),
                          "n": stairwell_numbers(rows["address"].to_numpy(object))})
    named = named[named["n"] > 0].drop_duplicates()
    if named.empty:
        return 0
    counts = named.groupby("id")["n"].agg(["max", "size"])
    trusted = counts.loc[(counts["max"] >= 2) & (2 * counts["size"] >= counts["max"]), "max"]
    buildings = project["buildings"]
    ids = pd.Series(buildings["id"].to_numpy(np.int64))
    open_ = ((buildings["units"].fillna(0).to_numpy(np.int64) <= 0) & (buildings["part_of"].fillna(0).to_numpy(np.int64) == 0)
             & ids.isin(trusted.index).to_numpy())
    if not open_.any():
        return 0
    buildings = buildings.copy()
    buildings.loc[open_, "units"] = ids[open_].map(trusted).to_numpy(np.int64)
    project.layers["buildings"] = buildings
    return int(open_.sum())
