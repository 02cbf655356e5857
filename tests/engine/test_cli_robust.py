"""The command line never fails inside: every help prints, --debug goes anywhere, no Python warning shows."""

from __future__ import annotations

import pytest

from gis_census import cli
from gis_census.cli import _VERBS, main
from gis_census.messages import MESSAGES
from refusals import CJK


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("verb", [None, *_VERBS])
def test_help_of_every_verb_exits_0(verb, lang, capsys):
    argv = ["--lang", lang] + ([verb] if verb else []) + ["--help"]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("usage: gis-census")
    assert bool(CJK.search(captured.out)) == (lang == "zh"), captured.out
    if verb == "divide":  # the help with a literal percent sign in both languages
        assert MESSAGES["cli_divide_tolerance"][0 if lang == "zh" else 1].split("±")[1] in captured.out


def test_help_after_lang_given_after_the_verb(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["divide", "--help", "--lang", "en"])
    assert exit_.value.code == 0
    assert "tolerance" in capsys.readouterr().out


def _broken_verb(monkeypatch):
    def boom(args):
        raise RuntimeError("boom in the engine")
    monkeypatch.setitem(cli._VERBS, "info", boom)


def test_internal_error_exits_3_with_a_message(monkeypatch, tmp_path, capsys):
    _broken_verb(monkeypatch)
    assert main(["info", str(tmp_path / "p.gpkg")]) == 3
    err = capsys.readouterr().err
    assert "RuntimeError: boom in the engine" in err and "--debug" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_verb_reraises(where, monkeypatch, tmp_path):
    _broken_verb(monkeypatch)
    argv = ["info", str(tmp_path / "p.gpkg")]
    argv = ["--debug", *argv] if where == "before" else [*argv, "--debug"]
    with pytest.raises(RuntimeError, match="boom in the engine"):
        main(argv)


def test_debug_after_the_verb_is_accepted_by_a_working_verb(project_file, capsys):
    assert main(["info", str(project_file), "--debug"]) == 0
    assert "370481102" in capsys.readouterr().out
