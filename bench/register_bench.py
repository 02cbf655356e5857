"""How well the household register's addresses are matched to buildings, against the truth kept by the
demo generator, and how fast; a plain exact-string lookup of the raw address is the baseline, in the same run.

Run: .venv/bin/python bench/register_bench.py [--seed 2020] [--rows 100000]

The sample township's synthetic register (户籍, 暂住 and 境外 tables, every row one person) is matched four
ways: the raw address looked up among the buildings' addresses; match_addresses without an alias table (old
street names are left for a person, as the issue asks); with the civil-affairs renamings the demo writes
(street_renames.csv); and that again without the register's 所属村/居委会 column. Counted, per row: "matched"
is a row given one building automatically; precision is the share of those that are the truth's building;
"left" (for a person) is ambiguous + unmatched; a row the truth gives no building (空挂户 at a demolished
address, an address outside the township) is "kept out" when left unmatched, and a wrong match otherwise.
Then a register of --rows rows is matched cold (a new project object, so the building index is built inside
the time) and again warm.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from gis_census.demo.register import make_register, make_register_rows, write_register  # noqa: E402
from gis_census.project import CensusProject  # noqa: E402
from gis_census.register import MATCHED, Matches, match_addresses  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo_township.gpkg"
ADDRESS = {"户籍": "住址", "暂住": "暂住地址", "境外": "住宿地址"}
VILLAGE = "所属村/居委会"


def exact_string(project: CensusProject, addresses: pd.Series) -> Matches:
    """The baseline: a row is matched when its raw address is some building's address, character for character."""
    buildings = project["buildings"]
    ids = dict(zip(buildings["address"], buildings["id"]))
    found = addresses.map(ids).fillna(-1).to_numpy(np.int64)
    status = np.where(found >= 0, MATCHED, "unmatched").astype(object)
    return Matches(found, status, (found >= 0).astype(float), ((),) * len(found), addresses.to_numpy(object))


def score(matches: Matches, truth: np.ndarray) -> dict[str, float]:
    """The figures of one way of matching against the true building ids (-1: the row should stay unmatched)."""
    matched = matches.status == MATCHED
    right = matched & (matches.building_id == truth)
    matchable = truth >= 0
    return {
        "matched": matched.mean(),
        "matched_of_matchable": (matched & matchable).sum() / matchable.sum(),
        "precision": right.sum() / max(1, matched.sum()),
        "wrong": int((matched & ~right).sum()),
        "left": int((~matched).sum()),
        "ambiguous": int((matches.status == "ambiguous").sum()),
        "kept_out": (~matched[~matchable]).sum() / max(1, (~matchable).sum()),
    }


def register(project: CensusProject, seed: int) -> tuple[pd.Series, pd.Series, np.ndarray, pd.Series]:
    """All three tables' addresses and villages, the true building per row, and each row's noise kinds."""
    tables, truth = make_register(project, seed)
    addresses = pd.concat([tables[k][c] for k, c in ADDRESS.items()], ignore_index=True)
    villages = pd.concat([tables[k][VILLAGE] for k in ADDRESS], ignore_index=True)
    order = pd.concat([t.assign(row=t["序号"], sheet=k)[["sheet", "row"]] for k, t in tables.items()], ignore_index=True)
    truth = order.merge(truth, on=["sheet", "row"], how="left")
    return addresses, villages, truth["building_id"].fillna(-1).to_numpy(np.int64), truth["noise"].fillna("")


def renamings(project: CensusProject, seed: int) -> dict[str, str]:
    """Old street name -> present name, read from the street_renames.csv the demo writes beside its register."""
    with tempfile.TemporaryDirectory() as folder:
        table = pd.read_csv(write_register(project, Path(folder), seed)["renames"], dtype=str)
    return dict(zip(table["旧名"], table["现名"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    project = CensusProject.open(SAMPLE)
    addresses, villages, truth, noise = register(project, args.seed)
    aliases = renamings(project, args.seed)
    print(f"register of the sample township (seed {args.seed}): {len(truth)} rows, {(truth >= 0).sum()} with a "
          f"building in the truth, {(truth < 0).sum()} without (demolished or outside); {len(aliases)} renamed streets")
    ways = {
        "exact string (baseline)": lambda: exact_string(project, addresses),
        "normalised, no aliases": lambda: match_addresses(project, addresses, villages),
        "normalised + renamings": lambda: match_addresses(project, addresses, villages, aliases=aliases),
        "same, no village column": lambda: match_addresses(project, addresses, aliases=aliases),
    }
    print(f"{'':26}{'matched':>9}{'of matchable':>14}{'precision':>11}{'wrong':>7}{'left':>7}{'ambig.':>8}"
          f"{'kept out':>10}{'s':>7}")
    results = {}
    for name, way in ways.items():
        start = time.perf_counter()
        results[name] = matches = way()
        seconds = time.perf_counter() - start
        s = score(matches, truth)
        print(f"{name:26}{s['matched']:9.1%}{s['matched_of_matchable']:14.1%}{s['precision']:11.2%}{s['wrong']:7}"
              f"{s['left']:7}{s['ambiguous']:8}{s['kept_out']:10.1%}{seconds:7.2f}")

    best = results["normalised + renamings"]
    wrong = (best.status == MATCHED) & (best.building_id != truth)
    kinds = noise[wrong].replace("", "(none)").value_counts()
    print("\nwrong matches (normalised + renamings) by the noise in their address: "
          + (", ".join(f"{kind} {n}" for kind, n in kinds.items()) or "none"))
    left = (results["normalised, no aliases"].status != MATCHED) & (truth >= 0)
    kinds = noise[left].str.split(";").explode().value_counts()
    print(f"{left.sum()} rows with a building left for a person (no aliases), {noise[left].str.contains('old_street').sum()}"
          " of them with an old street name; by noise kind (a row counts under each of its kinds):")
    print("  " + ", ".join(f"{kind} {n}" for kind, n in kinds.items()))

    print("\nfuzzy street threshold (rapidfuzz ratio): matched share of matchable rows, precision, wrong matches")
    print(f"{'':7}{'no aliases':>36}{'with renamings':>36}")
    for threshold in (0, 30, 40, 50, 60, 67, 70, 80, 100):
        line = f"  {threshold:>3}: "
        for known in ({}, aliases):
            s = score(match_addresses(project, addresses, villages, aliases=known, min_similarity=threshold), truth)
            line += f"{s['matched_of_matchable']:14.2%}{s['precision']:12.3%}{s['wrong']:10}"
        print(line)

    big, big_truth = make_register_rows(project, args.rows, args.seed)
    fresh = CensusProject.open(SAMPLE)  # no index cached yet
    print(f"\n{len(big)} rows of 户籍 (the township's register drawn again as often as needed), with renamings:")
    for label in ("cold, index built", "warm, index cached"):
        start = time.perf_counter()
        matches = match_addresses(fresh, big["住址"], big[VILLAGE], aliases=aliases)
        seconds = time.perf_counter() - start
        s = score(matches, big_truth["building_id"].fillna(-1).to_numpy(np.int64))
        print(f"  {label}: {seconds:.2f} s; matched {s['matched_of_matchable']:.2%} of matchable at precision "
              f"{s['precision']:.2%}, {len(set(big['住址']))} distinct addresses")

if __name__ == "__main__":
    main()
