"""UI language through Qt's translation files.

Source strings are Simplified Chinese (the default language); ``resources/i18n/inspector_en.ts``
holds the English, compiled to ``.qm`` by ``pyside6-lrelease`` (``make`` does it).
``scripts/update_translations.py`` collects every ``tr("...")`` of the UI into the .ts file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from ..paths import resource_path

CONTEXT = "Inspector"
_installed: list[QTranslator] = []


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def install_language(app: QCoreApplication, language: str) -> bool:
    """Install the translator for ``language`` ("zh_CN" needs none). False when no file is there."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language.startswith("zh"):
        return True
    translator = QTranslator(app)
    if not translator.load(str(resource_path("i18n", f"inspector_{language}.qm"))):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
