"""The message catalog: every key used in the engine has Chinese and English words, and every placeholder is filled."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gis_census.i18n import tr
from gis_census.importing.fields import FIELD_CANDIDATES
from gis_census.messages import MESSAGES, PARTS
from refusals import CJK, placeholders

ENGINE = Path(__file__).resolve().parents[2] / "gis_census"


# The message catalog
# ---------------------------------------------------------------------------------------------


def test_each_key_has_one_home_in_the_catalog():
    """The catalog is split by stage; a key written in two parts would silently override the other."""
    seen: dict[str, str] = {}
    for part in PARTS:
        for key in part.MESSAGES:
            assert key not in seen, f"{key} is in both {seen[key]} and {part.__name__}"
            seen[key] = part.__name__
    assert set(seen) == set(MESSAGES)

_RAISERS = {"tr", "Finding", "InputError", "ProjectError", "CensusError"}
_NOT_PARAMS = {"tr": {"lang"}, "InputError": {"findings"}, "ProjectError": {"findings"}, "CensusError": {"findings"}}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def message_uses() -> list[tuple[str, set | None, str]]:
    """(key, names of the params passed or None when unknown, where) for every literal key in the engine."""
    uses = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _call_name(node) in _RAISERS and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            name = _call_name(node)
            where = f"{path.name}:{node.lineno}"
            if name == "Finding":
                params = next((k.value for k in node.keywords if k.arg == "params"), None)
                if params is None:
                    uses.append((first.value, set(), where))
                elif isinstance(params, ast.Dict) and all(isinstance(k, ast.Constant) for k in params.keys):
                    uses.append((first.value, {k.value for k in params.keys}, where))
                else:
                    uses.append((first.value, None, where))
                continue
            if any(k.arg is None for k in node.keywords):
                uses.append((first.value, None, where))
                continue
            skip = _NOT_PARAMS.get(name, set())
            uses.append((first.value, {k.arg for k in node.keywords if k.arg not in skip}, where))
    return uses


def other_keys_in_engine() -> set[str]:
    """Keys chosen at run time: string constants that look like notice keys (e.g. in `a if c else b`)."""
    keys = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"notice_[a-z_]+", node.value):
                keys.add(node.value)
    return keys


def test_engine_finds_message_uses():
    keys = {key for key, _, _ in message_uses()}
    assert {"missing_crs", "geometry_invalid", "code_duplicate", "input_refused", "project_exists"} <= keys


def test_every_key_used_exists_in_both_languages():
    used = {key for key, _, _ in message_uses()} | other_keys_in_engine()
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"keys used but not in MESSAGES: {missing}"
    for key in used:
        zh, en = MESSAGES[key]
        assert zh.strip() and en.strip(), key


def test_every_role_named_in_messages_has_words():
    roles = set(FIELD_CANDIDATES) | {"villages", "buildings", "roads", "water", "landmarks", "small_areas"}
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in ("read", "read_vector", "find_field") and len(node.args) > 1:
                if isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    roles.add(node.args[1].value)
    missing = sorted(r for r in roles if f"role_{r}" not in MESSAGES)
    assert not missing, f"roles without words: {missing}"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_formats_in_both_languages(key):
    zh, en = MESSAGES[key]
    assert placeholders(zh) == placeholders(en), f"{key}: the two languages take different params"
    params = {name: ("villages" if name == "role" else f"<{name}>") for name in placeholders(zh)}
    assert CJK.search(tr(key, "zh", **params)), f"{key}: the Chinese text has no Chinese"
    assert not CJK.search(tr(key, "en", **params)), f"{key}: the English text has Chinese in it"


def test_every_use_passes_the_params_its_message_needs():
    problems = []
    for key, given, where in message_uses():
        if key not in MESSAGES or given is None:
            continue
        for lang in ("zh", "en"):
            needed = placeholders(MESSAGES[key][0 if lang == "zh" else 1])
            if not needed <= given:
                problems.append(f"{where}: {key} ({lang}) needs {sorted(needed - given)}")
                continue
            try:
                tr(key, lang, **{name: ("villages" if name == "role" else "x") for name in given})
            except Exception as exc:  # noqa: BLE001 - any failure to format is the finding
                problems.append(f"{where}: {key} ({lang}) does not format: {exc!r}")
    assert not problems, "\n".join(problems)
