"""The interface language (Chinese by default, English on request) and a font that shows Chinese well."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from gis_census.i18n import current_language, set_language
from gis_census.schema import LAYERS

__all__ = ["setup_language", "layer_title"]

I18N_DIR = Path(__file__).with_name("i18n")
#: Simplified-Chinese faces, best first. A CJK collection opens on its Japanese face unless the
#: SC face is named, and some characters then take Japanese shapes.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei")

_installed: list[QTranslator] = []  # a translator removed by the garbage collector stops translating


def setup_language(app: QApplication, lang: str | None = None) -> str:
    """Choose the language for the engine's messages and Qt's texts; return it ("zh" or "en").

    `lang` None follows the engine's rule (GIS_CENSUS_LANG, then the locale, else Chinese).
    """
    set_language(lang)
    chosen = current_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if chosen == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in (("gis_census_zh_CN", str(I18N_DIR)), ("qtbase_zh_CN", qt_dir)):
            translator = QTranslator(app)
            if translator.load(name, folder):  # Qt's own dialogs stay English if its file is missing
                app.installTranslator(translator)
                _installed.append(translator)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    _use_cjk_font(app)
    return chosen


def _use_cjk_font(app: QApplication) -> None:
    available = set(QFontDatabase.families())
    cjk = next((f for f in CJK_FAMILIES if f in available), None)
    if cjk is None:
        return
    font = app.font()
    font.setFamilies([font.family(), cjk])  # Latin from the system face, Han characters from the SC face
    app.setFont(font)


def layer_title(name: str) -> str:
    """The title of layer `name` in the interface language."""
    spec = LAYERS.get(name)
    if spec is None:
        return name
    return spec.title_zh if current_language() == "zh" else spec.title_en
