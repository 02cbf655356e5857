"""The engine never imports Qt, and its stages import only the floors below them (import-linter)."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert "Stages in pipeline order: each imports only the floors below it KEPT" in result.stdout
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("module, imports", [("checks/population.py", "gis_census.divide"),
                                             ("rules.py", "gis_census.checks"),
                                             ("numbering/walk.py", "gis_census.checks")])
def test_the_layers_contract_refuses_an_import_back_up(tmp_path, module, imports):
    """A check that asks the divider, a rule that asks the checker, numbering that asks its sibling: each is refused."""
    shutil.copytree(ROOT / "gis_census", tmp_path / "gis_census", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / "gis_census" / module, "a", encoding="utf-8") as f:
        f.write(f"\nimport {imports}  # noqa\n")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    result = subprocess.run([lint], capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode != 0
    assert "Stages in pipeline order: each imports only the floors below it BROKEN" in result.stdout
