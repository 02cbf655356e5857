"""Corrupted office inputs never crash `gis-census new`: exit 0, or exit 2 with a message and nothing written.

The cases (tests/fuzzing.py) break one component of the sample township's inputs at a time: the
villages Shapefile's .shp, .shx, .dbf, .prj and .cpg, a buildings GeoPackage, roads and landmarks
GeoJSON and water KML; truncated, bits flipped, a block overwritten with random bytes or zeros, or
coordinates made infinite, NaN, huge or out of range. Seeded, so every run breaks them the same way.
"""

from __future__ import annotations

import hashlib

import pytest

from fuzzing import KINDS, ROLES, corrupt, make_cases, run_case, write_base

COUNT = 240
CASES = make_cases(COUNT, seed=2026)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return write_base(tmp_path_factory.mktemp("fuzz") / "base")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corrupted_input_is_read_or_refused_cleanly(case, base, tmp_path):
    outcome = run_case(case, base, tmp_path)
    assert not outcome.problems, f"{outcome.problems}\n--- stdout\n{outcome.out}\n--- stderr\n{outcome.err}"


def test_the_cases_cover_every_component_and_kind():
    covered = {(c.component, c.kind) for c in CASES}
    assert covered == {(name, kind) for files in ROLES.values() for name in files for kind in KINDS}


def test_the_cases_are_the_same_on_every_run(tmp_path):
    assert make_cases(COUNT, seed=2026) == CASES
    digests = []
    for run in ("a", "b"):
        files = write_base(tmp_path / run)
        folder = files["villages"].parent
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())})
    assert digests[0] == digests[1]
    data = (tmp_path / "a" / "roads.geojson").read_bytes()
    for case in CASES[:50]:
        assert corrupt(data, case) == corrupt(data, case)
