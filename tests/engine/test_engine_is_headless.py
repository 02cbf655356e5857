"""The engine never imports Qt: everything it does must run on a machine without a screen."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import gis_census

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_engine_module_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(gis_census.__path__, "gis_census.")]
    assert "gis_census.project" in modules and "gis_census.cli" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_linter_contract_holds():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The engine never imports Qt KEPT" in result.stdout
    assert "Contracts: 4 kept, 0 broken." in result.stdout  # the layers: rules → checks / divide, never back
