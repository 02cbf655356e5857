"""Corrupted copies of the sample township's input files, run through `gis-census new`.

Used by tests/engine/test_fuzz_inputs.py (a few hundred cases) and, for a longer run, directly:

    python tests/fuzzing.py --count 2000 [--seed 2026]

Every case copies the clean inputs, breaks one component file (truncated, bits flipped, a block
overwritten with random bytes or zeros, or a coordinate made infinite, NaN or huge) and runs
`new` in-process. The rule: exit 0, or exit 2 with an error message and nothing written; never
exit 3 (internal error), a traceback, a Python warning, or text GDAL prints behind Python's back.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shutil
import struct
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "inputs"
BUILDINGS_KEPT = 150  # a subset of the sample's 5,655 buildings keeps each run short

# role -> (main file, its component files); the first component is what --ROLE names
ROLES = {
    "villages": ["villages.shp", "villages.shx", "villages.dbf", "villages.prj", "villages.cpg"],
    "buildings": ["buildings.gpkg"],
    "roads": ["roads.geojson"],
    "water": ["water.kml"],
    "landmarks": ["landmarks.geojson"],
}
KINDS = ("truncate", "bitflip", "block_random", "block_zero", "nonfinite")
SPECIAL_DOUBLES = (float("inf"), float("-inf"), float("nan"), 1e308, -1e300, 4e8)
SPECIAL_TEXT = ("1e999", "-1e999", "NaN", "Infinity", "1e308", "400", "-95.5", "39513000")
_NUMBER = re.compile(rb"-?\d+\.\d+")


@dataclass(frozen=True)
class Case:
    number: int
    role: str  # the input given besides the villages (or "villages" alone)
    component: str  # the file broken
    kind: str
    seed: int  # drives the corruption itself

    @property
    def name(self) -> str:
        return f"{self.number:04d}-{self.component}-{self.kind}"


@dataclass
class Outcome:
    case: Case
    rc: int | None
    out: str
    err: str
    warnings: list[str]
    written: list[str]  # files in the (empty) project folder afterwards
    seconds: float

    @property
    def problems(self) -> list[str]:
        """What breaks the rule, in words (empty when the case behaved)."""
        found = []
        if self.rc not in (0, 2):
            found.append(f"exit {self.rc}")
        if "Traceback" in self.err or "Traceback" in self.out:
            found.append("traceback")
        if self.rc == 2 and not (self.err.startswith("错误：") or self.err.startswith("Error: ")):
            found.append("exit 2 without an error message")
        if self.warnings:
            found.append("warnings: " + "; ".join(self.warnings))
        stray = [line for line in self.err.splitlines() if re.match(r"(ERROR|Warning) \d+:", line)]
        if stray:
            found.append("GDAL printed: " + "; ".join(stray[:3]))
        if self.rc != 0 and self.written:
            found.append(f"written on refusal: {self.written}")
        if self.rc == 0 and self.written != ["project.gpkg"]:
            found.append(f"exit 0 but the folder holds {self.written}")
        return found


def write_base(folder: Path) -> dict[str, Path]:
    """The clean inputs in `folder`: the sample's files, with a subset of its buildings."""
    import pyogrio

    folder.mkdir(parents=True, exist_ok=True)
    for role, files in ROLES.items():
        if role == "buildings":
            continue
        for name in files:
            shutil.copyfile(SAMPLE / name, folder / name)
    # A fixed date makes the GeoPackage the same bytes on every run, so every corruption is too.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2020-11-01T00:00:00Z"})
    try:
        buildings = pyogrio.read_dataframe(SAMPLE / "buildings.gpkg", max_features=BUILDINGS_KEPT)
        pyogrio.write_dataframe(buildings, folder / "buildings.gpkg", layer="buildings")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    return {role: folder / files[0] for role, files in ROLES.items()}


def make_cases(count: int, seed: int = 2026) -> list[Case]:
    """`count` cases, the same ones for the same seed: every component and kind in turn, then at random."""
    rng = random.Random(seed)
    components = [(role, name) for role, files in ROLES.items() for name in files]
    cases = []
    for number in range(count):
        if number < len(components) * len(KINDS):  # one of each first
            role, component = components[number % len(components)]
            kind = KINDS[number // len(components)]
        else:
            role, component = rng.choice(components)
            kind = rng.choice(KINDS)
        if role == "villages" and number % 2:
            role = rng.choice([r for r in ROLES if r != "villages"])  # broken villages with some other input
        cases.append(Case(number, role, component, kind, rng.randrange(2**32)))
    return cases


def corrupt(data: bytes, case: Case) -> bytes:
    """`data` broken as `case` says (deterministic for the case's seed)."""
    rng = random.Random(case.seed)
    if not data:
        return b"\x00" * rng.randrange(1, 64)
    data = bytearray(data)
    n = len(data)
    if case.kind == "truncate":
        return bytes(data[: rng.randrange(n)])
    if case.kind == "bitflip":
        for _ in range(rng.randrange(1, 33)):
            i = rng.randrange(n)
            data[i] ^= 1 << rng.randrange(8)
        return bytes(data)
    if case.kind in ("block_random", "block_zero"):
        start = rng.randrange(n)
        length = min(rng.choice((1, 4, 8, 16, 64, 256, 4096)), n - start)
        block = bytes(rng.randrange(256) for _ in range(length)) if case.kind == "block_random" else bytes(length)
        data[start : start + length] = block
        return bytes(data)
    # nonfinite: a coordinate becomes infinite, NaN, huge or out of range
    numbers = list(_NUMBER.finditer(data)) if case.component.endswith((".geojson", ".kml")) else []
    if numbers:
        for match in rng.sample(numbers, min(len(numbers), rng.randrange(1, 4))):
            token = rng.choice(SPECIAL_TEXT).encode()
            data[match.start() : match.end()] = token.ljust(match.end() - match.start())  # same length: offsets hold
        return bytes(data)
    start = 100 if case.component.endswith(".shp") else 0  # past the Shapefile header: mostly coordinates
    if n < start + 8:
        return bytes(data)
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(start, n - 7)
        data[i : i + 8] = struct.pack("<d", rng.choice(SPECIAL_DOUBLES))
    return bytes(data)


def _nonfinite_gpkg(base: Path, target: Path, case: Case) -> None:
    """The buildings GeoPackage rewritten with one vertex of one building made impossible."""
    import numpy as np
    import pyogrio
    import shapely

    rng = random.Random(case.seed)
    gdf = pyogrio.read_dataframe(base)
    i = rng.randrange(len(gdf))
    coords = shapely.get_coordinates(gdf.geometry.iloc[i]).copy()
    coords[rng.randrange(1, 3), rng.randrange(2)] = rng.choice(SPECIAL_DOUBLES)  # not a ring's first or last point
    with np.errstate(invalid="ignore"):
        gdf.loc[gdf.index[i], "geometry"] = shapely.set_coordinates(gdf.geometry.iloc[i], coords)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2020-11-01T00:00:00Z"})
    try:
        pyogrio.write_dataframe(gdf, target, layer="buildings")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def prepare(case: Case, base: dict[str, Path], folder: Path) -> list[str]:
    """The case's inputs in `folder` (one component broken); the arguments after `new PROJECT`."""
    folder.mkdir(parents=True, exist_ok=True)
    roles = ["villages"] + ([case.role] if case.role != "villages" else [])
    broken_role = next(r for r, files in ROLES.items() if case.component in files)
    if broken_role not in roles:
        roles.append(broken_role)
    args = []
    for role in roles:
        for name in ROLES[role]:
            source, target = base[role].parent / name, folder / name
            if name != case.component:
                shutil.copyfile(source, target)
            elif case.kind == "nonfinite" and name.endswith(".gpkg"):
                _nonfinite_gpkg(source, target, case)
            else:
                target.write_bytes(corrupt(source.read_bytes(), case))
        args += [f"--{role}", str(folder / ROLES[role][0])]
    return args


@contextlib.contextmanager
def _captured_fds():
    """Everything written to fd 1 and 2 (Python and C alike) while inside, as a dict filled on exit."""
    result = {}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush(), sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
        py_out, py_err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(py_out), contextlib.redirect_stderr(py_err):
                yield result
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])
            out.seek(0), err.seek(0)
            result["out"] = py_out.getvalue() + out.read().decode("utf-8", "replace")
            result["err"] = py_err.getvalue() + err.read().decode("utf-8", "replace")


def run_case(case: Case, base: dict[str, Path], work: Path) -> Outcome:
    """Run `new` on the case's inputs; the project goes to work/out/project.gpkg."""
    from gis_census.cli import main

    args = prepare(case, base, work / "in")
    out_dir = work / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    project = out_dir / "project.gpkg"
    started = time.perf_counter()
    rc = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with _captured_fds() as text:
            try:
                rc = main(["new", str(project), *args])
            except BaseException as exc:  # noqa: BLE001 - anything escaping main is the finding
                import traceback

                print("Traceback (escaped main):\n" + "".join(traceback.format_exception(exc)), file=sys.stderr)
    return Outcome(case, rc, text["out"], text["err"], [f"{w.category.__name__}: {w.message}" for w in caught],
                   sorted(p.name for p in out_dir.iterdir()), time.perf_counter() - started)


def run_all(count: int, seed: int = 2026, folder: Path | None = None) -> list[Outcome]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(folder or tmp)
        base = write_base(root / "base")
        outcomes = []
        for case in make_cases(count, seed):
            work = root / case.name
            outcomes.append(run_case(case, base, work))
            shutil.rmtree(work, ignore_errors=True)
        return outcomes


def _report(outcomes: list[Outcome]) -> int:
    tally = Counter(o.rc for o in outcomes)
    bad = [o for o in outcomes if o.problems]
    print(f"{len(outcomes)} cases: " + ", ".join(f"exit {rc}: {n}" for rc, n in sorted(tally.items(), key=str)))
    print(f"slowest: {max(o.seconds for o in outcomes):.2f} s, total {sum(o.seconds for o in outcomes):.1f} s")
    by_kind = Counter((o.case.component, o.rc) for o in outcomes)
    print(json.dumps({f"{c} exit {rc}": n for (c, rc), n in sorted(by_kind.items(), key=str)}, indent=1))
    for o in bad:
        print(f"--- {o.case.name} (role {o.case.role}): {o.problems}\n{o.err[-1500:]}")
    return 1 if bad else 0


if __name__ == "__main__":
    import argparse

    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    sys.exit(_report(run_all(options.count, options.seed)))
