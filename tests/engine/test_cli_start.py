"""The command line starts light: its help and the refusals made before any work import no numerical or GIS library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gis_census.cli import _VERBS
from gis_census.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
#: What `gis-census --help` must not pay for (0.4 s of imports): each verb imports its engine when it runs.
HEAVY = {"numpy", "pandas", "geopandas", "shapely", "pyogrio", "pyproj", "matplotlib", "reportlab", "xlsxwriter"}
RUN = """
import json, sys
from gis_census.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exit_:
    status = exit_.code
print(json.dumps({"status": status, "heavy": sorted({m.split(".")[0] for m in sys.modules} & HEAVY)}), file=sys.stderr)
"""


def _start(*argv, lang: str | None = None) -> tuple[int, list[str], str, str]:
    """Run `main(argv)` in a fresh interpreter: (exit status, heavy modules imported, stdout, stderr before the report)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "GIS_CENSUS_LANG")}
    if lang:
        env["GIS_CENSUS_LANG"] = lang
    code = f"HEAVY = set({sorted(HEAVY)!r})\n{RUN}"
    done = subprocess.run([sys.executable, "-c", code, *map(str, argv)], capture_output=True, text=True, cwd=ROOT,
                          env=env, encoding="utf-8")
    *err, report = done.stderr.rstrip("\n").split("\n")
    result = json.loads(report)
    return result["status"], set(result["heavy"]), done.stdout, "\n".join(err)


def test_help_is_chinese_by_default_and_imports_nothing_heavy():
    status, heavy, out, err = _start("--help")
    assert (status, heavy, err) == (0, set(), "")
    assert out.startswith("usage: gis-census") and MESSAGES["cli_description"][0] in out
    assert all(verb in out for verb in _VERBS) and MESSAGES["cli_lists"][0] in out


def test_english_help_imports_nothing_heavy_either():
    status, heavy, out, _ = _start("--help", lang="en")
    assert (status, heavy) == (0, set())
    assert MESSAGES["cli_description"][1] in out


@pytest.mark.parametrize("verb", list(_VERBS))
def test_the_help_of_every_verb_imports_nothing_heavy(verb):
    status, heavy, out, _ = _start(verb, "--help")
    assert (status, heavy) == (0, set())
    assert out.startswith(f"usage: gis-census {verb}")


def test_refusals_before_the_work_import_nothing_heavy(tmp_path):
    existing = tmp_path / "p.gpkg"
    existing.write_bytes(b"")
    status, heavy, _, err = _start("new", existing, "--villages", tmp_path / "v.shp")
    assert (status, heavy) == (2, set()) and MESSAGES["project_exists"][0].split("{")[0] in err
    status, heavy, _, err = _start("set", existing)
    assert (status, heavy) == (2, set()) and MESSAGES["set_nothing"][0] in err
    status, heavy, _, err = _start("lists", existing)  # --out missing: argparse's usage error
    assert (status, heavy) == (2, set()) and "--out" in err
