"""Language choice and message lookup for the engine and the command line (Chinese by default)."""

from __future__ import annotations

import os
from typing import Literal

from gis_census.messages import MESSAGES

__all__ = ["Language", "current_language", "set_language", "tr"]

Language = Literal["zh", "en"]
_chosen: Language | None = None


def set_language(lang: str | None) -> None:
    """Choose the language of messages: "zh", "en", or None to follow the environment."""
    global _chosen
    chosen = _language(lang)
    if lang is not None and chosen is None:
        raise ValueError(f"unknown language {lang!r}: use 'zh' or 'en'")
    _chosen = chosen


def current_language() -> Language:
    """The chosen language, else GIS_CENSUS_LANG, else English where LANG says so, else Chinese."""
    if _chosen:
        return _chosen
    setting = _language(os.environ.get("GIS_CENSUS_LANG"))
    if setting:
        return setting
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def _language(value: str | None) -> Language | None:
    """`value` as a Language, or None when it names none."""
    return "zh" if value == "zh" else "en" if value == "en" else None


def tr(key: str, lang: str | None = None, **params) -> str:
    """The message `key` in `lang` (default: current language) with `params` filled in."""
    lang = lang or current_language()
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    if "role" in params:  # a layer or field role is named in the reader's language too
        params = {**params, "role": tr("role_" + params["role"], lang)}
    return text.format(**params) if params else text
