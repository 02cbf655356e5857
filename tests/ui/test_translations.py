"""The Chinese translation covers every text of the interface, and the shipped .qm matches the .ts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QTranslator

from ui.language import I18N_DIR

TS = I18N_DIR / "gis_census_zh_CN.ts"


def messages() -> list[tuple[str, str, ET.Element]]:
    return [(ctx.findtext("name"), m.findtext("source"), m.find("translation"))
            for ctx in ET.parse(TS).getroot() for m in ctx.findall("message")]


def test_every_text_is_translated():
    unfinished = [source for _, source, translation in messages()
                  if translation.get("type") == "unfinished" or not (translation.text or "").strip()]
    assert unfinished == []


def test_the_compiled_translation_is_up_to_date():
    translator = QTranslator()
    assert translator.load("gis_census_zh_CN", str(I18N_DIR))
    stale = [(context, source) for context, source, translation in messages()
             if translator.translate(context, source) != translation.text]
    assert stale == []
